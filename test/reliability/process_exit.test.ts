// process_exit.test.ts — a program that imports a kernel exits by itself after every kind of call (no
// shutdown()), survives Node flags that workers reject, and never starts more workers than the machine has.
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { kernelUrl, runNode } from './child.ts';

const DV = kernelUrl('data_vector'),
  WD = kernelUrl('w_tilde_direct');

/** dataVector inputs (M pixels, B slots, S source pixels), deterministic. */
const dvInputs = (M: number, B: number, S: number) => `{
  dirtyImage: Float64Array.from({ length: ${M} }, (_, i) => Math.sin(i)),
  pixIndexes: Int32Array.from({ length: ${M * B} }, (_, i) => (i * 7) % ${Math.max(S, 1)}),
  pixWeights: Float64Array.from({ length: ${M * B} }, (_, i) => 1 / (1 + i)),
  sourcePixels: ${S} }`;
/** wTildeDirect inputs for M pixels and K visibilities, deterministic. */
const wdInputs = (M: number, K: number) => `{
  noiseReal: Float64Array.from({ length: ${K} }, (_, i) => 1 + (i % 3)),
  uv: Float64Array.from({ length: ${2 * K} }, (_, i) => 1e4 * Math.cos(i)),
  grid: Float64Array.from({ length: ${2 * M} }, (_, i) => 1e-6 * Math.sin(i)) }`;

const CALLS: [string, string][] = [
  [
    'dataVector with default options (no work sent to a worker)',
    `
    import { dataVector } from ${JSON.stringify(DV)};
    const r = await dataVector(${dvInputs(5, 3, 4)});
    console.log('ok', r.length);`,
  ],
  [
    'threads: 4 on a range that splits into fewer pieces',
    `
    import { wTildeDirect } from ${JSON.stringify(WD)};
    const r = await wTildeDirect(${wdInputs(2, 3)}, { threads: 4 });
    console.log('ok', r.length);`,
  ],
  [
    'a call that fails validation',
    `
    import { wTildeDirect } from ${JSON.stringify(WD)};
    await wTildeDirect({ noiseReal: new Float64Array(3), uv: new Float64Array(5), grid: new Float64Array(4) }, { threads: 2 })
      .then(() => console.log('unexpected success'), (e) => console.log('ok', e.constructor.name));`,
  ],
  [
    'a zero-size call',
    `
    import { wTildeDirect } from ${JSON.stringify(WD)};
    const r = await wTildeDirect(${wdInputs(0, 3)}, { threads: 2 });
    console.log('ok', r.length);`,
  ],
  [
    'a call whose pieces run on workers',
    `
    import { wTildeDirect } from ${JSON.stringify(WD)};
    const r = await wTildeDirect(${wdInputs(64, 50)}, { threads: 2 });
    console.log('ok', r.length);`,
  ],
  [
    'a call whose worker piece fails',
    `
    import { dataVector } from ${JSON.stringify(DV)};
    const inp = ${dvInputs(4000, 2, 10)};
    await dataVector(inp, { threads: 2 }); // starts the worker
    const bad = { ...inp, pixIndexes: inp.pixIndexes.map((v, i) => (i === 7000 ? 10 : v)) };
    await dataVector(bad, { threads: 2 }).then(() => console.log('unexpected success'), () => console.log('ok', 0));`,
  ],
];

describe('a process that imports a kernel exits by itself', () => {
  it.each(CALLS)('after %s', async (_what, source) => {
    const r = await runNode(source);
    expect(r.hung, `hung; stderr: ${r.stderr}`).toBe(false);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^ok /);
    expect(r.code).toBe(0);
  });
});

describe('Node flags in execArgv', () => {
  it.each([
    [['--max-old-space-size=4096']],
    [['--expose-gc', '--stack-size=2000']],
    [['--title=lensc-test', '--no-warnings']],
  ])('threads ≥ 2 work under %j', async (flags) => {
    const r = await runNode(
      `
      import { wTildeDirect } from ${JSON.stringify(WD)};
      const inp = ${wdInputs(64, 50)};
      const one = await wTildeDirect(inp, { threads: 1 }), two = await wTildeDirect(inp, { threads: 2 });
      console.log(one.every((v, i) => Object.is(v, two[i])) ? 'same' : 'different', one.length);`,
      flags,
    );
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe(`same ${64 * 64}`);
    expect(r.code).toBe(0);
  });

  it('the workers still get the options they accept (--conditions reaches them)', async () => {
    const r = await runNode(
      `
      import { getRuntime } from ${JSON.stringify(new URL('../../backends/js/runtime/index.js', import.meta.url).href)};
      const rt = await getRuntime(2);
      const out = rt.arena.alloc(4, 'i32');
      const task = 'data:text/javascript,' + encodeURIComponent("export const __tasks = { argv(ctx, a, lo, hi) { for (let i = lo; i < hi; i++) ctx.i32(a.out)[i] = process.execArgv.includes('--conditions=lensc-probe') ? 1 : 0; } };");
      await rt.parallelFor(task, 'argv', 0, 4, { out });
      console.log(Array.from(rt.arena.view(out)).join(','));`,
      ['--conditions=lensc-probe', '--max-old-space-size=2048'],
    );
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('1,1,1,1');
    expect(r.code).toBe(0);
  });
});

describe('thread count', () => {
  it('threads: 256 starts at most availableParallelism() − 1 workers and still splits the work', async () => {
    const r = await runNode(`
      import { wTildeDirect } from ${JSON.stringify(WD)};
      const inp = ${wdInputs(40, 20)};
      const many = await wTildeDirect(inp, { threads: 256 }), one = await wTildeDirect(inp, { threads: 1 });
      const pool = globalThis[Symbol.for('lensc.runtime.js.state')].pool;
      console.log(pool.workers().length, many.every((v, i) => Object.is(v, one[i])));`);
    expect(r.stderr).toBe('');
    const [workers, same] = r.stdout.trim().split(' ');
    expect(Number(workers)).toBe(Math.max(1, availableParallelism() - 1));
    expect(same).toBe('true');
    expect(r.code).toBe(0);
  });
});
