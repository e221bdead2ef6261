// Last step of bench/gpu/run.sh: merges what the steps left in $OUT (steps.jsonl, gpu-selftest.json,
// conformance.json, lensc-timings-*.json, jax-timings.json, gpu-name.txt) into $OUT/gpu.json and prints
// lensc beside JAX for each case (lensc `compute` = GPU time with the result on the device, as JAX's
// block_until_ready times it; `total` = what a module caller waits, M×M download to host included).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUT = process.env.OUT ?? path.join(root, 'bench', 'out', 'gpu');
const read = (f) => {
  try {
    return JSON.parse(fs.readFileSync(path.join(OUT, f), 'utf8'));
  } catch {
    return null;
  }
};
const text = (f) => {
  try {
    return fs.readFileSync(path.join(OUT, f), 'utf8').trim();
  } catch {
    return null;
  }
};

const steps = (text('steps.jsonl') ?? '')
  .split('\n')
  .filter(Boolean)
  .map((l) => {
    try {
      return JSON.parse(l);
    } catch {
      return { raw: l };
    }
  });
const selftest = read('gpu-selftest.json'),
  conformance = read('conformance.json');
const lenscFiles = (() => {
  try {
    return fs
      .readdirSync(OUT)
      .filter((f) => /^lensc-timings.*\.json$/.test(f))
      .sort();
  } catch {
    return [];
  }
})();
const lensc = { files: lenscFiles, results: lenscFiles.flatMap((f) => read(f)?.results ?? []) };
const jax = read('jax-timings.json');

const PAIRS = [
  ['W̃ by C·Cᵀ+S·Sᵀ, blocked SYRK (target ≤ 700 ms)', /^wtilde wTilde .*syrk=blocked/, /^wtilde chunked/],
  ['W̃ by C·Cᵀ+S·Sᵀ, cuBLAS DSYRK', /^wtilde wTilde .*syrk=cublas/, /^wtilde chunked/],
  ['W̃ by C·Cᵀ+S·Sᵀ, DGEMM', /^wtilde wTilde .*syrk=gemm/, /^wtilde chunked/],
  ['preload table N=128', /^preload wTildePreload N=(128|12) /, /^preload table N=(128|12) /],
  ['preload table + expansion to M×M', /^preload preload\+expansion/, /^preload table\+expansion/],
  ['preload table N=300 K=10⁶', /^preload wTildePreload N=(300|20) /, /^preload table N=(300|20) /],
  ['scan W̃ M=1024: lensc wTildeScan vs lax.scan', /^scan wTildeScan/, /^scan lax\.scan/],
  ['scan W̃ M=1024: lensc wTildeDirect vs lax.scan', /^scan wTildeDirect/, /^scan lax\.scan/],
  ['scan W̃ M=1024: lensc wTilde (SYRK) vs lax.scan', /^scan wTilde M/, /^scan lax\.scan/],
  ['curvature F by FFT, N=256 S=1000 (target ≤ 10 ms)', /^curvature curvatureMatrixFft/, /^curvature fft route/],
];
const find = (rows, re) => (rows ?? []).find((r) => re.test(r.case) && r.status === 'PASS');
const fmt = (x) => (x === undefined || x === null ? '—' : x >= 100 ? x.toFixed(0) : x.toFixed(2));

const comparison = PAIRS.map(([what, l, j]) => {
  const a = find(lensc?.results, l),
    b = find(jax?.results, j);
  const row = {
    what,
    lenscCase: a?.case ?? null,
    jaxCase: b?.case ?? null,
    lenscComputeMs: a?.ms?.compute ?? null,
    lenscTotalMs: a?.ms?.total ?? null,
    jaxMs: b?.ms ?? null,
  };
  row.jaxOverLensc = row.lenscComputeMs && row.jaxMs ? row.jaxMs / row.lenscComputeMs : null;
  return row;
});

const gpu = text('gpu-name.txt');
console.log(`== summary (${gpu ?? 'GPU unknown'})`);
for (const s of steps)
  console.log(`step ${s.step}: ${s.rc === 0 ? 'ok' : s.rc === 124 ? 'TIMED OUT' : `exit ${s.rc}`} (${s.seconds} s)`);
if (selftest)
  console.log(
    `self-test: ${selftest.results.filter((r) => r.status === 'PASS').length} passed, ${selftest.results.filter((r) => r.status === 'FAIL').length} failed`,
  );
if (conformance)
  console.log(
    `conformance: ${conformance.results.filter((r) => r.status === 'PASS').length} passed, ${conformance.results.filter((r) => r.status !== 'PASS').length} failed`,
  );
console.log('case | lensc compute ms | lensc total ms | JAX ms | JAX / lensc compute');
for (const r of comparison)
  console.log(
    `${r.what} | ${fmt(r.lenscComputeMs)} | ${fmt(r.lenscTotalMs)} | ${fmt(r.jaxMs)} | ${r.jaxOverLensc ? `${r.jaxOverLensc.toFixed(2)}×` : '—'}`,
  );

fs.writeFileSync(
  path.join(OUT, 'gpu.json'),
  JSON.stringify({ gpu, steps, selftest, conformance, lensc, jax, comparison }, null, 2),
);
console.log(`wrote ${path.join(OUT, 'gpu.json')}`);
const failed = steps.filter((s) => s.rc !== 0).length;
console.log(`${steps.length - failed} passed, ${failed} failed`);
