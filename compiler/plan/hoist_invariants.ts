// Pass on the loop IR: in a reduction over K nested inside a parallel domain (dirty image: for each
// pixel, Σ_k), sub-expressions that depend only on the reduction variables are the same for every
// output element. Those that cost something (a division, a power or a transcendental) are computed
// once into a small temporary by a map stage before the reduction, which then loads them — e.g.
// V_re,k/σ_re,k² is computed K times instead of M·K times. Values are bitwise unchanged.
import { linearize, v, varsOf } from '../loop/expr.ts';
import type { Axis, BufferDecl, Expr, LoopProgram, MapStage, Stage } from '../loop/ir.ts';
import { exprKey } from '../lower/expr_key.ts';

const EXPENSIVE_UNARY = new Set(['cos', 'sin', 'exp', 'log', 'sqrt']);

function expensive(e: Expr, memo = new Map<Expr, boolean>()): boolean {
  const hit = memo.get(e);
  if (hit !== undefined) return hit;
  let r = false;
  switch (e.k) {
    case 'unary': r = EXPENSIVE_UNARY.has(e.fn) || expensive(e.a, memo); break;
    // x^2 renders as x*x: cheap. A division or a general power is not.
    case 'binary': r = ((e.fn === 'div' || (e.fn === 'pow' && !(e.b.k === 'const' && e.b.value === 2))) && e.dtype !== 'i32') || expensive(e.a, memo) || expensive(e.b, memo); break;
    case 'select': r = expensive(e.c, memo) || expensive(e.a, memo) || expensive(e.b, memo); break;
    case 'cast': r = expensive(e.a, memo); break;
    default: r = false;
  }
  memo.set(e, r);
  return r;
}

function rebuild(e: Expr, replace: (e: Expr) => Expr | undefined, memo = new Map<Expr, Expr>()): Expr {
  const hit = memo.get(e);
  if (hit) return hit;
  const rep = replace(e);
  let r: Expr;
  if (rep) r = rep;
  else switch (e.k) {
    case 'load': r = { ...e, index: rebuild(e.index, replace, memo) }; break;
    case 'unary': case 'cast': r = { ...e, a: rebuild(e.a, replace, memo) }; break;
    case 'binary': r = { ...e, a: rebuild(e.a, replace, memo), b: rebuild(e.b, replace, memo) }; break;
    case 'select': r = { ...e, c: rebuild(e.c, replace, memo), a: rebuild(e.a, replace, memo), b: rebuild(e.b, replace, memo) }; break;
    default: r = e;
  }
  memo.set(e, r);
  return r;
}

function hoistStage(s: MapStage, fresh: () => string): { pre: MapStage[]; decls: BufferDecl[]; stage: MapStage } | undefined {
  if (!s.reduce || s.domain.length === 0) return undefined;
  const redAxes = s.reduce.axes;
  const red = new Set(redAxes.map((a) => a.v));
  const vmemo = new Map<Expr, Set<string>>();
  const chosen = new Map<string, Expr>();
  const visit = (e: Expr): void => {
    const vars = varsOf(e, vmemo);
    if (vars.size > 0 && [...vars].every((x) => red.has(x)) && e.k !== 'load' && e.k !== 'var' && expensive(e)) {
      chosen.set(exprKey(e), e);
      return;
    }
    switch (e.k) {
      case 'load': visit(e.index); break;
      case 'unary': case 'cast': visit(e.a); break;
      case 'binary': visit(e.a); visit(e.b); break;
      case 'select': visit(e.c); visit(e.a); visit(e.b); break;
    }
  };
  for (const o of s.outputs) visit(o.value);
  if (chosen.size === 0) return undefined;
  const pre: MapStage[] = [];
  const decls: BufferDecl[] = [];
  const loads = new Map<string, Expr>();
  for (const [key, e] of chosen) {
    const axes: Axis[] = redAxes.filter((a) => varsOf(e, vmemo).has(a.v));
    const shape = axes.map((a) => a.extent);
    const name = fresh();
    const dtype = e.k === 'cast' ? e.to : e.k === 'binary' && ['lt', 'le', 'gt', 'ge', 'eq', 'ne', 'and', 'or'].includes(e.fn) ? 'bool' : (e as { dtype: BufferDecl['dtype'] }).dtype;
    decls.push({ name, dtype, shape, role: 'temp' });
    const index = linearize(axes.map((a) => v(a.v)), shape);
    pre.push({ kind: 'map', name: `${s.name}h${pre.length}`, domain: axes, outputs: [{ buf: name, index, value: e, accumulate: false }], loc: s.loc });
    loads.set(key, { k: 'load', buf: name, index, dtype });
  }
  const outputs = s.outputs.map((o) => ({ ...o, value: rebuild(o.value, (e) => loads.get(exprKey(e))) }));
  return { pre, decls, stage: { ...s, outputs } };
}

export function hoistReductionInvariants(p: LoopProgram): LoopProgram {
  let n = 0;
  const fresh = () => `h${n++}`;
  const decls: BufferDecl[] = [...p.buffers];
  const notes = [...p.notes];
  const stages: Stage[] = [];
  for (const s of p.stages) {
    const h = s.kind === 'map' ? hoistStage(s, fresh) : undefined;
    if (!h) { stages.push(s); continue; }
    stages.push(...h.pre, h.stage);
    decls.push(...h.decls);
    notes.push(`hoisted out of ${s.name}: ${h.decls.map((d) => `${d.name}(${d.shape.join(', ')})`).join(', ')} depend only on the reduction axes and are computed once`);
  }
  return { ...p, buffers: decls, stages, notes };
}
