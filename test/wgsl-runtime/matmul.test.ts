/**
 * matmulAccumulate against an f64 triple loop over the same f32 inputs: tails that are not multiples
 * of 16, both B layouts, strided/offset operands, the hi/lo chunked variant, and a guard that the
 * compensation survives the shader compiler (naive f32 summation is 2.5e-3 off on that input).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { matmulAccumulate, readCompensated, type Gpu } from '../../backends/wgsl/runtime/index.js';
import { bufferOf, randomF32, skipWgsl, testGpu } from './gpu-setup.ts';

interface Layout {
  m: number;
  n: number;
  k: number;
  transB: boolean;
  lda: number;
  ldb: number;
  ldc: number;
  aOff: number;
  bOff: number;
  cOff: number;
}

/** C(f64) += alpha · A · op(B), reading the strided f32 operands exactly like the shader. */
function reference(A: Float32Array, B: Float32Array, C: Float64Array, L: Layout, alpha = 1) {
  for (let i = 0; i < L.m; i++)
    for (let j = 0; j < L.n; j++) {
      let s = 0;
      for (let q = 0; q < L.k; q++) {
        const b = L.transB ? B[L.bOff + j * L.ldb + q] : B[L.bOff + q * L.ldb + j];
        s += A[L.aOff + i * L.lda + q] * b;
      }
      C[L.cOff + i * L.ldc + j] += alpha * s;
    }
}

/** Relative Frobenius error over the m×n window of C. */
function relErr(got: ArrayLike<number>, want: Float64Array, L: Pick<Layout, 'm' | 'n' | 'ldc' | 'cOff'>) {
  let num = 0;
  let den = 0;
  for (let i = 0; i < L.m; i++)
    for (let j = 0; j < L.n; j++) {
      const x = L.cOff + i * L.ldc + j;
      num += (got[x] - want[x]) ** 2;
      den += want[x] ** 2;
    }
  return Math.sqrt(num / den);
}

function dense(m: number, n: number, k: number, transB: boolean): Layout {
  return { m, n, k, transB, lda: k, ldb: transB ? k : n, ldc: n, aOff: 0, bOff: 0, cOff: 0 };
}

const size = (rows: number, ld: number, off: number) => off + rows * ld;

describe.skipIf(skipWgsl)('matmulAccumulate', () => {
  let gpu: Gpu;
  beforeAll(async () => {
    gpu = await testGpu();
  });

  async function run(L: Layout, seed: number, alpha = 1, c0?: Float32Array) {
    const A = randomF32(size(L.m, L.lda, L.aOff), seed);
    const B = randomF32(L.transB ? size(L.n, L.ldb, L.bOff) : size(L.k, L.ldb, L.bOff), seed + 1);
    const C0 = c0 ?? new Float32Array(size(L.m, L.ldc, L.cOff));
    const [bA, bB, bC] = [bufferOf(gpu, A), bufferOf(gpu, B), bufferOf(gpu, C0)];
    await matmulAccumulate(gpu, {
      A: bA,
      B: bB,
      C: bC,
      m: L.m,
      n: L.n,
      k: L.k,
      transB: L.transB,
      alpha,
      lda: L.lda,
      ldb: L.ldb,
      ldc: L.ldc,
      aOffset: L.aOff,
      bOffset: L.bOff,
      cOffset: L.cOff,
    });
    const got = new Float32Array(await gpu.read(bC, C0.byteLength));
    const want = Float64Array.from(C0);
    reference(A, B, want, L, alpha);
    [bA, bB, bC].forEach((b) => gpu.destroy(b));
    return { got, want, C0 };
  }

  for (const transB of [false, true]) {
    it(`m=n=67, k=8193, transB=${transB}: relative Frobenius error ≤ 1e-6`, async () => {
      const L = dense(67, 67, 8193, transB);
      const { got, want } = await run(L, 7);
      const err = relErr(got, want, L);
      console.log(`[wgsl] matmul 67×67×8193 transB=${transB}: rel err ${err.toExponential(2)}`);
      expect(err).toBeLessThanOrEqual(1e-6); // the brief asks 1e-5; f32 output rounding alone is ~6e-8
    });

    it(`strided, offset operands, alpha and an existing C (transB=${transB})`, async () => {
      const L: Layout = {
        m: 33,
        n: 50,
        k: 17,
        transB,
        lda: 20,
        ldb: transB ? 19 : 53,
        ldc: 51,
        aOff: 3,
        bOff: 5,
        cOff: 7,
      };
      const c0 = randomF32(size(L.m, L.ldc, L.cOff), 99);
      const { got, want, C0 } = await run(L, 11, -0.5, c0);
      expect(relErr(got, want, L)).toBeLessThanOrEqual(1e-6);
      // Padding between rows and before the offset is untouched.
      for (let x = 0; x < C0.length; x++) {
        const r = Math.floor((x - L.cOff) / L.ldc);
        const inside = x >= L.cOff && r < L.m && (x - L.cOff) % L.ldc < L.n;
        if (!inside) expect(got[x]).toBe(C0[x]);
      }
    });
  }

  it('keeps the compensation through the shader compiler (k = 2^18 equal terms)', async () => {
    const m = 16,
      n = 16,
      k = 2 ** 18;
    const bA = bufferOf(gpu, new Float32Array(m * k).fill(1));
    const bB = bufferOf(gpu, new Float32Array(k * n).fill(0.1));
    const bC = gpu.createBuffer(m * n * 4);
    await matmulAccumulate(gpu, { A: bA, B: bB, C: bC, m, n, k });
    const got = new Float32Array(await gpu.read(bC, m * n * 4));
    const exact = k * Math.fround(0.1);
    for (const x of got) expect(Math.abs(x - exact) / exact).toBeLessThanOrEqual(1e-7);
  });

  it('hi/lo variant stays compensated over many k-chunks', async () => {
    // A: m×K and B: n×K (the C·Cᵀ shape of the W̃ matrix), accumulated in 32 chunks of 4096.
    const m = 8,
      n = 8,
      K = 2 ** 17,
      kc = 4096;
    const bA = bufferOf(gpu, new Float32Array(m * K).fill(1));
    const bB = bufferOf(gpu, new Float32Array(n * K).fill(0.1));
    const plain = gpu.createBuffer(m * n * 4);
    const hi = gpu.createBuffer(m * n * 4);
    const lo = gpu.createBuffer(m * n * 4);
    for (let k0 = 0; k0 < K; k0 += kc) {
      const chunk = { A: bA, B: bB, m, n, k: kc, transB: true, lda: K, ldb: K, aOffset: k0, bOffset: k0 };
      await matmulAccumulate(gpu, { ...chunk, C: plain });
      await matmulAccumulate(gpu, { ...chunk, C: hi, Clo: lo });
    }
    const exact = K * Math.fround(0.1);
    const compensated = await readCompensated(gpu, hi, lo, m * n);
    for (const x of compensated) expect(Math.abs(x - exact) / exact).toBeLessThanOrEqual(1e-12);
    // Without lo each chunk's result is rounded into an f32 C: ≤ 32 roundings, small but not exact.
    const f32only = new Float32Array(await gpu.read(plain, m * n * 4));
    expect(Math.abs(f32only[0] - exact) / exact).toBeLessThan(1e-5);
  });

  it('hi/lo variant on random data, k=8193 in uneven chunks with transB', async () => {
    const m = 37,
      n = 29,
      K = 8193;
    const A = randomF32(m * K, 21);
    const B = randomF32(n * K, 22);
    const [bA, bB] = [bufferOf(gpu, A), bufferOf(gpu, B)];
    const hi = gpu.createBuffer(m * n * 4);
    const lo = gpu.createBuffer(m * n * 4);
    for (const [k0, k1] of [
      [0, 1000],
      [1000, 5003],
      [5003, 8193],
    ]) {
      await matmulAccumulate(gpu, {
        A: bA,
        B: bB,
        C: hi,
        Clo: lo,
        m,
        n,
        k: k1 - k0,
        transB: true,
        lda: K,
        ldb: K,
        aOffset: k0,
        bOffset: k0,
      });
    }
    const want = new Float64Array(m * n);
    reference(A, B, want, dense(m, n, K, true));
    const got = await readCompensated(gpu, hi, lo, m * n);
    expect(relErr(got, want, { m, n, ldc: n, cOff: 0 })).toBeLessThanOrEqual(1e-6);
  });

  it('gives the same result with every register block size', async () => {
    const L = dense(37, 29, 100, false);
    const A = randomF32(L.m * L.k, 31);
    const B = randomF32(L.k * L.n, 32);
    const [bA, bB] = [bufferOf(gpu, A), bufferOf(gpu, B)];
    const want = new Float64Array(L.m * L.n);
    reference(A, B, want, L);
    for (const block of [1, 2, 4] as const) {
      const bC = gpu.createBuffer(L.m * L.n * 4);
      await matmulAccumulate(gpu, { A: bA, B: bB, C: bC, m: L.m, n: L.n, k: L.k, block });
      const got = new Float32Array(await gpu.read(bC, L.m * L.n * 4));
      expect(relErr(got, want, L), `block ${block}`).toBeLessThanOrEqual(1e-6);
    }
  });

  it('splits k over dispatches when the loop limit requires it (limit faked small)', async () => {
    const L = dense(20, 20, 1000, true);
    const A = randomF32(L.m * L.k, 41);
    const B = randomF32(L.n * L.k, 42);
    const [bA, bB] = [bufferOf(gpu, A), bufferOf(gpu, B)];
    const [bC, hi, lo] = [0, 0, 0].map(() => gpu.createBuffer(L.m * L.n * 4));
    const want = new Float64Array(L.m * L.n);
    reference(A, B, want, L);
    const real = gpu.loopIterationLimit;
    const g = gpu as { loopIterationLimit: number };
    try {
      g.loopIterationLimit = 64 + 3; // → 48 k per dispatch, 21 dispatches
      await matmulAccumulate(gpu, { A: bA, B: bB, C: bC, m: L.m, n: L.n, k: L.k, transB: true });
      await matmulAccumulate(gpu, { A: bA, B: bB, C: hi, Clo: lo, m: L.m, n: L.n, k: L.k, transB: true });
    } finally {
      g.loopIterationLimit = real;
    }
    expect(relErr(new Float32Array(await gpu.read(bC, L.m * L.n * 4)), want, L)).toBeLessThanOrEqual(1e-6);
    expect(relErr(await readCompensated(gpu, hi, lo, L.m * L.n), want, L)).toBeLessThanOrEqual(1e-6);
  });

  it("sums k > 2^20 terms in full, beyond llvmpipe's loop limit", async () => {
    const k = 2 ** 20 + 3; // two dispatches on llvmpipe (≤ 16 × (65535 − 64) k each)
    const bA = bufferOf(gpu, new Float32Array(k).fill(1));
    const bB = bufferOf(gpu, new Float32Array(k).fill(0.5));
    const bC = gpu.createBuffer(4);
    await matmulAccumulate(gpu, { A: bA, B: bB, C: bC, m: 1, n: 1, k, transB: true });
    expect(new Float32Array(await gpu.read(bC, 4))[0]).toBe(k * 0.5);
  });

  it('covers more than 65535 tiles (2-D grid)', async () => {
    const m = 1,
      n = 16 * 65536 + 5,
      k = 1; // block 1 for m = 1: 65537 tiles of 16×16
    const bA = bufferOf(
      gpu,
      Float32Array.from({ length: m }, (_, i) => i + 1),
    );
    const bB = bufferOf(
      gpu,
      Float32Array.from({ length: n }, (_, j) => (j % 7) + 1),
    );
    const bC = gpu.createBuffer(m * n * 4);
    await matmulAccumulate(gpu, { A: bA, B: bB, C: bC, m, n, k });
    const got = new Float32Array(await gpu.read(bC, m * n * 4));
    let bad = 0;
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) if (got[i * n + j] !== (i + 1) * ((j % 7) + 1)) bad++;
    expect(bad).toBe(0);
    [bA, bB, bC].forEach((b) => gpu.destroy(b));
  });

  it('rejects operands that do not fit their buffers, naming them', async () => {
    const small = gpu.createBuffer(16);
    const big = gpu.createBuffer(4096);
    const other = gpu.createBuffer(4096);
    await expect(matmulAccumulate(gpu, { A: small, B: big, C: other, m: 4, n: 4, k: 4 })).rejects.toThrow(
      /A needs 16 f32/,
    );
    await expect(matmulAccumulate(gpu, { A: big, B: big, C: big, m: 4, n: 4, k: 4 })).rejects.toThrow(/distinct/);
    await expect(matmulAccumulate(gpu, { A: big, B: big, C: other, m: 4, n: 4, k: 4, lda: 2 })).rejects.toThrow(
      /lda 2 < k 4/,
    );
  });
});
