// The curvature matrix F = Tᵀ·W̃·T by FFT convolution (PyAutoArray's FFT method). On a regular grid W̃ is a
// 2-D Toeplitz operator: (W̃·t)[i] = Σ_j P[(r_j − r_i) mod 2N_y, (c_j − c_i) mod 2N_x]·t_j is the circular
// convolution, on the zero-padded 2N_y × 2N_x grid, of the flipped table P'[a, b] = P[−a, −b] with the
// column t scattered onto the grid (offsets stay within ±(N−1), so the period 2N never wraps one pixel onto
// another). So, for every source pixel t: scatter column t of T onto the grid, FFT, multiply by FFT(P')
// (computed once), inverse FFT, read the result at the unmasked pixels: G[t, i] = (W̃·T)[i, t]; then
// F[s, t] = Σ_{m,b: idx[m,b] = s} w[m, b]·G[t, m], a segment sum over the sparse T.
// Cost O(S·N² log N) instead of the sparse route's O(M²·B) table reads (std/curvature.ts); the S·4N² complex
// intermediates are chunked over S by the memory planner (compiler/plan/chunk_batch.ts).
import {
  complex,
  cmul,
  f64,
  fft2,
  gather,
  i32,
  ifft2,
  iota,
  kernel,
  mod,
  mul,
  neg,
  real,
  scatterAdd,
  size,
  sizes,
  zeros,
} from '../dsl/index.ts';

export const curvatureMatrixFft = kernel({
  name: 'curvatureMatrixFft',
  doc: "F = Tᵀ W̃ T (S×S) by FFT convolution of the preload table with T's columns on the 2N_y×2N_x grid.",
  params: {
    preload: f64(['2*Ny', '2*Nx']),
    shape: sizes(['Ny', 'Nx']),
    nativeIndex: i32(['M', 2]),
    pixIndexes: i32(['M', 'B']),
    pixWeights: f64(['M', 'B']),
    sourcePixels: sizes('S'),
  },
  body: ({ preload, nativeIndex, pixIndexes, pixWeights }) => {
    const grid = ['2*Ny', '2*Nx'] as const;
    // The spectrum of the flipped table, once: P'[a, b] = P[(−a) mod 2N_y, (−b) mod 2N_x].
    const a = iota(grid, 0),
      b = iota(grid, 1);
    const flipped = gather(preload, [mod(neg(a), size('Ny').mul(2)), mod(neg(b), size('Nx').mul(2))]);
    const spectrum = fft2(complex(flipped, zeros(grid)));
    // T's columns on the grid, one image per source pixel: X[t, r_m, c_m] += w[m, b] where t = idx[m, b]
    // (real parts only; an unused slot, idx = −1, is skipped).
    const r = nativeIndex.col(0).reshape(['M', 1]),
      c = nativeIndex.col(1).reshape(['M', 1]);
    const images = scatterAdd(['S', '2*Ny', '2*Nx', 2], [pixIndexes, r, c, zeros(['M', 'B'], 'i32')], pixWeights);
    const conv = ifft2(cmul(fft2(images), spectrum.reshape([1, '2*Ny', '2*Nx', 2])));
    // G[t, m] = (W̃·T)[m, t]: the convolution read at the unmasked pixels.
    const g = gather(real(conv), [iota(['S', 'M'], 0), r.reshape([1, 'M']), c.reshape([1, 'M'])]);
    // F[s, t] = Σ_{m,b: idx[m,b]=s} w[m, b]·G[t, m]
    const rowsF = pixIndexes.reshape(['M', 'B', 1]);
    const colsF = iota(['M', 'B', 'S'], 2);
    return scatterAdd(
      ['S', 'S'],
      [rowsF, colsF],
      mul(pixWeights.reshape(['M', 'B', 1]), g.transpose([1, 0]).reshape(['M', 1, 'S'])),
    );
  },
});
