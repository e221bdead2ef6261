// @ts-check
// Runtime basics on the real GPU: NVRTC compile + launch of an f64 kernel, copies, memset, errors that
// must be thrown in JS (not sticky device faults), CUDA event timing. Small and fast.
import { FILL_NAME, FILL_SOURCE, expectBelow, fillHost, maxAbsDiff } from './util.js';

const AXPY_COS = `
extern "C" __global__ void lensc_selftest_axpy_cos(double* __restrict__ y, const double* __restrict__ x,
                                                   double a, double u, int n) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) y[i] += a * cos(u * x[i]);
}
`;

/** @typedef {{ cu: import('lensc/runtime/cuda').Cuda, rt: typeof import('lensc/runtime/cuda'), scale: string, alloc(b: number): bigint,
 *   metric(n: string, v: number, u: string): void, log(s: string): void }} Ctx */

export default [
  {
    name: 'f64 kernel: NVRTC compile, launch, result vs JS',
    /** @param {Ctx} ctx */
    async run({ cu, alloc, metric }) {
      const n = 1 << 20;
      const x = Float64Array.from({ length: n }, (_, i) => (i % 1000) / 37 - 13);
      const y = Float64Array.from({ length: n }, (_, i) => i / n);
      const px = alloc(8 * n),
        py = alloc(8 * n);
      cu.upload(px, x);
      cu.upload(py, y);
      const t0 = performance.now();
      const mod = await cu.compile(AXPY_COS, { name: 'selftest_axpy_cos.cu' });
      metric('compile (NVRTC or cache) + load', performance.now() - t0, 'ms');
      const [a, u] = [0.75, 2.3];
      mod
        .fn('lensc_selftest_axpy_cos')
        .launch([n / 256, 1, 1], [256, 1, 1], [{ ptr: py }, { ptr: px }, { f64: a }, { f64: u }, { i32: n }]);
      const got = new Float64Array(n);
      cu.download(py, got);
      const want = y.map((v, i) => v + a * Math.cos(u * x[i]));
      const err = maxAbsDiff(got, want);
      expectBelow(err, 1e-14, 'y + a·cos(u·x)'); // CUDA's and V8's cos differ by at most an ulp or two
      return `max |err| ${err.toExponential(2)}`;
    },
  },
  {
    name: 'device fill kernel matches its JS twin bit for bit',
    /** @param {Ctx} ctx */
    async run({ cu, alloc }) {
      const n = 100_003;
      const p = alloc(8 * n);
      const mod = await cu.compile(FILL_SOURCE, { name: 'selftest_fill.cu' });
      mod.fn(FILL_NAME).launch([64, 1, 1], [256, 1, 1], [{ ptr: p }, { i64: n }, { i64: 99 }]); // grid-stride loop
      const got = new Float64Array(n);
      cu.download(p, got);
      const err = maxAbsDiff(got, fillHost(n, 99));
      if (err !== 0) throw new Error(`fill differs from hash01 by ${err}`);
    },
  },
  {
    name: 'copies: views, interior pointers, memsetZero, bandwidth',
    /** @param {Ctx} ctx */
    async run({ cu, alloc, metric, scale }) {
      const p = alloc(64);
      const host = new Float64Array([9, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      cu.upload(p, host.subarray(1, 9));
      cu.memsetZero(p + 16n, 16);
      const back = new Float64Array(new SharedArrayBuffer(64));
      cu.download(p, back);
      if (back.join() !== '1,2,0,0,5,6,7,8') throw new Error(`round trip gave ${back.join()}`);
      let threw = false;
      try {
        cu.upload(p + 32n, new Float64Array(5));
      } catch (e) {
        threw = e instanceof RangeError;
      }
      if (!threw) throw new Error('an upload past the buffer end was not refused');

      const bytes = scale === 'small' ? 1 << 20 : 256 << 20;
      const big = new Float64Array(bytes / 8).fill(1.5);
      const q = alloc(bytes);
      let t = performance.now();
      cu.upload(q, big);
      const up = performance.now() - t;
      t = performance.now();
      cu.download(q, big);
      const down = performance.now() - t;
      metric('upload (pageable)', bytes / up / 1e6, 'GB/s');
      metric('download (pageable)', bytes / down / 1e6, 'GB/s');
    },
  },
  {
    name: 'bad launches and names fail in JS, the context stays usable',
    /** @param {Ctx} ctx */
    async run({ cu, rt, alloc }) {
      const mod = await cu.compile(FILL_SOURCE, { name: 'selftest_fill.cu' });
      /** @param {() => void} f @param {RegExp} re */
      const expectThrow = (f, re) => {
        try {
          f();
        } catch (e) {
          if (!re.test(String(e instanceof Error ? e.message : e))) throw new Error(`wrong error: ${String(e)}`);
          return e;
        }
        throw new Error(`expected an error matching ${re}`);
      };
      const e = expectThrow(() => mod.fn('no_such_kernel'), /CUDA_ERROR_NOT_FOUND/);
      if (!(e instanceof rt.CudaError)) throw new Error('a missing kernel should be a CudaError');
      expectThrow(() => mod.fn(FILL_NAME).launch([1, 1, 1], [32, 64, 1], []), /block has 2048 threads/);
      expectThrow(() => cu.alloc(2 ** 50), /CUDA_ERROR_OUT_OF_MEMORY/);
      const err = await cu.compile('extern "C" __global__ void k( { }', { name: 'broken.cu' }).catch((x) => x);
      if (!(err instanceof rt.CudaCompileError) || !/broken\.cu\(1\)/.test(err.log))
        throw new Error(`compile error lacks the log: ${err}`);
      const p = alloc(8); // still fine afterwards
      cu.memsetZero(p, 8);
    },
  },
  {
    name: 'time() measures GPU work with events',
    /** @param {Ctx} ctx */
    async run({ cu, alloc, metric, scale }) {
      const n = scale === 'small' ? 1 << 16 : 1 << 27; // 1 GiB of doubles: long enough to time
      const p = alloc(8 * n);
      const mod = await cu.compile(FILL_SOURCE, { name: 'selftest_fill.cu' });
      const f = mod.fn(FILL_NAME);
      f.launch([1024, 1, 1], [256, 1, 1], [{ ptr: p }, { i64: n }, { i64: 1 }]); // warm up
      const { result, ms } = cu.time(() => {
        f.launch([4 * cu.device.multiProcessors * 8, 1, 1], [256, 1, 1], [{ ptr: p }, { i64: n }, { i64: 2 }]);
        return 'done';
      });
      if (result !== 'done' || !(ms > 0)) throw new Error(`time() gave ${result}, ${ms} ms`);
      metric('fill write bandwidth', (8 * n) / ms / 1e6, 'GB/s');
    },
  },
];
