// bench/blas.ts — times the JS runtime's wasm SIMD syrk/gemm beside numpy (OpenBLAS) on the same shapes.
//
// Run: npx tsx bench/blas.ts [n] [k] [reps]      (defaults 812 16384 5; best of reps after one warm-up)
// GFLOP/s counts 2·m·n·k for every product, SYRK included (the flops of the full product, so that the
// numbers compare with gemm and with numpy's A @ A.T, which also calls SYRK), and "vs numpy" is
// numpy's time / ours (> 1: we are faster). On a shared machine, run it when nothing else is busy.
import { execFileSync } from 'node:child_process';
import { cpus, availableParallelism } from 'node:os';
import { getRuntime, shutdown } from '../backends/js/runtime/index.js';

const n = Number(process.argv[2] ?? 812);
const k = Number(process.argv[3] ?? 16384);
const reps = Number(process.argv[4] ?? 5);
const flops = 2 * n * n * k;

type Timings = Record<string, number>;

/** numpy's best-of-reps times in seconds for the same shapes, with its BLAS limited to `threads`. */
function numpy(threads: number): Timings | null {
  const script = `
import json, time, numpy as np
n, k, reps = ${n}, ${k}, ${reps}
rng = np.random.default_rng(1)
A = rng.random((n, k)); B = rng.random((k, n)); h = k // 2
C, S = np.ascontiguousarray(A[:, :h]), np.ascontiguousarray(A[:, h:])
def best(f):
    f(); ts = []
    for _ in range(reps):
        t = time.perf_counter(); f(); ts.append(time.perf_counter() - t)
    return min(ts)
print(json.dumps({"syrk": best(lambda: A @ A.T), "gemm": best(lambda: A @ B),
                  "wtilde": best(lambda: C @ C.T + S @ S.T), "version": np.__version__}))
`;
  const env = { ...process.env, OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads) };
  try {
    return JSON.parse(execFileSync('python3', ['-c', script], { env, encoding: 'utf8' }));
  } catch (e) {
    console.error(`numpy unavailable (${(e as Error).message.split('\n')[0]}); printing lensc figures only`);
    return null;
  }
}

async function best(fn: () => Promise<void>): Promise<number> {
  await fn();
  let t = Infinity;
  for (let r = 0; r < reps; r++) {
    const t0 = performance.now();
    await fn();
    t = Math.min(t, (performance.now() - t0) / 1000);
  }
  return t;
}

async function lensc(threads: number): Promise<Timings> {
  const rt = await getRuntime(threads);
  const { arena } = rt;
  const A = arena.alloc(n * k), B = arena.alloc(k * n), Cm = arena.alloc(n * n);
  for (const ref of [A, B]) { const v = arena.view(ref); for (let i = 0; i < v.length; i++) v[i] = Math.random(); }
  const h = k / 2;
  try {
    return {
      syrk: await best(() => rt.syrk({ trans: false, n, k, alpha: 1, a: A.offset, lda: k, beta: 0, c: Cm.offset, ldc: n })),
      gemm: await best(() => rt.gemm({ transA: false, transB: false, m: n, n, k, alpha: 1, a: A.offset, lda: k,
        b: B.offset, ldb: n, beta: 0, c: Cm.offset, ldc: n })),
      // W̃ = C·Cᵀ + S·Sᵀ with C, S the two halves of A's columns: two SYRKs (k/2 each) into one C.
      wtilde: await best(async () => {
        await rt.syrk({ trans: false, n, k: h, alpha: 1, a: A.offset, lda: k, beta: 0, c: Cm.offset, ldc: n });
        await rt.syrk({ trans: false, n, k: h, alpha: 1, a: A.offset + h * 8, lda: k, beta: 1, c: Cm.offset, ldc: n });
      }),
    };
  } finally {
    [A, B, Cm].forEach((r) => arena.free(r));
  }
}

const gf = (t: number) => (flops / t / 1e9).toFixed(1).padStart(6);
console.log(`lensc JS runtime BLAS vs numpy — n=${n} k=${k}, best of ${reps}`);
console.log(`machine: ${cpus()[0]?.model} ×${availableParallelism()}, node ${process.version}`);
console.log('threads  op       lensc s   GFLOP/s   numpy s   GFLOP/s   vs numpy');
for (const threads of [1, 2]) {
  const ours = await lensc(threads);
  const np = numpy(threads);
  for (const op of ['syrk', 'gemm', 'wtilde'] as const) {
    const label = op === 'wtilde' ? 'C·Cᵀ+S·Sᵀ' : op;
    const theirs = np ? `${np[op].toFixed(3).padStart(8)}  ${gf(np[op])}    ${(np[op] / ours[op]).toFixed(2)}×` : '';
    console.log(`${String(threads).padStart(7)}  ${label.padEnd(10)} ${ours[op].toFixed(3).padStart(6)}  ${gf(ours[op])}  ${theirs}`);
  }
}
await shutdown();
