// The WGSL target's record (compiler/targets.ts) and its steps in the pipeline: demote f64 to f32
// before lowering (so the planner's byte formulas are f32 bytes), range-reduce phases after planning,
// and state the precision in the manifest, whose interface stays f64 (the module converts). A kernel
// flagged `requiresF64` is left in f64: its WGSL module runs the JS backend's f64 kernel on the CPU.
// A kernel with precision 'df64' is not demoted either: its f64 values become df64 pairs (df64/).
import { WGSL_COST } from './cost.ts';
import type { Manifest } from '../../compiler/aot/manifest.ts';
import type { Graph } from '../../compiler/ir/graph.ts';
import type { LoopProgram } from '../../compiler/loop/ir.ts';
import type { TargetRecord } from '../../compiler/target.ts';
import type { Kernel } from '../../dsl/kernel.ts';
import { memoryBudgetGuess } from './runtime/limits.js';
import { reducePhases } from './phases.ts';
import { F64_ON_CPU, contentHash, df64Precision, wgslPrecision } from './precision.ts';
import { gemmToMap } from './df64/gemm_to_map.ts';
import { exactInputs, exactInputsNote } from './df64/exact_inputs.ts';
import { renderWgsl } from './render.ts';
import { demoteToF32 } from './to_f32.ts';
import { expandFftConv, hasFftConv } from '../../compiler/passes/expand_fftconv.ts';

/** The kernel computes in df64 on the GPU (requiresF64 kernels too: Cholesky and solves run in df64). */
const isDf64 = (k: Kernel): boolean => k.precision === 'df64';

/** The planned program as the WGSL renderer gets it. */
function wgslProgram(k: Kernel, p: LoopProgram): LoopProgram {
  if (isDf64(k)) {
    const q = gemmToMap({
      ...p,
      notes: [
        ...p.notes,
        'wgsl: precision df64: every f64 value computed as a df64 pair (hi + lo of two f32, ~48 bits)',
      ],
    });
    return { ...q, notes: [...q.notes, ...exactInputsNote(exactInputs(q))] };
  }
  if (k.requiresF64)
    return {
      ...p,
      notes: [
        ...p.notes,
        "wgsl: this kernel requires f64 (requiresF64): the module runs the JS backend's f64 kernel on the CPU",
      ],
    };
  return reducePhases({
    ...p,
    notes: [...p.notes, 'wgsl: f64 demoted to f32 by the to-f32 pass (f64 at the module interface)'],
  });
}

/** The manifest of a WGSL module: interface dtypes of `iface` (the graph before demotion), WGSL precision. */
function wgslManifest(k: Kernel, m: Manifest, iface: Graph): Manifest {
  if (isDf64(k)) return { ...m, precision: df64Precision(m.kernel, contentHash(iface)) };
  if (k.requiresF64) return { ...m, precision: F64_ON_CPU };
  const dtypes = new Map(iface.outputs.map((o) => [o.name, o.node.dtype]));
  return {
    ...m,
    outputs: m.outputs.map((o) => ({ ...o, dtype: dtypes.get(o.name) ?? o.dtype })),
    precision: wgslPrecision(m.kernel, contentHash(iface)),
  };
}

/** WebGPU's default limits: what every device offers; explain assumes them (a real device may allow more). */
const DEFAULT_LIMITS = { maxBufferSize: 268435456, maxStorageBufferBindingSize: 134217728 };

export const wgslTarget: TargetRecord<'wgsl'> = {
  name: 'wgsl',
  summary: 'WebGPU compute shaders in f32 with compensated sums (Dawn in Node, or navigator.gpu)',
  // fftconv2 becomes fft2/ifft2 stages here (the f64-on-CPU route keeps it: the JS kernel runs it fused).
  graphPasses: (k) =>
    k.requiresF64
      ? []
      : [
          ...(hasFftConv(k.graph()) ? [{ name: 'expand-fftconv', run: expandFftConv }] : []),
          ...(isDf64(k) ? [] : [{ name: 'to-f32', run: demoteToF32 }]),
        ],
  loopPasses: (k) => [
    {
      name: isDf64(k) ? 'df64-matmul-as-map' : k.requiresF64 ? 'wgsl-f64-on-cpu' : 'reduce-phases',
      run: (p) => wgslProgram(k, p),
    },
  ],
  manifest: (m, { kernel, optimized }) => wgslManifest(kernel, m, optimized),
  render: (c) => renderWgsl(c.program, c.manifest),
  // the generated module passes the device's memoryBytes and planBufferBytes (support/index.js deviceLimits)
  // WebGPU guarantees 8 storage buffers per shader stage: merged stages stay within that
  build: { maxBindingsPerKernel: 8, maxScatterCopies: 0, ownerScatters: false },
  capabilities: () => ({
    memoryBytes: memoryBudgetGuess(DEFAULT_LIMITS as GPUSupportedLimits),
    preferredChunkBytes: Infinity,
    maxBufferBytes: Math.min(DEFAULT_LIMITS.maxBufferSize, DEFAULT_LIMITS.maxStorageBufferBindingSize),
    source:
      "a device with WebGPU's default limits (budget guessed as in runtime/limits.js; a real device may allow more)",
  }),
  cost: WGSL_COST,
  runtime: ['lensc/runtime/plan', 'lensc/runtime/wgsl-support'],
};
