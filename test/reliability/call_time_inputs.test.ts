// call_time_inputs.test.ts — a call uses its inputs as they were when it was made (validated and copied before
// its first await), like a Web API taking a BufferSource: replacing an input or writing into it afterwards —
// also while the call is queued behind another — changes nothing.
import { describe, expect, it } from 'vitest';
import { dataVector } from '../../kernels/js/data_vector.js';
import { wTildeDirect } from '../../kernels/js/w_tilde_direct.js';
import { wTildeCase } from '../helpers/w_tilde_case.ts';
import { randomMapping } from '../helpers/interferometer.ts';

const bitwiseEqual = (a: Float64Array, b: Float64Array) => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
const copyOf = <T extends Record<string, unknown>>(o: T): T =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, ArrayBuffer.isView(v) ? (v as Float64Array).slice() : v])) as T;

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
    const M = 400, S = 37;
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
