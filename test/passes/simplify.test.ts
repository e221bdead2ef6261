// simplify: constant folding, unit-axis reshape + broadcast → one broadcast, broadcast∘broadcast,
// identity removal; each checked on the graph's structure and on values before/after.
import { describe, expect, test } from 'vitest';
import type { Graph } from '../../compiler/ir/graph.ts';
import { dumpGraph } from '../../compiler/ir/dump.ts';
import { simplify } from '../../compiler/passes/simplify.ts';
import { typecheck } from '../../compiler/passes/typecheck.ts';
import {
  add,
  broadcastTo,
  cos,
  div,
  f64,
  kernel,
  mul,
  sizes,
  sqrt,
  sub,
  sum,
  type ParamSpec,
} from '../../dsl/index.ts';
import type { KernelResult, ParamTensors } from '../../dsl/kernel.ts';
import { randomArray, rng } from '../helpers/random.ts';
import { count, maxRelErr, nodesOf, outputNode } from './util.ts';

const trace = <P extends Record<string, ParamSpec>>(params: P, body: (p: ParamTensors<P>) => KernelResult): Graph =>
  kernel({ name: 'probe', params, body }).graph();

describe('constant folding', () => {
  test('2·π written as mul(2, Math.PI) folds to one constant', () => {
    const g = trace({ x: f64(['M']) }, ({ x }) => mul(mul(2, Math.PI), x));
    expect(count(g, 'const')).toBe(2);
    const s = simplify(g);
    const consts = nodesOf(s).filter((n) => n.op.kind === 'const');
    expect(consts).toHaveLength(1);
    expect(consts[0]!.op).toEqual({ kind: 'const', value: 2 * Math.PI });
    expect(count(s, 'binary:mul')).toBe(1);
    // the same graph as writing the product in TypeScript
    expect(dumpGraph(s)).toBe(dumpGraph(simplify(trace({ x: f64(['M']) }, ({ x }) => mul(2 * Math.PI, x)))));
    const x = randomArray(5, rng(1));
    expect(maxRelErr(s, g, { x })).toBeLessThanOrEqual(1e-15);
  });

  test('nested scalar expressions fold completely: sqrt(cos(0) + 3) / 2 → 1', () => {
    const g = trace({}, () => div(sqrt(add(cos(0), 3)), 2));
    const s = simplify(g);
    expect(nodesOf(s).map((n) => n.op)).toEqual([{ kind: 'const', value: 1 }]);
  });

  test('broadcasts of two constants fold into one broadcast constant', () => {
    const g = trace({ n: sizes('N') }, () => mul(broadcastTo(mul(3, 1), ['N']), broadcastTo(mul(2, 1), ['N'])));
    const s = simplify(g);
    const out = outputNode(s);
    expect(out.op.kind).toBe('broadcast');
    expect(out.inputs[0]!.op).toEqual({ kind: 'const', value: 6 });
    expect(maxRelErr(s, g, { n: 3 })).toBe(0);
  });

  test('x·1, x+0, x/1 and 0+x vanish', () => {
    const g = trace({ x: f64(['M']) }, ({ x }) => ({
      a: mul(x, 1),
      b: add(x, 0),
      c: div(x, 1),
      d: add(0, x),
      e: mul(1, x),
      f: sub(x, 0),
    }));
    const s = simplify(g);
    for (const o of s.outputs) expect(o.node.op, o.name).toEqual({ kind: 'param', name: 'x' });
  });
});

describe('reshape and broadcast', () => {
  test('unit-axis reshape followed by a broadcast becomes one broadcast of the source', () => {
    // x[i] − x[j] written with reshapes to (M,1) and (1,M)
    const g = trace({ x: f64(['M']) }, ({ x }) => sub(x.reshape(['M', 1]), x.reshape([1, 'M'])));
    expect(count(g, 'reshape')).toBe(2);
    const s = simplify(g);
    expect(count(s, 'reshape')).toBe(0);
    const out = outputNode(s);
    expect(out.op).toEqual({ kind: 'binary', fn: 'sub' });
    const [l, r] = out.inputs;
    expect(l!.op).toEqual({ kind: 'broadcast', axes: [0] });
    expect(r!.op).toEqual({ kind: 'broadcast', axes: [1] });
    expect(l!.inputs[0]!.op).toEqual({ kind: 'param', name: 'x' });
    expect(r!.inputs[0]).toBe(l!.inputs[0]);
    expect(l!.shape.map(String)).toEqual(['M', 'M']);
    const x = randomArray(4, rng(2));
    expect(maxRelErr(s, g, { x })).toBe(0);
    typecheck(s);
  });

  test('the three-axis W̃ layout: (M,1,1), (1,M,1), (1,1,K) broadcasts read their sources directly', () => {
    const ps = { x: f64(['M']), u: f64(['K']) };
    const g = trace(ps, ({ x, u }) =>
      sum(cos(mul(sub(x.reshape(['M', 1, 1]), x.reshape([1, 'M', 1])), u.reshape([1, 1, 'K']))), 2),
    );
    const s = simplify(g);
    expect(count(s, 'reshape')).toBe(0);
    const bcasts = nodesOf(s).filter((n) => n.op.kind === 'broadcast');
    // x → (M,M,1) twice and u → (M,M,K) read the parameters; the (M,M,1) difference is stretched along K
    expect(bcasts.map((n) => [n.op, n.inputs[0]!.op.kind])).toEqual([
      [{ kind: 'broadcast', axes: [0] }, 'param'],
      [{ kind: 'broadcast', axes: [1] }, 'param'],
      [{ kind: 'broadcast', axes: [0, 1, 2] }, 'binary'],
      [{ kind: 'broadcast', axes: [2] }, 'param'],
    ]);
    const r = rng(3);
    expect(maxRelErr(s, g, { x: randomArray(3, r), u: randomArray(5, r) })).toBeLessThanOrEqual(1e-15);
  });

  test('broadcast of a broadcast composes into one', () => {
    const ps = { x: f64(['N']), sz: sizes(['L', 'M', 'N']) };
    const g = trace(ps, ({ x }) => broadcastTo(broadcastTo(x, ['M', 'N']), ['L', 'M', 'N']));
    expect(count(g, 'broadcast')).toBe(2);
    const s = simplify(g);
    expect(count(s, 'broadcast')).toBe(1);
    const out = outputNode(s);
    expect(out.op).toEqual({ kind: 'broadcast', axes: [2] });
    expect(out.inputs[0]!.op).toEqual({ kind: 'param', name: 'x' });
    expect(out.shape.map(String)).toEqual(['L', 'M', 'N']);
    const x = [1, 2, 3];
    expect(maxRelErr(s, g, { x, sz: [2, 2, 3] })).toBe(0);
    typecheck(s);
  });

  test('broadcast of a broadcast that stretches a unit axis of the inner result', () => {
    // x (N,1) → (N,1) is kept; (N,1)→(M,N,1)→(M,N,P) composes to one broadcast
    const ps = { x: f64(['N', 1]), sz: sizes(['M', 'N', 'P']) };
    const g = trace(ps, ({ x }) => broadcastTo(broadcastTo(x, ['M', 'N', 1]), ['M', 'N', 'P']));
    const s = simplify(g);
    expect(count(s, 'broadcast')).toBe(1);
    expect(maxRelErr(s, g, { x: [1, 2], sz: [3, 2, 4] })).toBe(0);
    typecheck(s);
  });

  test('reshape of a reshape composes; a reshape back to the original shape vanishes', () => {
    const ps = { x: f64([2, 6]) };
    const g = trace(ps, ({ x }) => ({ a: x.reshape([3, 4]).reshape([12]), b: x.reshape([12]).reshape([2, 6]) }));
    const s = simplify(g);
    const a = outputNode(s, 'a');
    expect(a.op.kind).toBe('reshape');
    expect(a.inputs[0]!.op.kind).toBe('param');
    expect(outputNode(s, 'b').op.kind).toBe('param');
    const x = Array.from({ length: 12 }, (_, i) => i);
    expect(maxRelErr(s, g, { x })).toBe(0);
  });

  test('simplify is idempotent and keeps the graph well typed', () => {
    const ps = { x: f64(['M']), u: f64(['K']) };
    const g = trace(ps, ({ x, u }) => sum(cos(mul(mul(2, Math.PI), mul(x.reshape(['M', 1]), u.reshape([1, 'K'])))), 1));
    const once = simplify(g);
    expect(dumpGraph(simplify(once))).toBe(dumpGraph(once));
    expect(typecheck(once)).toBe(once);
  });
});
