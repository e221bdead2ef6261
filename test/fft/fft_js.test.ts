// The FFT primitive on the JS target: compiled kernels (fft2, ifft2, batched, f32, fused with complex
// arithmetic) against the reference interpreter's plain DFT, on even, odd, prime (Bluestein) and size-1 axes;
// the interpreter's DFT against the 2-D definition summed directly; and thread-count independence.
import { afterAll, describe, expect, it } from 'vitest';
import { shutdown } from '../../backends/js/runtime/index.js';
import { dft2 } from '../../backends/reference/dft.ts';
import { interpret } from '../../backends/reference/interpret.ts';
import { cmul, complex, f32, f64, fft2, ifft2, imag, kernel, real, sizes } from '../../dsl/index.ts';
import { buildAndImport } from '../helpers/build.ts';
import { frobErr, randomArray, rng } from '../helpers/random.ts';

afterAll(() => shutdown());

const batched = (inverse: boolean) =>
  kernel({
    name: inverse ? 'ifftProbe' : 'fftProbe',
    params: { x: f64(['B', 'Ny', 'Nx', 2]), dims: sizes(['B', 'Ny', 'Nx']) },
    body: ({ x }) => (inverse ? ifft2(x) : fft2(x)),
  });

/** The 2-D definition, summed over all points at once (O(n⁴)): independent of dft2's axis-by-axis order. */
function definition(x: Float64Array, ny: number, nx: number, sign: number): Float64Array {
  const out = new Float64Array(ny * nx * 2);
  for (let ky = 0; ky < ny; ky++)
    for (let kx = 0; kx < nx; kx++) {
      let sr = 0,
        si = 0;
      for (let y = 0; y < ny; y++)
        for (let c = 0; c < nx; c++) {
          const a = sign * 2 * Math.PI * (((ky * y) % ny) / ny + ((kx * c) % nx) / nx);
          const re = x[(y * nx + c) * 2]!,
            im = x[(y * nx + c) * 2 + 1]!;
          sr += re * Math.cos(a) - im * Math.sin(a);
          si += re * Math.sin(a) + im * Math.cos(a);
        }
      out[(ky * nx + kx) * 2] = sr;
      out[(ky * nx + kx) * 2 + 1] = si;
    }
  return out;
}

// [B, Ny, Nx]: size-1 axes, odd, even, powers of 2 and 3·5, primes above the radix limit (Bluestein), and
// sizes large enough for the parallel path.
const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [1, 1, 7],
  [2, 5, 1],
  [3, 4, 6],
  [2, 9, 15],
  [1, 16, 16],
  [2, 67, 12],
  [1, 8, 127],
  [3, 64, 96],
  [1, 128, 128],
  [2, 100, 125],
];

describe('reference DFT', () => {
  it.each([
    [1, 1],
    [3, 5],
    [4, 4],
    [7, 2],
  ])('matches the 2-D definition at %i×%i, both directions', (ny, nx) => {
    const x = randomArray(ny * nx * 2, rng(ny * 31 + nx));
    expect(frobErr(dft2({ data: x, shape: [ny, nx, 2] }, false), definition(x, ny, nx, -1))).toBeLessThan(1e-14);
    const inv = definition(x, ny, nx, 1).map((v) => v / (ny * nx));
    expect(frobErr(dft2({ data: x, shape: [ny, nx, 2] }, true), inv)).toBeLessThan(1e-14);
  });
  it('sends a unit impulse at (1, 2) to the plane wave e^{−2πi(ky/Ny + 2kx/Nx)}', () => {
    const ny = 5,
      nx = 6,
      x = new Float64Array(ny * nx * 2);
    x[(1 * nx + 2) * 2] = 1;
    const X = dft2({ data: x, shape: [ny, nx, 2] }, false);
    for (let ky = 0; ky < ny; ky++)
      for (let kx = 0; kx < nx; kx++) {
        const a = -2 * Math.PI * (ky / ny + (2 * kx) / nx);
        expect(X[(ky * nx + kx) * 2]).toBeCloseTo(Math.cos(a), 14);
        expect(X[(ky * nx + kx) * 2 + 1]).toBeCloseTo(Math.sin(a), 14);
      }
  });
});

describe('fft2 / ifft2 compiled for JS', () => {
  for (const inverse of [false, true]) {
    it.each(SHAPES)(`${inverse ? 'ifft2' : 'fft2'} matches the interpreter at [%i, %i, %i, 2]`, async (B, Ny, Nx) => {
      const k = batched(inverse);
      const { run } = await buildAndImport(k);
      const x = randomArray(B * Ny * Nx * 2, rng(B * 1000 + Ny * 10 + Nx + (inverse ? 7 : 0)));
      const inputs = { x, dims: [B, Ny, Nx] };
      const want = interpret(k.graph(), inputs) as Float64Array;
      const got = await run(inputs, { threads: 2 });
      expect(got).toBeInstanceOf(Float64Array);
      expect(frobErr(got, want)).toBeLessThan(1e-13);
    });
  }

  it('gives the same bits on 1 and 2 threads, and ifft2(fft2(x)) = x', async () => {
    const k = kernel({
      name: 'roundTrip',
      params: { x: f64(['Ny', 'Nx', 2]), dims: sizes(['Ny', 'Nx']) },
      body: ({ x }) => ({ X: fft2(x), back: ifft2(fft2(x)) }),
    });
    const { run } = await buildAndImport(k);
    const x = randomArray(96 * 200 * 2, rng(5));
    const a = await run({ x, dims: [96, 200] }, { threads: 1 });
    const b = await run({ x, dims: [96, 200] }, { threads: 2 });
    expect(Buffer.from(b.X.buffer).equals(Buffer.from(a.X.buffer))).toBe(true);
    expect(frobErr(a.back, x)).toBeLessThan(1e-15 * 40);
  });

  it('fuses complex arithmetic around the transforms (a circular convolution) like the interpreter', async () => {
    // conv = ifft2(fft2(complex(a, 0)) · fft2(complex(b, 0))): the circular convolution of two real images.
    const k = kernel({
      name: 'circularConvolution',
      params: { a: f64(['Ny', 'Nx']), b: f64(['Ny', 'Nx']), dims: sizes(['Ny', 'Nx']) },
      body: ({ a, b }) => {
        const zero = a.mul(0);
        const c = ifft2(cmul(fft2(complex(a, zero)), fft2(complex(b, zero))));
        return { re: real(c), im: imag(c) };
      },
    });
    const { run } = await buildAndImport(k);
    const ny = 12,
      nx = 9,
      r = rng(9);
    const a = randomArray(ny * nx, r),
      b = randomArray(ny * nx, r);
    const got = await run({ a, b, dims: [ny, nx] }, { threads: 2 });
    // The convolution by its definition.
    const want = new Float64Array(ny * nx);
    for (let y = 0; y < ny; y++)
      for (let x = 0; x < nx; x++) {
        let s = 0;
        for (let p = 0; p < ny; p++)
          for (let q = 0; q < nx; q++) s += a[p * nx + q]! * b[((y - p + ny) % ny) * nx + ((x - q + nx) % nx)]!;
        want[y * nx + x] = s;
      }
    expect(frobErr(got.re, want)).toBeLessThan(1e-14);
    expect(Math.max(...got.im.map(Math.abs))).toBeLessThan(1e-13);
    const ref = interpret(k.graph(), { a, b, dims: [ny, nx] }) as Record<string, Float64Array>;
    expect(frobErr(got.re, ref.re!)).toBeLessThan(1e-14);
  });

  it('runs f32 kernels in f32 storage within f32 rounding of the f64 DFT', async () => {
    const k = kernel({
      name: 'fft32',
      params: { x: f32(['Ny', 'Nx', 2]), dims: sizes(['Ny', 'Nx']) },
      body: ({ x }) => fft2(x),
    });
    const { run } = await buildAndImport(k);
    const x = Float32Array.from(randomArray(30 * 50 * 2, rng(3)));
    const got = await run({ x, dims: [30, 50] });
    expect(got).toBeInstanceOf(Float32Array);
    expect(frobErr(got, dft2({ data: Float64Array.from(x), shape: [30, 50, 2] }, false))).toBeLessThan(1e-6);
  });
});

describe('concat compiled for JS (complex() builds on it)', () => {
  it('picks each piece on its own range, three pieces of different lengths', async () => {
    // Regression: the lowering once selected the first piece for every index (complex(re, im) had re twice).
    const { concat } = await import('../../dsl/index.ts');
    const k = kernel({
      name: 'concat3',
      params: { a: f64(['N', 2]), b: f64(['N', 3]), c: f64(['N', 1]) },
      body: ({ a, b, c }) => concat([a, b, c], 1),
    });
    const { run } = await buildAndImport(k);
    const r = rng(4),
      N = 5;
    const inputs = { a: randomArray(N * 2, r), b: randomArray(N * 3, r), c: randomArray(N, r) };
    expect(Array.from(await run(inputs))).toEqual(Array.from(interpret(k.graph(), inputs) as Float64Array));
  });
});
