// The generated WGSL modules as programs use them: loops longer than llvmpipe's 65535 iterations per
// invocation (split over dispatches), errors exactly as on JS (input lengths, scatter indices, options),
// a caller's own GPUDevice, prepare(), repeatable results, and the f64-required kernels that run the
// JS kernel on the CPU.
import { afterAll, describe, expect, it } from 'vitest';
import { shutdown } from '../../backends/js/runtime/index.js';
import { getGpu } from '../../backends/wgsl/runtime/index.js';
import {
  fullMask,
  maskedGrid,
  randomMapping,
  randomNeighbours,
  randomVisibilities,
  sameBits,
  ARCSEC,
} from '../helpers/interferometer.ts';
import { frobErr, randomArray, rng } from '../helpers/random.ts';
import { add, f64, kernel, mul, scalar, sum } from '../../dsl/index.ts';
import { buildAndImport } from '../helpers/build.ts';
import { skipWgsl } from '../wgsl-runtime/gpu-setup.ts';
import { load, makeCase } from './kernels.ts';

afterAll(() => shutdown());

const d = 0.05 * ARCSEC;
const wTildeDirect = { file: 'w_tilde_direct', name: 'wTildeDirect' };
const dataVector = { file: 'data_vector', name: 'dataVector' };

describe.skipIf(skipWgsl)('WGSL modules', () => {
  it('sum over K = 140001 (beyond the loop-iteration limit) in one reduction', async () => {
    const g = maskedGrid(3, 3, d, d, fullMask(3, 3));
    const v = randomVisibilities(140001, d, d, 5);
    const inputs = { noiseReal: v.noiseReal, uv: v.uv, grid: g.grid };
    const want = await (await load('js', wTildeDirect))(inputs);
    const got = await (await load('wgsl', wTildeDirect))(inputs);
    expect(frobErr(got, want)).toBeLessThanOrEqual(1e-5);
  });

  it('a scatter of M·B = 90000 terms with no parallel axis (one invocation, split over dispatches)', async () => {
    const M = 30000,
      map = randomMapping(M, 37, 3, 6);
    const inputs = {
      dirtyImage: randomArray(M, rng(7)),
      pixIndexes: map.pixIndexes,
      pixWeights: map.pixWeights,
      sourcePixels: map.S,
    };
    const want = await (await load('js', dataVector))(inputs);
    const got = await (await load('wgsl', dataVector))(inputs);
    expect(frobErr(got, want)).toBeLessThanOrEqual(1e-5);
  });

  it('reductions stay compensated through the shader compiler (2^17 equal terms; naive f32 is ~1e-3 off)', async () => {
    const total = kernel({ name: 'total', params: { x: f64(['K']) }, body: ({ x }) => sum(x) });
    const { run } = await buildAndImport(total, 'wgsl');
    const K = 2 ** 17;
    const got = await run({ x: new Float64Array(K).fill(0.1) });
    expect(typeof got).toBe('number');
    expect(Math.abs(got - K * Math.fround(0.1)) / (K * 0.1)).toBeLessThanOrEqual(1e-6);
  });

  it('a scalar input travels in the uniforms; an empty reduction stores zeros', async () => {
    const scaleShift = kernel({
      name: 'scaleShift',
      params: { x: f64(['N']), a: scalar('f64') },
      body: ({ x, a }) => add(mul(x, a), 1),
    });
    const { run } = await buildAndImport(scaleShift, 'wgsl');
    expect(Array.from(await run({ x: Float64Array.of(1, 2, 3), a: 0.5 }))).toEqual([1.5, 2, 2.5]);
    const g = maskedGrid(2, 2, d, d, fullMask(2, 2));
    const empty = { noiseReal: new Float64Array(0), uv: new Float64Array(0), grid: g.grid };
    expect(Array.from(await (await load('wgsl', wTildeDirect))(empty))).toEqual([
      0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ]);
  });

  it("a scatter index outside the target is the JS backend's RangeError", async () => {
    const map = randomMapping(50, 37, 3, 8);
    map.pixIndexes[31] = 40;
    const inputs = {
      dirtyImage: randomArray(50, rng(9)),
      pixIndexes: map.pixIndexes,
      pixWeights: map.pixWeights,
      sourcePixels: map.S,
    };
    const js = await (await load('js', dataVector))(inputs).catch((e: Error) => e);
    expect(js).toBeInstanceOf(RangeError);
    await expect((await load('wgsl', dataVector))(inputs)).rejects.toThrow((js as Error).message);
  });

  it('input errors name the input, as on JS, before any GPU work', async () => {
    const c = makeCase(6, { radius: 2 }, 17, 3);
    const run = await load('wgsl', wTildeDirect);
    await expect(run({ noiseReal: c.v.noiseReal, uv: c.v.uv.subarray(1), grid: c.g.grid })).rejects.toThrow(
      /input 'uv'/,
    );
    await expect(run({ noiseReal: Float32Array.from(c.v.noiseReal), uv: c.v.uv, grid: c.g.grid })).rejects.toThrow(
      /input 'noiseReal' must be a Float64Array/,
    );
    await expect(run({ noiseReal: c.v.noiseReal, uv: c.v.uv, grid: c.g.grid }, { colour: 'blue' })).rejects.toThrow(
      /unknown option 'colour'/,
    );
    await expect(run({ noiseReal: c.v.noiseReal, uv: c.v.uv, grid: c.g.grid }, { device: 42 })).rejects.toThrow(
      /options.device must be a GPUDevice/,
    );
  });

  it('runs on a GPUDevice the caller passes, after prepare(), with repeatable results', async () => {
    const c = makeCase(8, { radius: 3 }, 300, 4);
    const inputs = { noiseReal: c.v.noiseReal, uv: c.v.uv, grid: c.g.grid };
    const mod = await import('../../kernels/wgsl/w_tilde.js');
    const device = (await getGpu()).device;
    await mod.prepare({ device });
    const a = await mod.wTilde(inputs, { device });
    const b = await mod.wTilde(inputs);
    expect(sameBits(a, b)).toBe(true);
    expect(frobErr(a, await (await load('js', { file: 'w_tilde', name: 'wTilde' }))(inputs))).toBeLessThanOrEqual(1e-5);
  });
});

describe('f64-required kernels on the wgsl target', () => {
  it('logEvidence and regularizationConstant run the f64 JS kernel and say so', async () => {
    const nb = randomNeighbours(20, 4, 3);
    const regInputs = {
      coefficient: 1.7,
      neighbors: nb.neighbors,
      neighborsSizes: nb.neighborsSizes,
      sourcePixels: 20,
    };
    const reg = await import('../../kernels/wgsl/regularization_constant.js');
    expect((reg.manifest.precision as { note: string }).note).toBe(
      'f64 on the CPU (JS backend): this kernel needs f64',
    );
    const H = await reg.regularizationConstant(regInputs, { device: undefined });
    expect(
      sameBits(
        H,
        await (
          await load('js', { file: 'regularization_constant', name: 'regularizationConstant' })
        )(regInputs),
      ),
    ).toBe(true);

    const ev = await import('../../kernels/wgsl/log_evidence.js');
    expect(ev.manifest.precision).toEqual({
      storage: 'f64',
      accumulator: 'f64',
      note: 'f64 on the CPU (JS backend): this kernel needs f64',
    });
    const S = 20,
      F = new Float64Array(S * S);
    for (let i = 0; i < S; i++) F[i * S + i] = 2 + i;
    const v = randomVisibilities(40, d, d, 3);
    const evInputs = {
      curvature: F,
      regularization: H,
      dataVector: randomArray(S, rng(4)),
      visibilities: v.visibilities,
      noiseMap: v.noiseMap,
    };
    await ev.prepare();
    const got = await ev.logEvidence(evInputs);
    const want = await (await import('../../kernels/js/log_evidence.js')).logEvidence(evInputs);
    expect(got.logEvidence).toBe(want.logEvidence);
    expect(sameBits(got.reconstruction, want.reconstruction)).toBe(true);
  });
});
