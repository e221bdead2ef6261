// @ts-check
// The JS backend's capability record, read by the memory planner (at build and explain time) and
// by generated modules (at run time, for the default budget). Intermediates live in one shared
// WebAssembly memory, so no single buffer or total may reach 4 GiB.
import { freemem } from 'node:os';

const GiB = 1024 ** 3,
  MiB = 1024 ** 2;

/**
 * @param {number} [freeMemoryBytes] defaults to the machine's free memory now
 * @param {number} [cacheBytes] last-level cache share the chunks aim at
 */
export function jsCapabilities(freeMemoryBytes = freemem(), cacheBytes = 2 * MiB) {
  return {
    target: /** @type {'js'} */ ('js'),
    // a quarter of free memory, at most 3 GiB (the wasm32 arena ends at 4 GiB)
    memoryBytes: Math.min(Math.floor(freeMemoryBytes / 4), 3 * GiB),
    maxBufferBytes: 4 * GiB - 64 * 1024,
    maxBindingBytes: 4 * GiB - 64 * 1024,
    maxBindingsPerKernel: Infinity,
    maxWorkgroupsPerDim: Infinity,
    supportsF64: true,
    preferredChunkBytes: cacheBytes * 4,
  };
}
