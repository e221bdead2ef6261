// The arena scratch a JS gemm/syrk stage takes while it runs, as byte formulas for the memory plan
// (manifest `plan.scratch`, evaluated by backends/common/plan.js resolvePlan and shown by `lensc explain`).
// The WebAssembly kernels (backends/js/runtime/blas.js) pack op(A) (and op(B)) into panels of 4 rows for at
// most PACK_BUDGET bytes of k at a time, plus one 4×4 tile slot per row panel; it is freed when the call
// returns, so stages never hold it at once (the plan takes the largest at a stage). Bounds, with P the
// panel-row count rounded up (gemm: m + n + 6, syrk: n + 3, so that ⌈x/4⌉ ≤ (x + 3)/4):
//   packed panels ≤ min(8·P·k, PACK_BUDGET + 8·P·KC)     tile slots ≤ 32·P
// The native path (OpenBLAS) packs into its own buffers, outside the arena; the plan counts the WebAssembly
// scratch whichever path runs, so a budget that fits holds on both.
import type { Manifest } from '../../compiler/aot/manifest.ts';
import { Size } from '../../compiler/ir/size.ts';
import type { LoopProgram, Stage } from '../../compiler/loop/ir.ts';
import { KC } from './runtime/blas-tasks.js';
import { PACK_BUDGET } from './runtime/blas.js';
import { NB as CHOLESKY_NB } from './support/linalg.js';

export type ScratchInfo = NonNullable<Manifest['plan']['scratch']>[number];

/** One entry per gemm/syrk/Cholesky stage, at the top-level stage (chunk or scan loop) that contains it. */
export function blasScratch(p: LoopProgram): ScratchInfo[] {
  const out: ScratchInfo[] = [];
  const visit = (s: Stage, top: number) => {
    if (s.kind === 'chunk' || s.kind === 'scan') return s.body.forEach((b) => visit(b, top));
    // A Cholesky's trailing updates are syrks of at most n rows and k = NB on the WebAssembly path.
    const g =
      s.kind === 'gemm'
        ? { P: s.symmetric ? s.m.add(3) : s.m.add(s.n).add(6), k: s.k }
        : s.kind === 'cholesky'
          ? { P: s.n.add(3), k: Size.const(CHOLESKY_NB) }
          : undefined;
    if (!g) return;
    const P = g.P;
    const bytes = P.mul(g.k).mul(8),
      cap = P.mul(8 * KC).add(PACK_BUDGET),
      tiles = P.mul(32);
    out.push({
      stage: top,
      name: s.name,
      bytes: bytes.toTerms(),
      cap: cap.toTerms(),
      tiles: tiles.toTerms(),
      bytesText: `min(${bytes}, ${cap}) + ${tiles}`,
    });
  };
  p.stages.forEach((s, i) => visit(s, i));
  return out;
}
