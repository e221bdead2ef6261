// fftconv2 (the circular convolution of real images with a real kernel on its grid, read at the images' extent)
// on the JS target, where it runs fused (two images per complex transform, backends/js/runtime/fftconv-tasks.js):
// compiled kernels against the reference interpreter (the convolution summed from its definition), and that
// definition against the transforms it stands for (the interpreter's plain DFT of the padded images). Odd, even,
// prime (generic radix and Bluestein) and size-1 axes, odd batches (a pair with one image), grids equal to the
// images (every offset wraps), unbatched images, f32, thread-count independence, chunked batches, and the errors.
import { afterAll, describe, expect, it } from 'vitest';
import { shutdown } from '../../backends/js/runtime/index.js';
import { circularConv2 } from '../../backends/reference/circular_conv.ts';
import { planFor, transform } from '../../backends/js/runtime/fft-core.js';
import { dft2 } from '../../backends/reference/dft.ts';
import { interpret } from '../../backends/reference/interpret.ts';
import { planKernel } from '../../compiler/compile.ts';
import { f32, f64, fftconv2, iota, kernel, scatterAdd, sizes } from '../../dsl/index.ts';
import { buildAndImport } from '../helpers/build.ts';
import { frobErr, randomArray, rng } from '../helpers/random.ts';

afterAll(() => shutdown());

const probe = kernel({
  name: 'fftconvProbe',
  params: { x: f64(['B', 'Ny', 'Nx']), k: f64(['Ny+Ay', 'Nx+Ax']), dims: sizes(['B', 'Ny', 'Nx', 'Ay', 'Ax']) },
  body: ({ x, k }) => fftconv2(x, k),
});

// [B, Ny, Nx, Py, Px]
const SHAPES: [number, number, number, number, number][] = [
  [1, 1, 1, 1, 1],
  [2, 1, 5, 1, 9],
  [3, 4, 1, 7, 1],
  [3, 4, 6, 8, 12],
  [5, 7, 7, 7, 7],
  [2, 9, 15, 17, 29],
  [4, 12, 10, 24, 20],
  [1, 30, 20, 67, 41],
  [9, 32, 32, 64, 64],
  [3, 40, 24, 80, 48],
];

const inputsFor = ([B, Ny, Nx, Py, Px]: number[], seed: number) => {
  const r = rng(seed);
  return {
    x: randomArray(B! * Ny! * Nx!, r),
    k: randomArray(Py! * Px!, r),
    dims: [B!, Ny!, Nx!, Py! - Ny!, Px! - Nx!],
  };
};

describe('reference fftconv2', () => {
  it.each(SHAPES.slice(0, 7))(
    'the definition equals real(ifft2(fft2(padded x)·fft2(k))) cropped at [%i, %i, %i] on %i×%i',
    (B, Ny, Nx, Py, Px) => {
      const { x, k } = inputsFor([B, Ny, Nx, Py, Px], 1);
      const padded = new Float64Array(B * Py * Px * 2);
      for (let b = 0; b < B; b++)
        for (let y = 0; y < Ny; y++)
          for (let c = 0; c < Nx; c++) padded[((b * Py + y) * Px + c) * 2] = x[(b * Ny + y) * Nx + c]!;
      const kc = new Float64Array(Py * Px * 2);
      for (let i = 0; i < Py * Px; i++) kc[2 * i] = k[i]!;
      const X = dft2({ data: padded, shape: [B, Py, Px, 2] }, false),
        K = dft2({ data: kc, shape: [Py, Px, 2] }, false);
      const prod = new Float64Array(X.length);
      for (let i = 0; i < X.length / 2; i++) {
        const j = i % (Py * Px);
        prod[2 * i] = X[2 * i]! * K[2 * j]! - X[2 * i + 1]! * K[2 * j + 1]!;
        prod[2 * i + 1] = X[2 * i]! * K[2 * j + 1]! + X[2 * i + 1]! * K[2 * j]!;
      }
      const conv = dft2({ data: prod, shape: [B, Py, Px, 2] }, true);
      const want = new Float64Array(B * Ny * Nx);
      for (let b = 0; b < B; b++)
        for (let y = 0; y < Ny; y++)
          for (let c = 0; c < Nx; c++) want[(b * Ny + y) * Nx + c] = conv[((b * Py + y) * Px + c) * 2]!;
      const got = circularConv2({ data: x, shape: [B, Ny, Nx] }, { data: k, shape: [Py, Px] });
      expect(frobErr(got, want)).toBeLessThan(1e-12);
    },
  );
});

describe('the pruned transforms fftconv2 uses (fft-core.js transform with nIn / nOut)', () => {
  // lengths whose plans start with radix 4 (pruned first stage) or end with radix 4 or 2 at m = 1 (pruned last
  // stage), and ones that do not (3·5·…, a single stage, Bluestein), both directions, 1 and 8 interleaved lines
  it.each([[4], [8], [48], [64], [80], [96], [128], [512], [30], [67]])(
    'n = %i: same values as the full transform',
    (n) => {
      for (const sign of [-1, 1])
        for (const V of [1, 8]) {
          const plan = planFor(n, sign);
          const half = Math.floor(n / 2);
          const r = rng(n * 10 + V);
          const xr = randomArray(n * V, r),
            xi = randomArray(n * V, r);
          xr.fill(0, half * V);
          xi.fill(0, half * V);
          const run = (nIn: number, nOut: number) => {
            const [or, oi] = transform(
              plan,
              xr.slice(),
              xi.slice(),
              new Float64Array(n * V),
              new Float64Array(n * V),
              V,
              nIn,
              nOut,
            );
            return [or.slice(0, half * V), oi.slice(0, half * V)];
          };
          const [fr, fi] = run(n, n),
            [pr, pi] = run(half, half);
          expect(pr).toEqual(fr);
          expect(pi).toEqual(fi);
        }
    },
  );
});

describe('fftconv2 compiled for JS', () => {
  it.each(SHAPES)('matches the interpreter at [%i, %i, %i] on %i×%i', async (B, Ny, Nx, Py, Px) => {
    const { run } = await buildAndImport(probe);
    const inputs = inputsFor([B, Ny, Nx, Py, Px], B * 1000 + Ny * 10 + Px);
    const want = interpret(probe.graph(), inputs) as Float64Array;
    const got = await run(inputs, { threads: 2 });
    expect(got).toBeInstanceOf(Float64Array);
    expect(got.length).toBe(B * Ny * Nx);
    expect(frobErr(got, want)).toBeLessThan(1e-13);
  });

  it('gives the same bits on 1 and 2 threads (each pair is one task)', async () => {
    const { run } = await buildAndImport(probe);
    const inputs = inputsFor([11, 32, 32, 64, 64], 7);
    const one = await run(inputs, { threads: 1 }),
      two = await run(inputs, { threads: 2 });
    expect(Buffer.from(one.buffer).equals(Buffer.from(two.buffer))).toBe(true);
  });

  it('takes unbatched images [Ny, Nx]', async () => {
    const k = kernel({
      name: 'fftconvImage',
      params: { x: f64(['Ny', 'Nx']), k: f64(['2*Ny', '2*Nx']), dims: sizes(['Ny', 'Nx']) },
      body: ({ x, k }) => fftconv2(x, k),
    });
    const { run } = await buildAndImport(k);
    const r = rng(3);
    const inputs = { x: randomArray(9 * 13, r), k: randomArray(18 * 26, r), dims: [9, 13] };
    expect(frobErr(await run(inputs), interpret(k.graph(), inputs) as Float64Array)).toBeLessThan(1e-13);
  });

  it('runs f32 kernels within f32 rounding', async () => {
    const k = kernel({
      name: 'fftconvF32',
      params: { x: f32(['B', 'Ny', 'Nx']), k: f32(['Ny+Ay', 'Nx+Ax']), dims: sizes(['B', 'Ny', 'Nx', 'Ay', 'Ax']) },
      body: ({ x, k }) => fftconv2(x, k),
    });
    const { run } = await buildAndImport(k);
    const { x, k: kk, dims } = inputsFor([3, 10, 12, 20, 24], 5);
    const inputs = { x: Float32Array.from(x), k: Float32Array.from(kk), dims };
    const got = await run(inputs);
    expect(got).toBeInstanceOf(Float32Array);
    expect(frobErr(got, interpret(k.graph(), inputs) as Float64Array)).toBeLessThan(1e-6);
  });

  it('chunks the batch under a small budget (odd chunks: pairs with one image) with the same result', async () => {
    // the images come from a map over B and the result leaves by a scatter: the shape the planner chunks
    const k = kernel({
      name: 'fftconvChunked',
      params: { x: f64(['B', 'Ny', 'Nx']), k: f64(['Ny+Ay', 'Nx+Ax']), dims: sizes(['B', 'Ny', 'Nx', 'Ay', 'Ax']) },
      body: ({ x, k }) => {
        const img = ['B', 'Ny', 'Nx'] as const;
        return scatterAdd(img, [iota(img, 0), iota(img, 1), iota(img, 2)], fftconv2(x.mul(2), k));
      },
    });
    const { program } = planKernel(k, 'js');
    const chunk = program.stages.find((s) => s.kind === 'chunk');
    expect(chunk?.kind === 'chunk' && chunk.body.some((s) => s.kind === 'fftconv')).toBe(true);
    const { run, manifest } = await buildAndImport(k);
    const inputs = inputsFor([13, 8, 6, 16, 12], 9);
    const want = interpret(k.graph(), inputs) as Float64Array;
    const perImage = 2 * 8 * 6 * 8; // the scaled images and their convolution, f64
    // fftconv2's workspace (the kernel's spectrum), outside the chunk: its bytes from the manifest's formula
    const env: Record<string, number> = { B: 13, Ny: 8, Nx: 6, Ay: 8, Ax: 6 };
    const workspace = manifest.plan.temps
      .filter((t: { chunkedBy?: string }) => !t.chunkedBy)
      .flatMap((t: { bytes: [number, ...string[]][] }) => t.bytes)
      .reduce((acc: number, [c, ...syms]: [number, ...string[]]) => acc + c * syms.reduce((p, x) => p * env[x]!, 1), 0);
    expect(workspace).toBe(2 * 16 * (12 + 7) * 2 * 8);
    for (const rows of [1, 3, 5]) {
      const messages: string[] = [];
      const got = await run(inputs, {
        memoryBudgetBytes: workspace + rows * perImage + 100,
        onProgress: (_f: number, m: string) => messages.push(m),
      });
      expect(messages.filter((m) => m.startsWith('B chunk')).length).toBe(Math.ceil(13 / rows));
      expect(frobErr(got, want)).toBeLessThan(1e-13);
    }
  });

  it('names a kernel grid smaller than the images, and a complex or integer input', () => {
    const small = kernel({
      name: 'fftconvSmall',
      params: { x: f64(['B', 'Ny', 'Nx']), k: f64(['Ny', 'Nx - 1']) },
      body: ({ x, k }) => fftconv2(x, k),
    });
    expect(() => small.graph()).toThrow(/fftconv2.*must be at least as large as the images/);
    const cplx = kernel({
      name: 'fftconvComplex',
      params: { x: f64(['B', 'Ny', 'Nx', 2]), k: f64(['2*Ny', '2*Nx']) },
      body: ({ x, k }) => fftconv2(x.reshape(['B', 'Ny', 'Nx', 2]), k),
    });
    expect(() => cplx.graph()).toThrow(/fftconv2.*must be real images \[Ny, Nx\] or \[B, Ny, Nx\]/);
    const ints = kernel({
      name: 'fftconvInts',
      params: { x: f64(['Ny', 'Nx']), k: f64(['Ny', 'Nx']) },
      body: ({ x, k }) => fftconv2(x, k.cast('i32')),
    });
    expect(() => ints.graph()).toThrow(/fftconv2.*the kernel must be a real f64 grid/);
  });
});
