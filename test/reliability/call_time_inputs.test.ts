// call_time_inputs.test.ts — a call uses its inputs as they were when it was made (validated and copied before
// its first await), like a Web API taking a BufferSource: replacing an input or writing into it afterwards —
// also while the call is queued behind another — changes nothing.
import { describe, expect, it } from 'vitest';
import { dataVector } from '../../kernels/js/data_vector.js';
import { wTildeDirect } from '../../kernels/js/w_tilde_direct.js';
import { wTildeCase } from '../helpers/w_tilde_case.ts';
import { randomMapping } from '../helpers/interferometer.ts';

const bitwiseEqual = (a: Float64Array, b: Float64Array) =>
  a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
const copyOf = <T extends Record<string, unknown>>(o: T): T =>
  Object.fromEntries(
    Object.entries(o).map(([k, v]) => [k, ArrayBuffer.isView(v) ? (v as Float64Array).slice() : v]),
  ) as T;

describe('inputs are taken at call time', () => {
  it('replacing an input with a shorter array after the call changes nothing', async () => {
    const c = wTildeCase(5, 40, 3);
    const inp: Record<string, any> = { noiseReal: c.noiseReal, uv: c.uv, grid: c.grid };
    const want = await wTildeDirect(copyOf(inp) as any, { threads: 2 });
    const call = wTildeDirect(inp as any, { threads: 2 });
    inp.uv = new Float64Array(2);
    inp.grid = new Float64Array(0);
    expect(bitwiseEqual(await call, want)).toBe(true);
  });

  it('writing into an input after the call changes nothing, also when the call is queued', async () => {
    const M = 400,
      S = 37;
    const map = randomMapping(M, S, 3, 11);
    const dirty = Float64Array.from({ length: M }, (_, i) => Math.cos(i));
    const inp = { dirtyImage: dirty, pixIndexes: map.pixIndexes, pixWeights: map.pixWeights, sourcePixels: S };
    const want = await dataVector(copyOf(inp), { threads: 2 });
    const c = wTildeCase(10, 300, 5);
    const ahead = wTildeDirect({ noiseReal: c.noiseReal, uv: c.uv, grid: c.grid }, { threads: 2 }); // holds the runtime
    const calls = [dataVector(inp, { threads: 2 }), dataVector(inp, { threads: 1 })];
    dirty.fill(1e300);
    map.pixWeights.fill(-1);
    map.pixIndexes.fill(S + 5); // out of range now: the call must not see it
    await ahead;
    for (const r of await Promise.all(calls)) expect(bitwiseEqual(r, want)).toBe(true);
  });
});

// The GPU modules read their inputs after awaiting the device: they take a copy when called.
describe.skipIf(process.env.LENSC_SKIP_WGSL === '1')('inputs are taken at call time on the wgsl target', () => {
  it('writing into and replacing inputs after the call changes nothing', async () => {
    const { dataVector: dv } = await import('../../kernels/wgsl/data_vector.js');
    const M = 300,
      S = 37;
    const map = randomMapping(M, S, 3, 12);
    const dirty = Float64Array.from({ length: M }, (_, i) => Math.sin(i));
    const inp: Record<string, any> = {
      dirtyImage: dirty,
      pixIndexes: map.pixIndexes,
      pixWeights: map.pixWeights,
      sourcePixels: S,
    };
    const want = await dv(copyOf(inp) as any);
    const call = dv(inp as any);
    dirty.fill(1e30);
    map.pixWeights.fill(-1);
    inp.pixIndexes = new Int32Array(0);
    expect(bitwiseEqual(await call, want)).toBe(true);
  });
});

describe('inputs are taken at call time on the cuda target (emulated device)', () => {
  it('the generated module copies its inputs before its first await', async () => {
    // The CUDA module awaits the driver before uploading: its copy is made right after the sizes are bound.
    const { readFileSync } = await import('node:fs');
    const code = readFileSync('kernels/cuda/data_vector.js', 'utf8');
    const bind = code.indexOf('const sizes = bindSizes('),
      snap = code.indexOf('inputs = snapshotInputs('),
      firstAwait = code.indexOf('await', bind);
    expect(bind).toBeGreaterThan(0);
    expect(snap).toBeGreaterThan(bind);
    expect(snap).toBeLessThan(firstAwait);
  });
});
