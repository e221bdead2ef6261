// Binding size symbols from a kernel's inputs, for the reference interpreter and tests. The one
// implementation lives in backends/common/plan.js, which generated modules use at run time.
import { bindSizes as bindParams } from '../../backends/common/plan.js';
import type { Graph } from './graph.ts';
import type { Size } from './size.ts';

export function paramInfo(g: Graph) {
  return g.params.map((p) => ({
    name: p.name,
    kind: p.kind.kind,
    dtype: p.kind.kind === 'sizes' ? undefined : p.kind.dtype,
    shape: p.kind.kind === 'array' ? p.kind.shape.map((d) => d.toTerms()) : undefined,
    names: p.kind.kind === 'sizes' ? [...p.kind.names] : undefined,
    range: p.kind.kind === 'array' && p.kind.range ? p.kind.range.map(([lo, hi]) => [lo.toTerms(), hi.toTerms()] as [ReturnType<Size['toTerms']>, ReturnType<Size['toTerms']>]) : undefined,
  }));
}

export function bindSizes(g: Graph, inputs: Readonly<Record<string, unknown>>): Record<string, number> {
  return bindParams(g.name, paramInfo(g), inputs as Record<string, unknown>, { allowArrays: true });
}
