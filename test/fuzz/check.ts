// Runs a random program (programs.ts) compiled for a target and compares every output element with the
// reference interpreter, within K·ε times the element's magnitude (the magnitude program, also run on
// the interpreter): K = 64 on the f64 targets (ε = 2⁻⁵³), 256 on WGSL (f32, ε = 2⁻²⁴, and its own
// transcendentals). Inputs: f32-exact values in [−2, 2), index inputs in range, padded ones with −1s.
import type { Target } from '../../compiler/compile.ts';
import type { SizeEnv } from '../../compiler/ir/size.ts';
import { compileAll, flatten, intArray, mulberry, randomInputs, reference } from '../differential/harness.ts';
import { programKernels, type Program } from './programs.ts';

export const SIZE_SETS: readonly SizeEnv[] = [
  { A: 3, B: 5, C: 2 },
  { A: 1, B: 4, C: 7 },
  { A: 6, B: 1, C: 3 },
  { A: 9, B: 7, C: 1 },
  { A: 2, B: 2, C: 2 },
];
const EPS: Record<Target, number> = { js: 64 * 2 ** -53, cuda: 64 * 2 ** -53, wgsl: 256 * 2 ** -24 };

/** Undefined when the program agrees with the interpreter on target; else what differs (or failed). */
export async function checkProgram(
  p: Program,
  target: Target,
  sizes: SizeEnv,
  seed: number,
  options: Record<string, unknown> = {},
): Promise<string | undefined> {
  const { program, magnitude } = programKernels(p);
  const g = program.graph();
  const r = mulberry(seed);
  const inputs: Record<string, unknown> = randomInputs(g, sizes, r);
  for (const x of ['A', 'B', 'C']) {
    inputs[`idx${x}`] = intArray(sizes[x]!, r, 0, sizes[x]! - 1);
    inputs[`pad${x}`] = intArray(sizes[x]!, r, -1, sizes[x]! - 1);
  }
  const want = reference(g, inputs);
  const mag = reference(magnitude.graph(), inputs);
  let got: unknown;
  try {
    const run = (await compileAll(target, [program])).get(program.name)!;
    got = await run(inputs, options);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (options.memoryBudgetBytes !== undefined && /budget/i.test(msg)) return undefined; // a budget below the smallest plan
    return `${target} failed: ${msg}`;
  }
  const flat = flatten(g, got);
  for (const o of g.outputs) {
    const gv = flat[o.name]!,
      wv = want[o.name]!,
      mv = mag[o.name]!;
    if (gv.length !== wv.length) return `${o.name}: ${gv.length} elements, expected ${wv.length}`;
    for (let i = 0; i < wv.length; i++) {
      const a = Number(gv[i]),
        b = wv[i]!;
      if (Number.isNaN(a) || Number.isNaN(b) || !Number.isFinite(b)) {
        if (!Object.is(a, b) && !(Number.isNaN(a) && Number.isNaN(b))) return `${o.name}[${i}] = ${a}, expected ${b}`;
        continue;
      }
      const tol = EPS[target] * mv[i]! + 1e-300;
      if (!(Math.abs(a - b) <= tol))
        return `${o.name}[${i}] = ${a}, expected ${b} (|diff| ${Math.abs(a - b).toExponential(2)} > ${tol.toExponential(2)} = K·ε·magnitude)`;
    }
  }
  return undefined;
}
