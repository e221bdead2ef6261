// The conformance suite in df64: every std kernel that runs on the GPU, compiled for WGSL with
// precision 'df64', against the committed f64 JS kernel on the same inputs (Mesa llvmpipe in CI).
// Target: relative Frobenius error ≤ 1e-11. Plus a user's χ² kernel (data ≈ 10⁶, residuals ≈ 0.3),
// which f32 gets 1.5 % wrong, within 1e-12. The worst error per kernel is printed at the end:
// backends/wgsl/precision.ts records it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shutdown } from '../../backends/js/runtime/index.js';
import type { Kernel } from '../../dsl/kernel.ts';
import { f64, kernel, mul, sub, sum } from '../../dsl/index.ts';
import * as std from '../../std/index.ts';
import { buildAndImport } from '../helpers/build.ts';
import { frobErr, rng } from '../helpers/random.ts';
import { GPU_KERNELS, load, makeCase, withDirty, type InterferometerCase, type KernelCase } from '../wgsl/kernels.ts';
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
  const KERNELS: readonly KernelCase[] = [
    ...GPU_KERNELS,
    {
      file: 'w_tilde_preload_nufft',
      name: 'wTildePreloadNufft',
      inputs: ({ g, v }) => ({
        noiseReal: v.noiseReal,
        uv: v.uv,
        shape: [g.Ny, g.Nx],
        pixelScales: Float64Array.of(g.dy, g.dx),
      }),
    },
  ];
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

  // df64 holds 48 of an f64's 53 significant bits, so an input x = 10⁶·(1 + u) is stored to
  // ~|x|·2⁻⁴⁹ ≈ 2e-9 and a residual of 0.3 formed from two of them is uncertain by ~6e-9 relative:
  // the χ² of full-precision f64 data can be no better than that (f32: 1e-2). With inputs that df64
  // holds exactly (48-bit data) the arithmetic itself stays within 1e-12.
  it('a χ² of data ≈ 10⁶ with residuals ≈ 0.3: ~1e-8 from the 48-bit inputs, 1e-12 for df64-exact inputs; f32 percent-level', async () => {
    const { run, manifest } = await buildAndImport(df64(chi2), 'wgsl');
    expect(manifest.precision.errorBound).toMatch(
      /^unmeasured for this kernel's content: .*lensc check .*--kernel chiSquared --target wgsl --wgsl-precision df64/,
    );
    const { run: run32 } = await buildAndImport(chi2, 'wgsl');
    const r = rng(7);
    const toDf = (x: number) => {
      const hi = Math.fround(x);
      return hi + Math.fround(x - hi);
    };
    for (const N of [3, 1000, 4097]) {
      for (const exact of [false, true]) {
        const data = Float64Array.from({ length: N }, () => 1e6 * (1 + r()));
        const model = data.map((d) => d + 0.3 * (2 * r() - 1));
        if (exact) {
          data.forEach((d, i) => (data[i] = toDf(d)));
          model.forEach((d, i) => (model[i] = toDf(d)));
        }
        const weight = Float64Array.from({ length: N }, () => 0.5 + r());
        let want = 0;
        for (let i = 0; i < N; i++) want += (data[i]! - model[i]!) ** 2 * weight[i]!;
        const err = Math.abs((await run({ data, model, weight })) - want) / want;
        const err32 = Math.abs((await run32({ data, model, weight })) - want) / want;
        note(`chiSquared (user kernel, ${exact ? 'df64-exact inputs' : 'f64 inputs'})`, err);
        expect(err, `N = ${N}`).toBeLessThanOrEqual(exact ? 1e-12 : 5e-8);
        expect(err32, 'f32 is far off on this input (why df64 exists)').toBeGreaterThan(1e-4);
      }
    }
  });
});
