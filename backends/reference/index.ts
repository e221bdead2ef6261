// `lensc/reference`: run any kernel on the f64 reference interpreter — the oracle the compiled targets are
// tested against. Slow (plain loops, everything materialised) but obviously right; use it to check a kernel of
// your own on small inputs, or to run a scan the compiled targets do not support.
import type { Kernel } from '../../dsl/kernel.ts';
import { isRoutedKernel, type RoutedKernel } from '../../dsl/routes.ts';
import { interpretGraph } from './interpret.ts';

export type ReferenceOutput = Float64Array | number;

/**
 * Runs `k` in float64 on `inputs` (the same inputs a generated module takes) and returns what a generated module
 * returns: the output array, or an object of them for several outputs; rank-0 outputs are plain numbers.
 * Outputs are Float64Array whatever their dtype (i32 results hold integers). A routed kernel (`routes(...)`) runs
 * its first route, or `options.route`: every route computes the same values, so the oracle need not pick by cost.
 */
export function runReference(
  k: Kernel | RoutedKernel,
  inputs: Readonly<Record<string, unknown>>,
  options: { readonly route?: string } = {},
): ReferenceOutput | Record<string, ReferenceOutput> {
  if (isRoutedKernel(k)) {
    k.graphs(); // one signature
    const r = options.route === undefined ? k.routes[0] : k.routes.find((x) => x.name === options.route);
    if (!r)
      throw new RangeError(
        `${k.name}: options.route must be one of ${k.routes.map((x) => `'${x.name}'`).join(', ')}, got '${options.route}'`,
      );
    return runReference(r.kernel, inputs);
  }
  const g = k.graph();
  const { outputs } = interpretGraph(g, inputs);
  const plain = (v: { data: Float64Array; shape: readonly number[] }): ReferenceOutput =>
    v.shape.length === 0 ? v.data[0]! : v.data;
  if (g.singleOutput) return plain(outputs[g.outputs[0]!.name]!);
  return Object.fromEntries(Object.entries(outputs).map(([name, v]) => [name, plain(v)]));
}

export { interpretGraph, type Value, type InterpretResult } from './interpret.ts';
