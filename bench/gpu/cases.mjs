// Small random inputs for every std kernel, in plain JS (the GPU host has node but no tsx), shared by
// the GPU conformance check (bench/gpu/conformance.mjs) and the emulated CUDA tests (test/cuda/).
// Sizes follow the issue: an N×N grid with a circular mask (N ≈ 12–16), K odd ≈ 1000, S = 37, B = 3
// slots per pixel with scattered −1 slots. Values only need to be valid, not physical: the preload
// table and the dirty image are random; F and H are random symmetric positive definite matrices.

/** xorshift32 in [0, 1), as test/helpers/random.ts. @param {number} seed */
export function rng(seed) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

const ARCSEC = Math.PI / (180 * 3600);

/** @param {number} n @param {() => number} r @param {number} [lo] @param {number} [hi] */
const uniform = (n, r, lo = -1, hi = 1) => Float64Array.from({ length: n }, () => lo + (hi - lo) * r());

/** An N×N grid (pixel scale d), pixels within radius N/2 − 1 of the centre, slim order row-major. */
export function maskedGrid(N, d = 0.05 * ARCSEC) {
  const rows = [],
    cols = [];
  for (let r = 0; r < N; r++)
    for (let c = 0; c < N; c++) {
      if (Math.hypot(r - (N - 1) / 2, c - (N - 1) / 2) <= N / 2 - 1) {
        rows.push(r);
        cols.push(c);
      }
    }
  const M = rows.length;
  const nativeIndex = new Int32Array(2 * M),
    grid = new Float64Array(2 * M);
  for (let m = 0; m < M; m++) {
    nativeIndex[2 * m] = rows[m];
    nativeIndex[2 * m + 1] = cols[m];
    grid[2 * m] = ((N - 1) / 2 - rows[m]) * d;
    grid[2 * m + 1] = (cols[m] - (N - 1) / 2) * d;
  }
  return { N, d, M, nativeIndex, grid };
}

/** K visibilities with |u|, |v| ≤ 1/(2d), σ in [0.5, 1.5]. @param {number} K @param {number} d @param {() => number} r */
export function visibilities(K, d, r) {
  const uv = uniform(2 * K, r, -0.5 / d, 0.5 / d);
  const noiseMap = uniform(2 * K, r, 0.5, 1.5);
  const noiseReal = Float64Array.from({ length: K }, (_, k) => noiseMap[2 * k]);
  return { K, uv, noiseMap, noiseReal, visibilities: uniform(2 * K, r) };
}

/** Random symmetric positive definite S×S: X·Xᵀ/S + shift·I. @param {number} S @param {() => number} r */
function spd(S, r, shift = 1) {
  const X = uniform(S * S, r);
  const A = new Float64Array(S * S);
  for (let i = 0; i < S; i++)
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let l = 0; l < S; l++) s += X[i * S + l] * X[j * S + l];
      A[i * S + j] = A[j * S + i] = s / S + (i === j ? shift : 0);
    }
  return A;
}

/**
 * Inputs for every std kernel (by exported name).
 * @param {{ N?: number, K?: number, S?: number, B?: number, P?: number, seed?: number }} [o]
 */
export function stdCases(o = {}) {
  const { N = 14, K = 1001, S = 37, B = 3, P = 4, seed = 7 } = o;
  const r = rng(seed);
  const g = maskedGrid(N);
  const v = visibilities(K, g.d, r);
  const M = g.M;
  const pixIndexes = new Int32Array(M * B),
    pixWeights = new Float64Array(M * B);
  for (let m = 0; m < M; m++)
    for (let b = 0; b < B; b++) {
      const unused = b > 0 && r() < 0.3; // −1 slots, not only trailing ones
      pixIndexes[m * B + b] = unused ? -1 : Math.floor(r() * S);
      pixWeights[m * B + b] = unused ? 0 : r();
    }
  const neighbors = new Int32Array(S * P),
    neighborsSizes = new Int32Array(S);
  for (let s = 0; s < S; s++) {
    neighborsSizes[s] = 1 + Math.floor(r() * P);
    for (let q = 0; q < P; q++)
      neighbors[s * P + q] = q < neighborsSizes[s] ? (s + 1 + Math.floor(r() * (S - 1))) % S : -1;
  }
  const shape = [N, N];
  const preload = uniform(4 * N * N, r);
  const w = { noiseReal: v.noiseReal, uv: v.uv, grid: g.grid };
  return {
    wTilde: w,
    wTildeDirect: w,
    wTildeScan: w,
    wTildePreload: { noiseReal: v.noiseReal, uv: v.uv, shape, pixelScales: new Float64Array([g.d, g.d]) },
    wTildePreloadGemm: { noiseReal: v.noiseReal, uv: v.uv, shape, pixelScales: new Float64Array([g.d, g.d]) },
    wTildePreloadNufft: { noiseReal: v.noiseReal, uv: v.uv, shape, pixelScales: new Float64Array([g.d, g.d]) },
    wTildeFromPreload: { preload, shape, nativeIndex: g.nativeIndex },
    wTildeFromPixels: {
      noiseReal: v.noiseReal,
      uv: v.uv,
      shape,
      pixelScales: new Float64Array([g.d, g.d]),
      nativeIndex: g.nativeIndex,
    },
    curvatureMatrix: { preload, shape, nativeIndex: g.nativeIndex, pixIndexes, pixWeights, sourcePixels: S },
    curvatureMatrixSparse: { preload, shape, nativeIndex: g.nativeIndex, pixIndexes, pixWeights, sourcePixels: S },
    curvatureMatrixFft: { preload, shape, nativeIndex: g.nativeIndex, pixIndexes, pixWeights, sourcePixels: S },
    dirtyImage: { visibilities: v.visibilities, noiseMap: v.noiseMap, uv: v.uv, grid: g.grid },
    dataVector: { dirtyImage: uniform(M, r), pixIndexes, pixWeights, sourcePixels: S },
    regularizationConstant: { coefficient: 1.3, neighbors, neighborsSizes, sourcePixels: S },
    logEvidence: {
      curvature: spd(S, r),
      regularization: spd(S, r, 2),
      dataVector: uniform(S, r),
      visibilities: v.visibilities,
      noiseMap: v.noiseMap,
    },
  };
}

/** Largest |a − b| over the largest |b| (0/0 = 0). @param {ArrayLike<number>} a @param {ArrayLike<number>} b */
export function relErr(a, b) {
  if (a.length !== b.length) return Infinity;
  let num = 0,
    den = 0;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    num = d > num || Number.isNaN(d) ? d : num;
    den = Math.max(den, Math.abs(b[i]));
  }
  return den === 0 ? num : num / den;
}

/**
 * Worst relative error over a kernel's outputs (a typed array, a number, or an object of them).
 * @param {unknown} got @param {unknown} want @returns {{ err: number, worst: string }}
 */
export function compareOutputs(got, want) {
  const asArr = (/** @type {unknown} */ x) => (typeof x === 'number' ? [x] : /** @type {ArrayLike<number>} */ (x));
  if (typeof want === 'number' || ArrayBuffer.isView(want))
    return { err: relErr(asArr(got), asArr(want)), worst: 'result' };
  let err = 0,
    worst = '';
  for (const [name, w] of Object.entries(/** @type {Record<string, unknown>} */ (want))) {
    const g = /** @type {Record<string, unknown>} */ (got)?.[name];
    const e = g === undefined ? Infinity : relErr(asArr(g), asArr(w));
    if (!(e <= err)) {
      err = e;
      worst = name;
    }
  }
  return { err, worst };
}
