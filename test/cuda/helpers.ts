// Renders a kernel for the CUDA target and writes its module into test/.generated/cuda/ (inside the
// package, so 'lensc/runtime/*' resolves), as a user's build would; the .cu text comes back too.
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { planKernel, renderKernel } from '../../compiler/compile.ts';
import type { Kernel } from '../../dsl/kernel.ts';

const GEN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '.generated', 'cuda');
let counter = 0;

export interface CudaBuild {
  file: string;
  js: string;
  cu: string;
  url: string;
  path: string;
}

export function writeCudaModule(k: Kernel): CudaBuild {
  const c = planKernel(k, 'cuda');
  const { code, extra } = renderKernel(c, 'cuda');
  const cu = extra?.[`${c.manifest.file}.cu`];
  if (cu === undefined) throw new Error(`no .cu for ${k.name}`);
  mkdirSync(GEN, { recursive: true });
  // a unique file per build: ESM caches modules by URL
  const file = path.join(GEN, `${c.manifest.file}_${process.pid}_${counter++}.js`);
  writeFileSync(file, code);
  return { file: c.manifest.file, js: code, cu, url: pathToFileURL(file).href, path: file };
}
