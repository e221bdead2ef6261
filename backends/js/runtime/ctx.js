// @ts-check
// ctx.js — the Ctx handed to every generated task: typed-array views of BufferRefs on the shared memory.
//
// Used identically on the main thread (inline execution) and in workers. Views are created on each call from
// the memory's current buffer because growth (by the main thread) replaces the buffer object.
import { viewOf } from './arena.js';

/** @typedef {import('./arena.js').BufferRef} BufferRef */

/** @type {WeakMap<WebAssembly.Memory, object>} */
const cache = new WeakMap();

/** @param {WebAssembly.Memory} memory */
export function ctxFor(memory) {
  let ctx = cache.get(memory);
  if (!ctx) {
    ctx = Object.freeze({
      memory,
      /** @param {BufferRef} ref */
      f64: (ref) => new Float64Array(memory.buffer, ref.offset, ref.length),
      /** @param {BufferRef} ref */
      f32: (ref) => new Float32Array(memory.buffer, ref.offset, ref.length),
      /** @param {BufferRef} ref */
      i32: (ref) => new Int32Array(memory.buffer, ref.offset, ref.length),
      /** @param {BufferRef} ref */
      view: (ref) => viewOf(memory, ref),
    });
    cache.set(memory, ctx);
  }
  return ctx;
}
