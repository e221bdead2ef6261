// The W̃ preload table and its expansion. On a regular grid W̃ depends only on the pixel offset,
// so W̃ is a gather from the (2N_y, 2N_x) table
//   P[a, b] = Σ_k cos(2π(Δc·d_x·u_k − Δr·d_y·v_k)) / σ_k²,
// computed with cos(α − β) = cos α cos β + sin α sin β as two matmuls over K (which the compiler
// chunks), so only O((N_y + N_x)·K) cosines are evaluated instead of 4·N_y·N_x·K. This is the GEMM route of
// `wTildePreload` (std/preload_routes.ts), which picks it or the NUFFT route by cost at each call.
import {
  add,
  cos,
  div,
  f64,
  i32,
  kernel,
  matmul,
  mul,
  or,
  sin,
  sizes,
  where,
  iota,
  size,
  eq,
  type Tensor,
} from '../dsl/index.ts';
import { element, expandPreload, signedOffset } from './grid.ts';

export const wTildePreloadGemm = kernel({
  name: 'wTildePreloadGemm',
  doc: 'The (2N_y, 2N_x) preload table of W̃ on a regular grid (row N_y and column N_x are 0), as two matmuls over K (exact to rounding).',
  params: { noiseReal: f64(['K']), uv: f64(['K', 2]), shape: sizes(['Ny', 'Nx']), pixelScales: f64([2]) },
  body: ({ noiseReal, uv, pixelScales }) => {
    const u = uv.col(0).reshape([1, 'K']),
      v = uv.col(1).reshape([1, 'K']);
    const dy = element(pixelScales, 0),
      dx = element(pixelScales, 1);
    const sigma = noiseReal.reshape([1, 'K']);
    // β[a, k] = 2π·Δr_a·d_y·v_k over table rows; α[b, k] = 2π·Δc_b·d_x·u_k over table columns.
    const beta = mul(mul(2 * Math.PI, mul(signedOffset('Ny'), dy).reshape(['2*Ny', 1])), v);
    const alpha = mul(mul(2 * Math.PI, mul(signedOffset('Nx'), dx).reshape(['2*Nx', 1])), u);
    const cb = div(cos(beta), sigma),
      sb = div(sin(beta), sigma);
    const ca = div(cos(alpha), sigma),
      sa = div(sin(alpha), sigma);
    const table = add(matmul(cb, ca, { transB: true }), matmul(sb, sa, { transB: true }));
    const a = iota(['2*Ny', '2*Nx'], 0),
      b = iota(['2*Ny', '2*Nx'], 1);
    return where(or(eq(a, size('Ny')), eq(b, size('Nx'))), 0, table);
  },
});

export const wTildeFromPreload = kernel({
  name: 'wTildeFromPreload',
  doc: 'W̃ (M×M) expanded from the preload table: W̃[i,j] = P[(r_j−r_i) mod 2N_y, (c_j−c_i) mod 2N_x].',
  params: {
    preload: f64(['2*Ny', '2*Nx']),
    shape: sizes(['Ny', 'Nx']),
    nativeIndex: i32(['M', 2], {
      range: [
        [0, 'Ny'],
        [0, 'Nx'],
      ],
    }),
  },
  body: ({ preload, nativeIndex }): Tensor => expandPreload(preload, nativeIndex),
});
