// lensc's browser runtimes (backends/js/runtime/browser.js, support/browser.js), reached the way bundlers reach
// them — the "browser" export condition — in a Node process started with --conditions=browser: the std f64
// kernels (regularization, log evidence: gemm, syrk, Cholesky, triangular solves) give what the Node runtime
// gives within rounding, and rt.gemm / rt.syrk match loops written here. The page itself is test/browser/.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const PROGRAM = `
import { getRuntime, blasInfo } from 'lensc/runtime/js';
import { regularizationConstant } from './kernels/js/regularization_constant.js';
import { logEvidence } from './kernels/js/log_evidence.js';
const S = 23, K = 17;
const neighbors = [], sizes = [];
for (let i = 0; i < S; i++) { neighbors.push(i > 0 ? i - 1 : -1, i < S - 1 ? i + 1 : -1); sizes.push((i > 0) + (i < S - 1)); }
const H = await regularizationConstant({ coefficient: 1.3, neighbors, neighborsSizes: sizes });
const F = new Float64Array(S * S);
for (let i = 0; i < S; i++) for (let j = 0; j < S; j++) F[i * S + j] = Math.exp(-((i - j) ** 2) / 8) + (i === j ? 1 : 0);
const ev = await logEvidence({ curvature: F, regularization: H, dataVector: Array.from({ length: S }, (_, i) => Math.sin(i)),
  visibilities: Array.from({ length: 2 * K }, (_, i) => Math.cos(i)), noiseMap: new Array(2 * K).fill(0.5) });
// rt.gemm with both transposes and beta, rt.syrk, on arena buffers, against loops.
const rt = await getRuntime(3);
const m = 5, n = 4, k = 7;
const A = Float64Array.from({ length: k * m }, (_, i) => Math.sin(i + 1)), B = Float64Array.from({ length: n * k }, (_, i) => Math.cos(i));
const C0 = Float64Array.from({ length: m * n }, (_, i) => i / 3);
const a = rt.arena.upload(A, 'f64'), b = rt.arena.upload(B, 'f64'), c = rt.arena.upload(C0, 'f64');
await rt.gemm({ transA: true, transB: true, m, n, k, alpha: 2, a: a.offset, lda: m, b: b.offset, ldb: k, beta: 0.5, c: c.offset, ldc: n });
let gemmErr = 0;
const C = rt.arena.download(c);
for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
  let s = 0; for (let p = 0; p < k; p++) s += A[p * m + i] * B[j * k + p];
  gemmErr = Math.max(gemmErr, Math.abs(C[i * n + j] - (2 * s + 0.5 * C0[i * n + j])));
}
const d = rt.arena.alloc(m * m, 'f64');
await rt.syrk({ trans: true, n: m, k, alpha: 1, a: a.offset, lda: m, beta: 0, c: d.offset, ldc: m });
const Dm = rt.arena.download(d);
let syrkErr = 0;
for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) { let s = 0; for (let p = 0; p < k; p++) s += A[p * m + i] * A[p * m + j]; syrkErr = Math.max(syrkErr, Math.abs(Dm[i * m + j] - s)); }
console.log(JSON.stringify({ blas: blasInfo().backend, H: Array.from(H), ev: { ...ev, reconstruction: Array.from(ev.reconstruction) }, gemmErr, syrkErr }));
`;

const run = (conditions: string[]) =>
  JSON.parse(
    execFileSync(process.execPath, [...conditions, '--input-type=module', '-e', PROGRAM], { encoding: 'utf8' }),
  );

describe('the browser runtimes (export condition "browser")', () => {
  it('export everything the Node runtimes export (generated kernels import either)', async () => {
    for (const [node, browser] of [
      ['../../backends/js/runtime/index.js', '../../backends/js/runtime/browser.js'],
      ['../../backends/js/support/index.js', '../../backends/js/support/browser.js'],
    ] as const) {
      const [n, b] = [await import(node), await import(browser)];
      const missing = Object.keys(n).filter((k) => !(k in b));
      expect(missing, browser).toEqual([]);
    }
  });
  it('run the std f64 kernels like the Node runtime, and gemm/syrk like loops', () => {
    const browser = run(['--conditions=browser']);
    const node = run([]);
    expect(browser.blas).toBe('js');
    expect(node.blas).not.toBe('js');
    expect(browser.H).toEqual(node.H);
    // Different summation orders (plain loops vs OpenBLAS / WebAssembly) on H, whose 1e-8 diagonal makes it
    // condition ~1e9 (a path graph's Laplacian is singular): ln det H agrees to ~1e-9 relative, the rest closer.
    for (const key of [
      'logEvidence',
      'chiSquared',
      'regularizationTerm',
      'logDetCurvatureReg',
      'logDetRegularization',
      'noiseNormalization',
    ]) {
      expect(Math.abs(browser.ev[key] - node.ev[key]), key).toBeLessThanOrEqual(
        1e-8 * Math.max(1, Math.abs(node.ev[key])),
      );
    }
    for (let i = 0; i < node.ev.reconstruction.length; i++)
      expect(Math.abs(browser.ev.reconstruction[i] - node.ev.reconstruction[i])).toBeLessThan(1e-8);
    expect(browser.gemmErr).toBeLessThan(1e-13);
    expect(browser.syrkErr).toBeLessThan(1e-13);
  });
});
