// `lensc build`: every exported kernel of a module → DIR/<target>/<snake>.js, .d.ts, .manifest.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { planKernel, renderKernel, type Target } from '../compile.ts';
import { renderDts } from './dts.ts';
import { findKernels } from './find_kernels.ts';

export interface BuildOptions { readonly targets: readonly Target[]; readonly outDir: string; readonly log?: (line: string) => void }

const MODULE_PACKAGE_JSON = JSON.stringify({ type: 'module' }, null, 2) + '\n';

/** Files a build writes, as path → content (so tests can check kernels/ is up to date without writing). */
export async function generate(modulePath: string, targets: readonly Target[]): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const { kernel, file } of await findKernels(modulePath)) {
    for (const target of targets) {
      const c = planKernel(kernel, target, { source: file });
      const { code, extra } = renderKernel(c, target);
      const base = path.join(target, c.manifest.file);
      files.set(`${base}.js`, code);
      files.set(`${base}.d.ts`, renderDts(c.manifest));
      files.set(`${base}.manifest.json`, JSON.stringify(c.manifest, null, 2) + '\n');
      for (const [name, text] of Object.entries(extra ?? {})) files.set(path.join(target, name), text);
    }
  }
  return files;
}

export async function build(modulePath: string, opts: BuildOptions): Promise<string[]> {
  const files = await generate(modulePath, opts.targets);
  const written: string[] = [];
  for (const [rel, text] of files) {
    const out = path.join(opts.outDir, rel);
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, text);
    written.push(out);
    opts.log?.(`wrote ${out}`);
  }
  return written;
}
