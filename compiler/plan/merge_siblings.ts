// Pass on the loop IR: adjacent elementwise map stages over the same domain become one stage with
// several outputs, so shared sub-expressions (the phase A of cos(A) and sin(A)) are computed once.
// A merge that would bind more buffers than the target allows per kernel (WebGPU: storage buffers per
// shader stage) is not made: the stages stay apart.
import type { LoopProgram, MapStage, Stage } from '../loop/ir.ts';
import { stageReads } from '../loop/access.ts';

const sameDomain = (a: MapStage, b: MapStage): boolean =>
  a.domain.length === b.domain.length &&
  a.domain.every((x, i) => x.v === b.domain[i]!.v && x.extent.equals(b.domain[i]!.extent));

/** Buffers a map stage binds: those it reads and those it writes. */
const bindings = (s: MapStage): number => new Set([...stageReads(s), ...s.outputs.map((o) => o.buf)]).size;

export function mergeSiblingMaps(p: LoopProgram, opts: { maxBindings?: number } = {}): LoopProgram {
  const maxBindings = opts.maxBindings ?? Infinity;
  const out: Stage[] = [];
  for (const s of p.stages) {
    const prev = out[out.length - 1];
    if (
      s.kind === 'map' &&
      !s.reduce &&
      prev?.kind === 'map' &&
      !prev.reduce &&
      sameDomain(prev, s) &&
      ![...stageReads(s)].some((r) => prev.outputs.some((o) => o.buf === r))
    ) {
      const merged: MapStage = { ...prev, outputs: [...prev.outputs, ...s.outputs] };
      if (bindings(merged) <= maxBindings) {
        out[out.length - 1] = merged;
        continue;
      }
    }
    out.push(s);
  }
  return { ...p, stages: out };
}
