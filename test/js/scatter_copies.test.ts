// Scatters with no conflict-free axis on the compiled JS path, with private copies of their target
// (compiler/plan/privatise_scatters.ts, backends/common/plan.js chooseCopies): against the f64 reference
// interpreter on random indices with many collisions, odd sizes, a chunked scatter with a chunk tail, an i32
// target and skipped (−1) indices; bitwise the same for 1, 2 and 3 threads; the serial fallback when the
// copies do not fit the budget, shown by the plan; the copies counted in the plan's peak. And owner computes
// (compiler/plan/owner_scatters.ts): bitwise equal to the serial scatter whatever the thread count.
import { afterAll, describe, expect, it } from 'vitest';
import { resolvePlan } from '../../backends/common/plan.js';
import { interpretGraph } from '../../backends/reference/interpret.ts';
import { shutdown } from '../../backends/js/runtime/index.js';
import { jsCapabilities } from '../../backends/js/support/capabilities.js';
import { explainKernel } from '../../compiler/aot/explain.ts';
import { planKernel, renderKernel } from '../../compiler/compile.ts';
import { exp, f64, i32, iota, kernel, scatterAdd, sizes, sum, type Tensor } from '../../dsl/index.ts';
import { buildAndImport, importCode } from '../helpers/build.ts';
import { relErr, rng } from '../helpers/random.ts';
import { scatterBody } from '../scan/cases.ts';

afterAll(() => shutdown());

const same = (a: ArrayLike<number>, b: ArrayLike<number>): boolean =>
  a.length === b.length && Array.from(a).every((x, i) => Object.is(x, b[i]));

/** A value computed once into a buffer of its own (a sum over a unit axis), as std/preload_nufft.ts does. */
const once = (x: Tensor): Tensor => sum(x.reshape([...x.shape, 1]), x.rank);

const histogram = kernel({
  name: 'copiesHistogram',
  params: { idx: i32(['K']), vals: f64(['K']), n: sizes(['B']) },
  body: ({ idx, vals }) => scatterAdd(['B'], [idx], vals),
});
const grid = kernel({
  name: 'copiesGrid',
  params: { rows: i32(['K', 'W']), cols: i32(['K', 'W']), w: f64(['K', 'W']), n: sizes(['W', 'S', 'T']) },
  body: ({ rows, cols, w }) => ({
    plain: scatterAdd(['S', 'T'], [rows, cols], w),
    computed: scatterAdd(['S', 'T'], [rows, cols], exp(w)).mul(2),
  }),
});
const counts = kernel({
  name: 'copiesCounts',
  params: { idx: i32(['K']), c: i32(['K']), n: sizes(['B']) },
  body: ({ idx, c }) => scatterAdd(['B'], [idx], c),
});
/**
 * The NUFFT's shape: per-point values materialised per K chunk, spread as W×W outer products (a chunk loop);
 * y (K, 128) makes a K row of the materialised values 1 KiB, so the cache-sized chunk is ~8000 rows. With
 * `rowsOuter` the target row depends on (k, a) — known before the inner loop over b: owner computes; without, the
 * row depends on the innermost b: private copies.
 */
const spreadKernel = (name: string, rowsOuter: boolean) =>
  kernel({
    name,
    params: { base: i32(['K', 2]), x: f64(['K', 'W']), y: f64(['K', 128]), n: sizes(['W', 'S', 'T']) },
    body: ({ base, x, y }) => {
      const wts = once(exp(x)).mul(sum(once(y.mul(y)), 1).reshape(['K', 1]));
      const r = base.col(0).reshape(['K', 1, 1]),
        c = base.col(1).reshape(['K', 1, 1]);
      // the W×W neighbours of each point's base, as the NUFFT's spreading
      const j = iota(['K', 'W'], 1, 'i32');
      const [ja, jb] = [j.reshape(['K', 'W', 1]), j.reshape(['K', 1, 'W'])];
      return scatterAdd(
        ['S', 'T'],
        rowsOuter ? [r.add(ja), c.add(jb)] : [r.add(jb), c.add(ja)],
        wts.reshape(['K', 'W', 1]).mul(wts.reshape(['K', 1, 'W'])),
      );
    },
  });
const spread = spreadKernel('copiesSpread', false);
const spreadOwner = spreadKernel('ownerSpread', true);

function ints(n: number, hi: number, r: () => number, skip = 0): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = r() < skip ? -1 : Math.floor(r() * hi);
  return a;
}
function floats(n: number, r: () => number): Float64Array {
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = 2 * r() - 1;
  return a;
}
const reference = (k: typeof histogram, inputs: Record<string, unknown>) => interpretGraph(k.graph(), inputs).outputs;

/** The number of copies the module's plan chooses for stage scatters at these sizes and budget. */
function copiesOf(manifest: any, sizes: Record<string, number>, budget: number): number[] {
  const r = resolvePlan(manifest.kernel, manifest.plan, sizes, {
    budgetBytes: budget,
    preferredChunkBytes: jsCapabilities().preferredChunkBytes,
  });
  return (manifest.plan.scatterCopies ?? []).map((c: { count: string }) => r.copies[c.count]);
}

describe('scatters with private copies (JS)', () => {
  it('a 1-D histogram with collisions and skipped indices equals the interpreter, bitwise for 1, 2, 3 threads', async () => {
    const { run, manifest } = await buildAndImport(histogram);
    const r = rng(7);
    for (const [K, B] of [
      [20011, 37],
      [4099, 1],
      [9001, 130],
    ] as const) {
      const inputs = { idx: ints(K, B, r, 0.1), vals: floats(K, r), n: [B] };
      expect(copiesOf(manifest, { K, B }, 1 << 30)[0]).toBeGreaterThanOrEqual(2);
      const want = reference(histogram, inputs).result!.data;
      const outs = [];
      for (const threads of [1, 2, 3]) outs.push(await run(inputs, { threads }));
      expect(relErr(outs[0], want)).toBeLessThan(1e-13);
      expect(same(outs[0], outs[1])).toBe(true);
      expect(same(outs[0], outs[2])).toBe(true);
    }
  });

  it('a 2-D scatter of (K, W) points, odd sizes, equals the interpreter; bitwise across threads', async () => {
    const { run, manifest } = await buildAndImport(grid);
    const r = rng(11);
    const [K, W, S, T] = [3001, 5, 7, 3];
    const inputs = { rows: ints(K * W, S, r, 0.05), cols: ints(K * W, T, r), w: floats(K * W, r), n: [W, S, T] };
    expect(copiesOf(manifest, { K, W, S, T }, 1 << 30)).toEqual([16, 16]);
    const want = reference(grid as never, inputs);
    const outs = [];
    for (const threads of [1, 2, 3]) outs.push(await run(inputs, { threads }));
    for (const name of ['plain', 'computed']) {
      expect(relErr(outs[0][name], want[name]!.data)).toBeLessThan(1e-13);
      expect(same(outs[0][name], outs[1][name])).toBe(true);
      expect(same(outs[0][name], outs[2][name])).toBe(true);
    }
  });

  it('an i32 target: counts exactly as the interpreter', async () => {
    const { run, manifest } = await buildAndImport(counts);
    const r = rng(3);
    const [K, B] = [12345, 17];
    const c = ints(K, 1000, r);
    const inputs = { idx: ints(K, B, r, 0.2), c, n: [B] };
    expect(copiesOf(manifest, { K, B }, 1 << 30)[0]).toBe(16);
    const got = await run(inputs, { threads: 3 });
    expect(got).toBeInstanceOf(Int32Array);
    expect(Array.from(got)).toEqual(Array.from(reference(counts as never, inputs).result!.data));
  });

  it('a scatter inside a chunk loop (chunk tail) keeps its copies across the loop and equals the interpreter', async () => {
    const { run, manifest } = await buildAndImport(spread);
    const stages: string[] = manifest.plan.stages;
    // zeroed before the chunk loop, summed after it
    const zero = stages.findIndex((s) => /fill\s+priv_/.test(s)),
      loop = stages.findIndex((s) => s.startsWith('chunk K')),
      total = stages.findIndex((s) => /_sum\s+map/.test(s));
    expect(zero).toBeGreaterThanOrEqual(0);
    expect(zero).toBeLessThan(loop);
    expect(total).toBeGreaterThan(loop);
    const r = rng(5);
    const [K, W, S, T] = [20011, 5, 13, 13];
    const base = ints(K * 2, 1, r).map((_, i) => Math.floor(r() * (S - W + 1)));
    const inputs = { base, x: floats(K * W, r), y: floats(K * 128, r), n: [W, S, T] };
    const sizes = { K, W, S, T };
    const plan = resolvePlan(manifest.kernel, manifest.plan, sizes, {
      budgetBytes: 1 << 30,
      preferredChunkBytes: jsCapabilities().preferredChunkBytes,
    });
    expect(plan.chunks.K).toBeLessThan(K);
    expect(K % plan.chunks.K!).not.toBe(0); // a chunk tail
    expect(copiesOf(manifest, sizes, 1 << 30)[0]).toBe(16);
    const want = reference(spread as never, inputs).result!.data;
    const outs = [];
    for (const threads of [1, 2, 3]) outs.push(await run(inputs, { threads, memoryBudgetBytes: 1 << 30 }));
    expect(relErr(outs[0], want)).toBeLessThan(1e-13);
    expect(same(outs[0], outs[1])).toBe(true);
    expect(same(outs[0], outs[2])).toBe(true);
  });

  it('owner computes (row known before the inner loop): bitwise equal to the serial scatter for 1, 2, 3 threads', async () => {
    const built = await buildAndImport(spreadOwner);
    const stages: string[] = built.manifest.plan.stages;
    expect(stages.some((s) => /scatter .*\(owner computes\)/.test(s))).toBe(true);
    expect(built.manifest.plan.scatterCopies).toBeUndefined();
    // the same kernel without the pass: the serial scatter, one task
    const serialCode = renderKernel(
      planKernel(spreadOwner, 'js', { skipPasses: ['owner-scatters', 'privatise-scatters'] }),
      'js',
    ).code;
    expect(serialCode).toMatch(/'s\d+', 0, 1, /);
    const serial = await importCode(serialCode, 'ownerSpread');
    const r = rng(13);
    const [K, W, S, T] = [20011, 5, 23, 9];
    const base = ints(K * 2, 1, r).map((_, i) => Math.floor(r() * ((i % 2 ? T : S) - W + 1)));
    base[6] = -1 - 0; // a row of −1 + j: the j = 0 neighbour is skipped, the others land in rows 0 … W − 2
    const inputs = { base, x: floats(K * W, r), y: floats(K * 128, r), n: [W, S, T] };
    const want = reference(spreadOwner as never, inputs).result!.data;
    const ref = await serial(inputs, { threads: 1 });
    expect(relErr(ref, want)).toBeLessThan(1e-13);
    for (const threads of [1, 2, 3]) expect(same(await built.run(inputs, { threads }), ref)).toBe(true);
    // a row out of range is an error from the owner path too
    const bad = { ...inputs, base: base.map((v, i) => (i === 8 ? S : v)) };
    await expect(built.run(bad, { threads: 2 })).rejects.toThrow(
      /scatterAdd index \(\d+\) is outside the target shape \(23\)/,
    );
  });

  it('falls back to the serial scatter when the copies do not fit the budget, and says so', async () => {
    const { run, manifest } = await buildAndImport(histogram);
    const r = rng(9);
    // one copy: 31.3 KiB; the work pays for ⌊400009 / (8·4001)⌋ = 12 copies
    const [K2, B] = [400009, 4001];
    const inputs = { idx: ints(K2, B, r), vals: floats(K2, r), n: [B] };
    const copyBytes = B * 8;
    expect(copiesOf(manifest, { K: K2, B }, 1 << 30)[0]).toBe(12);
    // room for one copy only: the serial scatter
    expect(copiesOf(manifest, { K: K2, B }, copyBytes + 100)[0]).toBe(0);
    const want = reference(histogram, inputs).result!.data;
    const serial = await run(inputs, { threads: 2, memoryBudgetBytes: copyBytes + 100 });
    const copies = await run(inputs, { threads: 2 });
    expect(relErr(serial, want)).toBeLessThan(1e-13);
    expect(relErr(copies, want)).toBeLessThan(1e-13);
    const text = explainKernel(histogram, { sizes: { K: K2, B }, budgetBytes: copyBytes + 100 });
    expect(text).toMatch(/scatters into out_result as one task/);
    const wide = explainKernel(histogram, { sizes: { K: K2, B }, budgetBytes: 1 << 30 });
    expect(wide).toMatch(/scatters into 12 private copies of out_result/);
    expect(wide).toMatch(/priv_\w+: 375\.\d KiB/);
  });

  it('a scatter inside a scan body gets its copies per step (zeroed, scattered, summed inside the body)', async () => {
    const { run, manifest } = await buildAndImport(scatterBody);
    const r = rng(21);
    const [K, M, S] = [5, 3001, 7];
    expect(copiesOf(manifest, { K, M, S }, 1 << 30)[0]).toBe(16);
    const inputs = { idx: ints(K * M, S, r, 0.1), w: floats(M, r), n: [K, M, S] };
    const want = reference(scatterBody as never, inputs);
    const outs = [];
    for (const threads of [1, 2, 3]) outs.push(await run(inputs, { threads }));
    expect(relErr(outs[0].h, want.h!.data)).toBeLessThan(1e-13);
    expect(relErr(outs[0].ys, want.ys!.data)).toBeLessThan(1e-13);
    for (const o of outs.slice(1)) expect(same(o.h, outs[0].h) && same(o.ys, outs[0].ys)).toBe(true);
  });

  it('copies are counted in the peak; GPU targets get none', () => {
    const { manifest } = planKernel(grid, 'js');
    const sizes = { K: 3001, W: 5, S: 7, T: 3 };
    const r = resolvePlan(manifest.kernel, manifest.plan as never, sizes, {
      budgetBytes: 1 << 30,
      preferredChunkBytes: jsCapabilities().preferredChunkBytes,
    });
    expect(r.peakBytes).toBeGreaterThanOrEqual(16 * 7 * 3 * 8);
    for (const t of ['wgsl', 'cuda'] as const) expect(planKernel(grid, t).manifest.plan.scatterCopies).toBeUndefined();
  });
});
