// @ts-check
// fftconv.js — main-thread driver of fftconv2 (compiler/ir/graph.ts): checks, the kernel's spectrum once per call
// (fft2 of the real kernel on its Py×Px grid, in f64, in the workspace the loop program declares — so the memory
// planner counts it), then the pairs of images as parallelFor tasks (fftconv-tasks.js, which says why the
// convolution is one fused pass). Each thread also keeps ≈ 16·Ny·Px bytes of scratch outside the arena.
import { fft2 } from './fft.js';
import { runInline } from './pool.js';

export const FFTCONV_TASKS_URL = new URL('./fftconv-tasks.js', import.meta.url).href;
/** Below this many padded grid points the calling thread does it all (a worker round trip costs more). */
const SMALL_POINTS = 1 << 15;

/**
 * @typedef {import('./arena.js').BufferRef} BufferRef
 * @typedef {{ src: BufferRef, kernel: BufferRef, work: BufferRef, dst: BufferRef, batch: number, ny: number, nx: number, py: number,
 *   px: number }} FftConv2Params
 * @typedef {{ arena: import('./arena.js').Arena, parallelFor: Function }} RuntimeLike
 */

/** @param {RuntimeLike} rt @param {FftConv2Params} p */
export async function fftconv2(rt, p) {
  for (const key of /** @type {const} */ (['batch', 'ny', 'nx', 'py', 'px'])) {
    if (!Number.isSafeInteger(p[key]) || p[key] < 0)
      throw new RangeError(`lensc fftconv2: ${key} must be a non-negative integer, got ${p[key]}`);
  }
  if (p.py < p.ny || p.px < p.nx)
    throw new RangeError(
      `lensc fftconv2: the kernel grid ${p.py}×${p.px} must be at least as large as the images ${p.ny}×${p.nx}`,
    );
  const grid = p.py * p.px * 2,
    half = p.py * (p.px + 7) * 2;
  const need = { src: p.batch * p.ny * p.nx, dst: p.batch * p.ny * p.nx, kernel: p.py * p.px, work: 2 * half };
  for (const key of /** @type {const} */ (['src', 'dst', 'kernel', 'work'])) {
    const ref = p[key];
    if (ref.dtype !== 'f64' && (ref.dtype !== 'f32' || key === 'work'))
      throw new TypeError(
        `lensc fftconv2: ${key} must be an f64${key === 'work' ? '' : ' or f32'} buffer, got ${ref.dtype}`,
      );
    if (ref.length < need[key])
      throw new RangeError(`lensc fftconv2: ${key} holds ${ref.length} values, fewer than the ${need[key]} needed`);
  }
  if (need.dst === 0) return;
  const A = rt.arena;
  // The workspace's halves: the kernel as complex values, then its spectrum (8-byte values: offsets stay aligned).
  /** @type {BufferRef} */
  const input = { offset: p.work.offset, length: half, dtype: 'f64' };
  /** @type {BufferRef} */
  const spectrum = { offset: p.work.offset + half * 8, length: grid, dtype: 'f64' };
  const g = /** @type {Float64Array} */ (A.view(input)),
    k = A.view(p.kernel);
  g.fill(0, 0, grid);
  for (let i = 0; i < need.kernel; i++) g[2 * i] = k[i];
  await fft2(rt, { src: input, dst: spectrum, batch: 1, ny: p.py, nx: p.px, inverse: false });
  // The spectrum again in blocks of 8 columns, [⌈Px/8⌉, Py, 8, 2], into the first half: the column pass reads one
  // block's Py × 8 values in order instead of 8 at a stride of Px (a power of two here: every row in one cache set).
  const H = /** @type {Float64Array} */ (A.view(spectrum));
  for (let x0 = 0; x0 < p.px; x0 += 8) {
    const V = Math.min(8, p.px - x0);
    for (let ky = 0; ky < p.py; ky++) {
      const to = (x0 * p.py + ky * 8) * 2,
        from = (ky * p.px + x0) * 2;
      for (let c = 0; c < 2 * V; c++) g[to + c] = H[from + c];
    }
  }
  const args = { src: p.src, spectrum: input, dst: p.dst, batch: p.batch, ny: p.ny, nx: p.nx, py: p.py, px: p.px };
  const pairs = Math.ceil(p.batch / 2);
  if (p.batch * p.py * p.px <= SMALL_POINTS) await runInline(A.memory, FFTCONV_TASKS_URL, 'pairs', args, 0, pairs);
  else await rt.parallelFor(FFTCONV_TASKS_URL, 'pairs', 0, pairs, args);
}
