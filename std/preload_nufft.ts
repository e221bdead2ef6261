// The W̃ preload table by a type-1 non-uniform FFT, for large K: P[Δr, Δc] = Σ_k w_k cos(Δc·x_k + Δr·y_k) with
// w_k = 1/σ_k², x_k = 2π·d_x·u_k, y_k = −2π·d_y·v_k is the real part of the type-1 NUFFT f(m) = Σ_k w_k e^{i m·(x_k, y_k)}
// at the integer modes m = (Δc, Δr) ∈ [−N_x, N_x) × [−N_y, N_y). As FINUFFT computes it: spread each w_k onto an
// oversampled 4N_y × 4N_x grid (σ = 2) with the "exponential of semicircle" kernel φ(z) = e^{β(√(1−(2z/W)²)−1)}
// over its W × W nearest points (a scatterAdd), FFT the grid, and divide mode m by φ̂(m_y)·φ̂(m_x), the kernel's
// Fourier transform (a midpoint-rule quadrature, spectrally accurate for this smooth, compactly supported φ).
// Cost O(K·W² + N² log N) instead of the GEMM route's O(N·K) cosines and O(N²·K) flops (std/preload.ts).
// Accuracy parameter ε = 1e-12 (f64): W = 14, β = 2.30·W (FINUFFT's choice for σ = 2 is W = ⌈log10(1/ε)⌉ + 1 = 13;
// one more point for margin). Errors are relative to Σ_k w_k = P[0, 0], the table's largest entry.
import {
  cast,
  complex,
  cos,
  div,
  exp,
  f64,
  fft2,
  floor,
  gather,
  iota,
  kernel,
  maximum,
  mod,
  mul,
  neg,
  real,
  scatterAdd,
  size,
  sizes,
  sqrt,
  sub,
  sum,
  where,
  zeros,
  eq,
  or,
  type Tensor,
} from '../dsl/index.ts';
import { element, signedOffset } from './grid.ts';

/** The spreading kernel's width in grid points and its shape parameter: the accuracy parameter ε = 1e-12. */
export const NUFFT_EPSILON = 1e-12;
export const NUFFT_WIDTH = 14;
export const NUFFT_BETA = 2.3 * NUFFT_WIDTH;
/** Quadrature points per kernel width for φ̂ (midpoint rule: spacing 1/16 of a grid point). */
const QUADRATURE = 16 * NUFFT_WIDTH;

/** φ(z) = e^{β(√(1 − (2z/W)²) − 1)} for |z| ≤ W/2 (clamped at 0 under the root so |z| = W/2 + rounding is e^{−β}). */
const es = (z: Tensor): Tensor =>
  exp(mul(NUFFT_BETA, sub(sqrt(maximum(sub(1, mul(mul(z, 2 / NUFFT_WIDTH), mul(z, 2 / NUFFT_WIDTH))), 0)), 1)));

/**
 * A value computed once per element into a buffer of its own (a sum over a unit axis is a stage of its own):
 * the kernel values per (point, offset) are then K·W exponentials, not K·W² inside the spreading scatter.
 */
const once = (x: Tensor): Tensor => sum(x.reshape([...x.shape, 1]), x.rank);

/** For one axis: the grid offsets (K, W) and kernel values (K, W) of each point at grid coordinate ξ ∈ [0, n). */
function spreadAxis(xi: Tensor, n: Tensor): { index: Tensor; weight: Tensor } {
  const w = NUFFT_WIDTH;
  const base = floor(xi).reshape(['K', 1]);
  const j = iota(['K', w], 1, 'f64');
  const l = base.add(j).add(1 - w / 2); // the W grid points around ξ, unwrapped
  const weight = once(es(sub(l, xi.reshape(['K', 1]))));
  const index = mod(cast(l, 'i32'), n.reshape([1, 1]));
  return { index, weight };
}

/** φ̂(m) = ∫ φ(z)·cos(2π m z / n) dz over |z| ≤ W/2 for the table's signed modes m of an axis of n/4 pixels. */
function kernelTransform(modes: Tensor, n: Tensor, len: string): Tensor {
  const w = NUFFT_WIDTH,
    h = w / QUADRATURE;
  const z = iota([len, QUADRATURE], 1, 'f64')
    .add(0.5)
    .mul(h)
    .sub(w / 2);
  const phase = div(mul(2 * Math.PI, mul(modes.reshape([len, 1]), z)), cast(n, 'f64'));
  return sum(mul(mul(es(z), cos(phase)), h), 1);
}

export const wTildePreloadNufft = kernel({
  name: 'wTildePreloadNufft',
  doc: 'The (2N_y, 2N_x) preload table of W̃ by a type-1 NUFFT (ES kernel, W = 14, β = 32.2, σ = 2): accuracy parameter ε = 1e-12 relative to P[0, 0] = Σ 1/σ² (f64). Row N_y and column N_x are 0.',
  params: { noiseReal: f64(['K']), uv: f64(['K', 2]), shape: sizes(['Ny', 'Nx']), pixelScales: f64([2]) },
  body: ({ noiseReal, uv, pixelScales }) => {
    const dy = element(pixelScales, 0),
      dx = element(pixelScales, 1);
    const n1 = size('Nx').mul(4),
      n2 = size('Ny').mul(4);
    const n1f = cast(n1, 'f64'),
      n2f = cast(n2, 'f64');
    // Grid coordinates ξ = (angle mod 2π)·n/2π: columns from x_k = 2π·d_x·u_k, rows from y_k = −2π·d_y·v_k.
    const xi1 = mod(mul(mul(dx, uv.col(0)), n1f), n1f);
    const xi2 = mod(mul(neg(mul(dy, uv.col(1))), n2f), n2f);
    const cols = spreadAxis(xi1, n1),
      rows = spreadAxis(xi2, n2);
    const weights = div(1, mul(noiseReal, noiseReal)).reshape(['K', 1, 1]);
    const values = mul(
      mul(weights, rows.weight.reshape(['K', NUFFT_WIDTH, 1])),
      cols.weight.reshape(['K', 1, NUFFT_WIDTH]),
    );
    const grid = scatterAdd(
      ['4*Ny', '4*Nx'],
      [rows.index.reshape(['K', NUFFT_WIDTH, 1]), cols.index.reshape(['K', 1, NUFFT_WIDTH])],
      values,
    );
    const spectrum = real(fft2(complex(grid, zeros(['4*Ny', '4*Nx']))));
    // Table index a ↔ mode Δr(a) (a for a < N_y, a − 2N_y above) ↔ grid frequency Δr mod 4N_y.
    const a = iota(['2*Ny'], 0),
      b = iota(['2*Nx'], 0);
    const fa = where(a.lt(size('Ny')), a, a.add(size('Ny').mul(2))),
      fb = where(b.lt(size('Nx')), b, b.add(size('Nx').mul(2)));
    const raw = gather(spectrum, [fa.reshape(['2*Ny', 1]), fb.reshape([1, '2*Nx'])]);
    const phiY = kernelTransform(signedOffset('Ny'), n2, '2*Ny'),
      phiX = kernelTransform(signedOffset('Nx'), n1, '2*Nx');
    const table = div(raw, mul(phiY.reshape(['2*Ny', 1]), phiX.reshape([1, '2*Nx'])));
    const ia = iota(['2*Ny', '2*Nx'], 0),
      ib = iota(['2*Ny', '2*Nx'], 1);
    return where(or(eq(ia, size('Ny')), eq(ib, size('Nx'))), 0, table);
  },
});
