// The one generic traversal of loop-IR expressions: which sub-expressions an Expr has, and the same
// Expr with its sub-expressions replaced. Every walker over Expr (variables, loads, substitution,
// hoisting, phase reduction, printing) goes through these two, so a new expression kind is taught
// to the walkers here, once. Expressions are DAGs: walkers memoise per object.
import type { Expr } from './ir.ts';

/** The direct sub-expressions of e, in evaluation order (select: c, a, b; binary: a, b). */
export function children(e: Expr): readonly Expr[] {
  switch (e.k) {
    case 'load':
      return [e.index];
    case 'unary':
    case 'cast':
      return [e.a];
    case 'binary':
      return [e.a, e.b];
    case 'select':
      return [e.c, e.a, e.b];
    case 'const':
    case 'var':
    case 'size':
    case 'scalar':
      return [];
  }
}

/** e with each direct sub-expression replaced by f(child), in the order of children(e); e itself when nothing changed. */
export function mapChildren(e: Expr, f: (child: Expr) => Expr): Expr {
  switch (e.k) {
    case 'load': {
      const index = f(e.index);
      return index === e.index ? e : { ...e, index };
    }
    case 'unary':
    case 'cast': {
      const a = f(e.a);
      return a === e.a ? e : { ...e, a };
    }
    case 'binary': {
      const a = f(e.a),
        b = f(e.b);
      return a === e.a && b === e.b ? e : { ...e, a, b };
    }
    case 'select': {
      const c = f(e.c),
        a = f(e.a),
        b = f(e.b);
      return c === e.c && a === e.a && b === e.b ? e : { ...e, c, a, b };
    }
    case 'const':
    case 'var':
    case 'size':
    case 'scalar':
      return e;
  }
}

/**
 * Visits every distinct node of the DAG once, parents before children (children in evaluation order).
 * `visit` returning false skips that node's children.
 */
export function forEachNode(e: Expr, visit: (e: Expr) => boolean | void, seen = new Set<Expr>()): void {
  if (seen.has(e)) return;
  seen.add(e);
  if (visit(e) === false) return;
  for (const c of children(e)) forEachNode(c, visit, seen);
}

/**
 * Rewrites a DAG bottom-up, once per distinct node: `f(e, rec)` returns the new node, calling `rec`
 * on whichever children it wants rewritten (usually via mapChildren(e, rec)). Shared nodes stay shared.
 */
export function rewriteDag(e: Expr, f: (e: Expr, rec: (c: Expr) => Expr) => Expr, memo = new Map<Expr, Expr>()): Expr {
  const rec = (x: Expr): Expr => {
    const hit = memo.get(x);
    if (hit) return hit;
    const r = f(x, rec);
    memo.set(x, r);
    return r;
  };
  return rec(e);
}
