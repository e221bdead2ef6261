// Name resolution and index-size inference for one statement, before any IR is built: which
// identifiers are index variables (and which binder they refer to), which are env values, how big
// each index is (from the arrays it subscripts directly), and which accesses are plain indexing.
import { formatLoc, LenscError } from '../../compiler/ir/source.ts';
import { shapeToString, type Size } from '../../compiler/ir/size.ts';
import { Tensor } from '../tensor.ts';
import type { Expr, Ident, Statement } from './ast.ts';
import type { Locator } from './locate.ts';

export type Env = ReadonlyMap<string, Tensor | number>;

/** One index variable: an LHS index or one bound by a sum/max. */
export interface Binding {
  readonly name: string;
  readonly pos: number;
  size?: Size;
  /** Where the size was first learnt, for the conflicting-sizes message. */
  sizeFrom?: { readonly array: string; readonly axis: number; readonly pos: number };
}

export interface Resolution {
  readonly lhs: readonly Binding[];
  /** The binders each reduce node introduces, in order. */
  readonly reduceBindings: ReadonlyMap<Expr, readonly Binding[]>;
  /** Bare names that are index variables (bare names absent here are scalars from env). */
  readonly bindings: ReadonlyMap<Expr, Binding>;
  /** Accesses whose subscripts are distinct bare indices: lowered as reshape/transpose, not gather. */
  readonly plain: ReadonlySet<Expr>;
}

/** Every function a formula may call, with its argument count. */
export const ARITY: Readonly<Record<string, number>> = {
  cos: 1,
  sin: 1,
  exp: 1,
  log: 1,
  sqrt: 1,
  abs: 1,
  floor: 1,
  min: 2,
  max: 2,
  where: 3,
  tan: 1,
  asin: 1,
  acos: 1,
  atan: 1,
  sinh: 1,
  cosh: 1,
  tanh: 1,
  asinh: 1,
  acosh: 1,
  atanh: 1,
  log1p: 1,
  expm1: 1,
  erf: 1,
  erfc: 1,
  lgamma: 1,
  sign: 1,
  ceil: 1,
  round: 1,
  trunc: 1,
  atan2: 2,
  hypot: 2,
  clip: 3,
};

export function resolve(stmt: Statement, env: Env, at: Locator): Resolution {
  const fail = (pos: number, msg: string): never => {
    throw new LenscError('formula', msg, at(pos));
  };
  const bindings = new Map<Expr, Binding>();
  const reduceBindings = new Map<Expr, Binding[]>();
  const plain = new Set<Expr>();

  const bind = (ids: readonly Ident[], scope: readonly Binding[]): Binding[] => {
    const out: Binding[] = [];
    for (const id of ids) {
      if ([...scope, ...out].some((b) => b.name === id.name)) fail(id.pos, `index '${id.name}' is already bound`);
      out.push({ name: id.name, pos: id.pos });
    }
    return out;
  };
  const lookup = (scope: readonly Binding[], name: string): Binding | undefined => scope.find((b) => b.name === name);
  const fixSize = (b: Binding, size: Size, array: string, axis: number, pos: number): void => {
    if (!b.size) {
      b.size = size;
      b.sizeFrom = { array, axis, pos };
      return;
    }
    if (b.size.equals(size)) return;
    const first = b.sizeFrom!;
    fail(
      pos,
      `index '${b.name}' has conflicting sizes: ${b.size} (axis ${first.axis} of '${first.array}' at ${formatLoc(at(first.pos))}) and ${size} (axis ${axis} of '${array}')`,
    );
  };
  const requireSizes = (bs: readonly Binding[]): void => {
    for (const b of bs)
      if (!b.size)
        fail(
          b.pos,
          `cannot infer the size of index '${b.name}': it must directly subscript an array, as in x[${b.name}]`,
        );
  };

  // inSub: inside a gather subscript, where an unknown identifier is most likely a missing index.
  const walk = (e: Expr, scope: readonly Binding[], inSub: boolean): void => {
    switch (e.kind) {
      case 'num':
        return;
      case 'name': {
        const b = lookup(scope, e.name);
        if (b) {
          bindings.set(e, b);
          return;
        }
        const v = env.get(e.name);
        if (v === undefined) fail(e.pos, inSub ? `unknown index '${e.name}'` : `unknown name '${e.name}'`);
        if (v instanceof Tensor && v.rank > 0)
          fail(
            e.pos,
            `'${e.name}' is an array of shape ${shapeToString(v.shape)}: give its subscripts, as in ${e.name}[${v.shape.map((_, i) => 'ijklmn'[i] ?? 'i').join(', ')}]`,
          );
        return;
      }
      case 'access': {
        const x = env.get(e.name);
        if (x === undefined)
          fail(e.pos, lookup(scope, e.name) ? `'${e.name}' is an index, not an array` : `unknown name '${e.name}'`);
        if (!(x instanceof Tensor) || x.rank === 0) fail(e.pos, `'${e.name}' is a scalar and takes no subscripts`);
        const t = x as Tensor;
        if (t.rank !== e.subs.length)
          fail(
            e.pos,
            `'${e.name}' has rank ${t.rank} (shape ${shapeToString(t.shape)}) but ${e.subs.length} subscript${e.subs.length === 1 ? ' was' : 's were'} given`,
          );
        const used = new Set<Binding>();
        let isPlain = true;
        e.subs.forEach((s, axis) => {
          const b = s.kind === 'name' ? lookup(scope, s.name) : undefined;
          if (b) {
            // A bare index in a subscript position ranges over that axis, gather or not.
            bindings.set(s, b);
            fixSize(b, t.shape[axis]!, e.name, axis, s.pos);
            if (used.has(b)) isPlain = false;
            used.add(b);
          } else {
            isPlain = false;
            walk(s, scope, true);
          }
        });
        if (isPlain) plain.add(e);
        return;
      }
      case 'call':
        if (!Object.hasOwn(ARITY, e.fn))
          fail(e.pos, `unknown function '${e.fn}' (known: ${Object.keys(ARITY).sort().join(', ')})`);
        if (e.args.length !== ARITY[e.fn])
          fail(e.pos, `${e.fn} takes ${ARITY[e.fn]} argument${ARITY[e.fn] === 1 ? '' : 's'}, got ${e.args.length}`);
        for (const a of e.args) walk(a, scope, inSub);
        return;
      case 'neg':
        walk(e.arg, scope, inSub);
        return;
      case 'binary':
        walk(e.lhs, scope, inSub);
        walk(e.rhs, scope, inSub);
        return;
      case 'reduce': {
        const own = bind(e.indices, scope);
        reduceBindings.set(e, own);
        walk(e.body, [...scope, ...own], inSub);
        requireSizes(own);
        return;
      }
    }
  };

  const lhs = bind(stmt.indices, []);
  walk(stmt.rhs, lhs, false);
  requireSizes(lhs);
  return { lhs, reduceBindings, bindings, plain };
}
