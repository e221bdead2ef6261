// Seconds per unit of work on the WGSL target (compiler/plan/cost.ts), for routed kernels' choice at call time.
// Not measured on a GPU: the JS target's constants (backends/js/cost.ts), so a WGSL module chooses the route the
// JS module would at the same sizes, except that work in one-task stages is charged 1000× (an assumption); `options.route` forces either.
import type { CostConstants } from '../../compiler/plan/cost.ts';
import { JS_COST } from '../js/cost.ts';

export const WGSL_COST: CostConstants = {
  seconds: JS_COST.seconds,
  source: `not measured on a GPU: the JS target's constants (${JS_COST.source})`,
  // A scatter with no conflict-free axis runs as one task on a GPU (the NUFFT's spreading, the columns placed on
  // the grid): one lane of thousands. An assumed order of magnitude, not a measurement — enough that a route
  // whose work grows in such a stage (the NUFFT at large K) is not picked over a parallel one on a GPU.
  serialSlowdown: 1000,
  serialSource: 'assumed (one GPU lane of the thousands the parallel stages use), not measured',
};
