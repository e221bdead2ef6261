// @ts-check
// index.js — the public face of the JS backend runtime (`lensc/runtime/js`), imported by generated kernels.
//
// Contract with generated modules: a module exports `__tasks = { name(ctx, args, lo, hi) { ... } }` and calls
// `(await getRuntime()).parallelFor(import.meta.url, 'name', lo, hi, args)`; args is structured-cloneable and
// holds BufferRefs (from rt.arena), which a task turns into views with ctx.f64(ref) etc. Importing this module
// has no side effects beyond registering the BLAS tasks: no memory, no workers until getRuntime()/getArena().
//
// Process-wide state (the arena, the worker pool, one Runtime per thread count, the kernel mutex) hangs off
// globalThis under a registered symbol rather than module variables: a test runner or bundler may load this
// file twice, and two arenas or two pools in one process would break "one shared memory per process".
import { availableParallelism } from 'node:os';
import { isMainThread } from 'node:worker_threads';
import { AsyncLocalStorage } from 'node:async_hooks';
import { Arena } from './arena.js';
import { Pool, parallelFor, registerInlineModule } from './pool.js';
import { gemm, syrk, TASKS_URL } from './blas.js';
import * as blasTasks from './blas-tasks.js';
import { fft2, FFT_TASKS_URL } from './fft.js';
import * as fftTasks from './fft-tasks.js';
import * as nativeBlasTasks from './native_blas_tasks.js';

export { ctxFor } from './ctx.js';
export { blasInfo, useNativeBlas } from './native_blas.js';

const MAX_THREADS = 256;
registerInlineModule(TASKS_URL, blasTasks);
registerInlineModule(FFT_TASKS_URL, fftTasks);
registerInlineModule(nativeBlasTasks.NATIVE_TASKS_URL, nativeBlasTasks);

/**
 * @typedef {{ arena: Arena | null, pool: Pool | null, runtimes: Map<number, Promise<Runtime>>,
 *   tail: Promise<unknown>, inExclusive: AsyncLocalStorage<boolean> }} State
 */

/** @returns {State} */
function state() {
  const g = /** @type {any} */ (globalThis);
  const key = Symbol.for('lensc.runtime.js.state');
  return (g[key] ??= {
    arena: null, pool: null, runtimes: new Map(), tail: Promise.resolve(), inExclusive: new AsyncLocalStorage(),
  });
}

/** The process-wide arena (created on first use; no workers needed). */
export function getArena() {
  const st = state();
  return (st.arena ??= new Arena());
}

class Runtime {
  /** @param {number} threads @param {Arena} arena @param {Pool | null} pool */
  constructor(threads, arena, pool) {
    this.threads = threads;
    this.arena = arena;
    /** @private */ this.pool = pool;
  }

  /**
   * Run fn when no other exclusive fn is running (process-wide async mutex). Re-entrant: an exclusive fn
   * that calls exclusive again (a kernel calling a kernel) runs the inner fn directly instead of deadlocking.
   * @template T @param {() => Promise<T>} fn @returns {Promise<T>}
   */
  exclusive(fn) {
    const st = state();
    if (st.inExclusive.getStore()) return Promise.resolve().then(fn);
    const run = st.tail.then(() => st.inExclusive.run(true, fn));
    st.tail = run.catch(() => {});
    return run;
  }

  /**
   * Run task `name` of module `moduleUrl` over [lo, hi), split into contiguous pieces across the threads.
   * @param {string} moduleUrl @param {string} name @param {number} lo @param {number} hi @param {object} args
   * @param {{ grain?: number, cost?: 'uniform'|'triangular' }} [opts] @returns {Promise<void>}
   */
  parallelFor(moduleUrl, name, lo, hi, args, opts) {
    return parallelFor(this.pool, this.arena.memory, this.threads, moduleUrl, name, lo, hi, args, opts);
  }

  /** @param {import('./blas.js').GemmParams} p @returns {Promise<void>} */
  gemm(p) { return gemm(this, p); }

  /** @param {import('./blas.js').SyrkParams} p @returns {Promise<void>} */
  syrk(p) { return syrk(this, p); }

  /** 2-D FFT over the last two axes of a [B, Ny, Nx, 2] complex buffer. @param {import('./fft.js').Fft2Params} p @returns {Promise<void>} */
  fft2(p) { return fft2(this, p); }
}

/**
 * The process-wide runtime for `threads` threads: loops are split into `threads` pieces, run by the main thread
 * and at most os.availableParallelism() − 1 pool workers (pool.js MAX_WORKERS).
 * @param {number} [threads] defaults to os.availableParallelism() @returns {Promise<Runtime>}
 */
export function getRuntime(threads = availableParallelism()) {
  if (!isMainThread && /** @type {any} */ (globalThis)[Symbol.for('lensc.runtime.js.inPoolWorker')]) {
    return Promise.reject(new Error('lensc runtime: getRuntime() cannot be called inside a lensc pool worker'));
  }
  if (!Number.isSafeInteger(threads) || threads < 1 || threads > MAX_THREADS) {
    return Promise.reject(new RangeError(`lensc getRuntime: threads must be an integer in [1, ${MAX_THREADS}], got ${threads}`));
  }
  const st = state();
  let rt = st.runtimes.get(threads);
  if (!rt) {
    const arena = getArena();
    const pool = threads > 1 ? (st.pool ??= new Pool(arena.memory)) : null;
    rt = (pool ? pool.ensure(threads - 1) : Promise.resolve()).then(() => new Runtime(threads, arena, pool));
    st.runtimes.set(threads, rt);
    rt.catch(() => st.runtimes.delete(threads)); // a failed start may be retried
  }
  return rt;
}

/** Terminate the pool's workers. Later getRuntime() calls start a fresh pool; the arena is kept. */
export async function shutdown() {
  const st = state();
  const pool = st.pool;
  st.pool = null;
  st.runtimes.clear();
  if (pool) await pool.terminate();
}
