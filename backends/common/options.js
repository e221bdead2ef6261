// @ts-check
// The options every generated kernel accepts, whatever its target (the module contract):
// { threads?, memoryBudgetBytes?, onProgress?, device? }. Targets check their own extras on top.

export const KNOWN_OPTIONS = Object.freeze(['threads', 'memoryBudgetBytes', 'onProgress', 'device']);

/**
 * @param {string} kernel @param {unknown} options
 * @returns {{ threads?: number, memoryBudgetBytes?: number, onProgress?: (fraction: number, message: string) => void, device?: unknown }}
 */
export function checkOptions(kernel, options) {
  if (options === undefined) return {};
  if (typeof options !== 'object' || options === null)
    throw new TypeError(
      `${kernel}: options must be an object ({ ${KNOWN_OPTIONS.join(', ')} }), got ${String(options)}`,
    );
  const o = /** @type {Record<string, unknown>} */ (options);
  for (const k of Object.keys(o))
    if (!KNOWN_OPTIONS.includes(k))
      throw new TypeError(`${kernel}: unknown option '${k}' (accepted: ${KNOWN_OPTIONS.join(', ')})`);
  if (o.threads !== undefined && (!Number.isInteger(o.threads) || /** @type {number} */ (o.threads) < 1))
    throw new RangeError(`${kernel}: options.threads must be a positive integer, got ${String(o.threads)}`);
  if (o.onProgress !== undefined && typeof o.onProgress !== 'function')
    throw new TypeError(`${kernel}: options.onProgress must be a function (fraction, message) => void`);
  return /** @type {any} */ (o);
}
