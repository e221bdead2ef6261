// worker_death.test.ts — a pool worker that dies in the middle of a kernel call makes that call reject with an
// error saying so (and naming the task), and the next call works: the pool replaces the worker.
import { describe, expect, it } from 'vitest';
import { wTildeDirect } from '../../kernels/js/w_tilde_direct.js';
import { wTildeCase, wTildeLoop } from '../helpers/w_tilde_case.ts';

/** The runtime's process-wide state (a test hook: the pool's live workers). */
const runtimeState = () => (globalThis as any)[Symbol.for('lensc.runtime.js.state')];

describe('a pool worker that dies mid-call', () => {
  it('rejects that call clearly, and the pool replaces the worker for the next call', async () => {
    const c = wTildeCase(8, 400, 7);
    const inputs = { noiseReal: c.noiseReal, uv: c.uv, grid: c.grid };
    const call = wTildeDirect(inputs, { threads: 2 });
    // Kill the worker while it has a piece of this call in flight (checked and killed in one turn of the loop).
    for (;;) {
      const slot = runtimeState()?.pool?.slots?.[0];
      if (slot?.pending?.size > 0) {
        await slot.worker.terminate();
        break;
      }
      await new Promise((r) => setImmediate(r));
    }
    await expect(call).rejects.toThrow(
      /a pool worker exited with code 1 \(while running task 's0' of .*w_tilde_direct\.js \[\d+, \d+\)\); the pool replaces it/,
    );
    const again = await wTildeDirect(inputs, { threads: 2 });
    const ref = wTildeLoop(c);
    let worst = 0;
    for (let i = 0; i < ref.length; i++) worst = Math.max(worst, Math.abs(again[i]! - ref[i]!) / Math.abs(ref[0]!)); // ref[0] = Σ 1/σ², the largest entry
    expect(worst).toBeLessThan(1e-12);
    expect(runtimeState().pool.workers().length).toBe(1);
  });
});
