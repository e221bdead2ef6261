// Batch chunking (memory planner, second rule): a size symbol X that is the leading axis of a family of
// temporaries which are each other's images row by row — X independent problems, such as the S source-pixel
// columns of T put through the FFT convolution of std/curvature_fft.ts — runs in a chunk loop over X:
//  - a scatter INTO such a temporary (its leading index data-dependent) keeps, per chunk, the entries whose
//    leading index falls in the chunk (shifted to it) and skips the others (index −1, the scatter's padding);
//  - fills, FFTs and FFT convolutions (batch X) and maps over X (X leading in their domain) work on the chunk's rows;
//  - a scatter FROM such a temporary into a buffer outside the family (its domain has an X axis) accumulates
//    into that buffer: the X axis runs over the chunk and the target index gets the chunk offset.
// Everything else that uses a variable of an X axis (inputs, iotas, target indices) sees it plus the offset.
// Assumed, not proved: a stage reads row x of a family member only at the X coordinate x (what lowering's
// elementwise maps and gathers over an X axis do); checked: X leads every member, appears on no other axis of it,
// and no index of a member's load mentions X's extent (so shrinking X to the chunk leaves flat indices valid).
import { DTYPE_BYTES } from '../ir/graph.ts';
import { Size, numel } from '../ir/size.ts';
import { stageReads, stageWrites } from '../loop/access.ts';
import { binaryE, iadd, iconst, linearize, sizeExpr, v } from '../loop/expr.ts';
import type { BufferDecl, ChunkPlan, Expr, LoopProgram, Stage } from '../loop/ir.ts';
import { forEachNode, mapChildren, rewriteDag } from '../loop/walk.ts';

const mentions = (d: Size, x: string): boolean => d.symbols().includes(x);

/** e with the variable `axisVar` shifted by the chunk offset, except inside loads from the chunked buffers. */
function shiftOutside(e: Expr, axisVar: string, off: string, chunked: ReadonlySet<string>): Expr {
  return rewriteDag(e, (x, rec) => {
    if (x.k === 'var') return x.name === axisVar ? iadd(v(axisVar), v(off)) : x;
    if (x.k === 'load' && chunked.has(x.buf)) return x;
    return mapChildren(x, rec);
  });
}

/** Whether every load of a chunked buffer in e has an index free of X's extent. */
function chunkedLoadsOk(e: Expr, x: string, chunked: ReadonlySet<string>): boolean {
  let ok = true;
  forEachNode(e, (n) => {
    if (n.k === 'load' && chunked.has(n.buf)) {
      forEachNode(n.index, (m) => {
        if (m.k === 'size' && mentions(m.size, x)) ok = false;
      });
    }
  });
  return ok;
}

export function tryChunkBatch(p: LoopProgram, x: string, xc: string, off: string): LoopProgram | undefined {
  // The family: temporaries with X leading and nowhere else. Others with an X axis (an S×S accumulator) stay
  // whole; the region may only read them (at shifted indices) or accumulate into them from the family (below).
  const cands = p.buffers.filter(
    (b) =>
      b.role === 'temp' &&
      !b.chunkedBy &&
      b.shape[0]?.symbolName() === x &&
      !b.shape.slice(1).some((d) => mentions(d, x)),
  );
  if (cands.length === 0) return undefined;
  const fam = new Set(cands.map((b) => b.name));
  const touches = (s: Stage) => [...stageReads(s), ...stageWrites(s)].some((b) => fam.has(b));
  const region = p.stages.filter(touches);
  const newDecls: BufferDecl[] = p.buffers.map((b) =>
    fam.has(b.name) ? { ...b, shape: [Size.sym(xc), ...b.shape.slice(1)], chunkedBy: x } : b,
  );
  const decl = new Map(newDecls.map((b) => [b.name, b]));
  const isX = (d: Size) => d.symbolName() === x;
  const offE = v(off),
    endE = iadd(v(off), sizeExpr(Size.sym(xc)));

  const body: Stage[] = [];
  for (const s of region) {
    switch (s.kind) {
      case 'fill':
        body.push(s);
        break;
      case 'fft':
        if (!fam.has(s.src) || !fam.has(s.dst) || !isX(s.batch)) return undefined;
        body.push({ ...s, batch: Size.sym(xc) });
        break;
      case 'fftconv':
        // The kernel grid is shared by every row: it stays whole (outside the family, X-free).
        if (!fam.has(s.src) || !fam.has(s.dst) || fam.has(s.kernel) || !isX(s.batch)) return undefined;
        body.push({ ...s, batch: Size.sym(xc) });
        break;
      case 'map': {
        if (s.reduce?.axes.some((a) => mentions(a.extent, x))) return undefined;
        if (!s.domain[0] || !isX(s.domain[0].extent) || s.domain.slice(1).some((a) => mentions(a.extent, x)))
          return undefined;
        if (s.outputs.some((o) => !fam.has(o.buf) || o.accumulate)) return undefined;
        if (s.outputs.some((o) => !chunkedLoadsOk(o.value, x, fam))) return undefined;
        const axisVar = s.domain[0].v;
        const domain = [{ ...s.domain[0], extent: Size.sym(xc) }, ...s.domain.slice(1)];
        const idx = domain.map((a) => v(a.v));
        body.push({
          ...s,
          domain,
          outputs: s.outputs.map((o) => ({
            ...o,
            index: linearize(idx, decl.get(o.buf)!.shape),
            value: shiftOutside(o.value, axisVar, off, fam),
          })),
        });
        break;
      }
      case 'scatter': {
        if (!chunkedLoadsOk(s.value, x, fam) || s.indices.some((i) => !chunkedLoadsOk(i, x, fam))) return undefined;
        const xAxes = s.domain.flatMap((a, i) => (mentions(a.extent, x) ? [i] : []));
        if (fam.has(s.target)) {
          // Into a family member: the domain has no X axis; the leading index is windowed to the chunk.
          if (xAxes.length > 0 || [...stageReads(s)].some((b) => b !== s.target && fam.has(b))) return undefined;
          const i0 = s.indices[0]!;
          const inChunk = binaryE('and', binaryE('ge', i0, offE, 'i32'), binaryE('lt', i0, endE, 'i32'), 'bool');
          const local: Expr = {
            k: 'select',
            c: inChunk,
            a: binaryE('sub', i0, offE, 'i32'),
            b: iconst(-1),
            dtype: 'i32',
          };
          body.push({ ...s, indices: [local, ...s.indices.slice(1)], targetShape: decl.get(s.target)!.shape });
        } else {
          // From family members into an outer buffer: one X axis in the domain runs over the chunk.
          if (xAxes.length !== 1 || !isX(s.domain[xAxes[0]!]!.extent)) return undefined;
          const ax = xAxes[0]!,
            axisVar = s.domain[ax]!.v;
          const domain = s.domain.map((a, i) => (i === ax ? { ...a, extent: Size.sym(xc) } : a));
          const shift = (e: Expr) => shiftOutside(e, axisVar, off, fam);
          // The conflict-free parallel axis stays one: its variable is still a target index (shifted).
          body.push({ ...s, domain, indices: s.indices.map(shift), value: shift(s.value) });
        }
        break;
      }
      default:
        return undefined;
    }
  }

  // The loop runs where the region's last stage was. A stage in between moves before it: it may not read
  // what the region writes, nor write what a region stage before it reads or writes.
  const pos = p.stages.map((s, i) => (region.includes(s) ? i : -1)).filter((i) => i >= 0);
  const first = pos[0]!,
    last = pos[pos.length - 1]!;
  const regionWrites = new Set(region.flatMap((s) => [...stageWrites(s)]));
  for (let i = first + 1; i < last; i++) {
    const s = p.stages[i]!;
    if (region.includes(s)) continue;
    if ([...stageReads(s)].some((b) => regionWrites.has(b))) return undefined;
    const before = new Set(
      p.stages
        .slice(first, i)
        .filter((r) => region.includes(r))
        .flatMap((r) => [...stageReads(r), ...stageWrites(r)]),
    );
    if ([...stageWrites(s)].some((b) => before.has(b))) return undefined;
  }

  const bytesPerUnit = cands.reduce(
    (acc, b) => acc.add(numel(b.shape.slice(1)).mul(DTYPE_BYTES[b.dtype])),
    Size.const(0),
  );
  const chunk: Stage = { kind: 'chunk', name: `chunk_${x}`, symbol: x, chunkSymbol: xc, offset: off, body };
  const stages: Stage[] = [];
  p.stages.forEach((s, i) => {
    if (i === last) stages.push(chunk);
    if (!region.includes(s)) stages.push(s);
  });
  const plan: ChunkPlan = { symbol: x, chunkSymbol: xc, bytesPerUnit };
  const ffts = body.filter((s) => s.kind === 'fft' || s.kind === 'fftconv').length;
  return {
    ...p,
    buffers: newDecls,
    stages,
    chunks: [...p.chunks, plan],
    notes: [
      ...p.notes,
      `chunked ${x} as a batch: ${cands.map((b) => b.name).join(', ')} hold ${xc} rows of ${x} at a time; ${ffts} FFT(s) per chunk; scatters into an outer buffer accumulate across chunks`,
    ],
  };
}
