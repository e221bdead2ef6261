// The WGSL renderer splits a stage's outer sequential loop into windows short enough for llvmpipe's loop
// limit (65535 iterations per invocation, NOTES.md), from its own count of what one step costs. A scatter
// that spreads each of K points onto a 14 × 14 footprint (the NUFFT's spreading) runs a nested loop per step;
// when the count was one short per step, a full window lost the tail of its last point (K = 289 dropped 56 of
// its 196 terms). Here: K around and across full windows, in df64 (so a lost term is far above rounding),
// against the reference interpreter.
import { afterAll, describe, expect, it } from 'vitest';
import { shutdown } from '../../backends/js/runtime/index.js';
import { interpret } from '../../backends/reference/interpret.ts';
import { f64, i32, iota, kernel, mod, mul, scatterAdd, size, sizes } from '../../dsl/index.ts';
import { buildAndImport } from '../helpers/build.ts';
import { frobErr, rng } from '../helpers/random.ts';
import { skipWgsl } from '../wgsl-runtime/gpu-setup.ts';

afterAll(() => shutdown());

const W = 14;
const spread = kernel({
  name: 'spreadFootprint',
  params: { rows: i32(['K']), cols: i32(['K']), w: f64(['K']), shape: sizes(['Ny', 'Nx']) },
  body: ({ rows, cols, w }) => {
    const r = mod(rows.reshape(['K', 1]).add(iota(['K', W], 1)), size('Ny').reshape([1, 1]));
    const c = mod(cols.reshape(['K', 1]).add(iota(['K', W], 1)), size('Nx').reshape([1, 1]));
    const fr = iota(['K', W], 1, 'f64').add(1).reshape(['K', W, 1]);
    const fc = iota(['K', W], 1, 'f64').mul(0.5).add(1).reshape(['K', 1, W]);
    const values = mul(mul(w.reshape(['K', 1, 1]), fr), fc);
    return scatterAdd(['Ny', 'Nx'], [r.reshape(['K', W, 1]), c.reshape(['K', 1, W])], values);
  },
});

describe.skipIf(skipWgsl)('windows of a scatter with a nested loop per step (llvmpipe loop limit)', () => {
  it.each([1, 270, 271, 272, 288, 289, 290, 541, 542, 2048])('K = %i: every term lands', async (K) => {
    const { run } = await buildAndImport({ ...spread, precision: 'df64' }, 'wgsl');
    const g = rng(K);
    const inputs = {
      rows: Int32Array.from({ length: K }, () => Math.floor(48 * g())),
      cols: Int32Array.from({ length: K }, () => Math.floor(48 * g())),
      w: Float64Array.from({ length: K }, () => Math.fround(0.5 + g())),
      shape: [48, 48],
    };
    const want = interpret(spread.graph(), inputs) as Float64Array;
    expect(frobErr(await run(inputs), want)).toBeLessThan(1e-14);
  });
});
