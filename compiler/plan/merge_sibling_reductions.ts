// Pass on the loop IR: map stages that reduce over the same domain and the same reduction axes (same
// function) become one stage with several outputs, so the values they share are computed once per
// point and the domain is walked once — the DFT's Σ_i I_i cos φ_ik and Σ_i I_i sin φ_ik evaluate φ_ik
// once. A stage is merged into an earlier sibling only when nothing between them, nor the sibling,
// writes what it reads or reads what it writes; and within the target's bindings per kernel.
import { stageReads, stageWrites } from '../loop/access.ts';
import type { LoopProgram, MapStage, Stage } from '../loop/ir.ts';

const sameAxes = (a: MapStage['domain'], b: MapStage['domain']): boolean =>
  a.length === b.length && a.every((x, i) => x.v === b[i]!.v && x.extent.equals(b[i]!.extent));

const bindings = (s: MapStage): number => new Set([...stageReads(s), ...s.outputs.map((o) => o.buf)]).size;

export function mergeSiblingReductions(p: LoopProgram, opts: { maxBindings?: number } = {}): LoopProgram {
  const maxBindings = opts.maxBindings ?? Infinity;
  const out: Stage[] = [];
  for (const s of p.stages) {
    // rank-0 reductions keep their own stage (the GPU targets reduce those through partial sums per stage)
    if (s.kind === 'map' && s.reduce && s.domain.length > 0) {
      const reads = stageReads(s),
        writes = stageWrites(s);
      // look back for a sibling; stop at the first stage that conflicts with s
      for (let j = out.length - 1; j >= 0; j--) {
        const t = out[j]!;
        const tw = stageWrites(t),
          tr = stageReads(t);
        const conflict = [...reads].some((b) => tw.has(b)) || [...writes].some((b) => tr.has(b) || tw.has(b));
        if (
          t.kind === 'map' &&
          t.reduce &&
          t.domain.length > 0 &&
          t.reduce.fn === s.reduce.fn &&
          sameAxes(t.domain, s.domain) &&
          sameAxes(t.reduce.axes, s.reduce.axes) &&
          !conflict
        ) {
          const merged: MapStage = { ...t, outputs: [...t.outputs, ...s.outputs] };
          if (bindings(merged) <= maxBindings) {
            out[j] = merged;
            break;
          }
        }
        if (conflict) {
          out.push(s);
          break;
        }
        if (j === 0) out.push(s);
      }
      if (out.length === 0) out.push(s);
      continue;
    }
    out.push(s);
  }
  return { ...p, stages: out };
}
