// bench/blas.ts — times the JS runtime's wasm SIMD syrk/gemm beside numpy (OpenBLAS) on the same shapes.
//
// Run: npx tsx bench/blas.ts [n] [k] [reps]      (defaults 812 16384 5; best of reps after one warm-up)
// GFLOP/s counts 2·m·n·k for every product, SYRK included (the flops of the full product, so that the
// numbers compare with gemm and with numpy's A @ A.T, which also calls SYRK), and "vs numpy" is
// numpy's time / ours (> 1: we are faster). "per core" divides the flops by the CPU time the whole process
// used (all threads), which stays meaningful on a shared, busy machine where wall-clock times do not.
import { execFileSync } from 'node:child_process';
import { cpus, availableParallelism } from 'node:os';
import { getRuntime, shutdown } from '../backends/js/runtime/index.js';

const n = Number(process.argv[2] ?? 812);
const k = Number(process.argv[3] ?? 16384);
const reps = Number(process.argv[4] ?? 5);
const flops = 2 * n * n * k;

/** Best wall-clock seconds and best CPU seconds (all threads of the process) per operation. */
type Timings = Record<string, number>;

/** numpy's best-of-reps times in seconds for the same shapes, with its BLAS limited to `threads`. */
function numpy(threads: number): Timings | null {
  const script = `
import json, time, numpy as np
n, k, reps = ${n}, ${k}, ${reps}
rng = np.random.default_rng(1)
A = rng.random((n, k)); B = rng.random((k, n)); h = k // 2
C, S = np.ascontiguousarray(A[:, :h]), np.ascontiguousarray(A[:, h:])
out = {}
def best(name, f):
    f(); ts = []; cs = []
    for _ in range(reps):
        t, c = time.perf_counter(), time.process_time(); f()
        ts.append(time.perf_counter() - t); cs.append(time.process_time() - c)
    out[name] = min(ts); out[name + "Cpu"] = min(cs)
best("syrk", lambda: A @ A.T); best("gemm", lambda: A @ B); best("wtilde", lambda: C @ C.T + S @ S.T)
print(json.dumps(out))
`;
  const env = { ...process.env, OPENBLAS_NUM_THREADS: String(threads), OMP_NUM_THREADS: String(threads) };
  try {
    return JSON.parse(execFileSync('python3', ['-c', script], { env, encoding: 'utf8' }));
  } catch (e) {
    console.error(`numpy unavailable (${(e as Error).message.split('\n')[0]}); printing lensc figures only`);
    return null;
  }
}

async function best(out: Timings, name: string, fn: () => Promise<void>): Promise<void> {
  await fn();
  let t = Infinity,
    cpu = Infinity;
  for (let r = 0; r < reps; r++) {
    const c0 = process.cpuUsage(),
      t0 = performance.now();
    await fn();
    const c = process.cpuUsage(c0);
    t = Math.min(t, (performance.now() - t0) / 1000);
    cpu = Math.min(cpu, (c.user + c.system) / 1e6);
  }
  out[name] = t;
  out[name + 'Cpu'] = cpu;
}

async function lensc(threads: number): Promise<Timings> {
  const rt = await getRuntime(threads);
  const { arena } = rt;
  const A = arena.alloc(n * k),
    B = arena.alloc(k * n),
    Cm = arena.alloc(n * n);
  for (const ref of [A, B]) {
    const v = arena.view(ref);
    for (let i = 0; i < v.length; i++) v[i] = Math.random();
  }
  const h = k / 2;
  const out: Timings = {};
  try {
    await best(out, 'syrk', () =>
      rt.syrk({ trans: false, n, k, alpha: 1, a: A.offset, lda: k, beta: 0, c: Cm.offset, ldc: n }),
    );
    await best(out, 'gemm', () =>
      rt.gemm({
        transA: false,
        transB: false,
        m: n,
        n,
        k,
        alpha: 1,
        a: A.offset,
        lda: k,
        b: B.offset,
        ldb: n,
        beta: 0,
        c: Cm.offset,
        ldc: n,
      }),
    );
    // W̃ = C·Cᵀ + S·Sᵀ with C, S the two halves of A's columns: two SYRKs (k/2 each) into one C.
    await best(out, 'wtilde', async () => {
      await rt.syrk({ trans: false, n, k: h, alpha: 1, a: A.offset, lda: k, beta: 0, c: Cm.offset, ldc: n });
      await rt.syrk({ trans: false, n, k: h, alpha: 1, a: A.offset + h * 8, lda: k, beta: 1, c: Cm.offset, ldc: n });
    });
    return out;
  } finally {
    [A, B, Cm].forEach((r) => arena.free(r));
  }
}

const gf = (t: number) => (flops / t / 1e9).toFixed(1).padStart(7);
console.log(`lensc JS runtime BLAS vs numpy — n=${n} k=${k}, best of ${reps}`);
console.log(`machine: ${cpus()[0]?.model} ×${availableParallelism()}, node ${process.version}`);
console.log('                          lensc                     numpy (OpenBLAS)         vs numpy');
console.log('threads  op           s  GFLOP/s  per core      s  GFLOP/s  per core   wall  per core');
for (const threads of [1, 2]) {
  const ours = await lensc(threads);
  const np = numpy(threads);
  for (const op of ['syrk', 'gemm', 'wtilde'] as const) {
    const label = op === 'wtilde' ? 'C·Cᵀ+S·Sᵀ' : op;
    const cpu = op + 'Cpu';
    const theirs = np
      ? `${np[op].toFixed(3).padStart(7)} ${gf(np[op])}  ${gf(np[cpu])}  ${(np[op] / ours[op]).toFixed(2).padStart(5)}× ` +
        `${(np[cpu] / ours[cpu]).toFixed(2).padStart(5)}×`
      : '';
    console.log(
      `${String(threads).padStart(7)}  ${label.padEnd(10)} ${ours[op].toFixed(3)} ${gf(ours[op])}  ${gf(ours[cpu])}  ${theirs}`,
    );
  }
}
await shutdown();
