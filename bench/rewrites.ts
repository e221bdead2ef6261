// `npm run bench -- --only rewrites`: what the algebraic rewrites buy, timed side by side in one run on
// the same inputs — formulas as users write them (std's wTildeDirect and wTildeScan, a user's direct W̃
// with arbitrary positive weights) against the hand-factored std kernel wTilde they should match.
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { planKernel, renderKernel } from '../compiler/compile.ts';
import { add, cos, f64 as f64Param, kernel, mul, sub, sum, type Kernel } from '../dsl/index.ts';
import { f64, makeCase, median, relErr } from './harness.ts';

type Run = (inputs: Record<string, unknown>, options?: Record<string, unknown>) => Promise<Float64Array>;

/** W̃ as a user writes it with their own positive weights w_k (not 1/σ²): the rewrite cannot split w as a square. */
export const userWeightedDirect = kernel({
  name: 'userWeightedDirect',
  params: { weights: f64Param(['K']), uv: f64Param(['K', 2]), grid: f64Param(['M', 2]) },
  body: ({ weights, uv, grid }) => {
    const y = grid.col(0),
      x = grid.col(1),
      u = uv.col(0).reshape([1, 1, 'K']),
      v = uv.col(1).reshape([1, 1, 'K']);
    const dx = sub(x.reshape(['M', 1, 1]), x.reshape([1, 'M', 1])),
      dy = sub(y.reshape(['M', 1, 1]), y.reshape([1, 'M', 1]));
    return sum(mul(weights.reshape([1, 1, 'K']), cos(mul(2 * Math.PI, add(mul(dx, u), mul(dy, v))))), 2);
  },
});

/** The same, with the weights declared non-negative (checked on every call): the rewrite splits √w over a SYRK. */
export const userDeclaredWeights = kernel({
  name: 'userDeclaredWeights',
  params: { weights: f64Param(['K'], { min: 0 }), uv: f64Param(['K', 2]), grid: f64Param(['M', 2]) },
  body: ({ weights, uv, grid }) => {
    const y = grid.col(0),
      x = grid.col(1),
      u = uv.col(0).reshape([1, 1, 'K']),
      v = uv.col(1).reshape([1, 1, 'K']);
    const dx = sub(x.reshape(['M', 1, 1]), x.reshape([1, 'M', 1])),
      dy = sub(y.reshape(['M', 1, 1]), y.reshape([1, 'M', 1]));
    return sum(mul(weights.reshape([1, 1, 'K']), cos(mul(2 * Math.PI, add(mul(dx, u), mul(dy, v))))), 2);
  },
});

/** Compiles a kernel for JS into bench/out/gen (inside the package, so 'lensc/runtime/*' resolves) and imports it. */
async function compileJs(k: Kernel, outDir: string): Promise<Run> {
  const dir = path.join(outDir, 'gen');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${k.name}_${process.pid}.js`);
  writeFileSync(file, renderKernel(planKernel(k, 'js'), 'js').code);
  return (await import(pathToFileURL(path.resolve(file)).href))[k.name] as Run;
}

export interface RewriteRow {
  step: string;
  seconds: number;
  reference: string;
  referenceSeconds: number;
  note: string;
}

export async function benchRewrites(outDir: string, repeats: number): Promise<RewriteRow[]> {
  const rows: RewriteRow[] = [];
  const c = makeCase(path.join(outDir, 'wtilde'), 'wtilde', { N: 32, K: 8192, repeats });
  const inputs = { noiseReal: f64(c, 'noiseReal'), uv: f64(c, 'uv'), grid: f64(c, 'grid') };
  // Arbitrary positive weights (not a square of anything the compiler can see).
  const weights = Float64Array.from(inputs.noiseReal, (s, k) => (0.5 + ((k * 7919) % 1000) / 1000) / s);
  const { wTilde } = await import('../kernels/js/w_tilde.js');
  const { wTildeDirect } = await import('../kernels/js/w_tilde_direct.js');
  const { wTildeScan } = await import('../kernels/js/w_tilde_scan.js');
  const user = await compileJs(userWeightedDirect, outDir);
  const declared = await compileJs(userDeclaredWeights, outDir);
  const opts = { threads: 2 };
  // Interleaved rounds so that load changes hit every kernel alike.
  const runs: [string, () => Promise<unknown>][] = [
    ['wTilde', () => wTilde(inputs, opts)],
    ['wTildeDirect', () => wTildeDirect(inputs, opts)],
    ['wTildeScan', () => wTildeScan(inputs, opts)],
    ['user direct, arbitrary weights', () => user({ weights, uv: inputs.uv, grid: inputs.grid }, opts)],
    ['user direct, declared non-negative weights', () => declared({ weights, uv: inputs.uv, grid: inputs.grid }, opts)],
    [
      'wTilde (same weights as the user formula)',
      () => wTilde({ ...inputs, noiseReal: Float64Array.from(weights, (w) => 1 / Math.sqrt(w)) }, opts),
    ],
  ];
  const samples = new Map<string, { times: number[]; last: unknown }>();
  for (const [name, fn] of runs) samples.set(name, { times: [], last: await fn() }); // warm-up
  for (let r = 0; r < repeats; r++) {
    for (const [name, fn] of runs) {
      const t0 = performance.now();
      const last = await fn();
      const s = samples.get(name)!;
      s.times.push((performance.now() - t0) / 1000);
      s.last = last;
    }
  }
  const times = new Map([...samples].map(([n, s]) => [n, { median: median(s.times), last: s.last }]));
  const ref = times.get('wTilde')!;
  for (const name of ['wTildeDirect', 'wTildeScan']) {
    const t = times.get(name)!;
    rows.push({
      step: `${name}, M = 812, K = 8192`,
      seconds: t.median,
      reference: 'wTilde',
      referenceSeconds: ref.median,
      note: `max rel diff vs wTilde ${relErr(t.last as Float64Array, ref.last as Float64Array).toExponential(1)}`,
    });
  }
  const u = times.get('user direct, arbitrary weights')!,
    uref = times.get('wTilde (same weights as the user formula)')!;
  const dcl = times.get('user direct, declared non-negative weights')!;
  rows.push({
    step: 'user direct W̃, positive weights declared { min: 0 } (SYRK plan), M = 812, K = 8192',
    seconds: dcl.median,
    reference: 'wTilde with σ = w^-1/2',
    referenceSeconds: uref.median,
    note: `max rel diff ${relErr(dcl.last as Float64Array, uref.last as Float64Array).toExponential(1)}`,
  });
  rows.push({
    step: 'user direct W̃, positive weights not declared (GEMM plan), M = 812, K = 8192',
    seconds: u.median,
    reference: 'wTilde with σ = w^-1/2',
    referenceSeconds: uref.median,
    note: `max rel diff ${relErr(u.last as Float64Array, uref.last as Float64Array).toExponential(1)}`,
  });
  rows.push(...(await benchOffsetTable(outDir, repeats)));
  return rows;
}

/** The circular mask of bench/anchors/make_case.py (N = 64 → M = 3228), as (row, col) int32 pairs. */
function circularMask(n: number): Int32Array {
  const out: number[] = [];
  const c = (n - 1) / 2;
  for (let r = 0; r < n; r++)
    for (let q = 0; q < n; q++) if ((r - c) ** 2 + (q - c) ** 2 <= (n / 2) ** 2) out.push(r, q);
  return Int32Array.from(out);
}

/** W̃ written from integer pixel indices (std wTildeFromPixels) vs the hand-written preload + expansion. */
async function benchOffsetTable(outDir: string, repeats: number): Promise<RewriteRow[]> {
  const c = makeCase(path.join(outDir, 'preload'), 'preload', { N: 64, K: 32768, repeats });
  const nativeIndex = circularMask(64);
  const shape = c.params.shape!;
  const pixelScales = Float64Array.from(c.params.pixelScales!);
  const base = { noiseReal: f64(c, 'noiseReal'), uv: f64(c, 'uv'), shape, pixelScales };
  const { wTildeFromPixels } = await import('../kernels/js/w_tilde_from_pixels.js');
  const { wTildePreload } = await import('../kernels/js/w_tilde_preload.js');
  const { wTildeFromPreload } = await import('../kernels/js/w_tilde_from_preload.js');
  const opts = { threads: 2 };
  const runs: [string, () => Promise<Float64Array>][] = [
    ['pixels', () => wTildeFromPixels({ ...base, nativeIndex }, opts)],
    ['preload', async () => wTildeFromPreload({ preload: await wTildePreload(base, opts), shape, nativeIndex }, opts)],
  ];
  const samples = new Map<string, { times: number[]; last: Float64Array }>();
  for (const [name, fn] of runs) samples.set(name, { times: [], last: await fn() });
  for (let r = 0; r < repeats; r++) {
    for (const [name, fn] of runs) {
      const t0 = performance.now();
      const last = await fn();
      samples.get(name)!.times.push((performance.now() - t0) / 1000);
      samples.get(name)!.last = last;
    }
  }
  const p = samples.get('pixels')!,
    q = samples.get('preload')!;
  return [
    {
      step: `W̃ from integer pixel indices (std wTildeFromPixels, offset-table plan), N = 64 circular (M = ${nativeIndex.length / 2}), K = 32768`,
      seconds: median(p.times),
      reference: 'wTildePreload + wTildeFromPreload',
      referenceSeconds: median(q.times),
      note: `max rel diff ${relErr(p.last, q.last).toExponential(1)}`,
    },
  ];
}
