// Structural keys for loop-IR expressions, so lowering can share a sub-expression that is reached
// twice with the same indices (e.g. A feeding both cos(A) and sin(A)).
import type { Expr } from '../loop/ir.ts';

const keys = new WeakMap<Expr, string>();

export function exprKey(e: Expr): string {
  const hit = keys.get(e);
  if (hit !== undefined) return hit;
  let k: string;
  switch (e.k) {
    case 'const': k = `${e.dtype}:${e.value}`; break;
    case 'var': k = e.name; break;
    case 'size': k = `#${e.size}`; break;
    case 'scalar': k = `$${e.name}`; break;
    case 'load': k = `${e.buf}[${exprKey(e.index)}]`; break;
    case 'unary': k = `${e.fn}(${exprKey(e.a)})`; break;
    case 'binary': k = `${e.fn}(${exprKey(e.a)},${exprKey(e.b)})`; break;
    case 'select': k = `?(${exprKey(e.c)},${exprKey(e.a)},${exprKey(e.b)})`; break;
    case 'cast': k = `${e.to}(${exprKey(e.a)})`; break;
  }
  keys.set(e, k);
  return k;
}
