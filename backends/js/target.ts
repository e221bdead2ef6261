// The JS target's record (compiler/targets.ts): multithreaded JS with WebAssembly SIMD kernels, f64
// end to end. No target-specific passes; the generated module sizes chunks to the cache.
import { JS_COST } from './cost.ts';
import type { TargetRecord } from '../../compiler/target.ts';
import { jsCapabilities } from './support/capabilities.js';
import { renderJsModule } from './render_module.ts';

export const jsTarget: TargetRecord<'js'> = {
  name: 'js',
  summary: 'multithreaded JS (worker_threads, WebAssembly SIMD), f64',
  render: (c) => ({ code: renderJsModule(c.program, c.manifest, { generatedFrom: c.manifest.source }) }),
  // exactly what the generated module passes to resolvePlan (render_module.ts)
  build: { maxBindingsPerKernel: Infinity },
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
