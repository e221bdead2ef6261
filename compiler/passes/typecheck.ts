// Pass: re-derive every node's shape and dtype with the shared rules and compare with what it
// claims — a guard that rewrites keep the graph well-typed.
import { topoOrder, type Graph } from '../ir/graph.ts';
import { inferResult } from '../ir/infer.ts';
import { shapeToString, shapesEqual } from '../ir/size.ts';
import { LenscError } from '../ir/source.ts';

const SELF_TYPED = new Set(['param', 'size', 'const', 'iota', 'cast', 'scan', 'result']);

export function typecheck(g: Graph): Graph {
  for (const n of topoOrder(g.outputs.map((o) => o.node))) {
    if (n.op.kind === 'scan') typecheck(n.op.body);
    if (SELF_TYPED.has(n.op.kind)) continue;
    const attr = ['broadcast', 'reshape', 'slice', 'scatterAdd'].includes(n.op.kind) ? n.shape : undefined;
    const r = inferResult(n.op, n.inputs, attr, n.loc);
    if (!shapesEqual(r.shape, n.shape) || r.dtype !== n.dtype) {
      throw new LenscError(
        n.op.kind,
        `internal: node typed ${n.dtype}${shapeToString(n.shape)} but its inputs give ${r.dtype}${shapeToString(r.shape)}`,
        n.loc,
      );
    }
  }
  return g;
}
