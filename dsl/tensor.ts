// Tensor handles: what a kernel body manipulates. A Tensor is a thin wrapper over a graph-IR node;
// its methods mirror the free functions in ops.ts so formulas read naturally in TypeScript.
import type { DType, Node } from '../compiler/ir/graph.ts';
import type { Shape, SizeLike } from '../compiler/ir/size.ts';
import * as ops from './ops.ts';

export type TensorLike = Tensor | number;

export class Tensor {
  constructor(readonly node: Node) {}
  get shape(): Shape {
    return this.node.shape;
  }
  get dtype(): DType {
    return this.node.dtype;
  }
  get rank(): number {
    return this.node.shape.length;
  }

  add(o: TensorLike): Tensor {
    return ops.add(this, o);
  }
  sub(o: TensorLike): Tensor {
    return ops.sub(this, o);
  }
  mul(o: TensorLike): Tensor {
    return ops.mul(this, o);
  }
  div(o: TensorLike): Tensor {
    return ops.div(this, o);
  }
  mod(o: TensorLike): Tensor {
    return ops.mod(this, o);
  }
  pow(o: TensorLike): Tensor {
    return ops.pow(this, o);
  }
  neg(): Tensor {
    return ops.neg(this);
  }
  min(o: TensorLike): Tensor {
    return ops.minimum(this, o);
  }
  max(o: TensorLike): Tensor {
    return ops.maximum(this, o);
  }
  lt(o: TensorLike): Tensor {
    return ops.lt(this, o);
  }
  le(o: TensorLike): Tensor {
    return ops.le(this, o);
  }
  gt(o: TensorLike): Tensor {
    return ops.gt(this, o);
  }
  ge(o: TensorLike): Tensor {
    return ops.ge(this, o);
  }
  eq(o: TensorLike): Tensor {
    return ops.eq(this, o);
  }
  ne(o: TensorLike): Tensor {
    return ops.ne(this, o);
  }
  cos(): Tensor {
    return ops.cos(this);
  }
  sin(): Tensor {
    return ops.sin(this);
  }
  exp(): Tensor {
    return ops.exp(this);
  }
  log(): Tensor {
    return ops.log(this);
  }
  sqrt(): Tensor {
    return ops.sqrt(this);
  }
  abs(): Tensor {
    return ops.abs(this);
  }
  floor(): Tensor {
    return ops.floor(this);
  }
  tan(): Tensor {
    return ops.tan(this);
  }
  asin(): Tensor {
    return ops.asin(this);
  }
  acos(): Tensor {
    return ops.acos(this);
  }
  atan(): Tensor {
    return ops.atan(this);
  }
  sinh(): Tensor {
    return ops.sinh(this);
  }
  cosh(): Tensor {
    return ops.cosh(this);
  }
  tanh(): Tensor {
    return ops.tanh(this);
  }
  asinh(): Tensor {
    return ops.asinh(this);
  }
  acosh(): Tensor {
    return ops.acosh(this);
  }
  atanh(): Tensor {
    return ops.atanh(this);
  }
  log1p(): Tensor {
    return ops.log1p(this);
  }
  expm1(): Tensor {
    return ops.expm1(this);
  }
  erf(): Tensor {
    return ops.erf(this);
  }
  erfc(): Tensor {
    return ops.erfc(this);
  }
  lgamma(): Tensor {
    return ops.lgamma(this);
  }
  sign(): Tensor {
    return ops.sign(this);
  }
  ceil(): Tensor {
    return ops.ceil(this);
  }
  round(): Tensor {
    return ops.round(this);
  }
  trunc(): Tensor {
    return ops.trunc(this);
  }
  /** atan2(this, x): the angle of the point (x, this). */
  atan2(x: TensorLike): Tensor {
    return ops.atan2(this, x);
  }
  hypot(o: TensorLike): Tensor {
    return ops.hypot(this, o);
  }
  clip(lo: TensorLike, hi: TensorLike): Tensor {
    return ops.clip(this, lo, hi);
  }
  cast(dtype: DType): Tensor {
    return ops.cast(this, dtype);
  }
  sum(axes?: ops.AxisSpec): Tensor {
    return ops.sum(this, axes);
  }
  reduceMax(axes?: ops.AxisSpec): Tensor {
    return ops.max(this, axes);
  }
  reshape(shape: readonly SizeLike[]): Tensor {
    return ops.reshape(this, shape);
  }
  transpose(perm?: readonly number[]): Tensor {
    return ops.transpose(this, perm);
  }
  /** Matrix transpose (rank 2). */
  get T(): Tensor {
    return ops.transpose(this);
  }
  slice(ranges: readonly (readonly [SizeLike, SizeLike] | null)[]): Tensor {
    return ops.slice(this, ranges);
  }
  /** Column c of a rank-2 tensor as a vector (shorthand for slice + reshape). */
  col(c: number): Tensor {
    return ops.column(this, c);
  }
  matmul(o: Tensor, opts?: ops.MatmulOptions): Tensor {
    return ops.matmul(this, o, opts);
  }
}
