// Structural tests of plans: what is fused, what is chunked, and that intermediates stay under the
// budget for any K — checked on the plan itself, without running anything.
import { describe, expect, it } from 'vitest';
import { evalTerms, resolvePlan } from '../../backends/common/plan.js';
import { planKernel } from '../../compiler/compile.ts';
import { wTilde, wTildeDirect } from '../../std/w_tilde.ts';

const MiB = 1024 ** 2;

describe('W̃ plans', () => {
  it('wTildeDirect evaluated literally (rewrites off) is one fused reduction with no intermediates: (M, M, K) is never allocated', () => {
    const { program } = planKernel(wTildeDirect, 'js', { rewrites: false });
    expect(program.stages).toHaveLength(1);
    const s = program.stages[0]!;
    expect(s.kind).toBe('map');
    if (s.kind !== 'map') return;
    expect(s.reduce?.axes.map((a) => a.extent.toString())).toEqual(['K']);
    expect(program.buffers.filter((b) => b.role === 'temp')).toEqual([]);
    expect(program.buffers.some((b) => b.shape.length === 3)).toBe(false);
  });

  it.each([wTilde, wTildeDirect])(
    '$name chunks K: the cos and sin panels hold one chunk side by side, one SYRK over [C S] accumulates',
    (k) => {
      const { program } = planKernel(k, 'js');
      const chunk = program.stages.find((s) => s.kind === 'chunk');
      expect(chunk?.kind).toBe('chunk');
      if (chunk?.kind !== 'chunk') return;
      expect(chunk.symbol).toBe('K');
      // C·Cᵀ + S·Sᵀ is one symmetric rank-2K_chunk update over the panel [C S] (compiler/plan/merge_sibling_syrks.ts)
      const gemms = chunk.body.filter((s) => s.kind === 'gemm');
      expect(gemms).toHaveLength(1);
      expect(gemms[0]).toMatchObject({ kind: 'gemm', accumulate: true, symmetric: true, a: 't0_t1', b: 't0_t1' });
      if (gemms[0]?.kind !== 'gemm') return;
      expect([gemms[0].k, gemms[0].lda].map(String)).toEqual(['2*K_chunk', '2*K_chunk']);
      const temps = program.buffers.filter((x) => x.role === 'temp');
      expect(temps).toHaveLength(1);
      expect(temps[0]!.chunkedBy).toBe('K');
      expect(temps[0]!.shape.map(String)).toEqual(['M', '2*K_chunk']);
      // the map writes both halves of each panel row
      const map = chunk.body.find((s) => s.kind === 'map');
      expect(map?.kind === 'map' && map.outputs.map((o) => o.buf)).toEqual(['t0_t1', 't0_t1']);
    },
  );

  it.each([wTilde, wTildeDirect])(
    "$name on WGSL and CUDA keeps the two SYRKs (the merge is the JS target's pass)",
    (k) => {
      for (const t of ['wgsl', 'cuda'] as const) {
        const { program } = planKernel(k, t);
        const chunk = program.stages.find((s) => s.kind === 'chunk');
        expect(chunk?.kind === 'chunk' && chunk.body.filter((s) => s.kind === 'gemm')).toHaveLength(2);
      }
    },
  );

  it.each([1, 7, 8192, 200_000, 10_000_000])('keeps the peak under the budget for K = %i', (K) => {
    for (const [k, rewrites] of [
      [wTilde, true],
      [wTildeDirect, true],
      [wTildeDirect, false],
    ] as const) {
      const { manifest } = planKernel(k, 'js', { rewrites });
      for (const budget of [1 * MiB, 64 * MiB]) {
        const r = resolvePlan(
          k.name,
          manifest.plan,
          { M: 812, K },
          { budgetBytes: budget, preferredChunkBytes: Infinity },
        );
        expect(r.peakBytes).toBeLessThanOrEqual(budget);
        for (const t of manifest.plan.temps) expect(evalTerms(t.bytes, r.sizes)).toBeLessThanOrEqual(budget);
      }
    }
  });

  it('the CPU cache preference shrinks chunks below what the budget allows', () => {
    const { manifest } = planKernel(wTilde, 'js');
    const big = resolvePlan(
      'wTilde',
      manifest.plan,
      { M: 812, K: 8192 },
      { budgetBytes: 1024 * MiB, preferredChunkBytes: Infinity },
    );
    const cached = resolvePlan(
      'wTilde',
      manifest.plan,
      { M: 812, K: 8192 },
      { budgetBytes: 1024 * MiB, preferredChunkBytes: 4 * MiB },
    );
    expect(big.chunks.K).toBe(8192);
    expect(cached.chunks.K).toBeLessThan(8192);
  });
});
