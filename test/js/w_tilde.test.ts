// W̃ on the JS backend: both std formulations against an independent triple loop, on odd sizes,
// K = 1, chunk tails forced by a small budget, and 1 vs 2 threads (bitwise identical).
import { afterAll, describe, expect, it } from 'vitest';
import { shutdown } from '../../backends/js/runtime/index.js';
import { wTilde, wTildeDirect } from '../../std/w_tilde.ts';
import { buildAndImport } from '../helpers/build.ts';
import { relErr, rng } from '../helpers/random.ts';
import { wTildeCase, wTildeLoop, type WTildeCase } from '../helpers/w_tilde_case.ts';

afterAll(() => shutdown());

/** Keeps a random subset of the grid so M is not a square (nor a multiple of any tile). */
function subset(c: WTildeCase, keep: number, seed: number): WTildeCase {
  const r = rng(seed);
  const idx = [...Array(c.M).keys()]
    .sort(() => r() - 0.5)
    .slice(0, keep)
    .sort((a, b) => a - b);
  const grid = new Float64Array(2 * keep);
  idx.forEach((m, i) => {
    grid[2 * i] = c.grid[2 * m]!;
    grid[2 * i + 1] = c.grid[2 * m + 1]!;
  });
  return { ...c, M: keep, grid };
}

/** The kernel's inputs of a case (its M and K are not inputs: the kernel binds them from the lengths). */
const ins = (c: WTildeCase) => ({ noiseReal: c.noiseReal, uv: c.uv, grid: c.grid });

const cases: [string, WTildeCase][] = [
  ['8×8 grid, K = 257', wTildeCase(8, 257, 11)],
  ['M = 37 (irregular), K = 129', subset(wTildeCase(9, 129, 12), 37, 3)],
  ['K = 1', wTildeCase(6, 1, 13)],
  ['M = 1, K = 5', subset(wTildeCase(3, 5, 14), 1, 4)],
];

describe.each([
  ['wTilde', wTilde],
  ['wTildeDirect', wTildeDirect],
] as const)('%s on js', (_name, k) => {
  it.each(cases)('matches the direct loop: %s', async (_label, c) => {
    const { run } = await buildAndImport(k);
    const want = wTildeLoop(c);
    const one = await run({ ...ins(c) }, { threads: 1 });
    const two = await run({ ...ins(c) }, { threads: 2 });
    expect(relErr(one, want)).toBeLessThan(1e-12);
    expect(two).toEqual(one);
  });

  it('gives the same answer with the budget forcing small chunks (tails included)', async () => {
    const c = wTildeCase(5, 257, 21);
    const { run } = await buildAndImport(k);
    const want = wTildeLoop(c);
    // 16·M bytes per K column (C and S) and at most 16·(M + 3) of packing, + 32·(M + 3) of tile slots (the
    // SYRK's scratch, backends/js/blas_scratch.ts) → chunks of 7, the last one holding 5.
    const budget = 16 * c.M * 7 + 16 * (c.M + 3) * 7 + 32 * (c.M + 3);
    const got = await run({ ...ins(c) }, { memoryBudgetBytes: budget, threads: 2 });
    expect(relErr(got, want)).toBeLessThan(1e-12);
  });
});

describe('wTilde input and budget errors', () => {
  it('names the input whose length is wrong', async () => {
    const { run } = await buildAndImport(wTilde);
    const c = wTildeCase(3, 4, 1);
    await expect(run({ ...ins(c), noiseReal: new Float64Array(5) })).rejects.toThrow(
      /input 'uv' must have length 10 \(shape \(K, 2\) = 5×2 with K=5 from the length of 'noiseReal'\), got 8/,
    );
    await expect(run({ ...ins(c), uv: new Float64Array(7) })).rejects.toThrow(/input 'uv' must have length 8 .* got 7/);
    // A plain number array is accepted (copied into a Float64Array); a non-number in it is not.
    expect(Array.from(await run({ ...ins(c), grid: Array.from(c.grid) }))).toEqual(Array.from(await run(ins(c))));
    await expect(run({ ...ins(c), grid: [1, 'a'] })).rejects.toThrow(
      /input 'grid'\[1\] must be a number \(f64\), got string/,
    );
    await expect(run({ ...ins(c), grid: new Int32Array(2) })).rejects.toThrow(/'grid' must be a Float64Array/);
    await expect(run({ noiseReal: c.noiseReal, uv: c.uv })).rejects.toThrow(/missing input 'grid'/);
    await expect(run({ ...ins(c) }, { threads: 0 })).rejects.toThrow(/threads must be a positive integer/);
    await expect(run({ ...ins(c) }, { budget: 5 })).rejects.toThrow(/unknown option 'budget'/);
  });

  it('reports the smallest budget that would fit when none does', async () => {
    const { run } = await buildAndImport(wTilde);
    const c = wTildeCase(4, 50, 2);
    // one K column of the [C S] panel (16·M bytes), and the bound on the SYRK's packing scratch for k = 2
    // (backends/js/blas_scratch.ts: 8·(M + 3)·k packed + 32·(M + 3) tile slots)
    const need = 16 * c.M + 8 * (c.M + 3) * 2 + 32 * (c.M + 3);
    await expect(run({ ...ins(c) }, { memoryBudgetBytes: need - 1 })).rejects.toThrow(
      new RegExp(`memoryBudgetBytes ≥ ${need}`),
    );
    await expect(run({ ...ins(c) }, { memoryBudgetBytes: need })).resolves.toHaveLength(c.M * c.M);
  });
});
