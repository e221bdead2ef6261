// @ts-check
/**
 * Driver of the df64 Stockham FFT, for kernels compiled with precision 'df64': the same plan as the
 * f32 FFT (fft.js fft2Plan: radices, stages, ping-pong so that the last stage lands in dst) over a
 * [B, Ny, Nx, 2] buffer of df64 pairs (16 bytes a complex point). The stage shader comes from the
 * generated module (backends/wgsl/df64/fft_shader.ts renders it with the df64 library at build time);
 * this file owns its uniform layout. The roots of unity are computed in f64 and split exactly as every
 * f64 is for df64: hi = the nearest f32, lo = the nearest f32 to the rest; the 1/(Ny·Nx) of ifft2 too.
 */
import { f64ToDf64 } from '../convert.js';
import { checkFft2Args, dispatchStages, fft2Plan } from './fft.js';

/** Invocations per workgroup of the stage shader (backends/wgsl/df64/fft_shader.ts renders it with this). */
export const FFT_DF64_WG = 64;

/** The uniform's fields after the shared ones (fft.js dispatchStages writes r … omOff and gridX), by index. */
const SCALE_HI = 12,
  SCALE_LO = 13,
  ONE = 14;

/**
 * Record fft2 (or ifft2, scaled by 1/(ny·nx)) of src into dst, df64, on the gpu's pending batch.
 * @param {import('../index.js').Gpu} gpu @param {import('./fft.js').Fft2Args} a
 * @param {GPUComputePipeline} pipe  the module's df64 stage pipeline
 */
export function fft2StockhamDf64(gpu, a, pipe) {
  if (checkFft2Args('fft2StockhamDf64', a, 16, 'df64') === 0) return;
  const { stages, table } = fft2Plan(a.batch, a.ny, a.nx, a.inverse);
  const pairs = f64ToDf64(table, 'fft2StockhamDf64: roots of unity');
  const tab = gpu.createBuffer(pairs.byteLength);
  gpu.upload(tab, pairs);
  const [scaleHi, scaleLo] = a.inverse ? f64ToDf64([1 / (a.ny * a.nx)]) : [1, 0];
  dispatchStages(gpu, a, stages, pipe, tab, FFT_DF64_WG, (u, last) => {
    const f = new Float32Array(u.buffer);
    f[SCALE_HI] = last ? /** @type {number} */ (scaleHi) : 1;
    f[SCALE_LO] = last ? /** @type {number} */ (scaleLo) : 0;
    f[ONE] = 1;
  });
  gpu.destroy(tab);
}
