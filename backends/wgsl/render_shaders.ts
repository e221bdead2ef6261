// Renders the parallel stages of a loop program (map and scatter) to WGSL compute shaders, one per
// stage, through the shared C-like renderer. A map gets one invocation per point of its domain (the
// domain variables derived from the flat invocation id); its reduction runs inside the invocation in
// a fixed order, compensated. A scatter gets one invocation per index of its conflict-free axis and
// runs the other axes sequentially (no float atomics in WGSL, and the result stays deterministic);
// without such an axis it is one invocation.
//
// Long sequential loops are split over several dispatches: Mesa's llvmpipe silently stops every loop
// of an invocation after 65535 iterations in all (NOTES.md), so the outermost sequential axis runs
// over [red_off, red_off + red_len) per dispatch — two uniforms the module sets — and a reduction
// stores its partial sum on the first dispatch and adds it on the later ones.
import type { DType } from '../../compiler/ir/graph.ts';
import { Size } from '../../compiler/ir/size.ts';
import { iadd, substitute, v } from '../../compiler/loop/expr.ts';
import type { Axis, BufferDecl, Expr, MapStage, ScatterStage } from '../../compiler/loop/ir.ts';
import type { Dialect } from '../clike/dialect.ts';
import { ExprRenderer, type ExprScope } from '../clike/expr.ts';
import {
  flatIdVars,
  indent,
  renderMapBody,
  renderScatterBody,
  scatterOrder,
  type FlatIdSyntax,
} from '../clike/nest.ts';
import { BUF_TYPE, wgslDialect } from './dialect.ts';
import { df64Dialect, DF } from './df64/dialect.ts';
import { F64X3_STRUCT, df64HelpersFor } from './df64/library.ts';
import { helpersFor } from './helpers.ts';
import { SPLIT_LEN, SPLIT_OFF, UNIFORM_FREE, UNIFORM_SCALAR, UNIFORM_SIZE, WORKGROUP } from './support/contract.js';

import type { WgslPrecision } from '../../dsl/kernel.ts';

/**
 * The element type of a buffer in the shaders: f64 buffers hold df64 pairs, or F64x3 for the inputs
 * held exactly (df64/exact_inputs.ts).
 */
const bufType = (b: BufferDecl, exact: ReadonlySet<string>): string =>
  b.dtype === 'f64' ? (exact.has(b.name) ? 'F64x3' : DF) : BUF_TYPE[b.dtype];

const dialectFor = (
  precision: WgslPrecision,
  scalarTypes: ReadonlyMap<string, DType>,
  exact: ReadonlySet<string>,
): Dialect => (precision === 'df64' ? df64Dialect(scalarTypes, exact) : wgslDialect(scalarTypes));

// the renderer/runtime contract (workgroup size, split names, uniform prefixes), defined once
export { SPLIT_LEN, SPLIT_OFF, WORKGROUP } from './support/contract.js';

export type UniformType = 'u32' | 'i32' | 'f32';
export interface UniformField {
  readonly name: string;
  readonly type: UniformType;
}

export interface RenderedShader {
  readonly stage: string;
  readonly source: string;
  /** Storage buffers in binding order (0, 1, …); the uniforms follow at the next binding. */
  readonly buffers: readonly { readonly name: string; readonly written: boolean }[];
  /** The scatter's error buffer is bound after the stage's buffers. */
  readonly errorBuffer: boolean;
  readonly uniforms: readonly UniformField[];
  /** The stage's invocations: the product of these extents (none: one invocation). */
  readonly extents: readonly Size[];
  /** The axis split over dispatches: its full extent, and the loop iterations each of its steps costs. */
  readonly split?: { readonly total: Size; readonly stepCost: Size };
}

/**
 * Loop iterations one step of the split axis costs, as llvmpipe counts them, rounded up: every loop
 * header evaluation counts (a loop of e iterations whose body costs c costs e·(1 + c) + 1), and one
 * more per loop entered — a scatter's 14 × 14 nest measured 227 per step, one above that rule (which
 * made the last step of a full window lose its tail: NOTES.md). Overcounting only costs dispatches.
 */
export function stepCost(inner: readonly Axis[]): Size {
  const nest = (axes: readonly Axis[]): Size =>
    axes.length === 0 ? Size.const(0) : axes[0]!.extent.mul(nest(axes.slice(1)).add(1)).add(2);
  return nest(inner).add(1);
}

/** A stage with axis variable `axisVar` replaced by red_off + axisVar (its window's start). */
function windowed<T extends MapStage | ScatterStage>(s: T, axisVar: string): T {
  const memo = new Map<Expr, Expr>();
  const shift = (e: Expr) => substitute(e, (n) => (n === axisVar ? iadd(v(n), v(SPLIT_OFF)) : undefined), memo);
  return s.kind === 'map'
    ? { ...s, outputs: s.outputs.map((o) => ({ ...o, value: shift(o.value) })) }
    : { ...s, value: shift(s.value), indices: s.indices.map(shift) };
}

function uniformFields(scope: ExprScope, scalarTypes: ReadonlyMap<string, DType>): UniformField[] {
  // An f64 scalar (df64 kernels) travels exactly as three f32 fields, p_<name>_hi, _mid and _lo.
  const scalar = (n: string): UniformField[] => {
    const t = scalarTypes.get(n);
    if (t === 'f64')
      return [
        { name: `${UNIFORM_SCALAR}${n}_hi`, type: 'f32' },
        { name: `${UNIFORM_SCALAR}${n}_mid`, type: 'f32' },
        { name: `${UNIFORM_SCALAR}${n}_lo`, type: 'f32' },
      ];
    return [{ name: `${UNIFORM_SCALAR}${n}`, type: t === 'f32' ? 'f32' : 'i32' }];
  };
  return [
    { name: 'count', type: 'u32' },
    { name: 'gridX', type: 'u32' },
    { name: 'one', type: 'f32' },
    ...[...scope.sizesUsed].sort().map((n) => ({ name: `${UNIFORM_SIZE}${n}`, type: 'i32' as const })),
    ...[...scope.freeVarsUsed].sort().map((n) => ({ name: `${UNIFORM_FREE}${n}`, type: 'i32' as const })),
    ...[...scope.scalarsUsed].sort().flatMap(scalar),
  ];
}

function assemble(
  title: string,
  scope: ExprScope,
  decls: Map<string, BufferDecl>,
  written: Set<string>,
  scalarTypes: ReadonlyMap<string, DType>,
  errorBuffer: boolean,
  body: string[],
  exact: ReadonlySet<string>,
): Omit<RenderedShader, 'stage' | 'extents' | 'split'> {
  const buffers = [...scope.buffersUsed].sort().map((name) => ({ name, written: written.has(name) }));
  const uniforms = uniformFields(scope, scalarTypes);
  const decl = buffers.map(
    (b, i) =>
      `@group(0) @binding(${i}) var<storage, ${b.written ? 'read_write' : 'read'}> b_${b.name}: array<${bufType(decls.get(b.name)!, exact)}>;`,
  );
  // the F64x3 struct, where an exactly held input (a buffer or an f64 scalar) is used
  if (buffers.some((b) => decls.get(b.name)!.dtype === 'f64' && exact.has(b.name)) || /\bF64x3\(/.test(body.join('\n')))
    decl.unshift(F64X3_STRUCT);
  if (errorBuffer)
    decl.push(`@group(0) @binding(${buffers.length}) var<storage, read_write> lensc_err: array<atomic<i32>>;`);
  const ub = buffers.length + (errorBuffer ? 1 : 0);
  const main = [
    `@compute @workgroup_size(${WORKGROUP})`,
    'fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {',
    ...indent([
      // 2-D grid of workgroups (65535 per dimension) folded back to one invocation id.
      `let lensc_id = (wid.y * u.gridX + wid.x) * ${WORKGROUP}u + lid;`,
      'if (lensc_id >= u.count) { return; }',
      ...body,
    ]),
    '}',
  ].join('\n');
  const source = [
    `// ${title}`,
    `struct Uniforms {\n${uniforms.map((f) => `  ${f.name}: ${f.type},`).join('\n')}\n}`,
    ...decl,
    `@group(0) @binding(${ub}) var<uniform> u: Uniforms;`,
    ...helpersFor(main),
    ...df64HelpersFor(main, 'u.one'),
    main,
    '',
  ].join('\n');
  return { source, buffers, uniforms, errorBuffer };
}

/** Domain variables from the flat invocation id (i32 index arithmetic). */
const FLAT_ID: FlatIdSyntax = {
  whole: (v) => `let ${v} = i32(lensc_id);`,
  rest: 'var lensc_rest = i32(lensc_id);',
  split: (v, e) => [`let ${v} = lensc_rest % ${e};`, `lensc_rest = lensc_rest / ${e};`],
  last: (v) => `let ${v} = lensc_rest;`,
};
const deriveVars = (vars: readonly string[], extents: readonly string[]): string[] =>
  flatIdVars(vars, extents, FLAT_ID);

export function renderMapShader(
  title: string,
  s0: MapStage,
  decls: Map<string, BufferDecl>,
  scalarTypes: ReadonlyMap<string, DType>,
  precision: WgslPrecision = 'f32',
  exact: ReadonlySet<string> = new Set(),
): RenderedShader {
  const red = s0.reduce;
  let s = s0;
  let split: RenderedShader['split'];
  const base = dialectFor(precision, scalarTypes, exact);
  let d: Dialect = base;
  if (red && red.axes.length) {
    const [first, ...inner] = red.axes as [Axis, ...Axis[]];
    s = { ...windowed(s0, first.v), reduce: { ...red, axes: [{ v: first.v, extent: Size.sym(SPLIT_LEN) }, ...inner] } };
    split = { total: first.extent, stepCost: stepCost(inner) };
    if (s0.outputs.some((o) => o.accumulate) && red.fn !== 'sum')
      throw new Error(`wgsl: stage ${s0.name}: an accumulating max reduction is not supported`);
    // The first dispatch of the split axis stores, the later ones combine.
    d = {
      ...base,
      store(buf, index, value, dtype, accumulate) {
        if (accumulate) return base.store(buf, index, value, dtype, true);
        const later =
          red.fn === 'sum'
            ? base.store(buf, index, value, dtype, true)
            : base.store(buf, index, base.binary('max', base.load(buf, index, dtype), value, dtype), dtype, false);
        return `if (${base.freeVar(SPLIT_OFF)} == 0i) { ${base.store(buf, index, value, dtype, false)} } else { ${later} }`;
      },
    };
  }
  const body = renderMapBody(s, d, { kind: 'given', count: s.domain.length });
  if (split) body.scope.freeVarsUsed.add(SPLIT_OFF);
  const extents = s.domain.map((a) => a.extent);
  const r = new ExprRenderer(d, body.scope);
  const codes = extents.map((e) => r.sizeCode(e));
  const lines = [
    ...deriveVars(
      s.domain.map((a) => a.v),
      codes,
    ),
    ...body.lines,
  ];
  const out = assemble(
    title,
    body.scope,
    decls,
    new Set(s.outputs.map((o) => o.buf)),
    scalarTypes,
    false,
    lines,
    exact,
  );
  return { stage: s0.name, ...out, extents, ...(split ? { split } : {}) };
}

/**
 * A scatter shader. An out-of-range index is not written; the first invocation to meet one records
 * its indices in lensc_err[1..] (lensc_err[0] counts them) and the module throws the JS backend's
 * RangeError after the run.
 */
export function renderScatterShader(
  title: string,
  s0: ScatterStage,
  decls: Map<string, BufferDecl>,
  scalarTypes: ReadonlyMap<string, DType>,
  precision: WgslPrecision = 'f32',
  exact: ReadonlySet<string> = new Set(),
): RenderedShader {
  const order = scatterOrder(s0);
  const parallel = s0.parallelAxis !== undefined;
  const seq = order.slice(parallel ? 1 : 0).map((i) => s0.domain[i]!);
  let s = s0;
  let split: RenderedShader['split'];
  if (seq.length) {
    const first = seq[0]!;
    const w = windowed(s0, first.v);
    s = { ...w, domain: s0.domain.map((a) => (a === first ? { v: a.v, extent: Size.sym(SPLIT_LEN) } : a)) };
    split = { total: first.extent, stepCost: stepCost(seq.slice(1)) };
  }
  const base = dialectFor(precision, scalarTypes, exact);
  const d: Dialect = {
    ...base,
    // Record the first failure, then skip the write: the loop nest goes on (with no loop, the invocation ends).
    scatterRangeError: (idx) =>
      `if (atomicAdd(&lensc_err[0], 1i) == 0i) { ${idx.map((j, i) => `atomicStore(&lensc_err[${i + 1}], ${j});`).join(' ')} } ${seq.length ? 'continue;' : 'return;'}`,
  };
  const dtype = decls.get(s0.target)!.dtype;
  const body = renderScatterBody(
    s,
    d,
    { kind: 'given', count: parallel ? 1 : 0 },
    dtype === 'bool' ? 'i32' : (dtype as 'f64' | 'f32' | 'i32'),
  );
  if (split) body.scope.freeVarsUsed.add(SPLIT_OFF);
  const extents = parallel ? [s0.domain[s0.parallelAxis!]!.extent] : [];
  const lines = [...(parallel ? [`let ${body.loopVars[0]} = i32(lensc_id);`] : []), ...body.lines];
  const out = assemble(title, body.scope, decls, new Set([s0.target]), scalarTypes, true, lines, exact);
  return { stage: s0.name, ...out, extents, ...(split ? { split } : {}) };
}
