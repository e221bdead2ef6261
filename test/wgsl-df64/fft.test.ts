// fft2 / ifft2 in df64 on the WGSL target (Mesa llvmpipe in CI): compiled kernels with precision 'df64' against
// the reference interpreter's f64 DFT by definition, on even, odd, prime (one direct-DFT stage), size-1 and
// batched axes; a circular convolution fused around the transforms; and the f32 FFT beside it on one shape, so
// the test shows what df64 buys. The inputs are df64-exact (each an f32 pair), so the reference sees what the GPU
// sees and the error is the df64 arithmetic's alone: ~log n stages of a few units of 2⁻⁴⁸.
import { afterAll, describe, expect, it } from 'vitest';
import { shutdown } from '../../backends/js/runtime/index.js';
import { interpret } from '../../backends/reference/interpret.ts';
import { splitF64 } from '../../backends/wgsl/df64/library.ts';
import type { Kernel } from '../../dsl/kernel.ts';
import { cmul, complex, f64, fft2, ifft2, kernel, real, sizes } from '../../dsl/index.ts';
import { buildAndImport } from '../helpers/build.ts';
import { frobErr, randomArray, rng } from '../helpers/random.ts';
import { skipWgsl } from '../wgsl-runtime/gpu-setup.ts';

afterAll(() => shutdown());

/** df64 arithmetic over the stages (unit roundoff 2⁻⁴⁸ ≈ 3.6e-15): measured ≤ ~1e-14 here; 1e-13 leaves room. */
const DF64_TOL = 1e-13;

const df64 = (k: Kernel): Kernel => ({ ...k, precision: 'df64' });
const dfExact = (x: Float64Array) => x.map((v) => splitF64(v)[0] + splitF64(v)[1]);

const probe = (inverse: boolean) =>
  kernel({
    name: inverse ? 'ifftDf64Probe' : 'fftDf64Probe',
    params: { x: f64(['B', 'Ny', 'Nx', 2]), dims: sizes(['B', 'Ny', 'Nx']) },
    body: ({ x }) => (inverse ? ifft2(x) : fft2(x)),
  });

const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [3, 1, 1],
  [2, 1, 7],
  [1, 5, 1],
  [3, 4, 6],
  [2, 9, 15],
  [1, 64, 64],
  [2, 67, 12],
  [1, 30, 128],
];

describe.skipIf(skipWgsl)('fft2 / ifft2 compiled for WGSL in df64 (Stockham, df64 butterflies)', () => {
  for (const inverse of [false, true]) {
    it.each(SHAPES)(
      `${inverse ? 'ifft2' : 'fft2'} matches the f64 DFT within ${DF64_TOL} at [%i, %i, %i, 2]`,
      async (B, Ny, Nx) => {
        const k = probe(inverse);
        const { run, manifest } = await buildAndImport(df64(k), 'wgsl');
        expect(manifest.precision.arithmetic).toBe('df64');
        const x = dfExact(randomArray(B * Ny * Nx * 2, rng(B * 1000 + Ny * 10 + Nx)));
        const inputs = { x, dims: [B, Ny, Nx] };
        const want = interpret(k.graph(), inputs) as Float64Array;
        const got = await run(inputs);
        expect(got.length).toBe(want.length);
        const err = frobErr(got, want);
        console.log(`[wgsl df64 fft] ${inverse ? 'ifft2' : 'fft2'} [${B}, ${Ny}, ${Nx}]: ${err.toExponential(2)}`);
        expect(err).toBeLessThan(DF64_TOL);
      },
    );
  }

  it('fuses complex arithmetic around the transforms (a circular convolution); f32 is ~1e-7 on the same', async () => {
    const k = kernel({
      name: 'circularConvolutionDf64',
      params: { a: f64(['Ny', 'Nx']), b: f64(['Ny', 'Nx']), dims: sizes(['Ny', 'Nx']) },
      body: ({ a, b }) => {
        const zero = a.mul(0);
        return real(ifft2(cmul(fft2(complex(a, zero)), fft2(complex(b, zero)))));
      },
    });
    const { run } = await buildAndImport(df64(k), 'wgsl');
    const { run: run32 } = await buildAndImport(k, 'wgsl');
    const ny = 20,
      nx = 21,
      r = rng(2);
    const inputs = { a: dfExact(randomArray(ny * nx, r)), b: dfExact(randomArray(ny * nx, r)), dims: [ny, nx] };
    // The circular convolution by definition (independent of any FFT).
    const want = new Float64Array(ny * nx);
    for (let i = 0; i < ny; i++)
      for (let j = 0; j < nx; j++) {
        let s = 0;
        for (let p = 0; p < ny; p++)
          for (let q = 0; q < nx; q++)
            s += inputs.a[p * nx + q]! * inputs.b[((i - p + ny) % ny) * nx + ((j - q + nx) % nx)]!;
        want[i * nx + j] = s;
      }
    const err = frobErr(await run(inputs), want);
    const err32 = frobErr(await run32(inputs), want);
    console.log(
      `[wgsl df64 fft] circular convolution 20×21: df64 ${err.toExponential(2)}, f32 ${err32.toExponential(2)}`,
    );
    expect(err).toBeLessThan(DF64_TOL);
    expect(err32).toBeGreaterThan(1e-9);
  });
});
