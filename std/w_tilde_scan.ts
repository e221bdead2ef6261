// W̃ in the talk's formulation, as JAX users write it: a lax.scan over the visibilities with the
// (M, M) matrix as the carry, adding one visibility's term per step,
//   W ← W + cos(2π(dx·u_k + dy·v_k)) / σ_k²,   dx = x_i − x_j, dy = y_i − y_j (captured, (M, M)).
// The carry is a running sum, so the compiler's scan-to-reduce pass turns the scan into the same
// reduction over K as wTildeDirect, and the separable-sum rewrite then factors it into wTilde's SYRK
// plan: no per-step (M, M) update is ever materialised.
import { add, cos, div, f64, kernel, mul, scan, sub, zeros, type Tensor } from '../dsl/index.ts';

export const wTildeScan = kernel({
  name: 'wTildeScan',
  doc: 'W̃ as a scan over visibilities with an (M, M) carry (JAX lax.scan style); compiled as a reduction over K, factored into the SYRK plan of wTilde.',
  params: { noiseReal: f64(['K']), uv: f64(['K', 2]), grid: f64(['M', 2]) },
  body: ({ noiseReal, uv, grid }) => {
    const y = grid.col(0),
      x = grid.col(1);
    const dx = sub(x.reshape(['M', 1]), x.reshape([1, 'M']));
    const dy = sub(y.reshape(['M', 1]), y.reshape([1, 'M']));
    const [W] = scan(
      (w: Tensor, step: readonly Tensor[]) => {
        const [u, v, sigma] = step as [Tensor, Tensor, Tensor];
        const phase = mul(2 * Math.PI, add(mul(dx, u), mul(dy, v)));
        return [add(w, div(cos(phase), mul(sigma, sigma))), null] as const;
      },
      zeros(['M', 'M']),
      [uv.col(0), uv.col(1), noiseReal],
    );
    return W;
  },
});
