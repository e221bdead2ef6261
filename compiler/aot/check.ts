// `lensc check FILE.ts --kernel NAME --target wgsl`: measures a kernel's numeric error where its manifest
// cannot state one — runs the target's module beside the f64 JS module on the same inputs (random sample
// inputs at given sizes, or the user's own from a JSON file) and prints, per output, the relative
// Frobenius error, the largest absolute error and the largest error relative to the output's scale.
// The modules are written to a scratch folder under the current directory (so 'lensc/runtime/*' resolves
// from the user's project, or from lensc itself) and removed afterwards.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Graph } from '../ir/graph.ts';
import { planKernel, renderKernel, type Target } from '../compile.ts';
import type { Kernel } from '../../dsl/kernel.ts';

export interface CheckOptions {
  readonly target: Target;
  /** Values of the size symbols for sample inputs (default 17 each). */
  readonly sizes?: Readonly<Record<string, number>>;
  /** A JSON file: input name → number or array of numbers (used instead of sample inputs). */
  readonly inputsFile?: string;
  readonly seed?: number;
}

export interface OutputError {
  readonly output: string;
  readonly elements: number;
  readonly frobenius: number;
  readonly maxAbs: number;
  readonly maxRelToScale: number;
}

/** Sample inputs: f64/f32 uniform in [−1, 1), i32 in [0, 3) (index inputs need your own values), sizes as given. */
function sampleInputs(
  g: Graph,
  sizes: Readonly<Record<string, number>>,
  seed: number,
): { inputs: Record<string, unknown>; env: Record<string, number> } {
  let a = seed >>> 0;
  const rand = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const size = (n: string) => sizes[n] ?? 17;
  const env = Object.fromEntries(
    g.params
      .flatMap((p) =>
        p.kind.kind === 'array'
          ? p.kind.shape.flatMap((d) => d.symbols())
          : p.kind.kind === 'sizes'
            ? p.kind.names
            : [],
      )
      .map((n) => [n, size(n)]),
  );
  const inputs: Record<string, unknown> = {};
  for (const p of g.params) {
    const k = p.kind;
    if (k.kind === 'sizes') {
      inputs[p.name] = k.names.length === 1 ? size(k.names[0]!) : k.names.map(size);
      continue;
    }
    if (k.kind === 'scalar') {
      inputs[p.name] = k.dtype === 'i32' ? 1 : 2 * rand() - 1;
      continue;
    }
    const n = k.shape.reduce((acc, d) => acc * d.eval(env), 1);
    inputs[p.name] =
      k.dtype === 'i32'
        ? Int32Array.from({ length: n }, () => Math.floor(3 * rand()))
        : Float64Array.from({ length: n }, () => 2 * rand() - 1);
  }
  return { inputs, env };
}

function errors(name: string, got: ArrayLike<number>, want: ArrayLike<number>): OutputError {
  let num = 0,
    den = 0,
    maxAbs = 0,
    scale = 0;
  for (let i = 0; i < want.length; i++) {
    const d = Math.abs(Number(got[i]) - want[i]!);
    num += d * d;
    den += want[i]! * want[i]!;
    maxAbs = Math.max(maxAbs, d);
    scale = Math.max(scale, Math.abs(want[i]!));
  }
  return {
    output: name,
    elements: want.length,
    frobenius: Math.sqrt(num / (den || 1)),
    maxAbs,
    maxRelToScale: scale ? maxAbs / scale : maxAbs,
  };
}

export interface CheckResult {
  readonly inputs: string;
  readonly errors: OutputError[];
  /** A df64 WGSL module's device and TwoProduct variant (what its prepare() reports). */
  readonly device?: { readonly backend: string; readonly twoProduct: string };
}

/** Runs the kernel on `target` and on the f64 JS target; the error of every output. */
export async function checkKernel(k: Kernel, opts: CheckOptions): Promise<CheckResult> {
  const dir = path.join(process.cwd(), `.lensc-check-${process.pid}`);
  try {
    let prepare: (() => Promise<unknown>) | undefined;
    const load = async (target: Target) => {
      const c = planKernel(k, target);
      mkdirSync(path.join(dir, target), { recursive: true });
      const file = path.join(dir, target, `${c.manifest.file}.js`);
      writeFileSync(file, renderKernel(c, target).code);
      const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
      if (target === opts.target && typeof mod.prepare === 'function') prepare = mod.prepare as () => Promise<unknown>;
      return mod[k.name] as (i: Record<string, unknown>) => Promise<unknown>;
    };
    const reference = await load('js');
    const run = opts.target === 'js' ? reference : await load(opts.target);
    const g = k.graph();
    const sample = opts.inputsFile ? undefined : sampleInputs(g, opts.sizes ?? {}, opts.seed ?? 1);
    const inputs =
      sample?.inputs ??
      Object.fromEntries(
        Object.entries(JSON.parse(readFileSync(opts.inputsFile!, 'utf8')) as Record<string, unknown>).map(([n, v]) => {
          const p = g.params.find((x) => x.name === n);
          if (p?.kind.kind === 'array')
            return [n, p.kind.dtype === 'i32' ? Int32Array.from(v as number[]) : Float64Array.from(v as number[])];
          return [n, v];
        }),
      );
    const [got, want] = [await run(inputs), await reference(inputs)];
    const asRecord = (x: unknown): Record<string, ArrayLike<number>> => {
      const one = (v: unknown) => (typeof v === 'number' ? [v] : (v as ArrayLike<number>));
      return g.singleOutput
        ? { [g.outputs[0]!.name]: one(x) }
        : Object.fromEntries(Object.entries(x as Record<string, unknown>).map(([n, v]) => [n, one(v)]));
    };
    const [a, b] = [asRecord(got), asRecord(want)];
    // a df64 module says which TwoProduct ran on this device
    const info = prepare ? ((await prepare()) as CheckResult['device'] | undefined) : undefined;
    return {
      ...(info && typeof info.twoProduct === 'string' ? { device: info } : {}),
      inputs: sample
        ? `sample inputs (uniform in [−1, 1), i32 in [0, 3); ${Object.entries(sample.env)
            .map(([n, v]) => `${n} = ${v}`)
            .join(', ')}; seed ${opts.seed ?? 1})`
        : `the inputs in ${opts.inputsFile}`,
      errors: g.outputs.map((o) => errors(o.name, a[o.name]!, b[o.name]!)),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The report `lensc check` prints. */
export function formatCheck(k: Kernel, target: Target, r: CheckResult): string {
  const lines = [`lensc check ${k.name} on ${target} against the f64 JS kernel, ${r.inputs}:`];
  if (r.device) {
    const v = r.device.twoProduct;
    const forced = ['fma', 'dekker'].includes(process.env.LENSC_WGSL_DF64_TWO_PRODUCT ?? '');
    lines.push(
      `  df64 on ${r.device.backend}: TwoProduct by ${v === 'fma' ? 'fma' : "Dekker's splitting"} (${forced ? 'forced by LENSC_WGSL_DF64_TWO_PRODUCT' : v === 'fma' ? "this device's fma is fused" : 'this device has no fused fma'})`,
    );
  }
  for (const e of r.errors) {
    lines.push(
      `  ${e.output} (${e.elements} elements): relative Frobenius error ${e.frobenius.toExponential(2)}, max |error| ${e.maxAbs.toExponential(2)} (${e.maxRelToScale.toExponential(2)} of the largest |value|)`,
    );
  }
  return lines.join('\n');
}
