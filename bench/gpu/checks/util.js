// @ts-check
// Shared by the GPU checks: a device-side pseudo-random fill whose values JS can recompute exactly
// (splitmix64 → double in [-0.5, 0.5)), so big matrices are made on the GPU without a host copy and
// still verified entry by entry; plus comparison helpers.

export const FILL_NAME = 'lensc_selftest_fill';
export const FILL_SOURCE = `
__device__ inline double lensc_hash01(unsigned long long i, unsigned long long seed) {
  unsigned long long z = i + seed * 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z = z ^ (z >> 31);
  return (double)(z >> 11) * 0x1.0p-53 - 0.5;
}
extern "C" __global__ void ${FILL_NAME}(double* a, long long n, long long seed) {
  for (long long i = blockIdx.x * (long long)blockDim.x + threadIdx.x; i < n; i += (long long)gridDim.x * blockDim.x)
    a[i] = lensc_hash01((unsigned long long)i, (unsigned long long)seed);
}
`;

const MASK = (1n << 64n) - 1n;
/** The same value the fill kernel writes at index i. @param {number} i @param {number} seed */
export function hash01(i, seed) {
  let z = (BigInt(i) + BigInt(seed) * 0x9e3779b97f4a7c15n) & MASK;
  z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK;
  z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK;
  z ^= z >> 31n;
  return Number(z >> 11n) * 2 ** -53 - 0.5;
}

/**
 * Fills n doubles at p on the device.
 * @param {import('../../../backends/cuda/runtime/index.js').Cuda} cu @param {bigint} p @param {number} n @param {number} seed
 */
export async function fillDevice(cu, p, n, seed) {
  const mod = await cu.compile(FILL_SOURCE, { name: 'selftest_fill.cu' });
  const blocks = Math.min(Math.ceil(n / 256), 65535);
  mod.fn(FILL_NAME).launch([blocks, 1, 1], [256, 1, 1], [{ ptr: p }, { i64: n }, { i64: seed }]);
}

/** Host copy of the fill. @param {number} n @param {number} seed */
export function fillHost(n, seed) {
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = hash01(i, seed);
  return a;
}

/** @param {ArrayLike<number>} got @param {ArrayLike<number>} want @returns {number} */
export function maxAbsDiff(got, want) {
  if (got.length !== want.length) throw new Error(`length ${got.length} vs ${want.length}`);
  let m = 0;
  for (let i = 0; i < got.length; i++) m = Math.max(m, Math.abs(got[i] - want[i]));
  return m;
}

/** @param {number} err @param {number} tol @param {string} what */
export function expectBelow(err, tol, what) {
  if (!(err <= tol)) throw new Error(`${what}: error ${err.toExponential(3)} exceeds ${tol.toExponential(1)}`);
}

/** Column-major reference GEMM. @param {boolean} ta @param {boolean} tb @param {number} m @param {number} n @param {number} k
 * @param {Float64Array} A @param {number} lda @param {Float64Array} B @param {number} ldb @param {number} alpha @param {number} beta
 * @param {Float64Array} C @param {number} ldc */
export function refGemm(ta, tb, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc) {
  const out = C.slice();
  for (let j = 0; j < n; j++)
    for (let i = 0; i < m; i++) {
      let s = 0;
      for (let l = 0; l < k; l++) s += (ta ? A[l + i * lda] : A[i + l * lda]) * (tb ? B[j + l * ldb] : B[l + j * ldb]);
      out[i + j * ldc] = alpha * s + beta * C[i + j * ldc];
    }
  return out;
}
