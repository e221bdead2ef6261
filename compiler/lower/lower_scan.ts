// Lowering of a general scan (one that scan-to-reduce did not turn into a sum): a scan stage, a
// sequential loop over the steps whose body is a sub-program lowered like any block — its stages
// run in order, each parallel inside. Before the loop each carry buffer gets its initial value. In a
// step the body reads the carries and x_t (xs[t, …], t the step variable, counting down when
// reversed), computes every new carry into a `next` buffer, stores y_t into ys[t, …], then copies
// next → carry. A new carry computed elementwise from the carry at the same element, after the last
// read of the old carry, is written in place instead (no copy, no second buffer).
// Values the body uses that do not change between steps (anything not depending on the carries or
// x_t: kernel parameters, matmuls of parameters, …) are computed once, before the loop.
import type { Node } from '../ir/graph.ts';
import { linearize, v } from '../loop/expr.ts';
import { forEachNode, mapChildren, rewriteDag } from '../loop/walk.ts';
import type { BufferDecl, Expr, Stage } from '../loop/ir.ts';
import { stageReads, stageWrites } from '../loop/access.ts';
import { exprKey } from '../loop/expr_key.ts';
import { axesFor, copyStage, lowerBlock, type Ctx, type ExprFn, type Target } from './lower.ts';

type ScanNode = Node & { op: Extract<Node['op'], { kind: 'scan' }> };

export interface Frontier {
  /** Body nodes that change from step to step (they depend on the carries or x_t). */
  readonly variant: ReadonlySet<Node>;
  /** Values from outside the loop the body uses: computed before the scan. */
  readonly nodes: readonly Node[];
  /** Body nodes that read whole buffers (matmul, cholesky, triSolve) and change per step. */
  readonly users: readonly Node[];
}

const frontiers = new WeakMap<Node, Frontier>();

/** What a node needs computed before it: its inputs and, for a scan, the outer values its body uses. */
export function depsOf(n: Node): readonly Node[] {
  return n.op.kind === 'scan' ? [...n.inputs, ...frontierOf(n).nodes] : n.inputs;
}

/** Every node needed for roots, inputs (and what scan bodies use from outside) before users. */
export function orderWithBodies(roots: readonly Node[]): Node[] {
  const seen = new Set<Node>();
  const out: Node[] = [];
  const visit = (n: Node): void => {
    if (seen.has(n)) return;
    seen.add(n);
    for (const d of depsOf(n)) visit(d);
    out.push(n);
  };
  for (const r of roots) visit(r);
  return out;
}

export function frontierOf(scan: Node): Frontier {
  const hit = frontiers.get(scan);
  if (hit) return hit;
  if (scan.op.kind !== 'scan') throw new Error('frontierOf: not a scan');
  const body = scan.op.body;
  const variant = new Set<Node>(body.params.map((p) => p.node!));
  const order = orderWithBodies(body.outputs.map((o) => o.node));
  for (const n of order) if (depsOf(n).some((d) => variant.has(d))) variant.add(n);
  const nodes = new Set<Node>();
  const users: Node[] = [];
  for (const n of order) {
    if (!variant.has(n) || n.op.kind === 'param') continue;
    for (const d of depsOf(n)) if (!variant.has(d)) nodes.add(d);
    if (n.op.kind === 'matmul' || n.op.kind === 'cholesky' || n.op.kind === 'triSolve') users.push(n);
  }
  for (const o of body.outputs) if (!variant.has(o.node)) nodes.add(o.node);
  const f = { variant, nodes: [...nodes], users };
  frontiers.set(scan, f);
  return f;
}

/** Replaces every load from buffer `from` by a load from `to`, in every stage. */
function renameBuffer(stages: readonly Stage[], from: string, to: string): Stage[] {
  const memo = new Map<Expr, Expr>();
  const e = (x: Expr): Expr =>
    rewriteDag(
      x,
      (y, rec) => {
        const r = mapChildren(y, rec);
        return r.k === 'load' && r.buf === from ? { ...r, buf: to } : r;
      },
      memo,
    );
  const b = (name: string) => (name === from ? to : name);
  return stages.map((s): Stage => {
    switch (s.kind) {
      case 'map':
        return { ...s, outputs: s.outputs.map((o) => ({ ...o, buf: b(o.buf), index: e(o.index), value: e(o.value) })) };
      case 'scatter':
        return { ...s, target: b(s.target), indices: s.indices.map(e), value: e(s.value) };
      case 'gemm':
        return { ...s, a: b(s.a), b: b(s.b), c: b(s.c) };
      case 'cholesky':
        return { ...s, a: b(s.a), out: b(s.out) };
      case 'triSolve':
        return { ...s, l: b(s.l), b: b(s.b), out: b(s.out) };
      case 'fft':
        return { ...s, src: b(s.src), dst: b(s.dst) };
      case 'fftconv':
        return { ...s, src: b(s.src), kernel: b(s.kernel), work: b(s.work), dst: b(s.dst) };
      case 'fill':
        return { ...s, buf: b(s.buf) };
      case 'chunk':
      case 'scan':
        return { ...s, body: renameBuffer(s.body, from, to) };
    }
  });
}

/** Every load of `buf` inside e has the index whose key is `key`. */
function loadsOnlyAt(e: Expr, buf: string, key: string): boolean {
  let ok = true;
  forEachNode(e, (x) => {
    if (x.k === 'load' && x.buf === buf && exprKey(x.index) !== key) ok = false;
  });
  return ok;
}

/**
 * The body with carry `carry` updated in place when that is safe: its next value is written by one
 * elementwise map (no reduction) that reads the old carry only at the element it writes, and no later
 * stage reads the old carry. Then that map writes the carry itself and later readers of `next` read it.
 */
function inPlace(stages: readonly Stage[], carry: string, next: string): Stage[] | undefined {
  const at = stages.findIndex((s) => stageWrites(s).has(next));
  const w = stages[at];
  if (!w || w.kind !== 'map' || w.reduce || w.outputs.length !== 1) return undefined;
  if (stages.some((s, i) => i !== at && stageWrites(s).has(next))) return undefined;
  const out = w.outputs[0]!;
  if (!loadsOnlyAt(out.value, carry, exprKey(out.index))) return undefined;
  if (stages.slice(at + 1).some((s) => stageReads(s).has(carry))) return undefined;
  return renameBuffer(stages, next, carry);
}

/**
 * Lowers scan node n into ctx.stages (carry initialisation, then the scan stage) and records the
 * buffers of its results in ctx.scanResults. A result that is a kernel output (or an enclosing
 * scan's next carry) in `targets` is computed in that buffer directly.
 */
export function lowerScan(
  n: Node,
  ctx: Ctx,
  order: readonly Node[],
  targets: ReadonlyMap<Node, Target>,
  expr: ExprFn,
): void {
  const scan = n as ScanNode;
  const { body, nCarry, reverse, length } = scan.op;
  const name = `s${ctx.counter.s++}`;
  const step = `t_${name}`;
  const resultTarget = new Map<number, Target>();
  for (const r of order) {
    if (r.op.kind === 'result' && r.inputs[0] === n && !resultTarget.has(r.op.index)) {
      const t = targets.get(r);
      if (t) resultTarget.set(r.op.index, t);
    }
  }
  const declare = (d: BufferDecl): string => {
    if (!ctx.decls.some((x) => x.name === d.name)) ctx.decls.push(d);
    return d.name;
  };
  const params = body.params.map((p) => p.node!);
  const outs = body.outputs.map((o) => o.node);

  // Carries: each gets its buffer (the kernel output when the final carry is one), set to its init.
  const carries = params.slice(0, nCarry).map((p, i) => {
    const t = resultTarget.get(i);
    const buf = declare({
      name: t?.name ?? `c${ctx.counter.t++}`,
      dtype: p.dtype,
      shape: p.shape,
      role: t?.role ?? 'temp',
    });
    ctx.stages.push(copyStage(`s${ctx.counter.s++}`, buf, scan.inputs[i]!, expr, scan.loc));
    return buf;
  });
  const ys = outs.slice(nCarry).map((y, j) => {
    const t = resultTarget.get(nCarry + j);
    return declare({
      name: t?.name ?? `ys${ctx.counter.t++}`,
      dtype: y.dtype,
      shape: [length, ...y.shape],
      role: t?.role ?? 'temp',
    });
  });

  // The body: carries are their buffers, x_t a view of xs at the step, the rest lowered per step.
  const { variant } = frontierOf(n);
  const bctx: Ctx = { ...ctx, buffers: new Map(ctx.buffers), views: new Map(ctx.views), stages: [] };
  params.forEach((p, i) => {
    if (i < nCarry) bctx.buffers.set(p, carries[i]!);
    else bctx.views.set(p, { src: scan.inputs[i]!, lead: v(step) });
  });
  const nextTargets = new Map<Node, Target>();
  const next: (string | undefined)[] = carries.map((c, i) => {
    const out = outs[i]!;
    if (out === params[i]) return undefined; // this carry never changes
    const buf = declare({ name: `${c}_next`, dtype: out.dtype, shape: out.shape, role: 'temp' });
    if (variant.has(out) && out.op.kind !== 'param' && !nextTargets.has(out))
      nextTargets.set(out, { name: buf, role: 'temp' });
    return buf;
  });
  // ys first: what reads the old carries tends to come before what computes the new ones, so more
  // carries can be updated in place.
  const built = lowerBlock(bctx, [...outs.slice(nCarry), ...outs.slice(0, nCarry)], (x) => variant.has(x), nextTargets);
  // What the body materialised is loaded (the block's builder may still hold the inline form of a
  // node it built before storing it, and reading the stored value lets a carry be updated in place).
  const bexpr: ExprFn = (x, idx) => {
    const buf = bctx.buffers.get(x);
    return buf !== undefined && x.op.kind !== 'param'
      ? { k: 'load', buf, index: linearize(idx, x.shape), dtype: x.dtype }
      : built(x, idx);
  };
  // New carries not computed into their next buffer by the block (a parameter, an outer value, a value
  // shared by two carries) are copied there.
  carries.forEach((_, i) => {
    const nb = next[i];
    if (nb !== undefined && bctx.buffers.get(outs[i]!) !== nb)
      bctx.stages.push(copyStage(`s${ctx.counter.s++}`, nb, outs[i]!, bexpr, scan.loc));
  });
  ys.forEach((buf, j) => {
    const y = outs[nCarry + j]!;
    const axes = axesFor(y.shape, 'i');
    const idx = axes.map((a) => v(a.v));
    bctx.stages.push({
      kind: 'map',
      name: `s${ctx.counter.s++}`,
      domain: axes,
      outputs: [
        { buf, index: linearize([v(step), ...idx], [length, ...y.shape]), value: bexpr(y, idx), accumulate: false },
      ],
      loc: scan.loc,
    });
  });
  let stages: Stage[] = bctx.stages;
  const inPlaceCarries: string[] = [];
  carries.forEach((c, i) => {
    const nb = next[i];
    if (nb === undefined) return;
    const updated = inPlace(stages, c, nb);
    if (updated) {
      stages = updated;
      inPlaceCarries.push(c);
      ctx.decls.splice(
        ctx.decls.findIndex((d) => d.name === nb),
        1,
      );
      return;
    }
    const d = ctx.decls.find((x) => x.name === c)!;
    const axes = axesFor(d.shape, 'i');
    const idx = linearize(
      axes.map((a) => v(a.v)),
      d.shape,
    );
    stages.push({
      kind: 'map',
      name: `s${ctx.counter.s++}`,
      domain: axes,
      outputs: [{ buf: c, index: idx, value: { k: 'load', buf: nb, index: idx, dtype: d.dtype }, accumulate: false }],
      loc: scan.loc,
    });
  });
  ctx.stages.push({ kind: 'scan', name, length, reverse, step, body: stages, carries, loc: scan.loc });
  ctx.notes.push(
    `scan ${name}: ${length} steps${reverse ? ' (reversed)' : ''}, carries ${carries.join(', ') || 'none'}${inPlaceCarries.length ? ` (${inPlaceCarries.join(', ')} updated in place)` : ''}${ys.length ? `, stacked ys ${ys.join(', ')}` : ''}`,
  );
  ctx.scanResults.set(n, [...carries, ...ys]);
}
