// The graph IR: a DAG of array operations with symbolic shapes, dtypes and source positions.
// DSL tracing and the index-notation parser both build it; passes rewrite it; the reference
// interpreter executes it; lowering turns it into the loop IR that backends render.
import type { Shape, Size } from './size.ts';
import type { SourceLoc } from './source.ts';

export type DType = 'f64' | 'f32' | 'i32' | 'bool';
export const DTYPE_BYTES: Record<DType, number> = { f64: 8, f32: 4, i32: 4, bool: 4 };
export const isFloat = (d: DType): boolean => d === 'f64' || d === 'f32';

export type UnaryFn =
  | 'neg'
  | 'cos'
  | 'sin'
  | 'tan'
  | 'asin'
  | 'acos'
  | 'atan'
  | 'sinh'
  | 'cosh'
  | 'tanh'
  | 'asinh'
  | 'acosh'
  | 'atanh'
  | 'exp'
  | 'expm1'
  | 'log'
  | 'log1p'
  | 'sqrt'
  | 'abs'
  | 'sign'
  | 'floor'
  | 'ceil'
  | 'round'
  | 'trunc'
  | 'erf'
  | 'erfc'
  | 'lgamma'
  | 'not';
/** Unary functions defined on integers too (the rest need f64 or f32). */
export const INTEGER_UNARY: ReadonlySet<UnaryFn> = new Set(['neg', 'abs', 'sign']);
export type BinaryFn =
  | 'add'
  | 'sub'
  | 'mul'
  | 'div'
  | 'pow'
  | 'min'
  | 'max'
  | 'mod'
  | 'atan2'
  | 'hypot'
  | 'lt'
  | 'le'
  | 'gt'
  | 'ge'
  | 'eq'
  | 'ne'
  | 'and'
  | 'or';
export const COMPARISONS: ReadonlySet<BinaryFn> = new Set(['lt', 'le', 'gt', 'ge', 'eq', 'ne']);
export const LOGICAL: ReadonlySet<BinaryFn> = new Set(['and', 'or']);
export type ReduceFn = 'sum' | 'max';

export interface ResultType {
  readonly shape: Shape;
  readonly dtype: DType;
}

/**
 * Operations. Conventions (also in README "Semantics"):
 * - broadcast: input axis i maps to output axis axes[i]; its size equals the output's or is literal 1.
 * - gather: inputs [x, idx_0 … idx_{r-1}] (r = rank of x, all idx the same shape) → out[p] = x[idx_0[p], …].
 * - scatterAdd: inputs [values, idx_0 … idx_{r-1}] → out (shape attr) zero, out[idx(p)] += values[p];
 *   an entry whose index is −1 on any axis is skipped (padding).
 * - scan: body graph with params [carry…, x…] and outputs [carry'…, y…]; results are [carry…, ys…].
 * - cholesky: lower factor L of a symmetric positive-definite matrix; a non-PD input is a runtime error.
 * - triSolve: solves L·X = B (lower, !transpose) or Lᵀ·X = B (lower, transpose) for X.
 * - fft: 2-D discrete Fourier transform over the two axes before the last of x: [(B,) Ny, Nx, 2], the trailing
 *   axis holding (re, im). Forward Σ x·e^{−2πi(ky·y/Ny + kx·x/Nx)}; inverse the + sign and 1/(Ny·Nx) (numpy's).
 * - fftconv: inputs [x, k], x real [(B,) Ny, Nx], k real [Py, Px] with Py ≥ Ny, Px ≥ Nx → out like x:
 *   out[b, y, x] = Σ_{y' < Ny, x' < Nx} k[(y − y') mod Py, (x − x') mod Px]·x[b, y', x'] — the circular convolution
 *   on the Py×Px grid of x zero-padded to it, read at x's own extent (by FFT on every target; dsl/fourier.ts).
 */
export type Op =
  | { kind: 'param'; name: string }
  | { kind: 'size'; name: string }
  | { kind: 'const'; value: number }
  | { kind: 'iota'; axis: number }
  | { kind: 'unary'; fn: UnaryFn }
  | { kind: 'binary'; fn: BinaryFn }
  | { kind: 'where' }
  | { kind: 'cast' }
  | { kind: 'broadcast'; axes: readonly number[] }
  | { kind: 'reduce'; fn: ReduceFn; axes: readonly number[] }
  | { kind: 'matmul'; transA: boolean; transB: boolean }
  | { kind: 'reshape' }
  | { kind: 'transpose'; perm: readonly number[] }
  | { kind: 'slice'; starts: readonly Size[] }
  | { kind: 'concat'; axis: number }
  | { kind: 'gather' }
  | { kind: 'scatterAdd' }
  | { kind: 'scan'; body: Graph; nCarry: number; reverse: boolean; length: Size; results: readonly ResultType[] }
  | { kind: 'result'; index: number }
  | { kind: 'cholesky' }
  | { kind: 'triSolve'; transpose: boolean }
  | { kind: 'fft'; inverse: boolean }
  | { kind: 'fftconv' };

export type OpKind = Op['kind'];

let nextId = 0;

export class Node {
  readonly id = nextId++;
  constructor(
    readonly op: Op,
    readonly inputs: readonly Node[],
    readonly shape: Shape,
    readonly dtype: DType,
    readonly loc?: SourceLoc,
  ) {}
  get rank(): number {
    return this.shape.length;
  }
}

export type ParamKind =
  /**
   * bounds: an i32 array whose column c holds values in [0, bounds[c]) (size names), checked at run time;
   * range: allowed values [lo, hi) — one pair for every element, or one per position of the last axis;
   * min: every value of a float array is ≥ min (e.g. non-negative weights), checked at run time;
   * indexUses: ranges [lo, hi) inferred from the input's direct use as a gather/scatterAdd index
   * (compiler/ir/index_ranges.ts), checked at run time like declared ones, all of them.
   */
  | {
      kind: 'array';
      dtype: DType;
      shape: Shape;
      bounds?: readonly string[];
      range?: readonly (readonly [Size, Size])[];
      min?: number;
      indexUses?: readonly { readonly lo: number; readonly hi: Size; readonly use: string }[];
    }
  | { kind: 'scalar'; dtype: DType }
  /** An integer (or list of integers) whose value binds size symbols, e.g. sourcePixels → S, shape → [Ny, Nx]. */
  | { kind: 'sizes'; names: readonly string[] };

export interface ParamDecl {
  readonly name: string;
  readonly kind: ParamKind;
  readonly node?: Node;
}

export interface Graph {
  readonly name: string;
  readonly params: readonly ParamDecl[];
  readonly outputs: readonly { readonly name: string; readonly node: Node }[];
  /** true when the kernel returns a single array rather than an object of them. */
  readonly singleOutput: boolean;
  readonly loc?: SourceLoc;
  /** Which algebraic rewrites may run (compiler/passes/rewrite_switch.ts); all when absent. */
  readonly rewrites?: RewriteSwitch;
  /** What the graph passes decided and why, for `lensc explain` (appended by passes in order). */
  readonly notes?: readonly string[];
}

/** true: every rewrite; false: none; a list: only the named ones (e.g. ['separable']). */
export type RewriteSwitch = boolean | readonly string[];

/** All nodes reachable from the outputs, inputs before users (deterministic order). */
export function topoOrder(roots: readonly Node[]): Node[] {
  const seen = new Set<Node>();
  const out: Node[] = [];
  const visit = (n: Node): void => {
    if (seen.has(n)) return;
    seen.add(n);
    // iterative would be safer for very deep graphs; kernels here are shallow
    for (const i of n.inputs) visit(i);
    out.push(n);
  };
  for (const r of roots) visit(r);
  return out;
}

/** Nodes that use each node (within the graph reachable from roots). */
export function usersOf(roots: readonly Node[]): Map<Node, Node[]> {
  const users = new Map<Node, Node[]>();
  for (const n of topoOrder(roots)) {
    for (const i of n.inputs) {
      const u = users.get(i) ?? [];
      if (!u.includes(n)) u.push(n);
      users.set(i, u);
    }
  }
  return users;
}

export function isElementwise(n: Node): boolean {
  const k = n.op.kind;
  return k === 'unary' || k === 'binary' || k === 'where' || k === 'cast';
}
