// scan-to-reduce: a single-carry scan with carry' = carry + g(x_t) and no stacked outputs becomes
// init + Σ_t g(x_t) (a sum over a new leading axis). Checked on the rewritten graph's structure and on
// values, interpreting the traced graph and the optimizeGraph result on fresh random inputs.
import { describe, expect, test } from 'vitest';
import { interpret } from '../../backends/reference/interpret.ts';
import { topoOrder, type Graph, type Node } from '../../compiler/ir/graph.ts';
import { scanToReduce } from '../../compiler/passes/scan_to_reduce.ts';
import { typecheck } from '../../compiler/passes/typecheck.ts';
import { optimizeGraph } from '../../compiler/pipeline.ts';
import {
  add,
  constant,
  cos,
  div,
  f64,
  i32,
  kernel,
  mul,
  scan,
  sizes,
  sub,
  sum,
  where,
  zeros,
  type ParamSpec,
  type Tensor,
} from '../../dsl/index.ts';
import type { KernelResult, ParamTensors } from '../../dsl/kernel.ts';
import { randomArray, rng } from '../helpers/random.ts';
import { count, maxRelErr, outputNode } from './util.ts';

const trace = <P extends Record<string, ParamSpec>>(params: P, body: (p: ParamTensors<P>) => KernelResult): Graph =>
  kernel({ name: 'probe', params, body }).graph();
const shape = (n: Node): string[] => n.shape.map(String);
const topo = (g: Graph): Node[] => topoOrder(g.outputs.map((o) => o.node));
const interpretOne = (g: Graph, inp: Record<string, unknown>): Float64Array => interpret(g, inp) as Float64Array;

describe('scan-to-reduce rewrites carry-accumulating scans', () => {
  // The W̃-style scan: carry (M) += cos(2π·x·u_k) / s_k², over k.
  const ps = { x: f64(['M']), u: f64(['K']), s: f64(['K']), c0: f64(['M']) };
  const wScan = ({ x, u, s, c0 }: ParamTensors<typeof ps>) =>
    scan(
      (c: Tensor, [uk, sk]: Tensor[]) => [add(c, div(cos(mul(mul(2, Math.PI), mul(x, uk!))), mul(sk!, sk!))), null],
      c0,
      [u, s],
    )[0];
  const inputs = (seed: number, M = 4, K = 9) => {
    const r = rng(seed);
    return { x: randomArray(M, r), u: randomArray(K, r), s: randomArray(K, r, 0.5, 2), c0: randomArray(M, r) };
  };

  test('structure: the scan becomes init + sum over axis 0 of a (K, M) tensor', () => {
    // carry (M) += cos(2π·x_t) / 2 with x_t the rows of a (K, M) input — no closure over other parameters
    const g = trace(
      { x: f64(['K', 'M']), c0: f64(['M']) },
      ({ x, c0 }) => scan((c: Tensor, row: Tensor) => [add(c, div(cos(mul(mul(2, Math.PI), row)), 2)), null], c0, x)[0],
    );
    expect(count(g, 'scan')).toBe(1);
    const r = scanToReduce(g);
    expect(count(r, 'scan')).toBe(0);
    expect(count(r, 'result')).toBe(0);
    const out = outputNode(r);
    expect(out.op).toEqual({ kind: 'binary', fn: 'add' });
    const [init, total] = out.inputs as [Node, Node];
    expect(init.op).toEqual({ kind: 'param', name: 'c0' });
    expect(total.op).toEqual({ kind: 'reduce', fn: 'sum', axes: [0] });
    expect(shape(total)).toEqual(['M']);
    expect(shape(total.inputs[0]!)).toEqual(['K', 'M']);
    expect(typecheck(r)).toBe(r);
    const rnd = rng(21),
      K = 5,
      M = 3;
    const inp = { x: randomArray(K * M, rnd), c0: randomArray(M, rnd) };
    expect(maxRelErr(r, g, inp)).toBeLessThanOrEqual(1e-12);
    expect(maxRelErr(optimizeGraph(g), g, inp)).toBeLessThanOrEqual(1e-12);
  });

  // Regression test for a fixed bug (compiler/passes/scan_to_reduce.ts, vectorise(), the line
  //   `if (ins.every((i) => i === 'invariant') && n.op.kind !== 'param') { memo.set(n, 'invariant'); continue; }`):
  // a kernel parameter read inside the body (a closure, like the pixel coordinates x in W̃) is a 'param' node
  // that is neither an xs param (already in memo) nor the carry (returned earlier), so it falls through to the
  // switch, hits `default: return undefined`, and the scan is never rewritten. Fix: drop `&& n.op.kind !== 'param'`.
  // The four tests marked test.fails below pass with that one-line change.
  test('structure with a closure over a kernel parameter (the W̃ form): init + sum over axis 0 of (K, M)', () => {
    const g = trace(ps, wScan);
    expect(count(g, 'scan')).toBe(1);
    const r = scanToReduce(g);
    expect(count(r, 'scan')).toBe(0);
    const out = outputNode(r);
    expect(out.op).toEqual({ kind: 'binary', fn: 'add' });
    const [init, total] = out.inputs as [Node, Node];
    expect(init.op).toEqual({ kind: 'param', name: 'c0' });
    expect(total.op).toEqual({ kind: 'reduce', fn: 'sum', axes: [0] });
    expect(shape(total.inputs[0]!)).toEqual(['K', 'M']);
    expect(typecheck(r)).toBe(r);
  });

  test('values: the traced graph, scanToReduce alone and optimizeGraph agree on random inputs', () => {
    const g = trace(ps, wScan);
    for (const seed of [1, 2, 3]) {
      const inp = inputs(seed);
      expect(maxRelErr(scanToReduce(g), g, inp)).toBeLessThanOrEqual(1e-12);
      expect(maxRelErr(optimizeGraph(g), g, inp)).toBeLessThanOrEqual(1e-12);
    }
  });

  test('optimizeGraph output of the W̃ scan has no scan, one sum over K, and the folded 2π constant', () => {
    const o = optimizeGraph(trace(ps, wScan));
    expect(count(o, 'scan')).toBe(0);
    expect(count(o, 'reduce:sum')).toBe(1);
    const consts = [
      ...new Set(
        topo(o)
          .filter((n) => n.op.kind === 'const')
          .map((n) => (n.op as { value: number }).value),
      ),
    ];
    expect(consts).toContain(2 * Math.PI);
  });

  test('carry on the right (g(x) + carry) and a zero init: the add with zeros folds away', () => {
    const g = trace(
      { x: f64(['K', 'M']), sz: sizes(['K', 'M']) },
      ({ x }) => scan((c: Tensor, row: Tensor) => [add(mul(row, row), c), null], zeros(['M']), x)[0],
    );
    const o = optimizeGraph(g);
    expect(count(o, 'scan')).toBe(0);
    const out = outputNode(o);
    expect(out.op).toEqual({ kind: 'reduce', fn: 'sum', axes: [0] });
    expect(out.inputs[0]!.op).toEqual({ kind: 'binary', fn: 'mul' });
    const r = rng(10),
      K = 6,
      M = 3;
    expect(maxRelErr(o, g, { x: randomArray(K * M, r), sz: [K, M] })).toBeLessThanOrEqual(1e-12);
  });

  test('a reduction inside the body: scalar carry += Σ_m x_t[m]·w[m]', () => {
    const g = trace(
      { x: f64(['K', 'M']), w: f64(['M']), sz: sizes(['K', 'M']) },
      ({ x, w }) => scan((c: Tensor, row: Tensor) => [add(c, sum(mul(row, w))), null], constant(1.5), x)[0],
    );
    const o = optimizeGraph(g);
    expect(count(o, 'scan')).toBe(0);
    const r = rng(12),
      K = 7,
      M = 4;
    const inp = { x: randomArray(K * M, r), w: randomArray(M, r), sz: [K, M] };
    expect(maxRelErr(o, g, inp)).toBeLessThanOrEqual(1e-12);
    // and against a plain loop
    let want = 1.5;
    for (let k = 0; k < K; k++) for (let m = 0; m < M; m++) want += inp.x[k * M + m]! * inp.w[m]!;
    const got = interpretOne(o, inp)[0]!;
    expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-12 * Math.abs(want));
  });

  test('per-step scalars broadcast against a vector, with where, a reshape and an i32 xs cast to f64', () => {
    const g = trace(
      { x: f64(['M']), u: f64(['K']), n: i32(['K']), c0: f64(['M']) },
      ({ x, u, n, c0 }) =>
        scan(
          (c: Tensor, [uk, nk]: Tensor[]) => {
            const t = where(x.gt(0), mul(x, uk!), sub(x, nk!.cast('f64')));
            return [add(c, t.reshape(['M', 1]).reshape(['M'])), null];
          },
          c0,
          [u, n],
        )[0],
    );
    const o = optimizeGraph(g);
    expect(count(o, 'scan')).toBe(0);
    const r = rng(13),
      M = 5,
      K = 8;
    const inp = {
      x: randomArray(M, r),
      u: randomArray(K, r),
      n: Int32Array.from({ length: K }, () => Math.floor(r() * 10) - 5),
      c0: randomArray(M, r),
    };
    expect(maxRelErr(o, g, inp)).toBeLessThanOrEqual(1e-12);
  });

  test('reverse scans are rewritten too (a sum does not depend on order)', () => {
    const g = trace(
      { u: f64(['K']) },
      ({ u }) => scan((c: Tensor, uk: Tensor) => [add(c, cos(uk)), null], constant(0), u, { reverse: true })[0],
    );
    const o = optimizeGraph(g);
    expect(count(o, 'scan')).toBe(0);
    expect(maxRelErr(o, g, { u: randomArray(11, rng(14)) })).toBeLessThanOrEqual(1e-12);
  });
});

describe('scan-to-reduce leaves other scans alone', () => {
  const cases: Array<[string, Graph, Record<string, unknown>]> = [
    [
      'stacked ys',
      trace({ u: f64(['K']) }, ({ u }) => {
        const [c, ys] = scan((c: Tensor, uk: Tensor) => [add(c, uk), c], constant(0), u);
        return { c, ys: ys as Tensor };
      }),
      { u: [1, 2, 3, 4] },
    ],
    [
      'a product carry',
      trace({ u: f64(['K']) }, ({ u }) => scan((c: Tensor, uk: Tensor) => [mul(c, uk), null], constant(1), u)[0]),
      { u: [1, 2, 3, 4] },
    ],
    [
      'a term that reads the carry',
      trace(
        { u: f64(['K']) },
        ({ u }) => scan((c: Tensor, uk: Tensor) => [add(c, mul(c, uk)), null], constant(1), u)[0],
      ),
      { u: [0.5, 2, -1, 3] },
    ],
    [
      'two carries',
      trace({ u: f64(['K']) }, ({ u }) => {
        const [cs] = scan(
          (cs: readonly Tensor[], uk: Tensor) => [[add(cs[0]!, uk), add(cs[1]!, mul(uk, uk))], null],
          [constant(0), constant(0)],
          u,
        );
        const [a, b] = cs as Tensor[];
        return { a: a!, b: b! };
      }),
      { u: [1, 2, 3] },
    ],
    [
      'no xs (length option)',
      trace({ c0: f64([]) }, ({ c0 }) => {
        const [c, ys] = scan((c: Tensor) => [add(c, 2), c], c0, null, { length: 4 });
        return { c, ys: ys as Tensor };
      }),
      { c0: [1] },
    ],
    [
      'a term independent of x',
      trace(
        { u: f64(['K']), w: f64([]) },
        ({ u, w }) => scan((c: Tensor, _uk: Tensor) => [add(c, w), null], constant(0), u)[0],
      ),
      { u: [9, 9, 9], w: [0.25] },
    ],
  ];
  test.each(cases)('%s: the scan stays and the values are unchanged', (_name, g, inp) => {
    const r = scanToReduce(g);
    expect(count(r, 'scan')).toBe(1);
    expect(maxRelErr(optimizeGraph(g), g, inp)).toBeLessThanOrEqual(1e-12);
  });
});
