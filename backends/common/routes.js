// @ts-check
// Run-time half of routed kernels (dsl/routes.ts), shared by every target's routed module and by `lensc explain`:
// evaluates each route's cost formula (compiler/plan/cost.ts) at the call's sizes with the target's seconds per
// unit of work, and picks the cheapest route — or the one the caller forces, checked by name.

import { evalTerms } from './plan.js';

/** @typedef {Array<Array<number|string>>} Terms */
/** @typedef {{ unit: string, coef: number, count: Terms, log2?: Terms, serial?: boolean }} CostTermJson */
/** @typedef {{ name: string, kernel: string, cost: CostTermJson[] }} RouteInfo */
/** @typedef {{ seconds: Record<string, number>, source: string, serialSlowdown?: number }} CostConstants */

/**
 * Estimated seconds of one route at these sizes.
 * @param {CostTermJson[]} terms @param {Record<string, number>} sizes @param {CostConstants} model
 */
export function routeSeconds(terms, sizes, model) {
  let total = 0;
  for (const t of terms) {
    const per = model.seconds[t.unit];
    if (per === undefined) throw new Error(`cost model has no constant for unit '${t.unit}'`);
    let n = t.coef * evalTerms(t.count, sizes);
    if (t.log2) n *= Math.log2(Math.max(2, evalTerms(t.log2, sizes)));
    // work on one thread or lane (manifests written before this field: no slowdown)
    if (t.serial) n *= model.serialSlowdown ?? 1;
    total += n * per;
  }
  return total;
}

/**
 * The route a call takes: `forced` when given (an error naming the option and the routes if it is not one of
 * them), else the cheapest by estimate (the first declared on a tie).
 * @param {string} kernel
 * @param {{ readonly routes: readonly RouteInfo[], readonly costModel: CostConstants }} manifest
 * @param {Record<string, number>} sizes
 * @param {unknown} [forced]
 * @returns {{ route: string, forced: boolean, seconds: Record<string, number> }}
 */
export function chooseRoute(kernel, manifest, sizes, forced) {
  const names = manifest.routes.map((r) => r.name);
  /** @type {Record<string, number>} */
  const seconds = {};
  for (const r of manifest.routes) seconds[r.name] = routeSeconds(r.cost, sizes, manifest.costModel);
  if (forced !== undefined) {
    if (typeof forced !== 'string' || !names.includes(forced))
      throw new RangeError(
        `${kernel}: options.route must be one of ${names.map((n) => `'${n}'`).join(', ')}, got ${typeof forced === 'string' ? `'${forced}'` : String(forced)}`,
      );
    return { route: forced, forced: true, seconds };
  }
  let best = /** @type {string} */ (names[0]);
  for (const n of names) if (/** @type {number} */ (seconds[n]) < /** @type {number} */ (seconds[best])) best = n;
  return { route: best, forced: false, seconds };
}

/**
 * The options a route's module gets: the caller's, less `route` (which only the routed module knows). Anything
 * that is not a plain object goes through as it is, for the route's own options check to reject.
 * @param {unknown} options
 */
export function routeOptions(options) {
  if (typeof options !== 'object' || options === null || !('route' in options)) return options;
  const { route: _route, ...rest } = /** @type {Record<string, unknown>} */ (options);
  return rest;
}
