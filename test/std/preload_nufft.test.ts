// wTildePreloadNufft (the preload table by a type-1 NUFFT) against the GEMM route (the committed wTildePreloadGemm
// kernel) and the direct double sum, compiled for JS: square and rectangular grids, d_y ≠ d_x, K = 1 and
// K = 4001, uv spread over several periods of the grid (aliasing, wrap-around); relative to P[0, 0] = Σ 1/σ²,
// ≤ 1e-11; the K axis chunked under a small budget with the same result; the interpreter on a small case; the
// spreading scatter split by owner computes, bitwise the same for any thread count.
import { afterAll, describe, expect, it } from 'vitest';
import { shutdown } from '../../backends/js/runtime/index.js';
import { interpret } from '../../backends/reference/interpret.ts';
import { planKernel } from '../../compiler/compile.ts';
import { NUFFT_EPSILON, wTildePreloadNufft as nufftKernel } from '../../std/preload_nufft.ts';
import { wTildePreloadGemm } from '../../kernels/js/w_tilde_preload_gemm.js';
import { buildAndImport } from '../helpers/build.ts';
import { rng } from '../helpers/random.ts';
import { ARCSEC, preloadRef } from '../helpers/interferometer.ts';

afterAll(() => shutdown());

const d = 0.05 * ARCSEC;
/** K visibilities with |u|, |v| up to `periods` half-periods of the pixel grid (1/(2d) is one). */
function visibilities(K: number, seed: number, periods: number) {
  const r = rng(seed);
  const uv = new Float64Array(2 * K),
    noiseReal = new Float64Array(K);
  for (let k = 0; k < 2 * K; k++) uv[k] = (periods * (r() - 0.5)) / d;
  for (let k = 0; k < K; k++) noiseReal[k] = 0.5 + r();
  return { uv, noiseReal };
}
/** Largest |a − b| over |b[0]| (the table's P[0, 0] = Σ 1/σ², its largest entry). */
const errVsOrigin = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let worst = 0;
  for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst / Math.abs(b[0]!);
};

const CASES: [string, number, number, number, number, number][] = [
  // label, Ny, Nx, K, dx/dy, uv periods
  ['12×12, K = 4001', 12, 12, 4001, 1, 1],
  ['11×13, d_x = 1.4·d_y, K = 1001, uv over 3 periods', 11, 13, 1001, 1.4, 3],
  ['16×8, K = 1', 16, 8, 1, 1, 1],
];

describe('wTildePreloadNufft (JS)', () => {
  it.each(CASES)(
    'equals the GEMM route and the direct sum to 1e-11 of P[0, 0]: %s',
    async (_l, Ny, Nx, K, ratio, periods) => {
      const { run } = await buildAndImport(nufftKernel);
      const v = visibilities(K, Ny * 100 + K, periods);
      const inputs = { noiseReal: v.noiseReal, uv: v.uv, shape: [Ny, Nx], pixelScales: Float64Array.of(d, ratio * d) };
      const got = await run(inputs, { threads: 2 });
      const gemm = await wTildePreloadGemm(inputs, { threads: 2 });
      const direct = preloadRef(v.noiseReal, v.uv, Ny, Nx, d, ratio * d);
      expect(got).toHaveLength(4 * Ny * Nx);
      const e1 = errVsOrigin(got, gemm),
        e2 = errVsOrigin(got, direct);
      console.log(`[nufft] ${_l}: vs GEMM ${e1.toExponential(2)}, vs direct ${e2.toExponential(2)}`);
      expect(e1).toBeLessThan(1e-11);
      expect(e2).toBeLessThan(1e-11);
      expect(NUFFT_EPSILON).toBe(1e-12);
    },
  );

  it('chunks K (the kernel values per point) into a loop whose scatter accumulates; the FFT runs once, after it', () => {
    const { program } = planKernel(nufftKernel, 'js');
    const chunk = program.stages.find((s) => s.kind === 'chunk');
    expect(chunk?.kind === 'chunk' && chunk.symbol).toBe('K');
    if (chunk?.kind !== 'chunk') return;
    // the kernel values per axis (one map, or two before sibling maps merge), then the spreading scatter
    const kinds = chunk.body.map((s) => s.kind);
    expect(kinds.at(-1)).toBe('scatter');
    expect(kinds.slice(0, -1).length).toBeGreaterThanOrEqual(1);
    expect(kinds.slice(0, -1).every((k) => k === 'map')).toBe(true);
    const at = program.stages.indexOf(chunk);
    expect(program.stages.findIndex((s) => s.kind === 'fft')).toBeGreaterThan(at);
  });

  it('spreads in parallel by owner computes over the grid rows: bitwise the same table for 1, 2 and 3 threads', async () => {
    const { run, manifest } = await buildAndImport(nufftKernel);
    expect(manifest.plan.stages.some((l: string) => /scatter .*\(owner computes\)/.test(l))).toBe(true);
    const v = visibilities(20011, 3, 2);
    const inputs = { noiseReal: v.noiseReal, uv: v.uv, shape: [13, 11], pixelScales: Float64Array.of(d, d) };
    const [one, two, three] = [
      await run(inputs, { threads: 1 }),
      await run(inputs, { threads: 2 }),
      await run(inputs, { threads: 3 }),
    ];
    const same = (a: Float64Array, b: Float64Array) => a.every((x, i) => Object.is(x, b[i]));
    expect(same(one, two)).toBe(true);
    expect(same(one, three)).toBe(true);
  });

  it('gives the same table with K in many chunks (small budget) and matches the reference interpreter', async () => {
    const { run } = await buildAndImport(nufftKernel);
    const v = visibilities(301, 7, 2);
    const inputs = { noiseReal: v.noiseReal, uv: v.uv, shape: [6, 5], pixelScales: Float64Array.of(d, d) };
    const whole = await run(inputs);
    const messages: string[] = [];
    // The peak is the FFT's input and output (24×20 complex f64 each), after the loop; during the loop only the
    // 24×20 f64 grid is live, so the rest of the budget, (2·7680 − 3840) bytes, holds ~51 visibilities of
    // 2·14 f64 kernel values: 301 visibilities take ~6 chunks.
    const budget = 2 * 24 * 20 * 2 * 8 + 2 * 224 * 8 + 2 * 12 * 8;
    const chunked = await run(inputs, {
      memoryBudgetBytes: budget,
      onProgress: (_f: number, m: string) => messages.push(m),
    });
    expect(messages.filter((m) => m.startsWith('K chunk')).length).toBeGreaterThanOrEqual(4);
    expect(errVsOrigin(chunked, whole)).toBeLessThan(1e-15);
    expect(errVsOrigin(whole, interpret(nufftKernel.graph(), inputs) as Float64Array)).toBeLessThan(1e-14);
  });
});
