// WGSL helper functions the dialect's code calls, each emitted only into shaders that use it.
// The compensated sum needs the uniform `u.one` (= 1.0 at run time): Mesa's shader compiler proves
// TwoSum's error term algebraically zero and deletes it (backends/wgsl/NOTES.md), unless every step
// goes through a value it cannot see. Real GPUs' compilers may do the same, so it is always there.
import { MATH_HELPERS } from './math.ts';

const HELPERS: Record<string, string> = {
  ...MATH_HELPERS,
  lensc_two_sum: `// (sum, compensation) + x with the rounding error of the addition kept exactly (Knuth's TwoSum).
fn lensc_two_sum(acc: vec2<f32>, x: f32) -> vec2<f32> {
  let s = acc.x + x;
  let bb = (s * u.one - acc.x) * u.one;
  let e = (acc.x - (s - bb) * u.one) * u.one + (x - bb);
  return vec2<f32>(s, acc.y + e);
}`,
  lensc_idiv: `// Floor division (Python semantics, as on the JS backend); x / 0 is 0 there too.
fn lensc_idiv(a: i32, b: i32) -> i32 {
  if (b == 0i) { return 0i; }
  let q = a / b;
  return select(q, q - 1i, (a % b != 0i) && ((a < 0i) != (b < 0i)));
}`,
  lensc_imod: `// Floor modulo: the result has the divisor's sign.
fn lensc_imod(a: i32, b: i32) -> i32 {
  if (b == 0i) { return 0i; }
  let r = a % b;
  return select(r, r + b, (r != 0i) && ((r < 0i) != (b < 0i)));
}`,
  lensc_fmod: `fn lensc_fmod(a: f32, b: f32) -> f32 { return a - floor(a / b) * b; }`,
  lensc_pow: `// pow that, like Math.pow, accepts a negative base with an integer exponent.
fn lensc_pow(a: f32, b: f32) -> f32 {
  if (a >= 0.0f || floor(b) != b) { return pow(a, b); }
  let r = pow(-a, b);
  return select(r, -r, lensc_fmod(b, 2.0f) == 1.0f);
}`,
  lensc_bits: `// An f32 from its bits through a variable (constant ∞ and NaN are WGSL errors).
fn lensc_bits(x: u32) -> f32 { var b = x; return bitcast<f32>(b); }`,
};

/** Helper definitions that `code` calls (and those they call), in a fixed order. */
export function helpersFor(code: string): string[] {
  const used = new Set<string>();
  const visit = (text: string): void => {
    for (const n of Object.keys(HELPERS))
      if (!used.has(n) && text.includes(`${n}(`)) {
        used.add(n);
        visit(HELPERS[n]!);
      }
  };
  visit(code);
  return Object.keys(HELPERS)
    .filter((n) => used.has(n))
    .map((n) => HELPERS[n]!);
}
