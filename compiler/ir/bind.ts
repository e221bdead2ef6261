// Binding size symbols from a kernel's inputs, for the reference interpreter and tests. The one
// implementation lives in backends/common/plan.js, which generated modules use at run time.
import { bindSizes as bindParams } from '../../backends/common/plan.js';
import type { Graph } from './graph.ts';

export function paramInfo(g: Graph) {
  return g.params.map((p) => ({
    name: p.name,
    kind: p.kind.kind,
    dtype: p.kind.kind === 'sizes' ? undefined : p.kind.dtype,
    shape: p.kind.kind === 'array' ? p.kind.shape.map((d) => d.toTerms()) : undefined,
    names: p.kind.kind === 'sizes' ? [...p.kind.names] : undefined,
    ...(p.kind.kind === 'array' && p.kind.bounds ? { bounds: [...p.kind.bounds] } : {}),
  }));
}

export function bindSizes(g: Graph, inputs: Readonly<Record<string, unknown>>): Record<string, number> {
  return bindParams(g.name, paramInfo(g), inputs as Record<string, unknown>, { allowArrays: true });
}
