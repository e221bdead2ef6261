// Pass: algebraic simplification to a canonical form, so that equivalent programs (TS API or index
// notation, 2*pi or 6.28…) become the same graph:
//  - constant folding of scalar unary/binary ops;
//  - reshapes that only add or drop literal-1 axes, followed by a broadcast, become one broadcast;
//  - broadcast∘broadcast and reshape∘reshape compose; identity broadcasts/reshapes vanish;
//  - x*1, x+0, x/1 with a scalar constant vanish (when the shape is unchanged).
import { Node } from '../ir/graph.ts';
import { shapesEqual, type Shape } from '../ir/size.ts';
import type { Graph } from '../ir/graph.ts';
import { rewriteGraph } from './rewrite.ts';
import { UNARY_F64 } from '../../backends/common/math.js';

const isOne = (d: { constValue(): number | undefined }): boolean => d.constValue() === 1;

/** For a reshape that only inserts/removes literal-1 axes: input axis → output axis (or undefined). */
function unitAxisMap(from: Shape, to: Shape): number[] | undefined {
  const map: number[] = [];
  let j = 0;
  for (let i = 0; i < from.length; i++) {
    if (isOne(from[i]!)) {
      map.push(-1);
      continue;
    }
    while (j < to.length && isOne(to[j]!) && !from[i]!.equals(to[j]!)) j++;
    if (j >= to.length || !from[i]!.equals(to[j]!)) return undefined;
    map.push(j++);
  }
  // Remaining output axes must all be unit axes.
  for (; j < to.length; j++) if (!isOne(to[j]!)) return undefined;
  return map;
}

function constOf(n: Node): number | undefined {
  return n.op.kind === 'const'
    ? n.op.value
    : n.op.kind === 'broadcast' && n.inputs[0]!.op.kind === 'const'
      ? n.inputs[0]!.op.value
      : undefined;
}

function fold(fn: string, a: number, b: number): number | undefined {
  switch (fn) {
    case 'add':
      return a + b;
    case 'sub':
      return a - b;
    case 'mul':
      return a * b;
    case 'div':
      return a / b;
    case 'pow':
      return Math.pow(a, b);
    default:
      return undefined;
  }
}

function simplifyNode(n: Node): Node | undefined {
  const op = n.op;
  const [a, b] = n.inputs;
  switch (op.kind) {
    case 'binary': {
      if (n.dtype !== 'f64' && n.dtype !== 'f32') return undefined;
      if (a!.op.kind === 'const' && b!.op.kind === 'const' && n.rank === 0) {
        const v = fold(op.fn, a!.op.value, b!.op.value);
        if (v !== undefined)
          return new Node({ kind: 'const', value: n.dtype === 'f32' ? Math.fround(v) : v }, [], [], n.dtype, n.loc);
      }
      // Broadcasts of two scalar constants fold too: bcast(c1) op bcast(c2) → bcast(c1 op c2).
      const ca = constOf(a!),
        cb = constOf(b!);
      if (ca !== undefined && cb !== undefined && n.rank > 0) {
        const v = fold(op.fn, ca, cb);
        if (v !== undefined) {
          const c = new Node({ kind: 'const', value: v }, [], [], n.dtype, n.loc);
          return new Node({ kind: 'broadcast', axes: [] }, [c], n.shape, n.dtype, n.loc);
        }
      }
      if (
        (op.fn === 'mul' && cb === 1) ||
        ((op.fn === 'add' || op.fn === 'sub') && cb === 0) ||
        (op.fn === 'div' && cb === 1)
      )
        return a;
      if ((op.fn === 'mul' && ca === 1) || (op.fn === 'add' && ca === 0)) return b;
      return undefined;
    }
    case 'unary': {
      if (a!.op.kind !== 'const' || (n.dtype !== 'f64' && n.dtype !== 'f32')) return undefined;
      const f = UNARY_F64[op.fn];
      if (!f) return undefined;
      const v = f(a!.op.value);
      return new Node({ kind: 'const', value: n.dtype === 'f32' ? Math.fround(v) : v }, [], [], n.dtype, n.loc);
    }
    case 'reshape': {
      if (shapesEqual(a!.shape, n.shape)) return a;
      if (a!.op.kind === 'reshape') return new Node(op, [a!.inputs[0]!], n.shape, n.dtype, n.loc);
      return undefined;
    }
    case 'broadcast': {
      if (shapesEqual(a!.shape, n.shape) && op.axes.every((x, i) => x === i)) return a;
      // Drop stretched unit axes of the input by looking through a unit-axis reshape.
      if (a!.op.kind === 'reshape') {
        const src = a!.inputs[0]!;
        const m = unitAxisMap(src.shape, a!.shape);
        if (m) {
          const axes = m.flatMap((j) => (j < 0 ? [] : [op.axes[j]!]));
          const srcKept = src.shape.filter((d) => !isOne(d));
          if (srcKept.length === src.rank) return new Node({ kind: 'broadcast', axes }, [src], n.shape, n.dtype, n.loc);
        }
      }
      if (a!.op.kind === 'broadcast') {
        const inner = a!.op.axes;
        return new Node(
          { kind: 'broadcast', axes: inner.map((j) => op.axes[j]!) },
          [a!.inputs[0]!],
          n.shape,
          n.dtype,
          n.loc,
        );
      }
      return undefined;
    }
    case 'transpose':
      if (op.perm.every((p, i) => p === i)) return a;
      return undefined;
    default:
      return undefined;
  }
}

export function simplify(g: Graph): Graph {
  return rewriteGraph(g, (n) => simplifyNode(n));
}
