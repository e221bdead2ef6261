// `lensc build`: every exported kernel of a module → DIR/<target>/<snake>.js, .d.ts, .manifest.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { planKernel, renderKernel, type Target } from '../compile.ts';
import { renderDts } from './dts.ts';
import { findKernels } from './find_kernels.ts';
import type { Kernel, WgslPrecision } from '../../dsl/kernel.ts';

export interface BuildOptions {
  readonly targets: readonly Target[];
  readonly outDir: string;
  readonly log?: (line: string) => void;
  /** Overrides every kernel's `precision` (how the WGSL target computes f64 values). */
  readonly wgslPrecision?: WgslPrecision;
}

/** The kernel with its WGSL precision overridden (`lensc build --wgsl-precision`). */
export const withPrecision = (k: Kernel, precision: WgslPrecision | undefined): Kernel => (precision ? { ...k, precision } : k);

/** Files a build writes, as path → content (so tests can check kernels/ is up to date without writing). */
export async function generate(modulePath: string, targets: readonly Target[], opts: { wgslPrecision?: WgslPrecision } = {}): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const found of await findKernels(modulePath)) {
    const { file } = found;
    const kernel = withPrecision(found.kernel, opts.wgslPrecision);
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
  const files = await generate(modulePath, opts.targets, opts.wgslPrecision ? { wgslPrecision: opts.wgslPrecision } : {});
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
