// W̃[i,j] = Σ_k cos(2π((x_i−x_j)u_k + (y_i−y_j)v_k)) / σ_k² — the interferometer's curvature
// preload. Two formulations of the same equation: the physicist's broadcast-and-sum, and the
// factored form whose K axis is a matmul contraction. The compiler's separable-sum rewrite
// (compiler/passes/factor_separable.ts) turns the first into the second, so both compile to the same
// SYRK plan with K chunked; `rewrites: false` on a kernel keeps the literal fused sum.
import { cos, div, f64, kernel, matmul, add, mul, pow, sin, sub, sum, type Tensor } from '../dsl/index.ts';

const params = {
  noiseReal: f64(['K']),
  uv: f64(['K', 2]),
  grid: f64(['M', 2]),
};

function columns(p: { uv: Tensor; grid: Tensor }) {
  return { u: p.uv.col(0), v: p.uv.col(1), y: p.grid.col(0), x: p.grid.col(1) };
}

export const wTildeDirect = kernel({
  name: 'wTildeDirect',
  doc: 'W̃ as written: broadcast (M, M, K), then sum over k (the compiler factors it into the SYRK plan of wTilde: nothing of size M·M·K is built).',
  params,
  body: (p) => {
    const { u, v, x, y } = columns(p);
    const xi = x.reshape(['M', 1, 1]),
      xj = x.reshape([1, 'M', 1]);
    const yi = y.reshape(['M', 1, 1]),
      yj = y.reshape([1, 'M', 1]);
    const uk = u.reshape([1, 1, 'K']),
      vk = v.reshape([1, 1, 'K']),
      sk = p.noiseReal.reshape([1, 1, 'K']);
    return sum(div(cos(mul(mul(2, Math.PI), add(mul(sub(xi, xj), uk), mul(sub(yi, yj), vk)))), pow(sk, 2)), 2);
  },
});

export const wTilde = kernel({
  name: 'wTilde',
  doc: 'W̃ = C·Cᵀ + S·Sᵀ with A = 2π(x·uᵀ + y·vᵀ), C = cos(A)/σ, S = sin(A)/σ; K is the contracted (chunked) axis.',
  params,
  body: (p) => {
    const { u, v, x, y } = columns(p);
    const A = mul(
      2 * Math.PI,
      add(mul(x.reshape(['M', 1]), u.reshape([1, 'K'])), mul(y.reshape(['M', 1]), v.reshape([1, 'K']))),
    );
    const sigma = p.noiseReal.reshape([1, 'K']);
    const C = div(cos(A), sigma),
      S = div(sin(A), sigma);
    return add(matmul(C, C, { transB: true }), matmul(S, S, { transB: true }));
  },
});
