// Lowering: graph IR → loop IR. Decides what is materialised (kernel outputs, reductions, matmuls
// and their operands, scatters, linear algebra) and fuses everything else — elementwise chains,
// broadcasts, reshapes, slices, gathers — into the expressions of the stage that consumes them.
// A broadcast feeding a reduction is therefore never built: it becomes index arithmetic.
// A scan that is not a running sum becomes a scan stage (lower_scan.ts) whose body is lowered by the
// same rules as a block of its own.
import { LenscError } from '../ir/source.ts';
import type { Graph, Node } from '../ir/graph.ts';
import { Size, shapeToString, type Shape } from '../ir/size.ts';
import { binaryE, delinearize, iadd, iconst, linearize, sizeExpr, unaryE, v } from '../loop/expr.ts';
import type { Axis, BufferDecl, Expr, LoopProgram, Stage } from '../loop/ir.ts';
import { exprKey } from '../loop/expr_key.ts';
import { depsOf, frontierOf, lowerScan, orderWithBodies } from './lower_scan.ts';

const BUFFER_OPS = new Set(['reduce', 'matmul', 'scatterAdd', 'cholesky', 'triSolve', 'fft', 'fftconv']);
const INLINE_OPS = new Set([
  'const',
  'size',
  'iota',
  'unary',
  'binary',
  'where',
  'cast',
  'broadcast',
  'reshape',
  'transpose',
  'slice',
  'concat',
  'gather',
]);

export interface Ctx {
  buffers: Map<Node, string>;
  /** Scan inputs x_t inside a scan body: the value src[lead, …] (lead is the step variable). */
  views: Map<Node, { readonly src: Node; readonly lead: Expr }>;
  /** The buffers holding each lowered scan's results (final carries, then stacked ys). */
  scanResults: Map<Node, readonly string[]>;
  decls: BufferDecl[];
  stages: Stage[];
  notes: string[];
  scalars: Map<Node, string>;
  counter: { t: number; s: number };
}

/** Where a node's value must be stored: a kernel output, or (inside a scan body) a carry's next value. */
export interface Target {
  readonly name: string;
  readonly role: 'output' | 'temp';
}

/** For a reshape that only inserts/removes literal-1 axes: output axis index for each input axis. */
function unitMap(from: Shape, to: Shape): number[] | undefined {
  const map: number[] = [];
  let j = 0;
  const one = (d: Size) => d.constValue() === 1;
  for (let i = 0; i < from.length; i++) {
    if (one(from[i]!)) {
      map.push(-1);
      continue;
    }
    while (j < to.length && one(to[j]!)) j++;
    if (j >= to.length || !from[i]!.equals(to[j]!)) return undefined;
    map.push(j++);
  }
  for (; j < to.length; j++) if (!one(to[j]!)) return undefined;
  return map;
}

export type ExprFn = (n: Node, idx: readonly Expr[]) => Expr;

export function exprBuilder(ctx: Ctx): ExprFn {
  const memo = new Map<string, Expr>();
  const expr = (n: Node, idx: readonly Expr[]): Expr => {
    const key = `${n.id}|${idx.map(exprKey).join(',')}`;
    const hit = memo.get(key);
    if (hit) return hit;
    const r = build(n, idx);
    memo.set(key, r);
    return r;
  };
  const build = (n: Node, idx: readonly Expr[]): Expr => {
    const buf = ctx.buffers.get(n);
    if (buf) return { k: 'load', buf, index: linearize(idx, n.shape), dtype: n.dtype };
    const sc = ctx.scalars.get(n);
    if (sc) return { k: 'scalar', name: sc, dtype: n.dtype };
    const view = ctx.views.get(n);
    if (view) return expr(view.src, [view.lead, ...idx]);
    const op = n.op;
    const [a, b, c] = n.inputs;
    switch (op.kind) {
      case 'const':
        return { k: 'const', value: op.value, dtype: n.dtype };
      case 'size':
        return sizeExpr(Size.sym(op.name));
      case 'iota':
        return n.dtype === 'i32' ? idx[op.axis]! : { k: 'cast', a: idx[op.axis]!, from: 'i32', to: n.dtype };
      case 'unary':
        return unaryE(op.fn, expr(a!, idx), n.dtype);
      case 'binary':
        return binaryE(op.fn, expr(a!, idx), expr(b!, idx), a!.dtype);
      case 'where':
        return { k: 'select', c: expr(a!, idx), a: expr(b!, idx), b: expr(c!, idx), dtype: n.dtype };
      case 'cast':
        return { k: 'cast', a: expr(a!, idx), from: a!.dtype, to: n.dtype };
      case 'broadcast':
        return expr(
          a!,
          op.axes.map((o, i) => (a!.shape[i]!.constValue() === 1 ? iconst(0) : idx[o]!)),
        );
      case 'reshape': {
        const m = unitMap(a!.shape, n.shape);
        if (m)
          return expr(
            a!,
            m.map((j) => (j < 0 ? iconst(0) : idx[j]!)),
          );
        return expr(a!, delinearize(linearize(idx, n.shape), a!.shape));
      }
      case 'transpose': {
        const inner = new Array<Expr>(a!.rank);
        op.perm.forEach((p, i) => (inner[p] = idx[i]!));
        return expr(a!, inner);
      }
      case 'slice':
        return expr(
          a!,
          idx.map((e, i) => iadd(e, sizeExpr(op.starts[i]!))),
        );
      case 'concat': {
        // Piece p holds output positions [o_p, o_p + len_p) on the axis: select it with idx ≥ o_p, from the
        // first piece forwards (a later piece wins). Every piece's load is evaluated (renderers bind shared
        // sub-expressions eagerly), so each piece's local index is clamped into its own range: an unselected
        // piece never reads outside its buffer.
        let offset = Size.const(0);
        let r: Expr | undefined;
        const last = n.inputs.length - 1;
        n.inputs.forEach((x, p) => {
          const o = offset,
            len = x.shape[op.axis]!;
          offset = offset.add(len);
          let local = iadd(idx[op.axis]!, sizeExpr(Size.const(0).sub(o)));
          if (p < last) local = binaryE('min', local, sizeExpr(len.sub(Size.const(1))), 'i32');
          if (p > 0) local = binaryE('max', local, iconst(0), 'i32');
          const val = expr(
            x,
            idx.map((e, i) => (i === op.axis ? local : e)),
          );
          r =
            r === undefined
              ? val
              : { k: 'select', c: binaryE('ge', idx[op.axis]!, sizeExpr(o), 'i32'), a: val, b: r, dtype: n.dtype };
        });
        return r!;
      }
      case 'gather': {
        const [x, ...ix] = n.inputs as [Node, ...Node[]];
        return expr(
          x,
          ix.map((i) => expr(i, idx)),
        );
      }
      default:
        throw new LenscError(op.kind, `internal: ${op.kind} reached expression building without a buffer`, n.loc);
    }
  };
  return expr;
}

export function axesFor(shape: Shape, prefix: string): Axis[] {
  return shape.map((extent, i) => ({ v: `${prefix}${i}`, extent }));
}

/** Nodes matmul/linear algebra read as whole buffers (transposes of buffers become flags instead). */
function operandNeedsBuffer(n: Node): Node {
  if (n.op.kind === 'transpose' && n.rank === 2) return n.inputs[0]!;
  return n;
}

export function lowerGraph(g: Graph): LoopProgram {
  const roots = g.outputs.map((o) => o.node);
  const ctx: Ctx = {
    buffers: new Map(),
    views: new Map(),
    scanResults: new Map(),
    decls: [],
    stages: [],
    notes: [],
    scalars: new Map(),
    counter: { t: 0, s: 0 },
  };
  const inputs: LoopProgram['inputs'][number][] = [];
  for (const p of g.params) {
    if (p.kind.kind === 'sizes') {
      inputs.push({ name: p.name, kind: 'sizes', sizes: p.kind.names });
      continue;
    }
    if (p.kind.kind === 'scalar') {
      ctx.scalars.set(p.node!, p.name);
      inputs.push({ name: p.name, kind: 'scalar', dtype: p.kind.dtype });
      continue;
    }
    ctx.buffers.set(p.node!, p.name);
    ctx.decls.push({ name: p.name, dtype: p.kind.dtype, shape: p.kind.shape, role: 'input' });
    inputs.push({ name: p.name, kind: 'array', buf: p.name, dtype: p.kind.dtype, shape: p.kind.shape });
  }
  const targets = new Map<Node, Target>();
  for (const o of g.outputs) if (!targets.has(o.node)) targets.set(o.node, { name: `out_${o.name}`, role: 'output' });
  const expr = lowerBlock(ctx, roots, () => true, targets);
  const outputs = g.outputs.map((o) => ({ name: o.name, buf: ctx.buffers.get(o.node) ?? '' }));
  for (const [i, o] of outputs.entries()) {
    // The same node returned twice, or a parameter returned as is: copy into its own output buffer.
    const n = g.outputs[i]!.node;
    if (o.buf === `out_${o.name}`) continue;
    const name = `out_${o.name}`;
    ctx.decls.push({ name, dtype: n.dtype, shape: n.shape, role: 'output' });
    ctx.stages.push(copyStage(`s${ctx.counter.s++}`, name, n, expr, n.loc));
    o.buf = name;
  }
  return {
    name: g.name,
    buffers: ctx.decls,
    stages: ctx.stages,
    inputs,
    outputs,
    singleOutput: g.singleOutput,
    chunks: [],
    notes: ctx.notes,
  };
}

/** A map stage storing the value of node n (any shape) into buffer buf of the same shape. */
export function copyStage(name: string, buf: string, n: Node, expr: ExprFn, loc = n.loc): Stage {
  const axes = axesFor(n.shape, 'i');
  const idx = axes.map((a) => v(a.v));
  return {
    kind: 'map',
    name,
    domain: axes,
    outputs: [{ buf, index: linearize(idx, n.shape), value: expr(n, idx), accumulate: false }],
    loc,
  };
}

/**
 * Lowers the nodes needed for `roots` that `include` admits (all of them for a kernel; inside a scan
 * body, those that change from step to step) into ctx.stages. A node in `targets` is stored in the
 * buffer named there. Returns the block's expression builder.
 */
export function lowerBlock(
  ctx: Ctx,
  roots: readonly Node[],
  include: (n: Node) => boolean,
  targets: ReadonlyMap<Node, Target>,
): ExprFn {
  const order = orderWithBodies(roots).filter(include);
  const inBlock = new Set(order);
  const users = new Map<Node, Node[]>();
  for (const n of orderWithBodies(roots))
    for (const d of depsOf(n)) {
      const u = users.get(d) ?? [];
      if (!u.includes(n)) u.push(n);
      users.set(d, u);
    }
  // A matmul (or linear-algebra) operand is read as a whole buffer; a parameter already is one.
  const operandBase = (u: Node, x: Node): Node => (u.op.kind === 'matmul' ? operandNeedsBuffer(x) : x);
  const needsOwnBuffer = (x: Node): boolean => !(x.op.kind === 'param' && ctx.buffers.has(x)) && x.op.kind !== 'result';

  // Decide what to materialise.
  const mat = new Set<Node>();
  for (const n of order) {
    if (n.op.kind === 'param' || n.op.kind === 'result') continue;
    if (n.op.kind === 'scan') {
      mat.add(n);
      // Operands of matmuls in the body that do not change between steps are built once, out here.
      for (const u of frontierOf(n).users)
        for (const x of u.inputs) {
          const base = operandBase(u, x);
          if (inBlock.has(base) && needsOwnBuffer(base) && base.op.kind !== 'param') mat.add(base);
        }
      continue;
    }
    if (BUFFER_OPS.has(n.op.kind) || targets.has(n)) mat.add(n);
    if (
      n.op.kind === 'matmul' ||
      n.op.kind === 'cholesky' ||
      n.op.kind === 'triSolve' ||
      n.op.kind === 'fft' ||
      n.op.kind === 'fftconv'
    ) {
      for (const x of n.inputs) {
        const base = operandBase(n, x);
        if (needsOwnBuffer(base)) mat.add(base);
      }
    }
    if (!INLINE_OPS.has(n.op.kind) && !BUFFER_OPS.has(n.op.kind)) {
      throw new LenscError(n.op.kind, `no lowering for ${n.op.kind}`, n.loc);
    }
  }
  // Sums of matmuls accumulate into one buffer: the inner matmuls are not materialised separately.
  const accumulated = new Map<Node, Node[]>();
  for (const n of order) {
    if (!mat.has(n) || n.op.kind !== 'binary' || n.op.fn !== 'add') continue;
    const terms: Node[] = [];
    const collect = (x: Node): boolean => {
      if (x.op.kind === 'matmul' && users.get(x)?.length === 1 && !targets.has(x) && inBlock.has(x)) {
        terms.push(x);
        return true;
      }
      if (
        x.op.kind === 'binary' &&
        x.op.fn === 'add' &&
        users.get(x)?.length === 1 &&
        !targets.has(x) &&
        x !== n &&
        inBlock.has(x)
      )
        return collect(x.inputs[0]!) && collect(x.inputs[1]!);
      return false;
    };
    if (collect(n.inputs[0]!) && collect(n.inputs[1]!)) {
      accumulated.set(n, terms);
      for (const t of terms) mat.delete(t);
    }
  }

  const expr = exprBuilder(ctx);
  for (const n of order) {
    if (n.op.kind === 'result') {
      const bufs = ctx.scanResults.get(n.inputs[0]!);
      if (bufs) ctx.buffers.set(n, bufs[n.op.index]!);
      continue;
    }
    if (!mat.has(n)) continue;
    if (n.op.kind === 'scan') {
      lowerScan(n, ctx, order, targets, expr);
      continue;
    }
    const target = targets.get(n);
    const name = target ? target.name : `t${ctx.counter.t++}`;
    const stageName = `s${ctx.counter.s++}`;
    const role = target ? target.role : 'temp';
    if (!ctx.decls.some((d) => d.name === name)) ctx.decls.push({ name, dtype: n.dtype, shape: n.shape, role });
    emitStage(n, name, stageName, ctx, expr, accumulated.get(n));
    ctx.buffers.set(n, name);
    if (!target) ctx.notes.push(`materialised ${name} ${n.dtype}${shapeToString(n.shape)} for ${describe(n, users)}`);
  }
  return expr;
}

function describe(n: Node, users: Map<Node, Node[]>): string {
  const us = users.get(n) ?? [];
  const kinds = [...new Set(us.map((u) => u.op.kind))];
  return `${n.op.kind} used by ${kinds.join(', ') || 'output'}`;
}

function emitStage(n: Node, buf: string, name: string, ctx: Ctx, expr: ExprFn, matmulTerms?: Node[]): void {
  const op = n.op;
  const loc = n.loc;
  if (matmulTerms) {
    matmulTerms.forEach((t, i) => emitGemm(t, buf, `${name}${String.fromCharCode(97 + i)}`, i > 0, ctx));
    return;
  }
  switch (op.kind) {
    case 'matmul':
      emitGemm(n, buf, name, false, ctx);
      return;
    case 'reduce': {
      const src = n.inputs[0]!;
      const all = axesFor(src.shape, 'i');
      const kept = all.filter((_, i) => !op.axes.includes(i));
      const red = all.filter((_, i) => op.axes.includes(i));
      const value = expr(
        src,
        all.map((a) => v(a.v)),
      );
      ctx.stages.push({
        kind: 'map',
        name,
        domain: kept,
        reduce: { fn: op.fn, axes: red },
        outputs: [
          {
            buf,
            index: linearize(
              kept.map((a) => v(a.v)),
              n.shape,
            ),
            value,
            accumulate: false,
          },
        ],
        loc,
      });
      ctx.notes.push(
        `fused into ${op.fn} ${buf}: ${shapeToString(src.shape)} → ${shapeToString(n.shape)} (the ${shapeToString(src.shape)} operand is never materialised)`,
      );
      return;
    }
    case 'scatterAdd': {
      const [vals, ...ix] = n.inputs as [Node, ...Node[]];
      const domain = axesFor(vals.shape, 'i');
      const vars = domain.map((a) => v(a.v));
      const indices = ix.map((i) => expr(i, vars));
      const parallelAxis = domain.findIndex((a) => indices.some((e) => e.k === 'var' && e.name === a.v));
      ctx.stages.push({ kind: 'fill', name: `${name}z`, buf, value: 0 });
      ctx.stages.push({
        kind: 'scatter',
        name,
        domain,
        target: buf,
        indices,
        targetShape: n.shape,
        value: expr(vals, vars),
        parallelAxis: parallelAxis < 0 ? undefined : parallelAxis,
        loc,
      });
      return;
    }
    case 'cholesky': {
      const a = ctx.buffers.get(n.inputs[0]!)!;
      ctx.stages.push({ kind: 'cholesky', name, a, out: buf, n: n.shape[0]!, loc });
      return;
    }
    case 'triSolve': {
      const [l, b] = n.inputs as [Node, Node];
      ctx.stages.push({
        kind: 'triSolve',
        name,
        l: ctx.buffers.get(l)!,
        b: ctx.buffers.get(b)!,
        out: buf,
        n: l.shape[0]!,
        cols: b.rank === 1 ? Size.const(1) : b.shape[1]!,
        transpose: op.transpose,
        loc,
      });
      return;
    }
    case 'fft': {
      const x = n.inputs[0]!;
      const r = x.rank;
      ctx.stages.push({
        kind: 'fft',
        name,
        src: ctx.buffers.get(x)!,
        dst: buf,
        batch: r === 4 ? x.shape[0]! : Size.const(1),
        ny: x.shape[r - 3]!,
        nx: x.shape[r - 2]!,
        inverse: op.inverse,
        loc,
      });
      return;
    }
    case 'fftconv': {
      const [x, k] = n.inputs as [Node, Node];
      const r = x.rank;
      // The runtime's workspace in the arena, declared so that the planner counts it: the kernel as complex
      // values and its spectrum, then the spectrum in blocks of 8 columns (backends/js/runtime/fftconv.js):
      // [2, Py, Px + 7, 2] f64 whatever the data's dtype.
      const work = `t${ctx.counter.t++}`;
      ctx.decls.push({
        name: work,
        dtype: 'f64',
        shape: [Size.const(2), k.shape[0]!, k.shape[1]!.add(7), Size.const(2)],
        role: 'temp',
      });
      ctx.notes.push(
        `materialised ${work} f64(2, ${k.shape[0]}, ${k.shape[1].add(7)}, 2) as fftconv2's workspace (the kernel's spectrum)`,
      );
      ctx.stages.push({
        kind: 'fftconv',
        name,
        src: ctx.buffers.get(x)!,
        kernel: ctx.buffers.get(k)!,
        work,
        dst: buf,
        batch: r === 3 ? x.shape[0]! : Size.const(1),
        ny: x.shape[r - 2]!,
        nx: x.shape[r - 1]!,
        py: k.shape[0]!,
        px: k.shape[1]!,
        loc,
      });
      return;
    }
    default: {
      const domain = axesFor(n.shape, 'i');
      const idx = domain.map((a) => v(a.v));
      ctx.stages.push({
        kind: 'map',
        name,
        domain,
        outputs: [{ buf, index: linearize(idx, n.shape), value: expr(n, idx), accumulate: false }],
        loc,
      });
    }
  }
}

function emitGemm(n: Node, c: string, name: string, accumulate: boolean, ctx: Ctx): void {
  if (n.op.kind !== 'matmul') throw new Error('unreachable');
  let [a, b] = n.inputs as [Node, Node];
  let transA = n.op.transA,
    transB = n.op.transB;
  if (!ctx.buffers.has(a) && a.op.kind === 'transpose') {
    a = a.inputs[0]!;
    transA = !transA;
  }
  if (!ctx.buffers.has(b) && b.op.kind === 'transpose') {
    b = b.inputs[0]!;
    transB = !transB;
  }
  const A = ctx.buffers.get(a),
    B = ctx.buffers.get(b);
  if (!A || !B) throw new LenscError('matmul', 'internal: operand not materialised', n.loc);
  const vec = b.rank === 1;
  const m = n.shape[0]!,
    nn = vec ? Size.const(1) : n.shape[1]!;
  const k = transA ? a.shape[0]! : a.shape[1]!;
  ctx.stages.push({
    kind: 'gemm',
    name,
    a: A,
    b: B,
    c,
    transA,
    transB: vec ? false : transB,
    m,
    n: nn,
    k,
    lda: a.shape[1]!,
    ldb: vec ? Size.const(1) : b.shape[1]!,
    ldc: nn,
    symmetric: A === B && transA !== transB && !vec,
    accumulate,
    loc: n.loc,
  });
}
