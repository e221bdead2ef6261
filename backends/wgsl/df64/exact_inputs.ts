// Which f64 inputs of a df64 kernel are uploaded exactly, as three f32 (hi, mid, lo: the whole 53-bit
// f64, runtime/convert.js f64ToF64x3), instead of as a df64 pair (48 bits). A pair is enough wherever
// an input is multiplied, divided or passed to a function: those keep relative error, and the 2⁻⁴⁹
// lost on upload is below df64's own rounding. It is not enough where two inputs are subtracted
// (or added with opposite signs) or compared: data − model with data ≈ model ≈ 10⁶ and a residual
// of 0.3 would lose 22 of the pair's 48 bits to cancellation, leaving 1e-8 relative — the bits the
// pair dropped are exactly the ones the residual needs. So an f64 input is held exactly when one of
// its loads meets a load of an input (itself or another) or an f64 scalar input as the operands of
// an add, a sub or a comparison, in a map or scatter stage (the stages the df64 dialect renders).
// f64 scalar inputs are always held exactly (three f32 uniforms cost nothing). An input meeting a
// computed value is not worth the memory: the computed value carries df64's 2⁻⁴⁸ of its own
// magnitude, so the input's 2⁻⁴⁹ at most adds half to it. Those operations see the exact value
// (dialect.ts: df_sub_x3x3, df_lt_x3, …; and df_add_x3 where an exactly held input meets a computed
// value); every other use of the same load sees the df64 pair the two-float upload would have given.
// An input also read by a stage that expects pairs (Cholesky, triangular solves, fills, matmuls,
// FFTs) stays a pair, and so does its partner. The price is memory: 12 bytes per element instead of
// 8, for these inputs only (the manifest's plan notes name them).
import type { Expr, LoopProgram, Stage } from '../../../compiler/loop/ir.ts';
import { stageReads } from '../../../compiler/loop/access.ts';

/** The binary functions whose operands, when both are loads of inputs, are held exactly. */
const ADDITIVE = new Set(['add', 'sub']);
const COMPARISON = new Set(['lt', 'le', 'gt', 'ge', 'eq', 'ne']);

/** Marks an f64 scalar input among the operands (not a buffer name: those never contain a space). */
const SCALAR = ' scalar';

/** The f64 input buffers of a df64 program that are uploaded as three f32 (see the header). */
export function exactInputs(p: LoopProgram): Set<string> {
  const candidates = new Set(p.buffers.filter((b) => b.role === 'input' && b.dtype === 'f64').map((b) => b.name));
  const meetings: [string, string][] = [];
  const pairOnly = new Set<string>();
  const seen = new Set<Expr>();
  // an f64 input's value: a load (its buffer's name) or an f64 scalar (always exact: uniforms cost nothing)
  const inputLoad = (e: Expr): string | undefined =>
    e.k === 'load' && e.dtype === 'f64' && candidates.has(e.buf)
      ? e.buf
      : e.k === 'scalar' && e.dtype === 'f64'
        ? SCALAR
        : undefined;
  const visit = (e: Expr): void => {
    if (seen.has(e)) return;
    seen.add(e);
    switch (e.k) {
      case 'load':
        visit(e.index);
        return;
      case 'unary':
      case 'cast':
        visit(e.a);
        return;
      case 'select':
        visit(e.c);
        visit(e.a);
        visit(e.b);
        return;
      case 'binary': {
        if (e.dtype === 'f64') {
          const a = inputLoad(e.a),
            b = inputLoad(e.b);
          if ((ADDITIVE.has(e.fn) || COMPARISON.has(e.fn)) && a && b) meetings.push([a, b]);
        }
        visit(e.a);
        visit(e.b);
        return;
      }
      default:
        return;
    }
  };
  const walk = (s: Stage): void => {
    switch (s.kind) {
      case 'map':
        for (const o of s.outputs) {
          visit(o.value);
          visit(o.index);
        }
        return;
      case 'scatter':
        visit(s.value);
        s.indices.forEach(visit);
        return;
      case 'chunk':
      case 'scan':
        s.body.forEach(walk);
        return;
      default:
        for (const b of stageReads(s)) pairOnly.add(b);
    }
  };
  p.stages.forEach(walk);
  // both sides exact, or neither: an exact input meeting a pair gains at most half an ulp
  return new Set(
    meetings
      .filter(([a, b]) => !pairOnly.has(a) && !pairOnly.has(b))
      .flat()
      .filter((b) => b !== SCALAR),
  );
}

/** The plan note naming the exactly held inputs (none: no note). */
export function exactInputsNote(exact: ReadonlySet<string>): string[] {
  if (exact.size === 0) return [];
  return [
    `wgsl df64: input(s) ${[...exact].sort().join(', ')} uploaded exactly as three f32 per element (12 bytes on the GPU, not 8): their sums, differences and comparisons see the whole f64`,
  ];
}
