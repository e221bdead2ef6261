// @ts-check
// fft-tasks.js — the per-thread half of the 2-D FFT: parallelFor tasks that gather V rows (or V columns) of a
// complex image into split scratch, transform them with fft-core.js and write them back. The driver is fft.js.
//
// Complex data is interleaved (re, im) along a trailing axis of 2: element (b, y, x) of a [B, Ny, Nx, 2] buffer
// has its real part at ((b·Ny + y)·Nx + x)·2. Each line is transformed by one thread in one fixed order, so the
// bits do not depend on the thread count or on how the range is split.
import { planFor, scratchOf, transform } from './fft-core.js';

/** Lines (rows or columns) transformed together; their elements interleave in scratch. */
export const LINES_PER_BLOCK = 8;

/**
 * @typedef {import('./arena.js').BufferRef} BufferRef
 * @typedef {{ src: BufferRef, dst: BufferRef, batch: number, ny: number, nx: number, sign: number, scale: number }} FftArgs
 */

/**
 * Rows pass: blocks [lo, hi) of LINES_PER_BLOCK rows of the batch·ny rows of length nx, src → dst.
 * @param {{ view: (ref: BufferRef) => Float64Array | Float32Array | Int32Array }} ctx @param {FftArgs} a @param {number} lo @param {number} hi
 */
function rows(ctx, a, lo, hi) {
  const src = /** @type {Float64Array | Float32Array} */ (ctx.view(a.src)),
    dst = /** @type {Float64Array | Float32Array} */ (ctx.view(a.dst));
  const n = a.nx,
    lines = a.batch * a.ny,
    plan = planFor(n, a.sign);
  const V0 = LINES_PER_BLOCK;
  const xr = scratchOf('2d.xr', n * V0),
    xi = scratchOf('2d.xi', n * V0),
    yr = scratchOf('2d.yr', n * V0),
    yi = scratchOf('2d.yi', n * V0);
  for (let blk = lo; blk < hi; blk++) {
    const r0 = blk * V0,
      V = Math.min(V0, lines - r0);
    for (let c = 0; c < V; c++) {
      const base = (r0 + c) * n * 2;
      for (let x = 0; x < n; x++) {
        xr[x * V + c] = src[base + 2 * x];
        xi[x * V + c] = src[base + 2 * x + 1];
      }
    }
    const [or, oi] = transform(plan, xr, xi, yr, yi, V);
    for (let c = 0; c < V; c++) {
      const base = (r0 + c) * n * 2;
      for (let x = 0; x < n; x++) {
        dst[base + 2 * x] = or[x * V + c];
        dst[base + 2 * x + 1] = oi[x * V + c];
      }
    }
  }
}

/**
 * Columns pass, in place on dst (then scaled): blocks [lo, hi) of LINES_PER_BLOCK neighbouring columns, numbered
 * image by image (ceil(nx / LINES_PER_BLOCK) blocks per image).
 * @param {{ view: (ref: BufferRef) => Float64Array | Float32Array | Int32Array }} ctx @param {FftArgs} a @param {number} lo @param {number} hi
 */
function cols(ctx, a, lo, hi) {
  const dst = /** @type {Float64Array | Float32Array} */ (ctx.view(a.dst));
  const { ny, nx, scale } = a,
    n = ny,
    plan = planFor(n, a.sign);
  const V0 = LINES_PER_BLOCK,
    perImage = Math.ceil(nx / V0);
  const xr = scratchOf('2d.xr', n * V0),
    xi = scratchOf('2d.xi', n * V0),
    yr = scratchOf('2d.yr', n * V0),
    yi = scratchOf('2d.yi', n * V0);
  for (let blk = lo; blk < hi; blk++) {
    const b = Math.floor(blk / perImage),
      x0 = (blk % perImage) * V0,
      V = Math.min(V0, nx - x0);
    const img = b * ny * nx * 2 + x0 * 2;
    for (let y = 0; y < n; y++) {
      const base = img + y * nx * 2;
      for (let c = 0; c < V; c++) {
        xr[y * V + c] = dst[base + 2 * c];
        xi[y * V + c] = dst[base + 2 * c + 1];
      }
    }
    const [or, oi] = transform(plan, xr, xi, yr, yi, V);
    for (let y = 0; y < n; y++) {
      const base = img + y * nx * 2;
      for (let c = 0; c < V; c++) {
        dst[base + 2 * c] = or[y * V + c] * scale;
        dst[base + 2 * c + 1] = oi[y * V + c] * scale;
      }
    }
  }
}

export const __tasks = { rows, cols };
