// @ts-check
/**
 * f64 <-> f32 conversion for the WGSL boundary. WGSL has no f64, so generated modules take Float64Array
 * from users (same signature as the JS / CUDA kernels) and convert here; values beyond the f32 range
 * become ±Infinity and tiny ones flush towards 0 — the kernel's stated error bound covers the rest.
 */

/** @param {ArrayLike<number>} a @returns {Float32Array} round-to-nearest copy */
export const f64ToF32 = (a) => Float32Array.from(a);

/** @param {ArrayLike<number>} a @returns {Float64Array} exact copy */
export const f32ToF64 = (a) => Float64Array.from(a);

/** The largest finite f64 that rounds to a finite f32 (just below 2¹²⁸ − 2¹⁰³, the rounding boundary). */
const F32_EDGE = 2 ** 128 - 2 ** 103;

/**
 * Throws when a finite x is beyond f32's exponent range (df64 would hold it as ±Infinity: f64 is never
 * silently turned into something else). @param {number} x @param {number} i @param {string} what
 */
function checkRange(x, i, what) {
  if (Math.abs(x) >= F32_EDGE && Number.isFinite(x))
    throw new RangeError(
      `${what}[${i}] = ${x} is beyond the range df64 holds (|x| < 2¹²⁸ ≈ 3.4e38, f32's exponent range); scale the input, or use the js or cuda target (f64)`,
    );
}

/**
 * f64 → df64 pairs for kernels compiled with precision 'df64': element i becomes (hi, lo) at 2i, 2i + 1,
 * hi = the f32 nearest x, lo = the f32 nearest x − hi, so hi + lo = x to ~2⁻⁴⁸ relative (for
 * |x| ≳ 1e-30; below that lo is subnormal, and GPUs may flush it). A finite x beyond f32's range
 * throws a RangeError naming `what` (default 'value').
 * @param {ArrayLike<number>} a @param {string} [what] @returns {Float32Array}
 */
export function f64ToDf64(a, what = 'value') {
  const out = new Float32Array(2 * a.length);
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    checkRange(x, i, what);
    const hi = Math.fround(x);
    out[2 * i] = hi;
    out[2 * i + 1] = Number.isFinite(hi) ? x - hi : 0;
  }
  return out;
}

/**
 * f64 → three f32 (hi, mid, lo) at 3i, 3i + 1, 3i + 2 with hi + mid + lo = x EXACTLY for
 * 2⁻⁷⁴ ≤ |x| < 2¹²⁸ (no part subnormal there) and for 0, −0 (in hi), ±Infinity and NaN (in hi, the rest 0): hi = the f32
 * nearest x, mid = the f32 nearest x − hi, lo = x − hi − mid (each difference exact in f64; lo has
 * a few bits: x has 53, hi and mid hold 48 of them). Below 2⁻⁷⁴ parts may be subnormal f32, which GPUs may flush to
 * zero: there the value is held to an absolute 2⁻¹²⁵ ≈ 2.4e-38. For df64 kernels whose sums,
 * differences and comparisons of inputs must see the whole f64 (backends/wgsl/df64/exact_inputs.ts).
 * A finite x beyond f32's range throws a RangeError naming `what`.
 * @param {ArrayLike<number>} a @param {string} [what] @returns {Float32Array}
 */
export function f64ToF64x3(a, what = 'value') {
  const out = new Float32Array(3 * a.length);
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    checkRange(x, i, what);
    const hi = Math.fround(x);
    out[3 * i] = hi;
    if (!Number.isFinite(hi)) continue;
    const mid = Math.fround(x - hi);
    out[3 * i + 1] = mid;
    out[3 * i + 2] = x - hi - mid;
  }
  return out;
}

/**
 * df64 pairs → f64: hi + lo (a non-finite hi alone, whatever lo holds).
 * @param {Float32Array} pairs @returns {Float64Array}
 */
export function df64ToF64(pairs) {
  const n = pairs.length >> 1;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const hi = pairs[2 * i];
    out[i] = Number.isFinite(hi) ? hi + pairs[2 * i + 1] : hi;
  }
  return out;
}
