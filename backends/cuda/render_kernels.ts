// Renders the parallel stages of a loop program (map, scatter, and non-zero fills) to CUDA C kernels,
// one `extern "C" __global__` function per stage. A map flattens its domain and walks it with a
// grid-stride loop over a 64-bit flat id, deriving the domain variables by div/mod; its reduction
// loops run inside the thread, so each output element is produced by one thread in a fixed order
// (deterministic, no atomics); a reduction to rank 0 is split into fixed strided partials and a
// one-thread finish. A scatter gets one thread per index of its conflict-free axis and runs the other
// axes sequentially; without such an axis it is a single thread. Each kernel also reports
// the parameters the host must pass, in order (render_module.ts builds the launch from them).
import type { DType } from '../../compiler/ir/graph.ts';
import type { Size } from '../../compiler/ir/size.ts';
import type { BufferDecl, MapStage, ScatterStage } from '../../compiler/loop/ir.ts';
import { maxIdentity, type Dialect } from '../clike/dialect.ts';
import { ExprRenderer, exprType, newScope, type ExprScope } from '../clike/expr.ts';
import {
  flatIdVars,
  indent,
  renderMapBody,
  renderScatterBody,
  scatterOrder,
  type Body,
  type FlatIdSyntax,
} from '../clike/nest.ts';
import { BUF_TYPE, REG_TYPE, cudaDialect } from './dialect.ts';

export type KernelParam =
  | { readonly kind: 'size' | 'free'; readonly name: string }
  | { readonly kind: 'scalar'; readonly name: string; readonly dtype: DType }
  | { readonly kind: 'buf'; readonly name: string }
  /** scatters: the error word(s) and the probe point (−1: normal run) */
  | { readonly kind: 'err' | 'probe'; readonly name: string }
  /** rank-0 reductions: one output's partials (REDUCE_SLOTS values of C type ctype) */
  | { readonly kind: 'part'; readonly name: string; readonly ctype: string };

export interface RenderedKernel {
  /** the C name: <snake kernel>_<stage> */
  readonly name: string;
  readonly params: readonly KernelParam[];
  readonly source: string;
  /** The flat domain is the product of these extents; none = a single thread. */
  readonly extents: readonly Size[];
  /**
   * A reduction to rank 0 in two kernels: this one leaves REDUCE_SLOTS partials per output (its
   * extents are the reduction's), `finish.name` combines them in slot order and stores.
   */
  readonly finish?: { readonly name: string; readonly outputs: readonly string[] };
}

/** Partial sums of a rank-0 reduction: slot t takes flat ids t, t + SLOTS, … in order. */
export const REDUCE_SLOTS = 16384;

/** Scalars are passed by value; bool travels as int (a 4-byte argument with a defined layout). */
const SCALAR_TYPE: Record<DType, string> = { f64: 'double', f32: 'float', i32: 'long long', bool: 'int' };

function signature(
  name: string,
  scope: ExprScope,
  decls: Map<string, BufferDecl>,
  written: Set<string>,
  scalarTypes: Map<string, DType>,
  extra: KernelParam[] = [],
): { params: KernelParam[]; head: string } {
  const params: KernelParam[] = [
    ...[...scope.sizesUsed].sort().map((n) => ({ kind: 'size' as const, name: n })),
    ...[...scope.freeVarsUsed].sort().map((n) => ({ kind: 'free' as const, name: n })),
    ...[...scope.scalarsUsed]
      .sort()
      .map((n) => ({ kind: 'scalar' as const, name: n, dtype: scalarTypes.get(n) ?? 'f64' })),
    ...[...scope.buffersUsed].sort().map((n) => ({ kind: 'buf' as const, name: n })),
    ...extra,
  ];
  const decl = (p: KernelParam): string => {
    switch (p.kind) {
      case 'size':
        return `const long long sz_${p.name}`;
      case 'free':
        return `const long long ${p.name}`;
      case 'scalar':
        return `const ${SCALAR_TYPE[p.dtype]} p_${p.name}`;
      case 'buf': {
        const t = BUF_TYPE[decls.get(p.name)!.dtype];
        return `${written.has(p.name) ? '' : 'const '}${t}* __restrict__ b_${p.name}`;
      }
      case 'err':
        return 'unsigned long long* __restrict__ lensc_err';
      case 'probe':
        return 'const long long lensc_probe';
      case 'part':
        return `${p.ctype}* __restrict__ ${p.name}`;
    }
  };
  return { params, head: `extern "C" __global__ void ${name}(${params.map(decl).join(', ')})` };
}

/**
 * The grid-stride loop over the flattened domain (extents, outermost first) with its variables
 * derived from the flat id; a domain of rank 0 is one thread (a do-while(0), so `continue` leaves it).
 */
function gridStride(vars: readonly string[], extents: readonly string[], body: string[]): string[] {
  if (vars.length === 0)
    return ['if (blockIdx.x != 0 || threadIdx.x != 0) return;', 'do {', ...indent(body), '} while (0);'];
  return [
    `const long long lensc_n = ${extents.join(' * ')};`,
    'const long long lensc_stride = (long long)gridDim.x * blockDim.x;',
    'for (long long lensc_id = (long long)blockIdx.x * blockDim.x + threadIdx.x; lensc_id < lensc_n; lensc_id += lensc_stride) {',
    ...indent([...deriveVars(vars, extents), ...body]),
    '}',
  ];
}

/** The variables of a row-major flattened domain from the flat id lensc_id (64-bit, floor division by lensc_divmod). */
const FLAT_ID: FlatIdSyntax = {
  whole: (v) => `const long long ${v} = lensc_id;`,
  rest: 'long long lensc_rest = lensc_id, lensc_q;',
  split: (v, e) => [`const long long ${v} = lensc_divmod(lensc_rest, ${e}, &lensc_q);`, 'lensc_rest = lensc_q;'],
  last: (v) => `const long long ${v} = lensc_rest;`,
};
const deriveVars = (vars: readonly string[], extents: readonly string[]): string[] =>
  flatIdVars(vars, extents, FLAT_ID);

function extentCodes(scope: ExprScope, d: Dialect, extents: readonly Size[]): string[] {
  const r = new ExprRenderer(d, scope);
  return extents.map((e) => r.sizeCode(e));
}

function assemble(head: string, lines: string[]): string {
  return `${head} {\n${indent(lines).join('\n')}\n}\n`;
}

export function renderMapKernel(
  kname: string,
  s: MapStage,
  decls: Map<string, BufferDecl>,
  scalarTypes: Map<string, DType>,
): RenderedKernel {
  const nd = s.domain.length;
  if (nd === 0 && s.reduce && s.outputs.every((o) => exprType(o.value) !== 'bool'))
    return renderRank0Reduction(kname, s, decls, scalarTypes);
  const body: Body = renderMapBody(s, cudaDialect, { kind: 'given', count: nd });
  const extents = s.domain.map((a) => a.extent);
  const codes = extentCodes(body.scope, cudaDialect, extents);
  const { params, head } = signature(kname, body.scope, decls, new Set(s.outputs.map((o) => o.buf)), scalarTypes);
  const lines = gridStride(
    s.domain.map((a) => a.v),
    codes,
    body.lines,
  );
  return { name: kname, params, source: assemble(head, lines), extents };
}

/**
 * A reduction over everything to rank-0 outputs, which one thread would run alone: REDUCE_SLOTS
 * threads each reduce a fixed strided share into a partial (the reduction axes flattened like a map
 * domain), then a one-thread kernel combines the partials in slot order. The order depends on nothing
 * but the sizes, so the result is the same on every device and every run.
 */
function renderRank0Reduction(
  kname: string,
  s: MapStage,
  decls: Map<string, BufferDecl>,
  scalarTypes: Map<string, DType>,
): RenderedKernel {
  const red = s.reduce!;
  const dts = s.outputs.map((o) => exprType(o.value));
  const accOf = new Map(s.outputs.map((o, i) => [o.buf, i]));
  const combine = (acc: string, v: string, i: number) =>
    red.fn === 'sum' ? `${acc} += ${v};` : cudaDialect.maxInto(acc, v, dts[i]!);
  const d: Dialect = {
    ...cudaDialect,
    store: (buf, _index, value) => combine(`lensc_acc${accOf.get(buf)}`, value, accOf.get(buf)!),
  };
  // The reduction axes play the domain; "stores" fold into the slot's accumulators.
  const body = renderMapBody(
    { ...s, domain: red.axes, reduce: undefined, outputs: s.outputs.map((o) => ({ ...o, accumulate: false })) },
    d,
    { kind: 'given', count: red.axes.length },
  );
  const codes = extentCodes(
    body.scope,
    cudaDialect,
    red.axes.map((a) => a.extent),
  );
  const parts: KernelParam[] = s.outputs.map((_, i) => ({
    kind: 'part',
    name: `lensc_part${i}`,
    ctype: REG_TYPE[dts[i]!],
  }));
  const init = (i: number) =>
    red.fn === 'sum' ? cudaDialect.literal(0, dts[i]!) : cudaDialect.literal(maxIdentity(dts[i]!), dts[i]!);
  // the outputs are written by the finishing kernel only
  for (const o of s.outputs) body.scope.buffersUsed.delete(o.buf);
  const { params, head } = signature(kname, body.scope, decls, new Set(), scalarTypes, parts);
  const derive = [
    ...deriveVars(
      red.axes.map((a) => a.v),
      codes,
    ),
    ...body.lines,
  ];
  const lines = [
    `const long long lensc_n = ${codes.join(' * ')};`,
    'for (long long lensc_slot = (long long)blockIdx.x * blockDim.x + threadIdx.x; lensc_slot < ' +
      REDUCE_SLOTS +
      '; lensc_slot += (long long)gridDim.x * blockDim.x) {',
    ...indent([
      ...s.outputs.map((_, i) => `${REG_TYPE[dts[i]!]} lensc_acc${i} = ${init(i)};`),
      `for (long long lensc_id = lensc_slot; lensc_id < lensc_n; lensc_id += ${REDUCE_SLOTS}) {`,
      ...indent(derive),
      '}',
      ...s.outputs.map((_, i) => `lensc_part${i}[lensc_slot] = lensc_acc${i};`),
    ]),
    '}',
  ];
  const source = assemble(head, lines);
  const fin = `${kname}_fin`;
  const finParams = [
    ...s.outputs.map((_, i) => `const ${REG_TYPE[dts[i]!]}* __restrict__ lensc_part${i}`),
    ...[...new Set(s.outputs.map((o) => o.buf))]
      .sort()
      .map((b) => `${BUF_TYPE[decls.get(b)!.dtype]}* __restrict__ b_${b}`),
  ];
  const finLines = [
    'if (blockIdx.x != 0 || threadIdx.x != 0) return;',
    ...s.outputs.flatMap((o, i) => [
      `${REG_TYPE[dts[i]!]} lensc_acc${i} = lensc_part${i}[0];`,
      `for (int t = 1; t < ${REDUCE_SLOTS}; t++) { ${combine(`lensc_acc${i}`, `lensc_part${i}[t]`, i)} }`,
      cudaDialect.store(o.buf, '0', `lensc_acc${i}`, dts[i]!, o.accumulate),
    ]),
  ];
  const finSource = assemble(`extern "C" __global__ void ${fin}(${finParams.join(', ')})`, finLines);
  return {
    name: kname,
    params,
    source: `${source}\n${finSource}`,
    extents: red.axes.map((a) => a.extent),
    finish: { name: fin, outputs: [...new Set(s.outputs.map((o) => o.buf))].sort() },
  };
}

/**
 * A scatter kernel. An out-of-range index records the smallest failing point of the loop nest (in
 * scatter order) in lensc_err[0]; launched again with lensc_probe = that point, the kernel writes
 * nothing but that point's indices into lensc_err[1..], so the host can name them as JS does.
 */
export function renderScatterKernel(
  kname: string,
  s: ScatterStage,
  decls: Map<string, BufferDecl>,
  scalarTypes: Map<string, DType>,
): RenderedKernel {
  const order = scatterOrder(s);
  const keyScope = newScope([]);
  const codes = extentCodes(
    keyScope,
    cudaDialect,
    order.map((i) => s.domain[i]!.extent),
  );
  const vars = order.map((i) => s.domain[i]!.v);
  let key = vars[0] ?? '0';
  for (let i = 1; i < vars.length; i++) key = `(${key}) * ${codes[i]} + ${vars[i]}`;
  const d: Dialect = {
    ...cudaDialect,
    // in probe mode nothing is written
    store: (buf, index, value, dtype, acc) =>
      `if (lensc_probe < 0) ${cudaDialect.store(buf, index, value, dtype, acc)}`,
    scatterRangeError: (idx) =>
      [
        `const unsigned long long lensc_point = (unsigned long long)(${key});`,
        'if (lensc_probe < 0) lensc_scatter_fail(lensc_err, lensc_point);',
        `else if (lensc_point == (unsigned long long)lensc_probe) { ${idx.map((j, i) => `lensc_err[${i + 1}] = (unsigned long long)(${j});`).join(' ')} }`,
        'continue;',
      ].join(' '),
  };
  const parallel = s.parallelAxis !== undefined;
  const dtype = decls.get(s.target)!.dtype;
  const body = renderScatterBody(s, d, { kind: 'given', count: parallel ? 1 : 0 }, dtype === 'bool' ? 'i32' : dtype);
  const extents = parallel ? [s.domain[s.parallelAxis!]!.extent] : [];
  const pcodes = extentCodes(body.scope, cudaDialect, extents);
  const { params, head } = signature(kname, body.scope, decls, new Set([s.target]), scalarTypes, [
    { kind: 'err', name: 'lensc_err' },
    { kind: 'probe', name: 'lensc_probe' },
  ]);
  const lines = gridStride(parallel ? [body.loopVars[0]!] : [], pcodes, body.lines);
  return { name: kname, params, source: assemble(head, lines), extents };
}

/** n elements of a buffer set to v (fills other than 0, which is a memset). */
export function renderFillKernel(kname: string, dtype: DType): string {
  const t = BUF_TYPE[dtype];
  return `extern "C" __global__ void ${kname}(${t}* __restrict__ p, const long long n, const ${t} v) {
  for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (long long)gridDim.x * blockDim.x) p[i] = v;
}
`;
}
