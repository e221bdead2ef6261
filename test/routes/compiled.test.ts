// The routed std kernels compiled for every target (js; wgsl on Mesa llvmpipe; cuda on the emulated device): on
// either side of each crossover the module picks the route the cost model says (chooseRouteFor and the result), the
// chosen and the forced other route both agree with an independent reference — the f64 reference interpreter of
// the sparse route for F, direct sums for the preload table — and a route name that is not one is an error naming
// the option.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shutdown } from '../../backends/js/runtime/index.js';
import { interpret } from '../../backends/reference/interpret.ts';
import { curvatureMatrix, curvatureMatrixSparse, wTildePreload } from '../../std/index.ts';
import { skipReason, TARGETS } from '../differential/harness.ts';
import {
  ARCSEC,
  circularMask,
  maskedGrid,
  preloadRef,
  randomMapping,
  randomVisibilities,
} from '../helpers/interferometer.ts';
import { frobErr, rng } from '../helpers/random.ts';
import { buildRouted, type RoutedBuild } from '../helpers/routed.ts';

afterAll(() => shutdown());

/** f64 targets agree to rounding; WGSL computes in f32 (the std kernels' measured bounds are ≤ 1.7e-6). */
const TOL = { js: 1e-12, cuda: 1e-12, wgsl: 2e-5 } as const;
/** The NUFFT's accuracy parameter is relative to P[0, 0] = Σ 1/σ², the table's largest entry. */
const NUFFT_TOL = { js: 1e-11, cuda: 1e-11, wgsl: 2e-5 } as const;

function curvatureCase(N: number, S: number, seed: number) {
  const g = maskedGrid(N, N, 0.05 * ARCSEC, 0.05 * ARCSEC, circularMask(N, N, N / 2));
  const map = randomMapping(g.M, S, 3, seed);
  const r = rng(seed);
  // a symmetric table, as a preload is (P[−a, −b] = P[a, b]), so that F is symmetric like the real one
  const P = new Float64Array(4 * N * N);
  for (let a = 0; a < 2 * N; a++)
    for (let b = 0; b < 2 * N; b++) {
      const a2 = (2 * N - a) % (2 * N),
        b2 = (2 * N - b) % (2 * N);
      if (a * 2 * N + b <= a2 * 2 * N + b2) P[a * 2 * N + b] = P[a2 * 2 * N + b2] = r() - 0.5;
    }
  return {
    preload: P,
    shape: [N, N],
    nativeIndex: g.nativeIndex,
    pixIndexes: map.pixIndexes,
    pixWeights: map.pixWeights,
    sourcePixels: S,
  };
}

function preloadCase(N: number, K: number, seed: number) {
  const d = 0.05 * ARCSEC;
  const v = randomVisibilities(K, d, d, seed);
  return { noiseReal: v.noiseReal, uv: v.uv, shape: [N, N], pixelScales: Float64Array.of(d, d) };
}

/** max |a − b| / |b[0]| (b[0] = P[0, 0], the largest entry of a preload table). */
const relToOrigin = (a: ArrayLike<number>, b: Float64Array) => {
  let w = 0;
  for (let i = 0; i < b.length; i++) w = Math.max(w, Math.abs(a[i]! - b[i]!));
  return w / Math.abs(b[0]!);
};

for (const target of TARGETS) {
  const skip = await skipReason(target);
  describe.skipIf(!!skip)(`routed std kernels on ${target}${skip ? ` (skipped: ${skip})` : ''}`, () => {
    let curv: RoutedBuild, pre: RoutedBuild;
    beforeAll(async () => {
      curv = await buildRouted(curvatureMatrix, target);
      pre = await buildRouted(wTildePreload, target);
    }, 300_000);

    // Small grid, many source pixels: M²·B table reads beat S FFTs of the 2N × 2N grid; a large grid and two
    // source pixels: the other way round (bench/RESULTS.md has the measured crossovers).
    it.each([
      ['sparse', 8, 128],
      // N = 48: on the GPU targets the columns' placement on the grid is a one-task scatter (serial work in the
      // estimate), which moves their crossover above N = 32
      ['fft', 48, 2],
    ])('curvatureMatrix picks %s at N = %i, S = %i; both routes match the interpreter', async (want, N, S) => {
      const inputs = curvatureCase(N, S, N + S);
      const choice = curv.chooseRouteFor(inputs);
      expect(choice.route).toBe(want);
      expect(choice.seconds[want]).toBeLessThan(choice.seconds[want === 'sparse' ? 'fft' : 'sparse']!);
      const ref = interpret(curvatureMatrixSparse.graph(), inputs) as Float64Array;
      const got = await curv.run(inputs);
      expect(frobErr(got, ref)).toBeLessThanOrEqual(TOL[target]);
      const other = await curv.run(inputs, { route: want === 'sparse' ? 'fft' : 'sparse' });
      expect(frobErr(other, ref)).toBeLessThanOrEqual(TOL[target]);
      expect(curv.chooseRouteFor(inputs, { route: 'fft' })).toMatchObject({ route: 'fft', forced: true });
    });

    // At N = 16, K = 20 000 the NUFFT is the cheaper route on JS (its spreading split by owner computes), but on the
    // GPU targets that spreading is a one-task scatter, charged as serial work: there the GEMM stays the choice.
    const manyVisibilities = target === 'js' ? 'nufft' : 'gemm';
    it.each([
      ['gemm', 8, 2],
      [manyVisibilities, 16, 20000],
    ])('wTildePreload picks %s at N = %i, K = %i; both routes match direct sums', async (want, N, K) => {
      const inputs = preloadCase(N, K, K);
      expect(pre.chooseRouteFor(inputs).route).toBe(want);
      const ref = preloadRef(inputs.noiseReal, inputs.uv, N, N, inputs.pixelScales[0]!, inputs.pixelScales[1]!);
      const tol = (route: string) => (route === 'nufft' ? NUFFT_TOL[target] : TOL[target]);
      expect(relToOrigin(await pre.run(inputs), ref)).toBeLessThanOrEqual(tol(want));
      const otherRoute = want === 'gemm' ? 'nufft' : 'gemm';
      expect(relToOrigin(await pre.run(inputs, { route: otherRoute }), ref)).toBeLessThanOrEqual(tol(otherRoute));
    });

    it('an unknown route is an error naming the option and the routes; other options reach the route', async () => {
      const inputs = curvatureCase(8, 4, 1);
      await expect(curv.run(inputs, { route: 'dense' })).rejects.toThrow(
        "curvatureMatrix: options.route must be one of 'sparse', 'fft', got 'dense'",
      );
      await expect(curv.run(inputs, { route: 'sparse', threadz: 2 })).rejects.toThrow(/unknown option 'threadz'/);
    });

    it("input errors name the routed kernel, the chosen route's declared ranges included", async () => {
      const inputs = curvatureCase(8, 4, 2);
      await expect(curv.run({ ...inputs, pixWeights: inputs.pixWeights.subarray(1) })).rejects.toThrow(
        /^curvatureMatrix: input 'pixWeights'/,
      );
      const bad = Int32Array.from(inputs.pixIndexes);
      bad[0] = 4;
      await expect(curv.run({ ...inputs, pixIndexes: bad }, { route: 'sparse' })).rejects.toThrow(
        "curvatureMatrix: input 'pixIndexes'[0, 0] = 4 is outside its declared range -1 ≤ value < S (S = 4 from 'sourcePixels')",
      );
    });

    it('the manifest states every route, its work formula and its precision; the doc each accuracy', () => {
      expect(curv.manifest.routes.map((r) => [r.name, r.kernel])).toEqual([
        ['sparse', 'curvatureMatrixSparse'],
        ['fft', 'curvatureMatrixFft'],
      ]);
      expect(curv.manifest.routes[0]!.costText).toMatch(/B\*M\*M/);
      expect(pre.manifest.routes.map((r) => r.name)).toEqual(['gemm', 'nufft']);
      expect(pre.manifest.doc).toMatch(/nufft \(wTildePreloadNufft: .*accuracy parameter ε = 1e-12/);
      expect(pre.manifest.costModel.source).toBeTruthy();
    });
  });
}
