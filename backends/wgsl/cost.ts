// Seconds per unit of work on the WGSL target (compiler/plan/cost.ts), for routed kernels' choice at call time.
// Not measured on a GPU: the JS target's constants (backends/js/cost.ts), so a WGSL module chooses the route the
// JS module would at the same sizes; `options.route` forces either.
import type { CostConstants } from '../../compiler/plan/cost.ts';
import { JS_COST } from '../js/cost.ts';

export const WGSL_COST: CostConstants = {
  seconds: JS_COST.seconds,
  source: `not measured on a GPU: the JS target's constants (${JS_COST.source})`,
};
