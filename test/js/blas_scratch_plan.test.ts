// The memory plan counts the BLAS packing scratch (backends/js/blas_scratch.ts): run on the WebAssembly
// kernels (which pack into the arena), the arena's peak beyond a call's inputs and outputs stays within the
// plan's peak and within the budget — also when the budget binds and the scratch shrinks the chunks.
import { afterAll, describe, expect, it } from 'vitest';
import { resolvePlan } from '../../backends/common/plan.js';
import { getArena, shutdown, useNativeBlas } from '../../backends/js/runtime/index.js';
import { jsCapabilities } from '../../backends/js/support/index.js';
import { wTilde } from '../../std/w_tilde.ts';
import { buildAndImport } from '../helpers/build.ts';
import { relErr } from '../helpers/random.ts';
import { wTildeCase, wTildeLoop } from '../helpers/w_tilde_case.ts';

afterAll(() => {
  useNativeBlas(true);
  return shutdown();
});

const round64 = (bytes: number) => Math.ceil(bytes / 64) * 64;

describe('BLAS packing scratch in the memory plan', () => {
  it('W̃ on the WebAssembly kernels: arena peak ≤ the plan peak ≤ the budget, chunks shrink for the scratch', async () => {
    useNativeBlas(false);
    const { run, manifest } = await buildAndImport(wTilde);
    expect(manifest.plan.scratch).toHaveLength(1);
    const c = wTildeCase(11, 601, 41);
    const ins = { noiseReal: c.noiseReal, uv: c.uv, grid: c.grid };
    const io = [c.K, 2 * c.K, 2 * c.M, c.M * c.M].reduce((s, n) => s + round64(8 * n), 0);
    const want = wTildeLoop(c);
    const A = getArena();
    // the panel alone is 16·M bytes per K column: 250 columns would fit 16·M·250 without the scratch
    for (const budget of [16 * c.M * 250, 16 * c.M * 40, 1 << 30]) {
      const r = resolvePlan(
        'wTilde',
        manifest.plan,
        { M: c.M, K: c.K },
        {
          budgetBytes: budget,
          preferredChunkBytes: jsCapabilities().preferredChunkBytes,
        },
      );
      if (budget === 16 * c.M * 250) expect(r.chunks.K).toBeLessThan(250);
      A.resetPeak();
      const base = A.bytesInUse();
      const got: Float64Array = await run(ins, { threads: 2, memoryBudgetBytes: budget });
      const used = A.peakBytes() - base - io;
      expect(relErr(got, want)).toBeLessThan(1e-12);
      expect(used).toBeGreaterThan(0);
      expect(used).toBeLessThanOrEqual(r.peakBytes + 64 * 4); // allocations round up to 64 bytes
      expect(r.peakBytes).toBeLessThanOrEqual(budget);
      // the scratch is real: the temporaries alone (same chunks) under-count what the call took
      const bare = resolvePlan(
        'wTilde',
        { ...manifest.plan, scratch: undefined },
        { M: c.M, K: c.K },
        {
          budgetBytes: 16 * c.M * r.chunks.K!,
          preferredChunkBytes: Infinity,
        },
      );
      expect(bare.chunks.K).toBe(r.chunks.K);
      expect(used).toBeGreaterThan(bare.peakBytes);
    }
  });
});
