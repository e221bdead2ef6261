// @ts-check
// blas.js — main-thread drivers of gemm and syrk: validate, then hand over to the native BLAS when one is
// loaded (native_blas_tasks.js), else allocate pack scratch and run the two phases of the WebAssembly kernels
// (pack panels, compute tiles) as parallelFor calls over blas-tasks.js.
//
// k is processed in outer blocks whose packed panels fit a fixed scratch budget (PACK_BUDGET); each outer block
// is packed by all threads, then its tiles are computed by all threads. Outer blocks are multiples of KC, so
// the per-element k-summation order (KC-blocks, see blas-tasks.js) does not depend on them either.
import { KC, PANEL_ROW_BYTES, TILE_BYTES } from './blas-tasks.js';
import { runInline } from './pool.js';
import { nativeBlas } from './native_blas.js';
import { nativeGemm, nativeSyrk } from './native_blas_tasks.js';

export const TASKS_URL = new URL('./blas-tasks.js', import.meta.url).href;
/** Bytes of packed panels per outer k-block at most (above it k is cut into outer blocks); the compiler bounds
 *  this scratch in the memory plan (backends/js/blas_scratch.ts). */
export const PACK_BUDGET = 32 * 1024 * 1024;
/** Below this many multiply-adds (a matrix-vector product up to 512×512) the calling thread does it all:
 *  a round trip to the workers costs more. The bits do not depend on the split, so neither on this. */
const SMALL_FLOPS = 1 << 18;

/**
 * @typedef {{ transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number, a: number,
 *   lda: number, b: number, ldb: number, beta: number, c: number, ldc: number }} GemmParams
 * @typedef {{ trans: boolean, n: number, k: number, alpha: number, a: number, lda: number, beta: number,
 *   c: number, ldc: number, lowerOnly?: boolean }} SyrkParams
 * @typedef {{ arena: import('./arena.js').Arena, parallelFor: Function }} RuntimeLike
 */

/** C (m×n) = alpha·op(A)·op(B) + beta·C, row-major f64. @param {RuntimeLike} rt @param {GemmParams} p */
export async function gemm(rt, p) {
  const what = 'gemm';
  const { m, n, k, alpha, beta } = p;
  for (const key of ['m', 'n', 'k', 'lda', 'ldb', 'ldc', 'a', 'b', 'c']) checkInt(what, p, key);
  checkNum(what, p, 'alpha');
  checkNum(what, p, 'beta');
  const mem = rt.arena.memory;
  // op(A) is m×k: stored m×k (lda >= k) or, transposed, k×m (lda >= m). Likewise op(B) k×n.
  checkMatrix(what, mem, 'a', p.a, p.transA ? k : m, p.transA ? m : k, p.lda, k > 0);
  checkMatrix(what, mem, 'b', p.b, p.transB ? n : k, p.transB ? k : n, p.ldb, k > 0);
  checkMatrix(what, mem, 'c', p.c, m, n, p.ldc, true);
  if (m === 0 || n === 0) return;
  if (k === 0 || alpha === 0) return scaleC(mem, p.c, m, n, p.ldc, beta);
  if (nativeBlas()) return nativeGemm(rt, p);
  const mp = Math.ceil(m / 4),
    np = Math.ceil(n / 4);
  const src = {
    aRs: p.transA ? 8 : p.lda * 8,
    aKs: p.transA ? p.lda * 8 : 8,
    bRs: p.transB ? p.ldb * 8 : 8,
    bKs: p.transB ? 8 : p.ldb * 8,
  };
  await run(rt, { m, n, k, alpha, beta, mp, np, sym: false, a: p.a, b: p.b, c: p.c, ldc: p.ldc, ...src });
}

/** C (n×n) = alpha·A·Aᵀ + beta·C (A n×k), or alpha·Aᵀ·A + beta·C (trans, A k×n). @param {RuntimeLike} rt @param {SyrkParams} p */
export async function syrk(rt, p) {
  const what = 'syrk';
  const { n, k, alpha, beta } = p;
  for (const key of ['n', 'k', 'lda', 'ldc', 'a', 'c']) checkInt(what, p, key);
  checkNum(what, p, 'alpha');
  checkNum(what, p, 'beta');
  const mem = rt.arena.memory;
  checkMatrix(what, mem, 'a', p.a, p.trans ? k : n, p.trans ? n : k, p.lda, k > 0);
  checkMatrix(what, mem, 'c', p.c, n, n, p.ldc, true);
  if (n === 0) return;
  if (k === 0 || alpha === 0) return scaleC(mem, p.c, n, n, p.ldc, beta);
  if (nativeBlas()) return nativeSyrk(rt, p);
  const np = Math.ceil(n / 4);
  const aRs = p.trans ? 8 : p.lda * 8,
    aKs = p.trans ? p.lda * 8 : 8;
  await run(rt, {
    m: n,
    n,
    k,
    alpha,
    beta,
    mp: np,
    np: 0,
    sym: true,
    a: p.a,
    b: p.a,
    c: p.c,
    ldc: p.ldc,
    aRs,
    aKs,
    bRs: aRs,
    bKs: aKs,
  });
}

/**
 * The two-phase loop over outer k-blocks. np = 0 means op(B) = op(A) (SYRK: only A is packed).
 * @param {RuntimeLike} rt
 * @param {{ m: number, n: number, k: number, alpha: number, beta: number, mp: number, np: number, sym: boolean,
 *   a: number, b: number, c: number, ldc: number, aRs: number, aKs: number, bRs: number, bKs: number }} q
 */
async function run(rt, q) {
  const panels = q.mp + q.np;
  const kbMax = Math.min(q.k, Math.max(KC, Math.floor(PACK_BUDGET / (panels * PANEL_ROW_BYTES) / KC) * KC));
  const byRows = q.sym || q.mp >= q.np;
  const tileSlots = byRows ? q.mp : q.np;
  const packBytes = panels * kbMax * PANEL_ROW_BYTES;
  const scratch = rt.arena.alloc((packBytes + tileSlots * TILE_BYTES) / 8, 'f64');
  const inline = q.m * q.n * q.k <= SMALL_FLOPS;
  /** @type {(name: string, hi: number, args: object, opts?: object) => Promise<void>} */
  const pfor = inline
    ? (name, hi, args) => runInline(rt.arena.memory, TASKS_URL, name, args, 0, hi)
    : (name, hi, args, opts) => rt.parallelFor(TASKS_URL, name, 0, hi, args, opts);
  try {
    const pa = scratch.offset;
    for (let k0 = 0; k0 < q.k; k0 += kbMax) {
      const kb = Math.min(kbMax, q.k - k0);
      await pfor('pack', panels, {
        pa,
        kb,
        m: q.m,
        n: q.n,
        mp: q.mp,
        panels,
        aSrc: q.a + k0 * q.aKs,
        aRs: q.aRs,
        aKs: q.aKs,
        bSrc: q.b + k0 * q.bKs,
        bRs: q.bRs,
        bKs: q.bKs,
      });
      await pfor(
        'block',
        byRows ? q.mp : q.np,
        {
          pa,
          panels,
          kb,
          k0,
          c: q.c,
          ldcBytes: q.ldc * 8,
          m: q.m,
          n: q.n,
          mp: q.mp,
          np: q.sym ? q.mp : q.np,
          alpha: q.alpha,
          beta: q.beta,
          sym: q.sym,
          byRows,
          tiles: pa + packBytes,
        },
        { cost: q.sym ? 'triangular' : 'uniform' },
      );
    }
  } finally {
    rt.arena.free(scratch);
  }
}

/** C = beta·C (zeros when beta is 0, ignoring NaN garbage), the whole result when k or alpha is 0.
 * @param {WebAssembly.Memory} mem @param {number} c @param {number} m @param {number} n @param {number} ldc @param {number} beta */
function scaleC(mem, c, m, n, ldc, beta) {
  for (let i = 0; i < m; i++) {
    const row = new Float64Array(mem.buffer, c + i * ldc * 8, n);
    if (beta === 0) row.fill(0);
    else if (beta !== 1) for (let j = 0; j < n; j++) row[j] *= beta;
  }
}

/** @param {string} what @param {any} p @param {string} key */
function checkInt(what, p, key) {
  const v = p[key];
  if (!Number.isSafeInteger(v) || v < 0)
    throw new RangeError(`lensc ${what}: ${key} must be a non-negative integer, got ${v}`);
}

/** @param {string} what @param {any} p @param {string} key */
function checkNum(what, p, key) {
  if (typeof p[key] !== 'number' || !Number.isFinite(p[key])) {
    throw new RangeError(`lensc ${what}: ${key} must be a finite number, got ${p[key]}`);
  }
}

/**
 * A rows×cols row-major f64 matrix with leading dimension ld at byte offset `off` must lie inside the memory.
 * @param {string} what @param {WebAssembly.Memory} mem @param {string} name @param {number} off
 * @param {number} rows @param {number} cols @param {number} ld @param {boolean} used
 */
function checkMatrix(what, mem, name, off, rows, cols, ld, used) {
  if (!used || rows === 0 || cols === 0) return;
  if (off % 8 !== 0) throw new RangeError(`lensc ${what}: ${name} offset ${off} is not 8-byte aligned`);
  if (ld < cols)
    throw new RangeError(
      `lensc ${what}: ld${name} = ${ld} is less than the ${cols} columns of ${name} (${rows}×${cols})`,
    );
  const end = off + ((rows - 1) * ld + cols) * 8;
  if (end > mem.buffer.byteLength) {
    throw new RangeError(
      `lensc ${what}: ${name} (${rows}×${cols}, ld ${ld}) at offset ${off} ends at byte ${end}, past the ` +
        `arena's ${mem.buffer.byteLength} bytes`,
    );
  }
}
