// Sibling reductions share one pass (compiler/plan/merge_sibling_reductions.ts) and −Σ fuses into the
// sum (compiler/passes/neg_into_sum.ts): the DFT as a user writes it is one stage that evaluates the
// phase once per (i, k), on every target, and still equals the reference interpreter.
import { afterAll, describe, expect, it } from 'vitest';
import { shutdown } from '../../backends/js/runtime/index.js';
import { planKernel } from '../../compiler/compile.ts';
import type { Target } from '../../compiler/compile.ts';
import { add, cos, exp, f64, kernel, max, mul, neg, reshape, sin, sizes, sum } from '../../dsl/index.ts';
import {
  TOLERANCE,
  compareAll,
  compileAll,
  f32Array,
  mulberry,
  reference,
  skipReason,
} from '../differential/harness.ts';

afterAll(() => shutdown());

const dft = kernel({
  name: 'dftSiblings',
  params: { image: f64(['M']), x: f64(['M']), y: f64(['M']), u: f64(['K']), v: f64(['K']) },
  body: ({ image, x, y, u, v }) => {
    const phase = mul(
      2 * Math.PI,
      add(mul(reshape(x, ['M', 1]), reshape(u, [1, 'K'])), mul(reshape(y, ['M', 1]), reshape(v, [1, 'K']))),
    );
    const I = reshape(image, ['M', 1]);
    return { re: sum(mul(I, cos(phase)), 0), im: neg(sum(mul(I, sin(phase)), 0)) };
  },
});
// a sum used twice keeps its neg apart; a max and a sum over the same axes stay two stages; exp(Σ) is not moved
const mixed = kernel({
  name: 'siblingsMixed',
  params: { a: f64(['M', 'K']), dims: sizes(['M', 'K']) },
  body: ({ a }) => {
    const s = sum(a, 0);
    return { s, n: neg(s), m: max(a, 0), e: exp(sum(cos(a), 0)) };
  },
});

describe('sibling reductions', () => {
  it('the DFT is one map stage with both outputs, and no stage of its own for the negation', () => {
    for (const t of ['js', 'wgsl', 'cuda'] as Target[]) {
      const { program } = planKernel(dft, t);
      expect(
        program.stages.map((s) => s.kind),
        t,
      ).toEqual(['map']);
      const s = program.stages[0]!;
      expect(s.kind === 'map' && s.outputs.map((o) => o.buf)).toEqual(['out_re', 'out_im']);
    }
  });
  it('what may not merge stays apart', () => {
    const { program } = planKernel(mixed, 'js');
    const sums = program.stages.filter((s) => s.kind === 'map' && s.reduce?.fn === 'sum');
    const maxes = program.stages.filter((s) => s.kind === 'map' && s.reduce?.fn === 'max');
    expect(maxes).toHaveLength(1);
    // the two sums (of a and of cos a) share one pass; neg(s) and exp(…) are maps of their own
    expect(sums).toHaveLength(1);
    expect(sums[0]!.kind === 'map' && sums[0]!.outputs).toHaveLength(2);
  });
  it.for(['js', 'wgsl', 'cuda'] as Target[])('equal the reference interpreter on %s', async (target, ctx) => {
    const skip = await skipReason(target);
    if (skip) ctx.skip(skip);
    const runs = await compileAll(target, [dft, mixed]);
    const r = mulberry(9);
    const M = 23,
      K = 37;
    const inputs = {
      image: f32Array(M, r),
      x: f32Array(M, r, -0.5, 0.5),
      y: f32Array(M, r, -0.5, 0.5),
      u: f32Array(K, r, -3, 3),
      v: f32Array(K, r, -3, 3),
    };
    compareAll(
      dft.graph(),
      await runs.get('dftSiblings')!(inputs),
      reference(dft.graph(), inputs),
      TOLERANCE[target],
      `dft on ${target}`,
    );
    const a = { a: f32Array(M * K, r), dims: [M, K] };
    compareAll(
      mixed.graph(),
      await runs.get('siblingsMixed')!(a),
      reference(mixed.graph(), a),
      TOLERANCE[target],
      `mixed on ${target}`,
    );
  });
});
