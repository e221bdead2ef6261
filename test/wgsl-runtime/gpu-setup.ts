/**
 * Shared setup for the WGSL runtime tests: the GPU tests run unless LENSC_SKIP_WGSL=1. Without an
 * adapter they FAIL with GpuUnavailableError's reason (what was tried) instead of skipping silently,
 * because CI runs .ci/wgsl-setup.sh precisely so that llvmpipe is there.
 */
import { getGpu, type Gpu } from '../../backends/wgsl/runtime/index.js';
import { mulberry } from '../helpers/random.ts';

export const skipWgsl = process.env.LENSC_SKIP_WGSL === '1';

export function testGpu(): Promise<Gpu> {
  return getGpu();
}

/** Deterministic uniform numbers in [lo, hi) (mulberry32), so failures reproduce. */
export function randomF32(count: number, seed: number, lo = -1, hi = 1): Float32Array {
  const r = mulberry(seed);
  return Float32Array.from({ length: count }, () => lo + (hi - lo) * r());
}

/** Upload a Float32Array into a fresh storage buffer. */
export function bufferOf(gpu: Gpu, data: Float32Array): GPUBuffer {
  const buf = gpu.createBuffer(data.byteLength);
  gpu.upload(buf, data);
  return buf;
}
