/**
 * erf, erfc and lgamma in df64 (backends/wgsl/df64/special.ts) run on the WebGPU device (Mesa llvmpipe in
 * CI) against mpmath values at 40 digits (test/wgsl-df64/fixtures/special.json, made by
 * scripts/math/gen_df64_fixture.py): each input a df64 pair (hi, lo) exactly as the shader sees it, over
 * each function's domain with its tails — erfc to 10, lgamma next to 1 and 2, from 1e-30 to 1e30 and at
 * negative non-integers. Errors in units of df64's 2⁻⁴⁸ relative to the value; where a function is ill
 * conditioned (κ = |x·f′(x)/f(x)| > 1: lgamma next to its negative roots, erfc's tail) the bound grows with κ,
 * as any evaluation from a rounded intermediate must. Each function runs as a compiled df64 kernel (the dialect
 * maps erf, erfc, lgamma to df64/special.ts).
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { shutdown } from '../../backends/js/runtime/index.js';
import { erf, erfc, f64, kernel, lgamma } from '../../dsl/index.ts';
import { buildAndImport } from '../helpers/build.ts';
import { skipWgsl } from '../wgsl-runtime/gpu-setup.ts';

const EPS = 2 ** -48;
type Row = [hi: number, lo: number, want: number, kappa: number];
const FIXTURE = JSON.parse(readFileSync(new URL('./fixtures/special.json', import.meta.url), 'utf8')) as Record<
  'erf' | 'erfc' | 'lgamma',
  Row[]
>;

const KERNELS = {
  erf: kernel({ name: 'erfDf64', params: { x: f64(['N']) }, body: ({ x }) => erf(x), precision: 'df64' }),
  erfc: kernel({ name: 'erfcDf64', params: { x: f64(['N']) }, body: ({ x }) => erfc(x), precision: 'df64' }),
  lgamma: kernel({ name: 'lgammaDf64', params: { x: f64(['N']) }, body: ({ x }) => lgamma(x), precision: 'df64' }),
};
const runs = new Map<string, Promise<(x: Float64Array) => Promise<Float64Array>>>();
/** The function's compiled df64 kernel on x (hi + lo of each row: exact in f64 but for the rare pair whose
 * bits span more than 53, which then differs from the fixture's input by 2⁻⁵³ relative). */
async function runOn(name: keyof typeof KERNELS, x: Float64Array): Promise<Float64Array> {
  let r = runs.get(name);
  if (!r) {
    r = buildAndImport(KERNELS[name], 'wgsl').then(({ run, manifest }) => {
      expect(manifest.precision.arithmetic).toBe('df64');
      return (v: Float64Array) => run({ x: v }) as Promise<Float64Array>;
    });
    runs.set(name, r);
  }
  return (await r)(x);
}
const inputs = (rows: readonly Row[]) => Float64Array.from(rows, (r) => r[0] + r[1]);

/** |got − want| / (|want|·2⁻⁴⁸) per row (the reported worst: where the value is above 2⁻⁷⁸, see check). */
const ulps = (got: Float64Array, rows: readonly Row[]) =>
  rows.map((r, i) => (got[i] === r[2] ? 0 : Math.abs(got[i]! - r[2]) / (Math.abs(r[2]) * EPS)));

describe.skipIf(skipWgsl)('df64 erf, erfc, lgamma on the WebGPU device against mpmath', () => {
  const report: string[] = [];
  afterAll(async () => {
    await shutdown();
    console.log(`[df64 special] worst error in units of 2⁻⁴⁸ relative:\n${report.join('\n')}`);
  });

  const check = async (name: 'erf' | 'erfc' | 'lgamma', bound: (r: Row) => number, keep: (r: Row) => boolean) => {
    const rows = FIXTURE[name].filter(keep);
    expect(rows.length).toBeGreaterThan(50);
    const e = ulps(await runOn(name, inputs(rows)), rows);
    let worstWell = 0,
      worstAll = 0;
    rows.forEach((r, i) => {
      // below 2⁻⁷⁸ a df64's lo is under f32's smallest normal, which llvmpipe flushes: 2⁻¹²⁶ absolute
      const flush = 2 ** -125 / (Math.abs(r[2]) * EPS);
      if (r[3] <= 2 && flush < 1) worstWell = Math.max(worstWell, e[i]!);
      if (flush < 1) worstAll = Math.max(worstAll, e[i]! / Math.max(1, r[3]));
      expect(e[i], `${name}(${r[0] + r[1]}) = ${r[2]} (κ = ${r[3].toPrecision(3)})`).toBeLessThanOrEqual(
        bound(r) + flush,
      );
    });
    return { worstWell, worstAll, rows: rows.length };
  };

  it('erf over [−6.5, 6.5], down to |x| = 1e-30', async () => {
    const w = await check(
      'erf',
      () => 8,
      () => true,
    );
    report.push(`  erf: ${w.worstWell.toFixed(1)} (${w.rows} points, all κ ≤ 2)`);
  });

  it('erfc over [−6, 8.1] (values down to 1e-30): within a few units, times κ ≈ 2x² in the tail', async () => {
    const w = await check(
      'erfc',
      (r) => 4 * Math.max(2, r[3]),
      (r) => r[2] >= 1e-30,
    );
    report.push(`  erfc: ${w.worstWell.toFixed(1)} where κ ≤ 2, ${w.worstAll.toFixed(2)}·κ overall (${w.rows} points)`);
  });

  it("erfc beyond 8.1: f32's subnormal range (lo flushed, then hi), absolute error below 2⁻¹²⁶", async () => {
    const rows = FIXTURE.erfc.filter((r) => r[2] < 1e-30);
    expect(rows.length).toBeGreaterThan(20);
    const got = await runOn('erfc', inputs(rows));
    rows.forEach((r, i) => expect(Math.abs(got[i]! - r[2]), `erfc(${r[0] + r[1]})`).toBeLessThan(2 ** -126));
  });

  it('lgamma for x > 0: (0, ½) from 1e-30, next to 1 and 2 (relative, however close), up to 1e30', async () => {
    const w = await check(
      'lgamma',
      () => 12,
      (r) => r[0] > 0,
    );
    report.push(
      `  lgamma, x > 0: ${w.worstWell.toFixed(1)} where κ ≤ 2, ${w.worstAll.toFixed(2)} overall (${w.rows} points; κ not used)`,
    );
  });

  it('lgamma at negative non-integers (reflection): a few units times κ (large next to the roots and poles)', async () => {
    const w = await check(
      'lgamma',
      (r) => 12 * Math.max(1, r[3]),
      (r) => r[0] < 0,
    );
    report.push(
      `  lgamma, x < 0: ${w.worstWell.toFixed(1)} where κ ≤ 2, ${w.worstAll.toFixed(2)}·κ overall (${w.rows} points)`,
    );
  });

  it('special values: NaN, ±∞, 0, the poles', async () => {
    const x = Float64Array.of(NaN, Infinity, -Infinity, 0, -0, -3);
    expect([...(await runOn('erf', x)).slice(0, 4)]).toEqual([NaN, 1, -1, 0]);
    expect([...(await runOn('erfc', x)).slice(0, 4)]).toEqual([NaN, 0, 2, 1]);
    expect([...(await runOn('lgamma', x))]).toEqual([NaN, Infinity, Infinity, Infinity, Infinity, Infinity]);
  });
});
