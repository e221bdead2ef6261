// Pass: a scan whose only carry is updated as carry' = carry + g(x_t) (g independent of the carry)
// and which stacks no outputs is a sum: init + Σ_t g(x_t). Rewriting it lets fusion and the memory
// planner treat the talk's lax.scan W̃ exactly like the broadcast-and-sum form.
// g is vectorised over the scan axis (a leading axis) for the ops where that is mechanical.
import { Node, topoOrder, type Graph } from '../ir/graph.ts';
import { Size } from '../ir/size.ts';
import { rewriteGraph } from './rewrite.ts';

/** g(x_t) for all t at once: every node gets a leading axis of size L; undefined if unsupported. */
function vectorise(root: Node, xs: Map<Node, Node>, carry: Node, L: Size): Node | undefined {
  const memo = new Map<Node, Node | 'invariant'>();
  for (const [p, x] of xs) memo.set(p, x);
  for (const n of topoOrder([root])) {
    if (memo.has(n)) continue;
    if (n === carry) return undefined;
    const ins = n.inputs.map((i) => memo.get(i) ?? 'invariant');
    // Anything not reached from xs (outer parameters and values the body closes over) is loop-invariant.
    if (ins.every((i) => i === 'invariant')) {
      memo.set(n, 'invariant');
      continue;
    }
    const shape = [L, ...n.shape];
    // Lift an invariant input to the leading axis by broadcasting.
    const lifted = ins.map((v, k) => {
      if (v !== 'invariant') return v;
      const src = n.inputs[k]!;
      return new Node(
        { kind: 'broadcast', axes: src.shape.map((_, a) => a + 1) },
        [src],
        [L, ...src.shape],
        src.dtype,
        src.loc,
      );
    });
    const op = n.op;
    switch (op.kind) {
      case 'unary':
      case 'binary':
      case 'where':
      case 'cast':
        memo.set(n, new Node(op, lifted, shape, n.dtype, n.loc));
        break;
      case 'broadcast':
        memo.set(
          n,
          new Node({ kind: 'broadcast', axes: [0, ...op.axes.map((a) => a + 1)] }, lifted, shape, n.dtype, n.loc),
        );
        break;
      case 'reshape':
        memo.set(n, new Node(op, lifted, shape, n.dtype, n.loc));
        break;
      case 'reduce':
        memo.set(
          n,
          new Node({ kind: 'reduce', fn: op.fn, axes: op.axes.map((a) => a + 1) }, lifted, shape, n.dtype, n.loc),
        );
        break;
      default:
        return undefined;
    }
  }
  const r = memo.get(root);
  return r === undefined || r === 'invariant' ? undefined : r;
}

export function scanToReduce(g: Graph): Graph {
  return rewriteGraph(g, (n) => {
    if (n.op.kind !== 'result' || n.inputs[0]!.op.kind !== 'scan') return undefined;
    const scan = n.inputs[0]!;
    if (scan.op.kind !== 'scan' || scan.op.nCarry !== 1 || scan.op.results.length !== 1) return undefined;
    const body = scan.op.body;
    const carryParam = body.params[0]!.node!;
    const upd = body.outputs[0]!.node;
    if (upd.op.kind !== 'binary' || upd.op.fn !== 'add') return undefined;
    const [l, r] = upd.inputs as [Node, Node];
    const term = l === carryParam ? r : r === carryParam ? l : undefined;
    if (!term) return undefined;
    const xs = new Map<Node, Node>();
    body.params.slice(1).forEach((p, i) => xs.set(p.node!, scan.inputs[1 + i]!));
    if (xs.size === 0) return undefined;
    const L = scan.inputs[1]!.shape[0]!;
    const stacked = vectorise(term, xs, carryParam, L);
    if (!stacked) return undefined;
    const total = new Node({ kind: 'reduce', fn: 'sum', axes: [0] }, [stacked], term.shape, term.dtype, scan.loc);
    return new Node({ kind: 'binary', fn: 'add' }, [scan.inputs[0]!, total], n.shape, n.dtype, scan.loc);
  });
}
