// @ts-check
/**
 * Driver of the df64 Stockham FFT, for kernels compiled with precision 'df64': the same plan as the
 * f32 FFT (fft.js fft2Plan: radices, stages, ping-pong so that the last stage lands in dst) over a
 * [B, Ny, Nx, 2] buffer of df64 pairs (16 bytes a complex point). The stage shader comes from the
 * generated module (backends/wgsl/df64/fft_shader.ts renders it with the df64 library at build time);
 * this file owns its uniform layout. The roots of unity are computed in f64 and split exactly as every
 * f64 is for df64: hi = the nearest f32, lo = the nearest f32 to the rest; the 1/(Ny·Nx) of ifft2 too.
 */
import { workgroupGrid } from '../limits.js';
import { checkFft2Args, fft2Plan } from './fft.js';

/** Invocations per workgroup of the stage shader (fft_shader.ts FFT_DF64_WG). */
const WG = 64;

/** The stage shader's uniform fields (16 × 4 bytes), by index. */
const U32_FIELDS = /** @type {const} */ ([
  'r',
  'm',
  's',
  'n',
  'lines',
  'perImage',
  'imageSize',
  'lineStep',
  'elemStep',
  'twOff',
  'omOff',
]);
const GRID_X = 11,
  SCALE_HI = 12,
  SCALE_LO = 13,
  ONE = 14;

/** [hi, lo] of x. @param {number} x */
function split(x) {
  const hi = Math.fround(x);
  return [hi, Math.fround(x - hi)];
}

/**
 * Record fft2 (or ifft2, scaled by 1/(ny·nx)) of src into dst, df64, on the gpu's pending batch.
 * @param {import('../index.js').Gpu} gpu @param {import('./fft.js').Fft2Args} a
 * @param {GPUComputePipeline} pipe  the module's df64 stage pipeline
 */
export function fft2StockhamDf64(gpu, a, pipe) {
  if (checkFft2Args('fft2StockhamDf64', a, 16, 'df64') === 0) return;
  const { stages, table } = fft2Plan(a.batch, a.ny, a.nx, a.inverse);
  const pairs = new Float32Array(2 * table.length);
  table.forEach((x, i) => pairs.set(split(x), 2 * i));
  const tab = gpu.createBuffer(pairs.byteLength);
  gpu.upload(tab, pairs);
  const [scaleHi, scaleLo] = a.inverse ? split(1 / (a.ny * a.nx)) : [1, 0];
  const T = stages.length;
  stages.forEach((st, i) => {
    const read = i === 0 ? a.src : (T - i) % 2 === 0 ? a.dst : a.tmp;
    const write = (T - 1 - i) % 2 === 0 ? a.dst : a.tmp;
    const grid = workgroupGrid(Math.ceil((st.lines * st.n) / WG), gpu.device.limits.maxComputeWorkgroupsPerDimension);
    const u = new Uint32Array(16);
    const f = new Float32Array(u.buffer);
    U32_FIELDS.forEach((name, k) => (u[k] = st[name]));
    u[GRID_X] = grid[0];
    const last = i === T - 1;
    f[SCALE_HI] = last ? scaleHi : 1;
    f[SCALE_LO] = last ? scaleLo : 0;
    f[ONE] = 1;
    gpu.dispatch(pipe, [read, write, tab], grid, u);
  });
  gpu.destroy(tab);
}
