// The separable-sum rewrite on every target: the positive cases and near misses of
// test/passes/separable_cases.ts compiled for js, wgsl and cuda (emulated device), each against the f64
// reference interpreter on the literal (un-rewritten) graph — so a wrong rewrite cannot hide behind a
// reference that was rewritten the same way.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shutdown } from '../../backends/js/runtime/index.js';
import type { Target } from '../../compiler/compile.ts';
import type { Kernel } from '../../dsl/kernel.ts';
import { nearMisses, positives } from '../passes/separable_cases.ts';
import {
  TARGETS,
  TOLERANCE,
  compareAll,
  compileAll,
  mulberry,
  randomInputs,
  reference,
  skipReason,
  type Run,
} from './harness.ts';

afterAll(() => shutdown());

const skips = new Map<Target, string | undefined>();
for (const t of TARGETS) skips.set(t, await skipReason(t));

const kernels: Kernel[] = [...positives.map(([, k]) => k), ...nearMisses.map(([, k]) => k)];
const SIZES = [
  { M: 7, N: 5, K: 131 },
  { M: 1, N: 3, K: 1 },
  { M: 12, N: 9, K: 700 },
];

describe.each(TARGETS)('rewritten sums compiled for %s equal the literal sum (reference interpreter)', (target) => {
  const skip = skips.get(target);
  let runs: Map<string, Run>;
  beforeAll(async () => {
    if (!skip) runs = await compileAll(target, kernels);
  }, 300_000);

  it.skipIf(!!skip).each(kernels.map((k) => [k.name, k] as const))(
    `%s${skip ? ` (skipped: ${skip})` : ''}`,
    async (name, k) => {
      const g = k.graph();
      let seed = 1;
      for (const sizes of SIZES) {
        const inputs = randomInputs(g, sizes, mulberry(seed++));
        // weights and noise are positive (some kernels declare { min: 0 }; σ divides)
        for (const p of ['w', 'noiseReal'])
          if (inputs[p])
            inputs[p] = Float64Array.from(inputs[p] as Float64Array, (v) => Math.fround(0.5 + Math.abs(v)));
        const want = reference(g, inputs);
        compareAll(g, await runs.get(name)!(inputs), want, TOLERANCE[target], `${name} at ${JSON.stringify(sizes)}`);
      }
      expect(SIZES.length).toBeGreaterThan(0);
    },
  );
});
