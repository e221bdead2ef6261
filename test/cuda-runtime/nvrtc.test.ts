// NVRTC without a driver: CUDA C → cubin, errors carry NVRTC's log, and nvcc accepts the same source.
// Skips only when NVRTC is not installed outside CI; in CI (.ci/cuda-setup.sh installs it) a missing
// NVRTC is a failure.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  CudaCompileError,
  compileToCubin,
  nvrtcAvailable,
  nvrtcDefaultOptions,
  nvrtcInfo,
} from '../../backends/cuda/runtime/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const haveNvrtc = await nvrtcAvailable();
const missing = 'NVRTC (libnvrtc.so.13) not installed: run .ci/cuda-setup.sh or set LENSC_NVRTC_PATH';
const nvccPath = (() => {
  try {
    return execFileSync('sh', ['-c', 'command -v nvcc'], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
})();

// f64 with a transcendental, explicit qualifiers so nvcc takes it too (NVRTC's -default-device is a convenience)
const SOURCE = `
__device__ inline double phase(double x, double u) { return cos(6.283185307179586 * x * u); }
extern "C" __global__ void axpy_cos(double* __restrict__ y, const double* __restrict__ x, double a, double u, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) y[i] += a * phase(x[i], u);
}
`;

/** cubins are ELF files for machine EM_CUDA (190) */
function expectCubin(b: Uint8Array) {
  expect(Array.from(b.subarray(0, 4))).toEqual([0x7f, 0x45, 0x4c, 0x46]);
  expect(b[18] | (b[19] << 8)).toBe(190);
}

describe('NVRTC install', () => {
  it.runIf(!!process.env.CI && !haveNvrtc)('is present in CI', () => {
    throw new Error(`${missing} (the CI step .ci/cuda-setup.sh should have)`);
  });
});

describe.skipIf(!haveNvrtc)(haveNvrtc ? 'NVRTC' : `NVRTC (skipped: ${missing})`, () => {
  it('reports its version and targets sm_90', async () => {
    const info = await nvrtcInfo();
    expect(info.version[0]).toBeGreaterThanOrEqual(13);
    expect(info.archs).toContain(90);
    expect(nvrtcDefaultOptions('sm_90')).toContain('--gpu-architecture=sm_90');
  });

  it('compiles an f64 kernel to an sm_90 cubin that names the kernel', async () => {
    const cubin = await compileToCubin(SOURCE, 'sm_90', { name: 'axpy_cos.cu' });
    expectCubin(cubin);
    expect(Buffer.from(cubin).includes('axpy_cos')).toBe(true);
  });

  it('caches by source and arch: same bytes, and a file in the disk cache', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lensc-cuda-cache-test-'));
    const before = process.env.LENSC_CUDA_CACHE_DIR;
    process.env.LENSC_CUDA_CACHE_DIR = dir;
    try {
      const src = SOURCE + `\n// cache probe ${process.pid} ${Date.now()}\n`;
      const a = await compileToCubin(src, 'sm_90');
      const t0 = performance.now();
      const b = await compileToCubin(src, 'sm_90');
      expect(performance.now() - t0).toBeLessThan(20);
      expect(Buffer.from(b).equals(Buffer.from(a))).toBe(true);
      expect(fs.readdirSync(dir).filter((f) => f.endsWith('.cubin'))).toHaveLength(1);
      const c = await compileToCubin(src, 'sm_80'); // another arch is another entry
      expectCubin(c);
      expect(fs.readdirSync(dir).filter((f) => f.endsWith('.cubin'))).toHaveLength(2);
    } finally {
      if (before === undefined) delete process.env.LENSC_CUDA_CACHE_DIR;
      else process.env.LENSC_CUDA_CACHE_DIR = before;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a syntax error gives a CudaCompileError carrying NVRTC's log with the line", async () => {
    const bad = 'extern "C" __global__ void broken(double* y) {\n  y[0] = 1.0 +;\n}\n';
    const err = await compileToCubin(bad, 'sm_90', { name: 'broken.cu' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CudaCompileError);
    const e = err as CudaCompileError;
    expect(e.log).toMatch(/broken\.cu\(2\): error: expected an expression/);
    expect(e.message).toContain('NVRTC could not compile broken.cu for sm_90');
    expect(e.message).toContain(e.log.trim());
  });

  it('keeps libnvrtc-builtins loaded across garbage collection (koffi unloads unreferenced libraries)', () => {
    // NVRTC loaded, GC, then the first compile: it needs the preloaded builtins still mapped
    const script = `
      import { compileToCubin, nvrtcInfo } from 'lensc/runtime/cuda';
      await nvrtcInfo();
      for (let i = 0; i < 3; i++) { globalThis.gc(); await new Promise((r) => setTimeout(r, 10)); }
      const c = await compileToCubin('extern "C" __global__ void g(double* y) { y[0] = cos(y[1]); }', 'sm_90');
      console.log('cubin', c.length > 0);`;
    const out = execFileSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], {
      cwd: root,
      env: { ...process.env, LENSC_CUDA_CACHE: '0' },
      encoding: 'utf8',
    });
    expect(out.trim()).toBe('cubin true');
  });

  it('refuses an arch NVRTC cannot target, listing the ones it can', async () => {
    await expect(compileToCubin(SOURCE, 'sm_35')).rejects.toThrow(/cannot target sm_35; it supports sm_75, .*sm_90/);
    await expect(compileToCubin(SOURCE, 'compute_90')).rejects.toThrow(/must look like "sm_90"/);
  });
});

describe.skipIf(!nvccPath)(nvccPath ? 'nvcc' : 'nvcc (skipped: not on PATH)', () => {
  it('compiles the same source with nvcc -arch=sm_90 -cubin', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lensc-nvcc-'));
    try {
      fs.writeFileSync(path.join(dir, 'axpy_cos.cu'), SOURCE);
      execFileSync(
        'nvcc',
        ['-arch=sm_90', '-cubin', '-o', path.join(dir, 'axpy_cos.cubin'), path.join(dir, 'axpy_cos.cu')],
        { stdio: 'pipe' },
      );
      const cubin = new Uint8Array(fs.readFileSync(path.join(dir, 'axpy_cos.cubin')));
      expectCubin(cubin);
      expect(Buffer.from(cubin).includes('axpy_cos')).toBe(true);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
