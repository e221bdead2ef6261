// wTildeScan (std/w_tilde_scan.ts, the talk's lax.scan formulation) on the JS backend: the scan is
// rewritten into one fused reduction over K (nothing of size M·M per step, no M·M·K), and it equals
// wTildeDirect to 1e-12 and the brute-force triple loop.
import { afterAll, describe, expect, it } from 'vitest';
import { shutdown } from '../../backends/js/runtime/index.js';
import { planKernel } from '../../compiler/compile.ts';
import { wTildeDirect } from '../../kernels/js/w_tilde_direct.js';
import { wTildeScan } from '../../std/w_tilde_scan.ts';
import { buildAndImport } from '../helpers/build.ts';
import { relErr } from '../helpers/random.ts';
import { wTildeCase, wTildeLoop } from '../helpers/w_tilde_case.ts';

afterAll(() => shutdown());

describe('wTildeScan', () => {
  it('compiles to the SYRK plan of wTilde (compiler/passes/factor_separable.ts)', () => {
    const { program } = planKernel(wTildeScan, 'js');
    const chunk = program.stages.find((s) => s.kind === 'chunk');
    expect(chunk?.kind === 'chunk' && chunk.symbol).toBe('K');
    const gemms = chunk?.kind === 'chunk' ? chunk.body.filter((s) => s.kind === 'gemm') : [];
    // C·Cᵀ + S·Sᵀ as one SYRK over the panel [C S] (compiler/plan/merge_sibling_syrks.ts), like wTilde's
    expect(gemms.map((s) => s.kind === 'gemm' && s.symmetric && s.accumulate && String(s.k))).toEqual(['2*K_chunk']);
  });

  it('with rewrites off, compiles to a single fused reduction over K with no intermediates', () => {
    const { program, manifest } = planKernel(wTildeScan, 'js', { rewrites: false });
    expect(program.stages.map((s) => s.kind)).toEqual(['map']);
    const s = program.stages[0]!;
    expect(s.kind === 'map' && s.reduce?.axes.map((a) => String(a.extent))).toEqual(['K']);
    expect(manifest.plan.temps).toEqual([]);
  });

  it.each([
    [5, 301, 1],
    [8, 1001, 2],
    [3, 1, 3],
  ])('equals wTildeDirect to 1e-12 (n = %i, K = %i)', async (n, K, seed) => {
    const c = wTildeCase(n, K, seed);
    const inputs = { noiseReal: c.noiseReal, uv: c.uv, grid: c.grid };
    const { run } = await buildAndImport(wTildeScan, 'js');
    const got = await run(inputs);
    const want = await wTildeDirect(inputs);
    expect(got).toHaveLength(c.M * c.M);
    expect(relErr(got, want)).toBeLessThanOrEqual(1e-12);
    expect(relErr(got, wTildeLoop(c))).toBeLessThanOrEqual(1e-12);
  });
});
