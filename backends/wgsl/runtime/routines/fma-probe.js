// @ts-check
/**
 * Does this device fuse WGSL fma()? WGSL lets fma(a, b, c) round twice (a*b, then +c), and drivers
 * differ: real GPUs fuse it (one rounding, so fma(a, b, -a*b) is the exact product error), Mesa's
 * llvmpipe does not — and there it costs about as much as the rest of the matmul loop. The
 * compensated matmul uses fma only where it pays, so we ask the device once, with a tiny shader.
 */

/** Inputs come from a buffer so the compiler cannot constant-fold the test. */
const PROBE = /* wgsl */ `
@group(0) @binding(0) var<storage, read_write> v: array<f32>;
@compute @workgroup_size(1)
fn main() {
  let prod = v[0] * v[1];
  v[2] = fma(v[0], v[1], -prod);
}`;

/** @type {WeakMap<object, Promise<boolean>>} */
const cache = new WeakMap();

/**
 * @param {import('../index.js').Gpu} gpu
 * @returns {Promise<boolean>} true when fma(x, y, -x*y) recovers the nonzero product error
 */
export function fmaIsFused(gpu) {
  let p = cache.get(gpu);
  if (!p) {
    p = probe(gpu);
    cache.set(gpu, p);
  }
  return p;
}

/** @param {import('../index.js').Gpu} gpu */
async function probe(gpu) {
  const x = Math.fround(1 / 3);
  const y = Math.fround(1 / 7);
  const buf = gpu.createBuffer(16);
  try {
    gpu.upload(buf, new Float32Array([x, y, 0, 0]));
    gpu.dispatch(await gpu.pipeline(PROBE), [buf], [1, 1, 1]);
    const err = new Float32Array(await gpu.read(buf, 12))[2];
    return err !== 0 && Math.abs(err - (x * y - Math.fround(x * y))) <= 2 ** -60;
  } finally {
    gpu.destroy(buf);
  }
}
