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
