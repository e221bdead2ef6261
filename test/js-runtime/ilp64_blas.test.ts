// The ILP64 flavour of OpenBLAS (64-bit integers, symbols `scipy_cblas_dgemm64_`, `scipy_dpotrf_64_`, …: the
// scipy-openblas64 wheel's library, which numpy ≥ 2 bundles under site-packages/numpy.libs) through
// LENSC_BLAS_LIB: blasInfo() names the flavour, and gemm (all transposes), tiled syrk, Cholesky (one dpotrf
// and the blocked native path) and both triangular solves match naive f64 loops. Skipped where python3's
// numpy does not bundle that library.
import { execFile, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const RUNTIME = new URL('../../backends/js/runtime/index.js', import.meta.url).href;
const SUPPORT = new URL('../../backends/js/support/linalg.js', import.meta.url).href;

/** numpy's bundled scipy_openblas64 library, or undefined. */
function bundledIlp64(): string | undefined {
  const r = spawnSync(
    'python3',
    [
      '-c',
      'import glob, os, numpy; print("\\n".join(glob.glob(os.path.join(os.path.dirname(numpy.__path__[0]), "numpy.libs", "libscipy_openblas64_*.so*"))))',
    ],
    { encoding: 'utf8' },
  );
  return r.status === 0 ? r.stdout.trim().split('\n').filter(Boolean)[0] : undefined;
}
const LIB = bundledIlp64();

const program = `
  const { getRuntime, shutdown, blasInfo } = await import(${JSON.stringify(RUNTIME)});
  const { choleskyBlocked, triSolve } = await import(${JSON.stringify(SUPPORT)});
  const rt = await getRuntime(2);
  const A = rt.arena;
  let seed = 7;
  const rnd = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648 - 0.5; };
  const rand = (n) => Float64Array.from({ length: n }, rnd);
  const errs = {};
  const note = (key, got, want) => {
    let num = 0, den = 0;
    for (let i = 0; i < want.length; i++) { num = Math.max(num, Math.abs(got[i] - want[i])); den = Math.max(den, Math.abs(want[i])); }
    errs[key] = Math.max(errs[key] ?? 0, num / den);
  };
  // gemm, every transpose, odd sizes; m·n·k above the one-call limit so tiles run on the pool
  for (const [tA, tB] of [[false, false], [true, false], [false, true], [true, true]]) {
    const m = 131, n = 97, k = 173;
    const a = rand(m * k), b = rand(k * n), c0 = rand(m * n);
    const ra = A.upload(a), rb = A.upload(b), rc = A.upload(c0);
    await rt.gemm({ transA: tA, transB: tB, m, n, k, alpha: 1.5, a: ra.offset, lda: tA ? m : k, b: rb.offset, ldb: tB ? k : n, beta: 0.5, c: rc.offset, ldc: n });
    const want = new Float64Array(m * n);
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += (tA ? a[p * m + i] : a[i * k + p]) * (tB ? b[j * k + p] : b[p * n + j]);
      want[i * n + j] = 1.5 * s + 0.5 * c0[i * n + j];
    }
    note('gemm', A.view(rc), want);
  }
  // syrk in row panels (n²k/2 > 2²¹), both triangles
  {
    const n = 301, k = 257;
    const a = rand(n * k);
    const ra = A.upload(a), rc = A.alloc(n * n);
    await rt.syrk({ trans: false, n, k, alpha: 1, a: ra.offset, lda: k, beta: 0, c: rc.offset, ldc: n });
    const want = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) { let s = 0; for (let p = 0; p < k; p++) s += a[i * k + p] * a[j * k + p]; want[i * n + j] = s; }
    note('syrk', A.view(rc), want);
  }
  // Cholesky (n = 100: one dpotrf; n = 600: the blocked native path), then L·Lᵀ·x = b by two solves
  for (const n of [100, 600]) {
    const g = rand(n * n), spd = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) {
      let s = i === j ? n : 0;
      for (let p = 0; p < n; p++) s += g[i * n + p] * g[j * n + p];
      spd[i * n + j] = s; spd[j * n + i] = s;
    }
    const ra = A.upload(spd), rl = A.alloc(n * n);
    await choleskyBlocked({ arena: A, syrk: (q) => rt.syrk(q), inline: await getRuntime(1) }, ra, rl, n, 'ilp64');
    const l = A.view(rl).slice();
    const llt = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) { let s = 0; for (let p = 0; p <= Math.min(i, j); p++) s += l[i * n + p] * l[j * n + p]; llt[i * n + j] = s; }
    note('cholesky', llt, spd);
    const x = rand(n * 3), b = new Float64Array(n * 3);
    for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) { let s = 0; for (let p = 0; p < n; p++) s += spd[i * n + p] * x[p * 3 + c]; b[i * 3 + c] = s; }
    const y = new Float64Array(n * 3), z = new Float64Array(n * 3);
    triSolve(l, b, y, n, 3, false);
    triSolve(l, y, z, n, 3, true);
    note('solve', z, x);
  }
  console.log(JSON.stringify({ info: blasInfo(), errs }));
  await shutdown();
`;

describe.skipIf(!LIB)('OpenBLAS ILP64 (scipy-openblas64, as bundled with numpy)', () => {
  it('is detected through LENSC_BLAS_LIB and matches naive loops', async () => {
    const { stdout } = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) => {
      execFile(
        process.execPath,
        ['--input-type=module', '-e', program],
        { env: { ...process.env, LENSC_BLAS: '', LENSC_BLAS_LIB: LIB }, timeout: 120_000 },
        (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve({ stdout, stderr })),
      );
    });
    const r = JSON.parse(stdout.trim().split('\n').pop()!);
    expect(r.info).toMatchObject({ backend: 'openblas', library: LIB, symbols: 'scipy-ilp64' });
    expect(r.info.config).toMatch(/USE64BITINT/);
    expect(Object.keys(r.errs).sort()).toEqual(['cholesky', 'gemm', 'solve', 'syrk']);
    for (const [what, e] of Object.entries(r.errs)) expect(e, what).toBeLessThan(1e-11);
  });
});
