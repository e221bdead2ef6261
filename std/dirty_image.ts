// The dirty image: the visibilities, weighted by their inverse variances, transformed back to the
// image plane: dirty_i = Σ_k [V_re,k/σ_re,k² cos(2πφ_ik) − V_im,k/σ_im,k² sin(2πφ_ik)],
// φ_ik = x_i·u_k + y_i·v_k. One fused reduction over K per pixel.
import { cos, div, f64, kernel, mul, sin, sub, sum, add } from '../dsl/index.ts';

export const dirtyImage = kernel({
  name: 'dirtyImage',
  doc: 'The inverse-variance weighted dirty image (M) of the visibilities.',
  params: { visibilities: f64(['K', 2]), noiseMap: f64(['K', 2]), uv: f64(['K', 2]), grid: f64(['M', 2]) },
  body: ({ visibilities, noiseMap, uv, grid }) => {
    const row = (t: typeof uv, c: number) => t.col(c).reshape([1, 'K']);
    const wr = div(row(visibilities, 0), mul(row(noiseMap, 0), row(noiseMap, 0)));
    const wi = div(row(visibilities, 1), mul(row(noiseMap, 1), row(noiseMap, 1)));
    const phase = mul(
      2 * Math.PI,
      add(mul(grid.col(1).reshape(['M', 1]), row(uv, 0)), mul(grid.col(0).reshape(['M', 1]), row(uv, 1))),
    );
    return sum(sub(mul(wr, cos(phase)), mul(wi, sin(phase))), 1);
  },
});
