// The WGSL target's precision contract, as the manifests state it. MEASURED holds the worst relative
// Frobenius error (‖got − f64 reference‖ / ‖reference‖) the conformance suite (test/wgsl/conformance)
// observed per kernel on Mesa llvmpipe — constants recorded by hand after running it; the suite fails
// when a kernel exceeds the contract (1e-4), so re-measure and update these when the numbers move.
import type { Manifest } from '../../compiler/aot/manifest.ts';

export const CONTRACT = 1e-4;

// Measured 2026-11-26, Mesa 22.3.6 llvmpipe (Dawn, OpenGL ES backend), N = 12 (M = 80) and N = 32
// (M = 60), K = 8192, and the K-chunked runs. Most of it is the f32 rounding of the inputs and of the
// phase t itself (≈ |t|·ε cycles), not of the sums.
export const MEASURED: Readonly<Record<string, number>> = {
  wTilde: 2.3e-7,
  // Factored into wTilde's SYRK plan by the separable rewrite (2026-12-01: 2.52e-7; the literal fused
  // sum measured 3.2e-7 on 2026-11-26).
  wTildeDirect: 2.6e-7,
  wTildeScan: 2.6e-7,
  wTildePreload: 1.7e-6,
  // The offset-table plan (a (2N_y, 2N_x) table of integer offsets, gathered), 2026-12-01.
  wTildeFromPixels: 2.5e-7,
  wTildeFromPreload: 2.2e-9,
  curvatureMatrix: 6.8e-8,
  dirtyImage: 1.4e-6,
  dataVector: 6.2e-8,
};

export function wgslPrecision(kernel: string): Manifest['precision'] {
  const seen = MEASURED[kernel];
  return {
    storage: 'f32 (f64 inputs rounded to f32 on upload, results widened to f64 on download)',
    accumulator: 'f32, compensated: TwoSum per reduction term; compensated matmul tiles (runtime matmulAccumulate)',
    note: 'WGSL has no f64: the to-f32 pass demoted this kernel; phases 2π·t are range-reduced in cycles before cos/sin.',
    errorBound: `relative Frobenius error ≤ ${CONTRACT} by contract${seen === undefined ? '' : `; worst measured ${seen.toExponential(1)} (conformance suite on llvmpipe, N = 12 and 32, K ≤ 8192)`}`,
  };
}

export const F64_ON_CPU: Manifest['precision'] = { storage: 'f64', accumulator: 'f64', note: 'f64 on the CPU (JS backend): this kernel needs f64' };

/** The precision of a df64 kernel (precision: 'df64'): f64 at the interface, df64 pairs inside. */
export const DF64_PRECISION: Manifest['precision'] = {
  storage: 'df64: each f64 as an unevaluated sum hi + lo of two f32 (~48 significant bits, f32 exponent range: |x| < 3.4e38, full precision for |x| > ~1e-30); split on upload, recombined on download',
  accumulator: 'df64 (sums and matmuls accumulate in df64)',
  arithmetic: 'df64',
  note: 'WGSL has no f64: arithmetic by error-free transformations (TwoSum, Dekker TwoProduct); cos/sin/exp with 72-bit reduction constants, log by a Newton step',
  errorBound: 'unmeasured for this kernel: compare it with the f64 JS kernel on your inputs',
};
