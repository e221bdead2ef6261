// @ts-check
/**
 * Measures how many loop iterations one shader invocation may run before the driver silently cuts
 * the loops short. Mesa's llvmpipe (gallivm, also behind lavapipe) keeps ONE counter per invocation
 * for all loops and breaks out of every loop once 65535 back-edges have run — no error, just wrong
 * sums. Real GPUs have no such limit. Kernels must keep (total iterations per invocation) below the
 * limit, so it is part of the capability record (loopIterationLimit; Infinity when none was seen).
 */

const PROBE = /* wgsl */ `
struct P { n: u32, pad: u32 }
@group(0) @binding(0) var<storage, read_write> out: array<u32>;
@group(0) @binding(1) var<uniform> p: P;
@compute @workgroup_size(1)
fn main() {
  var c = 0u;
  for (var i = 0u; i < p.n; i++) { c += 1u; }
  out[0] = c;
}`;

/** Iterations tried: far beyond llvmpipe's 65535, still ~1 ms on a real GPU. */
const TRIED = 1 << 20;

/**
 * @param {import('./gpu.js').Gpu} gpu
 * @returns {Promise<number>} the number of iterations that ran, or Infinity if all of them did
 */
export async function probeLoopLimit(gpu) {
  const out = gpu.createBuffer(4);
  try {
    gpu.dispatch(await gpu.pipeline(PROBE), [out], [1, 1, 1], new Uint32Array([TRIED, 0]));
    const ran = new Uint32Array(await gpu.read(out, 4))[0];
    return ran >= TRIED ? Infinity : ran;
  } finally {
    gpu.destroy(out);
  }
}
