// Pass on the loop IR: adjacent elementwise map stages over the same domain become one stage with
// several outputs, so shared sub-expressions (the phase A of cos(A) and sin(A)) are computed once.
import type { LoopProgram, MapStage, Stage } from '../loop/ir.ts';
import { stageReads } from '../loop/access.ts';

const sameDomain = (a: MapStage, b: MapStage): boolean =>
  a.domain.length === b.domain.length && a.domain.every((x, i) => x.v === b.domain[i]!.v && x.extent.equals(b.domain[i]!.extent));

export function mergeSiblingMaps(p: LoopProgram): LoopProgram {
  const out: Stage[] = [];
  for (const s of p.stages) {
    const prev = out[out.length - 1];
    if (s.kind === 'map' && !s.reduce && prev?.kind === 'map' && !prev.reduce && sameDomain(prev, s)
      && ![...stageReads(s)].some((r) => prev.outputs.some((o) => o.buf === r))) {
      out[out.length - 1] = { ...prev, outputs: [...prev.outputs, ...s.outputs] };
      continue;
    }
    out.push(s);
  }
  return { ...p, stages: out };
}
