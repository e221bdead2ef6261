// The CUDA backend end to end on an emulated device (test/cuda/emu: the fake driver and cuBLAS, with
// the generated kernels compiled as host C++): every std kernel against the JS backend to 1e-10 on the
// small random cases the GPU conformance check uses, plus what the GPU host cannot easily show —
// chunk loops under a small budget, the blocked SYRK, Python-style integer semantics, scatter index
// errors named as on JS. Skips (with the reason) without a C compiler, cuda.h or NVRTC.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shutdown } from '../../backends/js/runtime/index.js';
import { nvrtcAvailable } from '../../backends/cuda/runtime/index.js';
import {
  cast,
  div,
  f64,
  i32,
  isKernel,
  kernel,
  max,
  maximum,
  minimum,
  mod,
  scatterAdd,
  sizes,
  sum,
  type Kernel,
} from '../../dsl/index.ts';
import * as std from '../../std/index.ts';
import { compareOutputs, rng, stdCases } from '../../bench/gpu/cases.mjs';
import { buildAndImport } from '../helpers/build.ts';
import { buildEmu } from './emu/emu.ts';
import { writeCudaModule } from './helpers.ts';

const emu = buildEmu();
// before anything opens the device: the runtime reads these on its first getCuda()
if (emu.skip === undefined) Object.assign(process.env, emu.env);
const skip =
  emu.skip ?? ((await nvrtcAvailable()) ? undefined : 'NVRTC (libnvrtc.so.13) not installed: run .ci/cuda-setup.sh');

type Run = (inputs: Record<string, unknown>, options?: Record<string, unknown>) => Promise<any>;

const intOps = kernel({
  name: 'intOps',
  params: { a: i32(['N']), b: i32(['N']), x: f64(['N']) },
  body: ({ a, b, x }) => ({
    q: div(a, b),
    r: mod(a, b),
    t: cast(x, 'i32'),
    lo: minimum(x, 0.5),
    hi: maximum(x, 0.5),
    m: mod(x, -0.75),
  }),
});
const scatterSome = kernel({
  name: 'scatterSome',
  params: { idx: i32(['N']), w: f64(['N']), n: sizes('S') },
  body: ({ idx, w }) => scatterAdd(['S'], [idx], w),
});

const reduceAll = kernel({
  name: 'reduceAll',
  params: { x: f64(['N', 'C']), a: i32(['N']) },
  body: ({ x, a }) => ({ mx: max(x), sm: sum(x), si: sum(a), rows: sum(x, 1) }),
});

const stdKernels = Object.values(std).filter(isKernel) as Kernel[];
const cases = stdCases() as Record<string, Record<string, unknown>>;
const runs = new Map<string, { cuda: Run; js: Run }>();

afterAll(() => shutdown());

describe.skipIf(!!skip)(
  skip ? `CUDA backend on the emulated device (skipped: ${skip})` : 'CUDA backend on the emulated device',
  () => {
    beforeAll(async () => {
      if (emu.skip !== undefined) return;
      const libs: string[] = [];
      const mods: [Kernel, string][] = [];
      for (const k of [...stdKernels, intOps, scatterSome, reduceAll]) {
        const b = writeCudaModule(k);
        libs.push(emu.compileKernels(`${b.file}_${libs.length}`, b.cu));
        mods.push([k, b.url]);
      }
      // all kernel libraries are known before the first kernel is looked up
      process.env.LENSC_EMU_KERNELS = libs.join(':');
      for (const [k, url] of mods) {
        const mod = await import(url);
        runs.set(k.name, { cuda: mod[k.name], js: (await buildAndImport(k, 'js')).run });
      }
    }, 300_000);

    it.each(stdKernels.map((k) => k.name))('%s equals the JS backend to 1e-10', async (name) => {
      const inputs = cases[name];
      expect(inputs, `stdCases() has no inputs for ${name}`).toBeDefined();
      const { cuda, js } = runs.get(name)!;
      const [got, want] = [await cuda(inputs!), await js(inputs!)];
      const { err, worst } = compareOutputs(got, want);
      expect(err, `${name}: worst output ${worst}`).toBeLessThanOrEqual(1e-10);
    });

    it('chunks K under a small budget (progress per chunk) and matches the one-chunk result', async () => {
      const { cuda } = runs.get('wTilde')!;
      const inputs = cases.wTilde!;
      const whole = await cuda(inputs);
      const messages: string[] = [];
      const chunked = await cuda(inputs, {
        memoryBudgetBytes: 150_000,
        onProgress: (_f: number, m: string) => messages.push(m),
      });
      expect(messages.length).toBeGreaterThan(3);
      expect(messages.at(-1)).toMatch(/^K chunk (\d+) of \1$/);
      expect(compareOutputs(chunked, whole).err).toBeLessThanOrEqual(1e-12);
      const table = await runs.get('wTildePreloadGemm')!.cuda(cases.wTildePreloadGemm!, { memoryBudgetBytes: 30_000 });
      expect(
        compareOutputs(table, await runs.get('wTildePreloadGemm')!.js(cases.wTildePreloadGemm!)).err,
      ).toBeLessThanOrEqual(1e-10);
    });

    it.each([
      ['blocked', '16'],
      ['blocked', '7'],
      ['cublas', ''],
      ['gemm', ''],
    ])('SYRK as %s (block %s) gives the same symmetric W̃', async (mode, block) => {
      const { cuda, js } = runs.get('wTilde')!;
      const inputs = cases.wTilde!;
      process.env.LENSC_CUDA_SYRK = mode;
      process.env.LENSC_CUDA_SYRK_BLOCK = block;
      try {
        const got: Float64Array = await cuda(inputs, { memoryBudgetBytes: 200_000 });
        expect(compareOutputs(got, await js(inputs)).err).toBeLessThanOrEqual(1e-10);
        const M = Math.sqrt(got.length);
        for (let i = 0; i < M; i++) for (let j = 0; j < i; j++) expect(got[i * M + j]).toBe(got[j * M + i]);
      } finally {
        delete process.env.LENSC_CUDA_SYRK;
        delete process.env.LENSC_CUDA_SYRK_BLOCK;
      }
    });

    it('integer division and modulo floor, casts wrap like ToInt32, min/max keep NaN — as on JS', async () => {
      const a = Int32Array.from([7, -7, 7, -7, 0, 5, -2147483647, 9]);
      const b = Int32Array.from([2, 2, -2, -2, 3, 0, 10, 1]);
      const x = Float64Array.from([2.7, -2.7, NaN, Infinity, 3e9, -3e9, 0.5, -0]);
      const { cuda, js } = runs.get('intOps')!;
      const [got, want] = [await cuda({ a, b, x }), await js({ a, b, x })];
      expect(Array.from(want.q)).toEqual([3, -4, -4, 3, 0, 0, -214748365, 9]);
      expect(Array.from(want.r)).toEqual([1, 1, -1, -1, 0, 0, 3, 0]);
      for (const key of ['q', 'r', 't', 'lo', 'hi', 'm'])
        expect(Array.from(got[key] as ArrayLike<number>), key).toEqual(Array.from(want[key] as ArrayLike<number>));
    });

    it('reductions to rank 0 (sum, max, i32) over more elements than partial slots agree with JS', async () => {
      const N = 211,
        C = 101;
      const r = rng(5);
      const x = Float64Array.from({ length: N * C }, () => r() - 0.5),
        a = Int32Array.from({ length: N }, () => Math.floor(1e6 * (r() - 0.5)));
      x[N * C - 7] = 3; // the maximum, in the last slots
      const { cuda, js } = runs.get('reduceAll')!;
      const [got, want] = [await cuda({ x, a }), await js({ x, a })];
      expect(got.mx).toBe(3);
      expect(got.si).toBe(want.si);
      expect(Math.abs(got.sm - want.sm)).toBeLessThanOrEqual(1e-12 * N * C);
      expect(compareOutputs(got.rows, want.rows).err).toBeLessThanOrEqual(1e-15);
      const again = await cuda({ x, a });
      expect(Object.is(again.sm, got.sm)).toBe(true);
    });

    it("an out-of-range scatter index is the JS backend's RangeError, naming the first bad index", async () => {
      const { cuda, js } = runs.get('scatterSome')!;
      const inputs = { idx: Int32Array.from([0, -1, 3, 9, 2, 12]), w: Float64Array.from([1, 2, 3, 4, 5, 6]), n: 5 };
      const jsErr = await js(inputs).catch((e: unknown) => e);
      expect(jsErr).toBeInstanceOf(RangeError);
      await expect(cuda(inputs)).rejects.toThrow((jsErr as Error).message);
      const ok = { ...inputs, idx: Int32Array.from([0, -1, 3, 4, 2, 4]) };
      expect(Array.from(await cuda(ok))).toEqual(Array.from(await js(ok)));
      // the curvature scatter (a parallel axis) reports the same point as JS
      const bad = { ...cases.curvatureMatrixSparse! };
      const pix = Int32Array.from(bad.pixIndexes as Int32Array);
      pix[pix.length - 2] = 40;
      const args = { ...bad, pixIndexes: pix };
      const jsCurv = await runs
        .get('curvatureMatrixSparse')!
        .js(args, { threads: 1 })
        .catch((e: unknown) => e);
      expect(jsCurv).toBeInstanceOf(RangeError);
      await expect(runs.get('curvatureMatrixSparse')!.cuda(args)).rejects.toThrow((jsCurv as Error).message);
    });

    it("input errors are the JS backend's, raised before the device is touched", async () => {
      const { cuda, js } = runs.get('wTilde')!;
      const bad = { ...cases.wTilde!, uv: new Float64Array(7) };
      const jsErr = await js(bad).catch((e: unknown) => e);
      await expect(cuda(bad)).rejects.toThrow((jsErr as Error).message);
    });
  },
);
