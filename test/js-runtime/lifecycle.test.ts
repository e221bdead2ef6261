// lifecycle.test.ts — what a plain `node` program sees: the runtime imports without tooling, workers never keep
// a finished process alive (no shutdown() needed), yet an awaited parallelFor does keep it alive; and
// blas-wasm.js is up to date with blas.wat.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { assembleBlas, renderBlasModule } from '../../backends/js/runtime/build-blas.ts';

const RUNTIME = new URL('../../backends/js/runtime/index.js', import.meta.url).href;
const TASKS = new URL('./fixtures/tasks.mjs', import.meta.url).href;

function runNode(source: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--input-type=module', '-e', source], { timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({
        code: err ? (((err as NodeJS.ErrnoException & { code?: number }).code as unknown as number) ?? 1) : 0,
        stdout,
        stderr,
      });
    });
  });
}

describe('process lifecycle under plain node', () => {
  it('exits by itself after gemm and a slow parallelFor, without shutdown()', async () => {
    const r = await runNode(`
      import * as rt from ${JSON.stringify(RUNTIME)};
      const r = await rt.getRuntime(2);
      const out = r.arena.alloc(8, 'i32');
      // The worker's piece outlives the main thread's: only a ref'd worker keeps the process waiting for it.
      await r.parallelFor(${JSON.stringify(TASKS)}, 'slow', 0, 8, { ms: 300, out });
      const a = r.arena.upload(new Float64Array(64 * 64).fill(1)), c = r.arena.alloc(64 * 64);
      await r.syrk({ trans: false, n: 64, k: 64, alpha: 1, a: a.offset, lda: 64, beta: 0, c: c.offset, ldc: 64 });
      console.log(Array.from(r.arena.view(out)).join(','), r.arena.view(c)[100]);
    `);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('1,1,1,1,1,1,1,1 64');
    expect(r.code).toBe(0);
  });

  it('refuses getRuntime() inside a pool worker', async () => {
    const r = await runNode(`
      import * as rt from ${JSON.stringify(RUNTIME)};
      const r = await rt.getRuntime(2);
      const url = 'data:text/javascript,' + encodeURIComponent(
        "import * as rt from '${RUNTIME}'; export const __tasks = { async nest() { await rt.getRuntime(2); } };");
      await r.parallelFor(url, 'nest', 0, 2, {}).catch((e) => console.log(e.message));
    `);
    expect(r.stdout).toContain('cannot be called inside a lensc pool worker');
    expect(r.code).toBe(0);
  });
});

describe('blas-wasm.js', () => {
  it('is what build-blas.ts assembles from blas.wat (run it after editing the .wat)', async () => {
    const committed = await readFile(
      fileURLToPath(new URL('../../backends/js/runtime/blas-wasm.js', import.meta.url)),
      'utf8',
    );
    expect(committed).toBe(renderBlasModule(await assembleBlas(), await assembleBlas(true)));
  });
});
