/**
 * Shared setup for the WGSL runtime tests: the GPU tests run unless LENSC_SKIP_WGSL=1. Without an
 * adapter they FAIL with GpuUnavailableError's reason (what was tried) instead of skipping silently,
 * because CI runs .ci/wgsl-setup.sh precisely so that llvmpipe is there.
 */
import { getGpu, type Gpu } from '../../backends/wgsl/runtime/index.js';

export const skipWgsl = process.env.LENSC_SKIP_WGSL === '1';

export function testGpu(): Promise<Gpu> {
  return getGpu();
}

/** Deterministic uniform numbers in [lo, hi) (mulberry32), so failures reproduce. */
export function randomF32(count: number, seed: number, lo = -1, hi = 1): Float32Array {
  let a = seed >>> 0;
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = lo + (hi - lo) * (((t ^ (t >>> 14)) >>> 0) / 4294967296);
  }
  return out;
}

/** Upload a Float32Array into a fresh storage buffer. */
export function bufferOf(gpu: Gpu, data: Float32Array): GPUBuffer {
  const buf = gpu.createBuffer(data.byteLength);
  gpu.upload(buf, data);
  return buf;
}
