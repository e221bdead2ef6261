// @ts-check
// blas-tasks.js — the per-thread half of gemm/syrk: one wasm instance per (thread, memory), and the two
// parallelFor tasks that drive it (pack panels; compute C tiles). The main-thread driver is blas.js.
//
// Blocking (see blas.wat for the panel layout): the k axis is cut into fixed KC-long blocks — fixed, not
// derived from the thread count or the split, because the k-block size is the only thing the bits of the
// result depend on. Within a block, tiles are visited in chunks of MC_PANELS row panels (MC_PANELS*4*KC*8 =
// 256 KiB of A, sized for L2), and for each B panel (KC*32 = 8 KiB, stays in L1) all A panels of the chunk.
import { setFlagsFromString } from 'node:v8';
import { BLAS_WASM_BASE64, BLAS_WASM_RELAXED_BASE64 } from './blas-wasm.js';

/** k-block length: every C element is accumulated over k in blocks of exactly this many terms. */
export const KC = 256;
/** Row panels (4 rows each) per cache chunk. */
export const MC_PANELS = 32;
/** Bytes of one packed panel row (4 f64). */
export const PANEL_ROW_BYTES = 32;
/** Scratch bytes per tile slot (a 4x4 f64 tile). */
export const TILE_BYTES = 128;

/** @typedef {{ pack: Function, block: Function, potf: (l: number, ld: number, k0: number, kb: number, m: number) => number }} BlasExports */

/** @type {WebAssembly.Module | undefined} */
let wasmModule;
/** @type {WeakMap<WebAssembly.Memory, BlasExports>} */
const instances = new WeakMap();

/**
 * Which variant of the kernels this process runs: 'relaxed' (accumulations as f64x2.relaxed_madd: fused
 * multiply-add on CPUs with FMA, twice the flops per instruction) where the engine validates relaxed SIMD,
 * else 'plain' (multiply, then add). LENSC_WASM_SIMD=plain forces the plain kernels. Node 20's V8 has relaxed
 * SIMD behind a flag that may be set at run time before compiling; it is set here, in every thread, so every
 * thread decides alike and runs the same instruction: the bits stay independent of the thread count.
 * @returns {'relaxed' | 'plain'}
 */
export function wasmSimdVariant() {
  return (variant ??= pickVariant());
}

/** @type {'relaxed' | 'plain' | undefined} */
let variant;

function pickVariant() {
  const env = typeof process === 'object' ? process.env.LENSC_WASM_SIMD : undefined;
  if (env === 'plain') return 'plain';
  const bytes = Buffer.from(BLAS_WASM_RELAXED_BASE64, 'base64');
  if (WebAssembly.validate(bytes)) return 'relaxed';
  try {
    setFlagsFromString('--experimental-wasm-relaxed-simd');
  } catch {
    /* not V8: keep the plain kernels */
  }
  return WebAssembly.validate(bytes) ? 'relaxed' : 'plain';
}

/** The BLAS wasm exports for this thread over `memory` (compiled once per thread). @param {WebAssembly.Memory} memory */
export function blasFor(memory) {
  let ex = instances.get(memory);
  if (!ex) {
    wasmModule ??= new WebAssembly.Module(
      Buffer.from(wasmSimdVariant() === 'relaxed' ? BLAS_WASM_RELAXED_BASE64 : BLAS_WASM_BASE64, 'base64'),
    );
    const inst = new WebAssembly.Instance(wasmModule, { env: { memory } });
    ex = /** @type {BlasExports} */ (/** @type {unknown} */ (inst.exports));
    instances.set(memory, ex);
  }
  return ex;
}

/**
 * Packed layout of one outer k-block: KC-long k-blocks one after another; within k-block b (length kcLen),
 * panel q (A panels 0..mp-1, then B panels) at base(b) + q*kcLen*32, where base(b) = pa + b*KC*32*panels.
 * So the panels a chunk of tiles reads in one k-block are contiguous, which the prefetchers like.
 * @param {number} pa @param {number} panels @param {number} b
 */
const blockBase = (pa, panels, b) => pa + b * KC * PANEL_ROW_BYTES * panels;

/**
 * @typedef {object} PackArgs  panels [0, mp) come from op(A), panels [mp, mp+np) from op(B)
 * @property {number} pa  packed destination (byte offset)
 * @property {number} kb  k-length of this outer block
 * @property {number} m @property {number} n @property {number} mp @property {number} panels
 * @property {number} aSrc @property {number} aRs @property {number} aKs  op(A)[i][k] at aSrc + i*aRs + k*aKs
 * @property {number} bSrc @property {number} bRs @property {number} bKs  op(B)[k][j] at bSrc + j*bRs + k*bKs
 */

/**
 * @typedef {object} BlockArgs
 * @property {number} pa @property {number} panels  packed panels (see blockBase)
 * @property {number} kb @property {number} k0  this outer block is k in [k0, k0+kb)
 * @property {number} c @property {number} ldcBytes @property {number} m @property {number} n
 * @property {number} mp @property {number} np  panel counts (np = mp for SYRK)
 * @property {number} alpha @property {number} beta
 * @property {boolean} sym  SYRK: B panels are the A panels; lower-triangle tiles only, mirrored
 * @property {boolean} byRows  pieces are ranges of row panels (else of column panels)
 * @property {number} tiles  scratch tile slots, one per panel of the split axis
 */

export const __tasks = {
  /** @param {{ memory: WebAssembly.Memory }} ctx @param {PackArgs} a @param {number} lo @param {number} hi */
  pack(ctx, a, lo, hi) {
    const w = blasFor(ctx.memory);
    const aHi = Math.min(hi, a.mp),
      bLo = Math.max(lo, a.mp) - a.mp,
      bHi = hi - a.mp;
    for (let b = 0, kk = 0; kk < a.kb; b++, kk += KC) {
      const kc = Math.min(KC, a.kb - kk),
        base = blockBase(a.pa, a.panels, b),
        panel = kc * PANEL_ROW_BYTES;
      if (aHi > lo) {
        w.pack(
          base + lo * panel,
          a.aSrc + lo * 4 * a.aRs + kk * a.aKs,
          Math.min(a.m, aHi * 4) - lo * 4,
          kc,
          a.aRs,
          a.aKs,
        );
      }
      if (bHi > bLo) {
        w.pack(
          base + (a.mp + bLo) * panel,
          a.bSrc + bLo * 4 * a.bRs + kk * a.bKs,
          Math.min(a.n, bHi * 4) - bLo * 4,
          kc,
          a.bRs,
          a.bKs,
        );
      }
    }
  },

  /** @param {{ memory: WebAssembly.Memory }} ctx @param {BlockArgs} a @param {number} lo @param {number} hi */
  block(ctx, a, lo, hi) {
    const w = blasFor(ctx.memory);
    // mode bits for $block: 1 = first k-block (apply beta), 4 = SYRK, 8 = tile slot indexed by column panel.
    const flags = (a.sym ? 4 : 0) | (a.byRows ? 0 : 8);
    const [i0, i1, j0, j1] = a.byRows ? [lo, hi, 0, a.np] : [0, a.mp, lo, hi];
    for (let b = 0, kk = 0; kk < a.kb; b++, kk += KC) {
      const kc = Math.min(KC, a.kb - kk),
        stride = kc * PANEL_ROW_BYTES;
      const mode = flags | (a.k0 + kk === 0 ? 1 : 0);
      const pa = blockBase(a.pa, a.panels, b),
        pb = a.sym ? pa : pa + a.mp * stride;
      for (let c0 = i0; c0 < i1; c0 += MC_PANELS) {
        const c1 = Math.min(i1, c0 + MC_PANELS);
        w.block(
          pa,
          stride,
          pb,
          stride,
          c0,
          c1,
          j0,
          a.sym ? c1 : j1,
          kc,
          a.c,
          a.ldcBytes,
          a.m,
          a.n,
          a.alpha,
          a.beta,
          mode,
          a.tiles,
        );
      }
    }
  },
};
