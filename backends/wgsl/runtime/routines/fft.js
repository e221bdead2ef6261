// @ts-check
/**
 * Driver of the WGSL Stockham FFT (fft.wgsl.js): the 2-D transform over the last two axes of a
 * [B, Ny, Nx, 2] f32 buffer as a sequence of stage dispatches — the rows' radices, then the columns' —
 * ping-ponging between dst and a scratch buffer so that the last stage lands in dst (src is only read).
 * Radices: 4s, then 2, then odd primes (a prime length is one stage of radix n: a direct DFT, O(n²)).
 * Twiddles and roots are computed in f64 from exactly reduced exponents, then rounded to f32.
 */
import { radices } from '../../../common/fft_radices.js';
import { workgroupGrid } from '../limits.js';
import { FFT_FIELDS, FFT_STAGE_WGSL, FFT_WG } from './fft.wgsl.js';

/**
 * @typedef {{ src: GPUBuffer, dst: GPUBuffer, tmp: GPUBuffer, batch: number, ny: number, nx: number, inverse: boolean }} Fft2Args
 *   tmp: scratch of the same size as dst; src may not be dst or tmp
 */

/**
 * Record fft2 (or ifft2, scaled by 1/(ny·nx)) of src into dst on the gpu's pending batch.
 * @param {import('../index.js').Gpu} gpu @param {Fft2Args} a
 */
export async function fft2Stockham(gpu, a) {
  const { batch, ny, nx } = a;
  for (const [k, v] of /** @type {const} */ ([
    ['batch', batch],
    ['ny', ny],
    ['nx', nx],
  ])) {
    if (!Number.isInteger(v) || v < 0)
      throw new RangeError(`fft2Stockham: ${k} must be a non-negative integer, got ${v}`);
  }
  if (a.src === a.dst || a.src === a.tmp || a.dst === a.tmp)
    throw new RangeError('fft2Stockham: src, dst and tmp must be three distinct buffers');
  const points = batch * ny * nx;
  if (points === 0) return;
  if (points * 2 * 4 > a.dst.size || points * 2 * 4 > a.tmp.size || points * 2 * 4 > a.src.size) {
    throw new RangeError(`fft2Stockham: [${batch}, ${ny}, ${nx}, 2] f32 needs ${points * 8} bytes in src, dst and tmp`);
  }
  if (points >= 2 ** 31) throw new RangeError(`fft2Stockham: ${points} points exceed WGSL's 32-bit indices`);
  const sign = a.inverse ? 1 : -1;
  const image = ny * nx;
  /** @type {{ r: number, m: number, s: number, n: number, lines: number, perImage: number, lineStep: number, elemStep: number, twOff: number, omOff: number }[]} */
  const stages = [];
  /** @type {number[]} */
  const table = [];
  const axis = (/** @type {number} */ n, /** @type {object} */ geom) => {
    let s = 1,
      len = n;
    for (const r of radices(n)) {
      const m = len / r;
      const twOff = table.length / 2;
      for (let p = 0; p < m; p++) for (let u = 0; u < r; u++) pushRoot(table, (p * u * s) % n, n, sign);
      const omOff = table.length / 2;
      for (let k = 0; k < r; k++) pushRoot(table, k, r, sign);
      stages.push({ r, m, s, n, .../** @type {any} */ (geom), twOff, omOff });
      len = m;
      s *= r;
    }
  };
  axis(nx, { lines: batch * ny, perImage: ny, lineStep: nx, elemStep: 1 });
  axis(ny, { lines: batch * nx, perImage: nx, lineStep: 1, elemStep: nx });
  // A 1×1 image still copies src to dst: one stage of radix 1.
  if (stages.length === 0) {
    const twOff = table.length / 2;
    pushRoot(table, 0, 1, sign);
    stages.push({ r: 1, m: 1, s: 1, n: 1, lines: batch, perImage: 1, lineStep: 1, elemStep: 1, twOff, omOff: twOff });
  }
  const tab = gpu.createBuffer(table.length * 4);
  gpu.upload(tab, Float32Array.from(table));
  const pipe = await gpu.pipeline(FFT_STAGE_WGSL);
  const T = stages.length;
  stages.forEach((st, i) => {
    const read = i === 0 ? a.src : (T - i) % 2 === 0 ? a.dst : a.tmp;
    const write = (T - 1 - i) % 2 === 0 ? a.dst : a.tmp;
    const grid = workgroupGrid(
      Math.ceil((st.lines * st.n) / FFT_WG),
      gpu.device.limits.maxComputeWorkgroupsPerDimension,
    );
    const u = new Uint32Array(16);
    const f = new Float32Array(u.buffer);
    /** @type {Record<string, number>} */
    const values = { ...st, imageSize: image, gridX: grid[0] };
    FFT_FIELDS.forEach((name, k) => {
      if (name !== 'scale') u[k] = values[name];
    });
    f[FFT_FIELDS.indexOf('scale')] = i === T - 1 && a.inverse ? 1 / image : 1;
    gpu.dispatch(pipe, [read, write, tab], grid, u);
  });
  gpu.destroy(tab);
}

/** e^{sign·2πi·k/n} in f64, appended as (re, im). @param {number[]} out @param {number} k @param {number} n @param {number} sign */
function pushRoot(out, k, n, sign) {
  const t = (2 * Math.PI * k) / n;
  out.push(Math.cos(t), sign * Math.sin(t));
}
