// `lensc/reference`: run any kernel on the f64 reference interpreter — the oracle the compiled targets are
// tested against. Slow (plain loops, everything materialised) but obviously right; use it to check a kernel of
// your own on small inputs, or to run a scan the compiled targets do not support.
import type { Kernel } from '../../dsl/kernel.ts';
import { interpretGraph } from './interpret.ts';

export type ReferenceOutput = Float64Array | number;

/**
 * Runs `k` in float64 on `inputs` (the same inputs a generated module takes) and returns what a generated module
 * returns: the output array, or an object of them for several outputs; rank-0 outputs are plain numbers.
 * Outputs are Float64Array whatever their dtype (i32 results hold integers).
 */
export function runReference(
  k: Kernel,
  inputs: Readonly<Record<string, unknown>>,
): ReferenceOutput | Record<string, ReferenceOutput> {
  const g = k.graph();
  const { outputs } = interpretGraph(g, inputs);
  const plain = (v: { data: Float64Array; shape: readonly number[] }): ReferenceOutput =>
    v.shape.length === 0 ? v.data[0]! : v.data;
  if (g.singleOutput) return plain(outputs[g.outputs[0]!.name]!);
  return Object.fromEntries(Object.entries(outputs).map(([name, v]) => [name, plain(v)]));
}

export { interpretGraph, type Value, type InterpretResult } from './interpret.ts';
