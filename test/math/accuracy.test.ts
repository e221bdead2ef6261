// The math functions (tan … lgamma, atan2, hypot) against correctly rounded values from mpmath
// (test/math/fixtures/reference.json, made by scripts/math/gen_fixture.py — not by any formula lensc
// uses): the f64 runtime library (erf, erfc, lgamma) and the compiled js and cuda kernels within a few
// ulp; the f32 WGSL helpers against the f64 runtime at the f32-rounded inputs, within a relative bound.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shutdown } from '../../backends/js/runtime/index.js';
import { UNARY_F64 } from '../../backends/common/math.js';
import type { Target } from '../../compiler/compile.ts';
import type { UnaryFn } from '../../compiler/ir/graph.ts';
import * as dsl from '../../dsl/index.ts';
import { f64, kernel, type ParamSpec } from '../../dsl/index.ts';
import { compileAll, skipReason, type Run } from '../differential/harness.ts';

afterAll(() => shutdown());

interface Fixture {
  unary: Record<string, [number, number][]>;
  binary: Record<string, [number, number, number][]>;
}
const ref = JSON.parse(readFileSync(new URL('./fixtures/reference.json', import.meta.url), 'utf8')) as Fixture;

/** Distance from got to want in units of want's last place (subnormals: the smallest ulp). */
export function ulps(got: number, want: number): number {
  if (Object.is(got, want) || (Number.isNaN(got) && Number.isNaN(want))) return 0;
  if (!Number.isFinite(want) || !Number.isFinite(got)) return Infinity;
  const e = want === 0 ? -1074 : Math.max(Math.floor(Math.log2(Math.abs(want))) - 52, -1074);
  return Math.abs(got - want) / 2 ** e;
}

// Worst ulp error allowed per function on the f64 targets. The JS engine's Math (fdlibm ports) and
// CUDA's library are within 1–2 ulp; erf/erfc/lgamma are lensc's own (backends/common/math.js).
// lgamma below 0 is the reflection formula, whose two terms cancel near the negative roots of lgamma
// (x ≈ −2.457, −2.747, …): there the error is absolute (≈ 30 ulp of the result), stated in README.
const ULP: Record<string, number> = { erf: 2, erfc: 3, lgamma: 3, lgammaNegative: 32, tanh: 2, default: 2 };
const limit = (name: string, x: number) =>
  name === 'lgamma' && x < 0 ? ULP.lgammaNegative! : (ULP[name] ?? ULP.default!);

describe('the f64 runtime library (lensc/runtime/math) against mpmath', () => {
  it.each(['erf', 'erfc', 'lgamma'] as const)('%s within its ulp bound at every fixture point', (name) => {
    const f = UNARY_F64[name];
    let worst = 0;
    for (const [x, y] of ref.unary[name]!) {
      const e = ulps(f(x), y);
      expect(e, `${name}(${x}) = ${f(x)}, mpmath ${y}`).toBeLessThanOrEqual(limit(name, x));
      worst = Math.max(worst, e);
    }
    expect(ref.unary[name]!.length).toBeGreaterThan(300);
  });
  it('round is half away from zero; sign keeps ±0', () => {
    expect([2.5, -2.5, 0.5, -0.5, 1.4999999999999998, -0.49999999999999994, 3].map(UNARY_F64.round)).toEqual([
      3, -3, 1, -1, 1, -0, 3,
    ]);
    expect(Object.is(UNARY_F64.sign(-0), -0)).toBe(true);
  });
});

// One kernel: an input and an output per function, each with its own size symbol.
const UNARY = Object.keys(ref.unary) as UnaryFn[];
const BINARY = Object.keys(ref.binary) as ('atan2' | 'hypot')[];
const params: Record<string, ParamSpec> = {};
for (const n of UNARY) params[n] = f64([`N_${n}`]);
for (const n of BINARY) {
  params[`${n}A`] = f64([`N_${n}`]);
  params[`${n}B`] = f64([`N_${n}`]);
}
const mathKernel = kernel({
  name: 'mathAccuracy',
  params,
  body: (p) => {
    const out: Record<string, dsl.Tensor> = {};
    const fns = dsl as unknown as Record<string, (...a: dsl.Tensor[]) => dsl.Tensor>;
    for (const n of UNARY) out[n] = fns[n]!(p[n] as dsl.Tensor);
    for (const n of BINARY) out[n] = fns[n]!(p[`${n}A`] as dsl.Tensor, p[`${n}B`] as dsl.Tensor);
    return out;
  },
});

/** Fixture inputs as kernel inputs (WGSL: only points whose result is a normal f32). */
function inputs(keep: (name: string, x: number[], y: number) => boolean): Record<string, Float64Array> {
  const r: Record<string, Float64Array> = {};
  for (const n of UNARY) r[n] = Float64Array.from(ref.unary[n]!.filter(([x, y]) => keep(n, [x], y)).map(([x]) => x));
  for (const n of BINARY) {
    const pts = ref.binary[n]!.filter(([a, b, y]) => keep(n, [a, b], y));
    r[`${n}A`] = Float64Array.from(pts.map((p) => p[0]));
    r[`${n}B`] = Float64Array.from(pts.map((p) => p[1]));
  }
  return r;
}

describe.each(['js', 'cuda'] as Target[])('compiled for %s: within a few ulp of mpmath', (target) => {
  let run: Run | undefined;
  let skip: string | undefined;
  beforeAll(async () => {
    skip = await skipReason(target);
    if (!skip) run = (await compileAll(target, [mathKernel])).get('mathAccuracy');
  }, 300_000);
  it('every function at every fixture point', async (ctx) => {
    if (skip) ctx.skip(skip);
    const got = (await run!(inputs(() => true))) as Record<string, Float64Array>;
    const worst: string[] = [];
    for (const n of UNARY) {
      let w = 0;
      ref.unary[n]!.forEach(([x, y], i) => {
        const e = ulps(got[n]![i]!, y);
        w = Math.max(w, x < 0 && n === 'lgamma' ? 0 : e);
        expect(e, `${target} ${n}(${x}) = ${got[n]![i]}, mpmath ${y}`).toBeLessThanOrEqual(limit(n, x));
      });
      worst.push(`${n} ${w}`);
    }
    for (const n of BINARY) {
      ref.binary[n]!.forEach(([a, b, y], i) =>
        expect(ulps(got[n]![i]!, y), `${target} ${n}(${a}, ${b})`).toBeLessThanOrEqual(ULP.default!),
      );
    }
    console.log(`[math] ${target} worst ulp (lgamma: x > 0): ${worst.join(', ')}`);
  });
});

// f32: relative to the f64 value at the f32-rounded input, with an absolute floor of 2^-23 near
// zeros of the result (WGSL's own cos, log, exp have absolute error bounds there), and absolute for
// lgamma below 0 (the reflection formula cancels near the negative roots).
const WGSL_REL = 4e-6;
describe('compiled for wgsl (f32): within a relative bound of the f64 library at the f32 inputs', () => {
  let run: Run | undefined;
  let skip: string | undefined;
  beforeAll(async () => {
    skip = await skipReason('wgsl');
    if (!skip) run = (await compileAll('wgsl', [mathKernel])).get('mathAccuracy');
  }, 300_000);
  it('every function at the fixture points whose result is a normal f32', async (ctx) => {
    if (skip) ctx.skip(skip);
    const f64At = (n: string, x: number[]) =>
      BINARY.includes(n as 'hypot') ? Math[n as 'hypot'](x[0]!, x[1]!) : UNARY_F64[n as UnaryFn](x[0]!);
    const normal = (n: string, x: number[]) => {
      const v = f64At(n, x.map(Math.fround));
      return (
        Number.isFinite(v) &&
        (v === 0 || (Math.abs(v) > 1e-30 && Math.abs(v) < 1e30)) &&
        x.every((t) => Math.abs(t) < 1e30 && (t === 0 || Math.abs(t) > 1e-30))
      );
    };
    const ins = inputs((n, x) => normal(n, x));
    const got = (await run!(ins)) as Record<string, Float64Array>;
    const report: string[] = [],
      failures: string[] = [];
    for (const n of [...UNARY, ...BINARY]) {
      const xs = BINARY.includes(n as 'hypot')
        ? [...ins[`${n}A`]!].map((a, i) => [a, ins[`${n}B`]![i]!])
        : [...ins[n]!].map((a) => [a]);
      let w = 0,
        at = '';
      xs.forEach((x, i) => {
        const want = f64At(n, x.map(Math.fround));
        // lgamma below 0 cancels near its roots (as in f64): there the bound is absolute
        const floor = n === 'lgamma' && x[0]! < 0 ? 1 : 2 ** -23;
        const err = Math.abs(got[n]![i]! - want) / Math.max(Math.abs(want), floor);
        if (err > w) {
          w = err;
          at = `${n}(${x.map(Math.fround).join(', ')}) = ${got[n]![i]}, f64 ${want}`;
        }
      });
      report.push(`${n} ${w.toExponential(1)}`);
      if (w > WGSL_REL) failures.push(at);
    }
    console.log(`[math] wgsl worst relative error: ${report.join(', ')}`);
    expect(failures).toEqual([]);
  });
});
