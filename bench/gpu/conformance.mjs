// GPU conformance: every std kernel of kernels/cuda against the same kernel of kernels/js (f64, run
// on this host's CPU) on small random cases (bench/gpu/cases.mjs: N = 14 circular mask, K = 1001,
// S = 37, B = 3 with −1 slots), relative error (max |Δ| / max |js|) at most 1e-10. A kernel with no
// kernels/js twin is checked against the one that computes the same thing (wTildeScan ≡ wTildeDirect).
// Also: wTilde under a small memory budget (many K chunks) equals the one-chunk result, and a second
// call gives bit-identical output (determinism). Each check runs in its own node process (a kernel
// fault leaves the CUDA context unusable; it must not take the other checks with it), under a time
// limit. Prints PASS/FAIL lines; writes $OUT/conformance.json.
// Usage: node bench/gpu/conformance.mjs   (from the checkout root, after `source .gpu/env.sh`)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { compareOutputs, stdCases } from './cases.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUT = process.env.OUT ?? path.join(root, 'bench', 'out', 'gpu');
const TOL = 1e-10;
const TWIN = { w_tilde_scan: 'w_tilde_direct' };

const cases = stdCases();
const results = [];
const say = (s) => console.log(s);
const load = (dir, file) => import(pathToFileURL(path.join(root, 'kernels', dir, `${file}.js`)).href);

async function check(file) {
  const t0 = performance.now();
  const cuda = await load('cuda', file);
  const name = cuda.manifest.kernel;
  const refFile = fs.existsSync(path.join(root, 'kernels', 'js', `${file}.js`)) ? file : TWIN[file];
  const row = { kernel: name, file, reference: `kernels/js/${refFile}.js`, status: 'FAIL', err: null, detail: '' };
  try {
    if (!refFile) throw new Error('no kernels/js reference');
    const js = await load('js', refFile);
    const inputs = cases[name];
    if (!inputs) throw new Error(`bench/gpu/cases.mjs has no inputs for ${name}`);
    const want = await js[js.manifest.kernel](inputs);
    const got = await cuda[name](inputs);
    const { err, worst } = compareOutputs(got, want);
    row.err = err;
    row.status = err <= TOL ? 'PASS' : 'FAIL';
    row.detail = `max relative error ${err.toExponential(2)}${worst && worst !== 'result' ? ` (worst output: ${worst})` : ''}`;
  } catch (e) {
    row.detail = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  }
  row.seconds = (performance.now() - t0) / 1000;
  results.push(row);
  say(`${row.status} ${name} vs ${row.reference}: ${row.detail} (${row.seconds.toFixed(2)} s)`);
}

async function extra(label, fn) {
  const t0 = performance.now();
  const row = { kernel: label, status: 'FAIL', detail: '' };
  try {
    row.detail = await fn();
    row.status = 'PASS';
  } catch (e) {
    row.detail = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  }
  row.seconds = (performance.now() - t0) / 1000;
  results.push(row);
  say(`${row.status} ${label}: ${row.detail} (${row.seconds.toFixed(2)} s)`);
}

const EXTRAS = {
  chunked: [
    'wTilde chunked (small budget) equals one chunk; repeat call bit-identical',
    async () => {
      const { wTilde } = await load('cuda', 'w_tilde');
      const inputs = cases.wTilde;
      const a = await wTilde(inputs),
        b = await wTilde(inputs);
      let chunks = 0;
      const c = await wTilde(inputs, {
        memoryBudgetBytes: 150_000,
        onProgress: () => {
          chunks++;
        },
      });
      if (!a.every((x, i) => Object.is(x, b[i]))) throw new Error('two identical calls differ');
      const { err } = compareOutputs(c, a);
      if (!(err <= 1e-12) || chunks < 2) throw new Error(`chunked (${chunks} chunks) differs by ${err}`);
      return `${chunks} chunks, relative difference ${err.toExponential(2)}; repeat identical`;
    },
  ],
  ...Object.fromEntries(
    ['cublas', 'gemm'].map((mode) => [
      `syrk-${mode}`,
      [
        `wTilde with LENSC_CUDA_SYRK=${mode} and =blocked (block 16) agree`,
        async () => {
          const { wTilde } = await load('cuda', 'w_tilde');
          const inputs = cases.wTilde;
          process.env.LENSC_CUDA_SYRK = 'blocked';
          process.env.LENSC_CUDA_SYRK_BLOCK = '16';
          const a = await wTilde(inputs);
          process.env.LENSC_CUDA_SYRK = mode;
          delete process.env.LENSC_CUDA_SYRK_BLOCK;
          const b = await wTilde(inputs);
          const { err } = compareOutputs(b, a);
          if (!(err <= 1e-12)) throw new Error(`differ by ${err}`);
          return `relative difference ${err.toExponential(2)}`;
        },
      ],
    ]),
  ),
};

/** Child: one check, its row printed as the last line. */
async function one(what) {
  if (what in EXTRAS) await extra(...EXTRAS[what]);
  else await check(what);
  console.log(`RESULT ${JSON.stringify(results[0])}`);
  const { shutdown } = await import('lensc/runtime/js');
  await shutdown();
}

async function main() {
  if (process.argv[2] === '--one') return one(process.argv[3]);
  say(`== conformance: kernels/cuda vs kernels/js, relative error <= ${TOL} (one process per check)`);
  const files = fs
    .readdirSync(path.join(root, 'kernels', 'cuda'))
    .filter((f) => f.endsWith('.js'))
    .map((f) => f.slice(0, -3))
    .sort();
  const self = fileURLToPath(import.meta.url);
  for (const what of [...files, ...Object.keys(EXTRAS)]) {
    const r = spawnSync(process.execPath, [self, '--one', what], {
      encoding: 'utf8',
      timeout: 25_000,
      killSignal: 'SIGKILL',
      maxBuffer: 1 << 24,
    });
    const lines = `${r.stdout ?? ''}`.trim().split('\n');
    const last = lines.at(-1) ?? '';
    for (const l of lines) if (!l.startsWith('RESULT ')) say(l);
    if (last.startsWith('RESULT ')) results.push(JSON.parse(last.slice(7)));
    else {
      const why = r.error ? `${r.error.message}` : `exit ${r.status ?? r.signal}`;
      const row = {
        kernel: what,
        status: 'FAIL',
        detail: `check process died (${why}): ${`${r.stderr ?? ''}`.trim().split('\n').slice(-3).join(' | ')}`,
      };
      results.push(row);
      say(`FAIL ${what}: ${row.detail}`);
    }
  }
  const passed = results.filter((r) => r.status === 'PASS').length;
  say(`conformance: ${passed} passed, ${results.length - passed} failed`);
  try {
    fs.mkdirSync(OUT, { recursive: true });
    fs.writeFileSync(path.join(OUT, 'conformance.json'), JSON.stringify({ tolerance: TOL, results }, null, 2));
  } catch (e) {
    say(`(could not write conformance.json: ${e.message})`);
  }
  process.exitCode = passed === results.length ? 0 : 1;
}

main().catch((e) => {
  say(`FAIL conformance harness: ${e?.stack ?? e}`);
  process.exitCode = 1;
});
