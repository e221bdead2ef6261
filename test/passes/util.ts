// Helpers for the pass tests: structural queries over a graph (outer level, or including scan bodies)
// and running a graph on inputs through the reference interpreter.
import { interpret } from '../../backends/reference/interpret.ts';
import { topoOrder, type Graph, type Node } from '../../compiler/ir/graph.ts';
import { relErr } from '../helpers/random.ts';

/** Every node reachable from the outputs; with `deep`, also the nodes of scan bodies. */
export function nodesOf(g: Graph, deep = false): Node[] {
  const out: Node[] = [];
  for (const n of topoOrder(g.outputs.map((o) => o.node))) {
    out.push(n);
    if (deep && n.op.kind === 'scan') out.push(...nodesOf(n.op.body, true));
  }
  return out;
}
/** A short label per node: kind, plus fn for unary/binary/reduce. */
export const label = (n: Node): string => ('fn' in n.op ? `${n.op.kind}:${n.op.fn}` : n.op.kind);
/** How many nodes carry this label (e.g. 'const', 'binary:mul', 'reduce:sum'). */
export const count = (g: Graph, l: string, deep = false): number =>
  nodesOf(g, deep).filter((n) => label(n) === l).length;
export const outputNode = (g: Graph, name?: string): Node =>
  (name ? g.outputs.find((o) => o.name === name)! : g.outputs[0]!).node;

/** All outputs as plain arrays, keyed by output name. */
export function runAll(g: Graph, inputs: Record<string, unknown>): Record<string, Float64Array> {
  const r = interpret(g, inputs);
  return r instanceof Float64Array ? { [g.outputs[0]!.name]: r } : r;
}
/** Largest relative error over the outputs of two graphs on the same inputs (Infinity if names differ). */
export function maxRelErr(a: Graph, b: Graph, inputs: Record<string, unknown>): number {
  const ra = runAll(a, inputs),
    rb = runAll(b, inputs);
  const names = Object.keys(rb);
  if (Object.keys(ra).join() !== names.join()) return Infinity;
  return Math.max(...names.map((k) => relErr(ra[k]!, rb[k]!)));
}
