// Every DSL primitive as a handful of multi-output kernels (few kernels, so that WGSL on llvmpipe
// compiles few pipelines), each run at several size sets: odd sizes, size-1 axes, and chunk tails forced
// by small memory budgets. Inputs are random; expected values come from the reference interpreter.
import type { SizeEnv } from '../../compiler/ir/size.ts';
import {
  abs,
  add,
  and,
  arange,
  cast,
  cholesky,
  concat,
  cos,
  div,
  eq,
  exp,
  f64,
  floor,
  gather,
  ge,
  gt,
  i32,
  iota,
  kernel,
  le,
  log,
  lt,
  matmul,
  max,
  maximum,
  minimum,
  mod,
  mul,
  ne,
  neg,
  not,
  or,
  pow,
  reshape,
  scalar,
  scatterAdd,
  sin,
  size,
  sizes,
  slice,
  sqrt,
  sub,
  sum,
  take,
  transpose,
  triSolve,
  where,
  type Kernel,
  tan,
  asin,
  acos,
  atan,
  sinh,
  cosh,
  asinh,
  acosh,
  atanh,
  log1p,
  expm1,
  erf,
  erfc,
  lgamma,
  sign,
  ceil,
  round,
  atan2,
  hypot,
  clip,
  formula,
} from '../../dsl/index.ts';
import { f32Array, intArray } from './harness.ts';

export interface DiffCase {
  readonly kernel: Kernel;
  /** Size sets to run at (each one run with fresh random inputs). */
  readonly sizes: readonly SizeEnv[];
  /** Inputs that random values in [−2, 2) would not suit (indices, divisors, SPD matrices). */
  readonly inputs?: (s: SizeEnv, r: () => number) => Record<string, unknown>;
  /** Extra runs with these call options (small budgets force chunk loops with a tail). */
  readonly options?: readonly Record<string, unknown>[];
}

const awayFromZero = (n: number, r: () => number) => f32Array(n, r, 0.25, 2).map((x) => (r() < 0.5 ? -x : x));

const elementwiseF64 = kernel({
  name: 'diffElementwiseF64',
  params: { x: f64(['N']), y: f64(['N']), s: scalar('f64') },
  body: ({ x, y, s }) => {
    const px = abs(x).add(0.125);
    return {
      add: add(x, y),
      sub: sub(x, y),
      mul: mul(x, y),
      div: div(x, y),
      mod: mod(x, y),
      modNum: mod(x, -0.75),
      pow: pow(px, y),
      pow2: pow(x, 2),
      pow3: pow(x, 3),
      min: minimum(x, y),
      max: maximum(x, y),
      neg: neg(x),
      cos: cos(mul(x, 3)),
      sin: sin(mul(x, 3)),
      exp: exp(x),
      log: log(px),
      sqrt: sqrt(px),
      abs: abs(x),
      floor: floor(mul(x, 2.5)),
      lt: lt(x, y),
      le: le(x, 0.5),
      gt: gt(x, y),
      ge: ge(y, x),
      eq: eq(floor(x), floor(y)),
      ne: ne(floor(x), floor(y)),
      and: and(gt(x, 0), lt(y, 0)),
      or: or(gt(x, 1), lt(y, -1)),
      not: not(gt(x, 0)),
      where: where(lt(x, y), x, mul(y, 2)),
      whereNum: where(gt(x, 0), 1.5, x),
      castI: cast(mul(x, 4), 'i32'),
      castB: cast(floor(x), 'bool'),
      scalar: mul(x, s).sub(s),
      numFirst: sub(2, x).div(3),
      chain: exp(neg(mul(x, x)))
        .mul(cos(y))
        .add(sqrt(px).mul(log(px))),
    };
  },
});

const elementwiseI32 = kernel({
  name: 'diffElementwiseI32',
  params: { a: i32(['N']), b: i32(['N']), k: scalar('i32') },
  body: ({ a, b, k }) => ({
    add: add(a, b),
    sub: sub(a, b),
    mul: mul(a, b),
    div: div(a, b),
    mod: mod(a, b),
    modNum: mod(a, 4),
    divNum: div(a, -3),
    min: minimum(a, b),
    max: maximum(a, b),
    neg: neg(a),
    abs: abs(a),
    lt: lt(a, b),
    eq: eq(a, b),
    where: where(gt(a, b), a, k),
    toF: cast(a, 'f64').div(4),
    scalar: mul(a, k).add(k),
  }),
});

const broadcasts = kernel({
  name: 'diffBroadcast',
  params: {
    dims: sizes(['M', 'N', 'P']),
    a: f64(['M', 'N']),
    r: f64(['M', 1]),
    c: f64([1, 'N']),
    v: f64(['N']),
    t: f64(['P', 1, 'N']),
    s: scalar('f64'),
  },
  body: ({ a, r, c, v, t, s }) => ({
    av: add(a, v),
    rc: mul(r, c),
    ar: sub(a, r),
    cr: div(c, r.abs().add(1)),
    sa: mul(s, a),
    num: add(v, 1),
    rank3: add(t, r),
    rank3b: mul(t, a),
    cond: where(gt(r, 0), c, v),
    rank0: add(exp(s), a),
  }),
});

const reductions = kernel({
  name: 'diffReductions',
  params: { x: f64(['A', 'B', 'C']), n: i32(['A', 'B']), dims: sizes(['A', 'B', 'C']) },
  body: ({ x, n }) => ({
    s0: sum(x, 0),
    s1: sum(x, 1),
    s2: sum(x, 2),
    s01: sum(x, [0, 1]),
    s02: sum(x, [0, 2]),
    s12: sum(x, [1, 2]),
    sAll: sum(x),
    m0: max(x, 0),
    m1: max(x, 1),
    m2: max(x, 2),
    m01: max(x, [0, 1]),
    m12: max(x, [1, 2]),
    mAll: max(x),
    fused: sum(mul(x, x), 2),
    neg: max(neg(x), [0, 2]),
    byName: sum(x, 'B'),
    unaryAfter: exp(sum(x, 2).mul(0.25)),
    iSum: sum(n, 1),
    iMax: max(n),
    outer: sum(mul(reshape(sum(x, 2), ['A', 'B', 1]), x), 1),
  }),
});

const matmuls = kernel({
  name: 'diffMatmul',
  params: {
    dims: sizes(['M', 'K', 'N']),
    a: f64(['M', 'K']),
    at: f64(['K', 'M']),
    b: f64(['K', 'N']),
    bt: f64(['N', 'K']),
    w: f64(['K']),
  },
  body: ({ a, at, b, bt, w }) => ({
    ab: matmul(a, b),
    atb: matmul(at, b, { transA: true }),
    abt: matmul(a, bt, { transB: true }),
    atbt: matmul(at, bt, { transA: true, transB: true }),
    av: matmul(a, w),
    atv: matmul(at, w, { transA: true }),
    aat: matmul(a, a, { transB: true }),
    ata: matmul(at, at, { transA: true }),
    viaT: matmul(at.T, b),
    sumOf: add(matmul(a, b), matmul(at, b, { transA: true })),
    computed: matmul(cos(a), sin(b)).mul(2),
  }),
});

const shapes = kernel({
  name: 'diffShapes',
  params: {
    x: f64(['A', 'B', 'C']),
    y: f64(['A', 'B', 'D']),
    z: f64(['E', 'B', 'C']),
    q: f64(['A', 'F', 'C']),
    u: f64(['M', 1]),
    w: f64(['M', 1]),
    dims: sizes(['A', 'B', 'C', 'D', 'E', 'F']),
  },
  body: ({ x, y, z, q, u, w }) => ({
    flat: reshape(x, ['A', 'B*C']),
    rows: reshape(x, ['A*B', 'C']),
    split: reshape(reshape(x, ['A*B*C']), ['A', 'B', 'C']).mul(2),
    t201: transpose(x, [2, 0, 1]),
    t102: transpose(x, [1, 0, 2]),
    t021: transpose(x, [0, 2, 1]),
    tRev: transpose(x),
    slice: slice(x, [[1, 'A'], null, [0, 1]]),
    sliceEnd: slice(y, [null, ['B-1', 'B'], ['D-2', 'D']]),
    cat0: concat([x, z], 0),
    cat1: concat([x, q], 1),
    cat2: concat([x, y, x], 2),
    catCols: concat([u, w], 1),
    catRows: concat([u, w], 0),
    catComputed: concat([cos(x), mul(y, 2)], 2),
    catThenT: transpose(concat([x, z], 0), [1, 0, 2]),
    catSum: sum(concat([x, y], 2), 2),
    sliceOfCat: slice(concat([u, w, u], 0), [['M-1', 'M+1'], null]),
  }),
});

const gathers = kernel({
  name: 'diffGather',
  params: {
    dims: sizes(['R', 'C']),
    x: f64(['R', 'C']),
    ri: i32(['P']),
    ci: i32(['P']),
    tr: i32(['Q']),
    tc: i32(['Q']),
  },
  body: ({ x, ri, ci, tr, tc }) => ({
    pairs: gather(x, [ri, ci]),
    rows: take(x, tr, 0),
    cols: take(x, tc, 1),
    outer: gather(x, [reshape(ri, ['P', 1]), reshape(tc, [1, 'Q'])]),
    computed: gather(exp(x), [ri, ci]).add(gather(x, [ri, 0])),
    sumOf: sum(take(x, tr, 0), 0),
  }),
});

const scatters = kernel({
  name: 'diffScatter',
  params: {
    vals: f64(['P']),
    idx: i32(['P']),
    rows: i32(['P', 'B']),
    cols: i32(['P', 'B']),
    w: f64(['P', 'B']),
    n: sizes(['S', 'T']),
  },
  body: ({ vals, idx, rows, cols, w }) => ({
    one: scatterAdd(['S'], [idx], vals),
    two: scatterAdd(['S', 'T'], [rows, cols], w),
    broadcast: scatterAdd(['S', 'T'], [rows, cols], reshape(vals, ['P', 1])),
    computed: scatterAdd(['S'], [idx], exp(vals)).mul(2),
  }),
});

const iotas = kernel({
  name: 'diffIota',
  params: { x: f64(['N']), m: f64(['A', 'B']), k: sizes(['L', 'A', 'B']) },
  body: ({ x, m }) => ({
    ar: arange('N'),
    arF: mul(x, arange('N', 'f64')),
    i1: iota(['A', 'B'], 1),
    i0f: add(m, iota(['A', 'B'], 0, 'f64')),
    sz: mul(x, cast(size('N'), 'f64')),
    szL: size('L').add(size('A')),
    lenL: arange('L').mul(3),
    castChain: cast(cast(cast(mul(x, 3), 'i32'), 'f64'), 'bool'),
  }),
});

const linalg = kernel({
  name: 'diffLinalg',
  requiresF64: true,
  params: { a: f64(['N', 'N']), b: f64(['N']), bm: f64(['N', 'C']), dims: sizes('C') },
  body: ({ a, b, bm }) => {
    const spd = add(
      matmul(a, a, { transB: true }),
      mul(
        iota(['N', 'N'], 0)
          .eq(iota(['N', 'N'], 1))
          .cast('f64'),
        size('N').cast('f64'),
      ),
    );
    const l = cholesky(spd);
    return {
      l,
      x: triSolve(l, b),
      xt: triSolve(l, b, { transpose: true }),
      xm: triSolve(l, bm),
      solve: triSolve(l, triSolve(l, bm), { transpose: true }),
    };
  },
});

/** The math functions (accuracy against mpmath: test/math), through the functions, methods and a formula. */
const mathFns = kernel({
  name: 'diffMath',
  params: { x: f64(['N']), y: f64(['N']), n: i32(['N']) },
  body: ({ x, y, n }) => {
    const h = mul(x, 0.45);
    return {
      tan: tan(mul(x, 0.7)),
      asin: asin(h),
      acos: acos(h),
      atan: atan(mul(x, 3)),
      sinh: sinh(x),
      cosh: cosh(x),
      tanh: x.mul(2).tanh(),
      asinh: asinh(mul(x, 5)),
      acosh: acosh(abs(x).add(1)),
      atanh: atanh(h),
      log1p: log1p(abs(x).mul(2).sub(0.9)),
      expm1: expm1(x),
      erf: erf(x),
      erfc: erfc(mul(x, 3)),
      lgamma: lgamma(mul(x, 3)),
      sign: sign(x),
      signI: sign(n),
      ceil: ceil(mul(x, 2)),
      round: round(mul(x, 2.5)),
      trunc: x.mul(2).trunc(),
      atan2: atan2(y, x),
      hypot: hypot(x, y),
      clip: clip(x, -0.5, 0.7),
      methods: x.erf().add(y.atan2(x)).add(x.clip(-1, 1).asin()).add(x.hypot(3).lgamma()),
      formula: formula(
        'r[i] = erfc(x[i]) * atan2(y[i], x[i]) + round(2 * x[i]) + clip(y[i], 0, 1) + lgamma(1.5 + abs(x[i]))',
        { x, y },
      ),
    };
  },
});

/** K flows through elementwise maps into matmul contractions and sums: the planner chunks it under a small budget. */
const chunked = kernel({
  name: 'diffChunked',
  params: { x: f64(['M']), u: f64(['K']), wt: f64(['K']) },
  body: ({ x, u, wt }) => {
    const ph = mul(reshape(x, ['M', 1]), reshape(u, [1, 'K']));
    const c = div(cos(ph), reshape(wt.abs().add(1), [1, 'K'])),
      s = sin(ph);
    return { gram: add(matmul(c, c, { transB: true }), matmul(s, s, { transB: true })), total: sum(mul(c, s), 1) };
  },
});

export const CASES: readonly DiffCase[] = [
  {
    kernel: elementwiseF64,
    sizes: [{ N: 37 }, { N: 1 }],
    inputs: (s, r) => ({ y: awayFromZero(s.N!, r) }),
  },
  {
    kernel: elementwiseI32,
    sizes: [{ N: 41 }, { N: 1 }],
    inputs: (s, r) => ({
      a: intArray(s.N!, r, -50, 50),
      b: intArray(s.N!, r, 1, 9).map((v) => (r() < 0.5 ? -v : v)),
      k: -3,
    }),
  },
  {
    kernel: broadcasts,
    sizes: [
      { M: 5, N: 7, P: 3 },
      { M: 1, N: 6, P: 1 },
      { M: 4, N: 1, P: 2 },
    ],
  },
  {
    kernel: reductions,
    sizes: [
      { A: 3, B: 5, C: 7 },
      { A: 1, B: 4, C: 1 },
      { A: 2, B: 1, C: 9 },
    ],
    inputs: (s, r) => ({ n: intArray(s.A! * s.B!, r, -1000, 1000) }),
  },
  {
    kernel: matmuls,
    sizes: [
      { M: 5, K: 7, N: 3 },
      { M: 1, K: 9, N: 1 },
      { M: 17, K: 1, N: 11 },
      { M: 33, K: 70, N: 29 },
      { M: 50, K: 37, N: 49 },
    ],
  },
  {
    kernel: shapes,
    sizes: [
      { A: 3, B: 2, C: 5, D: 4, E: 1, F: 3, M: 4 },
      { A: 2, B: 1, C: 1, D: 3, E: 2, F: 1, M: 1 },
    ],
  },
  {
    kernel: gathers,
    sizes: [
      { R: 5, C: 4, P: 9, Q: 3 },
      { R: 1, C: 7, P: 1, Q: 2 },
    ],
    inputs: (s, r) => ({
      ri: intArray(s.P!, r, 0, s.R! - 1),
      ci: intArray(s.P!, r, 0, s.C! - 1),
      tr: intArray(s.Q!, r, 0, s.R! - 1),
      tc: intArray(s.Q!, r, 0, s.C! - 1),
    }),
  },
  {
    kernel: scatters,
    sizes: [
      { P: 23, B: 3, S: 6, T: 4 },
      { P: 1, B: 1, S: 1, T: 1 },
    ],
    inputs: (s, r) => {
      const pad = (a: Int32Array) => a.map((v) => (r() < 0.2 ? -1 : v));
      const rows = pad(intArray(s.P! * s.B!, r, 0, s.S! - 1)),
        cols = pad(intArray(s.P! * s.B!, r, 0, s.T! - 1));
      return { idx: pad(intArray(s.P!, r, 0, s.S! - 1)), rows, cols, n: [s.S!, s.T!] };
    },
  },
  {
    kernel: iotas,
    sizes: [
      { N: 11, A: 3, B: 4, L: 5 },
      { N: 1, A: 1, B: 1, L: 1 },
    ],
  },
  { kernel: mathFns, sizes: [{ N: 53 }, { N: 1 }], inputs: (s, r) => ({ n: intArray(s.N!, r, -3, 3) }) },
  {
    kernel: linalg,
    sizes: [
      { N: 7, C: 3 },
      { N: 1, C: 1 },
    ],
  },
  {
    kernel: chunked,
    sizes: [
      { M: 6, K: 203 },
      { M: 1, K: 64 },
    ],
    // budgets far below the (M, K) temporaries: K chunks of a few columns, the last one short
    options: [{ memoryBudgetBytes: 3000 }, { memoryBudgetBytes: 1200 }],
  },
];
