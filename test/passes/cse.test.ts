// cse: structurally identical nodes (op, attributes, inputs, type) become one node; anything that
// differs in an attribute, a constant's value, a type or an input stays separate.
import { describe, expect, test } from 'vitest';
import type { Graph } from '../../compiler/ir/graph.ts';
import { cse } from '../../compiler/passes/cse.ts';
import {
  add,
  constant,
  cos,
  div,
  f64,
  full,
  kernel,
  mul,
  scan,
  sizes,
  sub,
  sum,
  transpose,
  type ParamSpec,
  type Tensor,
} from '../../dsl/index.ts';
import type { KernelResult, ParamTensors } from '../../dsl/kernel.ts';
import { randomArray, rng } from '../helpers/random.ts';
import { count, maxRelErr, nodesOf, outputNode, runAll } from './util.ts';

const trace = <P extends Record<string, ParamSpec>>(params: P, body: (p: ParamTensors<P>) => KernelResult): Graph =>
  kernel({ name: 'probe', params, body }).graph();

describe('cse', () => {
  test('two identical subexpressions become one node', () => {
    const g = trace({ x: f64(['M']), y: f64(['M']) }, ({ x, y }) => add(cos(mul(x, y)), cos(mul(x, y))));
    expect(count(g, 'unary:cos')).toBe(2);
    expect(count(g, 'binary:mul')).toBe(2);
    const s = cse(g);
    expect(count(s, 'unary:cos')).toBe(1);
    expect(count(s, 'binary:mul')).toBe(1);
    const out = outputNode(s);
    expect(out.inputs[0]).toBe(out.inputs[1]);
    const r = rng(4);
    expect(maxRelErr(s, g, { x: randomArray(6, r), y: randomArray(6, r) })).toBe(0);
  });

  test('identical subexpressions in different outputs are shared', () => {
    const g = trace({ x: f64(['M']) }, ({ x }) => ({ a: sum(mul(x, 2)), b: sum(mul(x, 2)) }));
    const s = cse(g);
    expect(outputNode(s, 'a')).toBe(outputNode(s, 'b'));
    expect(count(s, 'reduce:sum')).toBe(1);
  });

  test('equal constants written twice merge (and their broadcasts)', () => {
    const g = trace({ x: f64(['M']) }, ({ x }) => add(mul(x, 3), div(x, 3)));
    expect(count(g, 'const')).toBe(2);
    const s = cse(g);
    expect(count(s, 'const')).toBe(1);
    expect(count(s, 'broadcast')).toBe(1);
  });

  test('different attributes, operands, operand order or types stay separate', () => {
    const ps = { x: f64(['N', 'N']), y: f64(['N', 'N']) };
    const g = trace(ps, ({ x, y }) => ({
      s0: sum(x, 0),
      s1: sum(x, 1),
      t: transpose(x),
      t2: transpose(x, [0, 1]),
      c2: mul(x, 2),
      c3: mul(x, 3),
      xy: sub(x, y),
      yx: sub(y, x),
      i: cos(x).cast('f32'),
    }));
    const s = cse(g);
    const outs = s.outputs.map((o) => o.node);
    expect(new Set(outs).size).toBe(outs.length);
    // the identity permutation is not a node at all: t2 is x itself
    expect(outputNode(s, 't2').op.kind).toBe('param');
    const r = rng(6);
    expect(maxRelErr(s, g, { x: randomArray(9, r), y: randomArray(9, r) })).toBe(0);
  });

  test('symbolic sizes in attributes are compared by value (slices [0,K) vs [0,K) vs [1,K))', () => {
    const ps = { x: f64(['2*K']) };
    const g = trace(ps, ({ x }) => ({ a: x.slice([[0, 'K']]), b: x.slice([[0, 'K']]), c: x.slice([[1, 'K+1']]) }));
    const s = cse(g);
    expect(outputNode(s, 'a')).toBe(outputNode(s, 'b'));
    expect(outputNode(s, 'c')).not.toBe(outputNode(s, 'a'));
    expect(maxRelErr(s, g, { x: [1, 2, 3, 4, 5, 6] })).toBe(0);
  });

  test('inside a scan body: the repeated per-step subexpression is computed once', () => {
    const g = trace(
      { u: f64(['K']), x: f64(['M']) },
      ({ u, x }) =>
        scan((c: Tensor, ut: Tensor) => [add(c, add(cos(mul(x, ut)), cos(mul(x, ut)))), null], full(['M'], 0), u)[0],
    );
    expect(count(g, 'unary:cos', true)).toBe(2);
    const s = cse(g);
    expect(count(s, 'unary:cos', true)).toBe(1);
    expect(count(s, 'scan')).toBe(1);
    const r = rng(7);
    expect(maxRelErr(s, g, { u: randomArray(5, r), x: randomArray(3, r) })).toBe(0);
  });

  test('two scans with identical bodies are both kept (scans are not merged)', () => {
    const body = (c: Tensor, ut: Tensor) => [add(c, ut), null] as const;
    const g = trace({ u: f64(['K']) }, ({ u }) => ({
      a: scan(body, constant(0), u)[0],
      b: scan(body, constant(0), u)[0],
    }));
    const s = cse(g);
    expect(count(s, 'scan')).toBe(2);
    expect(runAll(s, { u: [1, 2, 3] })).toEqual({ a: Float64Array.of(6), b: Float64Array.of(6) });
  });

  // Regression test for a fixed bug (compiler/passes/cse.ts, key(): JSON.stringify turns Infinity, −Infinity and NaN into null): constants
  // +∞ and −∞ get the same key and merge, so x + ∞ and x + (−∞) become one node and `b` returns +∞.
  // Fix: in the replacer, map numbers with `typeof v === 'number' ? (Object.is(v, -0) ? '-0' : String(v)) : …`.
  test('constants +∞ and −∞ are not merged', () => {
    const g = trace({ x: f64(['M']) }, ({ x }) => ({ a: add(x, Infinity), b: add(x, -Infinity) }));
    const s = cse(g);
    expect(Array.from(runAll(s, { x: [1, 2] }).b!)).toEqual([-Infinity, -Infinity]);
  });

  // Same bug: JSON.stringify(-0) is "0", so constants 0 and −0 merge and x / −0 turns into x / 0.
  test('constants 0 and −0 are not merged', () => {
    const g = trace({ x: f64(['M']), n: sizes('M') }, ({ x }) => ({
      a: div(x, full(['M'], 0)),
      b: div(x, full(['M'], -0)),
    }));
    expect(nodesOf(g).filter((n) => n.op.kind === 'const')).toHaveLength(2);
    const s = cse(g);
    expect(Array.from(runAll(s, { x: [1, 2], n: 2 }).b!)).toEqual([-Infinity, -Infinity]);
  });
});
