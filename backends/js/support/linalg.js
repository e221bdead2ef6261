// @ts-check
// Dense f64 linear algebra for generated JS kernels: Cholesky factorisation and triangular solves,
// row-major. Blocked by rows for cache reuse; the summation order is fixed, so results are
// reproducible. A matrix that is not positive definite is a clear error, never NaN.

/**
 * L (lower, row-major n×n) with L·Lᵀ = A. Only the lower triangle of A is read; the upper of L is 0.
 * @param {Float64Array} a @param {Float64Array} l @param {number} n @param {string} kernel
 */
export function cholesky(a, l, n, kernel) {
  if (l !== a) l.set(a.subarray(0, n * n));
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    let d = l[rj + j];
    for (let p = 0; p < j; p++) d -= l[rj + p] * l[rj + p];
    if (!(d > 0)) {
      throw new RangeError(`${kernel}: the matrix is not positive definite (Cholesky pivot ${j} of ${n} is ${d}); check that the curvature and regularization matrices are symmetric positive definite`);
    }
    const djj = Math.sqrt(d);
    l[rj + j] = djj;
    const inv = 1 / djj;
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      let t = l[ri + j];
      for (let p = 0; p < j; p++) t -= l[ri + p] * l[rj + p];
      l[ri + j] = t * inv;
    }
  }
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) l[i * n + j] = 0;
}

/**
 * Solves L·X = B (or Lᵀ·X = B) for X (n×cols, row-major); out may alias b.
 * @param {Float64Array} l @param {Float64Array} b @param {Float64Array} out @param {number} n @param {number} cols @param {boolean} transpose
 */
export function triSolve(l, b, out, n, cols, transpose) {
  if (out !== b) out.set(b.subarray(0, n * cols));
  for (let c = 0; c < cols; c++) {
    if (!transpose) {
      for (let i = 0; i < n; i++) {
        let s = out[i * cols + c];
        const ri = i * n;
        for (let j = 0; j < i; j++) s -= l[ri + j] * out[j * cols + c];
        out[i * cols + c] = s / l[ri + i];
      }
    } else {
      for (let i = n - 1; i >= 0; i--) {
        let s = out[i * cols + c];
        for (let j = i + 1; j < n; j++) s -= l[j * n + i] * out[j * cols + c];
        out[i * cols + c] = s / l[i * n + i];
      }
    }
  }
}
