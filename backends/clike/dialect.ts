// What a C-like target must say about its syntax for the shared renderers (backends/clike): how to
// write literals, operators, declarations, loads/stores and loops. JS, WGSL and CUDA each provide
// one; the expression and loop-nest rendering (expr.ts, nest.ts) is written once.
import type { BinaryFn, DType, UnaryFn } from '../../compiler/ir/graph.ts';

/** The binary functions every C-like target writes as an infix operator, as C, CUDA and WGSL spell them (JS overrides eq/ne). */
export const INFIX_OPS: Readonly<Partial<Record<BinaryFn, string>>> = {
  add: '+',
  sub: '-',
  mul: '*',
  div: '/',
  lt: '<',
  le: '<=',
  gt: '>',
  ge: '>=',
  eq: '==',
  ne: '!=',
  and: '&&',
  or: '||',
};

export interface Dialect {
  readonly name: string;
  literal(value: number, dtype: DType): string;
  /** `const name = code;` in the target's syntax. */
  bind(name: string, dtype: DType, code: string): string;
  /** A mutable local initialised to code. */
  declareVar(name: string, dtype: DType, code: string): string;
  load(buf: string, index: string, dtype: DType): string;
  /** buf[index] = value (or += when accumulate). */
  store(buf: string, index: string, value: string, dtype: DType, accumulate: boolean): string;
  unary(fn: UnaryFn, a: string, dtype: DType): string;
  /** dtype is the operands' dtype. */
  binary(fn: BinaryFn, a: string, b: string, dtype: DType): string;
  select(c: string, a: string, b: string, dtype: DType): string;
  cast(a: string, from: DType, to: DType): string;
  /** Reference to a size symbol's value (an i32). */
  size(symbol: string): string;
  /** Reference to a scalar kernel input. */
  scalar(name: string): string;
  /** Reference to a non-loop variable (a chunk offset). */
  freeVar(name: string): string;
  forLoop(v: string, from: string, to: string): string;
  /**
   * Optional: how a sum reduction's accumulator is declared, added to and read, for targets that sum
   * with compensation (WGSL: f32 only). Without it: `acc = 0; acc += value; store acc`.
   */
  readonly sum?: {
    declare(acc: string, dtype: DType): string;
    add(acc: string, value: string, dtype: DType): string;
    value(acc: string, dtype: DType): string;
  };
  /** acc = max(acc, value) with NaN propagation left to the target. */
  maxInto(acc: string, value: string, dtype: DType): string;
  /** How an if-block opens (`if (cond) {`). */
  ifOpen(cond: string): string;
  /** Statement that aborts on an out-of-range scatter index (or records it). */
  scatterRangeError(indices: string[], dims: string[]): string;
}

/** The start value of a max reduction: −∞ for floats; i32 has no −∞, so its smallest value. */
export const maxIdentity = (dtype: DType): number => (dtype === 'i32' ? -2147483648 : -Infinity);
