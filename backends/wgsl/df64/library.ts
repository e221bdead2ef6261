// The df64 ("double-float") arithmetic the WGSL target uses for kernels compiled with precision
// 'df64': every f64 value is an unevaluated sum hi + lo of two f32 held in a vec2<f32> (x = hi,
// y = lo, |lo| ≤ ½ulp(hi)), which carries ~48 significant bits (unit roundoff ≈ 2⁻⁴⁸ ≈ 3.6e-15)
// with f32's exponent range. Built on error-free transformations:
//  - TwoSum (Knuth): s + e = a + b exactly. Every step goes through the uniform ONE (= 1.0 at run
//    time): Mesa's shader compiler proves the error term algebraically zero and deletes it otherwise
//    (backends/wgsl/NOTES.md), and other drivers' compilers may too.
//  - TwoProduct (support/df64_two_product.js): e = fma(a, b, −p) where the device's fma is fused
//    (one instruction; the runtime probes each device by running this very function, and sets the
//    override constant that picks the branch), otherwise Dekker's splitting with the split done on
//    the bits (the top 12 significant bits by masking the low 12 mantissa bits): both halves'
//    products are exact in f32, no compiler can prove the mask away, and a driver that contracts
//    a·b − p into an fma changes nothing (that fma is exact too). llvmpipe's fma is not fused.
// Algorithms follow the QD library's "accurate" double-double forms (Hida, Li, Bailey), with
// df_add's error bound relative to the result even under cancellation. Transcendentals: cos/sin by
// a Cody–Waite reduction with a 72-bit π/2 then Taylor series on |s| ≤ π/4; exp by reduction with a
// 72-bit ln 2 then Taylor; log by one Newton step on exp from the f32 log; sqrt by one Newton step.
//
// Each function is emitted only into shaders that call it (with the functions it calls), with ONE
// replaced by the shader's uniform expression.
import { DF64_SPLIT, DF64_TWO_PROD } from '../support/df64_two_product.js';

import { specialFunctions } from './special.ts';

/** f64 → (hi, lo) as two f32 with hi + lo = x to ~2⁻⁴⁸ relative (the host-side split). */
export function splitF64(x: number): [number, number] {
  const hi = Math.fround(x);
  if (!Number.isFinite(hi)) return [hi, 0];
  return [hi, Math.fround(x - hi)];
}

/** A WGSL f32 literal of an f32 value (finite). */
function f32Lit(v: number): string {
  const f = Math.fround(v);
  if (!Number.isFinite(f)) throw new Error(`df64: constant ${v} is outside f32's range`);
  let s = String(Math.abs(f));
  if (!/[.eE]/.test(s)) s += '.0';
  return f < 0 || Object.is(f, -0) ? `(-${s}f)` : `${s}f`;
}

/** A df64 constant as a WGSL vec2<f32> expression. */
export function dfConst(x: number): string {
  const [hi, lo] = splitF64(x);
  return `vec2<f32>(${f32Lit(hi)}, ${f32Lit(lo)})`;
}

// π/2 and ln 2 beyond f64: the f64 value plus its rounding error (from high-precision constants).
// π/2 = 1.5707963267948966192313216916397514…, f64(π/2) = 1.5707963267948965579989817342720925…
const PIO2_TAIL = 6.123233995736766e-17; // π/2 − f64(π/2)
// ln 2 = 0.69314718055994530941723212145817656…, f64(ln 2) = 0.69314718055994528622676398299518041…
const LN2_TAIL = 2.3190468138462996e-17; // ln 2 − f64(ln 2)

/** x + tail (tail: x's rounding error as an f64) as three f32 parts c1 + c2 + c3, ~72 bits. */
function partsWithTail(x: number, tail: number): [number, number, number] {
  const c1 = Math.fround(x);
  const c2 = Math.fround(x - c1);
  // x − c1 − c2 is exact in f64 (c1, c2 are x's leading bits); the tail supplies the bits beyond f64.
  const c3 = Math.fround(x - c1 - c2 + tail);
  return [c1, c2, c3];
}

const PIO2 = partsWithTail(Math.PI / 2, PIO2_TAIL);
const LN2 = partsWithTail(Math.LN2, LN2_TAIL);

/** 1/n! for the Taylor series (f64: their own rounding is far below df64's). */
const invFact = (n: number): number => {
  let f = 1;
  for (let i = 2; i <= n; i++) f *= i;
  return 1 / f;
};

/** Horner steps acc = acc·z + c for the given coefficients, highest power first. */
function horner(coeffs: readonly number[], z: string, acc = 'acc'): string {
  const [first, ...rest] = coeffs;
  return [
    `  var ${acc} = ${dfConst(first!)};`,
    ...rest.map((c) => `  ${acc} = df_add(df_mul(${acc}, ${z}), ${dfConst(c)});`),
  ].join('\n');
}

// sin s = s·Σ (−1)^k s^2k/(2k+1)!, cos s = Σ (−1)^k s^2k/(2k)!, |s| ≤ π/4: through s^17 / s^18
// the first omitted term is below 2⁻⁵⁶.
const SIN_COEFFS = [8, 7, 6, 5, 4, 3, 2, 1, 0].map((k) => (k % 2 ? -1 : 1) * invFact(2 * k + 1));
const COS_COEFFS = [9, 8, 7, 6, 5, 4, 3, 2, 1, 0].map((k) => (k % 2 ? -1 : 1) * invFact(2 * k));
// e^r = Σ r^n/n!, |r| ≤ ln2/2: through r^15 the first omitted term is below 2⁻⁵⁵.
const EXP_COEFFS = Array.from({ length: 16 }, (_, i) => invFact(15 - i));

interface Fn {
  readonly deps: readonly string[];
  readonly src: string;
}

const F32_MAX = '3.4028234663852886e38f';

const LIB: Record<string, Fn> = {
  df_bits: {
    deps: [],
    src: `// An f32 from its bits through a variable (constant ∞ and NaN are WGSL errors).
fn df_bits(x: u32) -> f32 { var b = x; return bitcast<f32>(b); }`,
  },
  df_two_sum: {
    deps: [],
    src: `// s + e = a + b exactly (Knuth's TwoSum; ONE keeps the compiler from deleting e).
fn df_two_sum(a: f32, b: f32) -> vec2<f32> {
  let s = a + b;
  let bb = (s * ONE - a) * ONE;
  let e = (a - (s - bb) * ONE) * ONE + (b - bb);
  return vec2<f32>(s, e);
}`,
  },
  df_quick_two_sum: {
    deps: [],
    src: `// s + e = a + b exactly when |a| ≥ |b| (or a = 0); non-finite s passes through with e = 0.
fn df_quick_two_sum(a: f32, b: f32) -> vec2<f32> {
  let s = a + b;
  let e = b - (s * ONE - a) * ONE;
  return select(vec2<f32>(s, 0.0f), vec2<f32>(s, e), abs(s) <= ${F32_MAX});
}`,
  },
  // Dekker's split and TwoProduct (fma where fused, else Dekker): the runtime's probe runs the same text.
  df_split: { deps: [], src: DF64_SPLIT },
  df_two_prod: { deps: ['df_split'], src: DF64_TWO_PROD },
  df_add: {
    deps: ['df_two_sum', 'df_quick_two_sum'],
    src: `fn df_add(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> {
  let s = df_two_sum(a.x, b.x);
  if (!(abs(s.x) <= ${F32_MAX})) { return vec2<f32>(s.x, 0.0f); }
  let t = df_two_sum(a.y, b.y);
  let u = df_quick_two_sum(s.x, s.y + t.x);
  return df_quick_two_sum(u.x, u.y + t.y);
}`,
  },
  df_neg: { deps: [], src: `fn df_neg(a: vec2<f32>) -> vec2<f32> { return vec2<f32>(-a.x, -a.y); }` },
  df_sub: {
    deps: ['df_add', 'df_neg'],
    src: `fn df_sub(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> { return df_add(a, df_neg(b)); }`,
  },
  // f64 inputs held exactly as three f32 (F64x3, exact_inputs.ts): (hi, mid) is itself a df64 pair and
  // lo what is left of the 53 bits, so sums and differences take the pairs through the accurate df_add
  // and add lo last — the result is accurate relative to itself even when the inputs cancel.
  df_from_x3: {
    deps: [],
    src: `// The df64 pair of an exactly held f64: (hi, fl(mid + lo)), the pair the two-float upload gives.
fn df_from_x3(a: F64x3) -> vec2<f32> { return vec2<f32>(a.hi, a.mid + a.lo); }`,
  },
  df_add_x3: {
    deps: ['df_add'],
    src: `// a + b for an exactly held a and a df64 b.
fn df_add_x3(a: F64x3, b: vec2<f32>) -> vec2<f32> {
  return df_add(df_add(vec2<f32>(a.hi, a.mid), b), vec2<f32>(a.lo, 0.0f));
}`,
  },
  df_add_x3x3: {
    deps: ['df_add'],
    src: `// a + b for exactly held a and b (lo + lo is exact but in extreme exponent gaps).
fn df_add_x3x3(a: F64x3, b: F64x3) -> vec2<f32> {
  return df_add(df_add(vec2<f32>(a.hi, a.mid), vec2<f32>(b.hi, b.mid)), vec2<f32>(a.lo + b.lo, 0.0f));
}`,
  },
  df_sub_x3x3: {
    deps: ['df_add'],
    src: `// a − b for exactly held a and b: data − model with a residual 10⁻⁷ of the data keeps ~48 bits of it.
fn df_sub_x3x3(a: F64x3, b: F64x3) -> vec2<f32> {
  return df_add(df_add(vec2<f32>(a.hi, a.mid), vec2<f32>(-b.hi, -b.mid)), vec2<f32>(a.lo - b.lo, 0.0f));
}`,
  },
  df_lt_x3: {
    deps: [],
    src: `// Exact comparisons of exactly held values: (hi, mid, lo) are each rounded to nearest from what the
// earlier parts leave, so their lexicographic order is the order of the values.
fn df_lt_x3(a: F64x3, b: F64x3) -> bool {
  return a.hi < b.hi || (a.hi == b.hi && (a.mid < b.mid || (a.mid == b.mid && a.lo < b.lo)));
}`,
  },
  df_le_x3: {
    deps: [],
    src: `fn df_le_x3(a: F64x3, b: F64x3) -> bool {
  return a.hi < b.hi || (a.hi == b.hi && (a.mid < b.mid || (a.mid == b.mid && a.lo <= b.lo)));
}`,
  },
  df_eq_x3: {
    deps: [],
    src: `fn df_eq_x3(a: F64x3, b: F64x3) -> bool { return a.hi == b.hi && a.mid == b.mid && a.lo == b.lo; }`,
  },
  df_mul: {
    deps: ['df_two_prod', 'df_quick_two_sum'],
    src: `fn df_mul(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> {
  let p = df_two_prod(a.x, b.x);
  return df_quick_two_sum(p.x, p.y + (a.x * b.y + a.y * b.x));
}`,
  },
  df_mul_f: {
    deps: ['df_two_prod', 'df_quick_two_sum'],
    src: `fn df_mul_f(a: vec2<f32>, b: f32) -> vec2<f32> {
  let p = df_two_prod(a.x, b);
  return df_quick_two_sum(p.x, p.y + a.y * b);
}`,
  },
  df_div: {
    deps: ['df_sub', 'df_mul_f', 'df_add', 'df_quick_two_sum'],
    src: `// Long division: three f32 quotient digits, each remainder formed exactly enough in df64.
fn df_div(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> {
  let q1 = a.x / b.x;
  if (!(abs(q1) <= ${F32_MAX}) || b.x == 0.0f) { return vec2<f32>(q1, 0.0f); }
  var r = df_sub(a, df_mul_f(b, q1));
  let q2 = r.x / b.x;
  r = df_sub(r, df_mul_f(b, q2));
  let q3 = r.x / b.x;
  return df_add(df_quick_two_sum(q1, q2), vec2<f32>(q3, 0.0f));
}`,
  },
  df_sqrt: {
    deps: ['df_sub', 'df_two_prod', 'df_quick_two_sum'],
    src: `// One Newton step from the f32 root: y + (a − y²)/(2y).
fn df_sqrt(a: vec2<f32>) -> vec2<f32> {
  if (!(a.x > 0.0f) || !(a.x <= ${F32_MAX})) { return vec2<f32>(sqrt(a.x), 0.0f); }
  let y = sqrt(a.x);
  let r = df_sub(a, df_two_prod(y, y));
  return df_quick_two_sum(y, r.x / (2.0f * y));
}`,
  },
  df_lt: {
    deps: [],
    src: `fn df_lt(a: vec2<f32>, b: vec2<f32>) -> bool { return a.x < b.x || (a.x == b.x && a.y < b.y); }`,
  },
  df_le: {
    deps: [],
    src: `fn df_le(a: vec2<f32>, b: vec2<f32>) -> bool { return a.x < b.x || (a.x == b.x && a.y <= b.y); }`,
  },
  df_eq: { deps: [], src: `fn df_eq(a: vec2<f32>, b: vec2<f32>) -> bool { return a.x == b.x && a.y == b.y; }` },
  df_min: {
    deps: ['df_lt'],
    src: `// NaN-propagating like Math.min.
fn df_min(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> {
  if (a.x != a.x) { return a; }
  if (b.x != b.x) { return b; }
  return select(b, a, df_lt(a, b));
}`,
  },
  df_max: {
    deps: ['df_lt'],
    src: `fn df_max(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> {
  if (a.x != a.x) { return a; }
  if (b.x != b.x) { return b; }
  return select(a, b, df_lt(a, b));
}`,
  },
  df_abs: {
    deps: ['df_neg'],
    src: `fn df_abs(a: vec2<f32>) -> vec2<f32> { return select(a, df_neg(a), a.x < 0.0f || (a.x == 0.0f && a.y < 0.0f)); }`,
  },
  df_floor: {
    deps: ['df_quick_two_sum'],
    src: `fn df_floor(a: vec2<f32>) -> vec2<f32> {
  let h = floor(a.x);
  if (h != a.x) { return vec2<f32>(h, 0.0f); }
  return df_quick_two_sum(h, floor(a.y));
}`,
  },
  df_ceil: {
    deps: ['df_floor', 'df_neg'],
    src: `fn df_ceil(a: vec2<f32>) -> vec2<f32> { return df_neg(df_floor(df_neg(a))); }`,
  },
  df_trunc: {
    deps: ['df_floor', 'df_ceil'],
    src: `fn df_trunc(a: vec2<f32>) -> vec2<f32> { return select(df_floor(a), df_ceil(a), a.x < 0.0f); }`,
  },
  df_mod: {
    deps: ['df_sub', 'df_mul', 'df_floor', 'df_div'],
    src: `// Floor modulo a − floor(a/b)·b, as on the JS backend.
fn df_mod(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> { return df_sub(a, df_mul(df_floor(df_div(a, b)), b)); }`,
  },
  df_from_i32: {
    deps: [],
    src: `fn df_from_i32(i: i32) -> vec2<f32> {
  let hi = f32(i);
  // i − i32(hi) is exact; hi = 2³¹ (from i near the top of the range) would overflow i32(hi).
  if (hi >= 2147483648.0f) { return vec2<f32>(hi, f32(i - 2147483647i) - 1.0f); }
  return vec2<f32>(hi, f32(i - i32(hi)));
}`,
  },
  df_to_i32: {
    deps: ['df_trunc'],
    src: `// Truncation toward zero (the JS backend's Math.trunc … | 0 for values in range).
fn df_to_i32(a: vec2<f32>) -> i32 {
  let t = df_trunc(a);
  if (abs(t.x) >= 2147483648.0f) { return i32(t.x); }
  return i32(t.x) + i32(t.y);
}`,
  },
  df_sincos_small: {
    deps: ['df_add', 'df_mul'],
    src: `// (sin s, cos s) for |s| ≤ π/4 by their Taylor series in s².
fn df_sincos_small(s: vec2<f32>) -> array<vec2<f32>, 2> {
  let z = df_mul(s, s);
${horner(SIN_COEFFS, 'z')}
  let sn = df_mul(acc, s);
${horner(COS_COEFFS, 'z', 'acc2')}
  return array<vec2<f32>, 2>(sn, acc2);
}`,
  },
  df_reduce_pio2: {
    deps: ['df_sub', 'df_two_prod'],
    src: `// x − q·π/2 (π/2 to 72 bits, each q·part exact) with q = round(x/(π/2)) in .z (as f32).
fn df_reduce_pio2(x: vec2<f32>) -> vec3<f32> {
  let q = floor(x.x * ${f32Lit(2 / Math.PI)} + 0.5f);
  var r = df_sub(x, df_two_prod(q, ${f32Lit(PIO2[0])}));
  r = df_sub(r, df_two_prod(q, ${f32Lit(PIO2[1])}));
  r = df_sub(r, df_two_prod(q, ${f32Lit(PIO2[2])}));
  return vec3<f32>(r, q);
}`,
  },
  df_sin: {
    deps: ['df_reduce_pio2', 'df_sincos_small', 'df_neg'],
    src: `fn df_sin(x: vec2<f32>) -> vec2<f32> {
  if (!(abs(x.x) <= ${F32_MAX})) { return vec2<f32>(sin(x.x), 0.0f); }
  let r = df_reduce_pio2(x);
  let sc = df_sincos_small(r.xy);
  let q = i32(r.z - 4.0f * floor(r.z * 0.25f));
  switch (q) {
    case 0: { return sc[0]; }
    case 1: { return sc[1]; }
    case 2: { return df_neg(sc[0]); }
    default: { return df_neg(sc[1]); }
  }
}`,
  },
  df_cos: {
    deps: ['df_reduce_pio2', 'df_sincos_small', 'df_neg'],
    src: `fn df_cos(x: vec2<f32>) -> vec2<f32> {
  if (!(abs(x.x) <= ${F32_MAX})) { return vec2<f32>(cos(x.x), 0.0f); }
  let r = df_reduce_pio2(x);
  let sc = df_sincos_small(r.xy);
  let q = i32(r.z - 4.0f * floor(r.z * 0.25f));
  switch (q) {
    case 0: { return sc[1]; }
    case 1: { return df_neg(sc[0]); }
    case 2: { return df_neg(sc[1]); }
    default: { return sc[0]; }
  }
}`,
  },
  df_tan: {
    deps: ['df_sin', 'df_cos', 'df_div'],
    src: `fn df_tan(x: vec2<f32>) -> vec2<f32> { return df_div(df_sin(x), df_cos(x)); }`,
  },
  df_exp: {
    deps: ['df_bits', 'df_sub', 'df_add', 'df_mul', 'df_two_prod'],
    src: `// e^x = 2^k · e^r, r = x − k·ln 2 (ln 2 to 72 bits), e^r by its Taylor series.
fn df_exp(x: vec2<f32>) -> vec2<f32> {
  if (x.x != x.x) { return x; }
  if (x.x > 88.8f) { return vec2<f32>(df_bits(0x7f800000u), 0.0f); }
  if (x.x < -104.0f) { return vec2<f32>(0.0f, 0.0f); }
  let k = floor(x.x * ${f32Lit(1 / Math.LN2)} + 0.5f);
  var r = df_sub(x, df_two_prod(k, ${f32Lit(LN2[0])}));
  r = df_sub(r, df_two_prod(k, ${f32Lit(LN2[1])}));
  r = df_sub(r, df_two_prod(k, ${f32Lit(LN2[2])}));
${horner(EXP_COEFFS, 'r')}
  // 2^k in two steps, so that k = 128 (e^x near f32's top) does not overflow the scale itself.
  let k1 = i32(k) / 2;
  let k2 = i32(k) - k1;
  return vec2<f32>(ldexp(ldexp(acc.x, k1), k2), ldexp(ldexp(acc.y, k1), k2));
}`,
  },
  df_log: {
    deps: ['df_exp', 'df_mul', 'df_add', 'df_sub', 'df_log1p_small'],
    src: `// One Newton step on e^y = a from the f32 log: log a = y + log(1 + t), t = a·e^(−y) − 1, taken as t − t²/2
// (|t| ≲ 2⁻²⁴·|log a| ≤ 6e-6, so t³/3 < 1e-16; t alone left t²/2, 1.2e-13 relative at a = 1e-30); near 1,
// where that is accurate only absolutely, the log1p series of a − 1 (exact) instead.
fn df_log(a: vec2<f32>) -> vec2<f32> {
  if (!(a.x > 0.0f) || !(a.x <= ${F32_MAX})) { return vec2<f32>(log(a.x), 0.0f); }
  if (a.x > 0.5f && a.x < 1.5f) { return df_log1p_small(df_sub(a, vec2<f32>(1.0f, 0.0f))); }
  let y = vec2<f32>(log(a.x), 0.0f);
  let t = df_sub(df_mul(a, df_exp(vec2<f32>(-y.x, 0.0f))), vec2<f32>(1.0f, 0.0f));
  return df_add(y, df_add(t, vec2<f32>(-0.5f * t.x * t.x, 0.0f)));
}`,
  },
  df_pow: {
    deps: ['df_bits', 'df_exp', 'df_log', 'df_mul', 'df_abs', 'df_floor', 'df_eq', 'df_neg'],
    src: `// a^b as e^(b·log|a|); a negative base with an integer exponent takes the exponent's parity
// (like Math.pow), other negative bases give NaN.
fn df_pow(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> {
  if (b.x == 0.0f && b.y == 0.0f) { return vec2<f32>(1.0f, 0.0f); }
  if (a.x == 0.0f) { return select(vec2<f32>(df_bits(0x7f800000u), 0.0f), vec2<f32>(0.0f, 0.0f), b.x > 0.0f); }
  let r = df_exp(df_mul(b, df_log(df_abs(a))));
  if (a.x > 0.0f) { return r; }
  if (!df_eq(df_floor(b), b)) { return vec2<f32>(df_bits(0x7fc00000u), 0.0f); }
  let half = df_floor(vec2<f32>(b.x * 0.5f, b.y * 0.5f));
  return select(df_neg(r), r, df_eq(vec2<f32>(half.x * 2.0f, half.y * 2.0f), b));
}`,
  },
  df_sign: {
    deps: [],
    src: `// −1, 0 or 1 (NaN stays NaN), like Math.sign.
fn df_sign(a: vec2<f32>) -> vec2<f32> {
  if (a.x != a.x) { return a; }
  return vec2<f32>(select(select(0.0f, -1.0f, a.x < 0.0f), 1.0f, a.x > 0.0f), 0.0f);
}`,
  },
  df_round: {
    deps: ['df_floor', 'df_add', 'df_abs', 'df_neg'],
    src: `// Half away from zero (the lensc semantics of round).
fn df_round(a: vec2<f32>) -> vec2<f32> {
  let r = df_floor(df_add(df_abs(a), vec2<f32>(0.5f, 0.0f)));
  return select(r, df_neg(r), a.x < 0.0f);
}`,
  },
  df_expm1: {
    deps: ['df_exp', 'df_sub', 'df_add', 'df_mul'],
    src: `// e^x − 1 without the cancellation near 0: Σ_{n≥1} x^n/n! for |x| < ½ (first omitted term < 2⁻⁶⁰).
fn df_expm1(x: vec2<f32>) -> vec2<f32> {
  if (!(abs(x.x) < 0.5f)) { return df_sub(df_exp(x), vec2<f32>(1.0f, 0.0f)); }
${horner(
  Array.from({ length: 17 }, (_, i) => invFact(17 - i)),
  'x',
)}
  return df_mul(acc, x);
}`,
  },
  df_log1p_small: {
    deps: ['df_div', 'df_add', 'df_mul'],
    src: `// log(1 + x) for |x| < ½ as 2·atanh(z) = 2(z + z³/3 + …), z = x/(2 + x), |z| ≤ ⅓: accurate relative to the result.
fn df_log1p_small(x: vec2<f32>) -> vec2<f32> {
  let z = df_div(x, df_add(vec2<f32>(2.0f, 0.0f), x));
  let w = df_mul(z, z);
${horner(
  Array.from({ length: 18 }, (_, i) => 1 / (2 * (17 - i) + 1)),
  'w',
)}
  return df_mul(df_mul(acc, z), vec2<f32>(2.0f, 0.0f));
}`,
  },
  df_log1p: {
    deps: ['df_log1p_small', 'df_log', 'df_add'],
    src: `fn df_log1p(x: vec2<f32>) -> vec2<f32> {
  if (abs(x.x) < 0.5f) { return df_log1p_small(x); }
  return df_log(df_add(vec2<f32>(1.0f, 0.0f), x));
}`,
  },
  df_sinh: {
    deps: ['df_expm1', 'df_exp', 'df_add', 'df_div', 'df_mul', 'df_abs', 'df_neg'],
    src: `// (E + E/(E + 1))/2 with E = e^|x| − 1 (no cancellation near 0), odd.
fn df_sinh(x: vec2<f32>) -> vec2<f32> {
  let a = df_abs(x);
  var r: vec2<f32>;
  if (a.x > 40.0f) { r = df_mul(df_exp(a), vec2<f32>(0.5f, 0.0f)); }
  else {
    let e = df_expm1(a);
    r = df_mul(df_add(e, df_div(e, df_add(e, vec2<f32>(1.0f, 0.0f)))), vec2<f32>(0.5f, 0.0f));
  }
  return select(r, df_neg(r), x.x < 0.0f);
}`,
  },
  df_cosh: {
    deps: ['df_exp', 'df_add', 'df_div', 'df_mul', 'df_abs'],
    src: `fn df_cosh(x: vec2<f32>) -> vec2<f32> {
  let e = df_exp(df_abs(x));
  return df_mul(df_add(e, df_div(vec2<f32>(1.0f, 0.0f), e)), vec2<f32>(0.5f, 0.0f));
}`,
  },
  df_tanh: {
    deps: ['df_expm1', 'df_add', 'df_div', 'df_abs', 'df_neg'],
    src: `// E/(E + 2) with E = e^(2|x|) − 1, odd; ±1 beyond |x| = 20 (tanh 20 = 1 − 8e-18).
fn df_tanh(x: vec2<f32>) -> vec2<f32> {
  let a = df_abs(x);
  var r = vec2<f32>(1.0f, 0.0f);
  if (!(a.x > 20.0f)) {
    let e = df_expm1(vec2<f32>(2.0f * a.x, 2.0f * a.y));
    r = df_div(e, df_add(e, vec2<f32>(2.0f, 0.0f)));
  }
  if (x.x != x.x) { return x; }
  return select(r, df_neg(r), x.x < 0.0f);
}`,
  },
  df_atan2: {
    deps: ['df_sin', 'df_cos', 'df_mul', 'df_sub', 'df_add', 'df_div'],
    src: `// The angle of (x, y): the f32 angle θ₀, then one Newton step θ₀ + (y cos θ₀ − x sin θ₀)/(x cos θ₀ + y sin θ₀)
// (the error squares: ~1e-7 → ~1e-14 of π).
fn df_atan2(y: vec2<f32>, x: vec2<f32>) -> vec2<f32> {
  let t0 = atan2(y.x, x.x);
  if ((x.x == 0.0f && y.x == 0.0f) || t0 != t0 || !(abs(x.x) <= ${F32_MAX}) || !(abs(y.x) <= ${F32_MAX})) { return vec2<f32>(t0, 0.0f); }
  let t = vec2<f32>(t0, 0.0f);
  let c = df_cos(t);
  let s = df_sin(t);
  let num = df_sub(df_mul(y, c), df_mul(x, s));
  let den = df_add(df_mul(x, c), df_mul(y, s));
  return df_add(t, df_div(num, den));
}`,
  },
  df_atan: {
    deps: ['df_atan2'],
    src: `fn df_atan(x: vec2<f32>) -> vec2<f32> { return df_atan2(x, vec2<f32>(1.0f, 0.0f)); }`,
  },
  df_asin: {
    deps: ['df_atan2', 'df_sqrt', 'df_mul', 'df_sub', 'df_add'],
    src: `// atan2(x, √((1 − x)(1 + x))); NaN outside [−1, 1].
fn df_asin(x: vec2<f32>) -> vec2<f32> {
  let one = vec2<f32>(1.0f, 0.0f);
  return df_atan2(x, df_sqrt(df_mul(df_sub(one, x), df_add(one, x))));
}`,
  },
  df_acos: {
    deps: ['df_atan2', 'df_sqrt', 'df_mul', 'df_sub', 'df_add'],
    src: `fn df_acos(x: vec2<f32>) -> vec2<f32> {
  let one = vec2<f32>(1.0f, 0.0f);
  return df_atan2(df_sqrt(df_mul(df_sub(one, x), df_add(one, x))), x);
}`,
  },
  df_hypot: {
    deps: ['df_abs', 'df_max', 'df_min', 'df_div', 'df_mul', 'df_add', 'df_sqrt'],
    src: `// m·√(1 + (n/m)²) with m = max(|a|, |b|): no overflow of the squares.
fn df_hypot(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> {
  let m = df_max(df_abs(a), df_abs(b));
  if (m.x == 0.0f || !(m.x <= ${F32_MAX})) { return m; }
  let r = df_div(df_min(df_abs(a), df_abs(b)), m);
  return df_mul(m, df_sqrt(df_add(vec2<f32>(1.0f, 0.0f), df_mul(r, r))));
}`,
  },
  df_asinh: {
    deps: ['df_log1p', 'df_log', 'df_abs', 'df_mul', 'df_add', 'df_div', 'df_sqrt', 'df_neg'],
    src: `// sign·log1p(s + s²/(1 + √(1 + s²))), s = |x|; log(2s) beyond s = 1e9.
fn df_asinh(x: vec2<f32>) -> vec2<f32> {
  let s = df_abs(x);
  var r: vec2<f32>;
  if (s.x > 1e9f) { r = df_add(df_log(s), ${dfConst(Math.LN2)}); }
  else {
    let s2 = df_mul(s, s);
    r = df_log1p(df_add(s, df_div(s2, df_add(vec2<f32>(1.0f, 0.0f), df_sqrt(df_add(vec2<f32>(1.0f, 0.0f), s2))))));
  }
  if (x.x != x.x) { return x; }
  return select(r, df_neg(r), x.x < 0.0f);
}`,
  },
  df_acosh: {
    deps: ['df_log1p', 'df_sub', 'df_add', 'df_mul', 'df_sqrt'],
    src: `// log1p(t + √(t·(x + 1))), t = x − 1; NaN below 1.
fn df_acosh(x: vec2<f32>) -> vec2<f32> {
  let t = df_sub(x, vec2<f32>(1.0f, 0.0f));
  return df_log1p(df_add(t, df_sqrt(df_mul(t, df_add(x, vec2<f32>(1.0f, 0.0f))))));
}`,
  },
  df_atanh: {
    deps: ['df_log1p', 'df_div', 'df_sub', 'df_mul'],
    src: `// ½·log1p(2x/(1 − x)).
fn df_atanh(x: vec2<f32>) -> vec2<f32> {
  let q = df_div(vec2<f32>(2.0f * x.x, 2.0f * x.y), df_sub(vec2<f32>(1.0f, 0.0f), x));
  return df_mul(df_log1p(q), vec2<f32>(0.5f, 0.0f));
}`,
  },
  // erf, erfc, lgamma and their pieces (special.ts)
  ...specialFunctions(dfConst),
};

/** The element type of an exactly held f64 input (12 bytes: array stride 12, unlike vec3's 16). */
export const F64X3_STRUCT = 'struct F64x3 { hi: f32, mid: f32, lo: f32 }';

/** Every function the library has (for tests). */
export const DF64_FUNCTIONS: readonly string[] = Object.keys(LIB);

/**
 * The df64 functions `code` calls, with their dependencies, in dependency order, `ONE` replaced
 * by `one` (a WGSL expression equal to 1.0 at run time that the compiler cannot see, e.g. u.one).
 */
export function df64HelpersFor(code: string, one: string): string[] {
  const used = new Set<string>();
  const visit = (n: string): void => {
    if (used.has(n)) return;
    for (const d of LIB[n]!.deps) visit(d);
    used.add(n);
  };
  for (const n of Object.keys(LIB)) if (new RegExp(`\\b${n}\\(`).test(code)) visit(n);
  // Dependencies first: insertion order of `used` is a post-order of the dependency graph.
  return [...used].map((n) => LIB[n]!.src.replace(/\bONE\b/g, one));
}
