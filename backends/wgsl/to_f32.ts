// Graph pass for the WGSL target: every f64 value becomes f32 (WGSL has no f64). It runs before
// lowering, so the loop IR, the shaders and the planner's byte formulas all see f32. Parameters are
// demoted too — the generated module keeps f64 at its interface and converts on upload and download
// (render_module.ts). Constants keep their f64 value here and are rounded once, when rendered.
// Kernels flagged `requiresF64` never come here (target.ts): they run the f64 JS kernel instead.
// Scan bodies are demoted too (rewriteGraph recurses into them, sharing its memo so that a body keeps
// referring to the demoted kernel parameters it closes over).
import { Node, type DType, type Graph, type ParamDecl } from '../../compiler/ir/graph.ts';
import { rewriteGraph } from '../../compiler/passes/rewrite.ts';
import { typecheck } from '../../compiler/passes/typecheck.ts';

const demote = (d: DType): DType => (d === 'f64' ? 'f32' : d);

function demoteParam(p: ParamDecl): ParamDecl {
  const k = p.kind;
  return k.kind === 'sizes' ? p : { ...p, kind: { ...k, dtype: demote(k.dtype) } };
}

/** The same graph computing in f32 wherever it computed in f64; typechecked. */
export function demoteToF32(g: Graph): Graph {
  const r = rewriteGraph(g, (n) => (n.dtype === 'f64' ? new Node(n.op, n.inputs, n.shape, 'f32', n.loc) : undefined));
  return typecheck({ ...r, params: r.params.map(demoteParam) });
}
