// Private copies for scatters that have no conflict-free axis (a scatterAdd whose indices are data: the NUFFT's
// spreading onto its grid, a histogram). Such a scatter otherwise runs as one task. With copies, its first
// domain axis is cut into `count` fixed shares; share c scatters into copy c of the target, all shares in
// parallel, and a map stage adds the copies into the target in copy order (target += c₀ + c₁ + …). The number
// of copies is a size symbol the run-time planner chooses (backends/common/plan.js): at most the target's
// BuildCapabilities.maxScatterCopies, as many as the memory budget holds and the scatter's work pays for, and 0
// — the plain serial scatter — when fewer than two would. The copies are a temporary like any other: counted in
// the plan's peak, shown by `lensc explain`.
//
// Reproducibility: the shares and the order of the final sum depend on the number of copies and the sizes, never
// on the thread count, so outputs are bitwise the same for any `threads` (the guarantee of ARCHITECTURE.md). The
// number of copies is part of the plan like a chunk extent: a budget that changes it changes the summation order.
//
// Placement: a scatter inside a chunk loop that is the only stage of the loop touching its target keeps its
// copies across the whole loop — zeroed before it, summed after it — so the sum is paid once, not per chunk.
import { Size, numel } from '../ir/size.ts';
import { loadsOf, stageReads, stageWrites } from '../loop/access.ts';
import { linearize, v } from '../loop/expr.ts';
import type { BufferDecl, ChunkStage, LoopProgram, ScatterCopiesPlan, ScatterStage, Stage } from '../loop/ir.ts';
import { copiesBufferOf, copiesSymbolOf } from '../loop/names.ts';
import type { BuildCapabilities } from './capabilities.ts';

/** Whether scatter s can be given private copies of its target. */
function eligible(s: ScatterStage, decl: Map<string, BufferDecl>): boolean {
  const t = decl.get(s.target);
  if (s.parallelAxis !== undefined || s.copies || s.ownerSplit || s.domain.length === 0 || !t || t.chunkedBy)
    return false;
  // bool targets hold counts only as i32 views of flags; a value or index reading the target would see a copy.
  if (t.dtype === 'bool') return false;
  const reads = loadsOf(s.value);
  for (const i of s.indices) loadsOf(i, reads);
  return !reads.has(s.target);
}

const product = (s: ScatterStage): Size => s.domain.reduce((acc, a) => acc.mul(a.extent), Size.const(1));

export function privatiseScatters(p: LoopProgram, caps: BuildCapabilities): LoopProgram {
  if (!(caps.maxScatterCopies >= 2)) return p;
  const decl = new Map(p.buffers.map((b) => [b.name, b]));
  const buffers: BufferDecl[] = [...p.buffers];
  const plans: ScatterCopiesPlan[] = [];
  const notes: string[] = [];

  /** The stages that give s copies: the zeroing, s itself, and the sum of the copies into the target. */
  const privatise = (s: ScatterStage, work: Size): { fill: Stage; scatter: ScatterStage; sum: Stage } => {
    const t = decl.get(s.target)!;
    const count = copiesSymbolOf(s.name),
      buf = copiesBufferOf(s.name);
    buffers.push({ name: buf, dtype: t.dtype, shape: [Size.sym(count), ...t.shape], role: 'temp' });
    plans.push({
      count,
      stage: s.name,
      target: s.target,
      buf,
      maxCopies: caps.maxScatterCopies,
      elements: numel(t.shape),
      work,
    });
    notes.push(
      `private copies for ${s.name}: the scatter into ${s.target} has no conflict-free axis; up to ${caps.maxScatterCopies} copies (${buf}, ${count} of them, chosen from the budget at run time) take fixed shares of its ${s.domain[0]!.extent} rows in parallel and are summed into ${s.target} in copy order`,
    );
    const tv = t.shape.map((_, i) => `elt${i}_`),
      cv = 'copy_';
    const idx = tv.map(v);
    const sum: Stage = {
      kind: 'map',
      name: `${s.name}_sum`,
      domain: t.shape.map((d, i) => ({ v: tv[i]!, extent: d })),
      reduce: { fn: 'sum', axes: [{ v: cv, extent: Size.sym(count) }] },
      outputs: [
        {
          buf: s.target,
          index: linearize(idx, t.shape),
          value: { k: 'load', buf, index: linearize([v(cv), ...idx], [Size.sym(count), ...t.shape]), dtype: t.dtype },
          accumulate: true,
        },
      ],
      ...(s.loc ? { loc: s.loc } : {}),
    };
    return {
      fill: { kind: 'fill', name: `${s.name}_zero`, buf, value: 0 },
      scatter: { ...s, copies: { buf, count } },
      sum,
    };
  };

  /** Stages of a body (a scan's, or the top level): copies live around the scatter. */
  const inPlace = (stages: readonly Stage[]): Stage[] =>
    stages.flatMap((s): Stage[] => {
      if (s.kind === 'scatter' && eligible(s, decl)) {
        const r = privatise(s, product(s));
        return [r.fill, r.scatter, r.sum];
      }
      if (s.kind === 'scan') return [{ ...s, body: inPlace(s.body) }];
      if (s.kind === 'chunk') return acrossChunks(s);
      return [s];
    });

  /** A chunk loop: a scatter that is the only stage of the loop touching its target keeps its copies across it. */
  const acrossChunks = (c: ChunkStage): Stage[] => {
    const before: Stage[] = [],
      after: Stage[] = [];
    const body = c.body.flatMap((s): Stage[] => {
      if (s.kind !== 'scatter' || !eligible(s, decl)) return s.kind === 'scan' ? inPlace([s]) : [s];
      const alone = c.body.every((o) => o === s || (!stageReads(o).has(s.target) && !stageWrites(o).has(s.target)));
      // The work of all chunks: the chunk's extent stands for the whole symbol when it is a whole axis.
      const whole = s.domain.every(
        (a) => a.extent.symbolName() === c.chunkSymbol || !a.extent.symbols().includes(c.chunkSymbol),
      );
      if (!alone || !whole) {
        const r = privatise(s, product(s));
        return [r.fill, r.scatter, r.sum];
      }
      const work = s.domain.reduce(
        (acc, a) => acc.mul(a.extent.symbolName() === c.chunkSymbol ? Size.sym(c.symbol) : a.extent),
        Size.const(1),
      );
      const r = privatise(s, work);
      before.push(r.fill);
      after.push(r.sum);
      return [r.scatter];
    });
    return [...before, { ...c, body }, ...after];
  };

  const stages = inPlace(p.stages);
  if (plans.length === 0) return p;
  return {
    ...p,
    buffers,
    stages,
    scatterCopies: [...(p.scatterCopies ?? []), ...plans],
    notes: [...p.notes, ...notes],
  };
}
