// Graph pass: −Σ x becomes Σ (−x) when the sum has no other user, so the negation fuses into the
// reduction's summand instead of costing a stage of its own (the DFT's im = −Σ_i I_i sin φ_ik). Exact:
// negation commutes with round-to-nearest, so every partial sum is the exact negative of the original
// (compensated sums too). Other unary functions of a reduction's result are not moved (f(Σx) ≠ Σ f(x)).
import { Node, topoOrder, usersOf, type Graph } from '../ir/graph.ts';
import { rewriteGraph } from './rewrite.ts';

export function negIntoSum(g: Graph): Graph {
  const roots = g.outputs.map((o) => o.node);
  const users = usersOf(roots);
  const outputs = new Set(roots);
  // Only sums of the graph as it came in (a rewritten input is a new node and not in `users`).
  const movable = new Set(
    topoOrder(roots).filter(
      (n) =>
        n.op.kind === 'reduce' &&
        n.op.fn === 'sum' &&
        !outputs.has(n) &&
        users.get(n)?.length === 1 &&
        users.get(n)![0]!.op.kind === 'unary' &&
        (users.get(n)![0]!.op as { fn: string }).fn === 'neg',
    ),
  );
  if (movable.size === 0) return g;
  return rewriteGraph(g, (n) => {
    const s = n.inputs[0];
    if (n.op.kind !== 'unary' || n.op.fn !== 'neg' || !s || !movable.has(s)) return undefined;
    const x = s.inputs[0]!;
    const negX = new Node({ kind: 'unary', fn: 'neg' }, [x], x.shape, x.dtype, n.loc);
    return new Node(s.op, [negX], s.shape, s.dtype, s.loc);
  });
}
