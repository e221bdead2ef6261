// Loop-IR pass for the WGSL target: trig arguments of the form 2π·t (t in cycles, as every phase in
// the interferometer formulas is) are range-reduced in cycles first, cos(2π·(t − round(t))), so the
// f32 multiplication by 2π and the cosine itself only ever see |argument| ≤ π. That removes the
// error of 2π·t for large t (|t|·2π·ε) and keeps the argument where the GPU's cos/sin are accurate
// (WGSL only bounds their error inside [−π, π]). The rounding of t itself is not recovered: the
// phase error stays ≈ |t|·ε cycles, which the manifest's measured error bound covers.
import type { Expr, LoopProgram, Stage } from '../../compiler/loop/ir.ts';
import { mapChildren, rewriteDag } from '../../compiler/loop/walk.ts';

const TWO_PI = 2 * Math.PI;
/** 2π in f64, or rounded to f32 (as the demoted graph may hold it). */
const isTwoPi = (e: Expr): boolean => e.k === 'const' && (e.value === TWO_PI || e.value === Math.fround(TWO_PI));

/** The factors of a product tree (through nested float multiplications). */
function factors(e: Expr, out: Expr[] = []): Expr[] {
  if (e.k === 'binary' && e.fn === 'mul' && e.dtype !== 'i32') {
    factors(e.a, out);
    factors(e.b, out);
  } else out.push(e);
  return out;
}

/** t − round(t), as t − floor(t + ½) (f32). */
function reduceCycles(t: Expr): Expr {
  const half: Expr = { k: 'const', value: 0.5, dtype: 'f32' };
  const round: Expr = {
    k: 'unary',
    fn: 'floor',
    a: { k: 'binary', fn: 'add', a: t, b: half, dtype: 'f32' },
    dtype: 'f32',
  };
  return { k: 'binary', fn: 'sub', a: t, b: round, dtype: 'f32' };
}

/** Rewrites every cos/sin(2π·t) in an expression DAG, keeping shared sub-expressions shared. */
function rewriteExpr(e: Expr, memo: Map<Expr, Expr>, count: { n: number }): Expr {
  return rewriteDag(
    e,
    (x, rec) => {
      const r = mapChildren(x, rec);
      if (r.k !== 'unary' || (r.fn !== 'cos' && r.fn !== 'sin') || r.dtype !== 'f32') return r;
      const fs = factors(r.a);
      const i = fs.findIndex(isTwoPi);
      if (i < 0 || fs.length === 1) return r;
      const rest = fs
        .filter((_, j) => j !== i)
        .reduce((p, q) => ({ k: 'binary', fn: 'mul', a: p, b: q, dtype: r.dtype }));
      const arg: Expr = { k: 'binary', fn: 'mul', a: fs[i]!, b: reduceCycles(rest), dtype: r.dtype };
      count.n++;
      // cos(A) and sin(A) build equal arguments; the renderer's hash-consing binds them once.
      return { ...r, a: arg };
    },
    memo,
  );
}

function rewriteStage(s: Stage, memo: Map<Expr, Expr>, count: { n: number }): Stage {
  switch (s.kind) {
    case 'map':
      return { ...s, outputs: s.outputs.map((o) => ({ ...o, value: rewriteExpr(o.value, memo, count) })) };
    case 'scatter':
      return { ...s, value: rewriteExpr(s.value, memo, count) };
    case 'chunk':
    case 'scan':
      return { ...s, body: s.body.map((b) => rewriteStage(b, memo, count)) };
    default:
      return s;
  }
}

/** The program with phases range-reduced, and a note saying how many trig calls were. */
export function reducePhases(p: LoopProgram): LoopProgram {
  const count = { n: 0 };
  const stages = p.stages.map((s) => rewriteStage(s, new Map(), count));
  if (count.n === 0) return p;
  return {
    ...p,
    stages,
    notes: [
      ...p.notes,
      `wgsl: ${count.n} cos/sin of 2π·t range-reduced in cycles (t − round(t)) before the multiplication by 2π`,
    ],
  };
}
