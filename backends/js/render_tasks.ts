// Renders the parallel stages of a loop program (map and scatter) to task functions that the JS
// runtime runs on its worker pool, each over a contiguous range [lo, hi) of the stage's first
// (or conflict-free) axis — or, for a scatter with private copies, over a range of its shares. The loop nests
// come from the shared C-like renderer.
import type { BufferDecl, MapStage, ScatterStage } from '../../compiler/loop/ir.ts';
import { ExprRenderer } from '../clike/expr.ts';
import { indent, renderMapBody, renderScatterBody, type Body } from '../clike/nest.ts';
import { Size, numel } from '../../compiler/ir/size.ts';
import { jsDialect } from './dialect.ts';

const VIEW: Record<string, string> = { f64: 'f64', f32: 'f32', i32: 'i32', bool: 'i32' };

function task(name: string, body: Body, decls: Map<string, BufferDecl>, single: boolean): string {
  const { scope } = body;
  const lines = [
    ...[...scope.sizesUsed].sort().map((s) => `const ${s} = a.s.${s};`),
    ...[...scope.freeVarsUsed].sort().map((v) => `const ${v} = a.s.${v};`),
    ...[...scope.scalarsUsed].sort().map((s) => `const p_${s} = a.p.${s};`),
    ...[...scope.buffersUsed].sort().map((b) => `const b_${b} = ctx.${VIEW[decls.get(b)!.dtype]}(a.b.${b});`),
    // A stage with no parallel axis is one task: the piece starting at 0 does all of it.
    ...(single ? ['if (lo > 0) return;'] : []),
    ...body.lines,
  ];
  return `${name}(ctx, a, lo, hi) {\n${indent(lines, 2).join('\n')}\n  }`;
}

export function renderMapTask(s: MapStage, decls: Map<string, BufferDecl>): string {
  const single = s.domain.length === 0;
  return task(
    s.name,
    renderMapBody(s, jsDialect, single ? { kind: 'given', count: 0 } : { kind: 'range', lo: 'lo', hi: 'hi' }),
    decls,
    single,
  );
}

export function renderScatterTask(s: ScatterStage, decls: Map<string, BufferDecl>): string {
  const single = s.parallelAxis === undefined;
  const dtype = decls.get(s.target)!.dtype;
  return task(
    s.name,
    renderScatterBody(
      s,
      jsDialect,
      single ? { kind: 'given', count: 0 } : { kind: 'range', lo: 'lo', hi: 'hi' },
      dtype === 'bool' ? 'i32' : dtype,
      undefined,
      undefined,
      true, // pairs of the conflict-free axis: one pass over the index tables for two of its values
    ),
    decls,
    single,
  );
}

/** The serial form of a scatter (its target directly, one task): also the fallback of one with private copies. */
export function renderSerialScatterTask(s: ScatterStage, decls: Map<string, BufferDecl>): string {
  const { copies: _copies, ...serial } = s;
  return renderScatterTask(serial, decls);
}

/** The task name of a scatter's share loop (ScatterStage.copies). */
export const sharesTaskName = (s: ScatterStage): string => `${s.name}_shares`;

/**
 * A scatter with private copies, over shares [lo, hi): share c takes rows ⌊c·n/count⌋ … ⌊(c+1)·n/count⌋ − 1 of
 * domain axis 0 and adds into copy c. Which thread runs a share changes nothing: each copy is written by one
 * share in one fixed loop order.
 */
export function renderSharesScatterTask(s: ScatterStage, decls: Map<string, BufferDecl>): string {
  const copies = s.copies!;
  const dtype = decls.get(s.target)!.dtype;
  const body = renderScatterBody(
    s,
    jsDialect,
    { kind: 'range', lo: 'rowLo_', hi: 'rowHi_' },
    dtype === 'bool' ? 'i32' : dtype,
    { buf: copies.buf, offset: 'copyOff_' },
  );
  const r = new ExprRenderer(jsDialect, body.scope);
  const n = r.sizeCode(s.domain[0]!.extent),
    shares = r.sizeCode(Size.sym(copies.count)),
    elements = r.sizeCode(numel(decls.get(s.target)!.shape));
  const wrapped: Body = {
    ...body,
    lines: [
      `for (let share_ = lo; share_ < hi; share_++) {`,
      ...indent(
        [
          `const rowLo_ = Math.floor((share_ * ${n}) / ${shares}), rowHi_ = Math.floor(((share_ + 1) * ${n}) / ${shares});`,
          `const copyOff_ = share_ * ${elements};`,
          ...body.lines,
        ],
        1,
      ),
      '}',
    ],
  };
  return task(sharesTaskName(s), wrapped, decls, false);
}

/**
 * A scatter split by owner (ScatterStage.ownerSplit): the task over [lo, hi) of the target's leading index runs the
 * whole domain and adds only the points whose leading index is in [lo, hi).
 */
export function renderOwnerScatterTask(s: ScatterStage, decls: Map<string, BufferDecl>): string {
  const dtype = decls.get(s.target)!.dtype;
  const body = renderScatterBody(
    s,
    jsDialect,
    { kind: 'given', count: 0 },
    dtype === 'bool' ? 'i32' : dtype,
    undefined,
    {
      lo: 'lo',
      hi: 'hi',
    },
  );
  return task(s.name, body, decls, false);
}
