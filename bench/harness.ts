// Benchmark plumbing: case folders written by bench/anchors/make_case.py (so lensc and the Python
// anchors read the very same bytes), typed-array loading, anchor invocation and medians.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

export interface Case {
  dir: string;
  sizes: Record<string, number>;
  params: Record<string, number[]>;
  arrays: Record<string, Float64Array | Int32Array>;
}

/** A case array that must be f64 (or i32), with a clear error if the case file says otherwise. */
export function f64(c: Case, name: string): Float64Array {
  const a = c.arrays[name];
  if (!(a instanceof Float64Array)) throw new Error(`case ${c.dir}: array '${name}' is missing or not f64`);
  return a;
}
export function i32(c: Case, name: string): Int32Array {
  const a = c.arrays[name];
  if (!(a instanceof Int32Array)) throw new Error(`case ${c.dir}: array '${name}' is missing or not i32`);
  return a;
}

/** numpy here may have OpenBLAS pinned to an old core type; unset both variables for the anchors alone. */
function anchorEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  return env;
}

export function makeCase(dir: string, kind: string, args: Record<string, number | string>): Case {
  const flags = Object.entries(args).flatMap(([k, v]) => [`--${k}`, String(v)]);
  const r = spawnSync('python3', ['bench/anchors/make_case.py', dir, '--kind', kind, ...flags], {
    encoding: 'utf8',
    env: anchorEnv(),
  });
  if (r.status !== 0) throw new Error(`make_case.py failed: ${r.stderr || r.stdout}`);
  const spec = JSON.parse(readFileSync(path.join(dir, 'inputs.json'), 'utf8'));
  const arrays: Case['arrays'] = {};
  for (const [name, a] of Object.entries<{ file: string; dtype: string }>(spec.arrays)) {
    const buf = readFileSync(path.join(dir, a.file));
    const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
    arrays[name] = a.dtype === 'i32' ? new Int32Array(ab) : new Float64Array(ab);
  }
  return { dir, sizes: spec.sizes, params: spec.params ?? {}, arrays };
}

export interface AnchorResult {
  name: string;
  median_s: number;
  times_s: number[];
  output?: string;
  [k: string]: unknown;
}

/** Runs one anchor script; Numba ones run under Debian's python (the script re-executes itself if needed). */
export function runAnchor(script: string, dir: string, repeats: number, extra: string[] = []): AnchorResult[] {
  const r = spawnSync(
    'python3',
    [`bench/anchors/${script}`, dir, '--repeats', String(repeats), '--threads', '2', ...extra],
    { encoding: 'utf8', env: anchorEnv(), maxBuffer: 64 << 20 },
  );
  if (r.status !== 0) throw new Error(`${script} failed (${r.status}): ${r.stderr.slice(-2000)}`);
  return r.stdout
    .split('\n')
    .filter((l) => l.trim().startsWith('{'))
    .map((l) => JSON.parse(l) as AnchorResult);
}

export function readF64(file: string): Float64Array {
  const b = readFileSync(file);
  return new Float64Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

export async function timeIt(
  fn: () => Promise<unknown>,
  repeats: number,
): Promise<{ median: number; times: number[]; last: unknown }> {
  let last = await fn(); // warm-up: worker start, JIT
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t = performance.now();
    last = await fn();
    times.push((performance.now() - t) / 1000);
  }
  return { median: median(times), times, last };
}

export function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let num = 0,
    den = 0;
  for (let i = 0; i < b.length; i++) {
    num = Math.max(num, Math.abs(a[i]! - b[i]!));
    den = Math.max(den, Math.abs(b[i]!));
  }
  return a.length !== b.length ? Infinity : num / (den || 1);
}
