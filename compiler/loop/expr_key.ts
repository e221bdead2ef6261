// Structural keys for loop-IR expressions, so lowering can share a sub-expression that is reached
// twice with the same indices (e.g. A feeding both cos(A) and sin(A)), and passes and renderers can
// recognise equal sub-expressions.
import type { Expr } from './ir.ts';
import { children } from './walk.ts';

const keys = new WeakMap<Expr, string>();

export function exprKey(e: Expr): string {
  const hit = keys.get(e);
  if (hit !== undefined) return hit;
  const args = children(e).map(exprKey).join(',');
  let k: string;
  switch (e.k) {
    case 'const':
      k = `${e.dtype}:${e.value}`;
      break;
    case 'var':
      k = e.name;
      break;
    case 'size':
      k = `#${e.size}`;
      break;
    case 'scalar':
      k = `$${e.name}`;
      break;
    case 'load':
      k = `${e.buf}[${args}]`;
      break;
    case 'unary':
    case 'binary':
      k = `${e.fn}(${args})`;
      break;
    case 'select':
      k = `?(${args})`;
      break;
    case 'cast':
      k = `${e.to}(${args})`;
      break;
  }
  keys.set(e, k);
  return k;
}
