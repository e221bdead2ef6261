// General scans compiled for the WGSL target (Mesa llvmpipe in CI): every case of cases.ts against
// the f64 reference interpreter and its independent expectation, with f32 tolerances. The scan loop
// runs on the host (one dispatch per body stage per step), so llvmpipe's limit of 65535 loop
// iterations per invocation (backends/wgsl/NOTES.md) bounds only each stage's own loops; a scan of
// 70000 steps checks that the step count is not subject to it.
import { afterAll, describe, expect, it } from 'vitest';
import { shutdown } from '../../backends/js/runtime/index.js';
import { interpret } from '../../backends/reference/interpret.ts';
import { add, constant, f64, kernel, scan, sizes, type Tensor } from '../../dsl/index.ts';
import { buildAndImport } from '../helpers/build.ts';
import { relErr } from '../helpers/random.ts';
import { skipWgsl } from '../wgsl-runtime/gpu-setup.ts';
import { choleskySolve, conjugateGradient, errOf, scanCases, type Outputs } from './cases.ts';

afterAll(() => shutdown());

const asOutputs = (r: unknown, names: string[]): Outputs =>
  names.length === 1 && (ArrayBuffer.isView(r) || typeof r === 'number')
    ? { [names[0]!]: typeof r === 'number' ? [r] : (r as Float64Array) }
    : Object.fromEntries(Object.entries(r as object).map(([k, v]) => [k, typeof v === 'number' ? [v] : v]));

describe.skipIf(skipWgsl)('general scans on the WGSL target', () => {
  for (const c of scanCases()) {
    it(`${c.kernel.name}: equals the reference interpreter and its independent expectation (f32)`, async () => {
      const { run, manifest } = await buildAndImport(c.kernel, 'wgsl');
      const names = manifest.outputs.map((o: { name: string }) => o.name);
      for (const inp of c.inputs) {
        const progress: string[] = [];
        const got = asOutputs(
          await run(inp.inputs, { ...inp.options, onProgress: (_f: number, m: string) => progress.push(m) }),
          names,
        );
        if (inp.chunked) expect(progress.length, `${c.kernel.name} ${inp.label}: chunks`).toBeGreaterThanOrEqual(2);
        const ref = asOutputs(interpret(c.kernel.graph(), inp.inputs), names);
        for (const n of names) {
          expect(got[n]!.length, `${c.kernel.name} ${inp.label}: ${n} length`).toBe(ref[n]!.length);
          expect(
            errOf(got[n]!, ref[n]!, inp.scale?.[n]),
            `${c.kernel.name} ${inp.label}: ${n} vs interpreter`,
          ).toBeLessThanOrEqual(c.tol.f32);
        }
        for (const [n, want] of Object.entries(inp.expect)) {
          expect(
            relErr(got[n]!, want),
            `${c.kernel.name} ${inp.label}: ${n} vs independent reference`,
          ).toBeLessThanOrEqual(c.tol.f32);
        }
        if (inp.exact)
          expect(Math.abs(got[inp.exact.output]![inp.exact.index]! - inp.exact.value)).toBeLessThanOrEqual(
            1e-5 * Math.abs(inp.exact.value),
          );
      }
    }, 120_000);
  }

  // df64 (precision: 'df64'): each f64 a pair of f32; matmuls in a scan body become df64 map-reductions too.
  for (const c of scanCases()) {
    it(`${c.kernel.name} in df64: equals the reference interpreter to 1e-9`, async () => {
      const k = { ...c.kernel, precision: 'df64' as const };
      const { run, manifest } = await buildAndImport(k, 'wgsl');
      expect(manifest.precision.arithmetic).toBe('df64');
      const names = manifest.outputs.map((o: { name: string }) => o.name);
      for (const inp of c.inputs) {
        const got = asOutputs(await run(inp.inputs, inp.options), names);
        const ref = asOutputs(interpret(c.kernel.graph(), inp.inputs), names);
        for (const n of names) {
          expect(
            errOf(got[n]!, ref[n]!, inp.scale?.[n]),
            `${c.kernel.name} ${inp.label}: ${n} vs interpreter`,
          ).toBeLessThanOrEqual(1e-9);
        }
      }
    }, 120_000);
  }

  it('conjugate gradient in f32 is within 2e-3 of the f64 Cholesky solve (JS)', async () => {
    const cg = (await buildAndImport(conjugateGradient, 'wgsl')).run;
    const chol = (await buildAndImport(choleskySolve, 'js')).run;
    for (const inp of scanCases().find((x) => x.kernel === conjugateGradient)!.inputs) {
      const { f, h, d } = inp.inputs as Record<string, Float64Array>;
      expect(relErr((await cg(inp.inputs)).s, await chol({ f, h, d })), inp.label).toBeLessThanOrEqual(2e-3);
    }
  });

  it('runs more steps than llvmpipe allows loop iterations in one invocation (70000)', async () => {
    const k = kernel({
      name: 'manySteps',
      params: { n: sizes('L') },
      body: () => scan((c: Tensor) => [add(c, 1), null], constant(0, 'i32'), null, { length: 'L' })[0],
    });
    const { run } = await buildAndImport(k, 'wgsl');
    expect(await run({ n: 70000 })).toBe(70000);
  }, 300_000);
});
