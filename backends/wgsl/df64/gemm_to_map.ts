// Loop-IR pass for df64 WGSL kernels: every gemm stage becomes a map stage C[i, j] (+)= Σ_k op(A)[i, k]·
// op(B)[k, j] with a df64 sum, which the shader renderer already splits over dispatches (llvmpipe's
// loop limit) and accumulates across chunks. The runtime's tiled matmul is f32 (compensated): it
// cannot keep df64 operands. One invocation per output element, the sum in a fixed order, so results
// do not depend on chunking beyond the chunks' own order. A syrk (symmetric) is computed whole.
import type { LoopProgram, Stage, GemmStage, MapStage } from '../../../compiler/loop/ir.ts';
import { binaryE, iadd, imul, sizeExpr, v } from '../../../compiler/loop/expr.ts';

function gemmAsMap(g: GemmStage, dtype: 'f64' | 'f32'): MapStage {
  const i = v(`${g.name}_i`),
    j = v(`${g.name}_j`),
    k = v(`${g.name}_k`);
  const aIdx = g.transA ? iadd(imul(k, sizeExpr(g.lda)), i) : iadd(imul(i, sizeExpr(g.lda)), k);
  const bIdx = g.transB ? iadd(imul(j, sizeExpr(g.ldb)), k) : iadd(imul(k, sizeExpr(g.ldb)), j);
  const prod = binaryE(
    'mul',
    { k: 'load', buf: g.a, index: aIdx, dtype },
    { k: 'load', buf: g.b, index: bIdx, dtype },
    dtype,
  );
  return {
    kind: 'map',
    name: g.name,
    domain: [
      { v: `${g.name}_i`, extent: g.m },
      { v: `${g.name}_j`, extent: g.n },
    ],
    reduce: { fn: 'sum', axes: [{ v: `${g.name}_k`, extent: g.k }] },
    outputs: [{ buf: g.c, index: iadd(imul(i, sizeExpr(g.ldc)), j), value: prod, accumulate: g.accumulate }],
    ...(g.loc ? { loc: g.loc } : {}),
  };
}

/** The program with its gemm stages (inside chunk and scan loops too) as map stages. */
export function gemmToMap(p: LoopProgram): LoopProgram {
  const dtypes = new Map(p.buffers.map((b) => [b.name, b.dtype]));
  let count = 0;
  const rewrite = (s: Stage): Stage => {
    if (s.kind === 'chunk' || s.kind === 'scan') return { ...s, body: s.body.map(rewrite) };
    if (s.kind !== 'gemm') return s;
    count++;
    const dt = dtypes.get(s.a);
    return gemmAsMap(s, dt === 'f32' ? 'f32' : 'f64');
  };
  const stages = p.stages.map(rewrite);
  if (count === 0) return p;
  return {
    ...p,
    stages,
    notes: [
      ...p.notes,
      `wgsl df64: ${count} matmul stage(s) computed as df64 map-reductions (one invocation per output element)`,
    ],
  };
}
