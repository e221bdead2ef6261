// Compiles a kernel into test/.generated/ (inside the package, so 'lensc/runtime/*' resolves)
// and imports the generated module, exactly as a user would.
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Kernel } from '../../dsl/kernel.ts';
import { planKernel, renderKernel, type Target } from '../../compiler/compile.ts';
import { snakeCase } from '../../compiler/aot/manifest.ts';

const GEN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '.generated');
let counter = 0;

export async function buildAndImport(
  k: Kernel,
  target: Target = 'js',
): Promise<{
  run: (inputs: Record<string, unknown>, options?: Record<string, unknown>) => Promise<any>;
  manifest: any;
  code: string;
  /** The generated module's exports (e.g. a WGSL module's prepare). */
  module: Record<string, unknown>;
}> {
  const c = planKernel(k, target);
  const { code } = renderKernel(c, target);
  const dir = path.join(GEN, target);
  mkdirSync(dir, { recursive: true });
  // A unique file per build: ESM caches modules by URL.
  const file = path.join(dir, `${snakeCase(k.name)}_${process.pid}_${counter++}.js`);
  writeFileSync(file, code);
  const mod = await import(pathToFileURL(file).href);
  return { run: mod[k.name], manifest: mod.manifest, code, module: mod };
}

/** Imports generated module code (written under test/.generated/js) and returns its kernel function `name`. */
export async function importCode(
  code: string,
  name: string,
): Promise<(inputs: Record<string, unknown>, options?: Record<string, unknown>) => Promise<any>> {
  const dir = path.join(GEN, 'js');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${snakeCase(name)}_${process.pid}_${counter++}.js`);
  writeFileSync(file, code);
  return (await import(pathToFileURL(file).href))[name];
}
