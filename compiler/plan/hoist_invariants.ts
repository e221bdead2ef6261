// Pass on the loop IR: in a reduction over K nested inside a parallel domain (dirty image: for each
// pixel, Σ_k), sub-expressions that depend only on the reduction variables are the same for every
// output element. Those that cost something (a division, a power or a transcendental) are computed
// once into a small temporary by a map stage before the reduction, which then loads them — e.g.
// V_re,k/σ_re,k² is computed K times instead of M·K times. Values are bitwise unchanged.
import { linearize, v, varsOf } from '../loop/expr.ts';
import type { Axis, BufferDecl, Expr, LoopProgram, MapStage, Stage } from '../loop/ir.ts';
import { exprKey } from '../loop/expr_key.ts';
import { children, forEachNode, mapChildren, rewriteDag } from '../loop/walk.ts';

const EXPENSIVE_UNARY = new Set(['cos', 'sin', 'exp', 'log', 'sqrt']);

function expensive(e: Expr, memo = new Map<Expr, boolean>()): boolean {
  const hit = memo.get(e);
  if (hit !== undefined) return hit;
  // x^2 renders as x*x: cheap. A division or a general power is not.
  const own =
    e.k === 'unary'
      ? EXPENSIVE_UNARY.has(e.fn)
      : e.k === 'binary'
        ? (e.fn === 'div' || (e.fn === 'pow' && !(e.b.k === 'const' && e.b.value === 2))) && e.dtype !== 'i32'
        : false;
  // loads are cheap whatever their index costs
  const r = e.k !== 'load' && (own || children(e).some((c) => expensive(c, memo)));
  memo.set(e, r);
  return r;
}

const rebuild = (e: Expr, replace: (e: Expr) => Expr | undefined): Expr =>
  rewriteDag(e, (x, rec) => replace(x) ?? mapChildren(x, rec));

function hoistStage(
  s: MapStage,
  fresh: () => string,
): { pre: MapStage[]; decls: BufferDecl[]; stage: MapStage } | undefined {
  if (!s.reduce || s.domain.length === 0) return undefined;
  const redAxes = s.reduce.axes;
  const red = new Set(redAxes.map((a) => a.v));
  const vmemo = new Map<Expr, Set<string>>();
  const chosen = new Map<string, Expr>();
  const visit = (e: Expr): boolean => {
    const vars = varsOf(e, vmemo);
    if (vars.size > 0 && [...vars].every((x) => red.has(x)) && e.k !== 'load' && e.k !== 'var' && expensive(e)) {
      chosen.set(exprKey(e), e);
      return false;
    }
    return true;
  };
  const seen = new Set<Expr>();
  for (const o of s.outputs) forEachNode(o.value, visit, seen);
  if (chosen.size === 0) return undefined;
  const pre: MapStage[] = [];
  const decls: BufferDecl[] = [];
  const loads = new Map<string, Expr>();
  for (const [key, e] of chosen) {
    const axes: Axis[] = redAxes.filter((a) => varsOf(e, vmemo).has(a.v));
    const shape = axes.map((a) => a.extent);
    const name = fresh();
    const dtype =
      e.k === 'cast'
        ? e.to
        : e.k === 'binary' && ['lt', 'le', 'gt', 'ge', 'eq', 'ne', 'and', 'or'].includes(e.fn)
          ? 'bool'
          : (e as { dtype: BufferDecl['dtype'] }).dtype;
    decls.push({ name, dtype, shape, role: 'temp' });
    const index = linearize(
      axes.map((a) => v(a.v)),
      shape,
    );
    pre.push({
      kind: 'map',
      name: `${s.name}h${pre.length}`,
      domain: axes,
      outputs: [{ buf: name, index, value: e, accumulate: false }],
      loc: s.loc,
    });
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
    if (!h) {
      stages.push(s);
      continue;
    }
    stages.push(...h.pre, h.stage);
    decls.push(...h.decls);
    notes.push(
      `hoisted out of ${s.name}: ${h.decls.map((d) => `${d.name}(${d.shape.join(', ')})`).join(', ')} depend only on the reduction axes and are computed once`,
    );
  }
  return { ...p, buffers: decls, stages, notes };
}
