// erf, erfc and lgamma in df64 for the WGSL target's precision 'df64', after the f64 versions in
// backends/common/math.js and on the same Chebyshev fits (math_tables.js, made with mpmath by
// scripts/math/gen_tables.py: every dropped coefficient below 2⁻⁶⁰ of the first, so the fits are exact to
// df64's 2⁻⁴⁸; their f64 coefficients carry 2⁻⁵³ each). Pieces:
//  - erf, |x| < ½: 2/√π·x·Σ aₙx²ⁿ (Taylor, 13 terms: the first omitted is < 2⁻⁵⁶ of the sum).
//  - erfc, x ≥ ½: e^(−x²)·h(x), h from the fits on [½, 1], [1, 2], [2, 4] and x·h in 1/x beyond 4. e^(−x²) is
//    e^(−p)·e^(−q) with x² = p + q split exactly (p = hi², an f32 product, and q its error plus 2·hi·lo + lo²),
//    so its relative error stays a few 2⁻⁴⁸ for large x, where rounding x² itself would cost x²·2⁻⁴⁸.
//  - erf = ±(1 − erfc) for |x| ≥ ½ (±1 from 6 on, as in f64); erfc = 1 − erf below ½, 2 − erfc(−x) below −½.
//  - lgamma, x > 0: (x − 1)·g₁(x) on [½, 1½) and (x − 2)·g₂(x) on [1½, 2½) — x − 1 and x − 2 are exact in
//    df64, so relative accuracy holds beside the roots —, the fit on [2½, 4), the fit of x − n plus
//    log Π(x − j) up to 10, Stirling's series beyond; x < ½ through x·g₁(x + 1) − log x. x ≤ 0: +∞ at the
//    integers, else the reflection log(π/|sin πx|) − lgamma(1 − x) with sin πx from an exactly reduced
//    argument (ill conditioned next to lgamma's negative roots, as in any precision).
// f32's exponent range bounds the results: erfc has full df64 precision while erfc(x) ≳ 1e-30 (x ≲ 8.1),
// degrades to f32's subnormals beyond, and is 0 from x > 10.05; lgamma overflows to +∞ beyond x ≈ 4e36.
// Every function is loop-free (the Clenshaw recurrences unrolled): llvmpipe's loop limit counts loop
// iterations per invocation, and the shader renderer counts only the stage's own loops. Each function
// evaluates one fit and at most one exp or log per call, its pieces choosing arguments, not code: llvmpipe
// compiles every inlined copy (a first version with a recurrence per piece took minutes to compile).
import { erfcA, erfcB, erfcC, erfcD, lgammaA, lgammaB, lgammaC } from '../../common/math_tables.js';

interface Fn {
  readonly deps: readonly string[];
  readonly src: string;
}
interface ChebTable {
  readonly a: number;
  readonly b: number;
  readonly c: readonly number[];
}

/**
 * One Clenshaw evaluation Σ c_k T_k(t) for a family of fits, the table chosen at run time: the tables'
 * coefficients in one constant array, each padded with zeros to the family's highest degree (a zero leading
 * coefficient leaves the recurrence at zero, exactly), the recurrence unrolled. One evaluation per function
 * call, whichever piece applies: llvmpipe compiles every inlined copy, and an unrolled recurrence per piece
 * made lgamma's shader take minutes to compile.
 */
function chebFamily(name: string, tabs: readonly ChebTable[], dfConst: (x: number) => string): Fn {
  const deg = Math.max(...tabs.map((t) => t.c.length - 1));
  const coeffs = tabs.flatMap((t) => Array.from({ length: deg + 1 }, (_, k) => t.c[k] ?? 0));
  const steps: string[] = [];
  for (let k = deg; k >= 1; k--)
    steps.push(`  b0 = df_add(df_sub(df_mul(t2, b1), b2), DF_CHEB_${name.toUpperCase()}[o + ${k}]); b2 = b1; b1 = b0;`);
  return {
    deps: ['df_add', 'df_sub', 'df_mul'],
    src: `// The Chebyshev fits ${tabs.map((t, i) => `${i}: [${t.a}, ${t.b}]`).join(', ')} of math_tables.js (c_0 halved), padded to degree ${deg}.
const DF_CHEB_${name.toUpperCase()} = array<vec2<f32>, ${coeffs.length}>(
${coeffs.map((c) => `  ${dfConst(c)},`).join('\n')}
);
// Σ c_k T_k(t) of fit number tab by Clenshaw's recurrence, t ∈ [−1, 1] the fit's own variable.
fn df_cheb_${name}(tab: i32, t: vec2<f32>) -> vec2<f32> {
  let o = tab * ${deg + 1}i;
  let t2 = vec2<f32>(2.0f * t.x, 2.0f * t.y);
  var b0 = vec2<f32>(0.0f, 0.0f);
  var b1 = vec2<f32>(0.0f, 0.0f);
  var b2 = vec2<f32>(0.0f, 0.0f);
${steps.join('\n')}
  return df_add(df_sub(df_mul(t, b1), b2), DF_CHEB_${name.toUpperCase()}[o]);
}`,
  };
}

/** The fit's variable t = (x − mid)·2/(b − a) as a WGSL df64 expression. */
const chebArg = (x: string, t: ChebTable, dfConst: (v: number) => string) =>
  `df_mul(df_sub(${x}, ${dfConst((t.a + t.b) / 2)}), ${dfConst(2 / (t.b - t.a))})`;

/** Horner steps acc = acc·z + c, highest power first (the library's form, local so this file has no cycle). */
function horner(coeffs: readonly number[], z: string, dfConst: (x: number) => string): string {
  const [first, ...rest] = coeffs;
  return [
    `  var acc = ${dfConst(first!)};`,
    ...rest.map((c) => `  acc = df_add(df_mul(acc, ${z}), ${dfConst(c)});`),
  ].join('\n');
}

// (−1)ⁿ/(n!(2n + 1)), n = 0 … 12, highest first.
const ERF_SERIES = Array.from({ length: 13 }, (_, i) => {
  const n = 12 - i;
  let f = 1;
  for (let j = 2; j <= n; j++) f *= j;
  return (n % 2 ? -1 : 1) / (f * (2 * n + 1));
});
// B₂ₖ/(2k(2k − 1)), k = 1 … 8, highest first: Stirling's series in 1/x² (as math.js).
const STIRLING = [1 / 12, -1 / 360, 1 / 1260, -1 / 1680, 1 / 1188, -691 / 360360, 1 / 156, -3617 / 122400].reverse();

/** The special functions, as library.ts's entries (it passes its dfConst). */
export function specialFunctions(dfConst: (x: number) => string): Record<string, Fn> {
  const one = 'vec2<f32>(1.0f, 0.0f)';
  return {
    df_cheb_erfc: chebFamily('erfc', [erfcA, erfcB, erfcC, erfcD], dfConst),
    df_cheb_lgamma: chebFamily('lgamma', [lgammaA, lgammaB, lgammaC], dfConst),
    df_exp_neg_square: {
      deps: ['df_two_prod', 'df_add', 'df_mul', 'df_exp'],
      src: `// e^(−x²) with x² = p + q₁ + q₂ exactly enough (p = hi², an f32; q = (hi² − p) + 2·hi·lo + lo² as df64): one
// df64 exp of the pair (−p, −q₁) — its reduction by k·ln 2 is accurate to |r|·2⁻⁴⁸ however large p is —, then
// times e^(−q₂) = 1 − q₂ (|q₂| < 2⁻⁴⁶·x², its square far below df64). Rounding x² as one df64 would cost x²·2⁻⁴⁸.
fn df_exp_neg_square(x: vec2<f32>) -> vec2<f32> {
  let p = df_two_prod(x.x, x.x);
  let q = df_add(vec2<f32>(p.y, 0.0f), df_add(df_two_prod(2.0f * x.x, x.y), df_two_prod(x.y, x.y)));
  return df_mul(df_exp(vec2<f32>(-p.x, -q.x)), vec2<f32>(1.0f, -q.y));
}`,
    },
    df_erfc_large: {
      deps: ['df_exp_neg_square', 'df_mul', 'df_div', 'df_cheb_erfc'],
      src: `// erfc(x) for x ≥ ½: e^(−x²)·h(x) (fits 0–2 in x), e^(−x²)·k(1/x)/x beyond 4 (fit 3); 0 beyond 10.05, where it is
// below f32's smallest subnormal.
fn df_erfc_large(x: vec2<f32>) -> vec2<f32> {
  if (x.x > 10.05f) { return vec2<f32>(0.0f, 0.0f); }
  let e = df_exp_neg_square(x);
  let u = df_div(${one}, x);
  var tab = 3i;
  var t = ${chebArg('u', erfcD, dfConst)};
  if (x.x < 1.0f) { tab = 0i; t = ${chebArg('x', erfcA, dfConst)}; }
  else if (x.x < 2.0f) { tab = 1i; t = ${chebArg('x', erfcB, dfConst)}; }
  else if (x.x < 4.0f) { tab = 2i; t = ${chebArg('x', erfcC, dfConst)}; }
  let r = df_mul(e, df_cheb_erfc(tab, t));
  return select(r, df_mul(r, u), tab == 3i);
}`,
    },
    df_erf_small: {
      deps: ['df_add', 'df_mul'],
      src: `// erf(x) for |x| < ½: 2/√π·x·Σ (−1)ⁿx²ⁿ/(n!(2n + 1)).
fn df_erf_small(x: vec2<f32>) -> vec2<f32> {
  let z = df_mul(x, x);
${horner(ERF_SERIES, 'z', dfConst)}
  return df_mul(${dfConst(2 / Math.sqrt(Math.PI))}, df_mul(x, acc));
}`,
    },
    df_erf: {
      deps: ['df_erf_small', 'df_erfc_large', 'df_sub', 'df_abs', 'df_neg'],
      src: `fn df_erf(x: vec2<f32>) -> vec2<f32> {
  if (x.x != x.x) { return x; }
  let a = df_abs(x);
  if (a.x < 0.5f) { return df_erf_small(x); }
  var r = ${one};
  if (a.x < 6.0f) { r = df_sub(${one}, df_erfc_large(a)); }
  return select(r, df_neg(r), x.x < 0.0f);
}`,
    },
    df_erfc: {
      deps: ['df_erf_small', 'df_erfc_large', 'df_sub', 'df_abs'],
      src: `// 1 − erf(x), accurate where it is tiny: erfc(|x|), or 2 − erfc(|x|) below −½ (one inlined copy of each piece).
fn df_erfc(x: vec2<f32>) -> vec2<f32> {
  if (x.x != x.x) { return x; }
  if (abs(x.x) < 0.5f) { return df_sub(${one}, df_erf_small(x)); }
  let e = df_erfc_large(df_abs(x));
  return select(e, df_sub(vec2<f32>(2.0f, 0.0f), e), x.x < 0.0f);
}`,
    },
    df_lgamma_pos: {
      deps: ['df_add', 'df_sub', 'df_mul', 'df_mul_f', 'df_div', 'df_log', 'df_floor', 'df_cheb_lgamma'],
      src: `// log Γ(x) for x > 0 (finite): factor·fit(t) + s·log(L), one fit and one log whichever piece applies —
//   x < ½:      x·g₁(x + 1) − log x     (log Γ(x + 1) = x·g₁(x + 1), (x + 1) − 1 = x taken exactly)
//   [½, 1½):    (x − 1)·g₁(x)           [1½, 2½): (x − 2)·g₂(x)      [2½, 4): g₃(x)
//   [4, 10):    g₃(x − n) + log Π_{j ≤ n}(x − j), n = ⌊x⌋ − 3 (every x − j exact)
//   ≥ 10:       Stirling: (x − ½)·log x − x + log √(2π) + Σ B₂ₖ/(2k(2k − 1)x^(2k−1))
fn df_lgamma_pos(x: vec2<f32>) -> vec2<f32> {
  var tab = 0i;
  var arg = x;
  var fac = ${one};
  var la = x;
  var ls = 0.0f;
  if (x.x < 0.5f) { arg = df_add(x, ${one}); fac = x; ls = -1.0f; }
  else if (x.x < 1.5f) { fac = df_sub(x, ${one}); }
  else if (x.x < 2.5f) { tab = 1i; fac = df_sub(x, vec2<f32>(2.0f, 0.0f)); }
  else if (x.x < 4.0f) { tab = 2i; }
  else if (x.x < 10.0f) {
    tab = 2i;
    let n = i32(df_floor(x).x) - 3i;
    arg = df_sub(x, vec2<f32>(f32(n), 0.0f));
    // n = 0 when hi rounds up to 4 (x = 4 − tiny): no factor then
    var p = ${one};
${[1, 2, 3, 4, 5, 6].map((j) => `    if (n >= ${j}i) { p = df_mul(p, df_sub(x, vec2<f32>(${j}.0f, 0.0f))); }`).join('\n')}
    la = p;
    ls = 1.0f;
  }
  let lg = df_log(la);
  if (x.x >= 10.0f) {
    let z = df_div(${one}, x);
    let z2 = df_mul(z, z);
${horner(STIRLING, 'z2', dfConst)}
    let lead = df_sub(df_mul(df_sub(x, vec2<f32>(0.5f, 0.0f)), lg), x);
    return df_add(df_add(lead, ${dfConst(0.5 * Math.log(2 * Math.PI))}), df_mul(acc, z));
  }
  // the fit's variable: [½, 1½) → g₁, [1½, 2½) → g₂, [2½, 4) → g₃
  var t = ${chebArg('arg', lgammaA, dfConst)};
  if (tab == 1i) { t = ${chebArg('arg', lgammaB, dfConst)}; }
  else if (tab == 2i) { t = ${chebArg('arg', lgammaC, dfConst)}; }
  return df_add(df_mul(fac, df_cheb_lgamma(tab, t)), df_mul_f(lg, ls));
}`,
    },
    df_sin_pi: {
      deps: ['df_sub', 'df_round', 'df_mul', 'df_sin', 'df_neg'],
      src: `// sin(πx) from r = x − 2·round(x/2) in [−1, 1] (exact), folded into [0, ½] (exact) before multiplying by π.
fn df_sin_pi(x: vec2<f32>) -> vec2<f32> {
  let h = df_round(vec2<f32>(0.5f * x.x, 0.5f * x.y));
  var r = df_sub(x, vec2<f32>(2.0f * h.x, 2.0f * h.y));
  let neg = r.x < 0.0f;
  if (neg) { r = df_neg(r); }
  if (r.x > 0.5f || (r.x == 0.5f && r.y > 0.0f)) { r = df_sub(${one}, r); }
  let s = df_sin(df_mul(${dfConst(Math.PI)}, r));
  return select(s, df_neg(s), neg);
}`,
    },
    df_lgamma: {
      deps: ['df_bits', 'df_lgamma_pos', 'df_sin_pi', 'df_abs', 'df_div', 'df_log', 'df_sub', 'df_floor', 'df_eq'],
      src: `// log|Γ(x)| (as C's lgamma): +∞ at 0, the negative integers and ±∞. Below 0 the reflection
// Γ(x)·Γ(1 − x) = π / sin(πx); one call of df_lgamma_pos either way (each call site is an inlined copy).
fn df_lgamma(x: vec2<f32>) -> vec2<f32> {
  if (x.x != x.x) { return x; }
  let inf = vec2<f32>(df_bits(0x7f800000u), 0.0f);
  if (!(abs(x.x) <= 3.4028234663852886e38f)) { return inf; }
  let pos = x.x > 0.0f;
  if (!pos && df_eq(df_floor(x), x)) { return inf; }
  let r = df_lgamma_pos(select(df_sub(${one}, x), x, pos));
  if (pos) { return r; }
  return df_sub(df_log(df_div(${dfConst(Math.PI)}, df_abs(df_sin_pi(x)))), r);
}`,
    },
  };
}
