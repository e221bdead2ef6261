// memory.test.ts — a long-running process gets its memory back: after a call with a large output, once the
// caller drops the output, the idle arena is released (WebAssembly memory cannot shrink, so the whole arena is
// dropped and collected) and RSS falls back near where it started; the next call starts a fresh arena.
import { describe, expect, it } from 'vitest';
import { kernelUrl, runNode } from './child.ts';

describe('memory comes back', () => {
  it('an idle arena grown by a 128 MiB output is released, and calls still work after', async () => {
    const r = await runNode(`
      import { wTildeDirect } from ${JSON.stringify(kernelUrl('w_tilde_direct'))};
      const mib = () => process.memoryUsage().rss / 2 ** 20;
      const inputs = (M) => ({ noiseReal: new Float64Array(2).fill(1), uv: new Float64Array(4).fill(1), grid: new Float64Array(2 * M) });
      const start = mib();
      let out = await wTildeDirect(inputs(4000), { threads: 2 });
      const peak = mib();
      out = null;
      await new Promise((res) => setTimeout(res, 3000));
      const after = mib();
      const state = globalThis[Symbol.for('lensc.runtime.js.state')];
      const again = await wTildeDirect(inputs(3), { threads: 2 });
      console.log(JSON.stringify({ start, peak, after, released: state.arena === null || state.arena.memory.buffer.byteLength < 2 ** 26, again: again.length }));`);
    expect(r.stderr).toBe('');
    const m = JSON.parse(r.stdout);
    expect(m.peak - m.start).toBeGreaterThan(200); // the output and the arena: 2 × 122 MiB
    expect(m.after - m.start).toBeLessThan(60);
    expect(m.released).toBe(true);
    expect(m.again).toBe(9);
    expect(r.code).toBe(0);
  });
});
