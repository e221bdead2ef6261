// bad_inputs.test.ts — inputs a kernel cannot use are clear errors that name the input, the element and the
// declared range (i32(shape, { bounds }) or { range }, checked by the shared runtime before any work), on every
// target's module; an input the kernel does not take is an error, not ignored.
import { describe, expect, it } from 'vitest';
import * as jsPreload from '../../kernels/js/w_tilde_from_preload.js';
import * as wgslPreload from '../../kernels/wgsl/w_tilde_from_preload.js';
import * as cudaPreload from '../../kernels/cuda/w_tilde_from_preload.js';
import { regularizationConstant } from '../../kernels/js/regularization_constant.js';
import { dataVector } from '../../kernels/js/data_vector.js';
import { curvatureMatrix } from '../../kernels/js/curvature_matrix.js';
import { wTildeDirect } from '../../kernels/js/w_tilde_direct.js';
import { logEvidence } from '../../kernels/js/log_evidence.js';

const TARGETS: [string, (inputs: any) => Promise<unknown>][] = [
  ['js', (i) => jsPreload.wTildeFromPreload(i)],
  ['wgsl', (i) => wgslPreload.wTildeFromPreload(i)],
  ['cuda', (i) => cudaPreload.wTildeFromPreload(i)],
];

describe.each(TARGETS)('wTildeFromPreload (%s module)', (_target, run) => {
  it('shape [0, 3] with M = 2 pixels: no pixel can be on the grid', async () => {
    await expect(
      run({ preload: new Float64Array(0), shape: [0, 3], nativeIndex: new Int32Array([0, 0, 0, 1]) }),
    ).rejects.toThrow(
      "wTildeFromPreload: input 'nativeIndex'[0, 0] = 0 is outside its declared range 0 ≤ value < Ny (Ny = 0 from 'shape'), which is empty",
    );
  });
  it('a row outside the grid', async () => {
    await expect(
      run({ preload: new Float64Array(24), shape: [3, 2], nativeIndex: new Int32Array([0, 0, 1, 1, 3, 0]) }),
    ).rejects.toThrow(
      "wTildeFromPreload: input 'nativeIndex'[2, 0] = 3 is outside its declared range 0 ≤ value < Ny (Ny = 3 from 'shape')",
    );
  });
  it('a negative column', async () => {
    await expect(
      run({ preload: new Float64Array(24), shape: [3, 2], nativeIndex: new Int32Array([0, 0, 1, -1]) }),
    ).rejects.toThrow(
      "wTildeFromPreload: input 'nativeIndex'[1, 1] = -1 is outside its declared range 0 ≤ value < Nx (Nx = 2 from 'shape')",
    );
  });
  it('an unknown extra input', async () => {
    await expect(
      run({ preload: new Float64Array(24), shape: [3, 2], nativeIndex: new Int32Array([0, 0]), bogus: 1 }),
    ).rejects.toThrow("wTildeFromPreload: unknown input 'bogus' (this kernel takes preload, shape, nativeIndex)");
  });
});

describe('index inputs of the JS kernels', () => {
  const reg = (neighborsSizes: number[]) =>
    regularizationConstant({
      coefficient: 1,
      neighbors: new Int32Array([1, -1, 0, -1, 1, 0]),
      neighborsSizes: Int32Array.from(neighborsSizes),
      sourcePixels: 3,
    });
  it('neighborsSizes larger than the P slots', async () => {
    await expect(reg([1, 1, 3])).rejects.toThrow(
      "regularizationConstant: input 'neighborsSizes'[2] = 3 is outside its declared range 0 ≤ value < P + 1 (P = 2 from the length of 'neighbors')",
    );
  });
  it('negative neighborsSizes', async () => {
    await expect(reg([1, -1, 2])).rejects.toThrow(
      "regularizationConstant: input 'neighborsSizes'[1] = -1 is outside its declared range 0 ≤ value < P + 1 (P = 2 from the length of 'neighbors')",
    );
  });
  it('in-range neighborsSizes (0 and P included) still work', async () => {
    expect((await reg([0, 2, 2])).length).toBe(9);
  });
  it('a neighbour index past the source pixels', async () => {
    await expect(
      regularizationConstant({
        coefficient: 1,
        neighbors: new Int32Array([1, 3]),
        neighborsSizes: new Int32Array([1, 1]),
        sourcePixels: 2,
      }),
    ).rejects.toThrow(
      "regularizationConstant: input 'neighbors'[1, 0] = 3 is outside its declared range -1 ≤ value < S (S = 2 from 'sourcePixels')",
    );
  });
  it('pixIndexes past the source pixels (dataVector and curvatureMatrix)', async () => {
    await expect(
      dataVector({
        dirtyImage: new Float64Array(2),
        pixIndexes: new Int32Array([0, -1, 4, 1]),
        pixWeights: new Float64Array(4),
        sourcePixels: 4,
      }),
    ).rejects.toThrow(
      "dataVector: input 'pixIndexes'[1, 0] = 4 is outside its declared range -1 ≤ value < S (S = 4 from 'sourcePixels')",
    );
    await expect(
      curvatureMatrix({
        preload: new Float64Array(24),
        shape: [3, 2],
        nativeIndex: new Int32Array([0, 0]),
        pixIndexes: new Int32Array([-2]),
        pixWeights: new Float64Array(1),
        sourcePixels: 4,
      }),
    ).rejects.toThrow(
      "curvatureMatrix: input 'pixIndexes'[0, 0] = -2 is outside its declared range -1 ≤ value < S (S = 4 from 'sourcePixels')",
    );
  });
  it('unknown inputs of a kernel without index inputs', async () => {
    await expect(
      wTildeDirect({
        noiseReal: new Float64Array(1),
        uv: new Float64Array(2),
        grid: new Float64Array(2),
        noiseImag: new Float64Array(1),
      } as any),
    ).rejects.toThrow("wTildeDirect: unknown input 'noiseImag' (this kernel takes noiseReal, uv, grid)");
  });
});

describe('logEvidence with non-finite inputs', () => {
  const S = 3;
  const spd = (d: number) => Float64Array.from({ length: S * S }, (_, i) => (Math.floor(i / S) === i % S ? d : 0.1));
  const inputs = () => ({
    curvature: spd(4),
    regularization: spd(1),
    dataVector: new Float64Array(S).fill(1),
    visibilities: new Float64Array(4).fill(1),
    noiseMap: new Float64Array(4).fill(1),
  });
  it.each([
    ['curvature', 4, NaN],
    ['curvature', 0, Infinity],
    ['regularization', 8, -Infinity],
    ['regularization', 5, NaN],
    ['dataVector', 2, NaN],
    ['visibilities', 1, Infinity],
    ['noiseMap', 3, NaN],
  ] as const)(
    '%s[%i] = %s is named as such (not "not positive definite", not a NaN result)',
    async (name, at, value) => {
      const inp = inputs();
      inp[name][at] = value;
      await expect(logEvidence(inp)).rejects.toThrow(
        `logEvidence: input '${name}' holds ${value} (element ${at}, row-major); the inputs must be finite numbers`,
      );
    },
  );
  it('a finite matrix that is not positive definite is still reported as such', async () => {
    const inp = inputs();
    inp.curvature = spd(-5);
    await expect(logEvidence(inp)).rejects.toThrow(/not positive definite/);
  });
});
