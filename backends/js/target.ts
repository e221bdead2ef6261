// The JS target's record (compiler/targets.ts): multithreaded JS with WebAssembly SIMD kernels, f64
// end to end. Its one loop pass merges sibling SYRKs into one over a [A₁ A₂] panel (W̃'s C·Cᵀ + S·Sᵀ); the
// generated module sizes chunks to the cache.
import type { TargetRecord } from '../../compiler/target.ts';
import { JS_COST } from './cost.ts';
import { mergeSiblingSyrks } from '../../compiler/plan/merge_sibling_syrks.ts';
import { blasScratch } from './blas_scratch.ts';
import { jsCapabilities } from './support/capabilities.js';
import { renderJsModule } from './render_module.ts';

export const jsTarget: TargetRecord<'js'> = {
  name: 'js',
  summary: 'multithreaded JS (worker_threads, WebAssembly SIMD), f64',
  loopPasses: () => [{ name: 'merge-sibling-syrks', run: mergeSiblingSyrks }],
  // The BLAS packing scratch of its gemm, syrk and Cholesky stages, in the memory plan.
  manifest: (m, { program }) => {
    const scratch = blasScratch(program);
    return scratch.length ? { ...m, plan: { ...m.plan, scratch } } : m;
  },
  render: (c) => ({ code: renderJsModule(c.program, c.manifest, { generatedFrom: c.manifest.source }) }),
  // exactly what the generated module passes to resolvePlan (render_module.ts)
  // Scatters without a conflict-free axis: owner computes where the leading index is known in an outer loop
  // (compiler/plan/owner_scatters.ts), else at most 16 private copies of the target — enough shares for 16 threads,
  // and a number that does not depend on the machine, so the summation order (and the bits) do not either
  // (compiler/plan/privatise_scatters.ts).
  build: { maxBindingsPerKernel: Infinity, maxScatterCopies: 16, ownerScatters: true },
  capabilities: () => {
    const caps = jsCapabilities();
    return {
      memoryBytes: caps.memoryBytes,
      preferredChunkBytes: caps.preferredChunkBytes,
      source: 'this machine: a quarter of free memory (at most 3 GiB), chunks sized to the cache',
    };
  },
  cost: JS_COST,
  runtime: ['lensc/runtime/js', 'lensc/runtime/plan', 'lensc/runtime/js-support'],
};
