// The memory plan counts the BLAS packing scratch (backends/js/blas_scratch.ts): run on the WebAssembly
// kernels (which pack into the arena), the arena's peak beyond a call's inputs and outputs stays within the
// plan's peak and within the budget — also when the budget binds and the scratch shrinks the chunks — and exceeds
// what the temporaries alone would say (W̃'s SYRK; log evidence's blocked Cholesky and its trailing SYRKs).
import { afterAll, describe, expect, it } from 'vitest';
import { resolvePlan } from '../../backends/common/plan.js';
import { getArena, shutdown, useNativeBlas } from '../../backends/js/runtime/index.js';
import { jsCapabilities } from '../../backends/js/support/index.js';
import { logEvidence } from '../../std/log_evidence.ts';
import { wTilde } from '../../std/w_tilde.ts';
import { buildAndImport } from '../helpers/build.ts';
import { randomArray, relErr, rng } from '../helpers/random.ts';
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

  it('log evidence on the WebAssembly kernels (blocked Cholesky, S = 300): arena peak ≤ the plan peak', async () => {
    useNativeBlas(false);
    const { run, manifest } = await buildAndImport(logEvidence);
    expect(manifest.plan.scratch.map((x: { name: string }) => x.name)).toEqual(['s2', 's6', 's9', 's13']);
    const S = 300,
      K = 50,
      r = rng(5);
    // symmetric positive definite: G·Gᵀ + S·I
    const spd = () => {
      const g = randomArray(S * S, r),
        a = new Float64Array(S * S);
      for (let i = 0; i < S; i++)
        for (let j = 0; j <= i; j++) {
          let v = i === j ? S : 0;
          for (let p = 0; p < S; p++) v += g[i * S + p]! * g[j * S + p]!;
          a[i * S + j] = a[j * S + i] = v;
        }
      return a;
    };
    const F = spd(),
      H = spd(),
      D = randomArray(S, r);
    const ins = {
      curvature: F,
      regularization: H,
      dataVector: D,
      visibilities: randomArray(2 * K, r),
      noiseMap: randomArray(2 * K, r, 0.5, 2),
    };
    const io = 2 * round64(8 * S * S) + round64(8 * S) + 2 * round64(16 * K) + round64(8 * S) + 6 * round64(8); // + outputs
    const plan = resolvePlan(
      'logEvidence',
      manifest.plan,
      { S, K },
      {
        budgetBytes: 1 << 30,
        preferredChunkBytes: jsCapabilities().preferredChunkBytes,
      },
    );
    const A = getArena();
    A.resetPeak();
    const base = A.bytesInUse();
    const out = await run(ins, { threads: 2 });
    const used = A.peakBytes() - base - io;
    // the reconstruction solves (F + H)·x = D
    const x: Float64Array = out.reconstruction;
    const res = new Float64Array(S);
    for (let i = 0; i < S; i++) {
      let v = -D[i]!;
      for (let j = 0; j < S; j++) v += (F[i * S + j]! + H[i * S + j]!) * x[j]!;
      res[i] = v;
    }
    expect(relErr(res, new Float64Array(S)) / Math.max(...D.map(Math.abs))).toBeLessThan(1e-10);
    expect(used).toBeGreaterThan(0);
    expect(used).toBeLessThanOrEqual(plan.peakBytes + 64 * manifest.plan.temps.length); // 64-byte rounding
    // the Cholesky's packing is real: the temporaries alone under-count what the call took
    const bare = resolvePlan(
      'logEvidence',
      { ...manifest.plan, scratch: undefined },
      { S, K },
      {
        budgetBytes: 1 << 30,
        preferredChunkBytes: jsCapabilities().preferredChunkBytes,
      },
    );
    expect(used).toBeGreaterThan(bare.peakBytes + 64 * manifest.plan.temps.length);
  });
});
