// @ts-check
// native_blas_tasks.js — gemm and syrk on the native BLAS, cut into fixed tiles that the worker pool shares.
//
// Why tiles and not OpenBLAS's own threads: OpenBLAS's bits depend on its thread count (its partition picks
// different edge kernels), and lensc promises the same bits whatever `threads` is. So OpenBLAS runs with one
// thread on every thread that calls it, and the parallelism is lensc's: the tile grid depends on the sizes
// only, each tile is one single-threaded OpenBLAS call, and parallelFor hands contiguous runs of tiles to
// the main thread and the workers (which are otherwise idle, so BLAS and the pool never oversubscribe).
// Below SMALL_FLOPS the whole product is one call on the calling thread: no round trip, same bits either way.
import { nativeBlas } from './native_blas.js';

/** Below this many multiply-adds one call on the calling thread beats a round trip to the workers. */
export const SMALL_FLOPS = 1 << 21;

/** Rows (or columns) per tile: about 8 tiles along the split axis, a multiple of 8, in [64, 256] (thinner
 *  tiles cost OpenBLAS 20–60 % in repacking on one core, measured at n = 812–1024). @param {number} extent */
export function tileRows(extent) {
  return Math.max(64, Math.min(256, Math.ceil(extent / 8 / 8) * 8));
}

/** @param {WebAssembly.Memory} memory @param {number} offset a Float64Array from `offset` to the end of the memory */
const at = (memory, offset) => new Float64Array(memory.buffer, offset);

/** The library on this thread (a worker only gets tasks after the main thread loaded it). */
function blas() {
  const b = nativeBlas();
  if (!b) throw new Error('lensc native BLAS: the library is not loaded on this thread');
  return b;
}

/**
 * @typedef {import('./blas.js').GemmParams & { byRows: boolean, tile: number }} GemmTileArgs
 * @typedef {import('./blas.js').SyrkParams & { tile: number }} SyrkTileArgs
 */

export const __tasks = {
  /** Tiles [lo, hi) of C: row blocks of `tile` rows (byRows) or column blocks. @param {{ memory: WebAssembly.Memory }} ctx @param {GemmTileArgs} p @param {number} lo @param {number} hi */
  gemmTiles(ctx, p, lo, hi) {
    const b = blas(),
      mem = ctx.memory;
    for (let t = lo; t < hi; t++) {
      const r0 = t * p.tile;
      if (p.byRows) {
        const rows = Math.min(p.tile, p.m - r0);
        // op(A) rows r0.. : A stored m×k (row r0 at r0·lda) or, transposed, k×m (column r0).
        const aOff = p.a + (p.transA ? r0 : r0 * p.lda) * 8;
        b.dgemm(
          p.transA,
          p.transB,
          rows,
          p.n,
          p.k,
          p.alpha,
          at(mem, aOff),
          p.lda,
          at(mem, p.b),
          p.ldb,
          p.beta,
          at(mem, p.c + r0 * p.ldc * 8),
          p.ldc,
        );
      } else {
        const cols = Math.min(p.tile, p.n - r0);
        // op(B) columns r0.. : B stored k×n (column r0) or, transposed, n×k (row r0).
        const bOff = p.b + (p.transB ? r0 * p.ldb : r0) * 8;
        b.dgemm(
          p.transA,
          p.transB,
          p.m,
          cols,
          p.k,
          p.alpha,
          at(mem, p.a),
          p.lda,
          at(mem, bOff),
          p.ldb,
          p.beta,
          at(mem, p.c + r0 * 8),
          p.ldc,
        );
      }
    }
  },

  /** Row panels [lo, hi) of C: the lower triangle by BLAS, mirrored into the upper one when that is exact.
   *  @param {{ memory: WebAssembly.Memory }} ctx @param {SyrkTileArgs} p @param {number} lo @param {number} hi */
  syrkPanels(ctx, p, lo, hi) {
    const b = blas(),
      mem = ctx.memory;
    // op(A) row i: A stored n×k (row i) or, transposed, k×n (column i).
    const rowOff = (/** @type {number} */ i) => p.a + (p.trans ? i : i * p.lda) * 8;
    const cAt = (/** @type {number} */ i, /** @type {number} */ j) => at(mem, p.c + (i * p.ldc + j) * 8);
    for (let t = lo; t < hi; t++) {
      const r0 = t * p.tile,
        r1 = Math.min(p.n, r0 + p.tile),
        rows = r1 - r0;
      // The panel's lower part: C[r0:r1, 0:r0] = alpha·op(A)[r0:r1]·op(A)[0:r0]ᵀ + beta·C, then the diagonal block.
      const lower = () => {
        if (r0 > 0)
          b.dgemm(
            p.trans,
            !p.trans,
            rows,
            r0,
            p.k,
            p.alpha,
            at(mem, rowOff(r0)),
            p.lda,
            at(mem, p.a),
            p.lda,
            p.beta,
            cAt(r0, 0),
            p.ldc,
          );
        b.dsyrkLower(p.trans, rows, p.k, p.alpha, at(mem, rowOff(r0)), p.lda, p.beta, cAt(r0, r0), p.ldc);
      };
      // Mirroring is exact when beta·C is symmetric (always when beta is 0); otherwise the upper part of the
      // panel (its columns in the rows above, and the diagonal block) is a product of its own.
      if (p.lowerOnly) lower();
      else if (p.beta === 0 || isSymmetric(new Float64Array(mem.buffer), p.c / 8, p.ldc, r0, r1)) {
        lower();
        mirrorRows(new Float64Array(mem.buffer), p.c / 8, p.ldc, r0, r1);
      } else {
        b.dgemm(
          p.trans,
          !p.trans,
          rows,
          r1,
          p.k,
          p.alpha,
          at(mem, rowOff(r0)),
          p.lda,
          at(mem, p.a),
          p.lda,
          p.beta,
          cAt(r0, 0),
          p.ldc,
        );
        if (r0 > 0)
          b.dgemm(
            p.trans,
            !p.trans,
            r0,
            rows,
            p.k,
            p.alpha,
            at(mem, p.a),
            p.lda,
            at(mem, rowOff(r0)),
            p.lda,
            p.beta,
            cAt(0, r0),
            p.ldc,
          );
      }
    }
  },
};

/** Whether rows [r0, r1) of C below the diagonal equal their mirror images bitwise.
 * @param {Float64Array} all @param {number} c @param {number} ldc @param {number} r0 @param {number} r1 */
function isSymmetric(all, c, ldc, r0, r1) {
  for (let i = r0; i < r1; i++) {
    const row = c + i * ldc;
    for (let j = 0; j < i; j++) if (!Object.is(all[row + j], all[c + j * ldc + i])) return false;
  }
  return true;
}

/**
 * Copy the lower triangle of rows [r0, r1) of C into the upper triangle (columns [r0, r1) of rows above).
 * Panels own disjoint column ranges of the upper triangle, so workers never write the same element.
 * @param {Float64Array} all the whole memory @param {number} c element offset of C @param {number} ldc
 * @param {number} r0 @param {number} r1
 */
export function mirrorRows(all, c, ldc, r0, r1) {
  const B = 32; // blocked transpose: both sides stay in cache
  for (let j0 = 0; j0 < r1; j0 += B) {
    for (let i = r0; i < r1; i++) {
      const jEnd = Math.min(i, j0 + B),
        row = c + i * ldc;
      for (let j = j0; j < jEnd; j++) all[c + j * ldc + i] = all[row + j];
    }
  }
}

export const NATIVE_TASKS_URL = new URL('./native_blas_tasks.js', import.meta.url).href;

/**
 * @typedef {{ arena: { memory: WebAssembly.Memory }, parallelFor: Function }} RuntimeLike
 */

/** C = alpha·op(A)·op(B) + beta·C on the native BLAS (arguments already checked by blas.js).
 * @param {RuntimeLike} rt @param {import('./blas.js').GemmParams} p */
export async function nativeGemm(rt, p) {
  if (p.m * p.n * p.k <= SMALL_FLOPS) return gemmWhole(rt.arena.memory, p);
  const byRows = p.m >= p.n,
    extent = byRows ? p.m : p.n,
    tile = tileRows(extent);
  await rt.parallelFor(NATIVE_TASKS_URL, 'gemmTiles', 0, Math.ceil(extent / tile), { ...p, byRows, tile });
}

/** C = alpha·op(A)·op(A)ᵀ + beta·C, both triangles, on the native BLAS.
 * @param {RuntimeLike} rt @param {import('./blas.js').SyrkParams} p */
export async function nativeSyrk(rt, p) {
  if ((p.n * p.n * p.k) / 2 <= SMALL_FLOPS) return syrkWhole(rt.arena.memory, p);
  const tile = tileRows(p.n);
  await rt.parallelFor(
    NATIVE_TASKS_URL,
    'syrkPanels',
    0,
    Math.ceil(p.n / tile),
    { ...p, tile },
    { cost: 'triangular' },
  );
}

/** One call on the calling thread; whether a product is small depends on its sizes only, so the bits
 *  still do not depend on the thread count. @param {WebAssembly.Memory} mem @param {import('./blas.js').SyrkParams} p */
function syrkWhole(mem, p) {
  const b = blas();
  if (p.lowerOnly || p.beta === 0 || isSymmetric(new Float64Array(mem.buffer), p.c / 8, p.ldc, 0, p.n)) {
    b.dsyrkLower(p.trans, p.n, p.k, p.alpha, at(mem, p.a), p.lda, p.beta, at(mem, p.c), p.ldc);
    if (!p.lowerOnly) mirrorRows(new Float64Array(mem.buffer), p.c / 8, p.ldc, 0, p.n);
  } else {
    b.dgemm(
      p.trans,
      !p.trans,
      p.n,
      p.n,
      p.k,
      p.alpha,
      at(mem, p.a),
      p.lda,
      at(mem, p.a),
      p.lda,
      p.beta,
      at(mem, p.c),
      p.ldc,
    );
  }
}

/** @param {WebAssembly.Memory} mem @param {import('./blas.js').GemmParams} p */
function gemmWhole(mem, p) {
  const b = blas();
  b.dgemm(
    p.transA,
    p.transB,
    p.m,
    p.n,
    p.k,
    p.alpha,
    at(mem, p.a),
    p.lda,
    at(mem, p.b),
    p.ldb,
    p.beta,
    at(mem, p.c),
    p.ldc,
  );
}
