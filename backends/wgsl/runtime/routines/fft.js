// @ts-check
/**
 * Driver of the WGSL Stockham FFT (fft.wgsl.js): the 2-D transform over the last two axes of a
 * [B, Ny, Nx, 2] f32 buffer as a sequence of stage dispatches — the rows' radices, then the columns' —
 * ping-ponging between dst and a scratch buffer so that the last stage lands in dst (src is only read).
 * Radices: 4s, then 2, then odd primes (a prime length is one stage of radix n: a direct DFT, O(n²)).
 * Twiddles and roots are computed in f64 from exactly reduced exponents, then rounded to f32.
 * The plan (stages and the f64 table) is shared with the df64 driver (fft-df64.js).
 */
import { radices } from '../../../common/fft_radices.js';
import { workgroupGrid } from '../limits.js';
import { FFT_FIELDS, FFT_STAGE_WGSL, FFT_WG } from './fft.wgsl.js';

/**
 * @typedef {{ src: GPUBuffer, dst: GPUBuffer, tmp: GPUBuffer, batch: number, ny: number, nx: number, inverse: boolean }} Fft2Args
 *   tmp: scratch of the same size as dst; src may not be dst or tmp
 */
/**
 * One stage: radix r on lines of n points (n = r·m·s), `lines` lines starting at
 * (l / perImage)·imageSize + (l % perImage)·lineStep with elements elemStep apart; its twiddles
 * w^{p·u} at table entry twOff + p·r + u, its roots ω_r^k at omOff + k.
 * @typedef {{ r: number, m: number, s: number, n: number, lines: number, perImage: number, imageSize: number, lineStep: number, elemStep: number, twOff: number, omOff: number }} FftStage
 */

/**
 * Checks the arguments of a 2-D FFT whose points take `pointBytes` bytes; returns the point count.
 * @param {string} who @param {Fft2Args} a @param {number} pointBytes @param {string} layout
 */
export function checkFft2Args(who, a, pointBytes, layout) {
  for (const [k, v] of /** @type {const} */ ([
    ['batch', a.batch],
    ['ny', a.ny],
    ['nx', a.nx],
  ])) {
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`${who}: ${k} must be a non-negative integer, got ${v}`);
  }
  if (a.src === a.dst || a.src === a.tmp || a.dst === a.tmp)
    throw new RangeError(`${who}: src, dst and tmp must be three distinct buffers`);
  const points = a.batch * a.ny * a.nx;
  if (points === 0) return 0;
  const bytes = points * pointBytes;
  if (bytes > a.dst.size || bytes > a.tmp.size || bytes > a.src.size) {
    throw new RangeError(
      `${who}: [${a.batch}, ${a.ny}, ${a.nx}, 2] ${layout} needs ${bytes} bytes in src, dst and tmp`,
    );
  }
  if (points >= 2 ** 31) throw new RangeError(`${who}: ${points} points exceed WGSL's 32-bit indices`);
  return points;
}

/**
 * The stages of fft2 (or ifft2) over [batch, ny, nx] and their table of roots of unity in f64,
 * (re, im) interleaved. A 1×1 image still gets one stage (of radix 1: a copy).
 * @param {number} batch @param {number} ny @param {number} nx @param {boolean} inverse
 * @returns {{ stages: FftStage[], table: number[] }}
 */
export function fft2Plan(batch, ny, nx, inverse) {
  const sign = inverse ? 1 : -1;
  const imageSize = ny * nx;
  /** @type {FftStage[]} */
  const stages = [];
  /** @type {number[]} */
  const table = [];
  const axis = (
    /** @type {number} */ n,
    /** @type {{ lines: number, perImage: number, lineStep: number, elemStep: number }} */ geom,
  ) => {
    let s = 1,
      len = n;
    for (const r of radices(n)) {
      const m = len / r;
      const twOff = table.length / 2;
      for (let p = 0; p < m; p++) for (let u = 0; u < r; u++) pushRoot(table, (p * u * s) % n, n, sign);
      const omOff = table.length / 2;
      for (let k = 0; k < r; k++) pushRoot(table, k, r, sign);
      stages.push({ r, m, s, n, ...geom, imageSize, twOff, omOff });
      len = m;
      s *= r;
    }
  };
  axis(nx, { lines: batch * ny, perImage: ny, lineStep: nx, elemStep: 1 });
  axis(ny, { lines: batch * nx, perImage: nx, lineStep: 1, elemStep: nx });
  if (stages.length === 0) {
    const twOff = table.length / 2;
    pushRoot(table, 0, 1, sign);
    stages.push({
      r: 1,
      m: 1,
      s: 1,
      n: 1,
      lines: batch,
      perImage: 1,
      imageSize,
      lineStep: 1,
      elemStep: 1,
      twOff,
      omOff: twOff,
    });
  }
  return { stages, table };
}

/**
 * Record fft2 (or ifft2, scaled by 1/(ny·nx)) of src into dst on the gpu's pending batch.
 * @param {import('../index.js').Gpu} gpu @param {Fft2Args} a
 */
export async function fft2Stockham(gpu, a) {
  if (checkFft2Args('fft2Stockham', a, 8, 'f32') === 0) return;
  const { stages, table } = fft2Plan(a.batch, a.ny, a.nx, a.inverse);
  const tab = gpu.createBuffer(table.length * 4);
  gpu.upload(tab, Float32Array.from(table));
  const pipe = await gpu.pipeline(FFT_STAGE_WGSL);
  const scale = FFT_FIELDS.indexOf('scale');
  dispatchStages(gpu, a, stages, pipe, tab, FFT_WG, (u, last) => {
    new Float32Array(u.buffer)[scale] = last && a.inverse ? 1 / (a.ny * a.nx) : 1;
  });
  gpu.destroy(tab);
}

/**
 * Record the stages of a Stockham plan (fft2Plan) on the gpu's pending batch, the f32 FFT's and the df64 one's
 * alike: ping-pong between dst and tmp so that the last stage writes dst; each stage's uniform holds the
 * FFT_FIELDS up to gridX by index, and `finish(u, last)` writes the fields after them (the inverse's scale).
 * @param {import('../index.js').Gpu} gpu @param {Fft2Args} a @param {FftStage[]} stages
 * @param {GPUComputePipeline} pipe @param {GPUBuffer} tab @param {number} wg  invocations per workgroup
 * @param {(u: Uint32Array, last: boolean) => void} finish
 */
export function dispatchStages(gpu, a, stages, pipe, tab, wg, finish) {
  const T = stages.length;
  stages.forEach((st, i) => {
    const read = i === 0 ? a.src : (T - i) % 2 === 0 ? a.dst : a.tmp;
    const write = (T - 1 - i) % 2 === 0 ? a.dst : a.tmp;
    const grid = workgroupGrid(Math.ceil((st.lines * st.n) / wg), gpu.device.limits.maxComputeWorkgroupsPerDimension);
    const u = new Uint32Array(16);
    /** @type {Record<string, number>} */
    const values = { ...st, gridX: grid[0] };
    for (const [k, name] of FFT_FIELDS.entries()) {
      if (name === 'scale') break;
      u[k] = /** @type {number} */ (values[name]);
    }
    finish(u, i === T - 1);
    gpu.dispatch(pipe, [read, write, tab], grid, u);
  });
}

/** e^{sign·2πi·k/n} in f64, appended as (re, im). @param {number[]} out @param {number} k @param {number} n @param {number} sign */
function pushRoot(out, k, n, sign) {
  const t = (2 * Math.PI * k) / n;
  out.push(Math.cos(t), sign * Math.sin(t));
}
