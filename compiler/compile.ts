// One kernel from DSL to generated source: trace → graph passes → lower → plan memory → render.
// `lensc build`, `lensc explain` and the tests all go through here.
import type { Kernel } from '../dsl/kernel.ts';
import type { Graph } from './ir/graph.ts';
import type { LoopProgram } from './loop/ir.ts';
import { lowerGraph } from './lower/lower.ts';
import { buildManifest, type Manifest } from './aot/manifest.ts';
import { planMemory } from './plan/plan_memory.ts';
import { mergeSiblingMaps } from './plan/merge_siblings.ts';
import { hoistReductionInvariants } from './plan/hoist_invariants.ts';
import { optimizeGraph, type PipelineOptions } from './pipeline.ts';
import { renderJsModule } from '../backends/js/render_module.ts';
import { cudaManifest, renderCudaModule } from '../backends/cuda/render_module.ts';
import { wgslGraph, wgslManifest, wgslProgram } from '../backends/wgsl/plan.ts';
import { renderWgsl } from '../backends/wgsl/render.ts';

export type Target = 'js' | 'wgsl' | 'cuda';

export interface Compiled {
  readonly graph: Graph;
  readonly optimized: Graph;
  readonly program: LoopProgram;
  readonly manifest: Manifest;
}

export interface CompileOptions extends PipelineOptions { readonly source?: string }

export function planKernel(k: Kernel, target: Target, opts: CompileOptions = {}): Compiled {
  const graph = k.graph();
  const optimized = optimizeGraph(graph, opts);
  // wgsl: f64 is demoted to f32 before lowering (backends/wgsl/plan.ts), unless the kernel requires f64.
  const wgsl = target === 'wgsl';
  const lowered = lowerGraph(wgsl ? wgslGraph(k, optimized, opts.onPass) : optimized);
  opts.onPass?.('lower', JSON.stringify(lowered.stages.map((s) => s.name)));
  // WebGPU guarantees 8 storage buffers per shader stage: merged WGSL stages stay within that.
  const planned = planMemory(mergeSiblingMaps(hoistReductionInvariants(lowered), { maxBindings: wgsl ? 8 : Infinity }));
  const program = wgsl ? wgslProgram(k, planned) : planned;
  const built = { ...buildManifest(optimized, program, target, opts.source ?? k.loc?.file), doc: k.doc };
  const manifest = wgsl ? wgslManifest(k, built, optimized) : target === 'cuda' ? cudaManifest(built, program) : built;
  return { graph, optimized, program, manifest };
}

export function renderKernel(c: Compiled, target: Target): { code: string; extra?: Record<string, string> } {
  switch (target) {
    case 'js': return { code: renderJsModule(c.program, c.manifest, { generatedFrom: c.manifest.source }) };
    case 'wgsl': return renderWgsl(c.program, c.manifest);
    case 'cuda': { const m = renderCudaModule(c.program, c.manifest, { generatedFrom: c.manifest.source }); return { code: m.js, extra: { [`${c.manifest.file}.cu`]: m.cu } }; }
    default: throw new Error(`target '${target}' is not available yet`);
  }
}
