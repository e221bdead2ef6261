// Differential testing of every primitive (test/differential/primitives.ts) on every target: each
// kernel compiled for js, wgsl and cuda (emulated device; the module compiles its .cu with NVRTC) and
// run on random inputs at several size sets and memory budgets, against the f64 reference interpreter.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shutdown } from '../../backends/js/runtime/index.js';
import type { Target } from '../../compiler/compile.ts';
import { CASES } from './primitives.ts';
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

describe.each(TARGETS)('primitives compiled for %s equal the reference interpreter', (target) => {
  const skip = skips.get(target);
  let runs: Map<string, Run>;
  beforeAll(async () => {
    if (!skip)
      runs = await compileAll(
        target,
        CASES.map((c) => c.kernel),
      );
  }, 300_000);

  it.skipIf(!!skip).each(CASES.map((c) => [c.kernel.name, c] as const))(
    `%s${skip ? ` (skipped: ${skip})` : ''}`,
    async (name, c) => {
      const g = c.kernel.graph();
      const run = runs.get(name)!;
      let seed = 1;
      for (const sizes of c.sizes) {
        const r = mulberry(seed++);
        const inputs = { ...randomInputs(g, sizes, r), ...c.inputs?.(sizes, r) };
        const want = reference(g, inputs);
        for (const options of [{}, ...(c.options ?? [])]) {
          const got = await run(inputs, options);
          compareAll(g, got, want, TOLERANCE[target], `${name} at ${JSON.stringify(sizes)} ${JSON.stringify(options)}`);
        }
      }
      expect(c.sizes.length).toBeGreaterThan(0);
    },
  );
});
