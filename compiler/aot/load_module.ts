// Imports the user's kernel module for `lensc build` / `explain`, whatever their project's package type.
// Under lensc's own sources (tsx or vitest already load .ts) a plain import() does. From the installed package
// (compiled dist/), Node cannot import .ts, and a loader hook would compile it as CommonJS in a default
// `npm init -y` project ("type": "commonjs"), where `import { kernel } from 'lensc'` then fails. So the module is
// bundled by esbuild into one ES module (.mjs, ESM whatever the package type) next to the user's file: their
// relative imports are inlined, packages (lensc itself) stay imports and resolve from their node_modules, so the
// kernels are made by the very `lensc` copy the compiler runs from. An inline source map, with Node's source-map
// support on, keeps stack frames — hence the file:line:col in DSL errors — pointing at the user's .ts.
import { unlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';

const RUNNING_FROM_SOURCE = import.meta.url.endsWith('.ts');

export async function importUserModule(absPath: string): Promise<Record<string, unknown>> {
  if (RUNNING_FROM_SOURCE || /\.(m?js)$/.test(absPath))
    return (await import(pathToFileURL(absPath).href)) as Record<string, unknown>;
  let esbuild: typeof import('esbuild');
  try {
    esbuild = await import('esbuild');
  } catch (e) {
    throw new Error(
      `lensc: loading ${absPath} needs the 'esbuild' package (a dependency of lensc; reinstall lensc): ${(e as Error).message}`,
    );
  }
  const outfile = path.join(path.dirname(absPath), `.${path.basename(absPath)}.lensc-${process.pid}.mjs`);
  const result = await esbuild.build({
    entryPoints: [absPath],
    outfile,
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: 'inline',
    logLevel: 'silent',
  });
  writeFileSync(outfile, result.outputFiles[0]!.text);
  process.setSourceMapsEnabled(true);
  try {
    return (await import(pathToFileURL(outfile).href)) as Record<string, unknown>;
  } finally {
    unlinkSync(outfile);
  }
}
