/**
 * df64 TwoProduct variants (backends/wgsl/support/df64_two_product.js): the per-device probe, the
 * override constant that picks the fma or the Dekker branch, what a df64 module's prepare() reports,
 * and LENSC_WGSL_DF64_TWO_PRODUCT forcing either. On Mesa llvmpipe (CI) fma is not fused: the probe
 * must say 'dekker' (checked against a direct measurement of fma there), and forcing 'fma' must visibly
 * lose the products' error terms — which shows the forced branch really runs. The fma branch's
 * exactness itself needs a device with a fused fma (none in CI).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Gpu } from '../../backends/wgsl/runtime/index.js';
import { splitF64 } from '../../backends/wgsl/df64/library.ts';
import { DF64_FMA_OVERRIDE, df64TwoProduct, probeFused } from '../../backends/wgsl/support/df64_two_product.js';
import { shutdown } from '../../backends/js/runtime/index.js';
import { f64, kernel, mul, sum } from '../../dsl/index.ts';
import { buildAndImport } from '../helpers/build.ts';
import { rng } from '../helpers/random.ts';
import { skipWgsl, testGpu } from '../wgsl-runtime/gpu-setup.ts';

const ENV = 'LENSC_WGSL_DF64_TWO_PRODUCT';

/** n numbers that df64 holds exactly (hi + lo of two f32), of magnitude ~1 with random signs. */
function dfExact(n: number, seed: number): Float64Array {
  const r = rng(seed);
  return Float64Array.from({ length: n }, () => {
    const [h, l] = splitF64((2 * r() - 1) * (1 + r()));
    return h + l;
  });
}

const products = kernel({
  name: 'products',
  precision: 'df64',
  params: { a: f64(['N']), b: f64(['N']) },
  body: ({ a, b }) => ({ p: mul(a, b), dot: sum(mul(a, b)) }),
});

describe.skipIf(skipWgsl)('df64 TwoProduct: fma where fused, Dekker otherwise', () => {
  let gpu: Gpu;
  const saved = process.env[ENV];
  beforeAll(async () => {
    gpu = await testGpu();
  });
  afterEach(() => {
    if (saved === undefined) delete process.env[ENV];
    else process.env[ENV] = saved;
  });
  afterAll(async () => {
    await shutdown();
  });

  it("the probe agrees with a direct measurement of this device's fma (llvmpipe: not fused → 'dekker')", async () => {
    // fma(a, b, −a·b) on random pairs: a fused fma returns each product's rounding error, an unfused one 0
    const src = `
@group(0) @binding(0) var<storage, read_write> v: array<f32>;
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) g: vec3<u32>) {
  let i = g.x;
  if (i >= 1024u) { return; }
  let a = v[3u * i];
  let b = v[3u * i + 1u];
  v[3u * i + 2u] = fma(a, b, -(a * b));
}`;
    const r = rng(3);
    const data = new Float32Array(3 * 1024);
    for (let i = 0; i < 1024; i++) [data[3 * i], data[3 * i + 1]] = [2 * r() - 1, 2 * r() - 1];
    const buf = gpu.createBuffer(data.byteLength);
    gpu.upload(buf, data);
    gpu.dispatch(await gpu.pipeline(src), [buf], [16, 1, 1]);
    const out = new Float32Array(await gpu.read(buf, data.byteLength));
    gpu.destroy(buf);
    let exact = 0;
    for (let i = 0; i < 1024; i++) {
      const [a, b] = [out[3 * i]!, out[3 * i + 1]!];
      if (out[3 * i + 2] === a * b - Math.fround(a * b)) exact++;
    }
    const fused = exact === 1024;
    expect(await probeFused(gpu)).toBe(fused ? 'fma' : 'dekker');
    delete process.env[ENV];
    expect(await df64TwoProduct(gpu)).toBe(fused ? 'fma' : 'dekker');
    if (/llvmpipe/.test(gpu.adapterInfo.device + gpu.adapterInfo.description)) expect(fused).toBe(false);
  });

  it("prepare() reports the variant; forcing each one switches the shader's branch (forced fma on an unfused device loses the product errors)", async () => {
    const { run, manifest, code } = await buildAndImport(products, 'wgsl');
    expect(code).toContain(`override ${DF64_FMA_OVERRIDE}: bool = false;`);
    expect(manifest.precision.note).toMatch(/TwoProduct by fma where the device's fma is fused/);
    const n = 4097;
    const a = dfExact(n, 1),
      b = dfExact(n, 2);
    const rel = (got: Float64Array) =>
      Math.max(...[...got].map((g, i) => Math.abs(g - a[i]! * b[i]!) / Math.abs(a[i]! * b[i]!)));
    const results: Record<string, { p: Float64Array; dot: number }> = {};
    for (const variant of ['dekker', 'fma', 'auto'] as const) {
      process.env[ENV] = variant;
      results[variant] = await run({ a, b });
    }
    const fused = (await probeFused(gpu)) === 'fma';
    // Dekker is exact everywhere: df64 products within a few units of 2⁻⁴⁸
    expect(rel(results.dekker!.p)).toBeLessThan(4 * 2 ** -48);
    // auto is the probed variant, bit for bit
    expect([...results.auto!.p]).toEqual([...results[fused ? 'fma' : 'dekker']!.p]);
    if (fused) expect(rel(results.fma!.p)).toBeLessThan(4 * 2 ** -48);
    // unfused: e = fma(a, b, −p) = 0, so a df64 product keeps little beyond f32's 2⁻²⁴ — the branch ran
    else expect(rel(results.fma!.p)).toBeGreaterThan(2 ** -40);
  });

  it('the module prepare() returns { backend, twoProduct }, per the forced variant; a wrong forcing is an error naming the variable', async () => {
    const { code, module } = await buildAndImport(products, 'wgsl');
    expect(code).toMatch(/return ws\.df64Info\(gpu\);/);
    const prepare = module.prepare as () => Promise<{ backend: string; twoProduct: string }>;
    process.env[ENV] = 'fma';
    expect(await prepare()).toEqual({ backend: gpu.backend, twoProduct: 'fma' });
    process.env[ENV] = 'dekker';
    expect(await prepare()).toEqual({ backend: gpu.backend, twoProduct: 'dekker' });
    delete process.env[ENV];
    expect((await prepare()).twoProduct).toBe(await probeFused(gpu));
    process.env[ENV] = 'fused';
    await expect(prepare()).rejects.toThrow(
      /LENSC_WGSL_DF64_TWO_PRODUCT must be 'fma', 'dekker' or 'auto', not 'fused'/,
    );
  });
});
