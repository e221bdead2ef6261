// The WGSL target's precision statements, as the manifests give them. A bound is stated only for a
// kernel whose content was measured: MEASURED is keyed by contentHash (the kernel's optimized graph as
// text, without its name or source positions), so a user kernel named like a std kernel, or a std
// kernel whose computation changed, is "unmeasured" until measured again. Each entry holds the worst
// relative Frobenius error (‖got − f64 reference‖ / ‖reference‖) the conformance suite
// (test/wgsl/conformance.test.ts, which fails above CONTRACT) observed on llvmpipe — recorded by hand:
// the suite prints every kernel's worst error with its hash; update this table from that print-out.
// Any other kernel: measure it on your own inputs with `lensc check FILE.ts --kernel NAME --target wgsl`.
import { createHash } from 'node:crypto';
import type { Manifest } from '../../compiler/aot/manifest.ts';
import { dumpGraph } from '../../compiler/ir/dump.ts';
import type { Graph } from '../../compiler/ir/graph.ts';

export const CONTRACT = 1e-4;

/** The inputs MEASURED was measured on. */
export const MEASURED_ON =
  "the WGSL conformance suite on Mesa llvmpipe: N = 12 (M = 80) and N = 32 (M = 60) masked grids, K = 8192 random visibilities with σ in the suite's ranges, and K-chunked runs";

/** contentHash → the std kernel it was measured as and its worst relative Frobenius error. */
export const MEASURED: Readonly<
  Record<string, { readonly kernel: string; readonly worst: number; readonly date: string }>
> = {
  // Measured 2026-11-26 / 2026-12-01, Mesa 22.3.6 llvmpipe (Dawn, OpenGL ES backend). Most of the error is
  // the f32 rounding of the inputs and of the phase t itself (≈ |t|·ε cycles), not of the sums.
  '1dd735313ec2c196': { kernel: 'wTilde', worst: 2.3e-7, date: '2026-11-26' },
  // factored into wTilde's SYRK plan by the separable rewrite (the literal fused sum measured 3.2e-7)
  '6591f75815b0266e': { kernel: 'wTildeDirect', worst: 2.6e-7, date: '2026-12-01' },
  f061ed1fc237f2ed: { kernel: 'wTildeScan', worst: 2.6e-7, date: '2026-12-01' },
  '06ef41bf3be19d16': { kernel: 'wTildePreloadGemm', worst: 1.7e-6, date: '2026-11-26' },
  // the offset-table plan (a (2N_y, 2N_x) table of integer offsets, gathered)
  '122c608e71e034e5': { kernel: 'wTildeFromPixels', worst: 2.5e-7, date: '2026-12-01' },
  '5e529610b28cddc9': { kernel: 'wTildeFromPreload', worst: 2.2e-9, date: '2026-11-26' },
  '002e05eafbee6fb3': { kernel: 'curvatureMatrixSparse', worst: 6.8e-8, date: '2026-11-26' },
  // F by FFT convolution: fftconv2 expanded into the runtime's f32 Stockham FFT (routines/fft.js) forward and back
  // on the 2N_y × 2N_x grid; Fᵀ accumulated and transposed
  '6cd1120c7f7f943e': { kernel: 'curvatureMatrixFft', worst: 8.6e-8, date: '2026-12-01' },
  // the preload by type-1 NUFFT in f32 (kernel values e^{β(…)} with β = 32.2 in f32, the f32 Stockham FFT, the
  // deconvolution: the table's outermost modes are divided by φ̂(N) ≈ 0.16·φ̂(0)); max error / P[0, 0] 7.2e-7 there
  '67af2e22a8d253cc': { kernel: 'wTildePreloadNufft', worst: 2.1e-6, date: '2026-12-01' },
  '78444b0666709fdd': { kernel: 'dirtyImage', worst: 1.4e-6, date: '2026-11-26' },
  '4b58493ceb8dfbf1': { kernel: 'dataVector', worst: 6.2e-8, date: '2026-11-26' },
};

/** A hash of what the kernel computes: its optimized graph, without its name and source positions. */
export function contentHash(g: Graph): string {
  return createHash('sha256')
    .update(dumpGraph({ ...g, name: '' }))
    .digest('hex')
    .slice(0, 16);
}

export function wgslPrecision(kernel: string, hash: string): Manifest['precision'] {
  const seen = MEASURED[hash];
  return {
    storage: 'f32 (f64 inputs rounded to f32 on upload, results widened to f64 on download)',
    accumulator: 'f32, compensated: TwoSum per reduction term; compensated matmul tiles (runtime matmulAccumulate)',
    note: 'WGSL has no f64: the to-f32 pass demoted this kernel; phases 2π·t are range-reduced in cycles before cos/sin.',
    errorBound: seen
      ? `relative Frobenius error: worst measured ${seen.worst.toExponential(1)} (${seen.date}) on ${MEASURED_ON}; other inputs may differ: \`lensc check\` measures yours`
      : `unmeasured for this kernel's content: f32 error depends on the inputs' magnitudes and cancellation; measure it on your inputs with \`lensc check FILE.ts --kernel ${kernel} --target wgsl\``,
    contentHash: hash,
  };
}

export const F64_ON_CPU: Manifest['precision'] = {
  storage: 'f64',
  accumulator: 'f64',
  note: 'f64 on the CPU (JS backend): this kernel needs f64',
};

/** The inputs MEASURED_DF64 was measured on. */
export const MEASURED_DF64_ON =
  'the df64 conformance suite on Mesa llvmpipe (test/wgsl-df64): N = 12 (M = 80, K = 2048) and N = 32 (M = 41, K = 8192) masked grids with random visibilities; log evidence and regularization on N = 12, S = 37, K = 1001 with c = 0.5 and 3';

/**
 * contentHash → the std kernel it was measured as and its worst relative Frobenius error in df64
 * (test/wgsl-df64 prints every kernel's worst error with its hash; update this table from that
 * print-out). For logEvidence the figure is the relative error of logEvidence against its exact value.
 */
export const MEASURED_DF64: Readonly<
  Record<string, { readonly kernel: string; readonly worst: number; readonly date: string }>
> = {
  // Measured 2026-12-01, Mesa 22.3.6 llvmpipe (Dawn, OpenGL ES backend).
  '1dd735313ec2c196': { kernel: 'wTilde', worst: 4.1e-14, date: '2026-12-01' },
  '6591f75815b0266e': { kernel: 'wTildeDirect', worst: 4.3e-14, date: '2026-12-01' },
  f061ed1fc237f2ed: { kernel: 'wTildeScan', worst: 4.3e-14, date: '2026-12-01' },
  '06ef41bf3be19d16': { kernel: 'wTildePreloadGemm', worst: 9.9e-14, date: '2026-12-01' },
  '122c608e71e034e5': { kernel: 'wTildeFromPixels', worst: 5.1e-14, date: '2026-12-01' },
  '5e529610b28cddc9': { kernel: 'wTildeFromPreload', worst: 2.0e-16, date: '2026-12-01' },
  '002e05eafbee6fb3': { kernel: 'curvatureMatrixSparse', worst: 2.0e-15, date: '2026-12-01' },
  '78444b0666709fdd': { kernel: 'dirtyImage', worst: 1.1e-13, date: '2026-12-01' },
  '4b58493ceb8dfbf1': { kernel: 'dataVector', worst: 2.3e-15, date: '2026-12-01' },
  // the df64 Stockham FFT (df64/fft_shader.ts) forward and back on the 2N_y × 2N_x grid; re-measured for the
  // fftconv2 form of the kernel (its content hash changed with it): 3.31e-15
  '6cd1120c7f7f943e': { kernel: 'curvatureMatrixFft', worst: 3.3e-15, date: '2026-12-01' },
  // the NUFFT preload: df64 spreading, the df64 FFT on the 4N_y × 4N_x grid, the deconvolution
  '67af2e22a8d253cc': { kernel: 'wTildePreloadNufft', worst: 5.7e-14, date: '2026-12-01' },
  // logEvidence: the relative error of the evidence against its exact value (the log-determinant of a
  // regularization matrix with condition ≈ 1e10 dominates; f64 itself is 1.5e-11 off there)
  fea60bc6fdbfc3be: { kernel: 'logEvidence', worst: 1.0e-9, date: '2026-12-01' },
  e44e0a698a20596d: { kernel: 'regularizationConstant', worst: 0, date: '2026-12-01' },
};

/** The precision of a df64 kernel (precision: 'df64'): f64 at the interface, df64 pairs inside. */
export function df64Precision(kernel: string, hash: string): Manifest['precision'] {
  const seen = MEASURED_DF64[hash];
  return {
    storage:
      'df64: each f64 as an unevaluated sum hi + lo of two f32 (~48 significant bits, f32 exponent range: |x| < 3.4e38, full precision for |x| > ~1e-30); split on upload (an input keeps 48 of its 53 bits), recombined on download — except inputs added, subtracted or compared with each other, uploaded exactly as three f32 (the plan notes name them); a finite input beyond f32 range is an error',
    accumulator: 'df64 (sums and matmuls accumulate in df64)',
    arithmetic: 'df64',
    note: "WGSL has no f64: arithmetic by error-free transformations (TwoSum; TwoProduct by fma where the device's fma is fused — probed once per device, prepare() says which — else Dekker splitting); cos/sin/exp with 72-bit reduction constants, log by a Newton step; a result that cancels c digits of its inputs loses c digits of the 48 bits",
    errorBound: seen
      ? `relative Frobenius error: worst measured ${seen.worst.toExponential(1)} (${seen.date}) on ${MEASURED_DF64_ON}; other inputs may differ: \`lensc check --wgsl-precision df64\` measures yours`
      : `unmeasured for this kernel's content: measure it on your inputs with \`lensc check FILE.ts --kernel ${kernel} --target wgsl --wgsl-precision df64\``,
    contentHash: hash,
  };
}
