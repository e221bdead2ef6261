// @ts-check
// Row-major GEMM and SYRK stages on cuBLAS (column-major). A row-major matrix is the column-major
// matrix of its transpose, so C = op(A)·op(B) row-major is Cᵀ = op(B)ᵀ·op(A)ᵀ column-major: swap
// the operands and m with n. SYRK (C = A·Aᵀ, half the work of a GEMM) writes the column-major lower
// triangle only; the module symmetrizes once before anything else reads C.
//
// cuBLAS's DSYRK runs well below DGEMM's rate (47.5 vs 60.6 TFLOP/s on an H200), so for large n the
// lower triangle is computed in row blocks: each block row's part left of the diagonal is one DGEMM,
// its diagonal block one DSYRK — still half the work of a full GEMM, mostly at the GEMM rate.
// LENSC_CUDA_SYRK=cublas | blocked | gemm picks the form (benchmarks compare them; default blocked);
// LENSC_CUDA_SYRK_BLOCK sets the diagonal block (tests use a small one to reach the blocked path).

/** @typedef {import('../runtime/index.js').Cuda} Cuda */

/** Diagonal block size of the blocked SYRK; n up to twice this is a single DSYRK. */
function syrkBlock() {
  const b = Number(process.env.LENSC_CUDA_SYRK_BLOCK);
  return Number.isInteger(b) && b > 0 ? b : 2048;
}

/** @returns {'cublas' | 'blocked' | 'gemm'} */
export function syrkMode() {
  const m = process.env.LENSC_CUDA_SYRK;
  return m === 'cublas' || m === 'gemm' ? m : 'blocked';
}

/** @param {bigint} p @param {number} elements  an f64 offset */
const at = (p, elements) => p + BigInt(8 * elements);

/**
 * C(m×n) = op(A)·op(B) + beta·C, all row-major with row strides lda, ldb, ldc.
 * @param {Cuda} cu
 * @param {{ transA: boolean, transB: boolean, m: number, n: number, k: number, a: bigint, lda: number,
 *   b: bigint, ldb: number, beta: number, c: bigint, ldc: number }} p
 */
export function gemm(cu, p) {
  cu.dgemm(p.transB, p.transA, p.n, p.m, p.k, 1, p.b, p.ldb, p.a, p.lda, p.beta, p.c, p.ldc);
}

/**
 * The lower triangle (column-major) of C(n×n) = A·Aᵀ + beta·C (trans false: A row-major n×k) or
 * Aᵀ·A + beta·C (trans true: A row-major k×n). In column-major terms A is Aᶜ = Aᵀ with leading
 * dimension lda, and C = Aᶜᵀ·Aᶜ (trans false) or Aᶜ·Aᶜᵀ (trans true).
 * @param {Cuda} cu
 * @param {{ trans: boolean, n: number, k: number, a: bigint, lda: number, beta: number, c: bigint, ldc: number }} p
 */
export function syrk(cu, p) {
  const { n, k, lda, ldc, beta } = p;
  const opT = !p.trans; // the column-major transpose flag of the left factor
  const mode = syrkMode();
  if (mode === 'gemm') {
    cu.dgemm(opT, !opT, n, n, k, 1, p.a, lda, p.a, lda, beta, p.c, ldc);
    return;
  }
  const block = syrkBlock();
  if (mode === 'cublas' || n <= 2 * block) {
    cu.dsyrk('lower', opT, n, k, 1, p.a, lda, beta, p.c, ldc);
    return;
  }
  // Column-major rows r0..r1 of Aᶜᵀ (trans false: columns r0.. of Aᶜ, at a + r0·lda; trans true: rows
  // r0.. of Aᶜ, at a + r0).
  const rows = (/** @type {number} */ r0) => (opT ? at(p.a, r0 * lda) : at(p.a, r0));
  for (let r0 = 0; r0 < n; r0 += block) {
    const nb = Math.min(block, n - r0);
    if (r0 > 0) {
      // C[r0:r0+nb, 0:r0] = rows(r0)·rows(0)ᵀ
      cu.dgemm(opT, !opT, nb, r0, k, 1, rows(r0), lda, p.a, lda, beta, at(p.c, r0), ldc);
    }
    cu.dsyrk('lower', opT, nb, k, 1, rows(r0), lda, beta, at(p.c, r0 + r0 * ldc), ldc);
  }
}

/**
 * Copies the computed (column-major lower) triangle of C(n×n) onto the other one.
 * @param {Cuda} cu @param {bigint} c @param {number} n @param {number} ldc
 */
export function symmetrize(cu, c, n, ldc) {
  cu.symmetrize(c, n, ldc, 'lower');
}
