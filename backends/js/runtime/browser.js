// @ts-check
// `lensc/runtime/js` in browsers (the "browser" export condition; Node keeps index.js): the same contract for
// generated kernels — getRuntime(threads), rt.arena, rt.exclusive, rt.parallelFor, rt.gemm, rt.syrk — on the
// calling thread, with no `node:` import, so bundlers can build pages that run the f64 JS kernels (the std
// log evidence and regularization that the WGSL target hands to JS). `threads` is accepted and ignored: every
// loop runs whole on this thread. gemm/syrk are plain f64 loops (k in order), so results agree with Node within
// rounding. The arena is the shared WebAssembly memory of arena.js; a page gets it when it is cross-origin
// isolated (COOP/COEP headers, as examples/browser/serve.mjs sends), else a clear error says so.
import { Arena } from './arena.js';
import { ctxFor } from './ctx.js';

export { ctxFor };

const MAX_THREADS = 256;

/** @returns {{ arena: Arena | null, runtime: Runtime | null, tail: Promise<unknown>, modules: Map<string, any> }} */
function state() {
  const g = /** @type {any} */ (globalThis);
  return (g[Symbol.for('lensc.runtime.js.browser')] ??= {
    arena: null,
    runtime: null,
    tail: Promise.resolve(),
    modules: new Map(),
  });
}

export function getArena() {
  const st = state();
  if (!st.arena) {
    try {
      st.arena = new Arena();
    } catch (e) {
      throw new Error(
        `lensc runtime (browser): cannot create the shared WebAssembly memory the JS kernels use (${e instanceof Error ? e.message : e}); serve the page cross-origin isolated (Cross-Origin-Opener-Policy: same-origin, Cross-Origin-Embedder-Policy: require-corp)`,
      );
    }
  }
  return st.arena;
}

class Runtime {
  /** @param {Arena} arena */
  constructor(arena) {
    this.threads = 1;
    this.arena = arena;
  }

  /** One kernel at a time (the arena is shared); kernels do not call kernels inside it. @template T @param {() => Promise<T>} fn @returns {Promise<T>} */
  exclusive(fn) {
    const st = state();
    const run = st.tail.then(fn);
    st.tail = run.catch(() => {});
    return run;
  }

  /**
   * Runs task `name` of the module at `moduleUrl` over [lo, hi) on this thread. The module is imported by URL
   * (the generated module itself: bundlers keep a dynamically imported module in its own chunk).
   * @param {string} moduleUrl @param {string} name @param {number} lo @param {number} hi @param {object} args
   */
  async parallelFor(moduleUrl, name, lo, hi, args) {
    if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi))
      throw new RangeError(`lensc parallelFor: lo and hi must be integers, got [${lo}, ${hi})`);
    if (hi <= lo) return;
    const st = state();
    let mod = st.modules.get(moduleUrl);
    if (!mod) {
      mod = await import(/* @vite-ignore */ moduleUrl);
      st.modules.set(moduleUrl, mod);
    }
    const task = mod.__tasks?.[name];
    if (typeof task !== 'function')
      throw new Error(`lensc parallelFor: module ${moduleUrl} has no task '${name}' in its __tasks export`);
    await task(ctxFor(this.arena.memory), args, lo, hi);
  }

  /** C (m×n) = alpha·op(A)·op(B) + beta·C, row-major f64, offsets in bytes. @param {import('./blas.js').GemmParams} p */
  async gemm(p) {
    const buf = this.arena.memory.buffer;
    const A = new Float64Array(buf),
      B = A,
      C = A;
    const a0 = p.a / 8,
      b0 = p.b / 8,
      c0 = p.c / 8;
    for (let i = 0; i < p.m; i++) {
      for (let j = 0; j < p.n; j++) {
        let s = 0;
        for (let k = 0; k < p.k; k++) {
          const av = /** @type {number} */ (A[p.transA ? a0 + k * p.lda + i : a0 + i * p.lda + k]);
          const bv = /** @type {number} */ (B[p.transB ? b0 + j * p.ldb + k : b0 + k * p.ldb + j]);
          s += av * bv;
        }
        const at = c0 + i * p.ldc + j;
        C[at] = p.alpha * s + (p.beta === 0 ? 0 : p.beta * /** @type {number} */ (C[at]));
      }
    }
  }

  /** C (n×n) = alpha·A·Aᵀ + beta·C (A n×k), or alpha·Aᵀ·A + beta·C (trans); all of C is written. @param {import('./blas.js').SyrkParams} p */
  async syrk(p) {
    const M = new Float64Array(this.arena.memory.buffer);
    const a0 = p.a / 8,
      c0 = p.c / 8;
    const at = (/** @type {number} */ r, /** @type {number} */ k) =>
      /** @type {number} */ (M[p.trans ? a0 + k * p.lda + r : a0 + r * p.lda + k]);
    for (let i = 0; i < p.n; i++) {
      for (let j = 0; j <= i; j++) {
        let s = 0;
        for (let k = 0; k < p.k; k++) s += at(i, k) * at(j, k);
        const ij = c0 + i * p.ldc + j,
          ji = c0 + j * p.ldc + i;
        const v = p.alpha * s + (p.beta === 0 ? 0 : p.beta * /** @type {number} */ (M[ij]));
        M[ij] = v;
        M[ji] = v;
      }
    }
  }
}

/** @param {number} [threads] accepted for the Node API's sake; one thread runs everything @returns {Promise<Runtime>} */
export function getRuntime(threads = 1) {
  if (!Number.isSafeInteger(threads) || threads < 1 || threads > MAX_THREADS) {
    return Promise.reject(
      new RangeError(`lensc getRuntime: threads must be an integer in [1, ${MAX_THREADS}], got ${threads}`),
    );
  }
  const st = state();
  try {
    st.runtime ??= new Runtime(getArena());
  } catch (e) {
    return Promise.reject(e);
  }
  return Promise.resolve(st.runtime);
}

/** Nothing to stop: there are no workers. */
export async function shutdown() {}

/** The browser runtime has no native BLAS. */
export function blasInfo() {
  return { backend: 'js', reason: 'browser runtime: plain f64 loops on the calling thread' };
}
/** @param {boolean} _on @returns {boolean} whether native BLAS is in use: never here */
export function useNativeBlas(_on) {
  return false;
}
