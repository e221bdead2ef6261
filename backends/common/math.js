// @ts-check
// The f64 math functions JavaScript's Math lacks — erf, erfc, lgamma — plus round half away from zero,
// for generated JS modules ('lensc/runtime/math'), the reference interpreter and constant folding.
// erfc is exp(−x²)·h(x) with h from Chebyshev fits (math_tables.js, made by scripts/math/gen_tables.py
// with mpmath) and exp(−x²) computed from an exact square, so the result stays within a few ulp;
// lgamma divides out its roots at 1 and 2 before fitting, so it keeps relative accuracy beside them,
// uses Stirling's series from 10 on and the reflection formula below 0. Accuracy is tested against
// mpmath values (test/math/fixtures).
import { erfcA, erfcB, erfcC, erfcD, lgammaA, lgammaB, lgammaC } from './math_tables.js';

/** @typedef {import('./math_tables.js').ChebTable} ChebTable */

/** Σ c_k T_k(t), t = (2x − a − b)/(b − a), by Clenshaw's recurrence (c_0 already halved). */
function cheb(/** @type {ChebTable} */ tab, /** @type {number} */ x) {
  const c = tab.c;
  const t = (2 * x - tab.a - tab.b) / (tab.b - tab.a);
  const t2 = 2 * t;
  let b1 = 0,
    b2 = 0;
  for (let k = c.length - 1; k >= 1; k--) {
    const b0 = c[k] + t2 * b1 - b2;
    b2 = b1;
    b1 = b0;
  }
  return c[0] + t * b1 - b2;
}

/** exp(−x²) for |x| ≤ 28: x = hi + lo with hi of 26 bits, so hi² is exact and the rest is small. */
function expNegSquare(/** @type {number} */ x) {
  const c = 134217729 * x; // 2^27 + 1: Dekker's split
  const hi = c - (c - x);
  const lo = x - hi;
  return Math.exp(-hi * hi) * Math.exp(-lo * (x + hi));
}

const TWO_OVER_SQRT_PI = 1.1283791670955126;
// (−1)^n / (n! (2n + 1)), n = 0 … 12: erf(x) = 2/√π · x · Σ a_n x^{2n}
const ERF_SERIES = [
  1,
  -1 / 3,
  1 / 10,
  -1 / 42,
  1 / 216,
  -1 / 1320,
  1 / 9360,
  -1 / 75600,
  1 / 685440,
  -1 / 6894720,
  1 / 76204800,
  -1 / 918086400,
  1 / 11975040000,
];

/** erf for |x| < 0.5 by its Taylor series (alternating, first term dominant). */
function erfSmall(/** @type {number} */ x) {
  const z = x * x;
  let s = ERF_SERIES[12];
  for (let n = 11; n >= 0; n--) s = s * z + ERF_SERIES[n];
  return TWO_OVER_SQRT_PI * (x * s);
}

/** erfc for x ≥ 0.5. */
function erfcLarge(/** @type {number} */ x) {
  if (x >= 28) return 0; // below the smallest subnormal
  const e = expNegSquare(x);
  if (x < 1) return e * cheb(erfcA, x);
  if (x < 2) return e * cheb(erfcB, x);
  if (x < 4) return e * cheb(erfcC, x);
  return (e * cheb(erfcD, 1 / x)) / x;
}

/** The error function. */
export function erf(/** @type {number} */ x) {
  if (Number.isNaN(x)) return NaN;
  const a = Math.abs(x);
  if (a < 0.5) return erfSmall(x);
  const r = a >= 6 ? 1 : 1 - erfcLarge(a);
  return x < 0 ? -r : r;
}

/** The complementary error function 1 − erf(x), accurate where it is tiny. */
export function erfc(/** @type {number} */ x) {
  if (Number.isNaN(x)) return NaN;
  if (x >= 0.5) return erfcLarge(x);
  if (x > -0.5) return 1 - erfSmall(x);
  return 2 - erfcLarge(-x);
}

const LN_SQRT_2PI = 0.9189385332046728; // log(2π)/2
// B_2k / (2k(2k − 1)), k = 1 … 8: Stirling's series in 1/x
const STIRLING = [1 / 12, -1 / 360, 1 / 1260, -1 / 1680, 1 / 1188, -691 / 360360, 1 / 156, -3617 / 122400];

/** sin(πx) with the argument reduced exactly first, so it is accurate near integers too. */
function sinPi(/** @type {number} */ x) {
  let r = x - 2 * Math.round(x / 2); // exact, in [−1, 1]
  const neg = r < 0;
  if (neg) r = -r;
  if (r > 0.5) r = 1 - r; // sin(π r) = sin(π (1 − r)); exact for r in [0.5, 1]
  const s = Math.sin(Math.PI * r);
  return neg ? -s : s;
}

/**
 * log|Γ(x)| for x > 0.
 * @param {number} x @returns {number}
 */
function lgammaPos(x) {
  if (x < 0.5) return lgammaPos(x + 1) - Math.log(x);
  if (x < 1.5) return (x - 1) * cheb(lgammaA, x);
  if (x < 2.5) return (x - 2) * cheb(lgammaB, x);
  if (x < 4) return cheb(lgammaC, x);
  if (x < 10) {
    // Γ(x) = Γ(y)·y(y+1)…(x−1), y = x − n in [3, 4); every x − j is exact
    const n = Math.floor(x) - 3;
    let p = 1;
    for (let j = 1; j <= n; j++) p *= x - j;
    return cheb(lgammaC, x - n) + Math.log(p);
  }
  if (x === Infinity) return Infinity;
  const z = 1 / x,
    z2 = z * z;
  let s = STIRLING[7];
  for (let k = 6; k >= 0; k--) s = s * z2 + STIRLING[k];
  return (x - 0.5) * Math.log(x) - x + LN_SQRT_2PI + s * z;
}

/** log|Γ(x)| (as C's lgamma): +∞ at 0 and the negative integers. */
export function lgamma(/** @type {number} */ x) {
  if (Number.isNaN(x)) return NaN;
  if (x > 0) return lgammaPos(x);
  if (!Number.isFinite(x) || Number.isInteger(x)) return Infinity;
  // reflection: Γ(x)Γ(1 − x) = π / sin(πx)
  return Math.log(Math.PI / Math.abs(sinPi(x))) - lgammaPos(1 - x);
}

/** Round half away from zero (C's round; Math.round rounds −2.5 to −2). */
export function round(/** @type {number} */ x) {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/** The f64 value of each unary function of the DSL (the reference interpreter's and constant folding's). */
export const UNARY_F64 = /** @type {const} */ ({
  neg: (/** @type {number} */ x) => -x,
  cos: Math.cos,
  sin: Math.sin,
  tan: Math.tan,
  asin: Math.asin,
  acos: Math.acos,
  atan: Math.atan,
  sinh: Math.sinh,
  cosh: Math.cosh,
  tanh: Math.tanh,
  asinh: Math.asinh,
  acosh: Math.acosh,
  atanh: Math.atanh,
  exp: Math.exp,
  expm1: Math.expm1,
  log: Math.log,
  log1p: Math.log1p,
  sqrt: Math.sqrt,
  abs: Math.abs,
  sign: Math.sign,
  floor: Math.floor,
  ceil: Math.ceil,
  round,
  trunc: Math.trunc,
  erf,
  erfc,
  lgamma,
  not: (/** @type {number} */ x) => (x ? 0 : 1),
});
