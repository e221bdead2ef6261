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
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Arena } from './arena.js';
import { Pool, parallelFor, registerInlineModule } from './pool.js';
import { gemm, syrk, TASKS_URL } from './blas.js';
import * as blasTasks from './blas-tasks.js';
import { fft2, FFT_TASKS_URL } from './fft.js';
import * as fftTasks from './fft-tasks.js';
import { fftconv2, FFTCONV_TASKS_URL } from './fftconv.js';
import * as fftconvTasks from './fftconv-tasks.js';
import * as nativeBlasTasks from './native_blas_tasks.js';

export { ctxFor } from './ctx.js';
export { blasInfo, useNativeBlas } from './native_blas.js';

const MAX_THREADS = 256;
registerInlineModule(TASKS_URL, blasTasks);
registerInlineModule(FFT_TASKS_URL, fftTasks);
registerInlineModule(FFTCONV_TASKS_URL, fftconvTasks);
registerInlineModule(nativeBlasTasks.NATIVE_TASKS_URL, nativeBlasTasks);

/**
 * @typedef {{ arena: Arena | null, pool: Pool | null, runtimes: Map<number, Promise<Runtime>>,
 *   tail: Promise<unknown>, inExclusive: AsyncLocalStorage<boolean>, calls: number, idleTimer: ReturnType<typeof setTimeout> | null }} State
 */

/** @returns {State} */
function state() {
  const g = /** @type {any} */ (globalThis);
  const key = Symbol.for('lensc.runtime.js.state');
  return (g[key] ??= {
    arena: null,
    pool: null,
    runtimes: new Map(),
    tail: Promise.resolve(),
    inExclusive: new AsyncLocalStorage(),
    calls: 0,
    idleTimer: null,
  });
}

/** The process-wide arena (created on first use; no workers needed). */
export function getArena() {
  const st = state();
  return (st.arena ??= new Arena());
}

/** An idle arena larger than this is released (its memory given back) after IDLE_RELEASE_MS without calls. */
const RETAIN_BYTES = 64 * 1024 * 1024;
const IDLE_RELEASE_MS = 1000;

class Runtime {
  /** @param {number} threads */
  constructor(threads) {
    this.threads = threads;
  }

  /** The process-wide arena: a fresh one after the last was released (idle, or shutdown()). */
  get arena() {
    return getArena();
  }

  /** @private The process-wide pool on the current arena's memory (started on demand), or null for one thread. */
  get pool() {
    if (this.threads <= 1) return null;
    const st = state();
    return (st.pool ??= new Pool(getArena().memory));
  }

  /**
   * Run fn when no other exclusive fn is running (process-wide async mutex). Re-entrant: an exclusive fn
   * that calls exclusive again (a kernel calling a kernel) runs the inner fn directly instead of deadlocking.
   * When the last queued fn is done, a large arena is released after a while without calls (see releaseWhenIdle).
   * @template T @param {() => Promise<T>} fn @returns {Promise<T>}
   */
  exclusive(fn) {
    const st = state();
    if (st.inExclusive.getStore()) return Promise.resolve().then(fn);
    st.calls++;
    if (st.idleTimer) {
      clearTimeout(st.idleTimer);
      st.idleTimer = null;
    }
    const run = st.tail.then(() => st.inExclusive.run(true, fn));
    st.tail = run.then(
      () => {},
      () => {},
    ); // not run itself: the queue must not hold on to the last result
    const done = () => {
      if (--st.calls === 0) releaseWhenIdle(st);
    };
    run.then(done, done);
    return run;
  }

  /**
   * Run task `name` of module `moduleUrl` over [lo, hi), split into contiguous pieces across the threads.
   * @param {string} moduleUrl @param {string} name @param {number} lo @param {number} hi @param {object} args
   * @param {{ grain?: number, cost?: 'uniform'|'triangular' }} [opts] @returns {Promise<void>}
   */
  parallelFor(moduleUrl, name, lo, hi, args, opts) {
    return parallelFor(this.pool, getArena().memory, this.threads, moduleUrl, name, lo, hi, args, opts);
  }

  /** @param {import('./blas.js').GemmParams} p @returns {Promise<void>} */
  gemm(p) {
    return gemm(this, p);
  }

  /** @param {import('./blas.js').SyrkParams} p @returns {Promise<void>} */
  syrk(p) {
    return syrk(this, p);
  }

  /** 2-D FFT over the last two axes of a [B, Ny, Nx, 2] complex buffer. @param {import('./fft.js').Fft2Params} p @returns {Promise<void>} */
  fft2(p) {
    return fft2(this, p);
  }

  /** Circular convolution of real images with a real kernel on its grid (fftconv2). @param {import('./fftconv.js').FftConv2Params} p @returns {Promise<void>} */
  fftconv2(p) {
    return fftconv2(this, p);
  }
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
    return Promise.reject(
      new RangeError(`lensc getRuntime: threads must be an integer in [1, ${MAX_THREADS}], got ${threads}`),
    );
  }
  const st = state();
  let rt = st.runtimes.get(threads);
  if (!rt) {
    const r = new Runtime(threads);
    const pool = /** @type {any} */ (r).pool;
    const started = (pool ? pool.ensure(threads - 1) : Promise.resolve()).then(() => r);
    st.runtimes.set(threads, started);
    started.catch(() => st.runtimes.delete(threads)); // a failed start may be retried
    return started;
  }
  return rt;
}

/**
 * Give the arena's memory back to the system when it is large and nothing uses it: a WebAssembly memory cannot
 * shrink, so the whole arena is dropped (and the workers, which hold it, are stopped); the next call starts a
 * fresh one. Checked IDLE_RELEASE_MS after the last queued call, on an unref'd timer (it never keeps a process up).
 * @param {State} st
 */
function releaseWhenIdle(st) {
  const arena = st.arena;
  if (!arena || arena.memory.buffer.byteLength <= RETAIN_BYTES) return;
  st.idleTimer = setTimeout(() => {
    st.idleTimer = null;
    if (st.calls === 0 && st.arena === arena && arena.bytesInUse() === 0) releaseArena(st);
  }, IDLE_RELEASE_MS);
  st.idleTimer.unref();
}

/** Drop the arena and stop the pool (both are recreated on demand), then collect it. @param {State} st */
function releaseArena(st) {
  const pool = st.pool;
  st.pool = null;
  st.arena = null;
  return (pool ? pool.terminate() : Promise.resolve()).then(collectGarbage);
}

/**
 * A full garbage collection, so that a dropped arena's memory is unmapped now rather than whenever V8 next
 * collects (a quiet process may not for minutes: the arena's JS object is tiny). Uses the process's gc() when
 * it was started with --expose-gc, otherwise one obtained from a fresh context (as Jest's leak detector does).
 */
function collectGarbage() {
  const g = /** @type {any} */ (globalThis);
  if (typeof g.gc === 'function') return g.gc();
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc');
    setFlagsFromString('--no-expose-gc');
    gc();
  } catch {
    /* best effort: V8 collects later */
  }
}

/**
 * Stop the pool's workers and, when no buffer is live, release the arena (its memory goes back to the system).
 * Optional: idle workers never keep a process alive, and a large idle arena is released by itself. Later calls
 * start afresh.
 */
export async function shutdown() {
  const st = state();
  if (st.idleTimer) {
    clearTimeout(st.idleTimer);
    st.idleTimer = null;
  }
  const pool = st.pool;
  st.pool = null;
  st.runtimes.clear();
  const release = Boolean(st.arena && st.arena.bytesInUse() === 0 && st.calls === 0);
  if (release) st.arena = null;
  if (pool) await pool.terminate();
  if (release) collectGarbage();
}
