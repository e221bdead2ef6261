// `npm run bench -- --only routes`: calibrates the JS target's cost model (backends/js/cost.ts) and checks the
// routed std kernels' choices. Both routes of `curvatureMatrix` (sparse, FFT) are timed while N (hence M) varies at
// fixed S and while S varies at fixed N, and both routes of `wTildePreload` (GEMM, NUFFT) while K varies at fixed N —
// each route forced through the routed module (`options.route`), the two routes of a size timed side by side.
// The seconds per unit of work are the non-negative least-squares fit of the measured times to the routes'
// work formulas (their manifests' cost terms), relative errors weighted equally, with a per-call intercept that
// the model does not use (it is the same for either route). Printed: the fitted constants (to paste into
// backends/js/cost.ts), per size the measured and estimated times, which route was faster and which the model
// (as committed, and as fitted) picks, and the crossovers measured and predicted.
// Options: --routes-repeats N (default 3), --routes-quick (fewer sizes).
import { loadavg } from 'node:os';
import { planKernel } from '../compiler/compile.ts';
import { estimateCost } from '../compiler/plan/cost.ts';
import { cos, f64, kernel, mul, sum, type Kernel } from '../dsl/index.ts';
import { buildAndImport } from '../test/helpers/build.ts';
import { circularMask, maskedGrid, randomMapping, randomVisibilities, ARCSEC } from '../test/helpers/interferometer.ts';
import { rng } from '../test/helpers/random.ts';
import { routeSeconds } from '../backends/common/routes.js';
import { evalTerms } from '../backends/common/plan.js';

type Run = (inputs: Record<string, unknown>, options?: Record<string, unknown>) => Promise<unknown>;
interface RoutedModule {
  manifest: {
    kernel: string;
    routes: {
      name: string;
      cost: { unit: string; coef: number; count: (number | string)[][]; log2?: (number | string)[][] }[];
    }[];
    costModel: { seconds: Record<string, number>; source: string };
  };
  chooseRouteFor(
    inputs: Record<string, unknown>,
    options?: { route?: string },
  ): { route: string; sizes: Record<string, number> };
}
const UNITS = ['op', 'transcendental', 'load', 'store', 'madd', 'fft'] as const;

interface Point {
  family: string;
  label: string;
  x: number;
  sizes: Record<string, number>;
  committedChoice: string;
  times: Record<string, number>;
  units: Record<string, Record<string, number>>;
}

/** The work of one route at these sizes, per unit. */
function unitCounts(m: RoutedModule['manifest'], route: string, sizes: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = Object.fromEntries(UNITS.map((u) => [u, 0]));
  for (const t of m.routes.find((r) => r.name === route)!.cost) {
    let n = t.coef * evalTerms(t.count, sizes);
    if (t.log2) n *= Math.log2(Math.max(2, evalTerms(t.log2, sizes)));
    out[t.unit] = (out[t.unit] ?? 0) + n;
  }
  return out;
}

async function timeRoutes(
  family: string,
  label: string,
  x: number,
  mod: RoutedModule,
  run: Run,
  inputs: Record<string, unknown>,
  repeats: number,
): Promise<Point> {
  const routes = mod.manifest.routes.map((r) => r.name);
  const times: Record<string, number[]> = Object.fromEntries(routes.map((r) => [r, []]));
  for (const r of routes) await run(inputs, { threads: 2, route: r }); // warm-up
  for (let i = 0; i < repeats; i++)
    for (const r of routes) {
      const t0 = performance.now();
      await run(inputs, { threads: 2, route: r });
      times[r]!.push((performance.now() - t0) / 1000);
    }
  const { route, sizes } = mod.chooseRouteFor(inputs);
  const p: Point = {
    family,
    label,
    x,
    sizes,
    committedChoice: route,
    // the least of the repeats: on a machine shared with other work, the time closest to the work itself
    times: Object.fromEntries(routes.map((r) => [r, Math.min(...times[r]!)])),
    units: Object.fromEntries(routes.map((r) => [r, unitCounts(mod.manifest, r, sizes)])),
  };
  console.log(
    `  ${family} ${label}: ${routes.map((r) => `${r} ${fmt(p.times[r]!)}`).join(', ')}; committed model picks ${route}`,
  );
  return p;
}

const fmt = (s: number) => (s < 1 ? `${(s * 1e3).toFixed(1)} ms` : `${s.toFixed(2)} s`);

/** Non-negative least squares (coordinate descent) of A·c ≈ b. */
function nnls(A: number[][], b: number[], free: ReadonlySet<number> = new Set()): number[] {
  const n = A[0]!.length;
  const c = Array<number>(n).fill(0);
  const col = (j: number) => A.map((row) => row[j]!);
  const norms = Array.from({ length: n }, (_, j) => col(j).reduce((s, v) => s + v * v, 0));
  const r = [...b];
  for (let it = 0; it < 20000; it++) {
    let moved = 0;
    for (let j = 0; j < n; j++) {
      if (norms[j] === 0) continue;
      let g = 0;
      for (let i = 0; i < A.length; i++) g += A[i]![j]! * r[i]!;
      let next = c[j]! + g / norms[j]!;
      if (!free.has(j)) next = Math.max(0, next);
      const d = next - c[j]!;
      if (d === 0) continue;
      for (let i = 0; i < A.length; i++) r[i]! -= A[i]![j]! * d;
      moved = Math.max(moved, Math.abs(d) / Math.max(Math.abs(next), 1e-30));
      c[j] = next;
    }
    if (moved < 1e-10) break;
  }
  return c;
}

/** Where along x the faster route changes (geometric interpolation between the grid points either side). */
function crossovers(points: Point[], faster: (p: Point) => string): string {
  const out: string[] = [];
  for (let i = 1; i < points.length; i++) {
    const a = points[i - 1]!,
      b = points[i]!;
    if (faster(a) !== faster(b)) out.push(`${faster(a)} → ${faster(b)} between ${a.label} and ${b.label}`);
  }
  return out.join('; ') || `none in range (${faster(points[0]!)} throughout)`;
}

export async function benchRoutes(opts: { repeats: number; quick: boolean }): Promise<Record<string, unknown>> {
  const curvature = (await import('../kernels/js/curvature_matrix.js')) as unknown as RoutedModule;
  const preload = (await import('../kernels/js/w_tilde_preload.js')) as unknown as RoutedModule;
  const runCurv = (curvature as unknown as { curvatureMatrix: Run }).curvatureMatrix;
  const runPre = (preload as unknown as { wTildePreload: Run }).wTildePreload;
  const load0 = loadavg();
  console.log(
    `routes: cost-model calibration, JS, 2 threads, least of ${opts.repeats} runs; load average ${load0.map((l) => l.toFixed(1)).join(' ')}`,
  );
  const points: Point[] = [];
  const curvInputs = (N: number, S: number, B = 3) => {
    const g = maskedGrid(N, N, 0.05 * ARCSEC, 0.05 * ARCSEC, circularMask(N, N, N / 2));
    const map = randomMapping(g.M, S, B, N * 1000 + S);
    const r = rng(N);
    const preloadTable = Float64Array.from({ length: 4 * N * N }, () => r() - 0.5);
    return {
      M: g.M,
      inputs: {
        preload: preloadTable,
        shape: [N, N],
        nativeIndex: g.nativeIndex,
        pixIndexes: map.pixIndexes,
        pixWeights: map.pixWeights,
        sourcePixels: S,
      },
    };
  };
  const S0 = 16,
    N0 = 24;
  const Ns = opts.quick ? [8, 24, 48] : [8, 16, 24, 32, 40, 48, 64];
  for (const N of Ns) {
    const c = curvInputs(N, S0);
    points.push(
      await timeRoutes(`curvature S=${S0}`, `N=${N} (M=${c.M})`, N, curvature, runCurv, c.inputs, opts.repeats),
    );
  }
  const Ss = opts.quick ? [2, 16, 128] : [1, 2, 4, 8, 16, 32, 64, 128];
  for (const S of Ss) {
    const c = curvInputs(N0, S);
    points.push(
      await timeRoutes(`curvature N=${N0}`, `S=${S} (M=${c.M})`, S, curvature, runCurv, c.inputs, opts.repeats),
    );
  }
  const NP = 32;
  const Ks = opts.quick ? [4, 64, 4096] : [2, 4, 8, 16, 32, 64, 128, 512, 4096, 32768];
  for (const K of Ks) {
    const v = randomVisibilities(K, 0.05 * ARCSEC, 0.05 * ARCSEC, K);
    const inputs = {
      noiseReal: v.noiseReal,
      uv: v.uv,
      shape: [NP, NP],
      pixelScales: Float64Array.of(0.05 * ARCSEC, 0.05 * ARCSEC),
    };
    points.push(await timeRoutes(`preload N=${NP}`, `K=${K}`, K, preload, runPre, inputs, opts.repeats));
  }
  // Two compute-bound microkernels (N·K points, N + K inputs) pin the arithmetic and transcendental units, which
  // the routes alone leave loosely determined (their elementwise stages mix every unit in near-fixed proportions).
  const n = 1024,
    kk = 2048,
    rm = rng(5);
  const mx = Float64Array.from({ length: n }, () => rm()),
    my = Float64Array.from({ length: kk }, () => rm());
  const micro: Kernel[] = [
    kernel({
      name: 'calArith',
      params: { x: f64(['N']), y: f64(['K']) },
      body: ({ x, y }) => sum(mul(x.reshape(['N', 1]), y.reshape([1, 'K'])).add(y.reshape([1, 'K'])), 1),
    }),
    kernel({
      name: 'calCos',
      params: { x: f64(['N']), y: f64(['K']) },
      body: ({ x, y }) => sum(cos(mul(x.reshape(['N', 1]), y.reshape([1, 'K']))), 1),
    }),
  ];
  for (const k of micro) {
    const { run } = await buildAndImport(k, 'js');
    const env = { N: n, K: kk };
    const units: Record<string, number> = Object.fromEntries(UNITS.map((u) => [u, 0]));
    for (const t of estimateCost(planKernel(k, 'js').program))
      units[t.unit] = (units[t.unit] ?? 0) + t.coef * t.count.eval(env) * (t.log2 ? Math.log2(t.log2.eval(env)) : 1);
    await run({ x: mx, y: my }, { threads: 2 });
    const ts: number[] = [];
    for (let i = 0; i < opts.repeats; i++) {
      const t0 = performance.now();
      await run({ x: mx, y: my }, { threads: 2 });
      ts.push((performance.now() - t0) / 1000);
    }
    points.push({
      family: 'micro',
      label: k.name,
      x: 0,
      sizes: env,
      committedChoice: '',
      times: { [k.name]: Math.min(...ts) },
      units: { [k.name]: units },
    });
    console.log(
      `  micro ${k.name}: ${fmt(Math.min(...ts))} for ${UNITS.filter((u) => units[u])
        .map((u) => `${units[u]!.toExponential(2)} ${u}`)
        .join(' + ')}`,
    );
  }
  // The fit: one row per (point, route), both sides divided by the measured time (relative errors).
  const rows: number[][] = [],
    rhs: number[] = [];
  for (const p of points)
    for (const [route, t] of Object.entries(p.times)) {
      rows.push([...UNITS.map((u) => p.units[route]![u]! / t), 1 / t]);
      rhs.push(1);
    }
  const fit = nnls(rows, rhs);
  const seconds = Object.fromEntries(UNITS.map((u, i) => [u, fit[i]!]));
  const intercept = fit[UNITS.length]!;
  const fitted = { seconds, source: '' };
  const committed = curvature.manifest.costModel;
  const est = (p: Point, route: string, model: { seconds: Record<string, number> }, m: RoutedModule) =>
    routeSeconds(m.manifest.routes.find((r) => r.name === route)!.cost as never, p.sizes, model as never);
  const measuredFaster = (p: Point) => Object.entries(p.times).sort((a, b) => a[1] - b[1])[0]![0];
  const modOf = (p: Point) => (p.family.startsWith('preload') ? preload : curvature);
  const pick = (model: { seconds: Record<string, number> }) => (p: Point) =>
    Object.keys(p.times).sort((a, b) => est(p, a, model, modOf(p)) - est(p, b, model, modOf(p)))[0]!;
  console.log(
    `  fitted seconds per unit: ${UNITS.map((u) => `${u}: ${seconds[u]!.toExponential(2)}`).join(', ')}; per-call intercept ${fmt(intercept)} (not in the model)`,
  );
  console.log(
    '  per size: measured (fitted estimate + intercept) per route; faster measured / committed model / fitted model',
  );
  let agreeCommitted = 0,
    agreeFitted = 0;
  const routed = points.filter((p) => p.family !== 'micro');
  for (const p of points.filter((q) => q.family === 'micro'))
    console.log(
      `    micro ${p.label}: ${fmt(Object.values(p.times)[0]!)} (${fmt(UNITS.reduce((s, u) => s + seconds[u]! * p.units[p.label]![u]!, 0) + intercept)})`,
    );
  for (const p of routed) {
    const m = measuredFaster(p),
      c = pick(committed)(p),
      f = pick(fitted)(p);
    agreeCommitted += Number(m === c);
    agreeFitted += Number(m === f);
    console.log(
      `    ${p.family} ${p.label}: ${Object.keys(p.times)
        .map((r) => `${r} ${fmt(p.times[r]!)} (${fmt(est(p, r, fitted, modOf(p)) + intercept)})`)
        .join(', ')}; ${m} / ${c} / ${f}`,
    );
  }
  console.log(
    `  the committed model picks the measured-faster route at ${agreeCommitted} of ${routed.length} sizes, the fitted one at ${agreeFitted}`,
  );
  const families = [...new Set(routed.map((p) => p.family))];
  const cross: Record<string, { measured: string; committed: string; fitted: string }> = {};
  for (const fam of families) {
    const ps = points.filter((p) => p.family === fam);
    cross[fam] = {
      measured: crossovers(ps, measuredFaster),
      committed: crossovers(ps, pick(committed)),
      fitted: crossovers(ps, pick(fitted)),
    };
    console.log(
      `  crossover, ${fam}: measured ${cross[fam]!.measured}; committed model ${cross[fam]!.committed}; fitted model ${cross[fam]!.fitted}`,
    );
  }
  console.log(
    `  paste into backends/js/cost.ts: seconds: { ${UNITS.map((u) => `${u}: ${seconds[u]!.toPrecision(3)}`).join(', ')} }`,
  );
  console.log(
    `  load average after: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  return { points, seconds, intercept, crossovers: cross, agreeCommitted, agreeFitted, load: [load0, loadavg()] };
}
