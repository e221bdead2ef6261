// W̃ on the JS backend at sizes where the one SYRK over the [C S] panel (compiler/plan/merge_sibling_syrks.ts)
// runs tiled over the pool and the lower-only accumulations are mirrored once after the chunk loop
// (backends/js/deferred_mirror.ts): against the brute-force triple loop, exactly symmetric, chunk tails,
// bitwise identical for 1 and 2 threads — on the native BLAS (when present) and on the WebAssembly kernels.
import { afterAll, describe, expect, it } from 'vitest';
import { blasInfo, shutdown, useNativeBlas } from '../../backends/js/runtime/index.js';
import { wTilde } from '../../std/w_tilde.ts';
import { buildAndImport } from '../helpers/build.ts';
import { relErr } from '../helpers/random.ts';
import { wTildeCase, wTildeLoop } from '../helpers/w_tilde_case.ts';

afterAll(() => {
  useNativeBlas(true);
  return shutdown();
});

const BACKENDS = blasInfo().backend === 'openblas' ? ['openblas', 'wasm'] : ['wasm'];

// M = 121 (11×11), K = 601: M²·2K_chunk/2 passes the native path's one-call limit (2²¹), so the SYRK is cut
// into row panels; a 16·M·250-byte budget (the panel and the packing scratch share it: chunks of 122) gives
// four chunks and a tail.
const c = wTildeCase(11, 601, 31);
const ins = { noiseReal: c.noiseReal, uv: c.uv, grid: c.grid };
const want = wTildeLoop(c);

describe.each(BACKENDS)('wTilde over the [C S] panel on %s', (backend) => {
  it('matches the direct loop, is exactly symmetric, and is the same for 1 and 2 threads', async () => {
    useNativeBlas(backend === 'openblas');
    const { run, code } = await buildAndImport(wTilde);
    expect(code).toContain('lowerOnly: true');
    expect(code).toContain('support.mirrorLower(A.view(b.out_result)');
    for (const budget of [undefined, 16 * c.M * 250]) {
      const one: Float64Array = await run(ins, { threads: 1, memoryBudgetBytes: budget });
      const two: Float64Array = await run(ins, { threads: 2, memoryBudgetBytes: budget });
      expect(relErr(one, want)).toBeLessThan(1e-12);
      expect(two).toEqual(one);
      for (let i = 0; i < c.M; i++)
        for (let j = 0; j < i; j++) expect(Object.is(one[i * c.M + j], one[j * c.M + i])).toBe(true);
    }
  });
});
