// @ts-check
// `lensc/runtime/js-support` in browsers (the "browser" export condition; Node keeps index.js): the capability
// record, options checking and dense f64 linear algebra with no `node:` import — no free-memory probe, no
// native BLAS. Cholesky is the plain column-by-column factorisation on the calling thread, the same summation
// order as linalg.js's unblocked reference, so results agree with Node within rounding, not bit for bit.
export { checkOptions } from '../../common/options.js';
export { timedFor } from './progress.js';
export { mirrorLower } from './mirror.js';

const GiB = 1024 ** 3,
  MiB = 1024 ** 2;

/** navigator.deviceMemory (GiB, rounded down by the browser) when given, else 4 GiB. */
function deviceMemoryBytes() {
  const gib = /** @type {{ deviceMemory?: number } | undefined} */ (globalThis.navigator)?.deviceMemory;
  return (typeof gib === 'number' && gib > 0 ? gib : 4) * GiB;
}

/** @param {number} [freeMemoryBytes] @param {number} [cacheBytes] */
export function jsCapabilities(freeMemoryBytes = deviceMemoryBytes(), cacheBytes = 2 * MiB) {
  return {
    target: /** @type {'js'} */ ('js'),
    memoryBytes: Math.min(Math.floor(freeMemoryBytes / 4), 3 * GiB),
    maxBufferBytes: 4 * GiB - 64 * 1024,
    maxBindingBytes: 4 * GiB - 64 * 1024,
    maxBindingsPerKernel: Infinity,
    maxWorkgroupsPerDim: Infinity,
    supportsF64: true,
    preferredChunkBytes: cacheBytes * 4,
  };
}

/**
 * L (lower, row-major n×n) with L·Lᵀ = A; only A's lower triangle is read, L's upper triangle is 0.
 * @param {Float64Array} a @param {Float64Array} l @param {number} n @param {string} kernel
 */
export function cholesky(a, l, n, kernel) {
  if (l !== a) l.set(a.subarray(0, n * n));
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    let d = /** @type {number} */ (l[rj + j]);
    for (let p = 0; p < j; p++) d -= /** @type {number} */ (l[rj + p]) * /** @type {number} */ (l[rj + p]);
    if (!(d > 0)) {
      throw new RangeError(
        `${kernel}: the matrix is not positive definite (Cholesky pivot ${j} of ${n} is ${d}); check that the curvature and regularization matrices are symmetric positive definite`,
      );
    }
    const djj = Math.sqrt(d);
    l[rj + j] = djj;
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      let t = /** @type {number} */ (l[ri + j]);
      for (let p = 0; p < j; p++) t -= /** @type {number} */ (l[ri + p]) * /** @type {number} */ (l[rj + p]);
      l[ri + j] = t / djj;
    }
  }
  for (let i = 0; i < n; i++) l.fill(0, i * n + i + 1, (i + 1) * n);
}

/** What generated kernels call: the factorisation of an arena buffer into another (or in place). */
/** @param {{ arena: { view(ref: any): Float64Array } }} rt @param {any} aRef @param {any} lRef @param {number} n @param {string} kernel */
export async function choleskyBlocked(rt, aRef, lRef, n, kernel) {
  cholesky(rt.arena.view(aRef), rt.arena.view(lRef), n, kernel);
}

/**
 * Solves L·X = B (or Lᵀ·X = B) for X (n×cols, row-major); out may alias b.
 * @param {Float64Array} l @param {Float64Array} b @param {Float64Array} out @param {number} n @param {number} cols @param {boolean} transpose
 */
export function triSolve(l, b, out, n, cols, transpose) {
  if (out !== b) out.set(b.subarray(0, n * cols));
  const L = (/** @type {number} */ i) => /** @type {number} */ (l[i]);
  const X = (/** @type {number} */ i) => /** @type {number} */ (out[i]);
  for (let c = 0; c < cols; c++) {
    if (!transpose) {
      for (let i = 0; i < n; i++) {
        let s = X(i * cols + c);
        for (let j = 0; j < i; j++) s -= L(i * n + j) * X(j * cols + c);
        out[i * cols + c] = s / L(i * n + i);
      }
    } else {
      for (let i = n - 1; i >= 0; i--) {
        let s = X(i * cols + c);
        for (let j = i + 1; j < n; j++) s -= L(j * n + i) * X(j * cols + c);
        out[i * cols + c] = s / L(i * n + i);
      }
    }
  }
}

/**
 * Every element of the inputs is finite (as linalg.js's checkFiniteInputs, which this module cannot import: linalg.js
 * loads the native BLAS); the first NaN or ±Infinity is an error naming the input and element.
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
