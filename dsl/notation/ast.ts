// The syntax tree of an index-notation formula, as the parser builds it and lowering reads it.
// Positions are offsets into the formula text; locate.ts turns them into the user's file:line:col.

/** Offsets of the node's representative token (`pos`: the operator, name or function) and first token (`start`). */
export interface Span {
  readonly pos: number;
  readonly start: number;
}

export interface Ident {
  readonly name: string;
  readonly pos: number;
}

export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '^' | '<' | '<=' | '>' | '>=' | '==' | '!=';
/** A function name: the keywords (cos sin exp log sqrt abs floor min max where) or any name followed by '(' —
 * resolve.ts knows which exist (tan, atan2, erf, …) and reports the others as unknown functions. */
export type CallFn = string;

export type Expr =
  | (Span & { readonly kind: 'num'; readonly value: number })
  /** A bare identifier: an index variable, or a scalar from env. */
  | (Span & { readonly kind: 'name'; readonly name: string })
  /** name[sub, …]: plain indexing when every subscript is a distinct bare index, a gather otherwise. */
  | (Span & { readonly kind: 'access'; readonly name: string; readonly subs: readonly Expr[] })
  | (Span & { readonly kind: 'call'; readonly fn: CallFn; readonly args: readonly Expr[] })
  | (Span & { readonly kind: 'neg'; readonly arg: Expr })
  | (Span & { readonly kind: 'binary'; readonly op: BinaryOp; readonly lhs: Expr; readonly rhs: Expr })
  | (Span & {
      readonly kind: 'reduce';
      readonly fn: 'sum' | 'max';
      readonly indices: readonly Ident[];
      readonly body: Expr;
    });

export interface Statement {
  /** The left-hand side's name (any identifier; later statements may use it as an array). */
  readonly target: Ident;
  readonly indices: readonly Ident[];
  readonly rhs: Expr;
}
