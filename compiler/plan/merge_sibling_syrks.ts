// Loop pass (JS target): two SYRKs that accumulate into the same C, C += A₁·A₁ᵀ then C += A₂·A₂ᵀ, whose
// operands one map stage writes side by side (W̃'s cos and sin panels), become ONE SYRK over the panel
// [A₁ A₂] (n × 2k): the map stores A₁'s row i at columns [0, k) of the panel's row i and A₂'s at [k, 2k).
// One rank-2k update instead of two rank-k ones: C is read and written once per chunk, not twice, and the
// BLAS runs one longer product. The panel holds exactly the bytes of A₁ and A₂, so the memory plan (and the
// chunk extent it chooses) does not change; the sum's order does (within rounding).
import { exprKey } from '../loop/expr_key.ts';
import { iadd, linearize, sizeExpr, v } from '../loop/expr.ts';
import { stageReads, stageWrites } from '../loop/access.ts';
import type { BufferDecl, GemmStage, LoopProgram, MapStage, Stage } from '../loop/ir.ts';

type Decls = Map<string, BufferDecl>;

/** A symmetric, accumulating A·Aᵀ over a contiguous row-major 2-D temporary (lda = its row length). */
function plainSyrk(s: Stage | undefined, decls: Decls): s is GemmStage {
  if (s?.kind !== 'gemm' || !s.symmetric || !s.accumulate || s.transA || s.a !== s.b) return false;
  const d = decls.get(s.a);
  return !!d && d.role === 'temp' && d.shape.length === 2 && s.lda.equals(d.shape[1]!) && s.k.equals(d.shape[1]!);
}

/** Whether output `buf` of map `w` is stored at the row-major position of the domain point (i, j). */
function storedInOrder(w: MapStage, buf: string, d: BufferDecl): boolean {
  if (w.reduce || w.domain.length !== 2) return false;
  if (!w.domain.every((a, i) => a.extent.equals(d.shape[i]!))) return false;
  const o = w.outputs.filter((x) => x.buf === buf);
  if (o.length !== 1 || o[0]!.accumulate) return false;
  const want = linearize(
    w.domain.map((a) => v(a.v)),
    d.shape,
  );
  return exprKey(o[0]!.index) === exprKey(want);
}

/** The merge inside one stage list (chunk bodies included); `all` is the whole program, for readers. */
function mergeIn(
  stages: readonly Stage[],
  decls: Decls,
  all: readonly Stage[],
  merged: { a1: string; a2: string; panel: string }[],
): Stage[] {
  const out: Stage[] = [];
  for (let i = 0; i < stages.length; i++) {
    const s = stages[i]!;
    if (s.kind === 'chunk') {
      out.push({ ...s, body: mergeIn(s.body, decls, all, merged) });
      continue;
    }
    const g1 = s,
      g2 = stages[i + 1];
    if (!plainSyrk(g1, decls) || !plainSyrk(g2, decls) || g1.c !== g2.c || g1.a === g2.a) {
      out.push(s);
      continue;
    }
    const d1 = decls.get(g1.a)!,
      d2 = decls.get(g2.a)!;
    if (d1.dtype !== d2.dtype || d1.chunkedBy !== d2.chunkedBy || !g1.m.equals(g2.m) || !g1.k.equals(g2.k)) {
      out.push(s);
      continue;
    }
    // One writer (the same map, earlier in this list, storing both in row-major order) and no other reader.
    const writers = leaves(all).filter((x) => stageWrites(x).has(d1.name) || stageWrites(x).has(d2.name));
    const w = writers[0];
    const readers = leaves(all).filter((x) => x !== w && (stageReads(x).has(d1.name) || stageReads(x).has(d2.name)));
    if (
      writers.length !== 1 ||
      w?.kind !== 'map' ||
      !out.includes(w) ||
      !storedInOrder(w, d1.name, d1) ||
      !storedInOrder(w, d2.name, d2) ||
      readers.length !== 2 ||
      !readers.includes(g1) ||
      !readers.includes(g2)
    ) {
      out.push(s);
      continue;
    }
    const k = d1.shape[1]!,
      k2 = k.mul(2);
    const panel = `${d1.name}_${d2.name}`;
    const panelShape = [d1.shape[0]!, k2];
    const [iv, jv] = w.domain.map((a) => v(a.v)) as [ReturnType<typeof v>, ReturnType<typeof v>];
    const mergedMap: MapStage = {
      ...w,
      outputs: w.outputs.map((o) =>
        o.buf === d1.name
          ? { ...o, buf: panel, index: linearize([iv, jv], panelShape) }
          : o.buf === d2.name
            ? { ...o, buf: panel, index: linearize([iv, iadd(jv, sizeExpr(k))], panelShape) }
            : o,
      ),
    };
    out[out.indexOf(w)] = mergedMap;
    out.push({ ...g1, a: panel, b: panel, k: k2, lda: k2, ldb: k2 });
    merged.push({ a1: d1.name, a2: d2.name, panel });
    i++; // g2 is part of the merged SYRK
  }
  return out;
}

/** Every stage that is not a loop, at any depth (a loop's reads and writes are its body's). */
const leaves = (stages: readonly Stage[]): Stage[] =>
  stages.flatMap((s) => (s.kind === 'chunk' || s.kind === 'scan' ? leaves(s.body) : [s]));

export function mergeSiblingSyrks(p: LoopProgram): LoopProgram {
  const decls: Decls = new Map(p.buffers.map((b) => [b.name, b]));
  const merged: { a1: string; a2: string; panel: string }[] = [];
  const stages = mergeIn(p.stages, decls, p.stages, merged);
  if (merged.length === 0) return p;
  const buffers: BufferDecl[] = [];
  for (const b of p.buffers) {
    const m = merged.find((x) => x.a1 === b.name);
    if (m) buffers.push({ ...b, name: m.panel, shape: [b.shape[0]!, b.shape[1]!.mul(2)] });
    else if (!merged.some((x) => x.a2 === b.name)) buffers.push(b);
  }
  return {
    ...p,
    buffers,
    stages,
    notes: [
      ...p.notes,
      ...merged.map(
        (m) =>
          `one syrk over the panel ${m.panel} = [${m.a1} ${m.a2}] (k doubled) instead of ${m.a1}·${m.a1}ᵀ + ${m.a2}·${m.a2}ᵀ`,
      ),
    ],
  };
}
