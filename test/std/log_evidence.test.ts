// logEvidence on the JS backend (committed kernels/js module): every output against a brute-force
// Cholesky reference; the whole chain (preload → curvatureMatrix, dirtyImage → dataVector,
// regularizationConstant → logEvidence) whose χ² must equal the explicit residual χ² of the
// reconstruction through the forward DFT vis_k = Σ_i f_i·exp(−2πiφ_ik) (the sign that makes D the
// dirty image; σ_re = σ_im so that F = Tᵀ W̃ T is ½∂²χ²); not-positive-definite and length errors.
import { afterAll, describe, expect, it } from 'vitest';
import { shutdown } from '../../backends/js/runtime/index.js';
import { curvatureMatrix } from '../../kernels/js/curvature_matrix.js';
import { dataVector } from '../../kernels/js/data_vector.js';
import { dirtyImage } from '../../kernels/js/dirty_image.js';
import { logEvidence } from '../../kernels/js/log_evidence.js';
import { regularizationConstant } from '../../kernels/js/regularization_constant.js';
import { wTildePreload } from '../../kernels/js/w_tilde_preload.js';
import { relErr } from '../helpers/random.ts';
import {
  ARCSEC,
  circularMask,
  curvatureRef,
  exactLogDet,
  dataVectorRef,
  dirtyImageRef,
  forwardDftRef,
  irregularMask,
  logEvidenceRef,
  mappingMatrixRef,
  maskedGrid,
  matVec,
  randomMapping,
  randomNeighbours,
  randomVisibilities,
  regularizationRef,
  residualChiSquaredRef,
  wTildeRef,
  type EvidenceTerms,
  type MaskedGrid,
} from '../helpers/interferometer.ts';

afterAll(() => shutdown());

const d = 0.05 * ARCSEC;
const SCALARS = [
  'logEvidence',
  'chiSquared',
  'regularizationTerm',
  'logDetCurvatureReg',
  'logDetRegularization',
  'noiseNormalization',
] as const;

/** F, H, D and the visibilities from the brute-force references (no kernel involved). */
function referenceTerms(
  g: MaskedGrid,
  K: number,
  S: number,
  B: number,
  coefficient: number,
  seed: number,
  equalSigma: boolean,
) {
  const v = randomVisibilities(K, g.dy, g.dx, seed, equalSigma);
  const map = randomMapping(g.M, S, B, seed + 1);
  const nb = randomNeighbours(S, 6, seed + 2);
  const T = mappingMatrixRef(map, g.M);
  const F = curvatureRef(wTildeRef(v.noiseReal, v.uv, g.grid), T, g.M, S);
  const D = dataVectorRef(T, dirtyImageRef(v, g.grid), S);
  const H = regularizationRef(coefficient, nb);
  return { v, map, nb, T, F, D, H };
}

/**
 * Every output against the f64 reference to 1e-10 relative, except the log-determinants, which are
 * checked against their exact values: H = c²·(graph Laplacian) + 1e-8·I is nearly singular
 * (condition ~c²·2P/1e-8 ≈ 1e9–1e10), so any f64 Cholesky (the reference's included, which is off
 * by up to ~3e-9) gets ln det H to ~1e-9 relative only; that error is carried into ln ε.
 */
function expectTerms(got: EvidenceTerms, want: EvidenceTerms, F: Float64Array, H: Float64Array) {
  const S = want.reconstruction.length;
  const FH = F.map((f, n) => f + H[n]!);
  const detH = exactLogDet(H, S),
    detFH = exactLogDet(FH, S);
  const tolH = 1e-8 * Math.abs(detH),
    tolFH = 1e-10 * Math.abs(detFH);
  for (const k of SCALARS) expect(typeof got[k], k).toBe('number');
  expect(Math.abs(got.logDetRegularization - detH), 'logDetRegularization').toBeLessThan(tolH);
  expect(Math.abs(got.logDetCurvatureReg - detFH), 'logDetCurvatureReg').toBeLessThan(tolFH);
  const exactEvidence =
    want.logEvidence + 0.5 * (want.logDetCurvatureReg - detFH) - 0.5 * (want.logDetRegularization - detH);
  expect(Math.abs(got.logEvidence - exactEvidence), 'logEvidence').toBeLessThan(
    1e-10 * Math.abs(exactEvidence) + 0.5 * (tolH + tolFH),
  );
  for (const k of ['chiSquared', 'regularizationTerm', 'noiseNormalization'] as const) {
    expect(Math.abs(got[k] - want[k]) / Math.abs(want[k]), k).toBeLessThan(1e-10);
  }
  expect(relErr(got.reconstruction, want.reconstruction), 'reconstruction').toBeLessThan(1e-10);
}

describe('logEvidence vs brute force', () => {
  it.each([
    [
      '12×12 circular, K = 1001, S = 37, B = 3, σ_re ≠ σ_im',
      maskedGrid(12, 12, d, d, circularMask(12, 12, 5)),
      1001,
      37,
      3,
      1.5,
      1,
    ],
    [
      '11×13 irregular, K = 257, S = 37, B = 1',
      maskedGrid(11, 13, d, 1.4 * d, irregularMask(11, 13, 0.6, 2)),
      257,
      37,
      1,
      4,
      11,
    ],
    ['12×12 circular, K = 1001, S = 9, B = 4', maskedGrid(12, 12, d, d, circularMask(12, 12, 4)), 1001, 9, 4, 0.5, 21],
  ] as const)('%s', async (_label, g, K, S, B, coefficient, seed) => {
    const { v, F, D, H } = referenceTerms(g, K, S, B, coefficient, seed, false);
    const want = logEvidenceRef(F, H, D, v);
    const got = await logEvidence({
      curvature: F,
      regularization: H,
      dataVector: D,
      visibilities: v.visibilities,
      noiseMap: v.noiseMap,
    });
    expect(got.reconstruction).toHaveLength(S);
    expectTerms(got, want, F, H);
  });
});

describe('the whole chain on kernels', () => {
  it('χ² from the kernel formula equals the explicit residual χ² of the reconstruction', async () => {
    const g = maskedGrid(12, 12, d, d, circularMask(12, 12, 5.5));
    const S = 37,
      coefficient = 2;
    const { v, map, nb, T, F: Fref, D: Dref, H: Href } = referenceTerms(g, 1001, S, 3, coefficient, 31, true);
    const preload = await wTildePreload({
      noiseReal: v.noiseReal,
      uv: v.uv,
      shape: [g.Ny, g.Nx],
      pixelScales: Float64Array.of(g.dy, g.dx),
    });
    const mapping = { pixIndexes: map.pixIndexes, pixWeights: map.pixWeights, sourcePixels: S };
    const F = await curvatureMatrix({ preload, shape: [g.Ny, g.Nx], nativeIndex: g.nativeIndex, ...mapping });
    const dirty = await dirtyImage({ visibilities: v.visibilities, noiseMap: v.noiseMap, uv: v.uv, grid: g.grid });
    const D = await dataVector({ dirtyImage: dirty, ...mapping });
    const H = await regularizationConstant({
      coefficient,
      neighbors: nb.neighbors,
      neighborsSizes: nb.neighborsSizes,
      sourcePixels: S,
    });
    expect(relErr(F, Fref)).toBeLessThan(1e-10);
    expect(relErr(D, Dref)).toBeLessThan(1e-10);
    expect(relErr(H, Href)).toBeLessThan(1e-14);
    const ev = await logEvidence({
      curvature: F,
      regularization: H,
      dataVector: D,
      visibilities: v.visibilities,
      noiseMap: v.noiseMap,
    });
    expectTerms(ev, logEvidenceRef(Fref, Href, Dref, v), Fref, Href);

    const model = forwardDftRef(matVec(T, ev.reconstruction, g.M), g.grid, v.uv);
    const explicit = residualChiSquaredRef(v, model);
    expect(Math.abs(ev.chiSquared - explicit) / explicit).toBeLessThan(1e-12); // achieved 1.3e-15
    // The test has teeth: the opposite sign convention, exp(+2πiφ), gives a visibly different χ².
    const flipped = residualChiSquaredRef(
      v,
      model.map((x, n) => (n % 2 === 1 ? -x : x)),
    );
    expect(Math.abs(flipped - explicit) / explicit).toBeGreaterThan(1e-2);
    // The reconstruction fits something: χ² is well below the data term Σ|V|²/σ².
    expect(explicit).toBeLessThan(residualChiSquaredRef(v, new Float64Array(2 * v.K)));
  });
});

describe('logEvidence errors', () => {
  const S = 7,
    K = 3;
  const eye = (s: number) => {
    const a = new Float64Array(S * S);
    for (let i = 0; i < S; i++) a[i * S + i] = s;
    return a;
  };
  const base = {
    dataVector: new Float64Array(S).fill(1),
    visibilities: new Float64Array(2 * K).fill(0.5),
    noiseMap: new Float64Array(2 * K).fill(1),
  };

  it('rejects an indefinite curvature + regularization with a clear message, never NaN', async () => {
    await expect(logEvidence({ ...base, curvature: eye(-1), regularization: eye(1e-8) })).rejects.toThrow(
      /not positive definite/,
    );
  });
  it('rejects an indefinite regularization', async () => {
    await expect(logEvidence({ ...base, curvature: eye(3), regularization: eye(-1) })).rejects.toThrow(
      /not positive definite/,
    );
  });
  it('names the input with the wrong length', async () => {
    const ok = { ...base, curvature: eye(1), regularization: eye(1) };
    await expect(logEvidence({ ...ok, regularization: eye(1).subarray(1) })).rejects.toThrow(
      /input 'regularization' must have length/,
    );
    await expect(logEvidence({ ...ok, noiseMap: new Float64Array(2 * K + 2) })).rejects.toThrow(
      /input '(noiseMap|visibilities)'/,
    );
    await expect(logEvidence({ ...ok, dataVector: new Float64Array(S + 1) })).rejects.toThrow(
      /input '(dataVector|curvature)'/,
    );
  });
});
