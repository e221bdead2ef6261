// The conformance suite in df64: every std kernel that runs on the GPU, compiled for WGSL with
// precision 'df64', against the committed f64 JS kernel on the same inputs (Mesa llvmpipe in CI).
// Target: relative Frobenius error ≤ 1e-11. Plus a user's χ² kernel (data ≈ 10⁶, residuals ≈ 0.3),
// which f32 gets 1.5 % wrong, within 1e-12 of its exact value. The worst error per kernel is printed at the end:
// backends/wgsl/precision.ts records it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shutdown } from '../../backends/js/runtime/index.js';
import type { Kernel } from '../../dsl/kernel.ts';
import { f64, kernel, mul, sub, sum } from '../../dsl/index.ts';
import * as std from '../../std/index.ts';
import { buildAndImport } from '../helpers/build.ts';
import { dAdd, dMul, dSub, dToNumber, dyadic } from '../helpers/dyadic.ts';
import { frobErr, rng } from '../helpers/random.ts';
import {
  GPU_KERNELS,
  NUFFT_KERNEL,
  load,
  makeCase,
  withDirty,
  type InterferometerCase,
  type KernelCase,
} from '../wgsl/kernels.ts';
import { skipWgsl } from '../wgsl-runtime/gpu-setup.ts';

export const DF64_TARGET = 1e-11;
const worst = new Map<string, number>();
const note = (name: string, err: number) => worst.set(name, Math.max(worst.get(name) ?? 0, err));
const hashes = new Map<string, string>();

const df64 = (k: Kernel): Kernel => ({ ...k, precision: 'df64' });
const stdKernel = (name: string): Kernel => (std as unknown as Record<string, Kernel>)[name]!;

const CASES: (() => InterferometerCase)[] = [
  () => makeCase(12, { radius: 5 }, 2048, 1),
  () => makeCase(32, { keep: 0.04 }, 8192, 2),
];

export const chi2 = kernel({
  name: 'chiSquared',
  params: { data: f64(['N']), model: f64(['N']), weight: f64(['N']) },
  body: ({ data, model, weight }) => {
    const r = sub(data, model);
    return sum(mul(mul(r, r), weight), 0);
  },
});

describe.skipIf(skipWgsl)('WGSL df64 conformance: std kernels vs the f64 JS kernels', () => {
  let cases: InterferometerCase[];
  beforeAll(async () => {
    cases = await Promise.all(CASES.map((c) => withDirty(c())));
  });
  afterAll(async () => {
    await shutdown();
    // with each kernel's content hash: backends/wgsl/precision.ts MEASURED_DF64 is keyed by it
    console.log(
      `[wgsl df64] worst relative Frobenius error per kernel:\n${[...worst].map(([k, e]) => `  ${k}${hashes.has(k) ? ` (${hashes.get(k)})` : ''}: ${e.toExponential(2)}`).join('\n')}`,
    );
  });

  // The f32 suite's kernels, and the NUFFT preload (f32 cannot reach its ε = 1e-12, so only df64 runs it).
  const KERNELS: readonly KernelCase[] = [...GPU_KERNELS, NUFFT_KERNEL];
  for (const k of KERNELS) {
    it(`${k.name}: relative Frobenius error ≤ ${DF64_TARGET}`, async () => {
      const { run, manifest } = await buildAndImport(df64(stdKernel(k.name)), 'wgsl');
      expect(manifest.precision.arithmetic).toBe('df64');
      hashes.set(k.name, manifest.precision.contentHash);
      const want = await load('js', k);
      for (const c of cases) {
        const inputs = k.inputs(c);
        const got = await run(inputs);
        const ref = await want(inputs);
        expect(got.length).toBe(ref.length);
        const err = frobErr(got, ref);
        note(k.name, err);
        expect(err, `${k.name} on ${c.label}`).toBeLessThanOrEqual(DF64_TARGET);
      }
      // a std kernel's df64 bound was measured (by content): the manifest states it
      expect(manifest.precision.errorBound).toMatch(/worst measured \d\.\de-\d+/);
    });
  }

  // A pair of f32 holds 48 of an f64's 53 significant bits: uploaded as pairs, data ≈ 10⁶ would be off
  // by ~2e-9 and a residual of 0.3 formed from two of them by ~6e-9 relative. data and model are
  // subtracted, so they are uploaded exactly (three f32 each: df64/exact_inputs.ts) and the residual
  // keeps df64's 48 bits; the reference is exact (dyadic rationals), not f64 arithmetic.
  it('a χ² of data ≈ 10⁶ with residuals ≈ 0.3 within 1e-12 of the exact value (inputs held exactly); f32 percent-level', async () => {
    const { run, manifest } = await buildAndImport(df64(chi2), 'wgsl');
    expect(manifest.precision.errorBound).toMatch(
      /^unmeasured for this kernel's content: .*lensc check .*--kernel chiSquared --target wgsl --wgsl-precision df64/,
    );
    expect(manifest.plan.notes.join('\n')).toMatch(/input\(s\) data, model uploaded exactly as three f32/);
    const { run: run32 } = await buildAndImport(chi2, 'wgsl');
    const r = rng(7);
    for (const N of [1, 3, 1000, 4097]) {
      const data = Float64Array.from({ length: N }, () => 1e6 * (1 + r()));
      const model = data.map((d) => d + 0.3 * (2 * r() - 1));
      const weight = Float64Array.from({ length: N }, () => 0.5 + r());
      let exact = dyadic(0);
      for (let i = 0; i < N; i++) {
        const res = dSub(dyadic(data[i]!), dyadic(model[i]!));
        exact = dAdd(exact, dMul(dMul(res, res), dyadic(weight[i]!)));
      }
      const want = dToNumber(exact);
      const err = Math.abs((await run({ data, model, weight })) - want) / want;
      const err32 = Math.abs((await run32({ data, model, weight })) - want) / want;
      note('chiSquared (user kernel)', err);
      expect(err, `N = ${N}`).toBeLessThanOrEqual(1e-12);
      expect(err32, 'f32 is far off on this input (why df64 exists)').toBeGreaterThan(1e-4);
    }
  });
});
