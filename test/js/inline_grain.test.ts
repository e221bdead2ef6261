// Tiny stages run on the calling thread: the grain each generated parallelFor call passes makes a stage of
// fewer than 2·INLINE_WORK operations a single (inline) piece, and leaves large stages split over threads.
import { describe, expect, it } from 'vitest';
import { planKernel } from '../../compiler/compile.ts';
import { grainOption, INLINE_WORK } from '../../backends/js/inline_grain.ts';
import type { Size } from '../../compiler/ir/size.ts';
import { logEvidence } from '../../std/log_evidence.ts';

const js = (s: Size, env: string) => `(${s.toJs(env)})`;
/** parallelFor's rule: pieces = min(threads, floor(range / grain)); one piece runs inline. */
const pieces = (range: number, grain: number, threads: number) =>
  Math.max(1, Math.min(threads, Math.floor(range / grain)));

describe('inline grain of generated parallelFor calls', () => {
  it('log evidence: the S×S stage runs inline at S = 256 and splits over 2 threads at S = 4096', () => {
    const { program } = planKernel(logEvidence, 'js');
    const stages = program.stages.filter((s) => s.kind === 'map' && s.domain.length === 2);
    expect(stages.length).toBeGreaterThan(0);
    for (const s of stages) {
      if (s.kind !== 'map') continue;
      const grainAt = (S: number) => {
        const opt = grainOption(s, 0, 'env', js);
        const expr = /grain: (.*) }$/.exec(opt)![1]!;
        return new Function('env', `return ${expr};`)({ S }) as number;
      };
      expect(pieces(256, grainAt(256), 2)).toBe(1);
      expect(pieces(4096, grainAt(4096), 2)).toBe(2);
      expect(grainAt(4096)).toBeLessThanOrEqual(Math.ceil(INLINE_WORK / 4096));
    }
  });
});
