// Test helpers for the index notation: a canonical printer that compares graphs by structure (op,
// attributes, dtype, shape, inputs; not ids or locations), with optional folding of scalar constants,
// and parameter tensors to stand for kernel inputs.
import { Node, type DType } from '../../compiler/ir/graph.ts';
import { Size, shapeOf, type SizeLike } from '../../compiler/ir/size.ts';
import { Tensor } from '../../dsl/tensor.ts';

export const param = (name: string, shape: readonly SizeLike[], dtype: DType = 'f64'): Tensor =>
  new Tensor(new Node({ kind: 'param', name }, [], shapeOf(shape), dtype));

const attr = (v: unknown): string => {
  if (v instanceof Size) return v.toString();
  if (Array.isArray(v)) return `[${v.map(attr).join(',')}]`;
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  return String(v);
};

const floorMod = (a: number, b: number): number => a - Math.floor(a / b) * b;
const FOLD: Record<string, (a: number, b: number) => number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: (a, b) => a ** b,
  mod: floorMod,
  min: Math.min,
  max: Math.max,
};
const FOLD1: Record<string, (a: number) => number> = {
  neg: (a) => -a,
  cos: Math.cos,
  sin: Math.sin,
  exp: Math.exp,
  log: Math.log,
  sqrt: Math.sqrt,
  abs: Math.abs,
  floor: Math.floor,
};

/**
 * One line per node, numbered in first-visit (post-)order from the root:
 * `%3 = binary fn=mul f64(M, M, K) <- %1 %2`. With fold, rank-0 f64 arithmetic on constants becomes a constant.
 */
export function canon(root: Tensor | Node, opts: { fold?: boolean } = {}): string {
  const numbers = new Map<Node, number>();
  const folded = new Map<Node, number | undefined>();
  const lines: string[] = [];
  const constOf = (n: Node): number | undefined => {
    if (!opts.fold || n.rank !== 0 || n.dtype !== 'f64') return undefined;
    if (folded.has(n)) return folded.get(n);
    let v: number | undefined;
    if (n.op.kind === 'const') v = n.op.value;
    else if (n.op.kind === 'binary' && FOLD[n.op.fn]) {
      const [a, b] = n.inputs.map(constOf);
      if (a !== undefined && b !== undefined) v = FOLD[n.op.fn]!(a, b);
    } else if (n.op.kind === 'unary' && FOLD1[n.op.fn]) {
      const a = constOf(n.inputs[0]!);
      if (a !== undefined) v = FOLD1[n.op.fn]!(a);
    }
    folded.set(n, v);
    return v;
  };
  const visit = (n: Node): number => {
    const seen = numbers.get(n);
    if (seen !== undefined) return seen;
    const c = constOf(n);
    let text: string;
    if (c !== undefined) text = `const value=${attr(c)}`;
    else {
      const ins = n.inputs.map(visit);
      const attrs = Object.entries(n.op)
        .filter(([k]) => k !== 'kind')
        .map(([k, v]) => `${k}=${attr(v)}`);
      text = [n.op.kind, ...attrs].join(' ') + (ins.length ? ` <- ${ins.map((i) => `%${i}`).join(' ')}` : '');
    }
    const id = numbers.size;
    numbers.set(n, id);
    lines.push(`%${id} = ${text} : ${n.dtype}(${n.shape.map(String).join(', ')})`);
    return id;
  };
  visit(root instanceof Tensor ? root.node : root);
  return lines.join('\n');
}

/** All nodes reachable from root. */
export function nodesOf(root: Tensor): Node[] {
  const seen = new Set<Node>();
  const go = (n: Node): void => {
    if (seen.has(n)) return;
    seen.add(n);
    n.inputs.forEach(go);
  };
  go(root.node);
  return [...seen];
}
