// The curvature matrix F = Tᵀ·W̃·T and the data vector D = Tᵀ·d, with the mapping matrix T (M×S)
// given sparsely: pixel m maps to source pixels pixIndexes[m, b] with weights pixWeights[m, b]
// (−1 marks an unused slot). F is built from the preload table and the sparse T without ever
// forming the M×M W̃: G = W̃·T is scattered row by row (W̃[i, n] read from the table), then
// F = Tᵀ·G is scattered column by column. Memory: the table, G (M×S) and F (S×S). This is the sparse route of
// `curvatureMatrix` (std/curvature_routes.ts), which picks it or the FFT route by cost at each call.
import { f64, i32, iota, kernel, mul, scatterAdd, sizes } from '../dsl/index.ts';
import { expandPreload } from './grid.ts';

export const curvatureMatrixSparse = kernel({
  name: 'curvatureMatrixSparse',
  doc: 'F = Tᵀ W̃ T (S×S) from the preload table and the sparse mapping matrix: G = W̃·T scattered row by row (O(M²·B) table reads).',
  params: {
    preload: f64(['2*Ny', '2*Nx']),
    shape: sizes(['Ny', 'Nx']),
    nativeIndex: i32(['M', 2], {
      range: [
        [0, 'Ny'],
        [0, 'Nx'],
      ],
    }),
    pixIndexes: i32(['M', 'B'], { range: [-1, 'S'] }),
    pixWeights: f64(['M', 'B']),
    sourcePixels: sizes('S'),
  },
  body: ({ preload, nativeIndex, pixIndexes, pixWeights }) => {
    const w = expandPreload(preload, nativeIndex); // (M, M), fused: read from the table per use
    // G[i, t] = Σ_{n,b: idx[n,b]=t} W̃[i, n]·w[n, b]
    const rowsG = iota(['M', 'M', 'B'], 0);
    const colsG = pixIndexes.reshape([1, 'M', 'B']);
    const g = scatterAdd(['M', 'S'], [rowsG, colsG], mul(w.reshape(['M', 'M', 1]), pixWeights.reshape([1, 'M', 'B'])));
    // F[s, t] = Σ_{m,b: idx[m,b]=s} w[m, b]·G[m, t]
    const rowsF = pixIndexes.reshape(['M', 'B', 1]);
    const colsF = iota(['M', 'B', 'S'], 2);
    return scatterAdd(['S', 'S'], [rowsF, colsF], mul(pixWeights.reshape(['M', 'B', 1]), g.reshape(['M', 1, 'S'])));
  },
});

export const dataVector = kernel({
  name: 'dataVector',
  doc: 'D = Tᵀ·dirtyImage (S) from the sparse mapping matrix.',
  params: {
    dirtyImage: f64(['M']),
    pixIndexes: i32(['M', 'B'], { range: [-1, 'S'] }),
    pixWeights: f64(['M', 'B']),
    sourcePixels: sizes('S'),
  },
  body: ({ dirtyImage, pixIndexes, pixWeights }) =>
    scatterAdd(['S'], [pixIndexes], mul(pixWeights, dirtyImage.reshape(['M', 1]))),
});
