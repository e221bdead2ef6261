// Pass: common-subexpression elimination by hash-consing (op, attributes, inputs, type).
import type { Graph, Node } from '../ir/graph.ts';
import { shapeToString } from '../ir/size.ts';
import { rewriteGraph } from './rewrite.ts';

function key(n: Node, ids: Map<Node, number>): string | undefined {
  const op = n.op;
  if (op.kind === 'param' || op.kind === 'scan') return undefined; // params are identities; scans are kept whole
  // Numbers by String() (JSON would merge ±Infinity and NaN into null, and −0 into 0).
  const attrs = JSON.stringify(op, (_k, v) =>
    typeof v === 'number'
      ? Object.is(v, -0)
        ? '-0'
        : String(v)
      : v && typeof v === 'object' && 'terms' in v
        ? String(v)
        : v,
  );
  return `${attrs}|${n.inputs.map((i) => ids.get(i)).join(',')}|${n.dtype}${shapeToString(n.shape)}`;
}

export function cse(g: Graph): Graph {
  const table = new Map<string, Node>();
  const ids = new Map<Node, number>();
  let next = 0;
  return rewriteGraph(g, (n) => {
    if (!ids.has(n)) {
      const k = key(n, ids);
      const hit = k !== undefined ? table.get(k) : undefined;
      if (hit) return hit;
      if (k !== undefined) table.set(k, n);
      ids.set(n, next++);
    }
    return undefined;
  });
}
