// Scatters whose conflict-free axis is the outer loop, on the compiled JS path, run that axis several values per
// pass (unroll-and-jam, backends/clike/nest.ts renderScatterBody): the segment-sum shape of the curvature matrix
// (F[t, s] += w[m, b]·G[m, t] where s = idx[m, b]) against the f64 reference interpreter for every remainder of the
// axis by the jam width (sizes 1 … 9), with skipped (−1) indices; bitwise the same for 1, 2 and 3 threads; an
// index out of range still throws.
import { afterAll, describe, expect, it } from 'vitest';
import { interpretGraph } from '../../backends/reference/interpret.ts';
import { shutdown } from '../../backends/js/runtime/index.js';
import { f64, i32, iota, kernel, scatterAdd, sizes } from '../../dsl/index.ts';
import { buildAndImport } from '../helpers/build.ts';
import { relErr, rng } from '../helpers/random.ts';

afterAll(() => shutdown());

const same = (a: ArrayLike<number>, b: ArrayLike<number>): boolean =>
  a.length === b.length && Array.from(a).every((x, i) => Object.is(x, b[i]));

const segmentSum = kernel({
  name: 'jamSegmentSum',
  params: { idx: i32(['M', 'B']), w: f64(['M', 'B']), g: f64(['M', 'T']), n: sizes(['S']) },
  body: ({ idx, w, g }) =>
    scatterAdd(
      ['T', 'S'],
      [iota(['M', 'B', 'T'], 2, 'i32'), idx.reshape(['M', 'B', 1])],
      w.reshape(['M', 'B', 1]).mul(g.reshape(['M', 1, 'T'])),
    ),
});

/** The same with a computed index (idx + 1, so −2 skips): not range-checked at call time, only in the loop. */
const shiftedSum = kernel({
  name: 'jamShiftedSum',
  params: { idx: i32(['M', 'B']), w: f64(['M', 'B']), g: f64(['M', 'T']), n: sizes(['S']) },
  body: ({ idx, w, g }) =>
    scatterAdd(
      ['T', 'S'],
      [iota(['M', 'B', 'T'], 2, 'i32'), idx.add(1).reshape(['M', 'B', 1])],
      w.reshape(['M', 'B', 1]).mul(g.reshape(['M', 1, 'T'])),
    ),
});

function caseOf(M: number, B: number, T: number, S: number, seed: number) {
  const r = rng(seed);
  const idx = new Int32Array(M * B).map(() => (r() < 0.1 ? -1 : Math.floor(r() * S)));
  const w = new Float64Array(M * B).map(() => 2 * r() - 1);
  const g = new Float64Array(M * T).map(() => 2 * r() - 1);
  return { idx: { data: idx, shape: [M, B] }, w: { data: w, shape: [M, B] }, g: { data: g, shape: [M, T] }, n: [S] };
}

describe('scatter over a conflict-free outer axis, several of its values per pass (JS)', () => {
  it('is jammed in the generated code', async () => {
    const { code, manifest } = await buildAndImport(segmentSum);
    expect(manifest.plan.stages.some((s: string) => /scatter .*parallel over axis 2/.test(s))).toBe(true);
    expect(code).toMatch(/for \(let i2 = lo; i2 \+ 3 < hi; i2 \+= 4\) \{/);
  });

  it('equals the interpreter for every remainder of the axis, bitwise across 1, 2, 3 threads', async () => {
    const { run } = await buildAndImport(segmentSum);
    for (let T = 1; T <= 9; T++) {
      const inputs = caseOf(211, 3, T, 13, 100 + T);
      const want = interpretGraph(segmentSum.graph(), inputs).outputs.result!.data;
      const outs = [];
      for (const threads of [1, 2, 3]) outs.push(await run(inputs, { threads }));
      expect(relErr(outs[0], want)).toBeLessThan(1e-13);
      expect(same(outs[0], outs[1])).toBe(true);
      expect(same(outs[0], outs[2])).toBe(true);
    }
  });

  it('a size-1 inner axis and a single row', async () => {
    const { run } = await buildAndImport(segmentSum);
    for (const [M, B, T, S] of [
      [1, 1, 6, 1],
      [5, 1, 4, 2],
    ] as const) {
      const inputs = caseOf(M, B, T, S, 7 * M + T);
      const want = interpretGraph(segmentSum.graph(), inputs).outputs.result!.data;
      expect(relErr(await run(inputs, { threads: 2 }), want)).toBeLessThan(1e-13);
    }
  });

  it('an index out of range still throws (a computed index: checked in the jammed loop)', async () => {
    const { run } = await buildAndImport(shiftedSum);
    const inputs = caseOf(50, 3, 7, 5, 3);
    inputs.idx.data[77] = 4; // + 1 = 5, outside (7, 5)
    await expect(run(inputs, { threads: 2 })).rejects.toThrow(
      /scatterAdd index \(\d+, 5\) is outside the target shape \(7, 5\)/,
    );
  });
});
