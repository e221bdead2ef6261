// Renders the parallel stages of a loop program (map and scatter) to task functions that the JS
// runtime runs on its worker pool, each over a contiguous range [lo, hi) of the stage's first
// (or conflict-free) axis. The loop nests come from the shared C-like renderer.
import type { BufferDecl, MapStage, ScatterStage } from '../../compiler/loop/ir.ts';
import { indent, renderMapBody, renderScatterBody, type Body } from '../clike/nest.ts';
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
    ),
    decls,
    single,
  );
}
