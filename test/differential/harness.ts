// The differential-testing harness: compiles kernels for a target exactly as `lensc build` would
// (one ES module per kernel under test/.generated/diff/<pid>/<target>/), runs them on the same inputs as
// the f64 reference interpreter, and compares. CUDA runs on the emulated device of test/cuda/emu (the
// module's own NVRTC compile included); WGSL on whatever adapter the runtime finds (Mesa llvmpipe in CI).
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { nvrtcAvailable } from '../../backends/cuda/runtime/index.js';
import { interpretGraph } from '../../backends/reference/interpret.ts';
import { planKernel, renderKernel, type Target } from '../../compiler/compile.ts';
import type { DType, Graph } from '../../compiler/ir/graph.ts';
import type { SizeEnv } from '../../compiler/ir/size.ts';
import { mulberry } from '../helpers/random.ts';
import type { Kernel } from '../../dsl/kernel.ts';
import { buildEmu } from '../cuda/emu/emu.ts';
import { skipWgsl } from '../wgsl-runtime/gpu-setup.ts';

// the seeded generator the differential tests share (test/helpers/random.ts)
export { mulberry };

export type Run = (inputs: Record<string, unknown>, options?: Record<string, unknown>) => Promise<unknown>;
export const TARGETS: readonly Target[] = ['js', 'wgsl', 'cuda'];

const ROOT = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '.generated',
  'diff',
  String(process.pid),
);
let batch = 0;

let cudaSkip: Promise<string | undefined> | undefined;
let emu: ReturnType<typeof buildEmu> | undefined;
/** Why a target cannot run here (undefined: it can). CUDA needs g++, cuda.h and NVRTC; WGSL an adapter. */
export function skipReason(target: Target): Promise<string | undefined> {
  if (target === 'wgsl') return Promise.resolve(skipWgsl ? 'LENSC_SKIP_WGSL=1' : undefined);
  if (target === 'js') return Promise.resolve(undefined);
  cudaSkip ??= (async () => {
    emu = buildEmu();
    if (emu.skip !== undefined) return emu.skip;
    // before anything opens the device: the runtime reads these on its first getCuda()
    Object.assign(process.env, emu.env);
    return (await nvrtcAvailable()) ? undefined : 'NVRTC (libnvrtc.so.13) not installed: run .ci/cuda-setup.sh';
  })();
  return cudaSkip;
}

/**
 * Compiles every kernel for target and imports the modules (CUDA: each .cu also as host code for the
 * emulated device). WGSL kernels flagged requiresF64 import ../js/<file>.js: the JS module is written there too.
 */
export async function compileAll(target: Target, kernels: readonly Kernel[]): Promise<Map<string, Run>> {
  const dir = path.join(ROOT, `b${batch++}`);
  mkdirSync(path.join(dir, target), { recursive: true });
  const files: [Kernel, string][] = [];
  const libs: string[] = [];
  for (const k of kernels) {
    const c = planKernel(k, target);
    const { code, extra } = renderKernel(c, target);
    const file = path.join(dir, target, `${c.manifest.file}.js`);
    writeFileSync(file, code);
    if (target === 'wgsl' && k.requiresF64) {
      mkdirSync(path.join(dir, 'js'), { recursive: true });
      writeFileSync(path.join(dir, 'js', `${c.manifest.file}.js`), renderKernel(planKernel(k, 'js'), 'js').code);
    }
    if (target === 'cuda') {
      if (emu === undefined || emu.skip !== undefined)
        throw new Error('compileAll(cuda) before skipReason(cuda) said it can run');
      libs.push(emu.compileKernels(`${c.manifest.file}_${batch}_${libs.length}`, extra![`${c.manifest.file}.cu`]!));
    }
    files.push([k, file]);
  }
  // the emulated driver re-reads the list when it changes: kernels may be added after the first launch
  if (target === 'cuda')
    process.env.LENSC_EMU_KERNELS = [process.env.LENSC_EMU_KERNELS, ...libs].filter(Boolean).join(':');
  const runs = new Map<string, Run>();
  for (const [k, file] of files) runs.set(k.name, (await import(pathToFileURL(file).href))[k.name] as Run);
  return runs;
}

/** What the reference interpreter returns, output by output (name → flat f64 data). */
export function reference(g: Graph, inputs: Record<string, unknown>): Record<string, Float64Array> {
  const { outputs } = interpretGraph(g, inputs);
  return Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, v.data]));
}

/** A compiled module's result as name → flat numbers (single outputs are called 'result'; rank 0 is a number). */
export function flatten(g: Graph, got: unknown): Record<string, ArrayLike<number>> {
  const one = (x: unknown): ArrayLike<number> => (typeof x === 'number' ? [x] : (x as ArrayLike<number>));
  if (g.singleOutput) return { [g.outputs[0]!.name]: one(got) };
  return Object.fromEntries(Object.entries(got as Record<string, unknown>).map(([k, v]) => [k, one(v)]));
}

export interface Tolerance {
  readonly rel: number;
}
/** f64 targets: a few ulp per operation; WGSL: f32 arithmetic (compensated sums) on f32-exact inputs. */
export const TOLERANCE: Record<Target, Tolerance> = { js: { rel: 1e-12 }, cuda: { rel: 1e-12 }, wgsl: { rel: 2e-5 } };

/**
 * Compares one output: integer and bool outputs exactly; floats elementwise within
 * rel·(|want| + scale), scale the output's largest magnitude (absorbs cancellation in small elements);
 * NaN only where the reference has NaN. Returns a description of the first mismatch, or undefined.
 */
export function mismatch(got: ArrayLike<number>, want: Float64Array, dtype: DType, tol: Tolerance): string | undefined {
  if (got.length !== want.length) return `length ${got.length}, expected ${want.length}`;
  let scale = 0;
  for (const w of want) if (Number.isFinite(w)) scale = Math.max(scale, Math.abs(w));
  for (let i = 0; i < want.length; i++) {
    const g = Number(got[i]),
      w = want[i]!;
    if (Number.isNaN(w) || Number.isNaN(g)) {
      if (Number.isNaN(w) !== Number.isNaN(g)) return `[${i}] = ${g}, expected ${w}`;
      continue;
    }
    if (dtype === 'i32' || dtype === 'bool' || !Number.isFinite(w)) {
      if (g !== w) return `[${i}] = ${g}, expected ${w}`;
      continue;
    }
    if (!(Math.abs(g - w) <= tol.rel * (Math.abs(w) + scale)))
      return `[${i}] = ${g}, expected ${w} (|diff| ${Math.abs(g - w).toExponential(2)}, scale ${scale.toExponential(2)})`;
  }
  return undefined;
}

/** Checks every output of a compiled run against the reference; throws with all mismatches named. */
export function compareAll(
  g: Graph,
  got: unknown,
  want: Record<string, Float64Array>,
  tol: Tolerance,
  label: string,
): void {
  const flat = flatten(g, got);
  const errors: string[] = [];
  for (const o of g.outputs) {
    const gv = flat[o.name];
    if (gv === undefined) {
      errors.push(`${o.name}: missing`);
      continue;
    }
    const m = mismatch(gv, want[o.name]!, o.node.dtype, tol);
    if (m) errors.push(`${o.name}: ${m}`);
  }
  if (errors.length)
    throw new Error(
      `${label}: ${errors.length} output(s) differ from the reference interpreter:\n  ${errors.join('\n  ')}`,
    );
}

/** Random f32-exact f64 values in [lo, hi): WGSL then sees the very inputs the interpreter does. */
export function f32Array(n: number, r: () => number, lo = -2, hi = 2): Float64Array {
  return Float64Array.from({ length: n }, () => Math.fround(lo + (hi - lo) * r()));
}
export function intArray(n: number, r: () => number, lo: number, hi: number): Int32Array {
  return Int32Array.from({ length: n }, () => lo + Math.floor((hi - lo + 1) * r()));
}

/** Random inputs for every parameter of g at these sizes: f64/f32 in [−2, 2), i32 in [−9, 9], sizes as given. */
export function randomInputs(g: Graph, sizes: SizeEnv, r: () => number): Record<string, unknown> {
  const inputs: Record<string, unknown> = {};
  for (const p of g.params) {
    const k = p.kind;
    if (k.kind === 'sizes') {
      const vs = k.names.map((n) => sizes[n]!);
      inputs[p.name] = vs.length === 1 ? vs[0] : vs;
      continue;
    }
    if (k.kind === 'scalar') {
      inputs[p.name] = k.dtype === 'i32' ? intArray(1, r, -9, 9)[0] : f32Array(1, r)[0];
      continue;
    }
    const n = k.shape.reduce((a, d) => a * d.eval(sizes), 1);
    inputs[p.name] =
      k.dtype === 'i32'
        ? intArray(n, r, -9, 9)
        : k.dtype === 'bool'
          ? intArray(n, r, 0, 1)
          : k.dtype === 'f32'
            ? Float32Array.from(f32Array(n, r))
            : f32Array(n, r);
  }
  return inputs;
}
