// The WGSL target's render hook (target.ts): the ES module, its shaders as
// <snake>_<stage>.wgsl for reading (copies of what the module embeds: written by lensc build --sources), and its .d.ts — which replaces the generic one `lensc build` writes
// (extras are written after it), because WGSL modules also take options.device and export prepare().
// Kernels left in f64 by target.ts (requiresF64) get the module that runs the f64 JS kernel instead.
import type { Manifest } from '../../compiler/aot/manifest.ts';
import { renderDts } from '../../compiler/aot/dts.ts';
import type { LoopProgram } from '../../compiler/loop/ir.ts';
import type { Rendered } from '../../compiler/target.ts';
import { renderF64Module } from './render_f64_module.ts';
import { renderWgslModule } from './render_module.ts';

const OPTIONS =
  '{ threads?: number; memoryBudgetBytes?: number; onProgress?: (fraction: number, message: string) => void; device?: GPUDevice }';

function wgslDts(m: Manifest): string {
  const prepared =
    m.precision.arithmetic === 'df64'
      ? `/**
 * Opens the device and compiles the pipelines ahead of the first call (optional). Says which TwoProduct the
 * df64 shaders use on this device: 'fma' where its fma is fused (probed once per device), else 'dekker'.
 */
export declare function prepare(options?: { device?: GPUDevice }): Promise<{ backend: string; twoProduct: 'fma' | 'dekker' }>;
`
      : `/** Opens the device and compiles the pipelines ahead of the first call (optional). */
export declare function prepare(options?: { device?: GPUDevice }): Promise<void>;
`;
  // No `/// <reference types="@webgpu/types" />`: it would force those types (and the DOM lib they need) on
  // every TypeScript user. An empty GPUDevice interface merges with the real one where @webgpu/types or the DOM
  // declare it, and accepts any device object where nothing does.
  return `${renderDts(m, OPTIONS)}declare global { interface GPUDevice {} }
${prepared}`;
}

export function renderWgsl(p: LoopProgram, manifest: Manifest): Rendered {
  const opts = { generatedFrom: manifest.source };
  const dts = { [`${manifest.file}.d.ts`]: wgslDts(manifest) };
  if (manifest.precision.storage === 'f64') return { code: renderF64Module(manifest, opts), extra: dts };
  const m = renderWgslModule(p, manifest, {
    ...opts,
    precision: manifest.precision.arithmetic === 'df64' ? 'df64' : 'f32',
  });
  return { code: m.js, extra: { ...dts, ...m.shaders }, embedded: Object.keys(m.shaders) };
}
