// The runtime's driver and cuBLAS bindings, exercised end to end against stand-in libraries built from
// fake/*.c (host memory, host "kernels", naive BLAS). The fakes include the real cuda.h, so what this
// checks is the marshalling the GPU host will see: argument order and types, out-parameters, error
// names, launch parameter arrays, typed-array views, and the row-major BLAS recipes in index.d.ts.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import koffi from 'koffi';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CudaError,
  CudaUnavailableError,
  nvrtcAvailable,
  openCuda,
  type Cuda,
  type DevicePtr,
} from '../../backends/cuda/runtime/index.js';
import { buildFakes } from './fake/build.ts';

const fakes = buildFakes();
const haveNvrtc = await nvrtcAvailable();
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
// an ELF header is all the fake driver checks of a module image
const FAKE_CUBIN = new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]);

describe.skipIf(!!fakes.skip)(
  fakes.skip ? `fake CUDA driver (skipped: ${fakes.skip})` : 'runtime on a fake CUDA driver',
  () => {
    let cu: Cuda;
    let hooks: { lastLaunch(what: number): number; maxDynShared(): number };
    beforeAll(async () => {
      cu = await openCuda({ driverPath: fakes.driver!, cublasPath: fakes.cublas! });
      const lib = koffi.load(fakes.driver!); // the same handle the runtime holds
      hooks = {
        lastLaunch: lib.func('unsigned int fake_last_launch(int)'),
        maxDynShared: lib.func('int fake_max_dynamic_shared(void)'),
      };
    });

    /** device buffer holding `data` */
    function put(data: Float64Array): DevicePtr {
      const p = cu.alloc(data.byteLength);
      cu.upload(p, data);
      return p;
    }
    function get(p: DevicePtr, n: number) {
      const out = new Float64Array(n);
      cu.download(p, out);
      return out;
    }
    const rand = (n: number, seed: number) => {
      let s = seed;
      return Float64Array.from({ length: n }, () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648 - 0.5);
    };

    it('reads the device and builds the capability record', () => {
      expect(cu.device).toMatchObject({
        name: 'Fake GPU (lensc test)',
        computeCapability: [9, 0],
        multiProcessors: 132,
        driverVersion: 13000,
      });
      expect(cu.arch).toBe('sm_90');
      const caps = cu.capabilities();
      expect(Object.keys(caps).sort()).toEqual([
        'maxBufferBytes',
        'maxGridDim',
        'maxThreadsPerBlock',
        'memoryBytes',
        'sharedMemPerBlock',
        'supportsF64',
        'target',
      ]);
      expect(caps).toMatchObject({
        target: 'cuda',
        supportsF64: true,
        maxThreadsPerBlock: 1024,
        maxGridDim: [2147483647, 65535, 65535],
        sharedMemPerBlock: 49152,
      });
      expect(caps.memoryBytes).toBe(cu.memInfo().free);
    });

    it('reports "no CUDA device" when the driver finds none', async () => {
      process.env.FAKE_CUDA_DEVICES = '0';
      try {
        const err = await openCuda({ driverPath: fakes.driver! }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(CudaUnavailableError);
        expect((err as Error).message).toMatch(/^no CUDA device: .*CUDA_ERROR_NO_DEVICE/);
      } finally {
        delete process.env.FAKE_CUDA_DEVICES;
      }
    });

    it('copies typed arrays both ways, honouring views, SharedArrayBuffers and interior pointers', () => {
      const p = cu.alloc(64);
      const backing = new Float64Array([9, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      cu.upload(p, backing.subarray(1, 9)); // byteOffset 8
      expect(Array.from(get(p, 8))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      const shared = new Float64Array(new SharedArrayBuffer(16));
      cu.download(p + 16n, shared); // interior pointer, into shared memory (what the JS backend uses)
      expect(Array.from(shared)).toEqual([3, 4]);
      cu.memsetZero(p + 8n, 16);
      expect(Array.from(get(p, 4))).toEqual([1, 0, 0, 4]);
      const i32 = new Int32Array([1, -2]);
      cu.upload(p, i32);
      const back = new Int32Array(2);
      cu.download(p, back);
      expect(Array.from(back)).toEqual([1, -2]);
      cu.free(p);
    });

    it('refuses copies outside a buffer, double frees, and reports out-of-memory by name', () => {
      const p = cu.alloc(32);
      expect(() => cu.upload(p, new Float64Array(5))).toThrow(/upload: 40 bytes do not fit the 32-byte device buffer/);
      expect(() => cu.download(p + 24n, new Float64Array(2))).toThrow(/offset 24 do not fit/);
      expect(() => cu.memsetZero(p, 33)).toThrow(RangeError);
      cu.free(p);
      expect(() => cu.free(p)).toThrow(/not a live allocation/);
      expect(() => cu.upload(p, new Float64Array(1))).toThrow(/not inside any live device allocation/);
      expect(cu.alloc(0)).toBe(0n);
      cu.free(0n);
      const err = (() => {
        try {
          cu.alloc(2 ** 40);
        } catch (e) {
          return e;
        }
      })() as CudaError;
      expect(err).toBeInstanceOf(CudaError);
      expect(err.name).toBe('CUDA_ERROR_OUT_OF_MEMORY');
      expect(err.code).toBe(2);
      expect(err.message).toMatch(
        /^cuMemAlloc_v2 failed: CUDA_ERROR_OUT_OF_MEMORY \(2\): out of memory; requested 1099511627776 bytes/,
      );
    });

    it('launches with f64/i32 arguments and checks launch dimensions', () => {
      const mod = cu.loadCubin(FAKE_CUBIN, 'fake.cubin');
      const n = 10;
      const y = put(new Float64Array(n).fill(1)),
        x = put(Float64Array.from({ length: n }, (_, i) => i));
      mod.fn('axpy').launch([1, 1, 1], [32, 1, 1], [{ ptr: y }, { ptr: x }, { f64: 0.5 }, { i32: n }]);
      cu.synchronize();
      expect(Array.from(get(y, n))).toEqual(Array.from({ length: n }, (_, i) => 1 + 0.5 * i));
      expect([0, 1, 2, 3, 4, 5].map(hooks.lastLaunch)).toEqual([1, 1, 1, 32, 1, 1]);

      const f = mod.fn('axpy');
      expect(() => f.launch([1, 1, 1], [64, 32, 1], [])).toThrow(/block has 2048 threads, the device allows 1024/);
      expect(() => f.launch([1, 70000, 1], [1, 1, 1], [])).toThrow(
        /grid\[1\] = 70000: must be an integer in 1\.\.65535/,
      );
      expect(() => f.launch([0, 1, 1], [1, 1, 1], [])).toThrow(RangeError);
      expect(() => f.launch([1, 1, 1], [1, 1, 1], [], 300_000)).toThrow(
        /300000 bytes of shared memory, the device allows 232448/,
      );
      f.launch([1, 1, 1], [1, 1, 1], [{ ptr: y }, { ptr: x }, { f64: 0 }, { i32: 0 }], 100_000);
      expect(hooks.maxDynShared()).toBe(100_000); // opted in before the launch
      expect(hooks.lastLaunch(6)).toBe(100_000);
      cu.free(y);
      cu.free(x);
    });

    it('passes i32, u32, i64 and f32 arguments with their exact bytes', () => {
      const out = cu.alloc(32);
      cu.loadCubin(FAKE_CUBIN)
        .fn('int_kinds')
        .launch(
          [1, 1, 1],
          [1, 1, 1],
          [{ ptr: out }, { i32: -5 }, { u32: 4_000_000_000 }, { i64: 2n ** 40n + 3n }, { f32: 2.5 }],
        );
      const got = new BigInt64Array(4);
      cu.download(out, got);
      expect(Array.from(got)).toEqual([-5n, 4_000_000_000n, 2n ** 40n + 3n, 10n]);
      cu.free(out);
    });

    it('names a missing kernel and a bad image in its errors', () => {
      const mod = cu.loadCubin(FAKE_CUBIN, 'fake.cubin');
      expect(() => mod.fn('nope')).toThrow(
        /cuModuleGetFunction failed: CUDA_ERROR_NOT_FOUND .*no kernel "nope" in fake\.cubin .*extern "C"/,
      );
      expect(() => cu.loadCubin(new Uint8Array([1, 2, 3, 4]), 'junk')).toThrow(
        /cuModuleLoadData failed: CUDA_ERROR_INVALID_IMAGE/,
      );
    });

    it.skipIf(!haveNvrtc)('compile() goes through NVRTC for the device arch and caches the module', async () => {
      const src =
        'extern "C" __global__ void axpy(double* y, const double* x, double a, int n) { int i = threadIdx.x; if (i < n) y[i] += a * x[i]; }';
      const m1 = await cu.compile(src, { name: 'axpy.cu' });
      const m2 = await cu.compile(src, { name: 'axpy.cu' });
      expect(m2).toBe(m1);
      const y = put(new Float64Array([1, 2])),
        x = put(new Float64Array([10, 20]));
      m1.fn('axpy').launch([1, 1, 1], [2, 1, 1], [{ ptr: y }, { ptr: x }, { f64: 2 }, { i32: 2 }]);
      expect(Array.from(get(y, 2))).toEqual([21, 42]);
    });

    /** column-major reference: C = alpha·op(A)·op(B) + beta·C */
    function refGemm(
      ta: boolean,
      tb: boolean,
      m: number,
      n: number,
      k: number,
      alpha: number,
      A: Float64Array,
      lda: number,
      B: Float64Array,
      ldb: number,
      beta: number,
      C: Float64Array,
      ldc: number,
    ) {
      const out = C.slice();
      for (let j = 0; j < n; j++)
        for (let i = 0; i < m; i++) {
          let s = 0;
          for (let l = 0; l < k; l++)
            s += (ta ? A[l + i * lda] : A[i + l * lda]) * (tb ? B[j + l * ldb] : B[l + j * ldb]);
          out[i + j * ldc] = alpha * s + beta * C[i + j * ldc];
        }
      return out;
    }

    it('dgemm matches a JS loop for every transpose combination, with padded leading dimensions', () => {
      const [m, n, k] = [5, 3, 4];
      for (const ta of [false, true])
        for (const tb of [false, true]) {
          const lda = (ta ? k : m) + 2,
            ldb = (tb ? n : k) + 1,
            ldc = m + 3;
          const A = rand(lda * (ta ? m : k), 1),
            B = rand(ldb * (tb ? k : n), 2),
            C = rand(ldc * n, 3);
          const pA = put(A),
            pB = put(B),
            pC = put(C);
          cu.dgemm(ta, tb, m, n, k, 1.5, pA, lda, pB, ldb, -0.5, pC, ldc);
          const want = refGemm(ta, tb, m, n, k, 1.5, A, lda, B, ldb, -0.5, C, ldc);
          const got = get(pC, C.length);
          for (let i = 0; i < got.length; i++) expect(Math.abs(got[i] - want[i])).toBeLessThan(1e-12);
          cu.free(pA);
          cu.free(pB);
          cu.free(pC);
        }
    });

    it('the row-major recipes of index.d.ts give row-major results', () => {
      // row-major C(m×n) = A(m×k)·B(k×n)
      const [m, n, k] = [4, 3, 5];
      const A = rand(m * k, 4),
        B = rand(k * n, 5);
      const pA = put(A),
        pB = put(B),
        pC = cu.alloc(8 * m * n);
      cu.dgemm(false, false, n, m, k, 1, pB, n, pA, k, 0, pC, n);
      const C = get(pC, m * n);
      for (let i = 0; i < m; i++)
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let l = 0; l < k; l++) s += A[i * k + l] * B[l * n + j];
          expect(Math.abs(C[i * n + j] - s)).toBeLessThan(1e-12);
        }
      // row-major C(m×m) = A·Aᵀ, lower triangle (row-major) wanted → 'upper' for cuBLAS, trans = true
      const pS = cu.alloc(8 * m * m);
      cu.memsetZero(pS, 8 * m * m);
      cu.dsyrk('upper', true, m, k, 1, pA, k, 0, pS, m);
      const S = get(pS, m * m);
      for (let i = 0; i < m; i++)
        for (let j = 0; j <= i; j++) {
          let s = 0;
          for (let l = 0; l < k; l++) s += A[i * k + l] * A[j * k + l];
          expect(Math.abs(S[i * m + j] - s)).toBeLessThan(1e-12);
        }
      for (const p of [pA, pB, pC, pS]) cu.free(p);
    });

    it('dsyrk writes only its triangle; symmetrize completes the matrix', () => {
      const [n, k] = [6, 4];
      for (const uplo of ['lower', 'upper'] as const)
        for (const trans of [false, true]) {
          const lda = (trans ? k : n) + 1,
            ldc = n + 2;
          const A = rand(lda * (trans ? n : k), 7);
          const pA = put(A),
            pC = put(new Float64Array(ldc * n).fill(99));
          cu.dsyrk(uplo, trans, n, k, 2, pA, lda, 0, pC, ldc);
          const C = get(pC, ldc * n);
          const want = (i: number, j: number) => {
            let s = 0;
            for (let l = 0; l < k; l++) s += trans ? A[l + i * lda] * A[l + j * lda] : A[i + l * lda] * A[j + l * lda];
            return 2 * s;
          };
          for (let j = 0; j < n; j++)
            for (let i = 0; i < n; i++) {
              const inTri = uplo === 'lower' ? i >= j : i <= j;
              if (inTri) expect(Math.abs(C[i + j * ldc] - want(i, j))).toBeLessThan(1e-12);
              else expect(C[i + j * ldc]).toBe(99);
            }
          if (haveNvrtc) {
            // symmetrize compiles its kernel with NVRTC; the fake runs a host copy of it
            cu.symmetrize(pC, n, ldc, uplo);
            const F = get(pC, ldc * n);
            for (let j = 0; j < n; j++)
              for (let i = 0; i < n; i++) expect(Math.abs(F[i + j * ldc] - want(i, j))).toBeLessThan(1e-12);
          }
          cu.free(pA);
          cu.free(pC);
        }
    });

    it('checks BLAS arguments before calling cuBLAS', () => {
      const p = cu.alloc(8 * 4);
      expect(() => cu.dgemm(false, false, 2, 2, 2, 1, p, 1, p, 2, 0, p, 2)).toThrow(
        /dgemm A: leading dimension must be an integer in 2\.\./,
      );
      expect(() => cu.dgemm(false, false, 3, 3, 3, 1, p, 3, p, 3, 0, p, 3)).toThrow(
        /dgemm A: 72 bytes do not fit the 32-byte/,
      );
      expect(() => cu.dsyrk('both' as never, false, 2, 2, 1, p, 2, 0, p, 2)).toThrow(/uplo must be 'lower' or 'upper'/);
      expect(() => cu.dgemm('X' as never, false, 2, 2, 2, 1, p, 2, p, 2, 0, p, 2)).toThrow(/transA must be a boolean/);
      cu.dgemm('N', 'T', 2, 2, 0, 1, p, 2, p, 2, 0, p, 2); // k = 0: C = beta·C, A/B unread
      cu.free(p);
    });

    it('time() returns the result and non-negative milliseconds from CUDA events', () => {
      const r = cu.time(() => 42);
      expect(r.result).toBe(42);
      expect(r.ms).toBeGreaterThanOrEqual(0);
    });

    it('a missing cuBLAS is CudaUnavailableError at the first BLAS call, not at open', async () => {
      const c2 = await openCuda({ driverPath: fakes.driver!, cublasPath: '/nonexistent/libcublas.so.13' });
      const p = c2.alloc(32);
      expect(() => c2.dgemm(false, false, 2, 2, 2, 1, p, 2, p, 2, 0, p, 2)).toThrow(CudaUnavailableError);
      expect(() => c2.dgemm(false, false, 2, 2, 2, 1, p, 2, p, 2, 0, p, 2)).toThrow(/cuBLAS not found/);
      c2.free(p);
    });

    it('a generated-module-style script gets the device via LENSC_CUDA_DRIVER_PATH and lensc/runtime/cuda', () => {
      const script = `
      import { getCuda } from 'lensc/runtime/cuda';
      const cu = await getCuda();
      const p = cu.alloc(16); cu.upload(p, new Float64Array([3, 4]));
      const o = new Float64Array(2); cu.download(p, o); cu.free(p);
      console.log(cu.device.name, o.join(','));`;
      const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
        cwd: root,
        env: { ...process.env, LENSC_CUDA_DRIVER_PATH: fakes.driver! },
        encoding: 'utf8',
      });
      expect(out.trim()).toBe('Fake GPU (lensc test) 3,4');
    });

    it.skipIf(!haveNvrtc)('the GPU self-test (bench/gpu/selftest.js) passes end to end at small scale', () => {
      // keeps the script the integrator runs on the GPU host from rotting between GPU runs
      const out = execFileSync(process.execPath, ['bench/gpu/selftest.js'], {
        cwd: root,
        encoding: 'utf8',
        env: {
          ...process.env,
          LENSC_SELFTEST_SCALE: 'small',
          LENSC_CUDA_DRIVER_PATH: fakes.driver!,
          LENSC_CUBLAS_PATH: fakes.cublas!,
          OUT: '',
        },
      });
      expect(out).not.toMatch(/^FAIL/m);
      expect(out.trim().split('\n').at(-1)).toMatch(/^\d+ passed, 0 failed$/);
    });
  },
);
