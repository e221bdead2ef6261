// Interferometer test cases and brute-force references for the std/ kernels, in PyAutoArray's
// conventions, written independently of lensc as plain f64 loops (no DSL, no runtime).
//   grid: (y, x) per slim pixel, y = ((Ny−1)/2 − row)·dy, x = (col − (Nx−1)/2)·dx, slim = row-major
//   uv: (u, v) per visibility, u pairs with x and v with y; noiseMap and visibilities: (re, im).
//   The forward DFT that matches the dirty image is vis_k = Σ_i f_i·exp(−2πi·φ_ik), φ_ik = x_i u_k + y_i v_k.
import { rng } from './random.ts';

/** One arcsecond in radians. */
export const ARCSEC = Math.PI / (180 * 3600);
const TWO_PI = 2 * Math.PI;

// ---------------------------------------------------------------- image grids and masks

export interface MaskedGrid {
  Ny: number;
  Nx: number;
  dy: number;
  dx: number;
  M: number;
  nativeIndex: Int32Array;
  grid: Float64Array;
}

/** A mask is a row-major boolean per native pixel: true = unmasked (kept). */
export type Mask = boolean[];

export const fullMask = (Ny: number, Nx: number): Mask => Array(Ny * Nx).fill(true);

/** Pixels within `radius` pixels of the grid centre. */
export function circularMask(Ny: number, Nx: number, radius: number): Mask {
  const m: Mask = [];
  for (let r = 0; r < Ny; r++)
    for (let c = 0; c < Nx; c++) m.push(Math.hypot(r - (Ny - 1) / 2, c - (Nx - 1) / 2) <= radius);
  return m;
}

/** A random subset keeping about `keep` of the pixels (at least one). */
export function irregularMask(Ny: number, Nx: number, keep: number, seed: number): Mask {
  const r = rng(seed);
  const m = Array.from({ length: Ny * Nx }, () => r() < keep);
  if (!m.some(Boolean)) m[0] = true;
  return m;
}

export function maskedGrid(Ny: number, Nx: number, dy: number, dx: number, mask: Mask): MaskedGrid {
  const rows: number[] = [],
    cols: number[] = [];
  for (let r = 0; r < Ny; r++)
    for (let c = 0; c < Nx; c++)
      if (mask[r * Nx + c]) {
        rows.push(r);
        cols.push(c);
      }
  const M = rows.length;
  const nativeIndex = new Int32Array(2 * M),
    grid = new Float64Array(2 * M);
  for (let m = 0; m < M; m++) {
    nativeIndex[2 * m] = rows[m]!;
    nativeIndex[2 * m + 1] = cols[m]!;
    grid[2 * m] = ((Ny - 1) / 2 - rows[m]!) * dy;
    grid[2 * m + 1] = (cols[m]! - (Nx - 1) / 2) * dx;
  }
  return { Ny, Nx, dy, dx, M, nativeIndex, grid };
}

// ---------------------------------------------------------------- visibilities

export interface Visibilities {
  K: number;
  uv: Float64Array;
  noiseMap: Float64Array;
  noiseReal: Float64Array;
  visibilities: Float64Array;
}

function withNoise(uv: Float64Array, sigma: (k: number, part: 0 | 1) => number, r: () => number): Visibilities {
  const K = uv.length / 2;
  const noiseMap = new Float64Array(2 * K),
    noiseReal = new Float64Array(K),
    visibilities = new Float64Array(2 * K);
  for (let k = 0; k < K; k++) {
    noiseMap[2 * k] = sigma(k, 0);
    noiseMap[2 * k + 1] = sigma(k, 1);
    noiseReal[k] = noiseMap[2 * k]!;
    visibilities[2 * k] = 2 * r() - 1;
    visibilities[2 * k + 1] = 2 * r() - 1;
  }
  return { K, uv, noiseMap, noiseReal, visibilities };
}

/**
 * K random uv points with |u| ≤ 1/(2dx), |v| ≤ 1/(2dy), σ in [0.5, 1.5] (σ_im = σ_re when
 * `equalSigma`), visibilities uniform in [−1, 1].
 */
export function randomVisibilities(K: number, dy: number, dx: number, seed: number, equalSigma = false): Visibilities {
  const r = rng(seed);
  const uv = new Float64Array(2 * K);
  for (let k = 0; k < K; k++) {
    uv[2 * k] = (r() - 0.5) / dx;
    uv[2 * k + 1] = (r() - 0.5) / dy;
  }
  const sre = Array.from({ length: K }, () => 0.5 + r());
  const sim = equalSigma ? sre : Array.from({ length: K }, () => 0.5 + r());
  return withNoise(uv, (k, p) => (p === 0 ? sre : sim)[k]!, r);
}

/** The complete uv grid u = p/(Lx·dx), v = q/(Ly·dy), p ∈ [0, Lx), q ∈ [0, Ly), L = 2N, all σ equal. */
export function completeUvGrid(Ny: number, Nx: number, dy: number, dx: number, sigma: number): Visibilities {
  const Ly = 2 * Ny,
    Lx = 2 * Nx;
  const uv = new Float64Array(2 * Lx * Ly);
  for (let q = 0, k = 0; q < Ly; q++)
    for (let p = 0; p < Lx; p++, k++) {
      uv[2 * k] = p / (Lx * dx);
      uv[2 * k + 1] = q / (Ly * dy);
    }
  return withNoise(uv, () => sigma, rng(1));
}

/** A single visibility at (u, v) with noise σ. */
export function singleVisibility(u: number, v: number, sigma: number): Visibilities {
  return withNoise(Float64Array.of(u, v), () => sigma, rng(2));
}

// ---------------------------------------------------------------- mapping and neighbours

export interface Mapping {
  S: number;
  B: number;
  pixIndexes: Int32Array;
  pixWeights: Float64Array;
}

/**
 * Each image pixel maps to up to B source pixels (random indices in [0, S), repeats allowed),
 * positive weights summing to 1; when B > 1 about `unused` of the slots, scattered anywhere in
 * the row, are −1 (weight 0), but every pixel keeps at least one used slot.
 */
export function randomMapping(M: number, S: number, B: number, seed: number, unused = 0.3): Mapping {
  const r = rng(seed);
  const pixIndexes = new Int32Array(M * B),
    pixWeights = new Float64Array(M * B);
  for (let m = 0; m < M; m++) {
    const used = Array.from({ length: B }, () => B === 1 || r() >= unused);
    if (!used.some(Boolean)) used[Math.floor(r() * B)] = true;
    let total = 0;
    for (let b = 0; b < B; b++) {
      if (used[b]) {
        pixIndexes[m * B + b] = Math.floor(r() * S);
        pixWeights[m * B + b] = 0.05 + r();
        total += pixWeights[m * B + b]!;
      } else {
        pixIndexes[m * B + b] = -1;
        pixWeights[m * B + b] = 0;
      }
    }
    for (let b = 0; b < B; b++) pixWeights[m * B + b]! /= total;
  }
  return { S, B, pixIndexes, pixWeights };
}

export interface Neighbours {
  S: number;
  P: number;
  neighbors: Int32Array;
  neighborsSizes: Int32Array;
}

/** A random symmetric neighbour graph, at most P neighbours each, listed first and −1 padded. */
export function randomNeighbours(S: number, P: number, seed: number): Neighbours {
  const r = rng(seed);
  const adj: number[][] = Array.from({ length: S }, () => []);
  for (let tries = 0; tries < 4 * S * P; tries++) {
    const i = Math.floor(r() * S),
      j = Math.floor(r() * S);
    if (i === j || adj[i]!.includes(j) || adj[i]!.length >= P || adj[j]!.length >= P) continue;
    adj[i]!.push(j);
    adj[j]!.push(i);
  }
  const neighbors = new Int32Array(S * P).fill(-1),
    neighborsSizes = new Int32Array(S);
  adj.forEach((list, i) => {
    neighborsSizes[i] = list.length;
    list.forEach((j, t) => {
      neighbors[i * P + t] = j;
    });
  });
  return { S, P, neighbors, neighborsSizes };
}

// ---------------------------------------------------------------- references

/** W̃[i,j] = Σ_k cos(2π((x_i−x_j)u_k + (y_i−y_j)v_k)) / σ_re,k². */
export function wTildeRef(noiseReal: Float64Array, uv: Float64Array, grid: Float64Array): Float64Array {
  const M = grid.length / 2,
    K = noiseReal.length;
  const W = new Float64Array(M * M);
  for (let i = 0; i < M; i++)
    for (let j = 0; j < M; j++) {
      const dy = grid[2 * i]! - grid[2 * j]!,
        dx = grid[2 * i + 1]! - grid[2 * j + 1]!;
      let s = 0;
      for (let k = 0; k < K; k++) s += Math.cos(TWO_PI * (dx * uv[2 * k]! + dy * uv[2 * k + 1]!)) / noiseReal[k]! ** 2;
      W[i * M + j] = s;
    }
  return W;
}

/** The (2Ny, 2Nx) preload table; row Ny and column Nx are 0. */
export function preloadRef(
  noiseReal: Float64Array,
  uv: Float64Array,
  Ny: number,
  Nx: number,
  dy: number,
  dx: number,
): Float64Array {
  const K = noiseReal.length,
    P = new Float64Array(4 * Ny * Nx);
  for (let a = 0; a < 2 * Ny; a++)
    for (let b = 0; b < 2 * Nx; b++) {
      if (a === Ny || b === Nx) continue;
      const dr = a < Ny ? a : a - 2 * Ny,
        dc = b < Nx ? b : b - 2 * Nx;
      let s = 0;
      for (let k = 0; k < K; k++)
        s += Math.cos(TWO_PI * (dc * dx * uv[2 * k]! - dr * dy * uv[2 * k + 1]!)) / noiseReal[k]! ** 2;
      P[a * 2 * Nx + b] = s;
    }
  return P;
}

/** W̃[i,j] = P[(r_j − r_i) mod 2Ny, (c_j − c_i) mod 2Nx]. */
export function expandPreloadRef(P: Float64Array, Ny: number, Nx: number, nativeIndex: Int32Array): Float64Array {
  const M = nativeIndex.length / 2,
    W = new Float64Array(M * M);
  const mod = (a: number, n: number) => ((a % n) + n) % n;
  for (let i = 0; i < M; i++)
    for (let j = 0; j < M; j++) {
      const a = mod(nativeIndex[2 * j]! - nativeIndex[2 * i]!, 2 * Ny),
        b = mod(nativeIndex[2 * j + 1]! - nativeIndex[2 * i + 1]!, 2 * Nx);
      W[i * M + j] = P[a * 2 * Nx + b]!;
    }
  return W;
}

/** The dense mapping matrix T (M×S). */
export function mappingMatrixRef(map: Mapping, M: number): Float64Array {
  const T = new Float64Array(M * map.S);
  for (let m = 0; m < M; m++)
    for (let b = 0; b < map.B; b++) {
      const s = map.pixIndexes[m * map.B + b]!;
      if (s >= 0) T[m * map.S + s]! += map.pixWeights[m * map.B + b]!;
    }
  return T;
}

/** F = Tᵀ W̃ T (S×S), dense. */
export function curvatureRef(W: Float64Array, T: Float64Array, M: number, S: number): Float64Array {
  const WT = new Float64Array(M * S);
  for (let i = 0; i < M; i++)
    for (let n = 0; n < M; n++) {
      const w = W[i * M + n]!;
      if (w !== 0) for (let t = 0; t < S; t++) WT[i * S + t]! += w * T[n * S + t]!;
    }
  const F = new Float64Array(S * S);
  for (let m = 0; m < M; m++)
    for (let s = 0; s < S; s++) {
      const tm = T[m * S + s]!;
      if (tm !== 0) for (let t = 0; t < S; t++) F[s * S + t]! += tm * WT[m * S + t]!;
    }
  return F;
}

/** dirty_i = Σ_k [V_re/σ_re² cos(2πφ_ik) − V_im/σ_im² sin(2πφ_ik)]. */
export function dirtyImageRef(v: Visibilities, grid: Float64Array): Float64Array {
  const M = grid.length / 2,
    d = new Float64Array(M);
  for (let i = 0; i < M; i++) {
    let s = 0;
    for (let k = 0; k < v.K; k++) {
      const phi = TWO_PI * (grid[2 * i + 1]! * v.uv[2 * k]! + grid[2 * i]! * v.uv[2 * k + 1]!);
      s +=
        (v.visibilities[2 * k]! / v.noiseMap[2 * k]! ** 2) * Math.cos(phi) -
        (v.visibilities[2 * k + 1]! / v.noiseMap[2 * k + 1]! ** 2) * Math.sin(phi);
    }
    d[i] = s;
  }
  return d;
}

/** D = Tᵀ·dirty. */
export function dataVectorRef(T: Float64Array, dirty: Float64Array, S: number): Float64Array {
  const D = new Float64Array(S);
  for (let m = 0; m < dirty.length; m++) for (let s = 0; s < S; s++) D[s]! += T[m * S + s]! * dirty[m]!;
  return D;
}

/** H_ii = 1e-8 + c²·n_i, H_ij −= c² for each listed neighbour j of i. */
export function regularizationRef(coefficient: number, nb: Neighbours): Float64Array {
  const { S, P } = nb,
    H = new Float64Array(S * S),
    c2 = coefficient * coefficient;
  for (let i = 0; i < S; i++) {
    H[i * S + i]! += 1e-8 + c2 * nb.neighborsSizes[i]!;
    for (let t = 0; t < nb.neighborsSizes[i]!; t++) {
      const j = nb.neighbors[i * P + t]!;
      if (j >= 0) H[i * S + j]! -= c2;
    }
  }
  return H;
}

/** Lower Cholesky factor of a symmetric positive definite n×n matrix (throws otherwise). */
export function choleskyRef(A: Float64Array, n: number): Float64Array {
  const L = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = A[j * n + j]!;
    for (let k = 0; k < j; k++) d -= L[j * n + k]! ** 2;
    if (!(d > 0)) throw new Error(`choleskyRef: not positive definite at pivot ${j}`);
    L[j * n + j] = Math.sqrt(d);
    for (let i = j + 1; i < n; i++) {
      let s = A[i * n + j]!;
      for (let k = 0; k < j; k++) s -= L[i * n + k]! * L[j * n + k]!;
      L[i * n + j] = s / L[j * n + j]!;
    }
  }
  return L;
}

/** Solves (L Lᵀ) x = b. */
export function choleskySolveRef(L: Float64Array, b: Float64Array): Float64Array {
  const n = b.length,
    y = new Float64Array(n),
    x = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= L[i * n + k]! * y[k]!;
    y[i] = s / L[i * n + i]!;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < n; k++) s -= L[k * n + i]! * x[k]!;
    x[i] = s / L[i * n + i]!;
  }
  return x;
}

const logDetRef = (L: Float64Array, n: number) => {
  let s = 0;
  for (let i = 0; i < n; i++) s += 2 * Math.log(L[i * n + i]!);
  return s;
};
const quad = (A: Float64Array, x: Float64Array) => {
  const n = x.length;
  let s = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) s += x[i]! * A[i * n + j]! * x[j]!;
  return s;
};

export interface EvidenceTerms {
  logEvidence: number;
  chiSquared: number;
  regularizationTerm: number;
  logDetCurvatureReg: number;
  logDetRegularization: number;
  noiseNormalization: number;
  reconstruction: Float64Array;
}

export function logEvidenceRef(F: Float64Array, H: Float64Array, D: Float64Array, v: Visibilities): EvidenceTerms {
  const S = D.length,
    FH = new Float64Array(S * S);
  for (let i = 0; i < S * S; i++) FH[i] = F[i]! + H[i]!;
  const L = choleskyRef(FH, S);
  const s = choleskySolveRef(L, D);
  let dataTerm = 0,
    noiseNormalization = 0;
  for (let k = 0; k < v.K; k++) {
    const sr = v.noiseMap[2 * k]!,
      si = v.noiseMap[2 * k + 1]!;
    dataTerm += v.visibilities[2 * k]! ** 2 / sr ** 2 + v.visibilities[2 * k + 1]! ** 2 / si ** 2;
    noiseNormalization += Math.log(TWO_PI * sr ** 2) + Math.log(TWO_PI * si ** 2);
  }
  let sD = 0;
  for (let i = 0; i < S; i++) sD += s[i]! * D[i]!;
  const chiSquared = dataTerm - 2 * sD + quad(F, s);
  const regularizationTerm = quad(H, s);
  const logDetCurvatureReg = logDetRef(L, S);
  const logDetRegularization = logDetRef(choleskyRef(H, S), S);
  const logEvidence =
    -0.5 * (chiSquared + regularizationTerm + logDetCurvatureReg - logDetRegularization + noiseNormalization);
  return {
    logEvidence,
    chiSquared,
    regularizationTerm,
    logDetCurvatureReg,
    logDetRegularization,
    noiseNormalization,
    reconstruction: s,
  };
}

/** Model visibilities of an image f: re_k = Σ_i f_i cos(2πφ_ik), im_k = −Σ_i f_i sin(2πφ_ik). */
export function forwardDftRef(image: Float64Array, grid: Float64Array, uv: Float64Array): Float64Array {
  const K = uv.length / 2,
    out = new Float64Array(2 * K);
  for (let k = 0; k < K; k++) {
    let re = 0,
      im = 0;
    for (let i = 0; i < image.length; i++) {
      const phi = TWO_PI * (grid[2 * i + 1]! * uv[2 * k]! + grid[2 * i]! * uv[2 * k + 1]!);
      re += image[i]! * Math.cos(phi);
      im -= image[i]! * Math.sin(phi);
    }
    out[2 * k] = re;
    out[2 * k + 1] = im;
  }
  return out;
}

/** Σ_k (V_re − m_re)²/σ_re² + (V_im − m_im)²/σ_im² for model visibilities m. */
export function residualChiSquaredRef(v: Visibilities, model: Float64Array): number {
  let s = 0;
  for (let k = 0; k < v.K; k++) {
    s += (v.visibilities[2 * k]! - model[2 * k]!) ** 2 / v.noiseMap[2 * k]! ** 2;
    s += (v.visibilities[2 * k + 1]! - model[2 * k + 1]!) ** 2 / v.noiseMap[2 * k + 1]! ** 2;
  }
  return s;
}

/** y = A·x for a dense row-major (rows×cols) A. */
export function matVec(A: Float64Array, x: Float64Array, rows: number): Float64Array {
  const cols = x.length,
    y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    let s = 0;
    for (let j = 0; j < cols; j++) s += A[i * cols + j]! * x[j]!;
    y[i] = s;
  }
  return y;
}

/** Bitwise equality of two Float64Arrays (distinguishes −0 and NaN payloads). */
export function sameBits(a: Float64Array, b: Float64Array): boolean {
  return (
    a.length === b.length &&
    Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength))
  );
}

/**
 * ln det of a symmetric positive definite f64 matrix, exactly (to the final rounding): the entries
 * are scaled by a power of two to integers and the determinant is found by fraction-free (Bareiss)
 * elimination in BigInt. For ill-conditioned matrices, such as the regularization matrix (a singular
 * graph Laplacian plus 1e-8·I), where any f64 Cholesky is off by ~1e-9 relative.
 */
export function exactLogDet(A: Float64Array, n: number): number {
  let E = 0;
  for (const x of A) while (!Number.isInteger(x * 2 ** E)) E++;
  const M = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => BigInt(A[i * n + j]! * 2 ** E)));
  let prev = 1n;
  for (let k = 0; k < n - 1; k++) {
    if (M[k]![k]! <= 0n) throw new Error(`exactLogDet: leading minor ${k + 1} is not positive`);
    for (let i = k + 1; i < n; i++)
      for (let j = k + 1; j < n; j++) M[i]![j] = (M[i]![j]! * M[k]![k]! - M[i]![k]! * M[k]![j]!) / prev;
    prev = M[k]![k]!;
  }
  const det = M[n - 1]![n - 1]!;
  if (det <= 0n) throw new Error('exactLogDet: the determinant is not positive');
  const shift = Math.max(0, det.toString(2).length - 60);
  return Math.log(Number(det >> BigInt(shift))) + (shift - n * E) * Math.LN2;
}
