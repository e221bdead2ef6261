// Renders the parallel stages of a loop program (map, scatter, and non-zero fills) to CUDA C kernels,
// one `extern "C" __global__` function per stage. A map flattens its domain and walks it with a
// grid-stride loop over a 64-bit flat id, deriving the domain variables by div/mod; its reduction
// loops run inside the thread, so each output element is produced by one thread in a fixed order
// (deterministic, no atomics). A scatter gets one thread per index of its conflict-free axis and runs
// the other axes sequentially; without such an axis it is a single thread. Each kernel also reports
// the parameters the host must pass, in order (render_module.ts builds the launch from them).
import type { DType } from '../../compiler/ir/graph.ts';
import type { Size } from '../../compiler/ir/size.ts';
import type { BufferDecl, MapStage, ScatterStage } from '../../compiler/loop/ir.ts';
import type { Dialect } from '../clike/dialect.ts';
import { ExprRenderer, newScope, type ExprScope } from '../clike/expr.ts';
import { indent, renderMapBody, renderScatterBody, scatterOrder, type Body } from '../clike/nest.ts';
import { BUF_TYPE, cudaDialect } from './dialect.ts';

export type KernelParam =
  | { readonly kind: 'size' | 'free'; readonly name: string }
  | { readonly kind: 'scalar'; readonly name: string; readonly dtype: DType }
  | { readonly kind: 'buf'; readonly name: string }
  /** scatters: the error word(s) and the probe point (−1: normal run) */
  | { readonly kind: 'err' | 'probe'; readonly name: string };

export interface RenderedKernel {
  /** the C name: <snake kernel>_<stage> */
  readonly name: string;
  readonly params: readonly KernelParam[];
  readonly source: string;
  /** The flat domain is the product of these extents; none = a single thread. */
  readonly extents: readonly Size[];
}

/** Scalars are passed by value; bool travels as int (a 4-byte argument with a defined layout). */
const SCALAR_TYPE: Record<DType, string> = { f64: 'double', f32: 'float', i32: 'long long', bool: 'int' };

function signature(name: string, scope: ExprScope, decls: Map<string, BufferDecl>, written: Set<string>, scalarTypes: Map<string, DType>, extra: KernelParam[] = []): { params: KernelParam[]; head: string } {
  const params: KernelParam[] = [
    ...[...scope.sizesUsed].sort().map((n) => ({ kind: 'size' as const, name: n })),
    ...[...scope.freeVarsUsed].sort().map((n) => ({ kind: 'free' as const, name: n })),
    ...[...scope.scalarsUsed].sort().map((n) => ({ kind: 'scalar' as const, name: n, dtype: scalarTypes.get(n) ?? 'f64' })),
    ...[...scope.buffersUsed].sort().map((n) => ({ kind: 'buf' as const, name: n })),
    ...extra,
  ];
  const decl = (p: KernelParam): string => {
    switch (p.kind) {
      case 'size': return `const long long sz_${p.name}`;
      case 'free': return `const long long ${p.name}`;
      case 'scalar': return `const ${SCALAR_TYPE[p.dtype]} p_${p.name}`;
      case 'buf': {
        const t = BUF_TYPE[decls.get(p.name)!.dtype];
        return `${written.has(p.name) ? '' : 'const '}${t}* __restrict__ b_${p.name}`;
      }
      case 'err': return 'unsigned long long* __restrict__ lensc_err';
      case 'probe': return 'const long long lensc_probe';
    }
  };
  return { params, head: `extern "C" __global__ void ${name}(${params.map(decl).join(', ')})` };
}

/**
 * The grid-stride loop over the flattened domain (extents, outermost first) with its variables
 * derived from the flat id; a domain of rank 0 is one thread (a do-while(0), so `continue` leaves it).
 */
function gridStride(vars: readonly string[], extents: readonly string[], body: string[]): string[] {
  if (vars.length === 0) return ['if (blockIdx.x != 0 || threadIdx.x != 0) return;', 'do {', ...indent(body), '} while (0);'];
  const n = extents.join(' * ');
  const derive: string[] = [];
  if (vars.length === 1) derive.push(`const long long ${vars[0]} = lensc_id;`);
  else {
    derive.push('long long lensc_rest = lensc_id, lensc_q;');
    for (let i = vars.length - 1; i > 0; i--) {
      derive.push(`const long long ${vars[i]} = lensc_divmod(lensc_rest, ${extents[i]}, &lensc_q);`, 'lensc_rest = lensc_q;');
    }
    derive.push(`const long long ${vars[0]} = lensc_rest;`);
  }
  return [
    `const long long lensc_n = ${n};`,
    'const long long lensc_stride = (long long)gridDim.x * blockDim.x;',
    'for (long long lensc_id = (long long)blockIdx.x * blockDim.x + threadIdx.x; lensc_id < lensc_n; lensc_id += lensc_stride) {',
    ...indent([...derive, ...body]),
    '}',
  ];
}

function extentCodes(scope: ExprScope, d: Dialect, extents: readonly Size[]): string[] {
  const r = new ExprRenderer(d, scope);
  return extents.map((e) => r.sizeCode(e));
}

function assemble(head: string, lines: string[]): string {
  return `${head} {\n${indent(lines).join('\n')}\n}\n`;
}

export function renderMapKernel(kname: string, s: MapStage, decls: Map<string, BufferDecl>, scalarTypes: Map<string, DType>): RenderedKernel {
  const nd = s.domain.length;
  const body: Body = renderMapBody(s, cudaDialect, { kind: 'given', count: nd });
  const extents = s.domain.map((a) => a.extent);
  const codes = extentCodes(body.scope, cudaDialect, extents);
  const { params, head } = signature(kname, body.scope, decls, new Set(s.outputs.map((o) => o.buf)), scalarTypes);
  const lines = gridStride(s.domain.map((a) => a.v), codes, body.lines);
  return { name: kname, params, source: assemble(head, lines), extents };
}

/**
 * A scatter kernel. An out-of-range index records the smallest failing point of the loop nest (in
 * scatter order) in lensc_err[0]; launched again with lensc_probe = that point, the kernel writes
 * nothing but that point's indices into lensc_err[1..], so the host can name them as JS does.
 */
export function renderScatterKernel(kname: string, s: ScatterStage, decls: Map<string, BufferDecl>, scalarTypes: Map<string, DType>): RenderedKernel {
  const order = scatterOrder(s);
  const keyScope = newScope([]);
  const codes = extentCodes(keyScope, cudaDialect, order.map((i) => s.domain[i]!.extent));
  const vars = order.map((i) => s.domain[i]!.v);
  let key = vars[0] ?? '0';
  for (let i = 1; i < vars.length; i++) key = `(${key}) * ${codes[i]} + ${vars[i]}`;
  const d: Dialect = {
    ...cudaDialect,
    // in probe mode nothing is written
    store: (buf, index, value, dtype, acc) => `if (lensc_probe < 0) ${cudaDialect.store(buf, index, value, dtype, acc)}`,
    scatterRangeError: (idx) => [
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
  const { params, head } = signature(kname, body.scope, decls, new Set([s.target]), scalarTypes,
    [{ kind: 'err', name: 'lensc_err' }, { kind: 'probe', name: 'lensc_probe' }]);
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
