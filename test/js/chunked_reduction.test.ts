// A sum over K chunked by the planner: the dirty image's per-visibility weights are hoisted into
// K-sized temporaries, which the budget then splits into chunks whose partial sums accumulate.
import { afterAll, describe, expect, it } from 'vitest';
import { shutdown } from '../../backends/js/runtime/index.js';
import { planKernel } from '../../compiler/compile.ts';
import { dirtyImage as dirtyKernel } from '../../std/dirty_image.ts';
import { dirtyImage } from '../../kernels/js/dirty_image.js';
import { ARCSEC, circularMask, dirtyImageRef, maskedGrid, randomVisibilities } from '../helpers/interferometer.ts';
import { relErr } from '../helpers/random.ts';

afterAll(() => shutdown());

describe('dirty image with K chunked by the budget', () => {
  it('plans hoisted K-temporaries inside a chunk loop whose sum accumulates', () => {
    const { program } = planKernel(dirtyKernel, 'js');
    const chunk = program.stages.find((s) => s.kind === 'chunk');
    expect(chunk?.kind === 'chunk' && chunk.symbol).toBe('K');
    if (chunk?.kind !== 'chunk') return;
    const reduce = chunk.body.find((s) => s.kind === 'map' && s.reduce);
    expect(reduce?.kind === 'map' && reduce.outputs.every((o) => o.accumulate)).toBe(true);
  });

  it.each([
    [1001, 7],
    [1001, 1000],
    [257, 1],
  ])('matches the brute-force loop with K = %i in chunks of %i', async (K, chunk) => {
    const g = maskedGrid(12, 12, 0.05 * ARCSEC, 0.05 * ARCSEC, circularMask(12, 12, 5.5));
    const v = randomVisibilities(K, g.dy, g.dx, K + chunk);
    const want = dirtyImageRef(v, g.grid);
    // Two K-sized f64 temporaries: 16 bytes per visibility.
    const got = await dirtyImage(
      { visibilities: v.visibilities, noiseMap: v.noiseMap, uv: v.uv, grid: g.grid },
      { memoryBudgetBytes: 16 * chunk, threads: 2 },
    );
    expect(relErr(got, want)).toBeLessThan(1e-12);
  });
});
