// curvatureMatrixFft (F by FFT convolution) against the sparse route (the committed curvatureMatrixSparse kernel) and
// the dense brute force, compiled for JS: full, circular and irregular masks, odd and even grids, −1 slots,
// S = 1 and S not a multiple of the chunk; chunked over S under small budgets (the plan holds a chunk loop over S
// with the FFT convolution inside) with the same result; the reference interpreter agrees on a small case.
import { afterAll, describe, expect, it } from 'vitest';
import { shutdown } from '../../backends/js/runtime/index.js';
import { interpret } from '../../backends/reference/interpret.ts';
import { planKernel } from '../../compiler/compile.ts';
import { curvatureMatrixFft as fftKernel } from '../../std/curvature_fft.ts';
import { curvatureMatrixSparse } from '../../kernels/js/curvature_matrix_sparse.js';
import { buildAndImport } from '../helpers/build.ts';
import { frobErr } from '../helpers/random.ts';
import {
  ARCSEC,
  circularMask,
  curvatureRef,
  expandPreloadRef,
  fullMask,
  irregularMask,
  mappingMatrixRef,
  maskedGrid,
  preloadRef,
  randomMapping,
  randomVisibilities,
  type Mapping,
  type MaskedGrid,
  type Visibilities,
} from '../helpers/interferometer.ts';

afterAll(() => shutdown());

const d = 0.05 * ARCSEC;
interface Case {
  g: MaskedGrid;
  v: Visibilities;
  map: Mapping;
}
const mk = (g: MaskedGrid, K: number, S: number, B: number, seed: number): Case => ({
  g,
  v: randomVisibilities(K, g.dy, g.dx, seed),
  map: randomMapping(g.M, S, B, seed + 100),
});
const cases: [string, Case][] = [
  ['12×12 circular, B = 3, S = 37, K = 1001', mk(maskedGrid(12, 12, d, d, circularMask(12, 12, 5)), 1001, 37, 3, 1)],
  ['11×13 full, dy ≠ dx, B = 4, S = 37, K = 257', mk(maskedGrid(11, 13, d, 1.4 * d, fullMask(11, 13)), 257, 37, 4, 2)],
  [
    '12×12 irregular, B = 1, S = 23, K = 257',
    mk(maskedGrid(12, 12, d, d, irregularMask(12, 12, 0.5, 3)), 257, 23, 1, 3),
  ],
  ['9×7 irregular, B = 2, S = 1, K = 65', mk(maskedGrid(9, 7, d, d, irregularMask(9, 7, 0.6, 4)), 65, 1, 2, 4)],
];
const inputsOf = ({ g, v, map }: Case) => ({
  preload: preloadRef(v.noiseReal, v.uv, g.Ny, g.Nx, g.dy, g.dx),
  shape: [g.Ny, g.Nx],
  nativeIndex: g.nativeIndex,
  pixIndexes: map.pixIndexes,
  pixWeights: map.pixWeights,
  sourcePixels: map.S,
});

describe('curvatureMatrixFft (JS)', () => {
  it.each(cases)(
    'equals the sparse route to 1e-12 (relative Frobenius) and the dense brute force: %s',
    async (_l, c) => {
      const { run } = await buildAndImport(fftKernel);
      const inputs = inputsOf(c);
      const sparse = await curvatureMatrixSparse(inputs);
      const got = await run(inputs, { threads: 2 });
      expect(got).toHaveLength(c.map.S * c.map.S);
      expect(frobErr(got, sparse)).toBeLessThan(1e-12);
      const dense = curvatureRef(
        expandPreloadRef(inputs.preload, c.g.Ny, c.g.Nx, c.g.nativeIndex),
        mappingMatrixRef(c.map, c.g.M),
        c.g.M,
        c.map.S,
      );
      expect(frobErr(got, dense)).toBeLessThan(1e-12);
    },
  );

  it('matches the reference interpreter', () => {
    const c = cases[3]![1];
    const inputs = inputsOf(c);
    return buildAndImport(fftKernel).then(async ({ run }) => {
      expect(frobErr(await run(inputs), interpret(fftKernel.graph(), inputs) as Float64Array)).toBeLessThan(1e-13);
    });
  });

  it('plans a chunk loop over S holding the scatter, the FFT convolution and the gather', () => {
    const { program } = planKernel(fftKernel, 'js');
    const chunk = program.stages.find((s) => s.kind === 'chunk');
    expect(chunk?.kind === 'chunk' && chunk.symbol).toBe('S');
    if (chunk?.kind !== 'chunk') return;
    expect(chunk.body.map((s) => s.kind)).toEqual(['fill', 'scatter', 'fftconv', 'scatter']);
    // the flipped table is built once, outside the loop; no padded grid is materialised
    expect(program.stages.filter((s) => s.kind === 'fft' || s.kind === 'fftconv')).toHaveLength(0);
  });

  it.each([[1], [5], [36]])('gives the same F with S in chunks of %i (budget-driven) as in one piece', async (rows) => {
    const c = cases[0]![1];
    const inputs = inputsOf(c);
    const { run, manifest } = await buildAndImport(fftKernel);
    const whole = await run(inputs);
    // the per-row bytes of the chunked temporaries at this size, from the manifest's formula
    const chunk = manifest.plan.chunks.find((k: { symbol: string }) => k.symbol === 'S');
    const env: Record<string, number> = { Ny: c.g.Ny, Nx: c.g.Nx, M: c.g.M, B: c.map.B, S: c.map.S };
    const bytes = (terms: [number, ...string[]][]) =>
      terms.reduce((acc, [k, ...syms]) => acc + k * syms.reduce((p, s) => p * env[s]!, 1), 0);
    const perRow = bytes(chunk.bytesPerUnit);
    // the temporaries outside the chunk (the flipped table), from the manifest's formulas
    const fixed = manifest.plan.temps
      .filter((t: { chunkedBy?: string }) => !t.chunkedBy)
      .reduce((acc: number, t: { bytes: [number, ...string[]][] }) => acc + bytes(t.bytes), 0);
    const messages: string[] = [];
    const got = await run(inputs, {
      memoryBudgetBytes: fixed + rows * perRow,
      onProgress: (_f: number, m: string) => messages.push(m),
    });
    expect(frobErr(got, whole)).toBeLessThan(1e-14);
    expect(messages.filter((m) => m.startsWith('S chunk')).length).toBeGreaterThanOrEqual(
      Math.ceil(c.map.S / (rows + 4)),
    );
  });
});
