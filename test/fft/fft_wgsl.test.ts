// The FFT primitive on the WGSL target (Mesa llvmpipe in CI): compiled fft2/ifft2 kernels — the f64 kernel
// demoted to f32 — against the reference interpreter's f64 DFT, within an f32 tolerance, on even, odd, prime
// (one direct-DFT stage) and size-1 axes, batched; a circular convolution fused around the transforms; and
// fftconv2, which this target gets expanded into fft2/ifft2 (compiler/passes/expand_fftconv.ts).
import { afterAll, describe, expect, it } from 'vitest';
import { shutdown } from '../../backends/js/runtime/index.js';
import { interpret } from '../../backends/reference/interpret.ts';
import { cmul, complex, f64, fft2, fftconv2, ifft2, kernel, real, sizes } from '../../dsl/index.ts';
import { buildAndImport } from '../helpers/build.ts';
import { frobErr, randomArray, rng } from '../helpers/random.ts';
import { skipWgsl } from '../wgsl-runtime/gpu-setup.ts';

afterAll(() => shutdown());

/** f32 storage and arithmetic over log n stages: a few 1e-7 relative; the bound leaves room for n up to 10⁴. */
const F32_TOL = 2e-6;

const probe = (inverse: boolean) =>
  kernel({
    name: inverse ? 'ifftWgslProbe' : 'fftWgslProbe',
    params: { x: f64(['B', 'Ny', 'Nx', 2]), dims: sizes(['B', 'Ny', 'Nx']) },
    body: ({ x }) => (inverse ? ifft2(x) : fft2(x)),
  });

const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [2, 1, 7],
  [3, 4, 6],
  [2, 9, 15],
  [1, 64, 64],
  [2, 67, 12],
  [1, 30, 128],
];

describe.skipIf(skipWgsl)('fft2 / ifft2 compiled for WGSL (f32 Stockham)', () => {
  for (const inverse of [false, true]) {
    it.each(SHAPES)(
      `${inverse ? 'ifft2' : 'fft2'} matches the f64 DFT within f32 at [%i, %i, %i, 2]`,
      async (B, Ny, Nx) => {
        const k = probe(inverse);
        const { run } = await buildAndImport(k, 'wgsl');
        const x = randomArray(B * Ny * Nx * 2, rng(B * 1000 + Ny * 10 + Nx));
        const inputs = { x, dims: [B, Ny, Nx] };
        const want = interpret(k.graph(), inputs) as Float64Array;
        const got = await run(inputs);
        expect(got.length).toBe(want.length);
        const err = frobErr(got, want);
        console.log(`[wgsl fft] ${inverse ? 'ifft2' : 'fft2'} [${B}, ${Ny}, ${Nx}]: ${err.toExponential(2)}`);
        expect(err).toBeLessThan(F32_TOL);
      },
    );
  }

  it('fuses complex arithmetic around the transforms (a circular convolution)', async () => {
    const k = kernel({
      name: 'circularConvolutionWgsl',
      params: { a: f64(['Ny', 'Nx']), b: f64(['Ny', 'Nx']), dims: sizes(['Ny', 'Nx']) },
      body: ({ a, b }) => {
        const zero = a.mul(0);
        return real(ifft2(cmul(fft2(complex(a, zero)), fft2(complex(b, zero)))));
      },
    });
    const { run } = await buildAndImport(k, 'wgsl');
    const ny = 20,
      nx = 24,
      r = rng(2);
    const inputs = { a: randomArray(ny * nx, r), b: randomArray(ny * nx, r), dims: [ny, nx] };
    expect(frobErr(await run(inputs), interpret(k.graph(), inputs) as Float64Array)).toBeLessThan(F32_TOL);
  });

  const conv = kernel({
    name: 'fftconvWgsl',
    params: { x: f64(['B', 'Ny', 'Nx']), k: f64(['Ny+Ay', 'Nx+Ax']), dims: sizes(['B', 'Ny', 'Nx', 'Ay', 'Ax']) },
    body: ({ x, k }) => fftconv2(x, k),
  });
  // [B, Ny, Nx, Py, Px]: size-1 axes, an odd batch, a grid equal to the images, odd and prime grids
  it.each([
    [1, 1, 1, 1, 1],
    [3, 1, 5, 1, 9],
    [5, 7, 7, 7, 7],
    [2, 9, 15, 17, 29],
    [3, 12, 10, 24, 20],
  ])('fftconv2 matches the interpreter within f32 at [%i, %i, %i] on %i×%i', async (B, Ny, Nx, Py, Px) => {
    const { run } = await buildAndImport(conv, 'wgsl');
    const r = rng(B * 100 + Py);
    const inputs = {
      x: randomArray(B * Ny * Nx, r),
      k: randomArray(Py * Px, r),
      dims: [B, Ny, Nx, Py - Ny, Px - Nx],
    };
    const got = await run(inputs);
    expect(got.length).toBe(B * Ny * Nx);
    expect(frobErr(got, interpret(conv.graph(), inputs) as Float64Array)).toBeLessThan(F32_TOL);
  });
});
