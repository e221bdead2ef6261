// `npm run bench`: lensc's JS kernels beside numpy / Numba on the same inputs, in the same run, with
// ratios (anchor time ÷ lensc time: > 1 means lensc is faster). Medians of repeated runs; the
// machine is noisy. Options: --only soak,wtilde,rewrites,memory,preload,curvature,evidence,linalg,scan,wgsl,df64  --repeats N  --rounds N (linalg)  --numba
// (wgsl: the WGSL kernels on this machine's WebGPU beside the JS kernels, bench/wgsl.ts; df64: WGSL in
// df64 beside WGSL in f32, bench/df64.ts).
// (curvaturefft — F by FFT convolution beside numpy's FFT route and the sparse kernel, science size by default:
// --fft-N 256 --fft-S 1000 --fft-budget-mib 1024 --fft-sparse to time the sparse route too; minutes, so only on request)
// (preloadnufft — the preload by type-1 NUFFT beside the GEMM kernel and numpy's two-GEMM form at a size both finish,
// and at N = 256, K = 10⁷ with its spreading scatter into private copies beside the same kernel built with the
// serial scatter, alternating: --nufft-K 10000000 --nufft-check-K 50000 --nufft-repeats 1; only on request)
// (routes — the routed kernels' cost model calibrated: both routes of curvatureMatrix and wTildePreload timed across
// their crossovers, the JS seconds per unit fitted, the choices checked: --routes-repeats 3 --routes-quick; only on request)
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import * as path from 'node:path';
import { shutdown } from '../backends/js/runtime/index.js';
import { f64, i32, makeCase, readF64, relErr, runAnchor, timeIt, type AnchorResult } from './harness.ts';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1]! : dflt;
};
const only = new Set(opt('only', 'wtilde,rewrites,memory,preload,curvature,evidence,scan,wgsl,df64,soak').split(','));
const repeats = Number(opt('repeats', '5'));
const withNumba = args.includes('--numba');
const OUT = 'bench/out';
mkdirSync(OUT, { recursive: true });

interface Row {
  step: string;
  lensc: number;
  anchor: string;
  anchorTime: number;
  ratio: number;
  note?: string;
}
const rows: Row[] = [];
const extra: Record<string, unknown> = {};
const fmt = (s: number) => (s < 0.01 ? `${(s * 1000).toFixed(2)} ms` : `${s.toFixed(3)} s`);
function compare(step: string, lensc: number, anchors: AnchorResult[], note?: string) {
  for (const a of anchors) {
    rows.push({ step, lensc, anchor: a.name, anchorTime: a.median_s, ratio: a.median_s / lensc, note });
    console.log(
      `  ${step}: lensc ${fmt(lensc)} | ${a.name} ${fmt(a.median_s)} | ratio ${(a.median_s / lensc).toFixed(2)}`,
    );
  }
}

if (only.has('wtilde')) {
  console.log('W̃ at M = 812 (N = 32, circular mask), K = 8192, f64, 2 threads');
  const c = makeCase(path.join(OUT, 'wtilde'), 'wtilde', { N: 32, K: 8192, repeats });
  const { wTilde } = await import('../kernels/js/w_tilde.js');
  const t = await timeIt(
    () => wTilde({ noiseReal: f64(c, 'noiseReal'), uv: f64(c, 'uv'), grid: f64(c, 'grid') }, { threads: 2 }),
    repeats,
  );
  const numpy = runAnchor('w_tilde_numpy.py', c.dir, repeats);
  const err = numpy[0]?.output ? relErr(t.last as Float64Array, readF64(numpy[0].output)) : NaN;
  compare('wTilde', t.median, numpy, `max rel diff vs numpy ${err.toExponential(1)}`);
  // Numba's direct loop takes about a minute here: only on request.
  if (args.includes('--numba-wtilde')) compare('wTilde', t.median, runAnchor('w_tilde_numba.py', c.dir, 1));
}

if (only.has('rewrites')) {
  console.log(
    'rewrites: formulas as written vs the hand-factored wTilde, M = 812 (N = 32), K = 8192, f64, 2 threads, interleaved',
  );
  const { benchRewrites } = await import('./rewrites.ts');
  for (const r of await benchRewrites(OUT, repeats))
    compare(r.step, r.seconds, [{ name: r.reference, median_s: r.referenceSeconds, times_s: [] }], r.note);
}

if (only.has('soak')) {
  console.log(
    'soak: 10⁴ mixed calls (sequential and 50 in flight, 1–4 threads, a third failing on purpose) vs a serial run; RSS',
  );
  // its own process (with gc exposed), so that RSS is the soak's alone
  const r = spawnSync('npx', ['tsx', '--expose-gc', 'bench/soak.ts', '10000'], { encoding: 'utf8' });
  const line = r.stdout.split('\n').find((l) => l.startsWith('{'));
  if (!line) throw new Error(`soak failed: ${r.stderr}`);
  const m = JSON.parse(line);
  extra.soak = m;
  console.log(
    `  ${m.calls} calls in ${m.seconds.toFixed(1)} s: ${m.mismatches} results differing from the serial run, ${m.failedAsExpected} failed as expected; RSS ${m.startRssMiB.toFixed(0)} MiB at the start, ${m.endRssMiB.toFixed(0)} MiB at the end (peak ${m.peakRssMiB.toFixed(0)} MiB)`,
  );
  if (m.mismatches) throw new Error(`soak: ${m.mismatches} calls differed from the serial run or failed unexpectedly`);
}

if (only.has('memory')) {
  console.log('wTildeDirect at M = 112, K = 200000, 64 MiB budget (naive (M,M,K) intermediate: 20 GB): peak RSS');
  const r = spawnSync('npx', ['tsx', 'bench/memory_probe.ts'], { encoding: 'utf8' });
  const line = r.stdout.split('\n').find((l) => l.startsWith('{'));
  if (!line) throw new Error(`memory probe failed: ${r.stderr}`);
  const m = JSON.parse(line);
  extra.memory = m;
  console.log(
    `  peak RSS ${m.maxRssMiB.toFixed(0)} MiB (target < 400 MB) in ${m.seconds.toFixed(2)} s wall, ${m.cpuSeconds.toFixed(2)} s CPU (target < 1 s); diag check ${m.diagRelErr.toExponential(1)}`,
  );
}

if (only.has('preload')) {
  console.log('preload at N = 64, K = 32768, f64, 2 threads');
  const c = makeCase(path.join(OUT, 'preload'), 'preload', { N: 64, K: 32768, repeats });
  // the GEMM route itself (the routed wTildePreload picks it or the NUFFT by cost: bench 'routes')
  const { wTildePreloadGemm: wTildePreload } = await import('../kernels/js/w_tilde_preload_gemm.js');
  const inputs = {
    noiseReal: f64(c, 'noiseReal'),
    uv: f64(c, 'uv'),
    shape: c.params.shape,
    pixelScales: Float64Array.from(c.params.pixelScales!),
  };
  const t = await timeIt(() => wTildePreload(inputs, { threads: 2 }), repeats);
  const numpy = runAnchor('preload_numpy.py', c.dir, repeats);
  const err = numpy[0]?.output ? relErr(t.last as Float64Array, readF64(numpy[0].output)) : NaN;
  compare('wTildePreload', t.median, numpy, `max rel diff vs numpy ${err.toExponential(1)}`);
  if (withNumba) compare('wTildePreload', t.median, runAnchor('preload_numba.py', c.dir, 1));
}

if (only.has('curvature')) {
  console.log('curvature matrix at N = 64 (M = 3228), S = 256, B = 3, from the preload, 2 threads');
  const c = makeCase(path.join(OUT, 'curvature'), 'curvature', { N: 64, K: 4096, S: 256, B: 3, repeats });
  // the sparse route itself (the routed curvatureMatrix picks it or the FFT by cost: bench 'routes')
  const { curvatureMatrixSparse: curvatureMatrix } = await import('../kernels/js/curvature_matrix_sparse.js');
  const inputs = {
    preload: f64(c, 'preload'),
    shape: [c.sizes.Ny!, c.sizes.Nx!],
    nativeIndex: i32(c, 'nativeIndex'),
    pixIndexes: i32(c, 'pixIndexes'),
    pixWeights: f64(c, 'pixWeights'),
    sourcePixels: c.sizes.S,
  };
  const t = await timeIt(() => curvatureMatrix(inputs, { threads: 2 }), repeats);
  const numpy = runAnchor('curvature_numpy.py', c.dir, repeats);
  const dense = numpy.find((a) => a.output);
  const err = dense?.output ? relErr(t.last as Float64Array, readF64(dense.output)) : NaN;
  compare('curvatureMatrix', t.median, numpy, `max rel diff vs numpy ${err.toExponential(1)}`);
  if (withNumba) compare('curvatureMatrix', t.median, runAnchor('curvature_numba.py', c.dir, 3));
}

if (only.has('curvaturefft')) {
  const N = Number(opt('fft-N', '256')),
    S = Number(opt('fft-S', '1000')),
    budgetMiB = Number(opt('fft-budget-mib', '1024'));
  const reps = Number(opt('fft-repeats', '1'));
  console.log(
    `curvature matrix by FFT convolution at N = ${N} (circular mask), S = ${S}, B = 3, budget ${budgetMiB} MiB, 2 threads`,
  );
  const c = makeCase(path.join(OUT, `curvature_fft_${N}_${S}`), 'curvature_fft', {
    N,
    K: 1024,
    S,
    B: 3,
    repeats: reps,
  });
  const { curvatureMatrixFft } = await import('../kernels/js/curvature_matrix_fft.js');
  const inputs = {
    preload: f64(c, 'preload'),
    shape: [c.sizes.Ny!, c.sizes.Nx!],
    nativeIndex: i32(c, 'nativeIndex'),
    pixIndexes: i32(c, 'pixIndexes'),
    pixWeights: f64(c, 'pixWeights'),
    sourcePixels: c.sizes.S,
  };
  const rss0 = process.memoryUsage().rss;
  const t = await timeIt(
    () => curvatureMatrixFft(inputs, { threads: 2, memoryBudgetBytes: budgetMiB * 2 ** 20 }),
    reps,
  );
  const rss = process.resourceUsage().maxRSS * 1024;
  const numpy = runAnchor('curvature_fft_numpy.py', c.dir, reps);
  const err = numpy[0]?.output ? relErr(t.last as Float64Array, readF64(numpy[0].output)) : NaN;
  compare(
    'curvatureMatrixFft',
    t.median,
    numpy,
    `max rel diff vs numpy ${err.toExponential(1)}; peak RSS ${(rss / 2 ** 20).toFixed(0)} MiB (${(rss0 / 2 ** 20).toFixed(0)} MiB before)`,
  );
  extra.curvatureFft = { N, S, M: c.sizes.M, budgetMiB, times: t.times, maxRssMiB: rss / 2 ** 20 };
  if (args.includes('--fft-sparse')) {
    const { curvatureMatrixSparse: curvatureMatrix } = await import('../kernels/js/curvature_matrix_sparse.js');
    const tsp = performance.now();
    const sparse = await curvatureMatrix(inputs, { threads: 2 });
    const secs = (performance.now() - tsp) / 1000;
    const a = t.last as Float64Array;
    let num = 0,
      den = 0;
    for (let i = 0; i < a.length; i++) {
      num += (a[i]! - sparse[i]!) ** 2;
      den += sparse[i]! ** 2;
    }
    console.log(
      `  sparse curvatureMatrix (one run): ${fmt(secs)}; FFT ÷ sparse time ${(t.median / secs).toFixed(3)}; relative Frobenius difference ${Math.sqrt(num / den).toExponential(2)}`,
    );
    extra.curvatureSparse = { seconds: secs, frobDiff: Math.sqrt(num / den) };
  }
}

if (only.has('preloadnufft')) {
  const { wTildePreloadNufft } = await import('../kernels/js/w_tilde_preload_nufft.js');
  const { wTildePreloadGemm: wTildePreload } = await import('../kernels/js/w_tilde_preload_gemm.js');
  const N = 256,
    Kc = Number(opt('nufft-check-K', '50000')),
    K = Number(opt('nufft-K', '10000000'));
  const relToOrigin = (a: Float64Array, b: Float64Array) => {
    let w = 0;
    for (let i = 0; i < b.length; i++) w = Math.max(w, Math.abs(a[i]! - b[i]!));
    return w / Math.abs(b[0]!);
  };
  console.log(
    `preload by NUFFT at N = ${N}: K = ${Kc} beside the GEMM route and numpy; then K = ${K} alone (2 threads)`,
  );
  const c = makeCase(path.join(OUT, `preload_nufft_${Kc}`), 'preload', { N, K: Kc, repeats: 1 });
  const inputs = {
    noiseReal: f64(c, 'noiseReal'),
    uv: f64(c, 'uv'),
    shape: c.params.shape,
    pixelScales: Float64Array.from(c.params.pixelScales!),
  };
  const tn = await timeIt(() => wTildePreloadNufft(inputs, { threads: 2 }), 1);
  const tg = await timeIt(() => wTildePreload(inputs, { threads: 2 }), 1);
  const numpy = runAnchor('preload_numpy.py', c.dir, 1);
  const err = relToOrigin(tn.last as Float64Array, tg.last as Float64Array);
  compare(
    `wTildePreloadNufft K=${Kc}`,
    tn.median,
    numpy,
    `max |NUFFT − GEMM| / P[0,0] = ${err.toExponential(2)}; GEMM kernel ${fmt(tg.median)}`,
  );
  extra.preloadNufftCheck = { N, K: Kc, nufft: tn.times, gemm: tg.times, errVsGemm: err };
  // K = 10⁷: the table alone (the GEMM route would need ~N²·K·4 = 2.6·10¹³ flops), checked at a few entries by direct sums.
  const r = (() => {
    let s = 12345;
    return () => {
      s ^= s << 13;
      s >>>= 0;
      s ^= s >>> 17;
      s ^= s << 5;
      s >>>= 0;
      return s / 4294967296;
    };
  })();
  const d = (0.05 * Math.PI) / (180 * 3600);
  const uv = new Float64Array(2 * K),
    noiseReal = new Float64Array(K);
  for (let k = 0; k < 2 * K; k++) uv[k] = (r() - 0.5) / d;
  for (let k = 0; k < K; k++) noiseReal[k] = 0.5 + r();
  const big = { noiseReal, uv, shape: [N, N], pixelScales: Float64Array.of(d, d) };
  // Side by side in this run: the kernel as built (the spreading scatter parallel by owner computes over the grid's
  // rows, compiler/plan/owner_scatters.ts) and the same kernel built without the scatter-parallelism passes (the
  // serial scatter, one task: the path measured before).
  const { planKernel, renderKernel } = await import('../compiler/compile.ts');
  const { wTildePreloadNufft: nufftKernel } = await import('../std/preload_nufft.ts');
  const serialFile = path.resolve(OUT, 'preload_nufft_serial.js');
  writeFileSync(
    serialFile,
    renderKernel(planKernel(nufftKernel, 'js', { skipPasses: ['owner-scatters', 'privatise-scatters'] }), 'js').code,
  );
  const serial = (await import(pathToFileURL(serialFile).href)).wTildePreloadNufft as typeof wTildePreloadNufft;
  const { manifest: copiesManifest } = await import('../kernels/js/w_tilde_preload_nufft.js');
  const { resolvePlan } = await import('../backends/common/plan.js');
  const { jsCapabilities } = await import('../backends/js/support/capabilities.js');
  const caps = jsCapabilities();
  const planned = resolvePlan(
    'wTildePreloadNufft',
    copiesManifest.plan as never,
    { K, Ny: N, Nx: N },
    {
      budgetBytes: caps.memoryBytes,
      preferredChunkBytes: caps.preferredChunkBytes,
    },
  );
  const spot = (P: Float64Array) => {
    let worst = 0;
    for (const [a, b] of [
      [0, 0],
      [1, 2],
      [N - 1, N + 1],
      [N + 7, 3],
      [2 * N - 1, 2 * N - 1],
    ] as [number, number][]) {
      const dr = a < N ? a : a - 2 * N,
        dc = b < N ? b : b - 2 * N;
      let s = 0;
      for (let k = 0; k < K; k++)
        s += Math.cos(2 * Math.PI * (dc * d * uv[2 * k]! - dr * d * uv[2 * k + 1]!)) / (noiseReal[k]! * noiseReal[k]!);
      worst = Math.max(worst, Math.abs(P[a * 2 * N + b]! - s));
    }
    let origin = 0;
    for (let k = 0; k < K; k++) origin += 1 / (noiseReal[k]! * noiseReal[k]!);
    return worst / origin;
  };
  const nufftRepeats = Number(opt('nufft-repeats', '1'));
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
  const load = () =>
    loadavg()
      .map((x) => x.toFixed(2))
      .join(' ');
  const loadBefore = load();
  const times = { copies: [] as number[], serial: [] as number[] };
  let P!: Float64Array, Pserial!: Float64Array;
  for (let i = 0; i < nufftRepeats; i++) {
    let t0 = performance.now();
    P = await wTildePreloadNufft(big, { threads: 2 });
    times.copies.push((performance.now() - t0) / 1000);
    t0 = performance.now();
    Pserial = await serial(big, { threads: 2 });
    times.serial.push((performance.now() - t0) / 1000);
  }
  const secs = median(times.copies),
    secsSerial = median(times.serial);
  const rss = process.resourceUsage().maxRSS / 1024;
  const worst = spot(P),
    worstSerial = spot(Pserial);
  console.log(
    `  K = ${K}, 2 threads, ${nufftRepeats} run(s) each, alternating; load average before ${loadBefore}, after ${load()}`,
  );
  console.log(
    `  wTildePreloadNufft as built (${(copiesManifest.plan as { stages: string[] }).stages
      .find((l) => /scatter/.test(l))
      ?.replace(/\s+@.*/, '')
      .trim()}): ${fmt(secs)}; plan peak ${(planned.peakBytes / 2 ** 20).toFixed(0)} MiB; 5 entries vs direct sums: max error / P[0,0] = ${worst.toExponential(2)}`,
  );
  console.log(
    `  wTildePreloadNufft, serial scatter (built without owner-scatters, privatise-scatters): ${fmt(secsSerial)}; max error / P[0,0] = ${worstSerial.toExponential(2)}; bitwise equal: ${P.every((x, i) => Object.is(x, Pserial[i]))}; ratio serial / as built ${(secsSerial / secs).toFixed(2)}`,
  );
  console.log(`  process peak RSS (both variants and the checks) ${rss.toFixed(0)} MiB`);
  extra.preloadNufftBig = {
    N,
    K,
    seconds: times.copies,
    serialSeconds: times.serial,
    maxRssMiB: rss,
    planPeakBytes: planned.peakBytes,
    spotErr: worst,
    spotErrSerial: worstSerial,
    loadBefore,
  };
}

if (only.has('evidence')) {
  for (const S of [256, 1024]) {
    console.log(`log evidence at S = ${S}`);
    const c = makeCase(path.join(OUT, `evidence${S}`), 'evidence', { S, K: 4096, repeats });
    const { logEvidence } = await import('../kernels/js/log_evidence.js');
    const inputs = {
      curvature: f64(c, 'F'),
      regularization: f64(c, 'H'),
      dataVector: f64(c, 'D'),
      visibilities: f64(c, 'visibilities'),
      noiseMap: f64(c, 'noiseMap'),
    };
    const t = await timeIt(() => logEvidence(inputs, { threads: 2 }), Math.max(repeats, 20));
    compare(`logEvidence S=${S}`, t.median, runAnchor('log_evidence_numpy.py', c.dir, Math.max(repeats, 20)));
  }
}

if (only.has('linalg')) {
  console.log(
    'dense linear algebra (issue 14): lensc (native BLAS, and the WebAssembly fallback for W̃; 2 threads) and numpy (2 and 1 OpenBLAS threads) in interleaved rounds',
  );
  const { benchLinalg } = await import('./linalg_rounds.ts');
  const r = await benchLinalg(OUT, Number(opt('rounds', '3')), repeats);
  extra.linalg = r.info;
  for (const row of r.rows) {
    rows.push({
      step: row.step,
      lensc: row.lensc,
      anchor: row.anchor,
      anchorTime: row.anchorTime,
      ratio: row.ratio,
      note: `target ${row.target}; per-round ratios ${row.ratios.map((x) => x.toFixed(2)).join(', ')}; numpy on 1 OpenBLAS thread ${(row.anchorTime1 * 1e3).toFixed(2)} ms, ratio ${row.ratio1.toFixed(2)} (per round ${row.ratios1.map((x) => x.toFixed(2)).join(', ')})`,
    });
  }
}

if (only.has('scan')) {
  console.log('scan: 40 steps of power iteration (a general scan: matvec, two reductions per step), f64, 2 threads');
  const { benchScan } = await import('./scan.ts');
  for (const r of await benchScan(OUT, repeats))
    compare(r.step, r.seconds, [{ name: 'numpy (same loop)', median_s: r.numpy, times_s: [] }], r.note);
}

if (only.has('wgsl')) {
  const { benchWgsl } = await import('./wgsl.ts');
  for (const r of await benchWgsl(Math.min(repeats, 3)))
    compare(r.step, r.wgsl, [{ name: 'lensc js', median_s: r.js, times_s: [] }], r.note);
}

if (only.has('df64')) {
  const { benchDf64 } = await import('./df64.ts');
  // ratio = f32 time ÷ df64 time (< 1: df64 is slower by 1/ratio)
  for (const r of await benchDf64(Math.min(repeats, 3)))
    compare(
      `${r.step} (wgsl df64)`,
      r.df64,
      [{ name: 'wgsl f32', median_s: r.f32, times_s: [] }],
      `error vs f64: df64 ${r.errDf64.toExponential(1)}, f32 ${r.errF32.toExponential(1)}; js f64 ${fmt(r.js)}; df64 with fma TwoProduct (forced) ${fmt(r.df64Fma)}, error ${r.errDf64Fma.toExponential(1)}; the probe picks ${r.twoProduct} here`,
    );
}

if (only.has('routes')) {
  const { benchRoutes } = await import('./routes.ts');
  extra.routes = await benchRoutes({
    repeats: Number(opt('routes-repeats', '3')),
    quick: args.includes('--routes-quick'),
  });
}

const machine = `${cpus()[0]?.model ?? 'unknown CPU'} ×${cpus().length}, node ${process.version}`;
writeFileSync(
  path.join(OUT, 'latest.json'),
  JSON.stringify({ date: new Date().toISOString(), machine, rows, extra }, null, 2),
);
console.log(
  `\n| step | lensc (median) | anchor | anchor (median) | ratio anchor/lensc | note |\n|---|---|---|---|---|---|`,
);
for (const r of rows)
  console.log(
    `| ${r.step} | ${fmt(r.lensc)} | ${r.anchor} | ${fmt(r.anchorTime)} | ${r.ratio.toFixed(2)} | ${r.note ?? ''} |`,
  );
console.log(`\n${machine}, ${new Date().toISOString().slice(0, 10)}`);
await shutdown();
