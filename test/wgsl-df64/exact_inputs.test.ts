/**
 * f64 inputs held exactly in df64 kernels (backends/wgsl/df64/exact_inputs.ts): the host split into
 * three f32 (runtime/convert.js f64ToF64x3), which inputs get it, and the compiled path on the WebGPU
 * device (Mesa llvmpipe in CI) — sums, differences and comparisons of inputs against exact dyadic
 * references, on random inputs that cancel up to all 53 bits, and on edge values.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { f64ToDf64, f64ToF64x3 } from '../../backends/wgsl/runtime/convert.js';
import { exactInputs } from '../../backends/wgsl/df64/exact_inputs.ts';
import { planKernel } from '../../compiler/compile.ts';
import type { Kernel } from '../../dsl/kernel.ts';
import { add, cos, f64, kernel, lt, le, gt, ge, eq, ne, mul, sub, where, scalar } from '../../dsl/index.ts';
import { shutdown } from '../../backends/js/runtime/index.js';
import * as std from '../../std/index.ts';
import { buildAndImport } from '../helpers/build.ts';
import { dAdd, dMul, dSub, dToNumber, dyadic } from '../helpers/dyadic.ts';
import { rng } from '../helpers/random.ts';
import { skipWgsl } from '../wgsl-runtime/gpu-setup.ts';

const EPS = 2 ** -48;
const df64 = (k: Kernel): Kernel => ({ ...k, precision: 'df64' });

/** A random f64 with all 53 significant bits used, of magnitude 2^[lo, hi), random sign. */
function fullF64(r: () => number, lo: number, hi: number): number {
  const m = 1 + r() + r() * 2 ** -26; // 1 + 52 random-ish fraction bits
  return (r() < 0.5 ? -1 : 1) * m * 2 ** Math.floor(lo + (hi - lo) * r());
}

/** The value of the df64 pair the two-float upload gives x (hi + lo). */
const pairValue = (x: number): number => {
  const p = f64ToDf64([x]);
  return p[0]! + p[1]!;
};

describe('f64ToF64x3: three f32 hold an f64 exactly', () => {
  it('hi + mid + lo = x for random full-precision values with 2⁻⁷⁴ ≤ |x| < 2¹²⁸, each part an f32 nearest what is left', () => {
    const r = rng(11);
    const xs = Float64Array.from({ length: 5000 }, () => fullF64(r, -74, 127));
    const p = f64ToF64x3(xs);
    xs.forEach((x, i) => {
      const [hi, mid, lo] = [p[3 * i]!, p[3 * i + 1]!, p[3 * i + 2]!];
      expect(hi + mid + lo, `x = ${x}`).toBe(x);
      expect(hi).toBe(Math.fround(x));
      expect(mid).toBe(Math.fround(x - hi));
      // no part subnormal in this range (a GPU could flush it)
      for (const part of [mid, lo]) expect(part === 0 || Math.abs(part) >= 2 ** -126).toBe(true);
    });
    // the pair (what every other use of the input sees) drops bits the triple keeps
    expect(xs.some((x) => pairValue(x) !== x)).toBe(true);
  });

  it('edge values: ±0, ±∞ and NaN in hi; subnormal and tiny f64 held to 2⁻¹²⁵ absolutely; beyond f32 range a RangeError naming the input', () => {
    const p = f64ToF64x3([0, -0, Infinity, -Infinity, NaN]);
    expect(Object.is(p[0], 0) && Object.is(p[3], -0)).toBe(true);
    expect([p[6], p[9]]).toEqual([Infinity, -Infinity]);
    expect(Number.isNaN(p[12])).toBe(true);
    expect([p[1], p[2], p[4], p[5], p[7], p[8], p[10], p[11], p[13], p[14]]).toEqual(Array(10).fill(0));
    for (const x of [5e-324, -1e-310, 1e-300, 2 ** -126, 3e-39, 2 ** -80 * (1 + 2 ** -40)]) {
      const t = f64ToF64x3([x]);
      // the GPU may flush any subnormal part: the held value is x within 2⁻¹²⁵ either way
      const flushed = [...t].map((v) => (Math.abs(v) < 2 ** -126 ? 0 : v));
      expect(Math.abs(flushed[0]! + flushed[1]! + flushed[2]! - x), `x = ${x}`).toBeLessThan(2 ** -125);
      expect(Math.abs(t[0]! + t[1]! + t[2]! - x)).toBeLessThan(2 ** -125);
    }
    // the largest f64 below the f32 rounding edge is fine, the next ones are not
    const edge = 2 ** 128 - 2 ** 104;
    expect([...f64ToF64x3([edge, -edge])].map(Number.isFinite)).toEqual(Array(6).fill(true));
    for (const x of [2 ** 128 - 2 ** 103, 1e39, -1e300, Number.MAX_VALUE]) {
      expect(() => f64ToF64x3([1, x], "k: input 'a'")).toThrow(
        new RegExp(`^k: input 'a'\\[1\\] = ${String(x).replace('+', '\\+')} is beyond the range df64 holds`),
      );
      expect(() => f64ToDf64([x])).toThrow(RangeError);
    }
  });
});

const residual = kernel({
  name: 'residual',
  params: { a: f64(['N']), b: f64(['N']) },
  body: ({ a, b }) => ({ d: sub(a, b), s: add(a, b) }),
});
const twoUses = kernel({
  name: 'twoUses',
  params: { a: f64(['N']), b: f64(['N']) },
  body: ({ a, b }) => mul(sub(a, b), a),
});
const mixed = kernel({
  name: 'mixed',
  params: { a: f64(['N']), b: f64(['N']), one: f64(['N']) },
  // a and b are held exactly (they meet in d); a − (b·1): exact a, b·1 the df64 pair of b; (a·1) − b the
  // other way round
  body: ({ a, b, one }) => ({ d: sub(a, b), left: sub(a, mul(b, one)), right: sub(mul(a, one), b) }),
});
const offset = kernel({
  name: 'offset',
  params: { a: f64(['N']), c: scalar('f64') },
  body: ({ a, c }) => ({ d: sub(a, c), r: sub(c, a), lt: where(lt(a, c), 1, 0), eq: where(eq(c, a), 1, 0) }),
});
const compare = kernel({
  name: 'compare',
  params: { a: f64(['N']), b: f64(['N']) },
  body: ({ a, b }) => ({
    lt: where(lt(a, b), 1, 0),
    le: where(le(a, b), 1, 0),
    gt: where(gt(a, b), 1, 0),
    ge: where(ge(a, b), 1, 0),
    eq: where(eq(a, b), 1, 0),
    ne: where(ne(a, b), 1, 0),
  }),
});

describe('exactInputs: which inputs are held exactly', () => {
  const exactOf = (k: Kernel) => [...exactInputs(planKernel(df64(k), 'wgsl').program)].sort();
  it('inputs added, subtracted or compared with each other; not inputs only multiplied, passed to functions, or meeting computed values', () => {
    expect(exactOf(residual)).toEqual(['a', 'b']);
    expect(exactOf(twoUses)).toEqual(['a', 'b']);
    expect(exactOf(mixed)).toEqual(['a', 'b']);
    expect(exactOf(compare)).toEqual(['a', 'b']);
    const products = kernel({
      name: 'products',
      params: { a: f64(['N']), b: f64(['N']) },
      body: ({ a, b }) => add(mul(a, b), cos(b)),
    });
    expect(exactOf(products)).toEqual([]);
    // with a computed value (a df64 pair) the exact input would gain at most half an ulp
    const oneSided = kernel({
      name: 'oneSided',
      params: { a: f64(['N']), b: f64(['N']), c: scalar('f64') },
      body: ({ a, b, c }) => ({ x: where(lt(a, mul(b, 2)), 1, 0), y: add(cos(a), b), z: mul(a, c) }),
    });
    expect(exactOf(oneSided)).toEqual([]);
    // an f64 scalar input is held exactly (three uniforms), so an input meeting it is too
    const withScalar = kernel({
      name: 'withScalar',
      params: { a: f64(['N']), b: f64(['N']), c: scalar('f64') },
      body: ({ a, b, c }) => ({ x: sub(a, c), y: mul(b, c) }),
    });
    expect(exactOf(withScalar)).toEqual(['a']);
    // two elements of one input (u_i − u_j)
    const pairwise = kernel({
      name: 'pairwise',
      params: { u: f64(['N']), w: f64(['N']) },
      body: ({ u, w }) => mul(sub(u.reshape(['N', 1]), u.reshape([1, 'N'])), w.reshape(['N', 1])),
    });
    expect(exactOf(pairwise)).toEqual(['u']);
  });

  it('inputs read by Cholesky or triangular-solve stages stay df64 pairs (those shaders read pairs), and so do their partners', () => {
    const k = (std as unknown as Record<string, Kernel>).logEvidence!;
    const p = planKernel(df64(k), 'wgsl').program;
    const exact = exactInputs(p);
    const linalgReads = new Set<string>();
    const walk = (s: (typeof p.stages)[number]): void => {
      if (s.kind === 'cholesky') linalgReads.add(s.a);
      else if (s.kind === 'triSolve') [s.l, s.b].forEach((b) => linalgReads.add(b));
      else if (s.kind === 'chunk' || s.kind === 'scan') s.body.forEach(walk);
    };
    p.stages.forEach(walk);
    expect(linalgReads.size).toBeGreaterThan(0);
    for (const b of linalgReads) expect(exact.has(b), b).toBe(false);
    // curvature + regularization meets a Cholesky-read input: neither is held exactly
    expect([...exact]).toEqual([]);
  });

  it('the manifest names the exactly held inputs and the generated module uploads them as three f32', async () => {
    const { manifest, code } = await buildAndImport(df64(residual), 'wgsl');
    expect(manifest.plan.notes.join('\n')).toMatch(
      /input\(s\) a, b uploaded exactly as three f32 per element \(12 bytes on the GPU, not 8\)/,
    );
    expect(code).toContain("run.upload('a', inputs.a, 'f64x3');");
    expect(code).toMatch(/var<storage, read> b_a: array<F64x3>;/);
    expect(code).toContain('struct F64x3 { hi: f32, mid: f32, lo: f32 }');
    // an f32 build of the same kernel is untouched
    const { code: c32 } = await buildAndImport(residual, 'wgsl');
    expect(c32).not.toContain('F64x3');
  });
});

describe.skipIf(skipWgsl)('exactly held inputs on the WebGPU device', () => {
  afterAll(async () => {
    await shutdown();
  });

  /** Pairs that cancel 0 … 53 bits (a − b down to a's last bit), equal pairs, and opposite signs. */
  function cancellingPairs(n: number, seed: number, lo: number, hi: number): [Float64Array, Float64Array] {
    const r = rng(seed);
    const a = new Float64Array(n),
      b = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const x = fullF64(r, lo, hi);
      const kind = i % 4;
      a[i] = x;
      if (kind === 0) b[i] = x * (1 + (2 * r() - 1) * 2 ** -Math.floor(1 + 52 * r()));
      else if (kind === 1) b[i] = x + (r() < 0.5 ? -1 : 1) * Math.abs(x) * 2 ** -52 * Math.ceil(4 * r());
      else if (kind === 2) b[i] = x;
      else b[i] = fullF64(r, lo, hi);
    }
    return [a, b];
  }

  /** Worst |got − want| / (|want|·2⁻⁴⁸) (0 where both are 0). */
  function worstUnits(got: Float64Array, want: number[]): number {
    let worst = 0;
    want.forEach((w, i) => {
      const e = w === 0 ? (got[i] === 0 ? 0 : Infinity) : Math.abs(got[i]! - w) / (Math.abs(w) * EPS);
      worst = Math.max(worst, Number.isNaN(e) ? Infinity : e);
    });
    return worst;
  }

  let run: Record<string, (inputs: Record<string, unknown>) => Promise<any>>;
  beforeAll(async () => {
    run = {};
    for (const k of [residual, twoUses, mixed, compare, offset])
      run[k.name] = (await buildAndImport(df64(k), 'wgsl')).run;
  });

  it('a − b and a + b of inputs that cancel up to all their bits: within 4·2⁻⁴⁸ of the exact result, relative to the result', async () => {
    for (const [seed, lo, hi] of [
      [1, -2, 22],
      [2, -40, 100],
    ] as const) {
      const [a, b] = cancellingPairs(4099, seed, lo, hi);
      const { d, s } = await run.residual!({ a, b });
      const exactD = [...a].map((x, i) => dToNumber(dSub(dyadic(x), dyadic(b[i]!))));
      expect(worstUnits(d, exactD)).toBeLessThan(4);
      // a + (−b) cancels the same way through the add path
      const nb = b.map((x) => -x);
      const { s: s2 } = await run.residual!({ a, b: nb });
      expect(worstUnits(s2, exactD)).toBeLessThan(4);
      const exactS = [...a].map((x, i) => dToNumber(dAdd(dyadic(x), dyadic(b[i]!))));
      expect(worstUnits(s, exactS)).toBeLessThan(4);
      // equal inputs give 0 exactly
      for (let i = 2; i < a.length; i += 4) expect(d[i]).toBe(0);
    }
  });

  it('the same input also used whole: (a − b)·a', async () => {
    const [a, b] = cancellingPairs(1001, 3, -5, 30);
    const got = await run.twoUses!({ a, b });
    // the product sees a's df64 pair (48 bits): relative error ≤ 2⁻⁴⁹ from it, the rest df64 rounding
    const want = [...a].map((x, i) => dToNumber(dMul(dSub(dyadic(x), dyadic(b[i]!)), dyadic(x))));
    expect(worstUnits(got, want)).toBeLessThan(6);
  });

  it('an exact input with a computed df64 value, on either side', async () => {
    const [a, b] = cancellingPairs(2003, 4, -10, 40);
    const one = new Float64Array(a.length).fill(1);
    const { left, right } = await run.mixed!({ a, b, one });
    // b·1 and a·1 are the df64 pairs of b and a: the exact input meets that pair exactly
    const wantLeft = [...a].map((x, i) => dToNumber(dSub(dyadic(x), dyadic(pairValue(b[i]!)))));
    const wantRight = [...a].map((x, i) => dToNumber(dSub(dyadic(pairValue(x)), dyadic(b[i]!))));
    expect(worstUnits(left, wantLeft)).toBeLessThan(4);
    expect(worstUnits(right, wantRight)).toBeLessThan(4);
  });

  it('an f64 scalar input minus and compared with input elements it nearly equals: exact like two inputs', async () => {
    const r = rng(9);
    for (let t = 0; t < 8; t++) {
      const c = fullF64(r, -20, 40);
      const a = Float64Array.from({ length: 257 }, (_, i) =>
        i % 3 === 0 ? c : c * (1 + (2 * r() - 1) * 2 ** -Math.floor(1 + 52 * r())),
      );
      const got = await run.offset!({ a, c });
      const exact = [...a].map((x) => dToNumber(dSub(dyadic(x), dyadic(c))));
      expect(worstUnits(got.d, exact)).toBeLessThan(4);
      expect(
        worstUnits(
          got.r,
          exact.map((x) => -x),
        ),
      ).toBeLessThan(4);
      expect([...got.lt]).toEqual([...a].map((x) => (x < c ? 1 : 0)));
      expect([...got.eq]).toEqual([...a].map((x) => (x === c ? 1 : 0)));
    }
    await expect(run.offset!({ a: [1], c: 1e300 })).rejects.toThrow(
      /offset: input 'c'\[0\] = 1e\+300 is beyond the range/,
    );
  });

  it('comparisons of inputs that differ only in their last bits are exact', async () => {
    const [a, b] = cancellingPairs(4001, 5, -30, 60);
    const got = await run.compare!({ a, b });
    const want: Record<string, (x: number, y: number) => boolean> = {
      lt: (x, y) => x < y,
      le: (x, y) => x <= y,
      gt: (x, y) => x > y,
      ge: (x, y) => x >= y,
      eq: (x, y) => x === y,
      ne: (x, y) => x !== y,
    };
    let pairWrong = 0;
    for (const [op, f] of Object.entries(want)) {
      const w = [...a].map((x, i) => (f(x, b[i]!) ? 1 : 0));
      expect([...(got[op] as Float64Array)], op).toEqual(w);
      pairWrong += [...a].filter((x, i) => f(pairValue(x), pairValue(b[i]!)) !== f(x, b[i]!)).length;
    }
    // the pairs alone would have got some of these wrong
    expect(pairWrong).toBeGreaterThan(0);
  });

  it('edge values: zeros, subnormal and tiny f64, infinities, NaN; a finite input beyond f32 range is a RangeError naming it', async () => {
    const cases: [number, number, number][] = [
      // a, b, a − b as df64 gives it
      [0, 0, 0],
      [-0, 0, 0],
      [5e-324, 0, 0],
      [1e-300, -1e-300, 0],
      [2 ** -80 * (1 + 2 ** -30), 2 ** -80, 2 ** -110],
      [1e6 + 2 ** -32, 1e6, 2 ** -32],
      [Infinity, 1, Infinity],
      [-Infinity, 1e30, -Infinity],
      [Infinity, Infinity, NaN],
      [NaN, 1, NaN],
      // the result's range is f32's: 2·3.4e38 overflows
      [3.4e38, -3.4e38, Infinity],
    ];
    const a = Float64Array.from(cases.map((c) => c[0]));
    const b = Float64Array.from(cases.map((c) => c[1]));
    const { d } = await run.residual!({ a, b });
    cases.forEach(([x, y, w], i) => {
      if (Number.isNaN(w)) expect(d[i], `${x} − ${y}`).toBeNaN();
      else if (!Number.isFinite(w)) expect(d[i], `${x} − ${y}`).toBe(w);
      else expect(Math.abs(d[i]! - w), `${x} − ${y}`).toBeLessThanOrEqual(Math.max(2 ** -125, Math.abs(w) * EPS));
    });
    await expect(run.residual!({ a: [1, 2, 1e39], b: [0, 0, 0] })).rejects.toThrow(
      /^residual: input 'a'\[2\] = 1e\+39 is beyond the range df64 holds/,
    );
    await expect(run.residual!({ a: [1], b: [-Number.MAX_VALUE] })).rejects.toThrow(/input 'b'\[0\]/);
  });
});
