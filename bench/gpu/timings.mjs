// lensc CUDA timings on this GPU, the cases bench/gpu/jax_bench.py times for JAX on the same card:
//   wtilde   W̃ by wTilde (C·Cᵀ + S·Sᵀ on cuBLAS) at N = 128 full grid (M = 16384), K = 65536;
//            also with each SYRK form (LENSC_CUDA_SYRK = blocked | cublas | gemm)
//   preload  wTildePreload at N = 128, K = 65536, then wTildeFromPreload (M×M expansion); and
//            wTildePreload at N = 300, K = 10⁶
//   scan     wTildeScan and wTildeDirect (fused reductions) at M = 1024 (N = 32), K = 8192
//   curvature  curvatureMatrixFft (cuFFT route) at science size: N = 256 circular mask (M ≈ 51 468), S = 1000,
//            B = 3, 4 GiB budget; spot-checked against a few F entries of the sparse definition
// Each: one warm-up call (NVRTC compile, cuBLAS setup), then the median of REPS calls through the
// module's __profile export: phases setup / upload / compute / download in wall ms, the GPU
// synchronised (cuCtxSynchronize) at each phase end, so `compute` is the honest GPU time and
// `total` what a caller of the module waits (including the download of an M×M result).
// Spot checks against direct sums in f64 guard the numbers. Writes $OUT/lensc-timings[-case].json.
// Usage: node bench/gpu/timings.mjs [case...]   LENSC_BENCH_SCALE=small for a smoke run.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { rng } from './cases.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUT = process.env.OUT ?? path.join(root, 'bench', 'out', 'gpu');
const small = process.env.LENSC_BENCH_SCALE === 'small';
const REPS = small ? 2 : 3;
const want = process.argv.slice(2);
const ARCSEC = Math.PI / (180 * 3600);
const say = (s) => console.log(s);
const results = [];

const load = async (file) => import(pathToFileURL(path.join(root, 'kernels', 'cuda', `${file}.js`)).href);

/** An N×N full grid and K visibilities, as bench/anchors/make_case.py lays them out. */
function problem(N, K, seed) {
  const r = rng(seed),
    d = 0.05 * ARCSEC,
    M = N * N;
  const grid = new Float64Array(2 * M),
    nativeIndex = new Int32Array(2 * M);
  for (let row = 0, m = 0; row < N; row++)
    for (let col = 0; col < N; col++, m++) {
      grid[2 * m] = ((N - 1) / 2 - row) * d;
      grid[2 * m + 1] = (col - (N - 1) / 2) * d;
      nativeIndex[2 * m] = row;
      nativeIndex[2 * m + 1] = col;
    }
  const uv = new Float64Array(2 * K),
    noiseReal = new Float64Array(K);
  for (let k = 0; k < 2 * K; k++) uv[k] = (r() - 0.5) / d;
  for (let k = 0; k < K; k++) noiseReal[k] = 0.5 + r();
  return { N, K, M, d, grid, nativeIndex, uv, noiseReal };
}

/** W̃[i, j] by a direct f64 sum. */
function wEntry(p, i, j) {
  let s = 0;
  const dx = p.grid[2 * i + 1] - p.grid[2 * j + 1],
    dy = p.grid[2 * i] - p.grid[2 * j];
  for (let k = 0; k < p.K; k++)
    s += Math.cos(2 * Math.PI * (dx * p.uv[2 * k] + dy * p.uv[2 * k + 1])) / p.noiseReal[k] ** 2;
  return s;
}

/** Worst |got − direct| / diag over a few entries (diag = Σ 1/σ², the largest entry). */
function spotW(p, W) {
  const M = p.M,
    diag = wEntry(p, 0, 0);
  let worst = 0;
  for (const [i, j] of [
    [0, 0],
    [M - 1, 0],
    [7 % M, M >> 1],
    [M >> 2, M - 3],
    [M - 1, M - 1],
  ]) {
    worst = Math.max(
      worst,
      Math.abs(W[i * M + j] - wEntry(p, i, j)) / diag,
      Math.abs(W[i * M + j] - W[j * M + i]) / diag,
    );
  }
  return worst;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * Warm-up, then REPS profiled calls; records median phase times. check(result) returns an error
 * measure (spot check) or throws.
 */
async function time(label, fn, check, env = {}) {
  const saved = {};
  for (const [k, v] of Object.entries(env)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  const row = { case: label, status: 'FAIL', env };
  try {
    const w = await fn();
    const runs = [];
    let last = w.result;
    for (let r = 0; r < REPS; r++) {
      const t0 = performance.now();
      const { result, ms } = await fn();
      runs.push({ ...ms, total: performance.now() - t0 });
      last = result;
    }
    const phases = Object.fromEntries(Object.keys(runs[0]).map((k) => [k, median(runs.map((x) => x[k] ?? 0))]));
    row.ms = phases;
    row.warmupMs = w.ms;
    row.check = check ? check(last) : null;
    row.status = row.check === null || row.check <= 1e-10 ? 'PASS' : 'FAIL';
    say(
      `${row.status} ${label}: compute ${phases.compute.toFixed(2)} ms, total ${phases.total.toFixed(1)} ms ` +
        `(setup ${phases.setup.toFixed(1)}, upload ${phases.upload.toFixed(1)}, download ${phases.download.toFixed(1)})` +
        `${row.check === null ? '' : `, spot error ${row.check.toExponential(2)}`}`,
    );
  } catch (e) {
    row.detail = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    say(`FAIL ${label}: ${row.detail}`);
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
  results.push(row);
  return row;
}

const on = (c) => want.length === 0 || want.includes(c);

async function main() {
  say(`== lensc CUDA timings (${small ? 'small smoke scale' : 'full scale'}, median of ${REPS} after a warm-up)`);
  if (on('wtilde')) {
    const p = problem(small ? 12 : 128, small ? 4096 : 65536, 1);
    const { __profile } = await load('w_tilde');
    const inputs = { noiseReal: p.noiseReal, uv: p.uv, grid: p.grid };
    for (const mode of ['blocked', 'cublas', 'gemm']) {
      await time(
        `wtilde wTilde M=${p.M} K=${p.K} syrk=${mode}`,
        () => __profile(inputs),
        (W) => spotW(p, W),
        { LENSC_CUDA_SYRK: mode },
      );
    }
  }
  if (on('preload')) {
    const p = problem(small ? 12 : 128, small ? 4096 : 65536, 2);
    // the GEMM route itself (the routed w_tilde_preload.js has no __profile, and its choice uses the JS target's
    // cost constants, which were not measured on a GPU); the case labels keep their name for summary.mjs
    const pre = await load('w_tilde_preload_gemm'),
      exp = await load('w_tilde_from_preload');
    const shape = [p.N, p.N];
    let table = null;
    const a = await time(
      `preload wTildePreload N=${p.N} K=${p.K}`,
      async () => {
        const r = await pre.__profile({
          noiseReal: p.noiseReal,
          uv: p.uv,
          shape,
          pixelScales: new Float64Array([p.d, p.d]),
        });
        table = r.result;
        return r;
      },
      null,
    );
    if (table) {
      const b = await time(
        `preload wTildeFromPreload M=${p.M}`,
        () => exp.__profile({ preload: table, shape, nativeIndex: p.nativeIndex }),
        (W) => spotW(p, W),
      );
      if (a.ms && b.ms) {
        const both = {
          case: `preload preload+expansion N=${p.N} K=${p.K}`,
          status: a.status === 'PASS' && b.status === 'PASS' ? 'PASS' : 'FAIL',
          ms: { compute: a.ms.compute + b.ms.compute, total: a.ms.total + b.ms.total },
        };
        results.push(both);
        say(
          `${both.status} ${both.case}: compute ${both.ms.compute.toFixed(2)} ms, total ${both.ms.total.toFixed(1)} ms`,
        );
      }
    }
    const q = problem(small ? 20 : 300, small ? 20000 : 1_000_000, 3);
    await time(
      `preload wTildePreload N=${q.N} K=${q.K}`,
      () =>
        pre.__profile({
          noiseReal: q.noiseReal,
          uv: q.uv,
          shape: [q.N, q.N],
          pixelScales: new Float64Array([q.d, q.d]),
        }),
      null,
    );
  }
  if (on('scan')) {
    const p = problem(small ? 8 : 32, small ? 1024 : 8192, 4);
    const inputs = { noiseReal: p.noiseReal, uv: p.uv, grid: p.grid };
    for (const [file, name] of [
      ['w_tilde_scan', 'wTildeScan'],
      ['w_tilde_direct', 'wTildeDirect'],
      ['w_tilde', 'wTilde'],
    ]) {
      const { __profile } = await load(file);
      await time(
        `scan ${name} M=${p.M} K=${p.K}`,
        () => __profile(inputs),
        (W) => spotW(p, W),
      );
    }
  }
  if (on('curvature')) {
    const N = small ? 16 : 256,
      S = small ? 40 : 1000,
      B = 3,
      r = rng(5);
    const nat = [];
    for (let row = 0; row < N; row++)
      for (let col = 0; col < N; col++)
        if ((row - (N - 1) / 2) ** 2 + (col - (N - 1) / 2) ** 2 <= (N / 2) ** 2) nat.push(row, col);
    const nativeIndex = Int32Array.from(nat),
      M = nat.length / 2;
    const pixIndexes = new Int32Array(M * B),
      pixWeights = new Float64Array(M * B);
    for (let i = 0; i < M * B; i++) {
      pixIndexes[i] = Math.floor(r() * S);
      pixWeights[i] = r();
    }
    const preload = new Float64Array(4 * N * N);
    for (let i = 0; i < preload.length; i++) preload[i] = r() - 0.5;
    const { __profile } = await load('curvature_matrix_fft');
    const inputs = { preload, shape: [N, N], nativeIndex, pixIndexes, pixWeights, sourcePixels: S };
    // F[s, t] = Σ_{(i,a): idx=s} Σ_{(j,b): idx=t} w_ia·w_jb·P[(r_j − r_i) mod 2N, (c_j − c_i) mod 2N], for a few (s, t)
    const entry = (s, t) => {
      let acc = 0;
      for (let i = 0; i < M; i++)
        for (let a = 0; a < B; a++) {
          if (pixIndexes[i * B + a] !== s) continue;
          for (let j = 0; j < M; j++)
            for (let b = 0; b < B; b++) {
              if (pixIndexes[j * B + b] !== t) continue;
              const dr = (((nativeIndex[2 * j] - nativeIndex[2 * i]) % (2 * N)) + 2 * N) % (2 * N),
                dc = (((nativeIndex[2 * j + 1] - nativeIndex[2 * i + 1]) % (2 * N)) + 2 * N) % (2 * N);
              acc += pixWeights[i * B + a] * pixWeights[j * B + b] * preload[dr * 2 * N + dc];
            }
        }
      return acc;
    };
    const spot = (F) => {
      let worst = 0,
        scale = 0;
      for (let s = 0; s < S; s++) scale = Math.max(scale, Math.abs(F[s * S + s]));
      for (const [s, t] of [
        [0, 0],
        [1, S - 1],
        [S >> 1, S >> 2],
      ])
        worst = Math.max(worst, Math.abs(F[s * S + t] - entry(s, t)) / scale);
      return worst;
    };
    await time(
      `curvature curvatureMatrixFft N=${N} M=${M} S=${S} B=${B}`,
      () => __profile(inputs, { memoryBudgetBytes: 4 * 2 ** 30 }),
      spot,
    );
  }
  const failed = results.filter((r) => r.status !== 'PASS').length;
  say(`lensc timings: ${results.length - failed} passed, ${failed} failed`);
  try {
    fs.mkdirSync(OUT, { recursive: true });
    // one file per invocation: run.sh runs each case in its own process (a fault spoils only that one)
    const file = `lensc-timings${want.length ? `-${want.join('-')}` : ''}.json`;
    fs.writeFileSync(
      path.join(OUT, file),
      JSON.stringify({ scale: small ? 'small' : 'full', reps: REPS, results }, null, 2),
    );
  } catch (e) {
    say(`(could not write the timings JSON: ${e.message})`);
  }
  process.exitCode = failed ? 1 : 0;
}

main().catch((e) => {
  say(`FAIL timings harness: ${e?.stack ?? e}`);
  process.exitCode = 1;
});
