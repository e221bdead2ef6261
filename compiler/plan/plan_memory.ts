// The memory planner (one pass over the loop IR). Every materialised temporary has a byte formula
// in the size symbols. A size symbol X is chunked when every temporary that has an X axis is
// (a) written by one elementwise map stage over X and (b) read only by matmul contractions over X:
// then producers and contractions move into a chunk loop over X with accumulating matmuls, and the
// temporaries shrink from X to the chunk extent. Otherwise X may be chunked as a batch axis
// (chunk_batch.ts: independent rows through scatters, maps and FFTs). The chunk extent is chosen at
// run time from the budget (and, where the target prefers it, the cache) by backends/common/plan.js.
import { DTYPE_BYTES } from '../ir/graph.ts';
import { Size, numel } from '../ir/size.ts';
import { loadsOf, stageReads, stageWrites } from '../loop/access.ts';
import { iadd, linearize, substitute, v } from '../loop/expr.ts';
import type { BufferDecl, ChunkPlan, Expr, GemmStage, LoopProgram, MapStage, Stage } from '../loop/ir.ts';
import { chunkOffsetOf, chunkSymbolOf } from '../loop/names.ts';
import { mapChildren, rewriteDag } from '../loop/walk.ts';
import { tryChunkBatch } from './chunk_batch.ts';

const axisOf = (b: BufferDecl, x: string): number => b.shape.findIndex((d) => d.symbolName() === x);

function contractionAxis(g: GemmStage, buf: string): number | undefined {
  if (g.a === buf && g.b === buf) return g.transA ? 0 : 1; // A·Aᵀ or Aᵀ·A: the same axis on both sides
  if (g.a === buf) return g.transA ? 0 : 1;
  if (g.b === buf) return g.transB ? 1 : 0;
  return undefined;
}

function tryChunk(p: LoopProgram, x: string): LoopProgram | undefined {
  const cands = p.buffers.filter((b) => b.role === 'temp' && !b.chunkedBy && axisOf(b, x) >= 0);
  if (cands.length === 0) return undefined;
  const candSet = new Set(cands.map((b) => b.name));
  const region = new Set<Stage>();
  for (const t of cands) {
    const ax = axisOf(t, x);
    const writers = p.stages.filter((s) => stageWrites(s).has(t.name));
    if (writers.length !== 1) return undefined;
    const w = writers[0]!;
    if (w.kind !== 'map' || w.reduce || w.outputs.some((o) => o.accumulate || !candSet.has(o.buf))) return undefined;
    if (w.domain[ax]?.extent.symbolName() !== x) return undefined;
    for (const o of w.outputs) for (const r of loadsOf(o.value)) if (candSet.has(r)) return undefined;
    region.add(w);
    const readers = p.stages.filter((s) => stageReads(s).has(t.name));
    for (const r of readers) {
      // A sum over X reading the chunk: only when X leads the temporary, so that its flat index does not
      // involve X's extent (which becomes the chunk's).
      if (r.kind === 'map' && sumsOver(r, x) && ax === 0) {
        region.add(r);
        continue;
      }
      if (r.kind !== 'gemm' || r.k.symbolName() !== x || contractionAxis(r, t.name) !== ax) return undefined;
      if (!candSet.has(r.a) || !candSet.has(r.b)) return undefined;
      region.add(r);
    }
  }
  // The region runs where its last stage was; nothing in between may touch what it reads or writes.
  const idx = p.stages.map((s, i) => (region.has(s) ? i : -1)).filter((i) => i >= 0);
  const first = idx[0]!,
    last = idx[idx.length - 1]!;
  const regionReads = new Set<string>(),
    regionWrites = new Set<string>();
  for (const s of region) {
    for (const r of stageReads(s)) regionReads.add(r);
    for (const w of stageWrites(s)) regionWrites.add(w);
  }
  for (let i = first; i <= last; i++) {
    const s = p.stages[i]!;
    if (region.has(s)) continue;
    for (const w of stageWrites(s)) if (regionReads.has(w) || regionWrites.has(w)) return undefined;
    for (const r of stageReads(s)) if (regionWrites.has(r)) return undefined;
  }

  const xc = chunkSymbolOf(x),
    off = chunkOffsetOf(x);
  const newDecls = p.buffers.map((b) =>
    candSet.has(b.name)
      ? { ...b, shape: b.shape.map((d) => (d.symbolName() === x ? Size.sym(xc) : d)), chunkedBy: x }
      : b,
  );
  const newDecl = new Map(newDecls.map((b) => [b.name, b]));
  const fills: Stage[] = [];
  const body: Stage[] = [];
  const filled = new Set<string>();
  for (const s of p.stages) {
    if (!region.has(s)) continue;
    if (s.kind === 'map' && s.reduce) {
      // A sum over X: reduce one chunk of X per pass and accumulate into the (zeroed) output.
      const ax = s.reduce.axes.findIndex((a) => a.extent.symbolName() === x);
      const axisVar = s.reduce.axes[ax]!.v;
      const chunkLoads = (e: Expr): Expr => substituteOutsideChunked(e, axisVar, off, candSet);
      for (const o of s.outputs) {
        if (!o.accumulate && !filled.has(o.buf)) fills.push({ kind: 'fill', name: `${s.name}z`, buf: o.buf, value: 0 });
        filled.add(o.buf);
      }
      const axes = s.reduce.axes.map((a, i) => (i === ax ? { ...a, extent: Size.sym(xc) } : a));
      body.push({
        ...s,
        reduce: { ...s.reduce, axes },
        outputs: s.outputs.map((o) => ({ ...o, value: chunkLoads(o.value), accumulate: true })),
      });
    } else if (s.kind === 'map') {
      const ax = s.domain.findIndex((a) => a.extent.symbolName() === x);
      const axisVar = s.domain[ax]!.v;
      const shift = (name: string) => (name === axisVar ? iadd(v(axisVar), v(off)) : undefined);
      const domain = s.domain.map((a, i) => (i === ax ? { ...a, extent: Size.sym(xc) } : a));
      const outputs = s.outputs.map((o) => ({
        ...o,
        index: linearize(
          domain.map((a) => v(a.v)),
          newDecl.get(o.buf)!.shape,
        ),
        value: substitute(o.value, shift),
      }));
      body.push({ ...(s as MapStage), domain, outputs });
    } else if (s.kind === 'gemm') {
      if (!s.accumulate && !filled.has(s.c)) fills.push({ kind: 'fill', name: `${s.name}z`, buf: s.c, value: 0 });
      filled.add(s.c);
      const rowLen = (b: string) => newDecl.get(b)!.shape[1] ?? Size.const(1);
      body.push({ ...s, k: Size.sym(xc), lda: rowLen(s.a), ldb: rowLen(s.b), accumulate: true });
    }
  }
  const bytesPerUnit = cands.reduce(
    (acc, b) =>
      acc.add(numel(b.shape.map((d) => (d.symbolName() === x ? Size.const(1) : d))).mul(DTYPE_BYTES[b.dtype])),
    Size.const(0),
  );
  const chunk: Stage = { kind: 'chunk', name: `chunk_${x}`, symbol: x, chunkSymbol: xc, offset: off, body };
  const stages: Stage[] = [];
  p.stages.forEach((s, i) => {
    if (i === last) stages.push(...fills, chunk);
    if (!region.has(s)) stages.push(s);
  });
  const plan: ChunkPlan = { symbol: x, chunkSymbol: xc, bytesPerUnit };
  return {
    ...p,
    buffers: newDecls,
    stages,
    chunks: [...p.chunks, plan],
    notes: [
      ...p.notes,
      `chunked ${x}: ${cands.map((b) => b.name).join(', ')} hold ${xc} of ${x} at a time; ${[...region].filter((s) => s.kind === 'gemm').length} matmul(s) accumulate across chunks`,
    ],
  };
}

/** A map stage that sums (only sums: chunk partial sums add up) over an axis of extent X. */
function sumsOver(s: MapStage, x: string): boolean {
  return !!s.reduce && s.reduce.fn === 'sum' && s.reduce.axes.some((a) => a.extent.symbolName() === x);
}

/**
 * Inside a chunk, the reduction variable v runs over the piece: loads from the chunked buffers use v as
 * it is, every other use of v (loads from full-size inputs, iotas) becomes v + offset.
 */
function substituteOutsideChunked(e: Expr, axisVar: string, off: string, chunked: Set<string>): Expr {
  return rewriteDag(e, (x, rec) => {
    if (x.k === 'var') return x.name === axisVar ? iadd(v(axisVar), v(off)) : x;
    if (x.k === 'load' && chunked.has(x.buf)) return x;
    return mapChildren(x, rec);
  });
}

/** Inserts chunk loops for every size symbol that can be chunked. */
export function planMemory(p: LoopProgram): LoopProgram {
  let cur = p;
  const symbols = new Set<string>();
  for (const b of p.buffers)
    if (b.role === 'temp')
      for (const d of b.shape) {
        const s = d.symbolName();
        if (s) symbols.add(s);
      }
  for (const x of [...symbols].sort())
    cur = tryChunk(cur, x) ?? tryChunkBatch(cur, x, chunkSymbolOf(x), chunkOffsetOf(x)) ?? cur;
  return cur;
}
