// Builders for loop-IR expressions, folding integer index arithmetic as they go so generated
// index code stays readable (i*1+0 never appears).
import type { BinaryFn, DType, UnaryFn } from '../ir/graph.ts';
import { Size, type Shape } from '../ir/size.ts';
import type { Expr } from './ir.ts';
import { children, mapChildren, rewriteDag } from './walk.ts';

export const iconst = (value: number): Expr => ({ k: 'const', value, dtype: 'i32' });
export const fconst = (value: number, dtype: DType = 'f64'): Expr => ({ k: 'const', value, dtype });
export const v = (name: string): Expr => ({ k: 'var', name });

const cval = (e: Expr): number | undefined => (e.k === 'const' ? e.value : undefined);

export function iadd(a: Expr, b: Expr): Expr {
  const ca = cval(a),
    cb = cval(b);
  if (ca !== undefined && cb !== undefined) return iconst(ca + cb);
  if (ca === 0) return b;
  if (cb === 0) return a;
  return { k: 'binary', fn: 'add', a, b, dtype: 'i32' };
}
export function imul(a: Expr, b: Expr): Expr {
  const ca = cval(a),
    cb = cval(b);
  if (ca !== undefined && cb !== undefined) return iconst(ca * cb);
  if (ca === 0 || cb === 0) return iconst(0);
  if (ca === 1) return b;
  if (cb === 1) return a;
  return { k: 'binary', fn: 'mul', a, b, dtype: 'i32' };
}
export function idiv(a: Expr, b: Expr): Expr {
  if (cval(b) === 1) return a;
  return { k: 'binary', fn: 'div', a, b, dtype: 'i32' };
}
export function imod(a: Expr, b: Expr): Expr {
  if (cval(b) === 1) return iconst(0);
  return { k: 'binary', fn: 'mod', a, b, dtype: 'i32' };
}

/** A size formula as an integer expression (constants fold; symbols become size references). */
export function sizeExpr(s: Size): Expr {
  const c = s.constValue();
  if (c !== undefined) return iconst(c);
  return { k: 'size', size: s };
}

/** Row-major flat index of idx in a tensor of shape. */
export function linearize(idx: readonly Expr[], shape: Shape): Expr {
  let flat: Expr = iconst(0);
  for (let i = 0; i < shape.length; i++) flat = iadd(imul(flat, sizeExpr(shape[i]!)), idx[i]!);
  return flat;
}
/** Inverse of linearize. */
export function delinearize(flat: Expr, shape: Shape): Expr[] {
  const out: Expr[] = new Array(shape.length);
  let rest = flat;
  for (let i = shape.length - 1; i >= 0; i--) {
    const d = sizeExpr(shape[i]!);
    out[i] = i === 0 ? rest : imod(rest, d);
    rest = idiv(rest, d);
  }
  return out;
}

export const unaryE = (fn: UnaryFn, a: Expr, dtype: DType): Expr => ({ k: 'unary', fn, a, dtype });
export const binaryE = (fn: BinaryFn, a: Expr, b: Expr, dtype: DType): Expr => ({ k: 'binary', fn, a, b, dtype });

/** Variables an expression depends on (memoised per object by the caller if needed). */
export function varsOf(e: Expr, memo = new Map<Expr, Set<string>>()): Set<string> {
  const hit = memo.get(e);
  if (hit) return hit;
  let s: Set<string>;
  if (e.k === 'var') s = new Set([e.name]);
  else {
    const cs = children(e);
    s = cs.length === 1 ? varsOf(cs[0]!, memo) : new Set(cs.flatMap((c) => [...varsOf(c, memo)]));
  }
  memo.set(e, s);
  return s;
}

/** Replace variables (e.g. a chunked axis variable v → v + offset) throughout an expression DAG. */
export function substitute(e: Expr, f: (name: string) => Expr | undefined, memo = new Map<Expr, Expr>()): Expr {
  return rewriteDag(
    e,
    (x, rec) => {
      if (x.k === 'var') return f(x.name) ?? x;
      const r = mapChildren(x, rec);
      // integer index arithmetic folds again (i + 0 → i) once variables are replaced
      if (r !== x && r.k === 'binary' && r.dtype === 'i32' && r.fn === 'add') return iadd(r.a, r.b);
      if (r !== x && r.k === 'binary' && r.dtype === 'i32' && r.fn === 'mul') return imul(r.a, r.b);
      return r;
    },
    memo,
  );
}

export { Size };
