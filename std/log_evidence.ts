// The Bayesian log evidence of a pixelized source reconstruction:
//   s = (F+H)⁻¹ D (two triangular solves with the Cholesky factor of F+H),
//   χ² = Σ_k (V_re²/σ_re² + V_im²/σ_im²) − 2 sᵀD + sᵀFs,
//   ln ε = −½ (χ² + sᵀHs + ln det(F+H) − ln det H + Σ_k [ln(2πσ_re²) + ln(2πσ_im²)]).
// A matrix that is not positive definite stops with an error naming the pivot, never NaN.
import {
  add,
  arange,
  cholesky,
  div,
  f64,
  gather,
  kernel,
  log,
  matmul,
  mul,
  sub,
  sum,
  triSolve,
  type Tensor,
} from '../dsl/index.ts';

const logDet = (l: Tensor): Tensor => {
  const i = arange('S');
  return mul(2, sum(log(gather(l, [i, i]))));
};
const dot = (a: Tensor, b: Tensor): Tensor => sum(mul(a, b));

export const logEvidence = kernel({
  name: 'logEvidence',
  doc: 'The log evidence and its terms, and the reconstructed source s = (F+H)⁻¹D.',
  // Cholesky factors and log-determinants of ill-conditioned matrices: f32 is not enough.
  requiresF64: true,
  params: {
    curvature: f64(['S', 'S']),
    regularization: f64(['S', 'S']),
    dataVector: f64(['S']),
    visibilities: f64(['K', 2]),
    noiseMap: f64(['K', 2]),
  },
  body: ({ curvature, regularization, dataVector, visibilities, noiseMap }) => {
    const l = cholesky(add(curvature, regularization));
    const s = triSolve(l, triSolve(l, dataVector), { transpose: true });
    const vr = visibilities.col(0),
      vi = visibilities.col(1),
      sr = noiseMap.col(0),
      si = noiseMap.col(1);
    const dataTerm = sum(add(div(mul(vr, vr), mul(sr, sr)), div(mul(vi, vi), mul(si, si))));
    const chiSquared = add(sub(dataTerm, mul(2, dot(s, dataVector))), dot(s, matmul(curvature, s)));
    const regularizationTerm = dot(s, matmul(regularization, s));
    const logDetCurvatureReg = logDet(l);
    const logDetRegularization = logDet(cholesky(regularization));
    const twoPi = 2 * Math.PI;
    const noiseNormalization = sum(add(log(mul(twoPi, mul(sr, sr))), log(mul(twoPi, mul(si, si)))));
    const logEvidence = mul(
      -0.5,
      add(add(add(chiSquared, regularizationTerm), sub(logDetCurvatureReg, logDetRegularization)), noiseNormalization),
    );
    return {
      logEvidence,
      chiSquared,
      regularizationTerm,
      logDetCurvatureReg,
      logDetRegularization,
      noiseNormalization,
      reconstruction: s,
    };
  },
});
