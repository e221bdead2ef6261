// @ts-check
// mirror.js — copy the lower triangle of a square row-major matrix into its upper triangle. Generated kernels
// call it once after a chunk loop whose symmetric accumulations (C += A·Aᵀ per chunk) wrote only the lower
// triangle (backends/js/deferred_mirror.ts): one O(n²) copy per call instead of a symmetry check and a mirror
// per chunk.

/**
 * C[j, i] = C[i, j] for every j < i. Blocked, so both the rows read and the columns written stay in cache.
 * @param {Float64Array} c the matrix's first element at index 0 @param {number} n order @param {number} ldc row stride
 */
export function mirrorLower(c, n, ldc) {
  const B = 32;
  for (let i0 = 0; i0 < n; i0 += B) {
    const i1 = Math.min(n, i0 + B);
    for (let j0 = 0; j0 < i1; j0 += B) {
      for (let i = i0; i < i1; i++) {
        const jEnd = Math.min(i, j0 + B),
          row = i * ldc;
        for (let j = j0; j < jEnd; j++) c[j * ldc + i] = /** @type {number} */ (c[row + j]);
      }
    }
  }
}
