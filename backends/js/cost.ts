// Seconds per unit of work on the JS target (compiler/plan/cost.ts), for routed kernels' choice at call time.
// Calibrated by `npm run bench -- --only routes` (bench/routes.ts) on the development machine; bench/RESULTS.md
// has the measurement, the load and the crossovers it predicts against the measured ones.
import type { CostConstants } from '../../compiler/plan/cost.ts';

export const JS_COST: CostConstants = {
  seconds: { op: 8.59e-11, transcendental: 2.08e-9, load: 2.82e-10, store: 2.7e-9, madd: 6.31e-10, fft: 3.53e-9 },
  source:
    'fitted to the std routes and two microkernels timed on the development machine (2 Xeon cores, load average ≈ 14), 2026-12-01: bench/RESULTS.md',
  serialSlowdown: 2,
  serialSource:
    'the fit ran 2 threads, so a one-thread stage does its work at about half that rate (not measured separately)',
};
