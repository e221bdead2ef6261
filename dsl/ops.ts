// The DSL's primitives as free functions. Broadcasting (one rule set, README "Broadcasting"):
// shapes are aligned at their trailing axes; two sizes combine when they are equal or one is the
// literal 1; a plain JS number takes the dtype of the tensor it meets (f64 when alone).
import { Node, type BinaryFn, type DType, type ReduceFn, type UnaryFn } from '../compiler/ir/graph.ts';
import { broadcastShapes } from '../compiler/ir/infer.ts';
import { Size, shapeOf, shapeToString, shapesEqual, type Shape, type SizeLike } from '../compiler/ir/size.ts';
import { LenscError } from '../compiler/ir/source.ts';
import { Tensor, type TensorLike } from './tensor.ts';
import { currentLoc, makeNode, rawNode } from './trace.ts';

export type AxisSpec = number | string | readonly (number | string)[];
export interface MatmulOptions {
  transA?: boolean;
  transB?: boolean;
}

const t = (n: Node): Tensor => new Tensor(n);

/** Shapes from user input: a malformed size name is a LenscError at the user's line. */
function userShape(op: string, dims: readonly SizeLike[]): Size[] {
  try {
    return shapeOf(dims);
  } catch (e) {
    throw new LenscError(op, `invalid size in shape [${dims.join(', ')}]: ${(e as Error).message}`, currentLoc());
  }
}

/** A constant tensor (rank 0 unless a shape is given, then broadcast). */
export function constant(value: number, dtype: DType = 'f64', shape?: readonly SizeLike[]): Tensor {
  if (!Number.isFinite(value) && !Number.isNaN(value) && dtype === 'i32')
    throw new LenscError('constant', `i32 constant must be finite, got ${value}`, currentLoc());
  if (dtype === 'i32' && !Number.isInteger(value))
    throw new LenscError(
      'constant',
      `dtype mismatch: ${value} is not an integer but the constant is i32`,
      currentLoc(),
    );
  const c = t(rawNode({ kind: 'const', value }, [], [], dtype));
  return shape ? broadcastTo(c, shape) : c;
}
export const full = (shape: readonly SizeLike[], value: number, dtype: DType = 'f64'): Tensor =>
  constant(value, dtype, shape);
export const zeros = (shape: readonly SizeLike[], dtype: DType = 'f64'): Tensor => constant(0, dtype, shape);

function lift(x: TensorLike, like: DType): Tensor {
  if (x instanceof Tensor) return x;
  if (typeof x !== 'number')
    throw new LenscError('operand', `expected a Tensor or a number, got ${typeof x}`, currentLoc());
  return constant(x, like === 'bool' ? 'f64' : like);
}

/** Broadcast x to shape (numpy rules: trailing alignment, literal-1 axes stretch). */
export function broadcastTo(x: Tensor, shape: readonly SizeLike[]): Tensor {
  const out = userShape('broadcast', shape);
  if (shapesEqual(x.shape, out)) return x;
  const offset = out.length - x.rank;
  if (offset < 0)
    throw new LenscError(
      'broadcast',
      `shape mismatch: cannot broadcast ${shapeToString(x.shape)} to ${shapeToString(out)}`,
      currentLoc(),
    );
  return t(makeNode({ kind: 'broadcast', axes: x.shape.map((_, i) => i + offset) }, [x.node], out));
}

function binary(fn: BinaryFn, a: TensorLike, b: TensorLike): Tensor {
  const dt = a instanceof Tensor ? a.dtype : b instanceof Tensor ? b.dtype : 'f64';
  const ta = lift(a, dt),
    tb = lift(b, dt);
  const shape = broadcastShapes(fn, [ta.shape, tb.shape], currentLoc());
  return t(makeNode({ kind: 'binary', fn }, [broadcastTo(ta, shape).node, broadcastTo(tb, shape).node]));
}
const unary = (fn: UnaryFn, a: TensorLike): Tensor => t(makeNode({ kind: 'unary', fn }, [lift(a, 'f64').node]));

export const add = (a: TensorLike, b: TensorLike) => binary('add', a, b);
export const sub = (a: TensorLike, b: TensorLike) => binary('sub', a, b);
export const mul = (a: TensorLike, b: TensorLike) => binary('mul', a, b);
export const div = (a: TensorLike, b: TensorLike) => binary('div', a, b);
/** Floor modulo (the result has the sign of the divisor), for floats and i32 alike. */
export const mod = (a: TensorLike, b: TensorLike) => binary('mod', a, b);
export const pow = (a: TensorLike, b: TensorLike) => binary('pow', a, b);
export const minimum = (a: TensorLike, b: TensorLike) => binary('min', a, b);
export const maximum = (a: TensorLike, b: TensorLike) => binary('max', a, b);
export const lt = (a: TensorLike, b: TensorLike) => binary('lt', a, b);
export const le = (a: TensorLike, b: TensorLike) => binary('le', a, b);
export const gt = (a: TensorLike, b: TensorLike) => binary('gt', a, b);
export const ge = (a: TensorLike, b: TensorLike) => binary('ge', a, b);
export const eq = (a: TensorLike, b: TensorLike) => binary('eq', a, b);
export const ne = (a: TensorLike, b: TensorLike) => binary('ne', a, b);
export const and = (a: Tensor, b: Tensor) => binary('and', a, b);
export const or = (a: Tensor, b: Tensor) => binary('or', a, b);
export const neg = (a: TensorLike) => unary('neg', a);
export const cos = (a: TensorLike) => unary('cos', a);
export const sin = (a: TensorLike) => unary('sin', a);
export const exp = (a: TensorLike) => unary('exp', a);
export const log = (a: TensorLike) => unary('log', a);
export const sqrt = (a: TensorLike) => unary('sqrt', a);
export const abs = (a: TensorLike) => unary('abs', a);
export const floor = (a: TensorLike) => unary('floor', a);
export const not = (a: Tensor) => unary('not', a);
export const tan = (a: TensorLike) => unary('tan', a);
export const asin = (a: TensorLike) => unary('asin', a);
export const acos = (a: TensorLike) => unary('acos', a);
export const atan = (a: TensorLike) => unary('atan', a);
export const sinh = (a: TensorLike) => unary('sinh', a);
export const cosh = (a: TensorLike) => unary('cosh', a);
export const tanh = (a: TensorLike) => unary('tanh', a);
export const asinh = (a: TensorLike) => unary('asinh', a);
export const acosh = (a: TensorLike) => unary('acosh', a);
export const atanh = (a: TensorLike) => unary('atanh', a);
/** log(1 + x), accurate for small x. */
export const log1p = (a: TensorLike) => unary('log1p', a);
/** exp(x) − 1, accurate for small x. */
export const expm1 = (a: TensorLike) => unary('expm1', a);
export const erf = (a: TensorLike) => unary('erf', a);
/** 1 − erf(x), accurate where it is tiny. */
export const erfc = (a: TensorLike) => unary('erfc', a);
/** log|Γ(x)| (C's lgamma): +∞ at 0 and the negative integers. */
export const lgamma = (a: TensorLike) => unary('lgamma', a);
/** −1, 0 or 1 (the sign of zero kept; NaN stays NaN); i32 too. */
export const sign = (a: TensorLike) => unary('sign', a);
export const ceil = (a: TensorLike) => unary('ceil', a);
/** Round half away from zero (round(−2.5) = −3; Math.round would give −2). */
export const round = (a: TensorLike) => unary('round', a);
export const trunc = (a: TensorLike) => unary('trunc', a);
/** The angle of the point (x, y): atan2(y, x) in (−π, π]. */
export const atan2 = (y: TensorLike, x: TensorLike) => binary('atan2', y, x);
/** √(a² + b²) without overflow or underflow in the squares. */
export const hypot = (a: TensorLike, b: TensorLike) => binary('hypot', a, b);
/** x limited to [lo, hi]: minimum(maximum(x, lo), hi) (NaN stays NaN). */
export const clip = (x: TensorLike, lo: TensorLike, hi: TensorLike) => minimum(maximum(x, lo), hi);

export function where(cond: Tensor, a: TensorLike, b: TensorLike): Tensor {
  const dt = a instanceof Tensor ? a.dtype : b instanceof Tensor ? b.dtype : 'f64';
  const ta = lift(a, dt),
    tb = lift(b, dt);
  const shape = broadcastShapes('where', [cond.shape, ta.shape, tb.shape], currentLoc());
  return t(
    makeNode({ kind: 'where' }, [
      broadcastTo(cond, shape).node,
      broadcastTo(ta, shape).node,
      broadcastTo(tb, shape).node,
    ]),
  );
}

export function cast(x: Tensor, dtype: DType): Tensor {
  if (x.dtype === dtype) return x;
  return t(rawNode({ kind: 'cast' }, [x.node], x.shape, dtype));
}

function resolveAxes(op: string, x: Tensor, axes: AxisSpec | undefined): number[] {
  if (axes === undefined) return x.shape.map((_, i) => i);
  const list = Array.isArray(axes) ? axes : [axes as number | string];
  return list.map((a) => {
    if (typeof a === 'number') {
      const ax = a < 0 ? a + x.rank : a;
      if (!Number.isInteger(ax) || ax < 0 || ax >= x.rank)
        throw new LenscError(
          op,
          `reduction over missing axis ${a} of ${x.dtype}${shapeToString(x.shape)}`,
          currentLoc(),
        );
      return ax;
    }
    const hits = x.shape.flatMap((d, i) => (d.toString() === a ? [i] : []));
    if (hits.length === 0)
      throw new LenscError(
        op,
        `reduction over missing axis '${a}': ${x.dtype}${shapeToString(x.shape)} has no axis of that size`,
        currentLoc(),
      );
    if (hits.length > 1)
      throw new LenscError(
        op,
        `axis '${a}' is ambiguous in ${x.dtype}${shapeToString(x.shape)} (axes ${hits.join(', ')}): give the axis number`,
        currentLoc(),
      );
    return hits[0]!;
  });
}

function reduce(fn: ReduceFn, x: Tensor, axes?: AxisSpec): Tensor {
  return t(makeNode({ kind: 'reduce', fn, axes: resolveAxes(fn, x, axes).sort((a, b) => a - b) }, [x.node]));
}
/** Sum over axes given by number or by size name ('K'); all axes when omitted. */
export const sum = (x: Tensor, axes?: AxisSpec) => reduce('sum', x, axes);
export const max = (x: Tensor, axes?: AxisSpec) => reduce('max', x, axes);

export function matmul(a: Tensor, b: Tensor, opts: MatmulOptions = {}): Tensor {
  return t(makeNode({ kind: 'matmul', transA: !!opts.transA, transB: !!opts.transB }, [a.node, b.node]));
}

export function reshape(x: Tensor, shape: readonly SizeLike[]): Tensor {
  const out = userShape('reshape', shape);
  if (shapesEqual(out, x.shape)) return x;
  return t(makeNode({ kind: 'reshape' }, [x.node], out));
}

export function transpose(x: Tensor, perm?: readonly number[]): Tensor {
  const p = perm ?? x.shape.map((_, i) => x.rank - 1 - i);
  if (p.every((v, i) => v === i) && p.length === x.rank) return x;
  return t(makeNode({ kind: 'transpose', perm: p }, [x.node]));
}

/** ranges[i] = [start, end) on axis i, or null for the whole axis. */
export function slice(x: Tensor, ranges: readonly (readonly [SizeLike, SizeLike] | null)[]): Tensor {
  if (ranges.length !== x.rank)
    throw new LenscError(
      'slice',
      `expected ${x.rank} ranges for ${x.dtype}${shapeToString(x.shape)}, got ${ranges.length}`,
      currentLoc(),
    );
  const starts = ranges.map((r) => (r ? Size.of(r[0]) : Size.const(0)));
  const lens = ranges.map((r, i) => (r ? Size.of(r[1]).sub(Size.of(r[0])) : x.shape[i]!));
  for (const [i, l] of lens.entries()) {
    const c = l.constValue();
    if (c !== undefined && c < 0)
      throw new LenscError(
        'slice',
        `empty or reversed range on axis ${i}: [${starts[i]}, ${Size.of(ranges[i]![1])})`,
        currentLoc(),
      );
  }
  return t(makeNode({ kind: 'slice', starts }, [x.node], lens));
}

export function column(x: Tensor, c: number): Tensor {
  if (x.rank !== 2)
    throw new LenscError('column', `expected a rank-2 tensor, got ${x.dtype}${shapeToString(x.shape)}`, currentLoc());
  return reshape(slice(x, [null, [c, c + 1]]), [x.shape[0]!]);
}

export function concat(xs: readonly Tensor[], axis = 0): Tensor {
  if (xs.length === 0) throw new LenscError('concat', 'needs at least one tensor', currentLoc());
  if (xs.length === 1) return xs[0]!;
  return t(
    makeNode(
      { kind: 'concat', axis },
      xs.map((x) => x.node),
    ),
  );
}

/** out[p] = x[idx_0[p], idx_1[p], …]: one i32 index tensor per axis of x (broadcast together). */
export function gather(x: Tensor, indices: readonly TensorLike[]): Tensor {
  const idx = indices.map((i) => lift(i, 'i32'));
  const shape = broadcastShapes(
    'gather',
    idx.map((i) => i.shape),
    currentLoc(),
  );
  return t(makeNode({ kind: 'gather' }, [x.node, ...idx.map((i) => broadcastTo(i, shape).node)]));
}

/** x gathered along one axis by an i32 index vector: out has idx's size on that axis. */
export function take(x: Tensor, idx: Tensor, axis = 0): Tensor {
  if (!Number.isInteger(axis) || axis < 0 || axis >= x.rank)
    throw new LenscError('take', `axis ${axis} is outside ${x.dtype}${shapeToString(x.shape)}`, currentLoc());
  if (idx.rank !== 1 || idx.dtype !== 'i32')
    throw new LenscError(
      'take',
      `expected an i32 index vector, got ${idx.dtype}${shapeToString(idx.shape)}`,
      currentLoc(),
    );
  const shape = x.shape.map((d, i) => (i === axis ? idx.shape[0]! : d));
  const indices = x.shape.map((_, i) => {
    if (i === axis) {
      const r = shape.map((_, j) => (j === i ? shape[j]! : Size.const(1)));
      return broadcastTo(reshape(idx, r), shape);
    }
    return iota(shape, i);
  });
  return gather(x, indices);
}

/** A zero tensor of `shape` with values[p] added at (idx_0[p], …); an index of −1 skips the entry. */
export function scatterAdd(shape: readonly SizeLike[], indices: readonly Tensor[], values: Tensor): Tensor {
  const idxShape = broadcastShapes('scatterAdd', [...indices.map((i) => i.shape), values.shape], currentLoc());
  return t(
    makeNode(
      { kind: 'scatterAdd' },
      [broadcastTo(values, idxShape).node, ...indices.map((i) => broadcastTo(i, idxShape).node)],
      userShape('scatterAdd', shape),
    ),
  );
}

/** Index along `axis` of a tensor of `shape` (i32). */
export function iota(shape: readonly SizeLike[], axis = 0, dtype: DType = 'i32'): Tensor {
  const s = userShape('iota', shape);
  if (axis < 0 || axis >= s.length)
    throw new LenscError('iota', `axis ${axis} is outside shape ${shapeToString(s)}`, currentLoc());
  return t(rawNode({ kind: 'iota', axis }, [], s, dtype));
}
/** 0, 1, …, n−1 (i32 unless a dtype is given). */
export const arange = (n: SizeLike, dtype: DType = 'i32'): Tensor => iota([n], 0, dtype);

/** The run-time value of a size symbol as an i32 scalar. */
export function size(name: string): Tensor {
  try {
    Size.sym(name);
  } catch (e) {
    throw new LenscError('size', (e as Error).message, currentLoc());
  }
  return t(rawNode({ kind: 'size', name }, [], [], 'i32'));
}

export function cholesky(a: Tensor): Tensor {
  return t(makeNode({ kind: 'cholesky' }, [a.node]));
}
/** Solves L·X = B (or Lᵀ·X = B with transpose) for lower-triangular L. */
export function triSolve(l: Tensor, b: Tensor, opts: { transpose?: boolean } = {}): Tensor {
  return t(makeNode({ kind: 'triSolve', transpose: !!opts.transpose }, [l.node, b.node]));
}

export function shapeEquals(a: Shape, b: Shape): boolean {
  return shapesEqual(a, b);
}
