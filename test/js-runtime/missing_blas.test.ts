// Without a native BLAS (here: LENSC_BLAS_LIB naming a file that does not exist) everything runs on the
// WebAssembly kernels: never an error, one warning per process, and blasInfo() says why.
import { execFile } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const RUNTIME = new URL('../../backends/js/runtime/index.js', import.meta.url).href;

const program = `
  const { getRuntime, shutdown, blasInfo } = await import(${JSON.stringify(RUNTIME)});
  const rt = await getRuntime(2);
  const n = 300, k = 200;
  const a = new Float64Array(n * k).map((_, i) => Math.sin(i));
  const A = rt.arena.upload(a), C = rt.arena.alloc(n * n);
  let worst = 0;
  for (let rep = 0; rep < 2; rep++) {
    await rt.syrk({ trans: false, n, k, alpha: 1, a: A.offset, lda: k, beta: 0, c: C.offset, ldc: n });
    const c = rt.arena.view(C);
    for (const [i, j] of [[0, 0], [17, 250], [299, 3]]) {
      let s = 0; for (let p = 0; p < k; p++) s += a[i * k + p] * a[j * k + p];
      worst = Math.max(worst, Math.abs(c[i * n + j] - s) / Math.abs(s));
    }
  }
  console.log(JSON.stringify({ info: blasInfo(), worst }));
  await shutdown();
`;

describe('no native BLAS', () => {
  it('runs on the WebAssembly kernels, warns once and says why', async () => {
    const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) => {
      execFile(
        process.execPath,
        ['--input-type=module', '-e', program],
        { env: { ...process.env, LENSC_BLAS: '', LENSC_BLAS_LIB: '/nonexistent/libopenblas.so.0' }, timeout: 60_000 },
        (err, stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve({ stdout, stderr })),
      );
    });
    const r = JSON.parse(stdout.trim().split('\n').pop()!);
    expect(r.info.backend).toBe('wasm');
    expect(r.info.reason).toContain('/nonexistent/libopenblas.so.0');
    expect(r.worst).toBeLessThan(1e-12);
    expect(stderr.match(/lensc: no native BLAS/g)?.length).toBe(1);
  });
});
