// The W̃ kernels on the JS backend (committed kernels/js modules) against brute-force loops:
// wTilde, wTildeDirect, wTildePreload and wTildeFromPreload on circular, full and irregular masks,
// square and non-square grids (dy ≠ dx), odd K; determinism of the preload over thread counts.
import { afterAll, describe, expect, it } from 'vitest';
import { shutdown } from '../../backends/js/runtime/index.js';
import { wTilde } from '../../kernels/js/w_tilde.js';
import { wTildeDirect } from '../../kernels/js/w_tilde_direct.js';
import { wTildePreload } from '../../kernels/js/w_tilde_preload.js';
import { wTildeFromPreload } from '../../kernels/js/w_tilde_from_preload.js';
import { relErr } from '../helpers/random.ts';
import {
  ARCSEC,
  circularMask,
  expandPreloadRef,
  fullMask,
  irregularMask,
  maskedGrid,
  preloadRef,
  randomVisibilities,
  sameBits,
  wTildeRef,
  type MaskedGrid,
  type Visibilities,
} from '../helpers/interferometer.ts';

afterAll(() => shutdown());

const d = 0.05 * ARCSEC;
const cases: [string, MaskedGrid, Visibilities][] = [
  ['12×12 circular, K = 1001', maskedGrid(12, 12, d, d, circularMask(12, 12, 5)), randomVisibilities(1001, d, d, 1)],
  [
    '11×13 full, dy ≠ dx, K = 257',
    maskedGrid(11, 13, d, 1.4 * d, fullMask(11, 13)),
    randomVisibilities(257, d, 1.4 * d, 2),
  ],
  [
    '12×12 irregular, K = 257',
    maskedGrid(12, 12, d, d, irregularMask(12, 12, 0.4, 3)),
    randomVisibilities(257, d, d, 3),
  ],
  [
    '13×11 irregular, dy ≠ dx, K = 1',
    maskedGrid(13, 11, 0.8 * d, d, irregularMask(13, 11, 0.5, 4)),
    randomVisibilities(1, 0.8 * d, d, 4),
  ],
];

const preloadInputs = (g: MaskedGrid, v: Visibilities) => ({
  noiseReal: v.noiseReal,
  uv: v.uv,
  shape: [g.Ny, g.Nx],
  pixelScales: Float64Array.of(g.dy, g.dx),
});

describe('W̃ kernels vs brute force', () => {
  it.each(cases)('wTilde and wTildeDirect: %s', async (_label, g, v) => {
    const want = wTildeRef(v.noiseReal, v.uv, g.grid);
    const inputs = { noiseReal: v.noiseReal, uv: v.uv, grid: g.grid };
    expect(relErr(await wTilde(inputs), want)).toBeLessThan(1e-10);
    expect(relErr(await wTildeDirect(inputs), want)).toBeLessThan(1e-10);
  });

  it.each(cases)('wTildePreload: %s', async (_label, g, v) => {
    const want = preloadRef(v.noiseReal, v.uv, g.Ny, g.Nx, g.dy, g.dx);
    const got = await wTildePreload(preloadInputs(g, v));
    expect(got).toHaveLength(4 * g.Ny * g.Nx);
    expect(relErr(got, want)).toBeLessThan(1e-10);
    // Row Ny and column Nx are exactly zero.
    for (let b = 0; b < 2 * g.Nx; b++) expect(got[g.Ny * 2 * g.Nx + b]).toBe(0);
    for (let a = 0; a < 2 * g.Ny; a++) expect(got[a * 2 * g.Nx + g.Nx]).toBe(0);
  });

  it.each(cases)('wTildeFromPreload expands the table: %s', async (_label, g, v) => {
    const table = preloadRef(v.noiseReal, v.uv, g.Ny, g.Nx, g.dy, g.dx);
    const got = await wTildeFromPreload({ preload: table, shape: [g.Ny, g.Nx], nativeIndex: g.nativeIndex });
    // A pure gather: exact.
    expect(sameBits(got, expandPreloadRef(table, g.Ny, g.Nx, g.nativeIndex))).toBe(true);
    // And the expansion is W̃ itself (the reference loops agree with each other).
    expect(relErr(got, wTildeRef(v.noiseReal, v.uv, g.grid))).toBeLessThan(1e-12);
  });

  it('wTildePreload is bitwise identical with 1 and 2 threads', async () => {
    const [, g, v] = cases[1]!;
    const one = await wTildePreload(preloadInputs(g, v), { threads: 1 });
    const two = await wTildePreload(preloadInputs(g, v), { threads: 2 });
    expect(sameBits(one, two)).toBe(true);
  });
});

describe('W̃ kernel input errors', () => {
  const [, g, v] = cases[2]!;
  it('wTildePreload names the input with the wrong length', async () => {
    await expect(wTildePreload({ ...preloadInputs(g, v), uv: v.uv.subarray(1) })).rejects.toThrow(
      /input 'uv' must have length/,
    );
    await expect(wTildePreload({ ...preloadInputs(g, v), pixelScales: Float64Array.of(d) })).rejects.toThrow(
      /input 'pixelScales' must have length 2/,
    );
  });
  it('wTildeFromPreload names the input with the wrong length', async () => {
    const table = new Float64Array(4 * g.Ny * g.Nx);
    await expect(
      wTildeFromPreload({ preload: table.subarray(1), shape: [g.Ny, g.Nx], nativeIndex: g.nativeIndex }),
    ).rejects.toThrow(/input 'preload' must have length/);
    await expect(
      wTildeFromPreload({ preload: table, shape: [g.Ny, g.Nx], nativeIndex: g.nativeIndex.subarray(1) }),
    ).rejects.toThrow(/'nativeIndex'/);
  });
});
