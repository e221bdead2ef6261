// Inputs as users hold them, on every target (js; wgsl on the adapter the runtime finds; cuda on the emulated
// device) and on the reference interpreter: an (M, N) input passed as { data, shape } binds M and N (no sizes
// parameter needed) and is checked against its declared shape; small vectors as plain number arrays; a `sizes`
// input the arrays determine may be left out. Expected values are written out as loops here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shutdown } from '../../backends/js/runtime/index.js';
import { runReference } from '../../backends/reference/index.ts';
import type { Target } from '../../compiler/compile.ts';
import { kernel, f64, i32, sizes, sum, mul, add, cast, zeros } from '../../dsl/index.ts';
import { TARGETS, TOLERANCE, compileAll, mismatch, skipReason, type Run } from './harness.ts';

afterAll(() => shutdown());

// (M, N) → row sums weighted by a length-N vector: out[m] = Σ_n x[m,n]·w[n].
const weightedRows = kernel({
  name: 'weightedRows',
  params: { x: f64(['M', 'N']), w: f64(['N']) },
  body: ({ x, w }) => sum(mul(x, w.reshape([1, 'N'])), 'N'),
});
// Only the (M, N) input: a flat array cannot say M and N; { data, shape } can.
const rowSums = kernel({ name: 'rowSums', params: { x: f64(['M', 'N']) }, body: ({ x }) => sum(x, 'N') });
// counts (S) and a sizes parameter binding S that the length of counts already determines.
const doubledCounts = kernel({
  name: 'doubledCounts',
  params: { counts: i32(['S']), sourcePixels: sizes('S') },
  body: ({ counts }) => mul(2, cast(counts, 'f64')),
});
// S appears in no input: the sizes parameter is required.
const zerosOfS = kernel({
  name: 'zerosOfS',
  params: { x: f64(['M']), sourcePixels: sizes('S') },
  body: ({ x }) => add(zeros(['S']), sum(x)),
});
// (2*Ny, Nx): an axis declared c·symbol binds the symbol from the carried shape.
const doubledAxis = kernel({ name: 'doubledAxis', params: { t: f64(['2*Ny', 'Nx']) }, body: ({ t }) => sum(t, 1) });
const KERNELS = [weightedRows, rowSums, doubledCounts, zerosOfS, doubledAxis];

const M = 3,
  N = 5;
const xData = Array.from({ length: M * N }, (_, i) => ((i * 7) % 11) / 4 - 1); // f32-exact
const w = [0.5, -1.25, 2, 0.75, -0.5];
const expectedRows = Array.from({ length: M }, (_, m) => w.reduce((s, wn, n) => s + xData[m * N + n]! * wn, 0));

const skips = new Map<Target, string | undefined>();
for (const t of TARGETS) skips.set(t, await skipReason(t));

type Runner = (k: string, inputs: Record<string, unknown>) => Promise<unknown>;

function cases(runner: () => Runner, tol: number) {
  const close = (got: unknown, want: readonly number[]) => {
    const m = mismatch(got as ArrayLike<number>, Float64Array.from(want), 'f64', { rel: tol });
    expect(m).toBeUndefined();
  };
  it('an (M, N) input as { data, shape } binds M and N; w as a number array', async () => {
    close(await runner()('weightedRows', { x: { data: Float64Array.from(xData), shape: [M, N] }, w }), expectedRows);
    close(await runner()('weightedRows', { x: { data: xData, shape: [M, N] }, w: Float64Array.from(w) }), expectedRows);
  });
  it('a carried shape that contradicts the declared one is an error naming the input and the axis', async () => {
    await expect(runner()('weightedRows', { x: { data: Float64Array.from(xData), shape: [N, M] }, w })).rejects.toThrow(
      /input 'x' has shape \[5, 3\], but axis 1 is declared N = 5 \(N=5 from the length of 'w'\)|input 'w' must have length 3/,
    );
    await expect(
      runner()('weightedRows', { x: { data: Float64Array.from(xData), shape: [M * N] }, w }),
    ).rejects.toThrow(/input 'x' has shape \[15\] \(rank 1\); it is declared \(M, N\) \(rank 2\)/);
    await expect(
      runner()('weightedRows', { x: { data: Float64Array.from(xData), shape: [M, N + 1] }, w }),
    ).rejects.toThrow(/input 'x' has 15 elements but its shape \[3, 6\] says 18/);
  });
  it('an (M, N) input alone: flat it cannot say M and N, with its shape it can', async () => {
    await expect(runner()('rowSums', { x: Float64Array.from(xData) })).rejects.toThrow(
      /cannot determine M, N from input 'x' of shape \(M, N\) \(.*pass it as \{ data, shape \}/,
    );
    const want = Array.from({ length: M }, (_, m) => xData.slice(m * N, (m + 1) * N).reduce((a, b) => a + b, 0));
    close(await runner()('rowSums', { x: { data: xData, shape: [M, N] } }), want);
    close(
      await runner()('rowSums', { x: { data: xData, shape: [N, M] } }),
      Array.from({ length: N }, (_, r) => xData.slice(r * M, (r + 1) * M).reduce((a, b) => a + b, 0)),
    );
  });
  it('number arrays for an i32 input must hold 32-bit integers', async () => {
    await expect(runner()('doubledCounts', { counts: [1, 2.5] })).rejects.toThrow(
      /input 'counts'\[1\] must be a 32-bit integer \(i32\), got 2\.5/,
    );
  });
  it('a sizes input the arrays determine may be left out, and is checked when given', async () => {
    close(await runner()('doubledCounts', { counts: [3, -1, 7, 0] }), [6, -2, 14, 0]);
    close(await runner()('doubledCounts', { counts: Int32Array.of(3, -1, 7, 0), sourcePixels: 4 }), [6, -2, 14, 0]);
    await expect(runner()('doubledCounts', { counts: [3, -1, 7, 0], sourcePixels: 5 })).rejects.toThrow(
      /input 'counts' must have length 5/,
    );
  });
  it('a sizes input nothing else determines is still required', async () => {
    await expect(runner()('zerosOfS', { x: [1, 2] })).rejects.toThrow(
      /missing input 'sourcePixels' \(S is not determined by the other inputs\)/,
    );
    close(await runner()('zerosOfS', { x: [1, 2], sourcePixels: 3 }), [3, 3, 3]);
  });
  it('an axis declared 2*Ny binds Ny = half of it', async () => {
    const t = { data: Array.from({ length: 4 * 3 }, (_, i) => i), shape: [4, 3] };
    close(await runner()('doubledAxis', { t }), [3, 12, 21, 30]);
    await expect(
      runner()('doubledAxis', { t: { data: Array.from({ length: 9 }, (_, i) => i), shape: [3, 3] } }),
    ).rejects.toThrow(/doubledAxis: input 't'/);
  });
}

describe('inputs on the reference interpreter', () => {
  const byName = new Map(KERNELS.map((k) => [k.name, k]));
  cases(() => async (k, inputs) => runReference(byName.get(k)!, inputs), 1e-14);
});

describe.each(TARGETS)('inputs compiled for %s', (target) => {
  const skip = skips.get(target);
  let runs: Map<string, Run>;
  beforeAll(async () => {
    if (!skip) runs = await compileAll(target, KERNELS);
  }, 300_000);
  describe.skipIf(!!skip)(skip ? `(skipped: ${skip})` : 'runs', () => {
    cases(() => (k, inputs) => runs.get(k)!(inputs), TOLERANCE[target].rel);
  });
});

describe('the std kernels take inputs as users hold them', () => {
  it('wTildePreload takes pixelScales as [0.05, 0.05]: the same bits as a Float64Array', async () => {
    const { wTildePreload } = await import('../../kernels/js/w_tilde_preload.js');
    const K = 7;
    const noiseReal = Float64Array.from({ length: K }, (_, k) => 1 + k / 7);
    const uv = Float64Array.from({ length: 2 * K }, (_, i) => 40 * Math.sin(i + 0.3));
    const a = await wTildePreload({ noiseReal, uv, shape: [3, 4], pixelScales: [0.05, 0.05] });
    const b = await wTildePreload({
      noiseReal,
      uv,
      shape: Int32Array.of(3, 4),
      pixelScales: Float64Array.of(0.05, 0.05),
    });
    expect(a.length).toBe(2 * 3 * 2 * 4);
    expect(Array.from(a)).toEqual(Array.from(b));
  });
  it('regularizationConstant without sourcePixels: S from neighborsSizes; H written out as loops', async () => {
    const { regularizationConstant } = await import('../../kernels/js/regularization_constant.js');
    // A path of 4 source pixels, P = 2 neighbour slots padded with -1.
    const neighbors = [1, -1, 0, 2, 1, 3, 2, -1],
      neighborsSizes = [1, 2, 2, 1],
      c = 1.5;
    const H = await regularizationConstant({ coefficient: c, neighbors, neighborsSizes });
    // H_ii = 1e-8 + c²·n_i, H_ij = −c² per listed neighbour (std/regularization.ts), written out:
    const want = new Float64Array(16);
    for (let i = 0; i < 4; i++) {
      want[i * 4 + i] = 1e-8 + c * c * neighborsSizes[i]!;
      for (let p = 0; p < neighborsSizes[i]!; p++) want[i * 4 + neighbors[i * 2 + p]!]! -= c * c;
    }
    expect(Array.from(H)).toEqual(Array.from(want));
    const H4 = await regularizationConstant({
      coefficient: c,
      neighbors: Int32Array.from(neighbors),
      neighborsSizes: Int32Array.from(neighborsSizes),
      sourcePixels: 4,
    });
    expect(H.length).toBe(16);
    expect(Array.from(H)).toEqual(Array.from(H4));
  });
});
