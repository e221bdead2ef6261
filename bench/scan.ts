// `npm run bench -- --only scan`: a general scan (40 steps of power iteration, v ← A·v / ‖A·v‖ with
// the Rayleigh quotients stacked) compiled for JS, beside numpy running the same loop on the same
// bytes (bench/anchors/power_iteration_numpy.py), at a size where the matvecs dominate and at one
// where the per-step overhead does.
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { planKernel, renderKernel } from '../compiler/compile.ts';
import { powerIteration, spectralMatrix } from '../test/scan/cases.ts';
import { readF64, relErr, runAnchor, timeIt } from './harness.ts';

type Run = (
  inputs: Record<string, unknown>,
  options?: Record<string, unknown>,
) => Promise<{ v: Float64Array; lambdas: Float64Array }>;

export interface ScanRow {
  step: string;
  seconds: number;
  numpy: number;
  note: string;
}

/** Writes A and v0 as a case folder in the anchors' contract (inputs.json + raw little-endian arrays). */
function writeCase(dir: string, a: Float64Array, v0: Float64Array, N: number, repeats: number): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'a.f64'), a);
  writeFileSync(path.join(dir, 'v0.f64'), v0);
  writeFileSync(
    path.join(dir, 'inputs.json'),
    JSON.stringify({
      sizes: { N },
      repeats,
      threads: 2,
      arrays: { a: { file: 'a.f64', dtype: 'f64', shape: [N, N] }, v0: { file: 'v0.f64', dtype: 'f64', shape: [N] } },
    }),
  );
}

export async function benchScan(outDir: string, repeats: number): Promise<ScanRow[]> {
  const gen = path.join(outDir, 'gen');
  mkdirSync(gen, { recursive: true });
  const file = path.join(gen, `power_iteration_${process.pid}.js`);
  writeFileSync(file, renderKernel(planKernel(powerIteration, 'js'), 'js').code);
  const run = (await import(pathToFileURL(path.resolve(file)).href)).powerIteration as Run;
  const rows: ScanRow[] = [];
  for (const N of [64, 1024]) {
    // eigenvalues 10, then below 3: after 40 steps the Rayleigh quotient is 10 to f64 precision
    const lambdas = Array.from({ length: N }, (_, i) => (i === 0 ? 10 : 3 - (2 * i) / N));
    const a = spectralMatrix(lambdas, N),
      v0 = Float64Array.from({ length: N }, (_, i) => 1 + ((i * 7919) % 97) / 97);
    const dir = path.join(outDir, `power_${N}`);
    writeCase(dir, a, v0, N, repeats);
    const t = await timeIt(() => run({ a, v0 }, { threads: 2 }), repeats);
    const [np] = runAnchor('power_iteration_numpy.py', dir, repeats);
    const got = (t.last as { lambdas: Float64Array }).lambdas;
    const err = np?.output ? relErr(got, readF64(np.output)) : NaN;
    rows.push({
      step: `powerIteration N = ${N}, 40 steps`,
      seconds: t.median,
      numpy: np?.median_s ?? NaN,
      note: `λ₄₀ − 10 = ${(got[39]! - 10).toExponential(1)}; max rel diff of the 40 λ vs numpy ${err.toExponential(1)}`,
    });
  }
  return rows;
}
