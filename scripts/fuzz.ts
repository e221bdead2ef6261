// npm run fuzz -- [--seed S] [--runs N] [--targets js,wgsl,cuda] [--depth D]
// Long runs of the random-program differential test (test/fuzz): each program compiled for each target
// and compared with the reference interpreter. On a failure fast-check shrinks the program and this
// prints the smallest failing one as a DSL module, with the sizes, input seed and budget that fail.
import fc from 'fast-check';
import { shutdown } from '../backends/js/runtime/index.js';
import type { Target } from '../compiler/compile.ts';
import { skipReason } from '../test/differential/harness.ts';
import { SIZE_SETS, checkProgram } from '../test/fuzz/check.ts';
import { programArb, programSource } from '../test/fuzz/programs.ts';

const arg = (name: string, dflt: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : dflt;
};
const seed = Number(arg('seed', String(Date.now() % 2 ** 31)));
const runs = Number(arg('runs', '100'));
const depth = Number(arg('depth', '4'));
const targets = arg('targets', 'js,wgsl,cuda').split(',') as Target[];

const usable: Target[] = [];
for (const t of targets) {
  const why = await skipReason(t);
  if (why) console.log(`fuzz: skipping ${t}: ${why}`);
  else usable.push(t);
}
console.log(`fuzz: seed ${seed}, ${runs} runs, depth ${depth}, targets ${usable.join(', ')}`);
const t0 = Date.now();
let done = 0;
const result = await fc.check(
  fc.asyncProperty(
    programArb(depth),
    fc.constantFrom(...SIZE_SETS),
    fc.integer({ min: 1, max: 2 ** 30 }),
    fc.constantFrom(undefined, 4000),
    async (p, sizes, s, budget) => {
      for (const t of usable) {
        const m = await checkProgram(p, t, sizes, s, budget === undefined ? {} : { memoryBudgetBytes: budget });
        if (m) throw new Error(m);
      }
      if (++done % 50 === 0) console.log(`fuzz: ${done} programs, ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    },
  ),
  { seed, numRuns: runs },
);
await shutdown();
if (!result.failed) {
  console.log(
    `fuzz: ${result.numRuns} programs agree with the reference interpreter on ${usable.join(', ')} (seed ${seed}, ${((Date.now() - t0) / 1000).toFixed(0)} s)`,
  );
  process.exit(0);
}
const [p, sizes, s, budget] = result.counterexample!;
console.log(
  `fuzz: FAILED after ${result.numRuns} programs (seed ${seed}, path ${result.counterexamplePath}); shrunk ${result.numShrinks} times to:\n`,
);
console.log(programSource(p));
console.log(
  `// sizes ${JSON.stringify(sizes)}, input seed ${s}${budget === undefined ? '' : `, memoryBudgetBytes ${budget}`}`,
);
console.log(
  `// ${String(result.errorInstance instanceof Error ? result.errorInstance.message : result.errorInstance)
    .split('\n')
    .join('\n// ')}`,
);
process.exit(1);
