// blas.test.ts — gemm/syrk on both backends (native OpenBLAS when this machine has it, and the WebAssembly
// SIMD kernels) against naive f64 loops, and bitwise determinism across thread counts for each backend.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blasInfo, getRuntime, shutdown, useNativeBlas, type Runtime } from '../../backends/js/runtime/index.js';

afterAll(() => {
  useNativeBlas(true);
  return shutdown();
});

const hasNative = blasInfo().backend === 'openblas';
// CI installs OpenBLAS (scripts/setup.sh); LENSC_BLAS=wasm runs the suite on the fallback only.
const BACKENDS = hasNative ? ['openblas', 'wasm'] : ['wasm'];

/** Deterministic pseudo-random numbers in [-1, 1). */
function rand(n: number, seed: number): Float64Array {
  const out = new Float64Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out[i] = s / 2 ** 31 - 1;
  }
  return out;
}

interface Case {
  tA: boolean;
  tB: boolean;
  m: number;
  n: number;
  k: number;
  alpha: number;
  beta: number;
  pad: number;
}

/** Naive reference plus an error scale per element: |alpha|·Σ|a||b| + |beta·c|. */
function naive(q: Case, a: Float64Array, lda: number, b: Float64Array, ldb: number, c: Float64Array, ldc: number) {
  const want = c.slice(),
    scale = new Float64Array(c.length);
  for (let i = 0; i < q.m; i++)
    for (let j = 0; j < q.n; j++) {
      let s = 0,
        abs = 0;
      for (let p = 0; p < q.k; p++) {
        const x = (q.tA ? a[p * lda + i] : a[i * lda + p]) * (q.tB ? b[j * ldb + p] : b[p * ldb + j]);
        s += x;
        abs += Math.abs(x);
      }
      const old = q.beta === 0 ? 0 : q.beta * c[i * ldc + j];
      want[i * ldc + j] = old + q.alpha * s;
      scale[i * ldc + j] = Math.abs(q.alpha) * abs + Math.abs(old);
    }
  return { want, scale };
}

function expectClose(got: Float64Array, want: Float64Array, scale: Float64Array, what: string) {
  let worst = 0,
    at = -1;
  for (let i = 0; i < got.length; i++) {
    const e = Math.abs(got[i] - want[i]) / Math.max(scale[i], 1e-300);
    if (!(e <= worst)) {
      worst = e;
      at = i;
    }
  }
  expect(
    worst,
    `${what}: worst relative error ${worst} at ${at} (got ${got[at]}, want ${want[at]})`,
  ).toBeLessThanOrEqual(1e-12);
}

async function runGemm(rt: Runtime, q: Case, seed: number, cInit?: Float64Array) {
  const [ar, ac] = q.tA ? [q.k, q.m] : [q.m, q.k];
  const [br, bc] = q.tB ? [q.n, q.k] : [q.k, q.n];
  const lda = ac + q.pad,
    ldb = bc + 2 * q.pad,
    ldc = q.n + 3 * q.pad;
  const a = rand(ar * lda, seed),
    b = rand(br * ldb, seed + 1);
  const c = cInit ?? rand(q.m * ldc, seed + 2);
  const A = rt.arena.upload(a),
    B = rt.arena.upload(b),
    C = rt.arena.upload(c);
  try {
    await rt.gemm({
      transA: q.tA,
      transB: q.tB,
      m: q.m,
      n: q.n,
      k: q.k,
      alpha: q.alpha,
      a: A.offset,
      lda,
      b: B.offset,
      ldb,
      beta: q.beta,
      c: C.offset,
      ldc,
    });
    return { got: rt.arena.download(C), a, lda, b, ldb, c, ldc };
  } finally {
    [A, B, C].forEach((r) => rt.arena.free(r));
  }
}

const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [1, 7, 13],
  [7, 1, 13],
  [13, 7, 1],
  [7, 13, 67],
  [67, 130, 257],
  [130, 67, 13],
  [257, 13, 130],
  [812, 7, 67],
  [7, 812, 257],
  [67, 67, 812],
  [130, 257, 812],
];

describe.each(BACKENDS)('%s', (backend) => {
  beforeAll(() => {
    expect(useNativeBlas(backend === 'openblas')).toBe(backend === 'openblas');
  });

  describe('gemm', () => {
    for (const [m, n, k] of SHAPES) {
      it(`${m}×${n}×${k}, all transposes, against naive loops`, async () => {
        const rt = await getRuntime(2);
        for (const tA of [false, true])
          for (const tB of [false, true]) {
            const q = { tA, tB, m, n, k, alpha: 1.25, beta: -0.5, pad: (m + n) % 3 };
            const r = await runGemm(rt, q, m * 31 + n * 7 + k);
            const { want, scale } = naive(q, r.a, r.lda, r.b, r.ldb, r.c, r.ldc);
            expectClose(r.got, want, scale, `tA=${tA} tB=${tB}`);
          }
      });
    }

    it('beta = 0 ignores NaN garbage in C; padding columns of C are untouched', async () => {
      const rt = await getRuntime(2);
      const q = { tA: false, tB: true, m: 13, n: 9, k: 300, alpha: 2, beta: 0, pad: 1 };
      const ldc = q.n + 3;
      const c = new Float64Array(q.m * ldc).fill(NaN);
      const r = await runGemm(rt, q, 5, c);
      const { want, scale } = naive(q, r.a, r.lda, r.b, r.ldb, new Float64Array(c.length), ldc);
      for (let i = 0; i < q.m; i++) for (let j = q.n; j < ldc; j++) expect(r.got[i * ldc + j]).toBeNaN();
      for (let i = 0; i < q.m; i++)
        for (let j = q.n; j < ldc; j++) {
          want[i * ldc + j] = 0;
          r.got[i * ldc + j] = 0;
        }
      expectClose(r.got, want, scale, 'beta=0');
    });

    it('beta = 1 accumulates into C', async () => {
      const rt = await getRuntime(2);
      const q = { tA: true, tB: false, m: 21, n: 18, k: 515, alpha: 1, beta: 1, pad: 0 };
      const c = rand(q.m * q.n, 77);
      const r = await runGemm(rt, q, 9, c);
      const { want, scale } = naive(q, r.a, r.lda, r.b, r.ldb, c, q.n);
      expectClose(r.got, want, scale, 'beta=1');
    });

    it('k = 0 or alpha = 0 only scales C', async () => {
      const rt = await getRuntime(2);
      const c = rand(6, 3);
      const r0 = await runGemm(rt, { tA: false, tB: false, m: 2, n: 3, k: 0, alpha: 1, beta: 3, pad: 0 }, 1, c);
      expect(Array.from(r0.got)).toEqual(Array.from(c, (x) => 3 * x));
      const r1 = await runGemm(
        rt,
        { tA: false, tB: false, m: 2, n: 3, k: 4, alpha: 0, beta: 0, pad: 0 },
        1,
        c.map(() => NaN),
      );
      expect(Array.from(r1.got)).toEqual([0, 0, 0, 0, 0, 0]);
    });

    it('spans several packed outer k-blocks', async () => {
      const rt = await getRuntime(2);
      const q = { tA: false, tB: false, m: 4, n: 5, k: 600_001, alpha: 0.5, beta: 0.25, pad: 0 };
      const r = await runGemm(rt, q, 11);
      const { want, scale } = naive(q, r.a, r.lda, r.b, r.ldb, r.c, r.ldc);
      expectClose(r.got, want, scale, 'long k');
    });

    it('rejects bad parameters with the offending name', async () => {
      const rt = await getRuntime(2);
      const A = rt.arena.alloc(16);
      const base = {
        transA: false,
        transB: false,
        m: 4,
        n: 4,
        k: 4,
        alpha: 1,
        a: A.offset,
        lda: 4,
        b: A.offset,
        ldb: 4,
        beta: 0,
        c: A.offset,
        ldc: 4,
      };
      await expect(rt.gemm({ ...base, lda: 3 })).rejects.toThrow(/lda = 3 is less than the 4 columns of a/);
      await expect(rt.gemm({ ...base, b: rt.arena.memory.buffer.byteLength - 64 })).rejects.toThrow(
        /b \(4×4, ld 4\).*past the arena/,
      );
      await expect(rt.gemm({ ...base, m: -1 })).rejects.toThrow(/m must be a non-negative integer/);
      await expect(rt.gemm({ ...base, alpha: NaN })).rejects.toThrow(/alpha must be a finite number/);
      await expect(rt.gemm({ ...base, c: A.offset + 4 })).rejects.toThrow(/c offset .* not 8-byte aligned/);
      rt.arena.free(A);
    });
  });

  async function runSyrk(
    rt: Runtime,
    trans: boolean,
    n: number,
    k: number,
    alpha: number,
    beta: number,
    seed: number,
    c?: Float64Array,
  ) {
    const lda = (trans ? n : k) + 1,
      ldc = n + 2;
    const a = rand((trans ? k : n) * lda, seed);
    const cInit = c ?? rand(n * ldc, seed + 1);
    const A = rt.arena.upload(a),
      C = rt.arena.upload(cInit);
    try {
      await rt.syrk({ trans, n, k, alpha, a: A.offset, lda, beta, c: C.offset, ldc });
      return { got: rt.arena.download(C), a, lda, c: cInit, ldc };
    } finally {
      rt.arena.free(A);
      rt.arena.free(C);
    }
  }

  describe('syrk', () => {
    for (const [n, k] of [
      [1, 1],
      [7, 13],
      [13, 1],
      [67, 257],
      [130, 67],
      [257, 812],
      [5, 600_001],
    ]) {
      it(`n=${n} k=${k}, both transposes, full C against naive loops`, async () => {
        const rt = await getRuntime(2);
        for (const trans of [false, true]) {
          const r = await runSyrk(rt, trans, n, k, 0.75, 0.5, n + k);
          // syrk(A) = gemm(op(A), op(A)ᵀ): reuse the gemm reference with B = A.
          const q = { tA: trans, tB: !trans, m: n, n, k, alpha: 0.75, beta: 0.5, pad: 0 };
          const { want, scale } = naive(q, r.a, r.lda, r.a, r.lda, r.c, r.ldc);
          expectClose(r.got, want, scale, `trans=${trans}`);
        }
      });
    }

    it('accumulates (beta = 1) into a symmetric C, tiled, and keeps it bitwise symmetric', async () => {
      const rt = await getRuntime(2);
      const n = 203,
        k = 301,
        ldc = n + 2; // runSyrk's layout
      const sym = rand(n * ldc, 8);
      for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) sym[j * ldc + i] = sym[i * ldc + j];
      const r = await runSyrk(rt, false, n, k, 1, 1, 12, sym);
      const { want, scale } = naive(
        { tA: false, tB: true, m: n, n, k, alpha: 1, beta: 1, pad: 0 },
        r.a,
        r.lda,
        r.a,
        r.lda,
        sym,
        ldc,
      );
      expectClose(r.got, want, scale, 'beta=1');
      for (let i = 0; i < n; i++)
        for (let j = 0; j < i; j++) expect(Object.is(r.got[i * ldc + j], r.got[j * ldc + i])).toBe(true);
    });

    it('writes a bitwise symmetric C when beta = 0 (NaN garbage ignored)', async () => {
      const rt = await getRuntime(2);
      const n = 67,
        ldc = n + 2;
      const r = await runSyrk(rt, false, n, 300, 1, 0, 4, new Float64Array(n * ldc).fill(NaN));
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++) {
          expect(Object.is(r.got[i * ldc + j], r.got[j * ldc + i])).toBe(true);
          expect(Number.isFinite(r.got[i * ldc + j])).toBe(true);
        }
    });
  });

  describe('determinism', () => {
    it('gemm and syrk are bitwise identical for 1, 2 and 3 threads, and syrk equals gemm(A, Aᵀ) (bitwise on wasm)', async () => {
      const n = 130,
        k = 1000,
        m = 61; // several KC blocks plus a tail; odd sizes for edge tiles
      const a = rand(n * k, 42),
        b = rand(k * m, 43);
      const bits = (x: Float64Array) => Buffer.from(x.buffer, x.byteOffset, x.byteLength).toString('base64');
      const seen = new Map<string, Set<string>>();
      const record = (what: string, x: Float64Array) => {
        if (!seen.has(what)) seen.set(what, new Set());
        seen.get(what)!.add(bits(x));
      };
      for (const threads of [1, 2, 3]) {
        const rt = await getRuntime(threads);
        const A = rt.arena.upload(a),
          B = rt.arena.upload(b);
        const C = rt.arena.alloc(n * n),
          D = rt.arena.alloc(n * n),
          E = rt.arena.alloc(n * m),
          F = rt.arena.alloc(m * n);
        await rt.syrk({ trans: false, n, k, alpha: 1, a: A.offset, lda: k, beta: 0, c: C.offset, ldc: n });
        await rt.gemm({
          transA: false,
          transB: true,
          m: n,
          n,
          k,
          alpha: 1,
          a: A.offset,
          lda: k,
          b: A.offset,
          ldb: k,
          beta: 0,
          c: D.offset,
          ldc: n,
        });
        // n×m (split by rows) and m×n from transposes (fewer row panels than column panels: split by columns)
        await rt.gemm({
          transA: false,
          transB: false,
          m: n,
          n: m,
          k,
          alpha: 1,
          a: A.offset,
          lda: k,
          b: B.offset,
          ldb: m,
          beta: 0,
          c: E.offset,
          ldc: m,
        });
        await rt.gemm({
          transA: true,
          transB: true,
          m,
          n,
          k,
          alpha: 1,
          a: B.offset,
          lda: m,
          b: A.offset,
          ldb: k,
          beta: 0,
          c: F.offset,
          ldc: n,
        });
        record('syrk', rt.arena.download(C));
        record('gemm A·Aᵀ', rt.arena.download(D));
        // The WebAssembly syrk is gemm's kernel on half the tiles; OpenBLAS's dsyrk has kernels of its own.
        if (backend === 'wasm') {
          record('syrk = gemm', rt.arena.download(C));
          record('syrk = gemm', rt.arena.download(D));
        } else {
          const c = rt.arena.download(C),
            d = rt.arena.download(D);
          let worst = 0,
            top = 0;
          for (let i = 0; i < c.length; i++) {
            worst = Math.max(worst, Math.abs(c[i]! - d[i]!));
            top = Math.max(top, Math.abs(d[i]!));
          }
          expect(worst / top).toBeLessThan(1e-14);
        }
        record('gemm A·B', rt.arena.download(E));
        const e = rt.arena.download(E),
          f = rt.arena.download(F),
          et = new Float64Array(m * n);
        for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) et[j * n + i] = e[i * m + j];
        record('gemm Bᵀ·Aᵀ', f);
        record('gemm Bᵀ·Aᵀ = (A·B)ᵀ', f);
        record('gemm Bᵀ·Aᵀ = (A·B)ᵀ', et);
        [A, B, C, D, E, F].forEach((r) => rt.arena.free(r));
      }
      for (const [what, set] of seen) expect(set.size, what).toBe(1);
    });
  });
});
