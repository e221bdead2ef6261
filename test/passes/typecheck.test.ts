// typecheck: re-derives every node's type with the shared rules; a well-typed graph passes through
// unchanged (the same object), a node whose recorded type contradicts its inputs is reported.
import { describe, expect, test } from 'vitest';
import { Node, type Graph } from '../../compiler/ir/graph.ts';
import { Size } from '../../compiler/ir/size.ts';
import { LenscError } from '../../compiler/ir/source.ts';
import { typecheck } from '../../compiler/passes/typecheck.ts';
import { optimizeGraph } from '../../compiler/pipeline.ts';
import {
  add,
  cholesky,
  concat,
  constant,
  cos,
  f64,
  gather,
  i32,
  kernel,
  matmul,
  mul,
  scan,
  scatterAdd,
  sizes,
  sum,
  take,
  triSolve,
  where,
  type Tensor,
} from '../../dsl/index.ts';

const wellTyped = kernel({
  name: 'wellTyped',
  params: {
    a: f64(['M', 'K']),
    b: f64(['K', 'N']),
    v: f64(['M']),
    t: f64([3, 4]),
    i: i32(['P']),
    n: sizes(['M', 'K', 'N', 'P', 'S']),
  },
  body: ({ a, b, v, t, i }) => {
    const ab = matmul(a, b);
    const l = cholesky(matmul(a, a, { transB: true }));
    const [c, ys] = scan((c: Tensor, row: Tensor) => [add(c, cos(row)), sum(row)], constant(0, 'f64', ['K']), a);
    return {
      ab,
      l: triSolve(l, ab, { transpose: true }),
      c,
      ys: ys as Tensor,
      g: gather(t, [take(i, i).mod(3), 1]),
      s: scatterAdd(['S'], [i], mul(where(i.gt(0), 1.5, 2), 1)),
      cat: concat([v, v.mul(2)]),
    };
  },
});

describe('typecheck', () => {
  test('a well-typed graph (with a scan body) passes through as the same object', () => {
    const g = wellTyped.graph();
    expect(typecheck(g)).toBe(g);
  });

  test('the optimized graph is still well typed', () => {
    const o = optimizeGraph(wellTyped.graph());
    expect(typecheck(o)).toBe(o);
  });

  test('a node whose recorded shape contradicts its inputs is an internal LenscError', () => {
    const x = new Node({ kind: 'param', name: 'x' }, [], [Size.sym('M')], 'f64');
    const bad = new Node({ kind: 'unary', fn: 'cos' }, [x], [Size.sym('K')], 'f64', {
      file: 'probe.ts',
      line: 3,
      col: 7,
    });
    const g: Graph = {
      name: 'bad',
      params: [{ name: 'x', kind: { kind: 'array', dtype: 'f64', shape: x.shape }, node: x }],
      outputs: [{ name: 'r', node: bad }],
      singleOutput: true,
    };
    let err: unknown;
    try {
      typecheck(g);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(LenscError);
    expect((err as LenscError).message).toBe(
      'probe.ts:3:7: unary: internal: node typed f64(K) but its inputs give f64(M)',
    );
  });

  test('a wrong dtype inside a scan body is found too', () => {
    const g = kernel({
      name: 'ok',
      params: { u: f64(['K']) },
      body: ({ u }) => scan((c: Tensor, x: Tensor) => [add(c, x), null], constant(0), u)[0],
    }).graph();
    const scanNode = g.outputs[0]!.node.inputs[0]!;
    if (scanNode.op.kind !== 'scan') throw new Error('expected a scan');
    const body = scanNode.op.body;
    const [c, x] = body.params.map((p) => p.node!);
    const wrong = new Node({ kind: 'binary', fn: 'add' }, [c!, x!], [], 'i32');
    const badBody: Graph = { ...body, outputs: [{ name: 'carry0', node: wrong }] };
    const badScan = new Node({ ...scanNode.op, body: badBody }, scanNode.inputs, scanNode.shape, scanNode.dtype);
    const res = new Node({ kind: 'result', index: 0 }, [badScan], [], 'f64');
    expect(() => typecheck({ ...g, outputs: [{ name: 'result', node: res }] })).toThrow(
      /binary: internal: node typed i32\(\) but its inputs give f64\(\)/,
    );
  });
});
