// Without a CUDA driver the runtime must say so clearly and leave the process running.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CudaUnavailableError, getCuda, openCuda } from '../../backends/cuda/runtime/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
// On a GPU host getCuda() succeeds; the no-driver cases below then use a path that cannot exist.
const outcome = await getCuda().then(
  () => 'has-cuda' as const,
  (e: unknown) => e,
);

describe('CUDA unavailable', () => {
  it.skipIf(outcome === 'has-cuda')(
    'getCuda() rejects with CudaUnavailableError naming the missing driver',
    async () => {
      expect(outcome).toBeInstanceOf(CudaUnavailableError);
      expect((outcome as Error).message).toMatch(/^no CUDA driver: libcuda\.so\.1 not found/);
      expect((outcome as Error).message).toContain('LENSC_CUDA_DRIVER_PATH');
      // a failure is not cached: the next call tries again (and fails the same way here)
      await expect(getCuda()).rejects.toBeInstanceOf(CudaUnavailableError);
    },
  );

  it('an explicit driver path that does not exist is reported as such', async () => {
    const err = await openCuda({ driverPath: '/nonexistent/libcuda.so.1' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CudaUnavailableError);
    expect((err as Error).message).toContain('/nonexistent/libcuda.so.1');
  });

  it('a plain node process importing lensc/runtime/cuda survives getCuda() failing', () => {
    // what a generated module does: import the runtime by its package name, try CUDA, fall back
    const script = `
      import { getCuda, CudaUnavailableError } from 'lensc/runtime/cuda';
      try { await getCuda(); console.log('unexpected: got a device'); }
      catch (e) { console.log(JSON.stringify({ unavailable: e instanceof CudaUnavailableError, message: e.message })); }
      console.log('still alive');`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: root,
      env: { ...process.env, LENSC_CUDA_DRIVER_PATH: '/nonexistent/libcuda.so.1' },
      encoding: 'utf8',
    });
    const [json, alive] = out.trim().split('\n');
    expect(JSON.parse(json)).toMatchObject({ unavailable: true, message: expect.stringMatching(/^no CUDA driver/) });
    expect(alive).toBe('still alive');
  });
});
