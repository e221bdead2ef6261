// @ts-check
// What generated JS kernels import besides the worker/arena/BLAS runtime: the capability record,
// options checking and dense linear algebra (`lensc/runtime/js-support`).
export { jsCapabilities } from './capabilities.js';
export { cholesky, choleskyBlocked, triSolve } from './linalg.js';

const KNOWN = ['threads', 'memoryBudgetBytes', 'onProgress', 'device'];

/** @param {string} kernel @param {unknown} options */
export function checkOptions(kernel, options) {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null) throw new TypeError(`${kernel}: options must be an object ({ ${KNOWN.join(', ')} }), got ${String(options)}`);
  const o = /** @type {Record<string, unknown>} */ (options);
  for (const k of Object.keys(o)) if (!KNOWN.includes(k)) throw new TypeError(`${kernel}: unknown option '${k}' (accepted: ${KNOWN.join(', ')})`);
  if (o.threads !== undefined && (!Number.isInteger(o.threads) || /** @type {number} */ (o.threads) < 1)) throw new RangeError(`${kernel}: options.threads must be a positive integer, got ${String(o.threads)}`);
  if (o.onProgress !== undefined && typeof o.onProgress !== 'function') throw new TypeError(`${kernel}: options.onProgress must be a function (fraction, message) => void`);
  return o;
}
