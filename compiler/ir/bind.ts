// Binding size symbols from a kernel's inputs, for the reference interpreter and tests. The one
// implementation lives in backends/common/plan.js, which generated modules use at run time.
import { bindSizes as bindParams } from '../../backends/common/plan.js';
import type { Graph, ParamKind } from './graph.ts';
import type { Size } from './size.ts';

type Terms = ReturnType<Size['toTerms']>;

/** The values an i32 parameter may hold, for the run-time check: `bounds` are [0, bound) per column. */
function range(k: ParamKind): [Terms, Terms][] | undefined {
  if (k.kind !== 'array') return undefined;
  if (k.range) return k.range.map(([lo, hi]) => [lo.toTerms(), hi.toTerms()]);
  if (k.bounds) return k.bounds.map((b) => [[], [[1, b]]]);
  return undefined;
}

/**
 * Ranges inferred from the parameter's direct use as an index (compiler/ir/index_ranges.ts), less those its
 * declared range already states (the same [lo, hi) for every element). A declared range wider than a use's stays
 * checked as declared, and the narrower inferred one is checked too: the use needs it.
 */
function indexRanges(k: ParamKind): { range: [Terms, Terms]; use: string }[] | undefined {
  if (k.kind !== 'array' || !k.indexUses?.length) return undefined;
  const declared = (range(k) ?? []).map((r) => JSON.stringify(r));
  const inferred = k.indexUses
    .map((u) => ({ range: [u.lo === 0 ? [] : [[u.lo]], u.hi.toTerms()] as [Terms, Terms], use: u.use }))
    .filter((u) => !(declared.length > 0 && declared.every((d) => d === JSON.stringify(u.range))));
  return inferred.length ? inferred : undefined;
}

export function paramInfo(g: Graph) {
  return g.params.map((p) => ({
    name: p.name,
    kind: p.kind.kind,
    dtype: p.kind.kind === 'sizes' ? undefined : p.kind.dtype,
    shape: p.kind.kind === 'array' ? p.kind.shape.map((d) => d.toTerms()) : undefined,
    names: p.kind.kind === 'sizes' ? [...p.kind.names] : undefined,
    ...(range(p.kind) ? { range: range(p.kind) } : {}),
    ...(indexRanges(p.kind) ? { indexRanges: indexRanges(p.kind) } : {}),
    ...(p.kind.kind === 'array' && p.kind.min !== undefined ? { min: p.kind.min } : {}),
  }));
}

export function bindSizes(g: Graph, inputs: Readonly<Record<string, unknown>>): Record<string, number> {
  return bindParams(g.name, paramInfo(g), inputs as Record<string, unknown>, { allowArrays: true });
}
