// The f32 math functions WGSL lacks, as WGSL helper sources (helpers.ts emits each one only into the
// shaders that call it): erf, erfc and lgamma from the Chebyshev tables the f64 runtime uses
// (backends/common/math_tables.js, truncated to f32 precision and unrolled: llvmpipe counts loop
// iterations against a per-invocation budget, so no helper loops), log1p, expm1, sinh, tanh, asinh,
// acosh and atanh with series or log1p/expm1 forms where the textbook formula cancels, hypot without
// overflow, and round half away from zero (WGSL's round goes half to even). Helpers never recurse.
import { erfcA, erfcB, erfcC, erfcD, lgammaA, lgammaB, lgammaC, type ChebTable } from '../common/math_tables.js';
import { literal } from './dialect.ts';

const f = (x: number): string => literal(x, 'f32');

/** Clenshaw's recurrence for one table, unrolled, with coefficients below f32 resolution dropped. */
function chebHelper(name: string, tab: ChebTable): string {
  const c = tab.c;
  let n = c.length - 1;
  while (n > 1 && Math.abs(c[n]!) < Math.abs(c[0]!) * 2 ** -27) n--;
  const steps: string[] = [];
  for (let k = n; k >= 1; k--) steps.push(`  b0 = ${f(c[k]!)} + t2 * b1 - b2; b2 = b1; b1 = b0;`);
  return `fn ${name}(x: f32) -> f32 {
  let t = (2.0f * x - ${f(tab.a + tab.b)}) / ${f(tab.b - tab.a)};
  let t2 = 2.0f * t;
  var b0 = 0.0f; var b1 = 0.0f; var b2 = 0.0f;
${steps.join('\n')}
  return ${f(c[0]!)} + t * b1 - b2;
}`;
}

export const MATH_HELPERS: Record<string, string> = {
  lensc_cheb_erfc_a: chebHelper('lensc_cheb_erfc_a', erfcA),
  lensc_cheb_erfc_b: chebHelper('lensc_cheb_erfc_b', erfcB),
  lensc_cheb_erfc_c: chebHelper('lensc_cheb_erfc_c', erfcC),
  lensc_cheb_erfc_d: chebHelper('lensc_cheb_erfc_d', erfcD),
  lensc_cheb_lgamma_a: chebHelper('lensc_cheb_lgamma_a', lgammaA),
  lensc_cheb_lgamma_b: chebHelper('lensc_cheb_lgamma_b', lgammaB),
  lensc_cheb_lgamma_c: chebHelper('lensc_cheb_lgamma_c', lgammaC),
  lensc_exp_neg_sq: `// exp(−x²): hi keeps 12 bits of x, so hi² is exact in f32 and only the small rest is rounded.
fn lensc_exp_neg_sq(x: f32) -> f32 {
  let hi = bitcast<f32>(bitcast<u32>(x) & 0xfffff000u);
  let lo = x - hi;
  return exp(-hi * hi) * exp(-lo * (x + hi));
}`,
  lensc_erf_small: `// erf for |x| < 0.5: its Taylor series.
fn lensc_erf_small(x: f32) -> f32 {
  let z = x * x;
  let s = 1.0f + z * (-0.33333334f + z * (0.1f + z * (-0.023809524f + z * (0.0046296297f + z * (-0.0007575758f + z * 0.00010683761f)))));
  return 1.1283792f * (x * s);
}`,
  lensc_erfc_large: `// erfc for x ≥ 0.5: exp(−x²)·h(x), h from the Chebyshev tables.
fn lensc_erfc_large(x: f32) -> f32 {
  if (x >= 10.0f) { return 0.0f; }
  let e = lensc_exp_neg_sq(x);
  if (x < 1.0f) { return e * lensc_cheb_erfc_a(x); }
  if (x < 2.0f) { return e * lensc_cheb_erfc_b(x); }
  if (x < 4.0f) { return e * lensc_cheb_erfc_c(x); }
  return e * lensc_cheb_erfc_d(1.0f / x) / x;
}`,
  lensc_erf: `fn lensc_erf(x: f32) -> f32 {
  let a = abs(x);
  if (a < 0.5f) { return lensc_erf_small(x); }
  let r = select(1.0f - lensc_erfc_large(a), 1.0f, a >= 4.0f);
  return select(r, -r, x < 0.0f);
}`,
  lensc_erfc: `fn lensc_erfc(x: f32) -> f32 {
  if (x >= 0.5f) { return lensc_erfc_large(x); }
  if (x > -0.5f) { return 1.0f - lensc_erf_small(x); }
  return 2.0f - lensc_erfc_large(-x);
}`,
  lensc_lgamma_half: `// log Γ(x) for x ≥ 0.5: the roots at 1 and 2 divided out of the fits, a product down to [3, 4) below
// 10 (unrolled), Stirling's series from 10.
fn lensc_lgamma_half(x: f32) -> f32 {
  if (x < 1.5f) { return (x - 1.0f) * lensc_cheb_lgamma_a(x); }
  if (x < 2.5f) { return (x - 2.0f) * lensc_cheb_lgamma_b(x); }
  if (x < 4.0f) { return lensc_cheb_lgamma_c(x); }
  if (x < 10.0f) {
    let n = floor(x) - 3.0f;
    var p = x - 1.0f;
    p *= select(1.0f, x - 2.0f, n >= 2.0f);
    p *= select(1.0f, x - 3.0f, n >= 3.0f);
    p *= select(1.0f, x - 4.0f, n >= 4.0f);
    p *= select(1.0f, x - 5.0f, n >= 5.0f);
    p *= select(1.0f, x - 6.0f, n >= 6.0f);
    return lensc_cheb_lgamma_c(x - n) + log(p);
  }
  let z = 1.0f / x;
  let z2 = z * z;
  let s = z * (0.083333336f + z2 * (-0.0027777778f + z2 * (0.0007936508f - z2 * 0.0005952381f)));
  return (x - 0.5f) * log(x) - x + 0.9189385f + s;
}`,
  lensc_lgamma_pos: `fn lensc_lgamma_pos(x: f32) -> f32 {
  if (x < 0.5f) { return lensc_lgamma_half(x + 1.0f) - log(x); }
  return lensc_lgamma_half(x);
}`,
  lensc_lgamma: `// log|Γ(x)|: +∞ at 0 and the negative integers; the reflection formula below 0.
fn lensc_lgamma(x: f32) -> f32 {
  if (x > 0.0f) { return lensc_lgamma_pos(x); }
  if (floor(x) == x) { return lensc_bits(0x7f800000u); }
  var r = x - 2.0f * round(x * 0.5f);
  let a = abs(r);
  let s = sin(3.1415927f * select(a, 1.0f - a, a > 0.5f));
  return log(3.1415927f / s) - lensc_lgamma_pos(1.0f - x);
}`,
  lensc_log1p: `// log(1 + x): for |x| < 0.5 as 2·atanh(x/(2 + x)) by its series, which does not cancel.
fn lensc_log1p(x: f32) -> f32 {
  if (abs(x) >= 0.5f) { return log(1.0f + x); }
  let s = x / (2.0f + x);
  let z = s * s;
  return 2.0f * s * (1.0f + z * (0.33333334f + z * (0.2f + z * (0.14285715f + z * (0.11111111f + z * (0.09090909f + z * 0.07692308f))))));
}`,
  lensc_expm1: `// exp(x) − 1: for |x| < 0.5 by its Taylor series.
fn lensc_expm1(x: f32) -> f32 {
  if (abs(x) >= 0.5f) { return exp(x) - 1.0f; }
  return x * (1.0f + x * (0.5f + x * (0.16666667f + x * (0.041666668f + x * (0.008333334f + x * (0.0013888889f + x * (0.0001984127f + x * 0.000024801588f)))))));
}`,
  lensc_sinh: `fn lensc_sinh(x: f32) -> f32 {
  if (abs(x) >= 0.5f) { return sinh(x); }
  let z = x * x;
  return x * (1.0f + z * (0.16666667f + z * (0.008333334f + z * (0.0001984127f + z * 0.0000027557319f))));
}`,
  lensc_tanh: `fn lensc_tanh(x: f32) -> f32 {
  let a = abs(x);
  let t = lensc_expm1(2.0f * a);
  let r = select(t / (t + 2.0f), 1.0f, a > 9.0f);
  return select(r, -r, x < 0.0f);
}`,
  lensc_asinh: `fn lensc_asinh(x: f32) -> f32 {
  let a = abs(x);
  let r = select(lensc_log1p(a + a * a / (1.0f + sqrt(1.0f + a * a))), log(a) + 0.6931472f, a > 4096.0f);
  return select(r, -r, x < 0.0f);
}`,
  lensc_acosh: `fn lensc_acosh(x: f32) -> f32 {
  let t = x - 1.0f;
  return select(lensc_log1p(t + sqrt(2.0f * t + t * t)), log(x) + 0.6931472f, x > 4096.0f);
}`,
  lensc_atanh: `fn lensc_atanh(x: f32) -> f32 {
  let a = abs(x);
  let r = 0.5f * lensc_log1p(2.0f * a / (1.0f - a));
  return select(r, -r, x < 0.0f);
}`,
  lensc_hypot: `// √(a² + b²) scaled by the larger magnitude, so the squares neither overflow nor underflow.
fn lensc_hypot(a: f32, b: f32) -> f32 {
  let x = abs(a);
  let y = abs(b);
  let m = max(x, y);
  if (m == 0.0f || m > 3.4028234e38f) { return m; }
  let r = min(x, y) / m;
  return m * sqrt(1.0f + r * r);
}`,
  // WGSL allows atan, asin and acos 4096 ulp, and llvmpipe's are ~1e-4 off: Cephes' f32 versions instead.
  lensc_atan: `// Cephes atanf: reduced to |x| ≤ tan(π/8), then an odd polynomial.
fn lensc_atan(x: f32) -> f32 {
  var a = abs(x);
  var base = 0.0f;
  if (a > 2.4142137f) { base = 1.5707964f; a = -1.0f / a; }
  else if (a > 0.41421357f) { base = 0.7853982f; a = (a - 1.0f) / (a + 1.0f); }
  let z = a * a;
  let r = base + ((((0.0805374449538f * z - 0.138776856032f) * z + 0.199777106478f) * z - 0.333329491539f) * z * a + a);
  return select(r, -r, x < 0.0f);
}`,
  lensc_atan2: `fn lensc_atan2(y: f32, x: f32) -> f32 {
  if (x == 0.0f) { return select(select(0.0f, -1.5707964f, y < 0.0f), 1.5707964f, y > 0.0f); }
  let t = lensc_atan(y / x);
  if (x > 0.0f) { return t; }
  return select(t - 3.1415927f, t + 3.1415927f, y >= 0.0f);
}`,
  lensc_asin: `// Cephes asinf: |x| > 0.5 through asin(x) = π/2 − 2 asin(√((1 − x)/2)).
fn lensc_asin(x: f32) -> f32 {
  let a = abs(x);
  var z = a * a;
  var s = a;
  let big = a > 0.5f;
  if (big) { z = 0.5f * (1.0f - a); s = sqrt(z); }
  var r = ((((0.042163199048f * z + 0.024181311049f) * z + 0.045470025998f) * z + 0.074953002686f) * z + 0.16666752422f) * z * s + s;
  if (big) { r = 1.5707964f - (r + r); }
  if (a > 1.0f) { r = lensc_bits(0x7fc00000u); }
  return select(r, -r, x < 0.0f);
}`,
  lensc_acos: `fn lensc_acos(x: f32) -> f32 {
  if (x < -0.5f) { return 3.1415927f - 2.0f * lensc_asin(sqrt(0.5f * (1.0f + x))); }
  if (x > 0.5f) { return 2.0f * lensc_asin(sqrt(0.5f * (1.0f - x))); }
  return 1.5707964f - lensc_asin(x);
}`,
  lensc_round: `// Round half away from zero (WGSL's round goes half to even).
fn lensc_round(x: f32) -> f32 {
  let t = trunc(x);
  return select(t, t + sign(x), abs(x - t) >= 0.5f);
}`,
};
