// The curvature matrix F = Tᵀ·W̃·T by FFT convolution (PyAutoArray's FFT method). On a regular grid W̃ is a
// 2-D Toeplitz operator: (W̃·t)[i] = Σ_j P[(r_j − r_i) mod 2N_y, (c_j − c_i) mod 2N_x]·t_j is the circular
// convolution, on the zero-padded 2N_y × 2N_x grid, of the flipped table P'[a, b] = P[−a, −b] with the
// column t placed on the N_y × N_x grid (offsets stay within ±(N−1), so the period 2N never wraps one pixel onto
// another). So, for every source pixel t: scatter column t of T onto the grid, convolve with P' (fftconv2: the
// zero padding, the transforms, the product with FFT(P') and the crop back to N_y × N_x are one primitive, which
// the JS target runs two real columns per complex transform without materialising the padded grids), read the
// result at the unmasked pixels: G[t, i] = (W̃·T)[i, t]; then F[s, t] = Σ_{m,b: idx[m,b] = s} w[m, b]·G[t, m], a
// segment sum over the sparse T.
// Cost O(S·N² log N) instead of the sparse route's O(M²·B) table reads (std/curvature.ts); the S·N² images and
// convolutions are chunked over S by the memory planner (compiler/plan/chunk_batch.ts).
import { f64, fftconv2, gather, i32, iota, kernel, mod, mul, neg, scatterAdd, size, sizes } from '../dsl/index.ts';

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
    // The convolution kernel, the flipped table: P'[a, b] = P[(−a) mod 2N_y, (−b) mod 2N_x].
    const a = iota(grid, 0),
      b = iota(grid, 1);
    const flipped = gather(preload, [mod(neg(a), size('Ny').mul(2)), mod(neg(b), size('Nx').mul(2))]);
    // T's columns on the grid, one image per source pixel: X[t, r_m, c_m] += w[m, b] where t = idx[m, b]
    // (an unused slot, idx = −1, is skipped).
    const r = nativeIndex.col(0).reshape(['M', 1]),
      c = nativeIndex.col(1).reshape(['M', 1]);
    const images = scatterAdd(['S', 'Ny', 'Nx'], [pixIndexes, r, c], pixWeights);
    const conv = fftconv2(images, flipped);
    // G[t, m] = (W̃·T)[m, t]: the convolution read at the unmasked pixels.
    const g = gather(conv, [iota(['S', 'M'], 0), r.reshape([1, 'M']), c.reshape([1, 'M'])]);
    // F[s, t] = Σ_{m,b: idx[m,b]=s} w[m, b]·G[t, m], accumulated as Fᵀ (row t gets the contributions of column t:
    // its scattered writes stay within one row, not one per row of F) and transposed once at the end (S² moves).
    const rowsF = pixIndexes.reshape(['M', 'B', 1]);
    const colsF = iota(['M', 'B', 'S'], 2);
    return scatterAdd(
      ['S', 'S'],
      [colsF, rowsF],
      mul(pixWeights.reshape(['M', 'B', 1]), g.transpose([1, 0]).reshape(['M', 1, 'S'])),
    ).transpose([1, 0]);
  },
});
