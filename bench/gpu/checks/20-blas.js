// @ts-check
// cuBLAS correctness on small random matrices against JS loops (|err| ≤ 1e-12): DGEMM in all four
// transpose combinations with padded leading dimensions, DSYRK both triangles and both orientations,
// the built-in symmetrize kernel, and the row-major recipe documented in the runtime's index.d.ts.
import { expectBelow, fillHost, maxAbsDiff, refGemm } from './util.js';

/** @typedef {{ cu: import('lensc/runtime/cuda').Cuda, alloc(b: number): bigint, log(s: string): void }} Ctx */

/** @param {Ctx} ctx @param {Float64Array} a */
function put({ cu, alloc }, a) {
  const p = alloc(a.byteLength);
  cu.upload(p, a);
  return p;
}
/** @param {Ctx} ctx @param {bigint} p @param {number} n */
function get({ cu }, p, n) {
  const out = new Float64Array(n);
  cu.download(p, out);
  return out;
}

export default [
  {
    name: 'dgemm vs JS loop, all transposes, padded ld (1e-12)',
    /** @param {Ctx} ctx */
    async run(ctx) {
      const [m, n, k] = [67, 45, 53];
      let worst = 0;
      for (const ta of [false, true])
        for (const tb of [false, true]) {
          const lda = (ta ? k : m) + 3,
            ldb = (tb ? n : k) + 1,
            ldc = m + 5;
          const A = fillHost(lda * (ta ? m : k), 1),
            B = fillHost(ldb * (tb ? k : n), 2),
            C = fillHost(ldc * n, 3);
          const pC = put(ctx, C);
          ctx.cu.dgemm(ta, tb, m, n, k, 1.25, put(ctx, A), lda, put(ctx, B), ldb, -0.5, pC, ldc);
          const err = maxAbsDiff(get(ctx, pC, C.length), refGemm(ta, tb, m, n, k, 1.25, A, lda, B, ldb, -0.5, C, ldc));
          expectBelow(err, 1e-12, `dgemm ta=${ta} tb=${tb}`);
          worst = Math.max(worst, err);
        }
      return `max |err| ${worst.toExponential(2)}`;
    },
  },
  {
    name: 'dsyrk + symmetrize vs JS loop, both triangles and orientations (1e-12)',
    /** @param {Ctx} ctx */
    async run(ctx) {
      const [n, k] = [100, 37];
      let worst = 0;
      for (const uplo of /** @type {const} */ (['lower', 'upper']))
        for (const trans of [false, true]) {
          const lda = (trans ? k : n) + 2,
            ldc = n + 4;
          const A = fillHost(lda * (trans ? n : k), 5);
          const C0 = new Float64Array(ldc * n).fill(99);
          const pC = put(ctx, C0);
          ctx.cu.dsyrk(uplo, trans, n, k, 2, put(ctx, A), lda, 0, pC, ldc);
          const C = get(ctx, pC, C0.length);
          const want = refGemm(trans, !trans, n, n, k, 2, A, lda, A, lda, 0, C0, ldc); // full 2·A·Aᵀ (or 2·Aᵀ·A)
          for (let j = 0; j < n; j++)
            for (let i = 0; i < n; i++) {
              const idx = i + j * ldc,
                inTri = uplo === 'lower' ? i >= j : i <= j;
              if (inTri) worst = Math.max(worst, Math.abs(C[idx] - want[idx]));
              else if (C[idx] !== 99) throw new Error(`dsyrk ${uplo} wrote outside its triangle at (${i},${j})`);
            }
          ctx.cu.symmetrize(pC, n, ldc, uplo);
          const F = get(ctx, pC, C0.length);
          for (let j = 0; j < n; j++)
            for (let i = n; i < ldc; i++) {
              if (F[i + j * ldc] !== 99) throw new Error(`symmetrize wrote padding row ${i} of column ${j}`);
            }
          for (let j = 0; j < n; j++)
            for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(F[i + j * ldc] - want[i + j * ldc]));
        }
      expectBelow(worst, 1e-12, 'dsyrk/symmetrize');
      return `max |err| ${worst.toExponential(2)}`;
    },
  },
  {
    name: 'symmetrize is an exact mirror on a large padded matrix',
    /** @param {Ctx} ctx */
    async run(ctx) {
      const n = 1000,
        ldc = 1037; // not a multiple of the 32-wide tile
      const C = fillHost(ldc * n, 11);
      const pC = put(ctx, C);
      for (const from of /** @type {const} */ (['lower', 'upper'])) {
        ctx.cu.upload(pC, C);
        ctx.cu.symmetrize(pC, n, ldc, from);
        const F = get(ctx, pC, C.length);
        for (let j = 0; j < n; j++)
          for (let i = 0; i < ldc; i++) {
            const src = i >= n ? i + j * ldc : (from === 'lower') === i >= j ? i + j * ldc : j + i * ldc;
            if (F[i + j * ldc] !== C[src])
              throw new Error(`symmetrize ${from}: (${i},${j}) is ${F[i + j * ldc]}, want ${C[src]}`);
          }
      }
    },
  },
  {
    name: 'row-major recipe: C = A·B via swapped dgemm',
    /** @param {Ctx} ctx */
    async run(ctx) {
      const [m, n, k] = [31, 17, 23];
      const A = fillHost(m * k, 21),
        B = fillHost(k * n, 22);
      const pC = ctx.alloc(8 * m * n);
      ctx.cu.dgemm(false, false, n, m, k, 1, put(ctx, B), n, put(ctx, A), k, 0, pC, n);
      const C = get(ctx, pC, m * n);
      let err = 0;
      for (let i = 0; i < m; i++)
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let l = 0; l < k; l++) s += A[i * k + l] * B[l * n + j];
          err = Math.max(err, Math.abs(C[i * n + j] - s));
        }
      expectBelow(err, 1e-12, 'row-major gemm');
    },
  },
];
