// Bottom-up graph rewriting shared by the passes: rebuild each node from its (rewritten) inputs,
// letting a rule replace it. Nodes are immutable, so a pass returns a new graph.
import { Node, type Graph, type Op } from '../ir/graph.ts';

export type Rule = (n: Node, inputs: readonly Node[]) => Node | undefined;

/** Same op, new inputs (keeps shape, dtype and source position). */
export function withInputs(n: Node, inputs: readonly Node[], op: Op = n.op): Node {
  if (op === n.op && inputs.length === n.inputs.length && inputs.every((x, i) => x === n.inputs[i])) return n;
  return new Node(op, inputs, n.shape, n.dtype, n.loc);
}

/**
 * `memo` is shared with the bodies of scans: a node a scan body closes over (a kernel parameter, an
 * outer value) is rewritten once, so the body keeps referring to the very node the outer graph has.
 */
export function rewriteGraph(g: Graph, rule: Rule, memo = new Map<Node, Node>()): Graph {
  const visit = (root: Node): Node => {
    const stack: Node[] = [root];
    while (stack.length) {
      const n = stack[stack.length - 1]!;
      if (memo.has(n)) {
        stack.pop();
        continue;
      }
      const pending = n.inputs.filter((i) => !memo.has(i));
      if (pending.length) {
        stack.push(...pending);
        continue;
      }
      stack.pop();
      const inputs = n.inputs.map((i) => memo.get(i)!);
      let op = n.op;
      if (op.kind === 'scan') op = { ...op, body: rewriteGraph(op.body, rule, memo) };
      // Apply the rule until it settles, so one pass reaches a fixpoint locally.
      let cur = withInputs(n, inputs, op);
      for (let guard = 0; guard < 16; guard++) {
        const next = rule(cur, cur.inputs);
        if (!next || next === cur) break;
        cur = next;
      }
      memo.set(n, cur);
    }
    return memo.get(root)!;
  };
  return {
    ...g,
    params: g.params.map((p) => (p.node ? { ...p, node: visit(p.node) } : p)),
    outputs: g.outputs.map((o) => ({ ...o, node: visit(o.node) })),
  };
}
