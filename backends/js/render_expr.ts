// Renders loop-IR expressions to JavaScript inside a loop nest, binding every shared or hoistable
// sub-expression once at the outermost loop level where all its variables are known
// (loop-invariant code motion: x_i − x_j is computed per (i, j), not per k).
import type { DType } from '../../compiler/ir/graph.ts';
import type { Expr } from '../../compiler/loop/ir.ts';
import { varsOf } from '../../compiler/loop/expr.ts';

export interface ExprScope {
  /** Loop variables from outermost to innermost. */
  readonly loopVars: readonly string[];
  /** JS name of the typed-array view for a buffer. */
  readonly bufName: (buf: string) => string;
  /** Sizes used (rendered as bare names hoisted at the top). */
  readonly sizesUsed: Set<string>;
  readonly scalarsUsed: Set<string>;
}

export class ExprRenderer {
  /** bindings[level + 1] = lines to emit at that level (level −1: before all loops). */
  readonly bindings: string[][];
  private readonly names = new Map<Expr, string>();
  private readonly vmemo = new Map<Expr, Set<string>>();
  private counter = 0;

  constructor(private readonly scope: ExprScope, private readonly prefix = 'v') {
    this.bindings = Array.from({ length: scope.loopVars.length + 1 }, () => []);
  }

  levelOf(e: Expr): number {
    let lvl = -1;
    for (const name of varsOf(e, this.vmemo)) lvl = Math.max(lvl, this.scope.loopVars.indexOf(name));
    return lvl;
  }

  /** A JS expression for e; non-leaf nodes are bound to consts at their level. */
  render(e: Expr): string {
    switch (e.k) {
      case 'const': return literal(e.value, e.dtype);
      case 'var': return e.name;
      case 'size': {
        for (const s of e.size.symbols()) this.scope.sizesUsed.add(s);
        return `(${e.size.toJs('')})`;
      }
      case 'scalar': this.scope.scalarsUsed.add(e.name); return `p_${e.name}`;
    }
    const hit = this.names.get(e);
    if (hit) return hit;
    const code = this.code(e);
    const name = `${this.prefix}${this.counter++}`;
    this.bindings[this.levelOf(e) + 1]!.push(`const ${name} = ${code};`);
    this.names.set(e, name);
    return name;
  }

  private code(e: Expr): string {
    switch (e.k) {
      case 'load': {
        const v = `${this.scope.bufName(e.buf)}[${this.render(e.index)}]`;
        return e.dtype === 'bool' ? `(${v} !== 0)` : v;
      }
      case 'unary': {
        const a = this.render(e.a);
        const f32 = e.dtype === 'f32';
        const wrap = (s: string) => (f32 ? `Math.fround(${s})` : s);
        switch (e.fn) {
          case 'neg': return e.dtype === 'i32' ? `(-${a} | 0)` : `-${a}`;
          case 'not': return `!${a}`;
          case 'abs': return e.dtype === 'i32' ? `(Math.abs(${a}) | 0)` : `Math.abs(${a})`;
          default: return wrap(`Math.${e.fn}(${a})`);
        }
      }
      case 'binary': return this.binary(e);
      case 'select': return `(${this.render(e.c)} ? ${this.render(e.a)} : ${this.render(e.b)})`;
      case 'cast': {
        const a = this.render(e.a);
        return castJs(a, e.from, e.to);
      }
      default: throw new Error(`unreachable ${e.k}`);
    }
  }

  private binary(e: Extract<Expr, { k: 'binary' }>): string {
    if (e.fn === 'pow' && e.b.k === 'const' && e.b.value === 2) { const a = this.render(e.a); return e.dtype === 'f32' ? `Math.fround(${a} * ${a})` : `(${a} * ${a})`; }
    const a = this.render(e.a), b = this.render(e.b);
    const ops: Record<string, string> = { add: '+', sub: '-', mul: '*', div: '/', lt: '<', le: '<=', gt: '>', ge: '>=', eq: '===', ne: '!==', and: '&&', or: '||' };
    if (e.dtype === 'i32') {
      switch (e.fn) {
        case 'add': case 'sub': return `((${a} ${ops[e.fn]} ${b}) | 0)`;
        case 'mul': return `Math.imul(${a}, ${b})`;
        case 'div': return `(Math.floor(${a} / ${b}) | 0)`;
        case 'mod': return `(((${a} % ${b}) + ${b}) % ${b})`;
        case 'min': case 'max': return `Math.${e.fn}(${a}, ${b})`;
      }
    }
    const f32 = e.dtype === 'f32';
    const wrap = (s: string) => (f32 ? `Math.fround(${s})` : s);
    switch (e.fn) {
      case 'mod': return wrap(`(${a} - Math.floor(${a} / ${b}) * ${b})`);
      case 'pow': return wrap(`Math.pow(${a}, ${b})`);
      case 'min': case 'max': return `Math.${e.fn}(${a}, ${b})`;
      case 'lt': case 'le': case 'gt': case 'ge': case 'eq': case 'ne': case 'and': case 'or': return `(${a} ${ops[e.fn]} ${b})`;
      default: return wrap(`(${a} ${ops[e.fn]} ${b})`);
    }
  }
}

export function literal(value: number, dtype: DType): string {
  if (dtype === 'bool') return value ? 'true' : 'false';
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  const s = dtype === 'f32' ? String(Math.fround(value)) : String(value);
  return value < 0 || Object.is(value, -0) ? `(${s === '0' ? '-0' : s})` : s;
}

export function castJs(a: string, from: DType, to: DType): string {
  if (from === to) return a;
  if (to === 'bool') return `(${a} !== 0)`;
  if (from === 'bool') return `(${a} ? 1 : 0)`;
  if (to === 'i32') return `(Math.trunc(${a}) | 0)`;
  if (to === 'f32') return `Math.fround(${a})`;
  return a;
}

/** Value to store in a buffer of dtype (booleans become 0/1). */
export function storeValue(code: string, dtype: DType): string {
  return dtype === 'bool' ? `(${code} ? 1 : 0)` : code;
}
