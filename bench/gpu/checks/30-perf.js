// @ts-check
// cuBLAS throughput at the sizes the likelihood needs, with a spot check of the results: a
// 4096×4096×4096 DGEMM, and C = A·Aᵀ for M = 16384, K = 8192 by DSYRK (+ symmetrize) and by DGEMM.
// Inputs are made on the device by the hash fill, so entries can be recomputed in JS (util.js).
import { fillDevice, hash01 } from './util.js';

/** @typedef {{ cu: import('lensc/runtime/cuda').Cuda, scale: string, alloc(b: number): bigint,
 *   metric(n: string, v: number, u: string): void, log(s: string): void }} Ctx */

/**
 * Reads C[i + j·ld] with an 8-byte download through an interior pointer.
 * @param {Ctx} ctx @param {bigint} C @param {number} i @param {number} j @param {number} ld
 */
function entry({ cu }, C, i, j, ld) {
  const v = new Float64Array(1);
  cu.download(C + BigInt(8 * (i + j * ld)), v);
  return v[0];
}

/**
 * Checks sampled entries of C = op(X)·op(Y) given element functions; error relative to Σ|x·y|.
 * @param {number} got @param {(l: number) => number} x @param {(l: number) => number} y @param {number} k @param {string} what
 */
function spot(got, x, y, k, what) {
  let s = 0,
    abs = 0;
  for (let l = 0; l < k; l++) {
    const p = x(l) * y(l);
    s += p;
    abs += Math.abs(p);
  }
  const rel = Math.abs(got - s) / abs;
  if (!(rel <= 1e-13)) throw new Error(`${what}: got ${got}, want ${s} (relative error ${rel.toExponential(2)})`);
  return rel;
}

export default [
  {
    name: 'DGEMM 4096x4096x4096 throughput',
    /** @param {Ctx} ctx */
    async run(ctx) {
      const { cu, alloc, metric } = ctx;
      const n = ctx.scale === 'small' ? 96 : 4096;
      const A = alloc(8 * n * n),
        B = alloc(8 * n * n),
        C = alloc(8 * n * n);
      await fillDevice(cu, A, n * n, 31);
      await fillDevice(cu, B, n * n, 32);
      cu.dgemm(false, false, n, n, n, 1, A, n, B, n, 0, C, n); // warm-up (cuBLAS picks and loads kernels)
      const reps = 10;
      const { ms } = cu.time(() => {
        for (let r = 0; r < reps; r++) cu.dgemm(false, false, n, n, n, 1, A, n, B, n, 0, C, n);
      });
      metric('DGEMM time', ms / reps, 'ms');
      metric('DGEMM', (2 * n ** 3) / (ms / reps / 1e3) / 1e12, 'TFLOP/s');
      let worst = 0;
      for (const [i, j] of [
        [0, 0],
        [n - 1, n - 1],
        [17, n - 3],
        [n >> 1, 5],
        [n - 7, n >> 2],
      ]) {
        worst = Math.max(
          worst,
          spot(
            entry(ctx, C, i, j, n),
            (l) => hash01(i + l * n, 31),
            (l) => hash01(l + j * n, 32),
            n,
            `C(${i},${j})`,
          ),
        );
      }
      return `n=${n}, spot-checked, max relative error ${worst.toExponential(2)}`;
    },
  },
  {
    name: 'DSYRK n=16384 k=8192 (+ symmetrize) vs DGEMM A·Aᵀ',
    /** @param {Ctx} ctx */
    async run(ctx) {
      const { cu, alloc, metric } = ctx;
      const [n, k] = ctx.scale === 'small' ? [160, 80] : [16384, 8192];
      const A = alloc(8 * n * k),
        C = alloc(8 * n * n);
      await fillDevice(cu, A, n * k, 41);
      cu.memsetZero(C, 8 * n * n);
      cu.dsyrk('lower', false, n, k, 1, A, n, 0, C, n); // warm-up
      const reps = 3;
      const syrk =
        cu.time(() => {
          for (let r = 0; r < reps; r++) cu.dsyrk('lower', false, n, k, 1, A, n, 0, C, n);
        }).ms / reps;
      cu.symmetrize(C, n, n, 'lower'); // warm-up (compiles the built-in kernel unless an earlier check did)
      const sym2 = cu.time(() => cu.symmetrize(C, n, n, 'lower')).ms;
      metric('DSYRK time', syrk, 'ms');
      metric('DSYRK useful (n²k)', (n * n * k) / (syrk / 1e3) / 1e12, 'TFLOP/s');
      metric('symmetrize time', sym2, 'ms');
      metric('symmetrize traffic', (8 * n * n) / (sym2 / 1e3) / 1e9, 'GB/s');

      let worst = 0;
      for (const [i, j] of [
        [0, 0],
        [n - 1, 0],
        [n - 1, n - 1],
        [12345 % n, 777 % n],
        [n >> 1, (n >> 1) - 1],
      ]) {
        const lo = entry(ctx, C, i, j, n),
          hi = entry(ctx, C, j, i, n);
        if (lo !== hi) throw new Error(`C(${i},${j}) = ${lo} but C(${j},${i}) = ${hi} after symmetrize`);
        worst = Math.max(
          worst,
          spot(
            lo,
            (l) => hash01(i + l * n, 41),
            (l) => hash01(j + l * n, 41),
            k,
            `C(${i},${j})`,
          ),
        );
      }

      cu.dgemm(false, true, n, n, k, 1, A, n, A, n, 0, C, n); // warm-up of this shape
      const gemm =
        cu.time(() => {
          for (let r = 0; r < 2; r++) cu.dgemm(false, true, n, n, k, 1, A, n, A, n, 0, C, n);
        }).ms / 2;
      metric('DGEMM A·Aᵀ time', gemm, 'ms');
      metric('DGEMM A·Aᵀ useful (n²k)', (n * n * k) / (gemm / 1e3) / 1e12, 'TFLOP/s');
      metric('DGEMM A·Aᵀ full (2n²k)', (2 * n * n * k) / (gemm / 1e3) / 1e12, 'TFLOP/s');
      metric('DSYRK+symmetrize speed-up over DGEMM', gemm / (syrk + sym2), 'x');
      return `n=${n} k=${k}, spot-checked, max relative error ${worst.toExponential(2)}`;
    },
  },
];
