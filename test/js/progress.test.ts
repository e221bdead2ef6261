// Progress inside a long stage (JS target): with onProgress, a map stage that runs for seconds reports several
// times — whenever 0.5 s of work passed — with fractions that never go back, and its result is bit for bit the
// one without onProgress (slicing the parallel range changes no element's arithmetic). Sized so the stage runs
// ~2–5 s on the shared CI machines; the number of reports is checked against the run's own duration.
import { afterAll, describe, expect, it } from 'vitest';
import { shutdown } from '../../backends/js/runtime/index.js';
import { kernel, f64, cos, sum, mul } from '../../dsl/index.ts';
import { buildAndImport } from '../helpers/build.ts';

afterAll(() => shutdown());

const heavy = kernel({
  name: 'heavyCosSum',
  params: { x: f64(['N']), y: f64(['K']) },
  body: ({ x, y }) => sum(cos(mul(x.reshape(['N', 1]), y.reshape([1, 'K']))), 'K'),
});

describe('progress inside a long stage', () => {
  it('reports at least every ~0.5 s of work, monotonically, without changing the result', async () => {
    const { run } = await buildAndImport(heavy, 'js');
    // Sized to the machine: K doubles until the stage runs ≥ 1.5 s without progress reports (an idle
    // CI machine runs K = 1.5·10⁶ in ~0.25 s, a loaded one takes seconds), so the count check below means
    // the same everywhere.
    const N = 96;
    const x = Float64Array.from({ length: N }, (_, i) => 0.001 * (i + 1));
    let K = 1_500_000,
      y: Float64Array,
      plain: Float64Array;
    for (;;) {
      y = Float64Array.from({ length: K }, (_, k) => Math.sin(k));
      const t = performance.now();
      plain = await run({ x, y }, { threads: 2 });
      if (performance.now() - t >= 1500 || K >= 48_000_000) break;
      K *= 2;
    }
    const calls: { t: number; f: number; m: string }[] = [];
    const t0 = performance.now();
    const got: Float64Array = await run(
      { x, y },
      { threads: 2, onProgress: (f: number, m: string) => calls.push({ t: performance.now() - t0, f, m }) },
    );
    const total = performance.now() - t0;
    expect(Array.from(got)).toEqual(Array.from(plain));
    const times = [0, ...calls.map((c) => c.t), total];
    const maxGap = Math.max(...times.slice(1).map((t, i) => t - times[i]!));
    console.log(
      `heavyCosSum: ${total.toFixed(0)} ms, ${calls.length} reports, largest gap ${maxGap.toFixed(0)} ms: ${calls
        .map((c) => c.m)
        .slice(0, 3)
        .join(' | ')}`,
    );
    for (let i = 1; i < calls.length; i++) expect(calls[i]!.f).toBeGreaterThanOrEqual(calls[i - 1]!.f);
    for (const c of calls) {
      expect(c.f).toBeGreaterThanOrEqual(0);
      expect(c.f).toBeLessThanOrEqual(1);
    }
    // One report per 0.5 s of work, less one slice's worth at each end (slices aim at 0.25 s). Wall time is not
    // work time on a shared machine (a descheduled worker stretches one slice), so the count is checked with a
    // factor-2 margin: the property is "reports keep coming", not a timing.
    expect(calls.filter((c) => /stage s\d+: \d+ % of 96 rows/.test(c.m)).length).toBeGreaterThanOrEqual(
      Math.max(2, Math.floor(total / 1000) - 2),
    );
    expect(total).toBeGreaterThan(500); // the stage must be long enough for the check above to mean something
  });
});
