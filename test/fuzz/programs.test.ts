// Random well-typed programs (programs.ts), fixed seeds, compiled for each target and compared with the
// reference interpreter (check.ts). Longer runs, printing the shrunk failing program as DSL source:
// `npm run fuzz -- --seed S --runs N [--targets js,wgsl,cuda]` (scripts/fuzz.ts).
import { fc, test } from '@fast-check/vitest';
import { afterAll, describe, expect } from 'vitest';
import { shutdown } from '../../backends/js/runtime/index.js';
import type { Target } from '../../compiler/compile.ts';
import { skipReason } from '../differential/harness.ts';
import { SIZE_SETS, checkProgram } from './check.ts';
import { programArb, programSource } from './programs.ts';

afterAll(() => shutdown());

// CUDA compiles each program as host C++ for the emulated device (≈ 1.5 s each): fewer runs there.
const RUNS: Record<Target, number> = { js: 60, wgsl: 25, cuda: 12 };

const TARGETS: Target[] = ['js', 'wgsl', 'cuda'];
const skips = new Map<Target, string | undefined>();
for (const t of TARGETS) skips.set(t, await skipReason(t));

describe.each(TARGETS)('random programs compiled for %s equal the reference interpreter', (target) => {
  const skip = skips.get(target);
  describe.skipIf(!!skip)(skip ? `(skipped: ${skip})` : 'fast-check', () => {
    test.prop(
      [
        programArb(),
        fc.constantFrom(...SIZE_SETS),
        fc.integer({ min: 1, max: 2 ** 30 }),
        fc.constantFrom(undefined, 4000),
      ],
      { seed: 20261201, numRuns: RUNS[target] },
    )(
      'fixed seed',
      async (p, sizes, seed, budget) => {
        const m = await checkProgram(p, target, sizes, seed, budget === undefined ? {} : { memoryBudgetBytes: budget });
        expect(m, `${m}\n${programSource(p)}`).toBeUndefined();
      },
      300_000,
    );
  });
});
