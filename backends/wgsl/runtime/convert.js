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

/**
 * f64 → df64 pairs for kernels compiled with precision 'df64': element i becomes (hi, lo) at 2i, 2i + 1,
 * hi = the f32 nearest x, lo = the f32 nearest x − hi, so hi + lo = x to ~2⁻⁴⁸ relative (for
 * |x| ≳ 1e-30; below that lo is subnormal, and GPUs may flush it).
 * @param {ArrayLike<number>} a @returns {Float32Array}
 */
export function f64ToDf64(a) {
  const out = new Float32Array(2 * a.length);
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const hi = Math.fround(x);
    out[2 * i] = hi;
    out[2 * i + 1] = Number.isFinite(hi) ? x - hi : 0;
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
