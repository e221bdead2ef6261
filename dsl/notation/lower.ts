// Lowering a resolved statement to graph IR through the ordinary DSL functions, so that a formula
// yields the op sequence a user of the TypeScript API would write (GRAMMAR.md "Lowering"):
// axes = LHS indices, then enclosing reduction indices, outer first; x[i] becomes a reshape of x
// with literal 1s on the other axes; a reduction broadcasts its body over its own axes and reduces them.
import type { DType } from '../../compiler/ir/graph.ts';
import { Size } from '../../compiler/ir/size.ts';
import { LenscError } from '../../compiler/ir/source.ts';
import * as ops from '../ops.ts';
import { Tensor } from '../tensor.ts';
import { withLoc } from '../trace.ts';
import type { BinaryOp, Expr, Statement } from './ast.ts';
import type { Locator } from './locate.ts';
import type { Binding, Env, Resolution } from './resolve.ts';

/** Numbers stay JS numbers until an op lifts them, exactly as in `mul(2, x)`. */
type Value = Tensor | number;

type BinaryDsl = (a: Value, b: Value) => Tensor;
const BINARY: Record<BinaryOp | 'min' | 'max', BinaryDsl> = {
  '+': ops.add,
  '-': ops.sub,
  '*': ops.mul,
  '/': ops.div,
  '%': ops.mod,
  '^': ops.pow,
  '<': ops.lt,
  '<=': ops.le,
  '>': ops.gt,
  '>=': ops.ge,
  '==': ops.eq,
  '!=': ops.ne,
  min: ops.minimum,
  max: ops.maximum,
};
const UNARY: Readonly<Record<string, (x: Value) => Tensor>> = {
  cos: ops.cos,
  sin: ops.sin,
  tan: ops.tan,
  asin: ops.asin,
  acos: ops.acos,
  atan: ops.atan,
  sinh: ops.sinh,
  cosh: ops.cosh,
  tanh: ops.tanh,
  asinh: ops.asinh,
  acosh: ops.acosh,
  atanh: ops.atanh,
  exp: ops.exp,
  expm1: ops.expm1,
  log: ops.log,
  log1p: ops.log1p,
  sqrt: ops.sqrt,
  abs: ops.abs,
  sign: ops.sign,
  floor: ops.floor,
  ceil: ops.ceil,
  round: ops.round,
  trunc: ops.trunc,
  erf: ops.erf,
  erfc: ops.erfc,
  lgamma: ops.lgamma,
};

const one = Size.const(1);

export function lowerStatement(stmt: Statement, env: Env, res: Resolution, at: Locator): Tensor {
  const fail = (pos: number, msg: string): never => {
    throw new LenscError('formula', msg, at(pos));
  };
  const sizeOf = (b: Binding): Size => b.size!;

  // `sub`: inside a gather subscript, where integer literals are i32 rather than f64.
  const lower = (e: Expr, scope: readonly Binding[], sub: boolean): Value => {
    const loc = at(e.pos);
    switch (e.kind) {
      case 'num':
        return e.value;
      case 'name': {
        const b = res.bindings.get(e);
        if (b) {
          // An index used as a value: an i32 iota along its own axis, 1 elsewhere.
          const axis = scope.indexOf(b);
          return withLoc(loc, () =>
            ops.iota(
              scope.map((s) => (s === b ? sizeOf(s) : one)),
              axis,
            ),
          );
        }
        return env.get(e.name)!;
      }
      case 'access': {
        const x = env.get(e.name) as Tensor;
        if (res.plain.has(e)) {
          const axes = e.subs.map((s) => scope.indexOf(res.bindings.get(s)!));
          // Put x's axes in scope order first, then give it the scope's rank with 1s where it has no index.
          const perm = axes.map((_, i) => i).sort((p, q) => axes[p]! - axes[q]!);
          return withLoc(loc, () => {
            const xt = ops.transpose(x, perm);
            return ops.reshape(
              xt,
              scope.map((b) => (axes.includes(scope.indexOf(b)) ? sizeOf(b) : one)),
            );
          });
        }
        const idx = e.subs.map((s, k) => {
          const v = lower(s, scope, true);
          if (typeof v === 'number') {
            if (!Number.isInteger(v))
              fail(s.start, `gather subscript ${k + 1} of '${e.name}' must be an integer, got ${v}`);
            return withLoc(at(s.start), () => ops.constant(v, 'i32'));
          }
          if (v.dtype !== 'i32')
            fail(
              s.start,
              `gather subscript ${k + 1} of '${e.name}' must be i32 (an index, an integer or an i32 array), got ${v.dtype}${shapeText(v)}`,
            );
          return v;
        });
        return withLoc(loc, () => ops.gather(x, idx));
      }
      case 'call': {
        const args = e.args.map((a) => lower(a, scope, sub));
        if (e.fn === 'min' || e.fn === 'max') return binary(BINARY[e.fn], args[0]!, args[1]!, sub, e.pos);
        if (e.fn === 'where') {
          const c = args[0]!;
          if (!(c instanceof Tensor))
            return fail(e.args[0]!.start, 'the condition of where must be a comparison, got a number');
          return withLoc(loc, () => ops.where(c, args[1]!, args[2]!));
        }
        if (e.fn === 'atan2' || e.fn === 'hypot')
          return binary(e.fn === 'atan2' ? ops.atan2 : ops.hypot, args[0]!, args[1]!, sub, e.pos);
        if (e.fn === 'clip') return withLoc(loc, () => ops.clip(args[0]!, args[1]!, args[2]!));
        return withLoc(loc, () => UNARY[e.fn]!(args[0]!));
      }
      case 'neg': {
        const v = lower(e.arg, scope, sub);
        // -2 is a literal, as in TypeScript; only tensors get a neg node.
        return typeof v === 'number' ? -v : withLoc(loc, () => ops.neg(v));
      }
      case 'binary':
        return binary(BINARY[e.op], lower(e.lhs, scope, sub), lower(e.rhs, scope, sub), sub, e.pos);
      case 'reduce': {
        const own = res.reduceBindings.get(e)!;
        const inner = [...scope, ...own];
        const body = lower(e.body, inner, sub);
        return withLoc(loc, () => {
          const dt: DType = sub && typeof body === 'number' && Number.isInteger(body) ? 'i32' : 'f64';
          const t = typeof body === 'number' ? ops.constant(body, dt) : body;
          if (t.rank !== 0 && t.rank !== inner.length)
            throw new Error(`formula: internal error: rank ${t.rank} in a scope of ${inner.length} indices`);
          // Σ_k f with f constant in k is K·f: stretch the body over the reduced axes before reducing them.
          const outer = t.rank === 0 ? scope.map(() => one) : t.shape.slice(0, scope.length);
          const full = ops.broadcastTo(t, [...outer, ...own.map(sizeOf)]);
          const axes = own.map((_, i) => scope.length + i);
          const reduce = e.fn === 'sum' ? ops.sum : ops.max;
          return reduce(full, axes.length === 1 ? axes[0]! : axes);
        });
      }
    }
  };

  const binary = (fn: BinaryDsl, a: Value, b: Value, sub: boolean, pos: number): Tensor =>
    withLoc(at(pos), () => {
      // Integer literals meeting each other inside a subscript compute in i32; elsewhere the op's lifting decides.
      const lhs =
        sub && typeof a === 'number' && typeof b === 'number' && Number.isInteger(a) && Number.isInteger(b)
          ? ops.constant(a, 'i32')
          : a;
      return fn(lhs, b);
    });

  const v = lower(stmt.rhs, res.lhs, false);
  return withLoc(at(stmt.target.pos), () => {
    const t = typeof v === 'number' ? ops.constant(v) : v;
    return ops.broadcastTo(t, res.lhs.map(sizeOf));
  });
}

const shapeText = (t: Tensor): string => `(${t.shape.map(String).join(', ')})`;
