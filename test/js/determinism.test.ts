// What ARCHITECTURE.md promises about reproducibility, checked on the compiled JS path for a kernel
// whose K axis is chunked (wTilde: accumulating syrk per chunk) and one whose chunked sum accumulates
// (dirtyImage):
//  - the same inputs and the same chunk extents give bitwise the same outputs whatever the thread count;
//  - the budget changes the outputs only through the chunk extent: budgets that resolve to the same
//    extents (the budget does not bind, the cache preference decides) give bitwise the same outputs;
//  - a different chunk extent changes the summation order: the outputs then agree to rounding, not bitwise.
import { afterAll, describe, expect, it } from 'vitest';
import { resolvePlan } from '../../backends/common/plan.js';
import { shutdown } from '../../backends/js/runtime/index.js';
import { jsCapabilities } from '../../backends/js/support/capabilities.js';
import { dirtyImage } from '../../kernels/js/dirty_image.js';
import { manifest as wTildeManifest, wTilde } from '../../kernels/js/w_tilde.js';
import {
  ARCSEC,
  circularMask,
  dirtyImageRef,
  maskedGrid,
  randomVisibilities,
  wTildeRef,
} from '../helpers/interferometer.ts';
import { relErr } from '../helpers/random.ts';

afterAll(() => shutdown());

const same = (a: ArrayLike<number>, b: ArrayLike<number>): boolean =>
  a.length === b.length && Array.from(a).every((x, i) => Object.is(x, b[i]));
const MiB = 2 ** 20;

const g = maskedGrid(9, 9, 0.05 * ARCSEC, 0.05 * ARCSEC, circularMask(9, 9, 4.2));
const v = randomVisibilities(3001, g.dy, g.dx, 11);
const M = g.grid.length / 2,
  K = v.noiseReal.length;
const inputs = { noiseReal: v.noiseReal, uv: v.uv, grid: g.grid };
/** wTilde's chunk of K under a budget, as the module resolves it. */
const chunkOf = (budget: number): number =>
  resolvePlan(
    'wTilde',
    (wTildeManifest as unknown as { plan: Parameters<typeof resolvePlan>[1] }).plan,
    { M, K },
    { budgetBytes: budget, preferredChunkBytes: jsCapabilities().preferredChunkBytes },
  ).chunks.K!;

describe('reproducibility of chunked kernels (JS)', () => {
  it('same chunk extent: bitwise equal for 1, 2 and 3 threads', async () => {
    const budget = 2 * 8 * M * 592; // 16·M bytes per unit of K: chunks of 592
    expect(chunkOf(budget)).toBeLessThan(K);
    const [one, two, three] = [
      await wTilde(inputs, { threads: 1, memoryBudgetBytes: budget }),
      await wTilde(inputs, { threads: 2, memoryBudgetBytes: budget }),
      await wTilde(inputs, { threads: 3, memoryBudgetBytes: budget }),
    ];
    expect(same(one, two)).toBe(true);
    expect(same(one, three)).toBe(true);
  });

  it('budgets that do not bind resolve to the same chunk extent and give bitwise equal outputs', async () => {
    const [a, b] = [64 * MiB, 1024 * MiB];
    expect(chunkOf(a)).toBe(chunkOf(b));
    expect(
      same(
        await wTilde(inputs, { memoryBudgetBytes: a, threads: 2 }),
        await wTilde(inputs, { memoryBudgetBytes: b, threads: 2 }),
      ),
    ).toBe(true);
  });

  it('different chunk extents agree to rounding (the summation order differs)', async () => {
    const want = wTildeRef(v.noiseReal, v.uv, g.grid);
    const budgets = [2 * 8 * M * 7, 2 * 8 * M * 1000, 64 * MiB];
    expect(new Set(budgets.map(chunkOf)).size).toBe(3);
    const outs = [];
    for (const b of budgets) outs.push(await wTilde(inputs, { memoryBudgetBytes: b, threads: 2 }));
    for (const o of outs) expect(relErr(o, want)).toBeLessThan(1e-12);
    for (const o of outs.slice(1)) expect(relErr(o, outs[0]!)).toBeLessThan(1e-13);
  });

  it('a chunked sum (dirty image): bitwise equal across threads at one chunk extent, within rounding across extents', async () => {
    const din = { visibilities: v.visibilities, noiseMap: v.noiseMap, uv: v.uv, grid: g.grid };
    const want = dirtyImageRef(v, g.grid);
    // two K-sized f64 temporaries: 16 bytes per visibility
    const a1 = await dirtyImage(din, { memoryBudgetBytes: 16 * 100, threads: 1 });
    const a2 = await dirtyImage(din, { memoryBudgetBytes: 16 * 100, threads: 2 });
    expect(same(a1, a2)).toBe(true);
    const b = await dirtyImage(din, { memoryBudgetBytes: 16 * 2999, threads: 2 });
    expect(relErr(a1, want)).toBeLessThan(1e-12);
    expect(relErr(b, a1)).toBeLessThan(1e-13);
  });
});
