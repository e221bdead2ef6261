// Index ranges inferred from use: an i32 kernel input that is used directly (through reshape, broadcast or
// transpose only — no arithmetic) as an index of a gather or scatterAdd must hold values inside the axis it
// indexes, or the compiled code reads (or writes) outside its buffer — on JS, the shared arena, i.e. other
// buffers' data. Each such use gives a range [lo, E) (lo = 0 for a gather, −1 for a scatterAdd, which skips −1)
// that every call checks like a declared one (backends/common/plan.js); several uses must all hold.
// Inferred on the traced graph, before any pass rewrites the gathers away.
import { topoOrder, type Node, type ParamDecl } from './graph.ts';
import type { Size } from './size.ts';

/** One use of an input as an index: values must lie in [lo, hi); `use` says where the requirement comes from. */
export interface IndexUse {
  readonly lo: number;
  readonly hi: Size;
  readonly use: string;
}

/** Ops that move an input's values without changing them (every value stays, none is computed). */
const MOVES: ReadonlySet<string> = new Set(['reshape', 'broadcast', 'transpose']);

/** The kernel parameter whose values `n` holds unchanged, if any. */
function directParam(n: Node): string | undefined {
  while (MOVES.has(n.op.kind)) n = n.inputs[0]!;
  return n.op.kind === 'param' ? n.op.name : undefined;
}

const shapeText = (s: readonly Size[]): string => `(${s.join(', ')})`;

/** Parameter name → its uses as an index (only i32 array parameters used directly; de-duplicated by range). */
function inferIndexUses(params: readonly ParamDecl[], outputs: readonly Node[]): Map<string, IndexUse[]> {
  const ints = new Set(
    params.filter((p) => p.kind.kind === 'array' && p.kind.dtype === 'i32' && p.node).map((p) => p.name),
  );
  const uses = new Map<string, IndexUse[]>();
  const add = (name: string | undefined, u: IndexUse) => {
    if (name === undefined || !ints.has(name)) return;
    const list = uses.get(name) ?? [];
    if (!list.some((v) => v.lo === u.lo && v.hi.toString() === u.hi.toString())) list.push(u);
    uses.set(name, list);
  };
  for (const n of topoOrder(outputs)) {
    if (n.op.kind === 'gather') {
      const x = n.inputs[0]!;
      n.inputs.slice(1).forEach((ix, ax) =>
        add(directParam(ix), {
          lo: 0,
          hi: x.shape[ax]!,
          use: `its use as the axis-${ax} index of a gather from shape ${shapeText(x.shape)}`,
        }),
      );
    } else if (n.op.kind === 'scatterAdd') {
      n.inputs.slice(1).forEach((ix, ax) =>
        add(directParam(ix), {
          lo: -1,
          hi: n.shape[ax]!,
          use: `its use as the axis-${ax} index of a scatterAdd into shape ${shapeText(n.shape)} (−1 skips)`,
        }),
      );
    }
  }
  return uses;
}

/** The parameters with their inferred index uses attached (ParamKind.indexUses); the others unchanged. */
export function withIndexUses(params: readonly ParamDecl[], outputs: readonly Node[]): ParamDecl[] {
  const uses = inferIndexUses(params, outputs);
  return params.map((p) =>
    p.kind.kind === 'array' && uses.has(p.name) ? { ...p, kind: { ...p.kind, indexUses: uses.get(p.name)! } } : p,
  );
}
