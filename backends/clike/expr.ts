// Renders loop-IR expressions inside a loop nest for any C-like dialect, binding every shared or
// hoistable sub-expression once at the outermost loop level where all its variables are known
// (loop-invariant code motion: x_i − x_j is computed per (i, j), not per k).
import type { DType } from '../../compiler/ir/graph.ts';
import type { Expr } from '../../compiler/loop/ir.ts';
import { varsOf } from '../../compiler/loop/expr.ts';
import type { Size } from '../../compiler/ir/size.ts';
import type { Dialect } from './dialect.ts';
import { exprKey } from '../../compiler/loop/expr_key.ts';

export interface ExprScope {
  /** Loop variables from outermost to innermost. */
  readonly loopVars: readonly string[];
  /** What the rendered code refers to, so the caller can declare it (sizes, scalars, buffers, offsets). */
  readonly sizesUsed: Set<string>;
  readonly scalarsUsed: Set<string>;
  readonly buffersUsed: Set<string>;
  readonly freeVarsUsed: Set<string>;
}

export function newScope(loopVars: readonly string[]): ExprScope {
  return { loopVars, sizesUsed: new Set(), scalarsUsed: new Set(), buffersUsed: new Set(), freeVarsUsed: new Set() };
}

export class ExprRenderer {
  /** bindings[level + 1] = lines to emit at that level (level −1: before all loops). */
  readonly bindings: string[][];
  private readonly names = new Map<string, string>();
  private readonly vmemo = new Map<Expr, Set<string>>();
  private counter = 0;

  constructor(
    private readonly d: Dialect,
    private readonly scope: ExprScope,
    private readonly prefix = 'v',
  ) {
    this.bindings = Array.from({ length: scope.loopVars.length + 1 }, () => []);
  }

  levelOf(e: Expr): number {
    let lvl = -1;
    for (const name of varsOf(e, this.vmemo)) lvl = Math.max(lvl, this.scope.loopVars.indexOf(name));
    return lvl;
  }

  /** Code for e; non-leaf nodes are bound to named constants at their level. */
  render(e: Expr): string {
    switch (e.k) {
      case 'const':
        return this.d.literal(e.value, e.dtype);
      case 'var': {
        if (this.scope.loopVars.includes(e.name)) return e.name;
        this.scope.freeVarsUsed.add(e.name);
        return this.d.freeVar(e.name);
      }
      case 'size':
        return this.sizeCode(e.size);
      case 'scalar':
        this.scope.scalarsUsed.add(e.name);
        return this.d.scalar(e.name);
    }
    // Structurally equal sub-expressions share one binding (hash-consing by structural key).
    const key = exprKey(e);
    const hit = this.names.get(key);
    if (hit) return hit;
    const code = this.code(e);
    const name = `${this.prefix}${this.counter++}`;
    this.bindings[this.levelOf(e) + 1]!.push(this.d.bind(name, exprType(e), code));
    this.names.set(key, name);
    return name;
  }

  /** A size polynomial as integer code. */
  sizeCode(size: Size): string {
    const c = size.constValue();
    if (c !== undefined) return this.d.literal(c, 'i32');
    const terms = [...size.terms].map(([k, coef]) => {
      const fs = k
        .split('*')
        .filter(Boolean)
        .map((f) => {
          this.scope.sizesUsed.add(f);
          return this.d.size(f);
        });
      return coef === 1 ? fs.join(' * ') : [this.d.literal(coef, 'i32'), ...fs].join(' * ');
    });
    return `(${terms.join(' + ')})`;
  }

  private code(e: Expr): string {
    switch (e.k) {
      case 'load':
        this.scope.buffersUsed.add(e.buf);
        return this.d.load(e.buf, this.render(e.index), e.dtype);
      case 'unary':
        return this.d.unary(e.fn, this.render(e.a), e.dtype);
      case 'binary':
        if (e.fn === 'pow' && e.b.k === 'const' && e.b.value === 2) {
          const a = this.render(e.a);
          return this.d.binary('mul', a, a, e.dtype);
        }
        return this.d.binary(e.fn, this.render(e.a), this.render(e.b), e.dtype);
      case 'select':
        return this.d.select(this.render(e.c), this.render(e.a), this.render(e.b), e.dtype);
      case 'cast':
        return this.d.cast(this.render(e.a), e.from, e.to);
      default:
        throw new Error(`unreachable ${e.k}`);
    }
  }
}

/** The dtype an expression produces. */
export function exprType(e: Expr): DType {
  switch (e.k) {
    case 'var':
    case 'size':
      return 'i32';
    case 'cast':
      return e.to;
    case 'binary':
      return ['lt', 'le', 'gt', 'ge', 'eq', 'ne', 'and', 'or'].includes(e.fn) ? 'bool' : e.dtype;
    default:
      return e.dtype;
  }
}
