// The WebAssembly kernels' two variants: with relaxed SIMD (f64x2.relaxed_madd, fused on CPUs with FMA) where
// the engine has it — Node 20 after the V8 flag the runtime sets — and the plain multiply-then-add kernels
// (LENSC_WASM_SIMD=plain, and engines without relaxed SIMD). Both agree to rounding (≤ 1e-12 relative), and
// each is bitwise identical across thread counts (blas.test.ts checks the latter for whichever variant runs).
import { execFile } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { shutdown } from '../../backends/js/runtime/index.js';
import { wasmSimdVariant } from '../../backends/js/runtime/blas-tasks.js';

afterAll(() => shutdown());

const RUNTIME = new URL('../../backends/js/runtime/index.js', import.meta.url).href;
const N = 130,
  K = 1000;

/** syrk and gemm of fixed pseudo-random inputs on the WebAssembly path, as base64 of the f64 results. */
const program = (runtime: string) => `
  const { getRuntime, shutdown, useNativeBlas } = await import(${JSON.stringify(runtime)});
  useNativeBlas(false);
  const out = [];
  for (const threads of [1, 2]) {
    const rt = await getRuntime(threads);
    const n = ${N}, k = ${K};
    const a = new Float64Array(n * k); let s = 7;
    for (let i = 0; i < a.length; i++) { s = (s * 1103515245 + 12345) % 2147483648; a[i] = s / 2147483648 - 0.5; }
    const A = rt.arena.upload(a), C = rt.arena.alloc(n * n), D = rt.arena.alloc(n * n);
    await rt.syrk({ trans: false, n, k, alpha: 1, a: A.offset, lda: k, beta: 0, c: C.offset, ldc: n });
    await rt.gemm({ transA: true, transB: false, m: n, n, k: n, alpha: 1, a: C.offset, lda: n, b: C.offset, ldb: n, beta: 0, c: D.offset, ldc: n });
    out.push([rt.arena.download(C), rt.arena.download(D)].map((x) => Buffer.from(x.buffer).toString('base64')));
    [A, C, D].forEach((r) => rt.arena.free(r));
  }
  return out;
`;

function runChild(env: NodeJS.ProcessEnv): Promise<string[][]> {
  const src = `const r = await (async () => { ${program(RUNTIME)} })(); console.log(JSON.stringify(r)); (await import(${JSON.stringify(RUNTIME)})).shutdown();`;
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      ['--input-type=module', '-e', src],
      { env: { ...process.env, ...env }, timeout: 60_000 },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`${err.message}\n${stderr}`));
        else resolve(JSON.parse(stdout.trim().split('\n').pop()!));
      },
    );
  });
}

const f64 = (b64: string) => {
  const b = Buffer.from(b64, 'base64');
  return new Float64Array(b.buffer, b.byteOffset, b.byteLength / 8);
};
function relDiff(a: Float64Array, b: Float64Array) {
  let num = 0,
    den = 0;
  for (let i = 0; i < a.length; i++) {
    num = Math.max(num, Math.abs(a[i]! - b[i]!));
    den = Math.max(den, Math.abs(b[i]!));
  }
  return num / den;
}

describe('WebAssembly kernels with and without relaxed SIMD', () => {
  it('Node here runs the relaxed (fused) variant', () => {
    expect(wasmSimdVariant()).toBe('relaxed');
  });

  it('relaxed and plain agree to 1e-12 relative; each is identical for 1 and 2 threads', async () => {
    const [relaxed, plain] = await Promise.all([
      runChild({ LENSC_BLAS: 'wasm' }),
      runChild({ LENSC_BLAS: 'wasm', LENSC_WASM_SIMD: 'plain' }),
    ]);
    for (const r of [relaxed, plain]) expect(r[1]).toEqual(r[0]); // threads 2 = threads 1, bitwise
    for (let j = 0; j < 2; j++) expect(relDiff(f64(relaxed[0]![j]!), f64(plain[0]![j]!))).toBeLessThan(1e-12);
  });
});
