// Owner-computes parallelism for scatters that have no conflict-free axis but whose leading target index is known
// at an outer level of the loop nest — the NUFFT's spreading (std/preload_nufft.ts): the grid row of a point's
// neighbour (k, a) is known before its inner loop over columns b. Tasks split the range of that index; each task
// runs the domain's loops, and where the index falls outside its range it skips the loops below (so a task pays for
// the outer levels of every point and the inner levels of its own). Every target element still receives its
// additions from one task in the serial loop order, so the bits equal the serial scatter's for any thread count
// and any split, and no memory is added. A scatter whose leading index is known only in its innermost loop (a
// histogram) gains nothing this way: privatise_scatters.ts gives it private copies instead.
import { varsOf } from '../loop/expr.ts';
import type { LoopProgram, ScatterStage, Stage } from '../loop/ir.ts';
import type { BuildCapabilities } from './capabilities.ts';

/** The loop level (index into the domain, outermost 0) at which scatter s's leading index is known; −1: before all loops. */
function leadingIndexLevel(s: ScatterStage): number {
  const vars = varsOf(s.indices[0]!);
  let level = -1;
  s.domain.forEach((a, i) => {
    if (vars.has(a.v)) level = i;
  });
  return level;
}

/** Whether s gains from owner computes: a loop below the level of its leading index, and a target with 2+ rows. */
function splittable(s: ScatterStage): boolean {
  if (s.parallelAxis !== undefined || s.copies || s.ownerSplit || s.indices.length === 0) return false;
  const level = leadingIndexLevel(s);
  const rows = s.targetShape[0]!.constValue();
  return level >= 0 && level < s.domain.length - 1 && (rows === undefined || rows >= 2);
}

export function ownerScatters(p: LoopProgram, caps: BuildCapabilities): LoopProgram {
  if (!caps.ownerScatters) return p;
  const notes: string[] = [];
  const walk = (stages: readonly Stage[]): Stage[] =>
    stages.map((s): Stage => {
      if (s.kind === 'chunk' || s.kind === 'scan') return { ...s, body: walk(s.body) };
      if (s.kind !== 'scatter' || !splittable(s)) return s;
      const level = leadingIndexLevel(s);
      notes.push(
        `owner computes for ${s.name}: tasks split the ${s.targetShape[0]} rows of ${s.target}; its row is known in loop ${s.domain[level]!.v}, so a task skips the ${s.domain
          .slice(level + 1)
          .map((a) => a.extent.toString())
          .join('×')} inner points of rows it does not own (bits as the serial scatter)`,
      );
      return { ...s, ownerSplit: true };
    });
  const stages = walk(p.stages);
  return notes.length ? { ...p, stages, notes: [...p.notes, ...notes] } : p;
}
