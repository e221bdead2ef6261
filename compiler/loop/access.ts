// What loop-IR stages touch: the buffers an expression loads, the buffers each stage reads and
// writes, each temporary's live range over the top-level stages, and a buffer's byte formula.
// Used by the loop passes, the memory planner, the manifest and every renderer's host driver.
import { DTYPE_BYTES } from '../ir/graph.ts';
import { numel, type Size } from '../ir/size.ts';
import type { BufferDecl, Expr, LoopProgram, Stage } from './ir.ts';
import { forEachNode } from './walk.ts';

export function bufferBytes(b: BufferDecl): Size {
  return numel(b.shape).mul(DTYPE_BYTES[b.dtype]);
}

/** Buffers an expression loads from (added to `out`). */
export function loadsOf(e: Expr, out = new Set<string>(), seen = new Set<Expr>()): Set<string> {
  forEachNode(
    e,
    (x) => {
      if (x.k === 'load') out.add(x.buf);
    },
    seen,
  );
  return out;
}

export function stageReads(s: Stage): Set<string> {
  switch (s.kind) {
    case 'map': {
      const r = new Set<string>();
      for (const o of s.outputs) {
        loadsOf(o.value, r);
        loadsOf(o.index, r);
        if (o.accumulate) r.add(o.buf);
      }
      return r;
    }
    case 'scatter': {
      const r = loadsOf(s.value);
      for (const i of s.indices) loadsOf(i, r);
      r.add(s.target);
      return r;
    }
    case 'gemm':
      return new Set(s.accumulate ? [s.a, s.b, s.c] : [s.a, s.b]);
    case 'cholesky':
      return new Set([s.a]);
    case 'triSolve':
      return new Set([s.l, s.b]);
    case 'fft':
      return new Set([s.src]);
    case 'fftconv':
      return new Set([s.src, s.kernel]);
    case 'fill':
      return new Set();
    case 'chunk':
    case 'scan': {
      const r = new Set<string>();
      for (const b of s.body) for (const x of stageReads(b)) r.add(x);
      return r;
    }
  }
}

export function stageWrites(s: Stage): Set<string> {
  switch (s.kind) {
    case 'map':
      return new Set(s.outputs.map((o) => o.buf));
    case 'scatter':
      return new Set([s.target]);
    case 'gemm':
      return new Set([s.c]);
    case 'cholesky':
      return new Set([s.out]);
    case 'triSolve':
      return new Set([s.out]);
    case 'fft':
      return new Set([s.dst]);
    case 'fftconv':
      return new Set([s.dst, s.work]);
    case 'fill':
      return new Set([s.buf]);
    case 'chunk':
    case 'scan': {
      const r = new Set<string>();
      for (const b of s.body) for (const x of stageWrites(b)) r.add(x);
      return r;
    }
  }
}

/** Each temporary's live range over top-level stages (a chunk or scan loop counts as one stage). */
export function liveRanges(p: LoopProgram): Map<string, [number, number]> {
  const temps = new Set(p.buffers.filter((b) => b.role === 'temp').map((b) => b.name));
  const ranges = new Map<string, [number, number]>();
  p.stages.forEach((s, i) => {
    for (const b of [...stageReads(s), ...stageWrites(s)]) {
      if (!temps.has(b)) continue;
      const r = ranges.get(b);
      ranges.set(b, r ? [r[0], i] : [i, i]);
    }
  });
  return ranges;
}
