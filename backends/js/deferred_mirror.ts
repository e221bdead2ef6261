// Which symmetric accumulations inside a chunk loop may write only C's lower triangle, with one mirror into
// the upper triangle after the loop. A SYRK that accumulates (beta = 1) into a C that is whole must otherwise
// check, per chunk, that C is still symmetric and mirror its result (profiled at ≈ 12 % of W̃ on one thread);
// when nothing but such SYRKs touches C inside the loop and C was zero-filled just before it, the lower
// triangle carries every sum and the upper one is only a copy, made once (support.mirrorLower).
import type { ChunkStage, GemmStage, Stage } from '../../compiler/loop/ir.ts';
import { stageReads, stageWrites } from '../../compiler/loop/access.ts';

export interface DeferredMirror {
  readonly buf: string;
  /** One of the SYRKs: its n (= m) and ldc are the mirror's. */
  readonly syrk: GemmStage;
}

const flatten = (stages: readonly Stage[]): Stage[] =>
  stages.flatMap((s) => (s.kind === 'chunk' || s.kind === 'scan' ? [s, ...flatten(s.body)] : [s]));

const touches = (s: Stage, buf: string): boolean => stageReads(s).has(buf) || stageWrites(s).has(buf);

/** The mirrors each chunk loop of the program defers to after the loop, and the SYRKs that then run lower-only. */
export function deferredMirrors(stages: readonly Stage[]): {
  after: Map<ChunkStage, DeferredMirror[]>;
  lowerOnly: Set<GemmStage>;
} {
  const after = new Map<ChunkStage, DeferredMirror[]>();
  const lowerOnly = new Set<GemmStage>();
  const visit = (list: readonly Stage[]) => {
    list.forEach((s, i) => {
      if (s.kind === 'scan') return visit(s.body);
      if (s.kind !== 'chunk') return;
      visit(s.body);
      const inner = flatten(s.body);
      const targets = new Set(inner.flatMap((x) => (x.kind === 'gemm' && x.symmetric ? [x.c] : [])));
      for (const buf of targets) {
        const users = inner.filter((x) => touches(x, buf));
        const syrks = users.filter(
          (x): x is GemmStage =>
            x.kind === 'gemm' &&
            x.symmetric &&
            x.accumulate &&
            x.c === buf &&
            x.a !== buf &&
            !x.m.symbols().includes(s.chunkSymbol) &&
            !x.ldc.symbols().includes(s.chunkSymbol),
        );
        // Every user a lower-only-able SYRK of one order and stride, and none of them nested deeper.
        if (syrks.length !== users.length || !syrks.every((g) => s.body.includes(g))) continue;
        const first = syrks[0]!;
        if (!syrks.every((g) => g.m.equals(first.m) && g.ldc.equals(first.ldc))) continue;
        // Zero-filled before the loop in the same list, and untouched in between.
        let f = i - 1;
        while (f >= 0 && !touches(list[f]!, buf)) f--;
        const fill = list[f];
        if (fill?.kind !== 'fill' || fill.buf !== buf || fill.value !== 0) continue;
        after.set(s, [...(after.get(s) ?? []), { buf, syrk: first }]);
        for (const g of syrks) lowerOnly.add(g);
      }
    });
  };
  visit(stages);
  return { after, lowerOnly };
}
