// `npx tsx bench/dft.ts [--M 3000] [--K 200000] [--repeats 3]`: the DFT as a user writes it
// (re = Σ_i I_i cos φ_ik, im = −Σ_i I_i sin φ_ik) compiled for js before and after the sibling-reduction
// passes (neg-into-sum, merge-sibling-reductions: one pass over (M, K) that evaluates φ once, instead of
// two passes and a stage for the negation), beside numpy chunked to the same 64 MiB, in one run.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { shutdown } from '../backends/js/runtime/index.js';
import { planKernel, renderKernel } from '../compiler/compile.ts';
import { add, cos, f64, kernel, mul, neg, reshape, sin, sum } from '../dsl/index.ts';
import { median } from './harness.ts';

const args = process.argv.slice(2);
const opt = (n: string, d: number) => {
  const i = args.indexOf(`--${n}`);
  return i >= 0 ? Number(args[i + 1]) : d;
};
const M = opt('M', 3000),
  K = opt('K', 200000),
  repeats = opt('repeats', 3),
  budget = 64 * 2 ** 20;

export const dft = kernel({
  name: 'dft',
  params: { image: f64(['M']), x: f64(['M']), y: f64(['M']), u: f64(['K']), v: f64(['K']) },
  body: ({ image, x, y, u, v }) => {
    const phase = mul(
      2 * Math.PI,
      add(mul(reshape(x, ['M', 1]), reshape(u, [1, 'K'])), mul(reshape(y, ['M', 1]), reshape(v, [1, 'K']))),
    );
    const I = reshape(image, ['M', 1]);
    return { re: sum(mul(I, cos(phase)), 0), im: neg(sum(mul(I, sin(phase)), 0)) };
  },
});

const OUT = path.resolve('bench/out/dft');
mkdirSync(OUT, { recursive: true });
type Run = (i: Record<string, unknown>, o?: Record<string, unknown>) => Promise<{ re: Float64Array; im: Float64Array }>;
async function build(label: string, skipPasses: string[]): Promise<{ run: Run; stages: number }> {
  const c = planKernel(dft, 'js', { skipPasses });
  const file = path.join(OUT, `${label}.js`);
  writeFileSync(file, renderKernel(c, 'js').code);
  return { run: (await import(pathToFileURL(file).href)).dft as Run, stages: c.program.stages.length };
}

let s = 7;
const rand = () => (s = (s * 16807) % 2147483647) / 2147483647;
const arr = (n: number, lo: number, hi: number) => Float64Array.from({ length: n }, () => lo + (hi - lo) * rand());
// pixel positions in arcsec-like units and uv in cycles per unit: phases of many turns
const inputs = { image: arr(M, 0, 1), x: arr(M, -1, 1), y: arr(M, -1, 1), u: arr(K, -50, 50), v: arr(K, -50, 50) };
for (const [n, a] of Object.entries(inputs)) writeFileSync(path.join(OUT, `${n}.f64`), Buffer.from(a.buffer));

const before = await build('before', ['neg-into-sum', 'merge-sibling-reductions']);
const after = await build('after', []);
const time = async (run: Run) => {
  const ts: number[] = [];
  let last;
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    last = await run(inputs, { threads: 2, memoryBudgetBytes: budget });
    ts.push((performance.now() - t0) / 1000);
  }
  return { median: median(ts), last: last! };
};
console.log(
  `DFT M = ${M}, K = ${K}, budget 64 MiB, 2 threads; load average ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}`,
);
const tb = await time(before.run),
  ta = await time(after.run);
const py = spawnSync('python3', ['bench/anchors/dft_numpy.py', OUT, String(repeats), String(budget)], {
  encoding: 'utf8',
});
if (py.status !== 0) throw new Error(py.stderr);
const np = JSON.parse(py.stdout) as { median_s: number };
const npRe = new Float64Array(readFileSync(path.join(OUT, 'numpy_re.f64')).buffer.slice(0));
const npIm = new Float64Array(readFileSync(path.join(OUT, 'numpy_im.f64')).buffer.slice(0));
const rel = (a: Float64Array, b: Float64Array) => {
  let n = 0,
    d = 0;
  for (let i = 0; i < a.length; i++) {
    n = Math.max(n, Math.abs(a[i]! - b[i]!));
    d = Math.max(d, Math.abs(b[i]!));
  }
  return n / d;
};
console.log(`  before (${before.stages} stages): ${tb.median.toFixed(2)} s`);
console.log(
  `  after  (${after.stages} stage${after.stages === 1 ? '' : 's'}): ${ta.median.toFixed(2)} s   (before / after ${(tb.median / ta.median).toFixed(2)})`,
);
console.log(
  `  numpy (chunked to 64 MiB): ${np.median_s.toFixed(2)} s   (numpy / after ${(np.median_s / ta.median).toFixed(2)})`,
);
console.log(
  `  max |diff| / max |value|: after vs before re ${rel(ta.last.re, tb.last.re).toExponential(1)} im ${rel(ta.last.im, tb.last.im).toExponential(1)}; after vs numpy re ${rel(ta.last.re, npRe).toExponential(1)} im ${rel(ta.last.im, npIm).toExponential(1)}`,
);
console.log(
  `  load average after: ${loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}`,
);
await shutdown();
