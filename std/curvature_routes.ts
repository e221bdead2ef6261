// `curvatureMatrix`: F = Tᵀ·W̃·T by whichever of its two routes the cost model estimates cheaper at the call's
// sizes — the sparse route (std/curvature.ts, O(M²·B) table reads: small grids) or FFT convolution
// (std/curvature_fft.ts, O(S·N² log N): large grids). Both agree to ≤ 1e-12 relative Frobenius (tests).
import { routes } from '../dsl/index.ts';
import { curvatureMatrixSparse } from './curvature.ts';
import { curvatureMatrixFft } from './curvature_fft.ts';

export const curvatureMatrix = routes({
  name: 'curvatureMatrix',
  doc: 'F = Tᵀ W̃ T (S×S) from the preload table and the sparse mapping matrix.',
  routes: { sparse: curvatureMatrixSparse, fft: curvatureMatrixFft },
});
