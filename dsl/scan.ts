// scan(body, init, xs): JAX lax.scan semantics. The body is traced once into a sub-graph whose
// params are the carry and one slice of each xs; the results are the final carry and the stacked ys.
import { Node, type Graph, type ResultType } from '../compiler/ir/graph.ts';
import { Size, shapeToString, shapesEqual, type SizeLike } from '../compiler/ir/size.ts';
import { LenscError } from '../compiler/ir/source.ts';
import { Tensor } from './tensor.ts';
import { currentLoc, rawNode, withLoc } from './trace.ts';

type Many = Tensor | readonly Tensor[];
const list = (x: Many | null | undefined): Tensor[] => (x == null ? [] : x instanceof Tensor ? [x] : [...x]);

export interface ScanOptions {
  length?: SizeLike;
  reverse?: boolean;
}

export function scan<C extends Many>(
  body: (carry: C, x: any) => readonly [C, Many | null | undefined],
  init: C,
  xs: Many | null,
  opts: ScanOptions = {},
): [C, Many | null] {
  const loc = currentLoc();
  const inits = list(init),
    xList = list(xs);
  let length = opts.length !== undefined ? Size.of(opts.length) : xList[0]?.shape[0];
  if (!length) throw new LenscError('scan', 'needs xs or options.length', loc);
  for (const x of xList) {
    if (x.rank === 0 || !x.shape[0]!.equals(length)) {
      throw new LenscError(
        'scan',
        `every xs must have leading axis ${length}, got ${x.dtype}${shapeToString(x.shape)}`,
        loc,
      );
    }
  }
  const carryParams = inits.map((c, i) => new Node({ kind: 'param', name: `carry${i}` }, [], c.shape, c.dtype, loc));
  const xParams = xList.map((x, i) => new Node({ kind: 'param', name: `x${i}` }, [], x.shape.slice(1), x.dtype, loc));
  const wrap = (ns: Node[], like: Many): any =>
    like instanceof Tensor ? new Tensor(ns[0]!) : ns.map((n) => new Tensor(n));
  const xArg = xs == null ? undefined : wrap(xParams, xs);
  const [newCarry, ys] = body(wrap(carryParams, init), xArg);
  const outs = list(newCarry),
    yList = list(ys);
  if (outs.length !== inits.length)
    throw new LenscError('scan', `body returned ${outs.length} carries, expected ${inits.length}`, loc);
  outs.forEach((c, i) => {
    const c0 = inits[i]!;
    if (!shapesEqual(c.shape, c0.shape) || c.dtype !== c0.dtype) {
      throw new LenscError(
        'scan',
        `the body changes carry ${i} from ${c0.dtype}${shapeToString(c0.shape)} to ${c.dtype}${shapeToString(c.shape)}`,
        loc,
      );
    }
  });
  const bodyGraph: Graph = {
    name: 'scanBody',
    params: [...carryParams, ...xParams].map((n) => ({
      name: (n.op as { name: string }).name,
      kind: { kind: 'array', dtype: n.dtype, shape: n.shape },
      node: n,
    })),
    outputs: [...outs, ...yList].map((t, i) => ({
      name: i < outs.length ? `carry${i}` : `y${i - outs.length}`,
      node: t.node,
    })),
    singleOutput: false,
    loc,
  };
  const results: ResultType[] = [
    ...inits.map((c) => ({ shape: c.shape, dtype: c.dtype })),
    ...yList.map((y) => ({ shape: [length!, ...y.shape], dtype: y.dtype })),
  ];
  return withLoc(loc, () => {
    const node = rawNode(
      { kind: 'scan', body: bodyGraph, nCarry: inits.length, reverse: !!opts.reverse, length: length!, results },
      [...inits, ...xList].map((t) => t.node),
      [],
      'f64',
    );
    const res = results.map((r, i) => new Tensor(rawNode({ kind: 'result', index: i }, [node], r.shape, r.dtype)));
    const carryOut = init instanceof Tensor ? res[0]! : res.slice(0, inits.length);
    const ysOut = ys == null ? null : ys instanceof Tensor ? res[inits.length]! : res.slice(inits.length);
    return [carryOut as C, ysOut];
  });
}
