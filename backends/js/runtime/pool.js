// @ts-check
// pool.js — the persistent worker_threads pool and parallelFor's dispatch over it.
//
// One pool per process, grown on demand to the largest thread count asked for; a Runtime with T threads uses
// the main thread plus workers 0..T-2 (the main thread would otherwise sit idle awaiting them). Workers are
// unref()'d while idle so a process that never calls shutdown() still exits, and ref()'d while they run a
// job so that an awaited parallelFor keeps the process alive. A worker that dies rejects its jobs and is
// replaced on next use: a failing task never hangs the caller and never takes the process down.
import { Worker } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import { ctxFor } from './ctx.js';
import { splitRange } from './split.js';

const WORKER_URL = new URL('./worker.js', import.meta.url);

/** Node options of this process, minus those a worker rejects at start (a `node --input-type=module -e`
 *  program would otherwise get workers that crash before running anything). */
function workerExecArgv() {
  const out = [];
  const argv = process.execArgv;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--input-type=')) continue;
    if (a === '--input-type') { i++; continue; }
    out.push(a);
  }
  return out;
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

  /** Start (or restart dead) workers 0..n-1 and wait until they are ready. @param {number} n */
  async ensure(n) {
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
        return reject(new TypeError(`lensc parallelFor: cannot send the args of task '${job.name}' to a worker: ${
          /** @type {Error} */ (e).message}`));
      }
      if (slot.pending.size === 0) slot.worker.ref();
      slot.pending.set(id, { resolve, reject, what: `task '${job.name}' of ${job.url} [${job.lo}, ${job.hi})` });
    });
  }

  async terminate() {
    this.closed = true;
    const slots = this.slots;
    this.slots = [];
    await Promise.all(slots.map((s) => s.worker.terminate()));
  }

  /** @returns {Slot} */
  #spawn() {
    const worker = new Worker(WORKER_URL, { workerData: { memory: this.memory }, execArgv: workerExecArgv() });
    worker.unref();
    /** @type {Slot} */
    const slot = { worker, ready: Promise.resolve(), isReady: false, pending: new Map(), dead: false };
    /** @type {(e: Error) => void} */
    let failStart = () => {};
    slot.ready = new Promise((resolve, reject) => {
      failStart = reject;
      worker.once('message', () => { slot.isReady = true; resolve(); }); // worker.js's {ready: true}
    });
    slot.ready.catch(() => {}); // observed through ensure()/run(); avoid an unhandled rejection here
    worker.once('message', () => worker.on('message', (msg) => this.#settle(slot, msg)));
    /** @param {Error} err */
    const die = (err) => {
      if (slot.dead) return;
      slot.dead = true;
      failStart(err);
      for (const [, p] of slot.pending) p.reject(new Error(`${err.message} (while running ${p.what})`));
      slot.pending.clear();
    };
    worker.on('error', (e) => die(new Error(`lensc runtime: worker crashed: ${e?.message ?? e}`)));
    worker.on('messageerror', (e) => die(new Error(`lensc runtime: cannot deserialise a worker message: ${e}`)));
    worker.on('exit', (code) => die(new Error(`lensc runtime: worker exited with code ${code}`)));
    return slot;
  }

  /** @param {Slot} slot @param {{ id: number, error?: { message: string, name: string, stack?: string } }} msg */
  #settle(slot, msg) {
    const p = slot.pending.get(msg.id);
    if (!p) return;
    slot.pending.delete(msg.id);
    if (slot.pending.size === 0) slot.worker.unref();
    if (!msg.error) return p.resolve();
    const err = new Error(msg.error.message);
    err.name = msg.error.name;
    if (msg.error.stack) err.stack = `${msg.error.stack}\n    at <lensc worker> ${p.what}`;
    p.reject(err);
  }
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
  /** @type {Promise<void>[]} */
  const runs = [];
  for (let p = 1; p < pieces; p++) {
    if (b[p + 1] > b[p]) runs.push(pool.run(p - 1, { url, name, args, lo: b[p], hi: b[p + 1] }));
  }
  // The inline piece starts after the others are posted, so the workers get going first.
  if (b[1] > b[0]) runs.unshift(runInline(memory, url, name, args, b[0], b[1]));
  const settled = await Promise.allSettled(runs);
  const failed = settled.find((s) => s.status === 'rejected');
  if (failed) throw /** @type {PromiseRejectedResult} */ (failed).reason;
}
