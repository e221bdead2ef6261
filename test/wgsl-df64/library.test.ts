/**
 * The df64 arithmetic (backends/wgsl/df64/library.ts) run on the WebGPU device (Mesa llvmpipe in CI)
 * against f64 on the CPU: every function on random inputs over its working range, with the error
 * measured in units of 2⁻⁴⁸ (df64's unit roundoff is ≈ 2⁻⁴⁸·|x|). The inputs are df64-exact (hi + lo
 * of two f32), so the f64 reference sees exactly what the shader sees. Plus guards that the error-free
 * transformations survive the shader compiler: a sum that naive f32 gets 2.5e-3 wrong, and a product
 * whose rounding error only TwoProduct keeps.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type Gpu } from '../../backends/wgsl/runtime/index.js';
import { df64HelpersFor, splitF64 } from '../../backends/wgsl/df64/library.ts';
import { skipWgsl, testGpu } from '../wgsl-runtime/gpu-setup.ts';
import { mulberry as rng } from '../helpers/random.ts';

const EPS = 2 ** -48;

/** n df64-exact numbers: x = hi + lo for uniform x in [lo, hi) (the f64 rounded to df64). */
function dfValues(n: number, seed: number, from: number, to: number): Float64Array {
  const r = rng(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const [h, l] = splitF64(from + (to - from) * r());
    out[i] = h + l;
  }
  return out;
}

const interleave = (x: Float64Array): Float32Array => {
  const out = new Float32Array(2 * x.length);
  x.forEach((v, i) => {
    const [h, l] = splitF64(v);
    out[2 * i] = h;
    out[2 * i + 1] = l;
  });
  return out;
};

/** Runs `expr` (WGSL over df64 `a` and `b`, giving a vec2<f32>) on every pair; returns hi + lo in f64. */
async function runDf(gpu: Gpu, expr: string, a: Float64Array, b: Float64Array): Promise<Float64Array> {
  const body = `
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x;
  if (i >= u.count) { return; }
  let a = A[i];
  let b = B[i];
  OUT[i] = ${expr};
}`;
  const src = [
    'struct U { count: u32, one: f32 }',
    '@group(0) @binding(0) var<storage, read> A: array<vec2<f32>>;',
    '@group(0) @binding(1) var<storage, read> B: array<vec2<f32>>;',
    '@group(0) @binding(2) var<storage, read_write> OUT: array<vec2<f32>>;',
    '@group(0) @binding(3) var<uniform> u: U;',
    ...df64HelpersFor(body, 'u.one'),
    body,
  ].join('\n');
  const n = a.length;
  const A = gpu.createBuffer(8 * n),
    B = gpu.createBuffer(8 * n),
    O = gpu.createBuffer(8 * n);
  gpu.upload(A, interleave(a));
  gpu.upload(B, interleave(b));
  const uni = new ArrayBuffer(16);
  new Uint32Array(uni)[0] = n;
  new Float32Array(uni)[1] = 1;
  gpu.dispatch(await gpu.pipeline(src), [A, B, O], [Math.ceil(n / 64), 1, 1], new Uint32Array(uni));
  const raw = new Float32Array(await gpu.read(O, 8 * n));
  for (const x of [A, B, O]) gpu.destroy(x);
  return Float64Array.from({ length: n }, (_, i) => raw[2 * i]! + raw[2 * i + 1]!);
}

/** Worst |got − want| / (scale(want)·2⁻⁴⁸) over all elements. */
function worstUlps(
  got: Float64Array,
  want: Float64Array,
  scale: (w: number, i: number) => number = (w) => Math.abs(w),
): number {
  let worst = 0;
  for (let i = 0; i < got.length; i++) {
    const e = Math.abs(got[i]! - want[i]!) / (Math.max(scale(want[i]!, i), 1e-300) * EPS);
    worst = Math.max(worst, Number.isNaN(e) ? Infinity : e);
  }
  return worst;
}

const N = 4096;

describe.skipIf(skipWgsl)('df64 arithmetic on the WebGPU device', () => {
  let gpu: Gpu;
  beforeAll(async () => {
    gpu = await testGpu();
  });

  const a = dfValues(N, 1, -1e3, 1e3),
    b = dfValues(N, 2, -1e3, 1e3);
  const pos = dfValues(N, 3, 1e-3, 1e4);

  it('add, sub, mul, div are within a few units of 2⁻⁴⁸', async () => {
    // sums are bounded relative to the operands (cancellation: relative to the result itself with
    // the accurate df_add, which this checks with the result's own magnitude)
    const add = await runDf(gpu, 'df_add(a, b)', a, b);
    expect(
      worstUlps(
        add,
        a.map((x, i) => x + b[i]!),
      ),
    ).toBeLessThan(4);
    const sub = await runDf(gpu, 'df_sub(a, b)', a, b);
    expect(
      worstUlps(
        sub,
        a.map((x, i) => x - b[i]!),
      ),
    ).toBeLessThan(4);
    const mul = await runDf(gpu, 'df_mul(a, b)', a, b);
    expect(
      worstUlps(
        mul,
        a.map((x, i) => x * b[i]!),
      ),
    ).toBeLessThan(8);
    const div = await runDf(gpu, 'df_div(a, b)', a, b);
    expect(
      worstUlps(
        div,
        a.map((x, i) => x / b[i]!),
      ),
    ).toBeLessThan(8);
  });

  it('sqrt, exp, log, pow', async () => {
    const sq = await runDf(gpu, 'df_sqrt(a)', pos, pos);
    // Below ≈ 1e-30 the lo part is subnormal (flushed on GPUs): df64 has f32's exponent range.
    const x = dfValues(N, 4, -60, 80);
    const ex = await runDf(gpu, 'df_exp(a)', x, x);
    expect(worstUlps(ex, x.map(Math.exp))).toBeLessThan(64);
    const lg = await runDf(gpu, 'df_log(a)', pos, pos);
    // absolute near log = 0 (a ≈ 1), relative elsewhere
    expect(worstUlps(lg, pos.map(Math.log), (w) => Math.max(Math.abs(w), 1))).toBeLessThan(64);
    const base = dfValues(N, 5, 0.1, 10),
      ex2 = dfValues(N, 6, -5, 5);
    const pw = await runDf(gpu, 'df_pow(a, b)', base, ex2);
    expect(
      worstUlps(
        pw,
        base.map((v, i) => v ** ex2[i]!),
      ),
    ).toBeLessThan(256);
  });

  it('cos and sin over phases up to 10³ rad, with the absolute error of the argument', async () => {
    // An argument x carries its own df64 rounding |x|·2⁻⁴⁸ — any cos of it is that uncertain — so the
    // error is measured in units of max(|x|, 1)·2⁻⁴⁸.
    const x = dfValues(N, 7, -1e3, 1e3);
    const scale = (_: number, i: number) => Math.max(Math.abs(x[i]!), 1);
    const c = await runDf(gpu, 'df_cos(a)', x, x);
    expect(worstUlps(c, x.map(Math.cos), scale)).toBeLessThan(16);
    const s = await runDf(gpu, 'df_sin(a)', x, x);
    expect(worstUlps(s, x.map(Math.sin), scale)).toBeLessThan(16);
    const small = dfValues(N, 8, -1, 1);
    const s2 = await runDf(gpu, 'df_sin(a)', small, small);
    expect(worstUlps(s2, small.map(Math.sin))).toBeLessThan(16);
  });

  it('floor, mod, comparisons, min/max, conversions to and from i32', async () => {
    const fl = await runDf(gpu, 'df_floor(a)', a, a);
    expect(Array.from(fl)).toEqual(Array.from(a, Math.floor));
    const big = dfValues(N, 9, 1e6, 1e7);
    const fb = await runDf(gpu, 'df_floor(a)', big, big);
    expect(Array.from(fb)).toEqual(Array.from(big, Math.floor));
    const md = await runDf(gpu, 'df_mod(a, b)', a, pos);
    expect(
      worstUlps(
        md,
        a.map((v, i) => v - Math.floor(v / pos[i]!) * pos[i]!),
        (_, i) => Math.max(Math.abs(a[i]!), pos[i]!),
      ),
    ).toBeLessThan(16);
    const lt = await runDf(gpu, 'select(vec2<f32>(0.0f), vec2<f32>(1.0f, 0.0f), df_lt(a, b))', a, b);
    expect(Array.from(lt)).toEqual(Array.from(a, (v, i) => (v < b[i]! ? 1 : 0)));
    const mx = await runDf(gpu, 'df_max(a, b)', a, b);
    expect(Array.from(mx)).toEqual(Array.from(a, (v, i) => Math.max(v, b[i]!)));
    const ints = Float64Array.from({ length: N }, (_, i) => Math.trunc(a[i]! * 2e6));
    const back = await runDf(gpu, 'df_from_i32(df_to_i32(a))', ints, ints);
    expect(Array.from(back)).toEqual(Array.from(ints));
    const tr = await runDf(
      gpu,
      'df_from_i32(df_to_i32(a))',
      a.map((v) => v * 1e3),
      a,
    );
    expect(Array.from(tr)).toEqual(Array.from(a, (v) => Math.trunc(v * 1e3)));
  });

  it('the other elementwise functions: rounding, hyperbolic, inverse trig, expm1/log1p, hypot', async () => {
    const cases: [
      string,
      (x: number, y: number) => number,
      [number, number],
      [number, number],
      number,
      ((w: number) => number)?,
    ][] = [
      ['df_round(a)', (x) => Math.sign(x) * Math.floor(Math.abs(x) + 0.5), [-50, 50], [0, 1], 0],
      ['df_ceil(a)', Math.ceil, [-50, 50], [0, 1], 0],
      ['df_trunc(a)', Math.trunc, [-50, 50], [0, 1], 0],
      ['df_sign(a)', Math.sign, [-5, 5], [0, 1], 0],
      ['df_tan(a)', Math.tan, [-1.5, 1.5], [0, 1], 16],
      ['df_expm1(a)', Math.expm1, [-2, 2], [0, 1], 16],
      ['df_expm1(a)', Math.expm1, [-1e-6, 1e-6], [0, 1], 16],
      ['df_log1p(a)', Math.log1p, [-0.9, 5], [0, 1], 16],
      ['df_log1p(a)', Math.log1p, [-1e-6, 1e-6], [0, 1], 16],
      ['df_sinh(a)', Math.sinh, [-30, 30], [0, 1], 32],
      ['df_sinh(a)', Math.sinh, [-1e-4, 1e-4], [0, 1], 16],
      ['df_cosh(a)', Math.cosh, [-30, 30], [0, 1], 32],
      ['df_tanh(a)', Math.tanh, [-25, 25], [0, 1], 16],
      ['df_atan(a)', Math.atan, [-100, 100], [0, 1], 16],
      ['df_atan2(a, b)', Math.atan2, [-10, 10], [-10, 10], 16, () => Math.PI],
      ['df_asin(a)', Math.asin, [-0.999, 0.999], [0, 1], 64],
      ['df_acos(a)', Math.acos, [-0.999, 0.999], [0, 1], 64, () => Math.PI],
      ['df_asinh(a)', Math.asinh, [-1e3, 1e3], [0, 1], 16],
      ['df_acosh(a)', Math.acosh, [1.001, 1e3], [0, 1], 64],
      ['df_atanh(a)', Math.atanh, [-0.99, 0.99], [0, 1], 32],
      ['df_hypot(a, b)', Math.hypot, [-1e3, 1e3], [-1e3, 1e3], 8],
    ];
    let seed = 20;
    for (const [expr, f, ra, rb, ulps, scale] of cases) {
      const x = dfValues(N, seed++, ra[0], ra[1]),
        y = dfValues(N, seed++, rb[0], rb[1]);
      const got = await runDf(gpu, expr, x, y);
      const want = x.map((v, i) => f(v, y[i]!));
      // the functions whose f64 reference (Math.*) is itself only faithful are allowed its ulp too
      const w = worstUlps(got, want, scale ? () => scale(0) : undefined);
      expect(w, `${expr} on [${ra}]`).toBeLessThanOrEqual(Math.max(ulps, 0.5));
    }
  });

  it('keeps what f32 loses: TwoSum and TwoProduct survive the shader compiler', async () => {
    // (1 + 2⁻¹²)(1 + 2⁻¹³) = 1 + 2⁻¹² + 2⁻¹³ + 2⁻²⁵: 26 bits, so the f32 product drops 2⁻²⁵;
    // only TwoProduct's error term keeps it.
    const p = await runDf(gpu, 'df_mul(a, b)', Float64Array.of(1 + 2 ** -12), Float64Array.of(1 + 2 ** -13));
    expect(p[0]).toBe(1 + 2 ** -12 + 2 ** -13 + 2 ** -25);
    const s = await runDf(gpu, 'df_add(a, b)', Float64Array.of(1), Float64Array.of(2 ** -40));
    expect(s[0]).toBe(1 + 2 ** -40);
  });
});
