// The FFT primitive on the CUDA target, end to end on the emulated device (test/cuda/emu: the fake driver
// and the fake cuFFT of test/cuda-runtime/fake, generated kernels compiled as host C++; NVRTC compiles the
// same .cu for real): fft2 / ifft2 (cuFFT Z2Z plus the generated 1/(Ny·Nx) kernel), batched, size-1 axes,
// f32 (C2C), against the reference interpreter; fftconv2, which this target gets expanded into fft2/ifft2
// (compiler/passes/expand_fftconv.ts). And the koffi declarations against cufft.h's prototypes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shutdown } from '../../backends/js/runtime/index.js';
import { nvrtcAvailable } from '../../backends/cuda/runtime/index.js';
import { CUFFT_DECLARATIONS } from '../../backends/cuda/runtime/cufft.js';
import { interpret } from '../../backends/reference/interpret.ts';
import { f32, f64, fft2, fftconv2, ifft2, kernel, sizes, type Kernel } from '../../dsl/index.ts';
import { frobErr, randomArray, rng } from '../helpers/random.ts';
import { buildEmu } from './emu/emu.ts';
import { writeCudaModule } from './helpers.ts';

const emu = buildEmu();
if (emu.skip === undefined) Object.assign(process.env, emu.env);
const skip =
  emu.skip ?? ((await nvrtcAvailable()) ? undefined : 'NVRTC (libnvrtc.so.13) not installed: run .ci/cuda-setup.sh');

type Run = (inputs: Record<string, unknown>, options?: Record<string, unknown>) => Promise<any>;
const probe = (name: string, inverse: boolean, dtype: 'f64' | 'f32') =>
  kernel({
    name,
    params: { x: (dtype === 'f64' ? f64 : f32)(['B', 'Ny', 'Nx', 2]), dims: sizes(['B', 'Ny', 'Nx']) },
    body: ({ x }) => (inverse ? ifft2(x) : fft2(x)),
  });
const KERNELS: Kernel[] = [
  probe('fftCuda', false, 'f64'),
  probe('ifftCuda', true, 'f64'),
  probe('fftCuda32', false, 'f32'),
  kernel({
    name: 'fftconvCuda',
    params: { x: f64(['B', 'Ny', 'Nx']), k: f64(['Ny+Ay', 'Nx+Ax']), dims: sizes(['B', 'Ny', 'Nx', 'Ay', 'Ax']) },
    body: ({ x, k }) => fftconv2(x, k),
  }),
];
const runs = new Map<string, Run>();

afterAll(() => shutdown());

describe('cuFFT bindings', () => {
  // cufft.h (CUDA 13), as the cuFFT API reference states them; cufftHandle is int, the enums are ints, and the
  // runtime passes device pointers as uint64_t and the plan out-parameter as a pointer to 4 bytes.
  const DOCUMENTED: Record<string, string> = {
    planMany:
      'cufftResult cufftPlanMany(cufftHandle *plan, int rank, int *n, int *inembed, int istride, int idist, int *onembed, int ostride, int odist, cufftType type, int batch)',
    execZ2Z:
      'cufftResult cufftExecZ2Z(cufftHandle plan, cufftDoubleComplex *idata, cufftDoubleComplex *odata, int direction)',
    execC2C: 'cufftResult cufftExecC2C(cufftHandle plan, cufftComplex *idata, cufftComplex *odata, int direction)',
    setStream: 'cufftResult cufftSetStream(cufftHandle plan, cudaStream_t stream)',
    destroy: 'cufftResult cufftDestroy(cufftHandle plan)',
  };
  const ABI: Record<string, string> = {
    cufftResult: 'int',
    'cufftHandle *': 'void *',
    cufftHandle: 'int',
    cufftType: 'int',
    'cufftDoubleComplex *': 'uint64_t',
    'cufftComplex *': 'uint64_t',
    cudaStream_t: 'void *',
    'int *': 'int *',
    int: 'int',
  };
  const parse = (decl: string) => {
    const m = /^(.+?)\s*(\w+)\((.*)\)$/.exec(decl)!;
    const params = m[3]!.split(',').map((p) => {
      const q = /^(.*?)(\w+)$/.exec(p.trim())!;
      return { type: q[1]!.trim().replace(/\s*\*/, ' *'), name: q[2]! };
    });
    return { ret: m[1]!.trim(), name: m[2]!, params };
  };
  it.each(Object.keys(DOCUMENTED))('%s matches the documented prototype (same names, ABI-equivalent types)', (key) => {
    const doc = parse(DOCUMENTED[key]!),
      ours = parse(CUFFT_DECLARATIONS[key as keyof typeof CUFFT_DECLARATIONS]);
    expect(ours.name).toBe(doc.name);
    expect(ours.ret).toBe(ABI[doc.ret]);
    expect(ours.params.map((p) => p.name)).toEqual(doc.params.map((p) => p.name));
    expect(ours.params.map((p) => p.type)).toEqual(doc.params.map((p) => ABI[p.type] ?? p.type));
  });
});

describe.skipIf(!!skip)(
  skip ? `fft on the emulated CUDA device (skipped: ${skip})` : 'fft on the emulated CUDA device',
  () => {
    beforeAll(async () => {
      if (emu.skip !== undefined) return;
      const libs: string[] = [];
      const urls: [Kernel, string][] = [];
      for (const k of KERNELS) {
        const b = writeCudaModule(k);
        libs.push(emu.compileKernels(`${b.file}_${libs.length}`, b.cu));
        urls.push([k, b.url]);
      }
      process.env.LENSC_EMU_KERNELS = libs.join(':');
      for (const [k, url] of urls) runs.set(k.name, (await import(url))[k.name]);
    }, 300_000);

    const SHAPES: [number, number, number][] = [
      [1, 1, 1],
      [2, 1, 7],
      [3, 5, 1],
      [2, 9, 15],
      [1, 16, 16],
      [2, 67, 12],
    ];
    for (const name of ['fftCuda', 'ifftCuda']) {
      it.each(SHAPES)(`${name} matches the interpreter at [%i, %i, %i, 2]`, async (B, Ny, Nx) => {
        const k = KERNELS.find((x) => x.name === name)!;
        const inputs = { x: randomArray(B * Ny * Nx * 2, rng(B * 100 + Ny * 10 + Nx)), dims: [B, Ny, Nx] };
        const got = await runs.get(name)!(inputs);
        expect(got).toBeInstanceOf(Float64Array);
        expect(frobErr(got, interpret(k.graph(), inputs) as Float64Array)).toBeLessThan(1e-13);
      });
    }

    // [B, Ny, Nx, Py, Px]: size-1 axes, an odd batch, a grid equal to the images, odd and prime grids
    it.each([
      [1, 1, 1, 1, 1],
      [3, 1, 5, 1, 9],
      [5, 7, 7, 7, 7],
      [2, 9, 15, 17, 29],
      [3, 12, 10, 24, 20],
    ])('fftconv2 (expanded) matches the interpreter at [%i, %i, %i] on %i×%i', async (B, Ny, Nx, Py, Px) => {
      const k = KERNELS.find((x) => x.name === 'fftconvCuda')!;
      const r = rng(B * 100 + Py);
      const inputs = {
        x: randomArray(B * Ny * Nx, r),
        k: randomArray(Py * Px, r),
        dims: [B, Ny, Nx, Py - Ny, Px - Nx],
      };
      const got = await runs.get(k.name)!(inputs);
      expect(got).toBeInstanceOf(Float64Array);
      expect(frobErr(got, interpret(k.graph(), inputs) as Float64Array)).toBeLessThan(1e-13);
    });

    it('f32 kernels run cuFFT C2C within f32 rounding', async () => {
      const k = KERNELS[2]!;
      const x = Float32Array.from(randomArray(2 * 12 * 10 * 2, rng(8)));
      const inputs = { x, dims: [2, 12, 10] };
      const got = await runs.get(k.name)!(inputs);
      expect(got).toBeInstanceOf(Float32Array);
      expect(frobErr(got, interpret(k.graph(), inputs) as Float64Array)).toBeLessThan(1e-6);
    });
  },
);
