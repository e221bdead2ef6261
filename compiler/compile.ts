// One kernel from DSL to generated source: trace → graph passes (shared, then the target's) → lower
// → loop passes (shared, then the target's) → manifest → render. The steps are listed in
// compiler/pipeline.ts; what differs per target is its record in compiler/targets.ts.
// `lensc build`, `lensc explain` and the tests all go through here.
import type { Kernel } from '../dsl/kernel.ts';
import { buildManifest } from './aot/manifest.ts';
import { lowerAndPlan, optimizeGraph, runGraphPasses, type PipelineOptions } from './pipeline.ts';
import type { Compiled, Rendered } from './target.ts';
import { targetRecord, type Target } from './targets.ts';

export type { Compiled, Rendered } from './target.ts';
export type { Target } from './targets.ts';

export interface CompileOptions extends PipelineOptions {
  readonly source?: string;
}

export function planKernel(k: Kernel, target: Target, opts: CompileOptions = {}): Compiled {
  const t = targetRecord(target);
  const graph = k.graph();
  const optimized = optimizeGraph(graph, opts);
  const forLowering = runGraphPasses(optimized, t.graphPasses?.(k) ?? [], opts);
  const program = lowerAndPlan(forLowering, t.build, t.loopPasses?.(k) ?? [], opts);
  const generic = { ...buildManifest(optimized, program, target, opts.source ?? k.loc?.file), doc: k.doc };
  const manifest = t.manifest ? t.manifest(generic, { kernel: k, optimized, program }) : generic;
  return { graph, optimized, program, manifest };
}

export function renderKernel(c: Compiled, target: Target): Rendered {
  return targetRecord(target).render(c);
}
