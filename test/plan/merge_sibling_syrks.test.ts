// The JS target's sibling-SYRK merge (compiler/plan/merge_sibling_syrks.ts) and the deferred mirror of
// lower-only accumulations (backends/js/deferred_mirror.ts, support.mirrorLower): what merges and what must
// not, on small kernels and hand-made stage lists, and the compiled merged kernel against brute-force loops.
import { afterAll, describe, expect, it } from 'vitest';
import { shutdown } from '../../backends/js/runtime/index.js';
import { mirrorLower } from '../../backends/js/support/mirror.js';
import { deferredMirrors } from '../../backends/js/deferred_mirror.ts';
import { planKernel } from '../../compiler/compile.ts';
import { Size } from '../../compiler/ir/size.ts';
import type { ChunkStage, GemmStage, Stage } from '../../compiler/loop/ir.ts';
import { add, cos, div, f64, kernel, matmul, sin, transpose } from '../../dsl/index.ts';
import { buildAndImport } from '../helpers/build.ts';
import { randomArray, relErr, rng } from '../helpers/random.ts';

afterAll(() => shutdown());

const gram = kernel({
  name: 'gram',
  params: { a: f64(['M', 'K']), w: f64(['K']) },
  body: ({ a, w }) => {
    const c = div(cos(a), w),
      s = div(sin(a), w);
    return add(matmul(c, transpose(c)), matmul(s, transpose(s)));
  },
});
// The cos operand is also an output: it is not a temporary, so the two products stay apart.
const gramAndC = kernel({
  name: 'gramAndC',
  params: { a: f64(['M', 'K']), w: f64(['K']) },
  body: ({ a, w }) => {
    const c = div(cos(a), w),
      s = div(sin(a), w);
    return { g: add(matmul(c, transpose(c)), matmul(s, transpose(s))), c };
  },
});
// Contractions of different lengths (K and L): no common panel.
const twoLengths = kernel({
  name: 'twoLengths',
  params: { a: f64(['M', 'K']), b: f64(['M', 'L']) },
  body: ({ a, b }) => add(matmul(cos(a), transpose(cos(a))), matmul(sin(b), transpose(sin(b)))),
});

const syrkCount = (k: Parameters<typeof planKernel>[0]): number => {
  const all = (ss: readonly Stage[]): Stage[] => ss.flatMap((s) => (s.kind === 'chunk' ? all(s.body) : [s]));
  return all(planKernel(k, 'js').program.stages).filter((s) => s.kind === 'gemm' && s.symmetric).length;
};

describe('merge-sibling-syrks', () => {
  it('merges C·Cᵀ + S·Sᵀ written by one map into one SYRK; leaves outputs and different lengths alone', () => {
    expect(syrkCount(gram)).toBe(1);
    expect(syrkCount(gramAndC)).toBe(2);
    expect(syrkCount(twoLengths)).toBe(2);
  });

  it('the merged kernel matches brute-force loops (odd sizes, chunk tails), 1 and 2 threads bitwise', async () => {
    const { run } = await buildAndImport(gram);
    const r = rng(7);
    for (const [M, K] of [
      [1, 3],
      [13, 1],
      [29, 257],
    ] as const) {
      const a = randomArray(M * K, r, -4, 4),
        w = randomArray(K, r, 0.5, 2);
      const want = new Float64Array(M * M);
      for (let i = 0; i < M; i++)
        for (let j = 0; j < M; j++) {
          let s = 0;
          for (let k = 0; k < K; k++)
            s +=
              (Math.cos(a[i * K + k]!) * Math.cos(a[j * K + k]!) + Math.sin(a[i * K + k]!) * Math.sin(a[j * K + k]!)) /
              (w[k]! * w[k]!);
          want[i * M + j] = s;
        }
      // chunks of 10: 16·M bytes of panel and at most 16·(M + 3) of packing per K column, 32·(M + 3) of tile slots
      for (const budget of [undefined, 16 * M * 10 + 16 * (M + 3) * 10 + 32 * (M + 3)]) {
        const one: Float64Array = await run({ a, w }, { threads: 1, memoryBudgetBytes: budget });
        const two: Float64Array = await run({ a, w }, { threads: 2, memoryBudgetBytes: budget });
        expect(relErr(one, want)).toBeLessThan(1e-12);
        expect(two).toEqual(one);
      }
    }
  });
});

describe('deferred mirror', () => {
  const n = Size.sym('M');
  const syrk: GemmStage = {
    kind: 'gemm',
    name: 'g',
    a: 't',
    b: 't',
    c: 'C',
    transA: false,
    transB: true,
    m: n,
    n,
    k: Size.sym('K_chunk'),
    lda: Size.sym('K_chunk'),
    ldb: Size.sym('K_chunk'),
    ldc: n,
    symmetric: true,
    accumulate: true,
  };
  const chunk = (body: Stage[]): ChunkStage => ({
    kind: 'chunk',
    name: 'chunk_K',
    symbol: 'K',
    chunkSymbol: 'K_chunk',
    offset: 'off_K',
    body,
  });
  const fill: Stage = { kind: 'fill', name: 'z', buf: 'C', value: 0 };
  const readsC: Stage = {
    kind: 'map',
    name: 'r',
    domain: [{ v: 'i0', extent: n }],
    outputs: [
      {
        buf: 'x',
        index: { k: 'var', name: 'i0' },
        value: { k: 'load', buf: 'C', index: { k: 'var', name: 'i0' }, dtype: 'f64' },
        accumulate: false,
      },
    ],
  };

  it('defers when C is zero-filled before the loop and only SYRKs touch it inside', () => {
    const ch = chunk([syrk]);
    const d = deferredMirrors([fill, { kind: 'fill', name: 'y', buf: 'other', value: 0 }, ch]);
    expect(d.after.get(ch)?.map((x) => x.buf)).toEqual(['C']);
    expect(d.lowerOnly.has(syrk)).toBe(true);
  });

  it('does not defer when C is read in the loop, not zero-filled, or touched between fill and loop', () => {
    for (const stages of [
      [fill, chunk([syrk, readsC])],
      [chunk([syrk])],
      [{ ...fill, value: 1 }, chunk([syrk])],
      [fill, readsC, { ...syrk, accumulate: false }, chunk([syrk])],
    ] as Stage[][]) {
      const d = deferredMirrors(stages);
      expect(d.after.size).toBe(0);
      expect(d.lowerOnly.size).toBe(0);
    }
  });

  it('mirrorLower copies the lower triangle into the upper one (odd order, row stride > n)', () => {
    for (const [order, ld] of [
      [1, 1],
      [37, 41],
      [70, 70],
    ]) {
      const c = randomArray(order * ld, rng(order));
      const before = c.slice();
      mirrorLower(c, order, ld);
      for (let i = 0; i < order; i++)
        for (let j = 0; j < ld; j++) {
          const want = j > i && j < order ? before[j * ld + i] : before[i * ld + j];
          expect(c[i * ld + j]).toBe(want);
        }
    }
  });
});
