// inferred_index_ranges.test.ts — an i32 input used directly (no arithmetic) as a gather or scatterAdd index,
// with no declared range, is checked at call time against the axis it indexes (compiler/ir/index_ranges.ts,
// backends/common/plan.js): an out-of-range value is an error naming the input, the element, the value, the
// range and the use it was inferred from, before anything runs — on the reference interpreter and the compiled
// modules (js; wgsl on the adapter the runtime finds; cuda on the emulated device). Valid values give the
// interpreter's result; −1 passes a scatterAdd (which skips it); an index computed by arithmetic is not checked.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shutdown } from '../../backends/js/runtime/index.js';
import { planKernel, type Target } from '../../compiler/compile.ts';
import { kernel, f64, i32, gather, scatterAdd, take, add, mul, type Kernel } from '../../dsl/index.ts';
import {
  TARGETS,
  TOLERANCE,
  compareAll,
  compileAll,
  intArray,
  mulberry,
  reference,
  skipReason,
  type Run,
} from '../differential/harness.ts';

afterAll(() => shutdown());

// out[m] = x[i[m], j[m]]: i indexes axis 0 (R), j axis 1 (C).
const pick2 = kernel({
  name: 'pick2',
  params: { x: f64(['R', 'C']), i: i32(['M']), j: i32(['M']) },
  body: ({ x, i, j }) => gather(x, [i, j]),
});
// take reshapes and broadcasts the index: still the input's own values, so still checked.
const takeRows = kernel({
  name: 'takeRows',
  params: { x: f64(['N', 'K']), idx: i32(['M']) },
  body: ({ x, idx }) => take(x, idx, 0),
});
// A histogram: −1 skips the entry.
const histogram = kernel({
  name: 'histogram',
  params: { idx: i32(['M']), w: f64(['M']), bins: f64(['S']) },
  body: ({ idx, w, bins }) => add(scatterAdd(['S'], [idx], w), mul(0, bins)),
});
// idx indexes x (N) and y (K): both ranges must hold.
const twoUses = kernel({
  name: 'twoUses',
  params: { x: f64(['N']), y: f64(['K']), idx: i32(['M']) },
  body: ({ x, y, idx }) => add(gather(x, [idx]), gather(y, [idx])),
});
// Declared wider than the use: −1 passes the declaration, but the gather needs 0 ≤ value.
const declaredWide = kernel({
  name: 'declaredWide',
  params: { x: f64(['N']), idx: i32(['M'], { range: [-1, 'N'] }) },
  body: ({ x, idx }) => gather(x, [idx]),
});
// The index goes through arithmetic: no range is inferred (conservative), −1 is a valid input here.
const shifted = kernel({
  name: 'shifted',
  params: { x: f64(['N']), idx: i32(['M']) },
  body: ({ x, idx }) => gather(x, [add(idx, 1)]),
});
const KERNELS: Kernel[] = [pick2, takeRows, histogram, twoUses, declaredWide, shifted];
const byName = new Map(KERNELS.map((k) => [k.name, k]));

const r = mulberry(7);
const quarters = (n: number) => Float64Array.from({ length: n }, () => Math.round(r() * 16 - 8) / 4); // f32-exact
const R = 3,
  C = 5,
  M = 7,
  N = 4,
  K = 6,
  S = 5;
const valid: Record<string, Record<string, unknown>> = {
  pick2: { x: { data: quarters(R * C), shape: [R, C] }, i: intArray(M, r, 0, R - 1), j: intArray(M, r, 0, C - 1) },
  takeRows: { x: { data: quarters(N * K), shape: [N, K] }, idx: intArray(M, r, 0, N - 1) },
  histogram: { idx: Int32Array.of(0, -1, 4, 4, 2, -1, 1), w: quarters(M), bins: new Float64Array(S) },
  twoUses: { x: quarters(N), y: quarters(K), idx: intArray(M, r, 0, N - 1) },
  declaredWide: { x: quarters(N), idx: intArray(M, r, 0, N - 1) },
  shifted: { x: quarters(N), idx: Int32Array.of(-1, 0, 2, -1, 1, 2, 0) }, // idx + 1 in [0, N)
};
const withIdx = (k: string, name: string, at: number, v: number) => {
  const inputs = { ...valid[k]! };
  const a = Int32Array.from(inputs[name] as Int32Array);
  a[at] = v;
  inputs[name] = a;
  return inputs;
};

type Runner = (k: string, inputs: Record<string, unknown>) => Promise<unknown>;

function cases(runner: () => Runner, target: Target | 'reference') {
  it('valid indices give the reference result (−1 skipped by the scatterAdd; arithmetic indices unchecked)', async () => {
    for (const k of KERNELS) {
      const got = await runner()(k.name, valid[k.name]!);
      compareAll(
        k.graph(),
        got,
        reference(k.graph(), valid[k.name]!),
        TOLERANCE[target === 'reference' ? 'js' : target],
        k.name,
      );
    }
    // the boundary values themselves: R − 1 and C − 1, 0
    const edge = { ...valid.pick2!, i: Int32Array.from({ length: M }, (_, m) => (m % 2 ? R - 1 : 0)) };
    compareAll(
      pick2.graph(),
      await runner()('pick2', edge),
      reference(pick2.graph(), edge),
      TOLERANCE[target === 'reference' ? 'js' : target],
      'pick2 edge',
    );
  });
  it('an index too big is an error naming the input, element, value, range and use', async () => {
    await expect(runner()('pick2', withIdx('pick2', 'j', 4, C))).rejects.toThrow(
      "pick2: input 'j'[4] = 5 is outside 0 ≤ value < C, the range inferred from its use as the axis-1 index of a gather from shape (R, C) (C = 5 from axis 1 of 'x'.shape)",
    );
    await expect(runner()('takeRows', withIdx('takeRows', 'idx', 6, N))).rejects.toThrow(
      /takeRows: input 'idx'\[6\] = 4 is outside 0 ≤ value < N, the range inferred from its use as the axis-0 index of a gather from shape \(N, K\) \(N = 4 from /,
    );
    await expect(runner()('histogram', withIdx('histogram', 'idx', 2, S))).rejects.toThrow(
      "histogram: input 'idx'[2] = 5 is outside -1 ≤ value < S, the range inferred from its use as the axis-0 index of a scatterAdd into shape (S) (−1 skips) (S = 5 from the length of 'bins')",
    );
  });
  it('a negative index is an error (−2 for the scatterAdd)', async () => {
    await expect(runner()('pick2', withIdx('pick2', 'i', 0, -1))).rejects.toThrow(
      /pick2: input 'i'\[0\] = -1 is outside 0 ≤ value < R, the range inferred from its use as the axis-0 index of a gather from shape \(R, C\) \(R = 3 from /,
    );
    await expect(runner()('histogram', withIdx('histogram', 'idx', 1, -2))).rejects.toThrow(
      /histogram: input 'idx'\[1\] = -2 is outside -1 ≤ value < S, the range inferred from its use as the axis-0 index of a scatterAdd/,
    );
    await expect(runner()('takeRows', withIdx('takeRows', 'idx', 3, -2147483648))).rejects.toThrow(
      /takeRows: input 'idx'\[3\] = -2147483648 is outside 0 ≤ value < N/,
    );
  });
  it('an input used as two indices must fit both: N ≤ value < K fails on the narrower use', async () => {
    await expect(runner()('twoUses', withIdx('twoUses', 'idx', 5, N + 1))).rejects.toThrow(
      "twoUses: input 'idx'[5] = 5 is outside 0 ≤ value < N, the range inferred from its use as the axis-0 index of a gather from shape (N) (N = 4 from the length of 'x')",
    );
  });
  it('a declared range wider than the use: the declared one still holds, and the use needs 0 ≤ value', async () => {
    await expect(runner()('declaredWide', withIdx('declaredWide', 'idx', 0, N))).rejects.toThrow(
      "declaredWide: input 'idx'[0] = 4 is outside its declared range -1 ≤ value < N (N = 4 from the length of 'x')",
    );
    await expect(runner()('declaredWide', withIdx('declaredWide', 'idx', 0, -1))).rejects.toThrow(
      "declaredWide: input 'idx'[0] = -1 is outside 0 ≤ value < N, the range inferred from its use as the axis-0 index of a gather from shape (N)",
    );
  });
}

describe('inferred index ranges in the manifest', () => {
  it('undeclared direct indices carry their inferred ranges; arithmetic ones and declared equal ones none', () => {
    const params = (k: Kernel) => Object.fromEntries(planKernel(k, 'js').manifest.params.map((p) => [p.name, p]));
    expect(params(pick2).j!.indexRanges).toEqual([
      { range: [[], [[1, 'C']]], use: 'its use as the axis-1 index of a gather from shape (R, C)' },
    ]);
    expect(params(histogram).idx!.indexRanges).toEqual([
      { range: [[[-1]], [[1, 'S']]], use: 'its use as the axis-0 index of a scatterAdd into shape (S) (−1 skips)' },
    ]);
    expect(params(twoUses).idx!.indexRanges!.map((u) => u.range[1])).toEqual([[[1, 'N']], [[1, 'K']]]);
    expect(params(shifted).idx!.indexRanges).toBeUndefined();
    expect(params(pick2).x!.indexRanges).toBeUndefined();
  });
});

describe('inferred index ranges on the reference interpreter', () => {
  cases(() => async (k, inputs) => reference(byName.get(k)!.graph(), inputs).result, 'reference');
});

const skips = new Map<Target, string | undefined>();
for (const t of TARGETS) skips.set(t, await skipReason(t));

describe.each(TARGETS)('inferred index ranges compiled for %s', (target) => {
  const skip = skips.get(target);
  let runs: Map<string, Run>;
  beforeAll(async () => {
    if (!skip) runs = await compileAll(target, KERNELS);
  }, 300_000);
  describe.skipIf(!!skip)(skip ? `(skipped: ${skip})` : 'runs', () => {
    cases(() => (k, inputs) => runs.get(k)!(inputs), target);
  });
});
