// @ts-check
// worker.js — entry point of one pool worker: runs pieces of parallelFor, one job at a time.
//
// A job names a task module by URL and a task in its `__tasks` export; the module is imported once and cached.
// The shared arena memory arrives once, in workerData, so tasks address buffers by BufferRef. Every failure is
// posted back as a plain {message, name, stack} so that the main thread rejects that parallelFor instead of
// the worker dying (an uncaught error here would surface as a worker 'error' event, which pool.js also handles).
import { parentPort, workerData } from 'node:worker_threads';
import { ctxFor } from './ctx.js';
import { blasFor } from './blas-tasks.js';

if (!parentPort) throw new Error('lensc runtime: worker.js must run as a worker_threads Worker');
const port = parentPort;

// Marks this thread as a pool worker, so that a kernel module calling getRuntime() here fails clearly
// instead of spawning workers from workers.
/** @type {any} */ (globalThis)[Symbol.for('lensc.runtime.js.inPoolWorker')] = true;

/** @type {WebAssembly.Memory} */
const memory = workerData.memory;
const ctx = ctxFor(memory);
/** @type {Map<string, any>} */
const modules = new Map();
/** Jobs run strictly one after another even when a task is async. */
let chain = Promise.resolve();

/** @typedef {{ id: number, url: string, name: string, args: any, lo: number, hi: number }} Job */

port.on('message', (/** @type {Job} */ job) => {
  chain = chain.then(() => run(job));
});

/** @param {Job} job */
async function run(job) {
  try {
    let mod = modules.get(job.url);
    if (!mod) {
      mod = await import(job.url);
      modules.set(job.url, mod);
    }
    const task = mod.__tasks?.[job.name];
    if (typeof task !== 'function') {
      throw new Error(`lensc parallelFor: module ${job.url} has no task '${job.name}' in its __tasks export`);
    }
    await task(ctx, job.args, job.lo, job.hi);
    port.postMessage({ id: job.id });
  } catch (e) {
    const err = /** @type {any} */ (e);
    const isErr = err instanceof Error;
    port.postMessage({
      id: job.id,
      error: {
        message: isErr ? err.message : String(err),
        name: isErr ? err.name : 'Error',
        stack: isErr ? err.stack : undefined,
      },
    });
  }
}

// Compile and instantiate the BLAS wasm now, so the first gemm/syrk does not pay for it.
blasFor(memory);
port.postMessage({ ready: true });
