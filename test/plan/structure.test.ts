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

  it.each([wTilde, wTildeDirect])('$name chunks K: the (M, K) operands hold one chunk, the matmuls accumulate', (k) => {
    const { program } = planKernel(k, 'js');
    const chunk = program.stages.find((s) => s.kind === 'chunk');
    expect(chunk?.kind).toBe('chunk');
    if (chunk?.kind !== 'chunk') return;
    expect(chunk.symbol).toBe('K');
    // both X·Xᵀ products (cos and sin) are in the chunk, each a symmetric update accumulating across chunks
    const gemms = chunk.body.filter((s) => s.kind === 'gemm');
    expect(gemms).toHaveLength(2);
    for (const g of gemms) expect(g).toMatchObject({ kind: 'gemm', accumulate: true, symmetric: true });
    const temps = program.buffers.filter((x) => x.role === 'temp');
    expect(temps).toHaveLength(2);
    for (const b of temps) {
      expect(b.chunkedBy).toBe('K');
      expect(b.shape.map(String)).toEqual(['M', 'K_chunk']);
    }
  });

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
