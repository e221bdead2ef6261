// @ts-check
// Dense f64 linear algebra for generated JS kernels: Cholesky factorisation and triangular solves,
// row-major. Blocked by rows for cache reuse; the summation order is fixed, so results are
// reproducible. A matrix that is not positive definite is a clear error, never NaN.
import { blasFor } from '../runtime/blas-tasks.js';
import { nativeBlas } from '../runtime/native_blas.js';

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
      throw new RangeError(
        `${kernel}: the matrix is not positive definite (Cholesky pivot ${j} of ${n} is ${d}); check that the curvature and regularization matrices are symmetric positive definite`,
      );
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
  const native = n > 0 && cols > 0 ? nativeBlas() : null;
  if (native) return native.dtrsmLowerLeft(transpose, n, cols, l, n, out, cols);
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

/** Block width of the blocked Cholesky: the trailing updates (most of the n³/3 flops) go to syrk (whose packing
 *  scratch backends/js/blas_scratch.ts bounds with it). */
export const NB = 96;
/** Up to this order the whole factorisation is one WebAssembly call on the calling thread (no syrk). */
const UNBLOCKED_MAX = 256;
/** Below this many multiply-adds a trailing update runs on the calling thread. */
const SMALL_UPDATE_FLOPS = 1 << 23;

/**
 * Blocked right-looking Cholesky on arena buffers: each diagonal block and the panel below it are factored
 * by the runtime's WebAssembly `potf` on the calling thread, the trailing update goes to its syrk
 * (C −= L_panel·L_panelᵀ). Small orders are one `potf` call. Same result whatever the thread count (the
 * summation orders of potf and syrk are fixed; which path runs depends on n only).
 * @param {{ arena: { memory: WebAssembly.Memory, view(ref: any): any }, syrk(p: any): Promise<void>, inline?: { syrk(p: any): Promise<void> } }} rt  (inline: a one-thread runtime on the same arena)
 * @param {{ offset: number, length: number, dtype: string }} aRef @param {{ offset: number, length: number, dtype: string }} lRef
 * @param {number} n @param {string} kernel
 */
export async function choleskyBlocked(rt, aRef, lRef, n, kernel) {
  {
    const a = rt.arena.view(aRef),
      l = rt.arena.view(lRef);
    if (l !== a) l.set(a.subarray(0, n * n));
  }
  /** @param {number} bad */
  const notPositive = (bad) => {
    const d = rt.arena.view(lRef)[bad * n + bad];
    return new RangeError(
      `${kernel}: the matrix is not positive definite (Cholesky pivot ${bad} of ${n} is ${d}); check that the curvature and regularization matrices are symmetric positive definite`,
    );
  };
  const native = n > 0 ? nativeBlas() : null;
  if (native) await choleskyNative(native, rt, lRef.offset, n, notPositive);
  else await choleskyWasm(rt, lRef.offset, n, notPositive);
  const l = rt.arena.view(lRef);
  for (let i = 0; i < n; i++) l.fill(0, i * n + i + 1, (i + 1) * n);
}

/** Up to this order the native factorisation is one single-threaded dpotrf on the calling thread. */
const NATIVE_UNBLOCKED_MAX = 512;
/** Block width of the native blocked factorisation (diagonal dpotrf, panel dtrsm, trailing tiled syrk). */
const NATIVE_NB = 192;

/**
 * The native path: dpotrf for small orders; above, a right-looking blocked loop whose block width and
 * calls depend on n only (OpenBLAS runs single-threaded; the trailing syrk is tiled over the pool), so the
 * bits do not depend on the thread count.
 * @param {import('../runtime/native_blas.js').NativeBlas} native @param {any} rt @param {number} l byte offset
 * @param {number} n @param {(bad: number) => Error} notPositive
 */
async function choleskyNative(native, rt, l, n, notPositive) {
  const at = (/** @type {number} */ i, /** @type {number} */ j) =>
    new Float64Array(rt.arena.memory.buffer, l + (i * n + j) * 8);
  if (n <= NATIVE_UNBLOCKED_MAX) {
    const bad = native.dpotrfLower(n, at(0, 0), n);
    if (bad >= 0) throw notPositive(bad);
    return;
  }
  for (let k0 = 0; k0 < n; k0 += NATIVE_NB) {
    const kb = Math.min(NATIVE_NB, n - k0),
      k1 = k0 + kb,
      rest = n - k1;
    const bad = native.dpotrfLower(kb, at(k0, k0), n);
    if (bad >= 0) throw notPositive(k0 + bad);
    if (rest === 0) break;
    native.dtrsmLowerTRight(rest, kb, at(k0, k0), n, at(k1, k0), n); // L21 = A21·L11⁻ᵀ
    await rt.syrk({
      trans: false,
      n: rest,
      k: kb,
      alpha: -1,
      a: l + (k1 * n + k0) * 8,
      lda: n,
      beta: 1,
      c: l + (k1 * n + k1) * 8,
      ldc: n,
      lowerOnly: true,
    });
  }
}

/**
 * The WebAssembly path: each diagonal block and the panel below it are factored by `potf` on the calling
 * thread, the trailing update goes to the runtime's syrk.
 * @param {any} rt @param {number} l byte offset @param {number} n @param {(bad: number) => Error} notPositive
 */
async function choleskyWasm(rt, l, n, notPositive) {
  const potf = blasFor(rt.arena.memory).potf;
  /** @param {number} k0 @param {number} kb */
  const factor = (k0, kb) => {
    const bad = potf(l, n * 8, k0, kb, n);
    if (bad >= 0) throw notPositive(bad);
  };
  if (n <= UNBLOCKED_MAX) factor(0, n);
  else {
    for (let k0 = 0; k0 < n; k0 += NB) {
      const kb = Math.min(NB, n - k0);
      factor(k0, kb); // diagonal block, then the panel below it: L21 = A21·L11⁻ᵀ
      // Trailing update of the rest: A22 −= L21·L21ᵀ.
      const k1 = k0 + kb,
        rest = n - k1;
      if (rest > 0) {
        // Small updates are cheaper on this thread than a round trip to the workers (same bits either way).
        const runner = rest * rest * kb < SMALL_UPDATE_FLOPS && rt.inline ? rt.inline : rt;
        await runner.syrk({
          trans: false,
          n: rest,
          k: kb,
          alpha: -1,
          a: l + (k1 * n + k0) * 8,
          lda: n,
          beta: 1,
          c: l + (k1 * n + k1) * 8,
          ldc: n,
        });
      }
    }
  }
}

/**
 * Every element of the inputs is finite: NaN or ±Infinity reaching a factorisation would be reported as "not
 * positive definite" or come out as a NaN result, so the first one is an error naming the input and element.
 * @param {string} kernel @param {[string, ArrayLike<number>][]} inputs
 */
export function checkFiniteInputs(kernel, inputs) {
  for (const [name, v] of inputs) {
    for (let i = 0; i < v.length; i++) {
      const x = /** @type {number} */ (v[i]);
      if (!Number.isFinite(x))
        throw new RangeError(
          `${kernel}: input '${name}' holds ${x} (element ${i}, row-major); the inputs must be finite numbers`,
        );
    }
  }
}
