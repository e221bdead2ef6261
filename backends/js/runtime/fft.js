// @ts-check
// fft.js — main-thread driver of the 2-D FFT over the last two axes of a [B, Ny, Nx, 2] complex buffer:
// checks, then a rows pass (src → dst) and a columns pass (in place on dst) as parallelFor calls over
// fft-tasks.js. Forward: X[k,l] = Σ x[m,n]·e^{−2πi(km/Ny + ln/Nx)}; inverse: the + sign and 1/(Ny·Nx).
import { LINES_PER_BLOCK } from './fft-tasks.js';
import { runInline } from './pool.js';

export const FFT_TASKS_URL = new URL('./fft-tasks.js', import.meta.url).href;
/** Below this many complex points the calling thread does it all (a worker round trip costs more). */
const SMALL_POINTS = 1 << 14;

/**
 * @typedef {{ src: import('./arena.js').BufferRef, dst: import('./arena.js').BufferRef, batch: number, ny: number,
 *   nx: number, inverse: boolean }} Fft2Params
 * @typedef {{ arena: import('./arena.js').Arena, parallelFor: Function }} RuntimeLike
 */

/** @param {RuntimeLike} rt @param {Fft2Params} p */
export async function fft2(rt, p) {
  for (const key of /** @type {const} */ (['batch', 'ny', 'nx'])) {
    if (!Number.isSafeInteger(p[key]) || p[key] < 0)
      throw new RangeError(`lensc fft2: ${key} must be a non-negative integer, got ${p[key]}`);
  }
  const points = p.batch * p.ny * p.nx;
  for (const key of /** @type {const} */ (['src', 'dst'])) {
    const ref = p[key];
    if (ref.dtype !== 'f64' && ref.dtype !== 'f32')
      throw new TypeError(`lensc fft2: ${key} must be an f64 or f32 buffer, got ${ref.dtype}`);
    if (ref.length < points * 2)
      throw new RangeError(
        `lensc fft2: ${key} holds ${ref.length} values, fewer than the ${points * 2} of [${p.batch}, ${p.ny}, ${p.nx}, 2]`,
      );
  }
  if (points === 0) return;
  const args = {
    src: p.src,
    dst: p.dst,
    batch: p.batch,
    ny: p.ny,
    nx: p.nx,
    sign: p.inverse ? 1 : -1,
    scale: p.inverse ? 1 / (p.ny * p.nx) : 1,
  };
  const rowBlocks = Math.ceil((p.batch * p.ny) / LINES_PER_BLOCK);
  const colBlocks = p.batch * Math.ceil(p.nx / LINES_PER_BLOCK);
  if (points <= SMALL_POINTS) {
    await runInline(rt.arena.memory, FFT_TASKS_URL, 'rows', args, 0, rowBlocks);
    await runInline(rt.arena.memory, FFT_TASKS_URL, 'cols', args, 0, colBlocks);
    return;
  }
  await rt.parallelFor(FFT_TASKS_URL, 'rows', 0, rowBlocks, args);
  await rt.parallelFor(FFT_TASKS_URL, 'cols', 0, colBlocks, args);
}
