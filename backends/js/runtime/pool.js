// @ts-check
// pool.js — the persistent worker_threads pool and parallelFor's dispatch over it.
//
// One pool per process, grown on demand but never beyond os.availableParallelism() − 1 workers (the main thread
// runs pieces too): asking for more threads than the machine has splits the range into that many pieces, dealt
// round-robin to the main thread and the workers, but starts no extra thread. A worker holds the process open
// (ref) only while it starts or runs a job; idle, both its thread handle and its MessagePort are unref()'d, so a
// program that never calls shutdown() still exits. A worker that dies rejects its jobs with an error naming the
// job and is replaced on next use: a failing task never hangs the caller and never takes the process down.
import { Worker } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { ctxFor } from './ctx.js';
import { splitRange } from './split.js';

const WORKER_URL = new URL('./worker.js', import.meta.url);

/** The most pool workers a process ever runs. At least one, so multi-threaded paths run on one core too. */
export const MAX_WORKERS = Math.max(1, availableParallelism() - 1);

/** Options that belong to the main program's own source and must not reach a worker started from a file. */
const EVAL_FLAGS_WITH_VALUE = new Set(['--input-type', '-e', '--eval', '-p', '--print']);

/** Node options of this process minus those of an `-e`/`--input-type` program (a worker would reject them). */
function candidateExecArgv() {
  const out = [];
  const argv = process.execArgv;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const name = a.split('=', 1)[0];
    if (EVAL_FLAGS_WITH_VALUE.has(name)) {
      if (!a.includes('=')) i++;
      continue;
    }
    out.push(a);
  }
  return out;
}

/** @type {string[] | undefined} what workers are started with, settled by the first start */
let workerExecArgv;

/**
 * Start a worker with this process's Node options minus those a worker does not accept. Per-process options
 * (--max-old-space-size, --expose-gc, --stack-size, --title, ...) make `new Worker` throw
 * ERR_WORKER_INVALID_EXEC_ARGV listing them; they are dropped and the start retried, so loaders and
 * --conditions still reach the workers. If that still fails the workers get no options at all.
 * @param {object} workerData
 */
function startWorker(workerData) {
  if (workerExecArgv) return new Worker(WORKER_URL, { workerData, execArgv: workerExecArgv });
  let argv = candidateExecArgv();
  for (let attempt = 0; ; attempt++) {
    try {
      const w = new Worker(WORKER_URL, { workerData, execArgv: argv });
      workerExecArgv = argv;
      return w;
    } catch (e) {
      const err = /** @type {any} */ (e);
      if (err?.code !== 'ERR_WORKER_INVALID_EXEC_ARGV' || argv.length === 0) throw e;
      const listed = String(err.message)
        .split(':')
        .slice(1)
        .join(':')
        .split(',')
        .map((f) => f.trim());
      const kept = argv.filter((a) => !listed.includes(a));
      argv = attempt === 0 && kept.length < argv.length ? kept : [];
    }
  }
}

/**
 * @typedef {{ worker: Worker, ready: Promise<void>, isReady: boolean, pending: Map<number, Pending>, dead: boolean }} Slot
 * @typedef {{ resolve: () => void, reject: (e: Error) => void, what: string }} Pending
 */

export class Pool {
  /** @param {WebAssembly.Memory} memory */
  constructor(memory) {
    this.memory = memory;
    /** @type {Slot[]} */
    this.slots = [];
    this.nextId = 1;
    this.closed = false;
  }

  /** Start (or restart dead) workers 0..n-1 (at most MAX_WORKERS) and wait until they are ready. @param {number} n */
  async ensure(n) {
    n = Math.min(n, MAX_WORKERS);
    if (this.closed) throw new Error('lensc runtime: the worker pool has been shut down');
    for (let i = 0; i < n; i++) if (!this.slots[i] || this.slots[i].dead) this.slots[i] = this.#spawn();
    await Promise.all(this.slots.slice(0, n).map((s) => s.ready));
  }

  /**
   * Run one piece on worker `index`. @param {number} index
   * @param {{ url: string, name: string, args: any, lo: number, hi: number }} job @returns {Promise<void>}
   */
  run(index, job) {
    if (this.closed) return Promise.reject(new Error('lensc runtime: the worker pool has been shut down'));
    const slot = this.slots[index];
    // Post synchronously when the worker is up, so it starts before the caller runs its own inline piece.
    if (!slot || slot.dead || !slot.isReady) return this.ensure(index + 1).then(() => this.run(index, job));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      try {
        slot.worker.postMessage({ id, ...job });
      } catch (e) {
        // Typically a DataCloneError: args must be structured-cloneable (BufferRefs and plain data).
        return reject(
          new TypeError(
            `lensc parallelFor: cannot send the args of task '${job.name}' to a worker: ${
              /** @type {Error} */ (e).message
            }`,
          ),
        );
      }
      slot.pending.set(id, { resolve, reject, what: `task '${job.name}' of ${job.url} [${job.lo}, ${job.hi})` });
      holdProcess(slot);
    });
  }

  /** Live workers, for tests that kill one mid-call (the pool must replace it). */
  workers() {
    return this.slots.filter((s) => s && !s.dead).map((s) => s.worker);
  }

  async terminate() {
    this.closed = true;
    const slots = this.slots;
    this.slots = [];
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  /** @returns {Slot} */
  #spawn() {
    const worker = startWorker({ memory: this.memory });
    /** @type {Slot} */
    const slot = { worker, ready: Promise.resolve(), isReady: false, pending: new Map(), dead: false };
    /** @type {(e: Error) => void} */
    let failStart = () => {};
    /** @type {() => void} */
    let started = () => {};
    slot.ready = new Promise((resolve, reject) => {
      failStart = reject;
      started = resolve;
    });
    slot.ready.catch(() => {}); // observed through ensure()/run(); avoid an unhandled rejection here
    // One permanent 'message' listener: Node refs the worker's port whenever the listener count goes 0 → 1, so
    // adding and removing listeners later would silently re-ref it and keep the process alive.
    worker.on('message', (msg) => {
      if (!slot.isReady) {
        slot.isReady = true;
        started();
        holdProcess(slot);
        return;
      } // worker.js's {ready: true}
      this.#settle(slot, msg);
    });
    /** @type {Error | undefined} why the worker is going away, reported to its jobs at 'exit' */
    let cause;
    /** @param {Error} err */
    const dying = (err) => {
      cause ??= err;
      slot.dead = true; // no new jobs; the next run() starts a replacement
      failStart(err);
    };
    worker.on('error', (e) => dying(new Error(`lensc runtime: worker crashed: ${e?.message ?? e}`)));
    worker.on('messageerror', (e) => {
      dying(new Error(`lensc runtime: cannot deserialise a worker message: ${e}`));
      worker.terminate();
    });
    // Jobs are rejected at 'exit' only: Node has delivered every message the worker sent by then, so a job
    // that finished before the worker died (an uncaught error it left behind) still resolves.
    worker.on('exit', (code) => {
      dying(new Error(`lensc runtime: a pool worker exited with code ${code}`));
      for (const [, p] of slot.pending)
        p.reject(
          new Error(
            `${/** @type {Error} */ (cause).message} (while running ${p.what}); the pool replaces it on the next call`,
          ),
        );
      slot.pending.clear();
      worker.unref();
    });
    holdProcess(slot); // starting: keep the process alive until it is ready (someone awaits that)
    return slot;
  }

  /** @param {Slot} slot @param {{ id: number, error?: { message: string, name: string, stack?: string } }} msg */
  #settle(slot, msg) {
    const p = slot.pending.get(msg.id);
    if (!p) return;
    slot.pending.delete(msg.id);
    holdProcess(slot);
    if (!msg.error) return p.resolve();
    const err = new Error(msg.error.message);
    err.name = msg.error.name;
    if (msg.error.stack) err.stack = `${msg.error.stack}\n    at <lensc worker> ${p.what}`;
    p.reject(err);
  }
}

/** A worker keeps the process alive exactly while it starts or has jobs in flight. @param {Slot} slot */
function holdProcess(slot) {
  if (!slot.isReady || slot.pending.size > 0) slot.worker.ref();
  else slot.worker.unref();
}

/** Module URLs as workers need them: absolute. @param {string} moduleUrl */
export function normaliseUrl(moduleUrl) {
  if (typeof moduleUrl !== 'string') throw new TypeError('lensc parallelFor: moduleUrl must be a string');
  if (moduleUrl.startsWith('/')) return pathToFileURL(moduleUrl).href;
  try {
    return new URL(moduleUrl).href;
  } catch {
    throw new TypeError(
      `lensc parallelFor: moduleUrl must be an absolute URL (pass import.meta.url) or path, got '${moduleUrl}'`,
    );
  }
}

/** Task modules imported on the main thread (inline pieces), by URL. @type {Map<string, any>} */
const inlineModules = new Map();

/** Make a module available to inline pieces without a dynamic import. @param {string} url @param {any} mod */
export function registerInlineModule(url, mod) {
  inlineModules.set(url, mod);
}

/** @param {WebAssembly.Memory} memory @param {string} url @param {string} name @param {any} args @param {number} lo @param {number} hi */
export async function runInline(memory, url, name, args, lo, hi) {
  let mod = inlineModules.get(url);
  if (!mod) {
    mod = await import(url);
    inlineModules.set(url, mod);
  }
  const task = mod.__tasks?.[name];
  if (typeof task !== 'function') {
    throw new Error(`lensc parallelFor: module ${url} has no task '${name}' in its __tasks export`);
  }
  await task(ctxFor(memory), args, lo, hi);
}

/**
 * Split [lo, hi) into contiguous pieces, run piece 0 on this thread and the others on workers, and settle only
 * when every piece has finished (so buffers stay valid); the first failing piece's error is rethrown.
 * pool is null for a single-threaded runtime.
 * @param {Pool | null} pool @param {WebAssembly.Memory} memory @param {number} threads @param {string} moduleUrl
 * @param {string} name @param {number} lo @param {number} hi @param {any} args
 * @param {{ grain?: number, cost?: 'uniform'|'triangular' }} [opts]
 */
export async function parallelFor(pool, memory, threads, moduleUrl, name, lo, hi, args, opts = {}) {
  if (!Number.isSafeInteger(lo) || !Number.isSafeInteger(hi)) {
    throw new RangeError(`lensc parallelFor: lo and hi must be integers, got [${lo}, ${hi})`);
  }
  const url = normaliseUrl(moduleUrl);
  if (hi <= lo) return;
  const grain = Math.max(1, Math.floor(opts.grain ?? 1));
  const cost = opts.cost ?? 'uniform';
  if (cost !== 'uniform' && cost !== 'triangular') {
    throw new RangeError(`lensc parallelFor: opts.cost must be 'uniform' or 'triangular', got '${cost}'`);
  }
  const pieces = pool ? Math.max(1, Math.min(threads, Math.floor((hi - lo) / grain))) : 1;
  if (pieces === 1 || !pool) return runInline(memory, url, name, args, lo, hi);
  const b = splitRange(lo, hi, pieces, cost);
  // Executor 0 is this thread, e ≥ 1 is worker e−1; piece p goes to executor p mod E (E ≤ the machine's cores).
  const executors = Math.min(pieces, MAX_WORKERS + 1);
  /** @type {Promise<void>[]} */
  const runs = [];
  for (let p = 1; p < pieces; p++) {
    if (p % executors !== 0 && b[p + 1] > b[p])
      runs.push(pool.run((p % executors) - 1, { url, name, args, lo: b[p], hi: b[p + 1] }));
  }
  // The inline pieces start after the others are posted, so the workers get going first.
  runs.unshift(
    (async () => {
      for (let p = 0; p < pieces; p += executors)
        if (b[p + 1] > b[p]) await runInline(memory, url, name, args, b[p], b[p + 1]);
    })(),
  );
  const settled = await Promise.allSettled(runs);
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed) throw /** @type {PromiseRejectedResult} */ (failed).reason;
}
