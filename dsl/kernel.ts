// kernel(...): declares an exported kernel — its name, typed parameters and traced body.
// Tracing is lazy (at compile time: `lensc build`, `explain`, tests), so importing a module never throws.
import {
  Node,
  topoOrder,
  type DType,
  type Graph,
  type ParamDecl,
  type ParamKind,
  type RewriteSwitch,
} from '../compiler/ir/graph.ts';
import { checkRewriteSwitch } from '../compiler/passes/rewrite_switch.ts';
import { shapeOf, type Size, type SizeLike } from '../compiler/ir/size.ts';
import { LenscError, type SourceLoc } from '../compiler/ir/source.ts';
import { withIndexUses } from '../compiler/ir/index_ranges.ts';
import { isChunkSymbol } from '../compiler/loop/names.ts';
import { Tensor } from './tensor.ts';
import { currentLoc, withLoc } from './trace.ts';

/** Allowed values [lo, hi) of an integer input, bounds as sizes (`[0, 'S']`, `[-1, 'S']`, `[0, 'P+1']`). */
export type ValueRange = readonly [SizeLike, SizeLike];
export interface ArraySpec {
  readonly kind: 'array';
  readonly dtype: DType;
  readonly shape: readonly SizeLike[];
  readonly bounds?: readonly string[];
  readonly range?: ValueRange | readonly ValueRange[];
  readonly min?: number;
}
/**
 * Options of an integer array, both checked by every call before it runs (an error names the input, the element
 * and the range):
 * - `bounds`: one size name per column, 0 ≤ value < bound; the compiler may rely on it (offset tables index by
 *   differences of these values).
 * - `range`: [lo, hi) for every element, or one per position along the last axis (a literal extent); bounds are
 *   size expressions (`[-1, 'S']`: an index into S or −1 for "unused"; `[0, 'P+1']`: a count of P slots).
 */
export interface IntArrayOptions {
  readonly bounds?: readonly string[];
  readonly range?: ValueRange | readonly ValueRange[];
}
export interface ScalarSpec {
  readonly kind: 'scalar';
  readonly dtype: DType;
}
export interface SizesSpec {
  readonly kind: 'sizes';
  readonly names: readonly string[];
}
export type ParamSpec = ArraySpec | ScalarSpec | SizesSpec;

/** Options of a float array: `min: 0` declares the values non-negative (checked at run time), so a weight can be split as √w·√w. */
export interface FloatArrayOptions {
  readonly min?: number;
}
const floatSpec = (dtype: DType, shape: readonly SizeLike[], opts: FloatArrayOptions): ArraySpec => ({
  kind: 'array',
  dtype,
  shape,
  ...(opts.min !== undefined ? { min: opts.min } : {}),
});
export const f64 = (shape: readonly SizeLike[], opts: FloatArrayOptions = {}): ArraySpec =>
  floatSpec('f64', shape, opts);
export const f32 = (shape: readonly SizeLike[], opts: FloatArrayOptions = {}): ArraySpec =>
  floatSpec('f32', shape, opts);
export const i32 = (shape: readonly SizeLike[], opts: IntArrayOptions = {}): ArraySpec => ({
  kind: 'array',
  dtype: 'i32',
  shape,
  ...(opts.bounds ? { bounds: opts.bounds } : {}),
  ...(opts.range ? { range: opts.range } : {}),
});
export const scalar = (dtype: DType = 'f64'): ScalarSpec => ({ kind: 'scalar', dtype });
/** A parameter that binds size symbols: `sizes('S')` takes a number, `sizes(['Ny','Nx'])` a list of two. */
export const sizes = (names: string | readonly string[]): SizesSpec => ({
  kind: 'sizes',
  names: typeof names === 'string' ? [names] : names,
});

export type ParamTensors<P extends Record<string, ParamSpec>> = {
  [K in keyof P]: P[K] extends SizesSpec ? Tensor[] : Tensor;
};
export type KernelResult = Tensor | Readonly<Record<string, Tensor>>;

export interface KernelSpec<P extends Record<string, ParamSpec>> {
  readonly name: string;
  readonly params: P;
  readonly body: (p: ParamTensors<P>) => KernelResult;
  /** Human description, copied into the manifest and the .d.ts. */
  readonly doc?: string;
  /**
   * The kernel needs f64 arithmetic (Cholesky, log-determinants): targets without f64 (WGSL) do not
   * demote it to f32 but run the f64 JS kernel instead, and say so in their manifest.
   */
  readonly requiresF64?: boolean;
  /**
   * Algebraic rewrites the compiler may apply (compiler/passes/rewrite_switch.ts): true (default),
   * false for the literal evaluation, or a list of the allowed ones, e.g. ['separable'].
   */
  readonly rewrites?: RewriteSwitch;
  /**
   * How the WGSL target (no f64 there) computes this kernel's f64 values: 'f32' (the default: demoted
   * to f32, compensated sums) or 'df64' (each f64 an unevaluated sum of two f32, ~48 bits; several
   * times slower). `lensc build --wgsl-precision` overrides it. Other targets compute in f64 anyway.
   */
  readonly precision?: WgslPrecision;
}

/** The WGSL target's arithmetic for f64 values (see KernelSpec.precision). */
export type WgslPrecision = 'f32' | 'df64';
export const WGSL_PRECISIONS: readonly WgslPrecision[] = ['f32', 'df64'];

export interface Kernel {
  readonly kind: 'lensc.kernel';
  readonly name: string;
  readonly doc?: string;
  readonly loc?: SourceLoc;
  readonly requiresF64?: boolean;
  readonly precision?: WgslPrecision;
  graph(): Graph;
}

export function kernel<P extends Record<string, ParamSpec>>(spec: KernelSpec<P>): Kernel {
  const loc = currentLoc();
  if (!/^[a-z][A-Za-z0-9]*$/.test(spec.name))
    throw new LenscError('kernel', `name must be camelCase, got '${spec.name}'`, loc);
  if (spec.precision !== undefined && !WGSL_PRECISIONS.includes(spec.precision)) {
    throw new LenscError(
      'kernel',
      `precision must be one of ${WGSL_PRECISIONS.map((p) => `'${p}'`).join(', ')}, got ${JSON.stringify(spec.precision)}`,
      loc,
    );
  }
  let cached: Graph | undefined;
  return {
    kind: 'lensc.kernel',
    name: spec.name,
    doc: spec.doc,
    loc,
    requiresF64: spec.requiresF64,
    ...(spec.precision ? { precision: spec.precision } : {}),
    graph() {
      return (cached ??= traceKernel(spec, loc));
    },
  };
}

export function isKernel(x: unknown): x is Kernel {
  return typeof x === 'object' && x !== null && (x as Kernel).kind === 'lensc.kernel';
}

function traceKernel<P extends Record<string, ParamSpec>>(spec: KernelSpec<P>, loc: SourceLoc | undefined): Graph {
  const decls: ParamDecl[] = [];
  const args: Record<string, Tensor | Tensor[]> = {};
  withLoc(loc, () => {
    for (const [name, p] of Object.entries(spec.params)) {
      let kind: ParamKind;
      if (p.kind === 'array') {
        let shape;
        try {
          shape = shapeOf(p.shape);
        } catch (e) {
          throw new LenscError(
            'kernel',
            `parameter '${name}': invalid shape [${p.shape.join(', ')}]: ${(e as Error).message}`,
            loc,
          );
        }
        if (p.bounds && p.range)
          throw new LenscError('kernel', `parameter '${name}': give bounds or range, not both`, loc);
        if (p.min !== undefined && (typeof p.min !== 'number' || !Number.isFinite(p.min)))
          throw new LenscError('kernel', `parameter '${name}': min must be a finite number, got ${String(p.min)}`, loc);
        kind = {
          kind: 'array',
          dtype: p.dtype,
          shape,
          ...(p.bounds ? { bounds: checkBounds(name, p.bounds, shape, loc) } : {}),
          ...(p.range ? { range: valueRanges(name, p.range, shape, loc) } : {}),
          ...(p.min !== undefined ? { min: p.min } : {}),
        };
      } else if (p.kind === 'scalar') kind = { kind: 'scalar', dtype: p.dtype };
      else if (p.kind === 'sizes') kind = { kind: 'sizes', names: p.names };
      else throw new LenscError('kernel', `parameter '${name}': unknown kind`, loc);
      if (kind.kind === 'sizes') {
        args[name] = kind.names.map((s) => new Tensor(new Node({ kind: 'size', name: s }, [], [], 'i32', loc)));
        decls.push({ name, kind });
      } else {
        const shape = kind.kind === 'array' ? kind.shape : [];
        const node = new Node({ kind: 'param', name }, [], shape, kind.dtype, loc);
        args[name] = new Tensor(node);
        decls.push({ name, kind, node });
      }
    }
  });
  const out = spec.body(args as ParamTensors<P>);
  const single = out instanceof Tensor;
  const outputs = single
    ? [{ name: 'result', node: out.node }]
    : Object.entries(out).map(([name, v]) => {
        if (!(v instanceof Tensor))
          throw new LenscError('kernel', `output '${name}' of ${spec.name} is not a Tensor`, loc);
        return { name, node: v.node };
      });
  if (outputs.length === 0) throw new LenscError('kernel', `${spec.name} returns no outputs`, loc);
  checkSizesBound(
    spec.name,
    decls,
    outputs.map((o) => o.node),
  );
  const rewrites = spec.rewrites === undefined ? undefined : checkRewriteSwitch(spec.rewrites, `kernel ${spec.name}`);
  return {
    name: spec.name,
    params: withIndexUses(
      decls,
      outputs.map((o) => o.node),
    ),
    outputs,
    singleOutput: single,
    loc,
    ...(rewrites === undefined ? {} : { rewrites }),
  };
}

/** One size name per column (the last axis, a literal), or one for a rank-1 array. */
function checkBounds(
  name: string,
  bounds: readonly string[],
  shape: readonly { constValue(): number | undefined }[],
  loc: SourceLoc | undefined,
): readonly string[] {
  const cols = shape.length === 1 ? 1 : shape[shape.length - 1]?.constValue();
  if (!Array.isArray(bounds) || bounds.some((b) => typeof b !== 'string' || !/^[A-Za-z_]\w*$/.test(b))) {
    throw new LenscError(
      'kernel',
      `parameter '${name}': bounds must be a list of size names, got ${JSON.stringify(bounds)}`,
      loc,
    );
  }
  if (cols !== bounds.length) {
    throw new LenscError(
      'kernel',
      `parameter '${name}': ${bounds.length} bound(s) [${bounds.join(', ')}] for ${shape.length === 1 ? 'a rank-1 array (give one)' : `${cols ?? 'a symbolic number of'} columns (give one per column of a literal last axis)`}`,
      loc,
    );
  }
  return bounds;
}

/** A declared value range as Size pairs: one for all elements, or one per position of a literal last axis. */
function valueRanges(
  param: string,
  r: ValueRange | readonly ValueRange[],
  shape: readonly Size[],
  loc: SourceLoc | undefined,
): (readonly [Size, Size])[] {
  const list = (Array.isArray(r[0]) ? r : [r]) as readonly ValueRange[];
  const last = shape[shape.length - 1];
  if (list.length > 1 && !(last?.isConst() && last.constValue() === list.length)) {
    throw new LenscError(
      'kernel',
      `parameter '${param}': ${list.length} ranges need a last axis of literal extent ${list.length}, the shape is (${shape.join(', ')})`,
      loc,
    );
  }
  try {
    return list.map((x) => {
      const [lo, hi] = shapeOf(x);
      return [lo!, hi!] as const;
    });
  } catch (e) {
    throw new LenscError('kernel', `parameter '${param}': invalid range: ${(e as Error).message}`, loc);
  }
}

/** Every size name the body uses must be bound by a parameter (an array's shape or a sizes(...) input). */
function checkSizesBound(kernelName: string, decls: readonly ParamDecl[], roots: readonly Node[]): void {
  const bound = new Set<string>();
  for (const d of decls) {
    if (d.kind.kind === 'sizes') d.kind.names.forEach((n) => bound.add(n));
    if (d.kind.kind === 'array') d.kind.shape.forEach((s) => s.symbols().forEach((n) => bound.add(n)));
  }
  for (const d of decls) {
    for (const b of d.kind.kind === 'array' ? (d.kind.bounds ?? []) : []) {
      if (!bound.has(b))
        throw new LenscError(
          'kernel',
          `parameter '${d.name}': bound '${b}' is not a size any parameter of ${kernelName} binds (bound: ${[...bound].sort().join(', ') || 'none'})`,
          d.node?.loc,
        );
    }
  }
  const visit = (ns: readonly Node[]): void => {
    for (const n of topoOrder(ns)) {
      const used = [...n.shape.flatMap((s) => s.symbols()), ...(n.op.kind === 'size' ? [n.op.name] : [])];
      for (const u of used) {
        if (!bound.has(u) && !isChunkSymbol(u)) {
          throw new LenscError(
            n.op.kind === 'size' ? 'size' : n.op.kind,
            `unknown size name '${u}': no parameter of ${kernelName} binds it (bound: ${[...bound].sort().join(', ') || 'none'})`,
            n.loc,
          );
        }
      }
      if (n.op.kind === 'scan') visit(n.op.body.outputs.map((o) => o.node));
    }
  };
  visit(roots);
}
