// The mapping-matrix kernels on the JS backend (committed kernels/js modules) against dense
// brute-force loops: curvatureMatrix F = Tᵀ W̃ T from the preload table, dirtyImage, and
// dataVector D = Tᵀ·dirty; B = 1, 3, 4 slots per pixel with −1 slots scattered, S = 37;
// determinism of F over thread counts; input-length errors name the input.
import { afterAll, describe, expect, it } from 'vitest';
import { shutdown } from '../../backends/js/runtime/index.js';
import { curvatureMatrix } from '../../kernels/js/curvature_matrix.js';
import { dataVector } from '../../kernels/js/data_vector.js';
import { dirtyImage } from '../../kernels/js/dirty_image.js';
import { relErr } from '../helpers/random.ts';
import {
  ARCSEC,
  circularMask,
  curvatureRef,
  dataVectorRef,
  dirtyImageRef,
  expandPreloadRef,
  fullMask,
  irregularMask,
  mappingMatrixRef,
  maskedGrid,
  preloadRef,
  randomMapping,
  randomVisibilities,
  sameBits,
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
    '12×12 irregular, B = 1, S = 37, K = 257',
    mk(maskedGrid(12, 12, d, d, irregularMask(12, 12, 0.5, 3)), 257, 37, 1, 3),
  ],
  ['12×11 irregular, B = 4, S = 5, K = 1', mk(maskedGrid(12, 11, d, d, irregularMask(12, 11, 0.3, 4)), 1, 5, 4, 4)],
];

const curvatureInputs = ({ g, v, map }: Case, table = preloadRef(v.noiseReal, v.uv, g.Ny, g.Nx, g.dy, g.dx)) => ({
  preload: table,
  shape: [g.Ny, g.Nx],
  nativeIndex: g.nativeIndex,
  pixIndexes: map.pixIndexes,
  pixWeights: map.pixWeights,
  sourcePixels: map.S,
});

describe('mapping kernels vs brute force', () => {
  it('the generated mappings have scattered −1 slots and weights summing to 1', () => {
    const { map, g } = cases[0]![1];
    let unused = 0,
      notTrailing = 0;
    for (let m = 0; m < g.M; m++) {
      let total = 0;
      for (let b = 0; b < map.B; b++) {
        const idx = map.pixIndexes[m * map.B + b]!;
        total += map.pixWeights[m * map.B + b]!;
        if (idx < 0) {
          unused++;
          if (b < map.B - 1 && map.pixIndexes[m * map.B + b + 1]! >= 0) notTrailing++;
        }
      }
      expect(total).toBeCloseTo(1, 14);
    }
    expect(unused).toBeGreaterThan(0);
    expect(notTrailing).toBeGreaterThan(0);
  });

  it.each(cases)('curvatureMatrix: %s', async (_label, c) => {
    const inputs = curvatureInputs(c);
    const T = mappingMatrixRef(c.map, c.g.M);
    const want = curvatureRef(expandPreloadRef(inputs.preload, c.g.Ny, c.g.Nx, c.g.nativeIndex), T, c.g.M, c.map.S);
    const got = await curvatureMatrix(inputs);
    expect(got).toHaveLength(c.map.S * c.map.S);
    expect(relErr(got, want)).toBeLessThan(1e-10);
  });

  it.each(cases)('dirtyImage and dataVector: %s', async (_label, { g, v, map }) => {
    const want = dirtyImageRef(v, g.grid);
    const dirty = await dirtyImage({ visibilities: v.visibilities, noiseMap: v.noiseMap, uv: v.uv, grid: g.grid });
    expect(dirty).toHaveLength(g.M);
    expect(relErr(dirty, want)).toBeLessThan(1e-10);
    const D = await dataVector({
      dirtyImage: want,
      pixIndexes: map.pixIndexes,
      pixWeights: map.pixWeights,
      sourcePixels: map.S,
    });
    expect(D).toHaveLength(map.S);
    expect(relErr(D, dataVectorRef(mappingMatrixRef(map, g.M), want, map.S))).toBeLessThan(1e-10);
  });

  it('curvatureMatrix is bitwise identical with 1 and 2 threads', async () => {
    const inputs = curvatureInputs(cases[1]![1]);
    const one = await curvatureMatrix(inputs, { threads: 1 });
    const two = await curvatureMatrix(inputs, { threads: 2 });
    expect(sameBits(one, two)).toBe(true);
  });
});

describe('mapping kernel input errors', () => {
  const c = cases[0]![1];
  it('curvatureMatrix names the input with the wrong length', async () => {
    const inputs = curvatureInputs(c);
    await expect(curvatureMatrix({ ...inputs, pixWeights: inputs.pixWeights.subarray(1) })).rejects.toThrow(
      /input 'pixWeights' must have length/,
    );
    await expect(curvatureMatrix({ ...inputs, preload: inputs.preload.subarray(2) })).rejects.toThrow(
      /input 'preload' must have length/,
    );
  });
  it('dirtyImage and dataVector name the input with the wrong length', async () => {
    const { g, v, map } = c;
    await expect(
      dirtyImage({ visibilities: v.visibilities, noiseMap: v.noiseMap.subarray(2), uv: v.uv, grid: g.grid }),
    ).rejects.toThrow(/'noiseMap' must have length/);
    await expect(
      dataVector({
        dirtyImage: new Float64Array(g.M + 1),
        pixIndexes: map.pixIndexes,
        pixWeights: map.pixWeights,
        sourcePixels: map.S,
      }),
    ).rejects.toThrow(/input '(dirtyImage|pixIndexes)'/);
    await expect(
      dataVector({
        dirtyImage: new Float64Array(g.M),
        pixIndexes: map.pixIndexes,
        pixWeights: map.pixWeights.subarray(3),
        sourcePixels: map.S,
      }),
    ).rejects.toThrow(/input 'pixWeights' must have length/);
  });
});
