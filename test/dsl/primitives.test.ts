// Every DSL primitive, traced into a kernel and run by the reference interpreter, against values
// worked out by hand (small literal inputs) or by plain loops written here, never by lensc itself.
import { describe, expect, test } from 'vitest';
import { interpret } from '../../backends/reference/interpret.ts';
import type { DType, Graph } from '../../compiler/ir/graph.ts';
import {
  abs,
  add,
  and,
  arange,
  broadcastTo,
  cast,
  cholesky,
  concat,
  constant,
  cos,
  div,
  eq,
  exp,
  f64,
  floor,
  full,
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
  zeros,
  type ParamSpec,
} from '../../dsl/index.ts';
import type { KernelResult, ParamTensors } from '../../dsl/kernel.ts';
import { randomArray, relErr, rng } from '../helpers/random.ts';

type Body<P extends Record<string, ParamSpec>> = (p: ParamTensors<P>) => KernelResult;

/** Traces a kernel with these params and body. */
function trace<P extends Record<string, ParamSpec>>(params: P, body: Body<P>): Graph {
  return kernel({ name: 'probe', params, body }).graph();
}
/** Traces and interprets a single-output kernel. */
function run<P extends Record<string, ParamSpec>>(params: P, body: Body<P>, inputs: Record<string, unknown>): number[] {
  const r = interpret(trace(params, body), inputs);
  if (!(r instanceof Float64Array)) throw new Error('expected a single output');
  return Array.from(r);
}
/** Traces and interprets a kernel with several outputs. */
function runMany<P extends Record<string, ParamSpec>>(
  params: P,
  body: Body<P>,
  inputs: Record<string, unknown>,
): Record<string, number[]> {
  const r = interpret(trace(params, body), inputs);
  if (r instanceof Float64Array) throw new Error('expected several outputs');
  return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Array.from(v)]));
}
/** dtype and shape (as text) of a single-output kernel's result. */
function typeOf<P extends Record<string, ParamSpec>>(params: P, body: Body<P>): { dtype: DType; shape: string[] } {
  const n = trace(params, body).outputs[0]!.node;
  return { dtype: n.dtype, shape: n.shape.map(String) };
}
const close = (got: ArrayLike<number>, want: ArrayLike<number>, tol = 1e-12): void => {
  expect(got.length).toBe(want.length);
  expect(relErr(got, want)).toBeLessThanOrEqual(tol);
};

const v4 = { a: f64([4]), b: f64([4]) };

describe('elementwise arithmetic (f64)', () => {
  const a = [1, 2, 3, 4],
    b = [0.5, -1, 4, 8];
  test('add', () => expect(run(v4, (p) => add(p.a, p.b), { a, b })).toEqual([1.5, 1, 7, 12]));
  test('sub', () => expect(run(v4, (p) => sub(p.a, p.b), { a, b })).toEqual([0.5, 3, -1, -4]));
  test('mul', () => expect(run(v4, (p) => mul(p.a, p.b), { a, b })).toEqual([0.5, -2, 12, 32]));
  test('div', () => expect(run(v4, (p) => div(p.a, p.b), { a, b })).toEqual([2, -2, 0.75, 0.5]));
  test('neg', () => expect(run(v4, (p) => neg(p.b), { a, b })).toEqual([-0.5, 1, -4, -8]));
  test('pow', () => {
    close(
      run(v4, (p) => pow(p.a, p.b), { a: [2, 9, 4, 2], b: [3, 0.5, -1, 0.5] }),
      [8, 3, 0.25, Math.SQRT2],
    );
    expect(run(v4, (p) => pow(p.a, 2), { a: [1, -2, 3, 0.5], b })).toEqual([1, 4, 9, 0.25]);
  });
  test('minimum and maximum', () => {
    const x = [1, 5, -3, -7],
      y = [2, 4, -3, -2];
    expect(run(v4, (p) => minimum(p.a, p.b), { a: x, b: y })).toEqual([1, 4, -3, -7]);
    expect(run(v4, (p) => maximum(p.a, p.b), { a: x, b: y })).toEqual([2, 5, -3, -2]);
  });
  test('tensor methods mirror the free functions', () => {
    const r = runMany(
      v4,
      (p) => ({
        s: p.a.add(p.b).sub(1),
        m: p.a.mul(p.b).div(2),
        n: p.b.neg(),
        mn: p.a.min(p.b),
        mx: p.a.max(p.b),
        pw: p.a.pow(2),
        md: p.a.mod(3),
      }),
      { a, b },
    );
    expect(r).toEqual({
      s: [0.5, 0, 6, 11],
      m: [0.25, -1, 6, 16],
      n: [-0.5, 1, -4, -8],
      mn: [0.5, -1, 3, 4],
      mx: [1, 2, 4, 8],
      pw: [1, 4, 9, 16],
      md: [1, 2, 0, 1],
    });
  });
});

describe('mod is a floor modulo (sign of the divisor)', () => {
  test('f64 with negative operands', () => {
    // 5.5 = 2·2 + 1.5; −5.5 = 2·(−3) + 0.5; 5.5 = (−2)(−3) − 0.5; −5.5 = (−2)·2 − 1.5
    expect(run(v4, (p) => mod(p.a, p.b), { a: [5.5, -5.5, 5.5, -5.5], b: [2, 2, -2, -2] })).toEqual([
      1.5, 0.5, -0.5, -1.5,
    ]);
  });
  test('i32 with negative operands, and a number operand', () => {
    const p6 = { a: i32([6]), b: i32([6]) };
    const a = Int32Array.of(7, -7, 7, -7, 6, -6),
      b = Int32Array.of(3, 3, -3, -3, 3, 3);
    expect(run(p6, (p) => mod(p.a, p.b), { a, b })).toEqual([1, 2, -2, -1, 0, 0]);
    expect(run(p6, (p) => mod(p.a, 4), { a, b })).toEqual([3, 1, 3, 1, 2, 2]);
    expect(typeOf(p6, (p) => mod(p.a, p.b)).dtype).toBe('i32');
  });
  test('i32 division rounds toward −∞, consistent with mod: a = (a div b)·b + a mod b', () => {
    const p6 = { a: i32([6]), b: i32([6]) };
    const a = [7, -7, 7, -7, 6, -6],
      b = [3, 3, -3, -3, 3, 3];
    const q = run(p6, (p) => div(p.a, p.b), { a: Int32Array.from(a), b: Int32Array.from(b) });
    expect(q).toEqual([2, -3, -3, 2, 2, -2]);
    const r = run(p6, (p) => mod(p.a, p.b), { a: Int32Array.from(a), b: Int32Array.from(b) });
    for (let i = 0; i < 6; i++) expect(q[i]! * b[i]! + r[i]!).toBe(a[i]);
  });
});

describe('comparisons and where', () => {
  const x = [1, 2, 3],
    y = [2, 2, 2];
  const p3 = { a: f64([3]), b: f64([3]) };
  test.each([
    ['lt', lt, [1, 0, 0]],
    ['le', le, [1, 1, 0]],
    ['gt', gt, [0, 0, 1]],
    ['ge', ge, [0, 1, 1]],
    ['eq', eq, [0, 1, 0]],
    ['ne', ne, [1, 0, 1]],
  ] as const)('%s gives a bool tensor of 0/1', (_name, fn, want) => {
    expect(run(p3, (p) => fn(p.a, p.b), { a: x, b: y })).toEqual(want);
    expect(typeOf(p3, (p) => fn(p.a, p.b)).dtype).toBe('bool');
  });
  test('and, or, not on bool tensors', () => {
    const a = [1, 2, 3, 4],
      b = [4, 3, 2, 1];
    // a > 1: [0,1,1,1]; b > 1: [1,1,1,0]
    expect(run(v4, (p) => and(gt(p.a, 1), gt(p.b, 1)), { a, b })).toEqual([0, 1, 1, 0]);
    expect(run(v4, (p) => or(gt(p.a, 3), gt(p.b, 3)), { a, b })).toEqual([1, 0, 0, 1]);
    expect(run(v4, (p) => not(gt(p.a, 2)), { a, b })).toEqual([1, 1, 0, 0]);
    expect(typeOf(v4, (p) => not(and(gt(p.a, 1), lt(p.b, 4)))).dtype).toBe('bool');
  });
  test('where selects elementwise; numbers take the other branch dtype', () => {
    const a = [-2, 0.5, -0.25],
      b = [10, 20, 30];
    expect(run(p3, (p) => where(lt(p.a, 0), neg(p.a), p.a), { a, b })).toEqual([2, 0.5, 0.25]);
    expect(run(p3, (p) => where(gt(p.a, 0), p.b, 0), { a, b })).toEqual([0, 20, 0]);
    expect(run(p3, (p) => where(gt(p.a, 0), -1, p.b), { a, b })).toEqual([10, -1, 30]);
    const pi = { n: i32([3]) };
    expect(typeOf(pi, (p) => where(lt(p.n, 0), 0, p.n)).dtype).toBe('i32');
    expect(run(pi, (p) => where(lt(p.n, 0), 0, p.n), { n: Int32Array.of(-3, 4, -1) })).toEqual([0, 4, 0]);
  });
  test('where broadcasts the condition and both branches', () => {
    // cond (2,1), a (1,3), b scalar → (2,3)
    const ps = { c: f64([2, 1]), a: f64([1, 3]) };
    expect(run(ps, (p) => where(gt(p.c, 0), p.a, 7), { c: [1, -1], a: [1, 2, 3] })).toEqual([1, 2, 3, 7, 7, 7]);
  });
});

describe('unary functions', () => {
  const p = { x: f64(['N']) };
  test('cos, sin, exp, log, sqrt at known points', () => {
    close(
      run(p, ({ x }) => cos(x), { x: [0, Math.PI, Math.PI / 2, Math.PI / 3] }),
      [1, -1, 0, 0.5],
      1e-15,
    );
    close(
      run(p, ({ x }) => sin(x), { x: [0, Math.PI / 2, -Math.PI / 2, Math.PI / 6] }),
      [0, 1, -1, 0.5],
      1e-15,
    );
    close(
      run(p, ({ x }) => exp(x), { x: [0, 1, -1, Math.LN2] }),
      [1, Math.E, 1 / Math.E, 2],
    );
    close(
      run(p, ({ x }) => log(x), { x: [1, Math.E, 0.5, 8] }),
      [0, 1, -Math.LN2, 3 * Math.LN2],
    );
    expect(run(p, ({ x }) => sqrt(x), { x: [0, 4, 2.25, 1e6] })).toEqual([0, 2, 1.5, 1000]);
    expect(run(p, ({ x }) => x.sqrt(), { x: [9] })).toEqual([3]);
  });
  test('abs and floor (floor goes toward −∞)', () => {
    expect(run(p, ({ x }) => abs(x), { x: [-3, 2.5, -0.25] })).toEqual([3, 2.5, 0.25]);
    expect(run(p, ({ x }) => floor(x), { x: [2.7, -1.5, -2, 3] })).toEqual([2, -2, -2, 3]);
    expect(run({ n: i32([3]) }, ({ n }) => abs(n), { n: Int32Array.of(-3, 0, 5) })).toEqual([3, 0, 5]);
    expect(run({ n: i32([3]) }, ({ n }) => neg(n), { n: Int32Array.of(-3, 1, 5) })).toEqual([3, -1, -5]);
  });
  test('unary functions of a plain number are f64 scalars', () => {
    expect(run({}, () => cos(0), {})).toEqual([1]);
    expect(run({}, () => exp(0).add(sqrt(16)), {})).toEqual([5]);
  });
});

describe('broadcasting', () => {
  test('trailing alignment: (2,3) + (3)', () => {
    const r = run({ a: f64([2, 3]), b: f64([3]) }, (p) => add(p.a, p.b), { a: [1, 2, 3, 4, 5, 6], b: [10, 20, 30] });
    expect(r).toEqual([11, 22, 33, 14, 25, 36]);
  });
  test('literal-1 axes stretch on both sides: (2,1) − (1,3) is an outer difference', () => {
    const r = run({ a: f64([2, 1]), b: f64([1, 3]) }, (p) => sub(p.a, p.b), { a: [10, 20], b: [1, 2, 3] });
    expect(r).toEqual([9, 8, 7, 19, 18, 17]);
  });
  test('symbolic sizes with reshape to unit axes: x[i] · y[j] over (M, N)', () => {
    const ps = { x: f64(['M']), y: f64(['N']) };
    const body = (p: ParamTensors<typeof ps>) => mul(p.x.reshape(['M', 1]), p.y.reshape([1, 'N']));
    expect(typeOf(ps, body).shape).toEqual(['M', 'N']);
    expect(run(ps, body, { x: [1, 2], y: [3, 4, 5] })).toEqual([3, 4, 5, 6, 8, 10]);
  });
  test('a rank-0 tensor broadcasts against anything', () => {
    const r = run({ a: f64([2, 2]), s: scalar() }, (p) => mul(p.s, p.a), { a: [1, 2, 3, 4], s: 2.5 });
    expect(r).toEqual([2.5, 5, 7.5, 10]);
  });
  test('numbers take the tensor dtype (i32 stays i32; f64 when both are numbers)', () => {
    const pi = { n: i32([3]) };
    expect(typeOf(pi, (p) => add(p.n, 2)).dtype).toBe('i32');
    expect(typeOf(pi, (p) => mul(3, p.n)).dtype).toBe('i32');
    expect(run(pi, (p) => sub(10, p.n), { n: Int32Array.of(1, 2, 3) })).toEqual([9, 8, 7]);
    expect(typeOf({}, () => add(1, 2)).dtype).toBe('f64');
    expect(run({}, () => add(1, 2), {})).toEqual([3]);
    expect(typeOf({ x: f64([3]) }, (p) => add(p.x, 1)).dtype).toBe('f64');
  });
  test('broadcastTo inserts leading axes', () => {
    const r = run({ a: f64([3]) }, (p) => broadcastTo(p.a, [2, 3]), { a: [1, 2, 3] });
    expect(r).toEqual([1, 2, 3, 1, 2, 3]);
  });
});

describe('reductions', () => {
  const ps = { x: f64(['M', 'N']), sz: sizes(['M', 'N']) };
  const x = [1, 2, 3, 4, 5, 6]; // [[1,2,3],[4,5,6]]
  const inp = { x, sz: [2, 3] };
  test('sum over axis numbers, negative axes, all axes', () => {
    expect(run(ps, (p) => sum(p.x, 0), inp)).toEqual([5, 7, 9]);
    expect(run(ps, (p) => sum(p.x, 1), inp)).toEqual([6, 15]);
    expect(run(ps, (p) => sum(p.x, -1), inp)).toEqual([6, 15]);
    expect(run(ps, (p) => sum(p.x), inp)).toEqual([21]);
    expect(run(ps, (p) => sum(p.x, [0, 1]), inp)).toEqual([21]);
    expect(run(ps, (p) => p.x.sum(0), inp)).toEqual([5, 7, 9]);
  });
  test('sum over size names', () => {
    expect(run(ps, (p) => sum(p.x, 'M'), inp)).toEqual([5, 7, 9]);
    expect(run(ps, (p) => sum(p.x, 'N'), inp)).toEqual([6, 15]);
    expect(typeOf(ps, (p) => sum(p.x, 'N')).shape).toEqual(['M']);
    expect(run(ps, (p) => sum(p.x, ['N', 'M']), inp)).toEqual([21]);
  });
  test('sum over two axes of a rank-3 tensor', () => {
    // x[i,j,k] = 100i + 10j + k, shape (2,3,4); sum over i and k → (3)
    const data = Array.from(
      { length: 24 },
      (_, f) => 100 * Math.floor(f / 12) + 10 * (Math.floor(f / 4) % 3) + (f % 4),
    );
    const want = [0, 1, 2].map((j) => {
      let s = 0;
      for (let i = 0; i < 2; i++) for (let k = 0; k < 4; k++) s += 100 * i + 10 * j + k;
      return s;
    });
    expect(run({ x: f64([2, 3, 4]) }, (p) => sum(p.x, [0, 2]), { x: data })).toEqual(want);
    expect(run({ x: f64([2, 3, 4]) }, (p) => sum(p.x, [2, 0]), { x: data })).toEqual(want);
  });
  test('max over axis numbers and size names (negative values)', () => {
    const y = [-1, -5, -3, -4, -2, -6]; // [[-1,-5,-3],[-4,-2,-6]]
    expect(run(ps, (p) => max(p.x, 0), { x: y, sz: [2, 3] })).toEqual([-1, -2, -3]);
    expect(run(ps, (p) => max(p.x, 'N'), { x: y, sz: [2, 3] })).toEqual([-1, -2]);
    expect(run(ps, (p) => p.x.reduceMax(), { x: y, sz: [2, 3] })).toEqual([-1]);
  });
  test('i32 sum stays i32', () => {
    const pi = { n: i32(['K']) };
    expect(typeOf(pi, (p) => sum(p.n)).dtype).toBe('i32');
    expect(run(pi, (p) => sum(p.n), { n: Int32Array.of(3, -1, 7) })).toEqual([9]);
  });
});

describe('matmul', () => {
  // A = [[1,2,3],[4,5,6]], B = [[7,8],[9,10],[11,12]], A·B = [[58,64],[139,154]]
  const A = [1, 2, 3, 4, 5, 6],
    At = [1, 4, 2, 5, 3, 6],
    B = [7, 8, 9, 10, 11, 12],
    Bt = [7, 9, 11, 8, 10, 12];
  const AB = [58, 64, 139, 154];
  test('A·B', () =>
    expect(run({ a: f64([2, 3]), b: f64([3, 2]) }, (p) => matmul(p.a, p.b), { a: A, b: B })).toEqual(AB));
  test('Aᵀ·B with transA', () =>
    expect(run({ a: f64([3, 2]), b: f64([3, 2]) }, (p) => matmul(p.a, p.b, { transA: true }), { a: At, b: B })).toEqual(
      AB,
    ));
  test('A·Bᵀ with transB', () =>
    expect(run({ a: f64([2, 3]), b: f64([2, 3]) }, (p) => matmul(p.a, p.b, { transB: true }), { a: A, b: Bt })).toEqual(
      AB,
    ));
  test('Aᵀ·Bᵀ with both', () =>
    expect(
      run({ a: f64([3, 2]), b: f64([2, 3]) }, (p) => p.a.matmul(p.b, { transA: true, transB: true }), { a: At, b: Bt }),
    ).toEqual(AB));
  test('matrix · vector (and with transA)', () => {
    expect(run({ a: f64([2, 3]), v: f64([3]) }, (p) => matmul(p.a, p.v), { a: A, v: [1, 0, -1] })).toEqual([-2, -2]);
    expect(
      run({ a: f64([3, 2]), v: f64([3]) }, (p) => matmul(p.a, p.v, { transA: true }), { a: At, v: [1, 0, -1] }),
    ).toEqual([-2, -2]);
  });
  test('symbolic shapes: (M,K)·(K,N) → (M,N), random values against a plain loop', () => {
    const ps = { a: f64(['M', 'K']), b: f64(['K', 'N']), sz: sizes(['M', 'K', 'N']) };
    expect(typeOf(ps, (p) => matmul(p.a, p.b)).shape).toEqual(['M', 'N']);
    const r = rng(11),
      M = 4,
      K = 7,
      N = 3;
    const a = randomArray(M * K, r),
      b = randomArray(K * N, r);
    const want = new Float64Array(M * N);
    for (let i = 0; i < M; i++)
      for (let j = 0; j < N; j++) for (let k = 0; k < K; k++) want[i * N + j] += a[i * K + k]! * b[k * N + j]!;
    close(
      run(ps, (p) => matmul(p.a, p.b), { a, b, sz: [M, K, N] }),
      want,
    );
  });
});

describe('reshape and transpose', () => {
  test('reshape keeps row-major order', () => {
    expect(run({ x: f64([2, 3]) }, (p) => reshape(p.x, [3, 2]), { x: [1, 2, 3, 4, 5, 6] })).toEqual([1, 2, 3, 4, 5, 6]);
    expect(typeOf({ x: f64([6]) }, (p) => reshape(p.x, [2, 3])).shape).toEqual(['2', '3']);
    const ps = { x: f64(['M', 'N']), sz: sizes(['M', 'N']) };
    expect(typeOf(ps, (p) => p.x.reshape(['N', 'M'])).shape).toEqual(['N', 'M']);
    expect(typeOf(ps, (p) => p.x.reshape(['M*N'])).shape).toEqual(['M*N']);
    expect(run(ps, (p) => p.x.reshape(['M*N']), { x: [1, 2, 3, 4, 5, 6], sz: [2, 3] })).toEqual([1, 2, 3, 4, 5, 6]);
  });
  test('2-D transpose (default permutation, .T)', () => {
    const x = [1, 2, 3, 4, 5, 6];
    expect(run({ x: f64([2, 3]) }, (p) => transpose(p.x), { x })).toEqual([1, 4, 2, 5, 3, 6]);
    expect(run({ x: f64([2, 3]) }, (p) => p.x.T, { x })).toEqual([1, 4, 2, 5, 3, 6]);
    expect(typeOf({ x: f64([2, 3]) }, (p) => p.x.T).shape).toEqual(['3', '2']);
  });
  test('3-D permutation [2,0,1]: out[a,b,c] = x[b,c,a]', () => {
    const [I, J, K] = [2, 3, 4];
    const x = Array.from({ length: I * J * K }, (_, f) => f * 1.5 - 7);
    const want: number[] = [];
    for (let a = 0; a < K; a++)
      for (let b = 0; b < I; b++) for (let c = 0; c < J; c++) want.push(x[b * J * K + c * K + a]!);
    expect(typeOf({ x: f64([I, J, K]) }, (p) => transpose(p.x, [2, 0, 1])).shape).toEqual(['4', '2', '3']);
    expect(run({ x: f64([I, J, K]) }, (p) => transpose(p.x, [2, 0, 1]), { x })).toEqual(want);
    // and the inverse permutation brings it back
    expect(run({ x: f64([I, J, K]) }, (p) => transpose(transpose(p.x, [2, 0, 1]), [1, 2, 0]), { x })).toEqual(x);
  });
});

describe('slice, concat', () => {
  const x34 = Array.from({ length: 12 }, (_, f) => f); // [[0..3],[4..7],[8..11]]
  test('literal ranges and null (whole axis)', () => {
    expect(
      run(
        { x: f64([3, 4]) },
        (p) =>
          slice(p.x, [
            [1, 3],
            [0, 2],
          ]),
        { x: x34 },
      ),
    ).toEqual([4, 5, 8, 9]);
    expect(run({ x: f64([3, 4]) }, (p) => slice(p.x, [null, [3, 4]]), { x: x34 })).toEqual([3, 7, 11]);
    expect(run({ x: f64([3, 4]) }, (p) => p.x.slice([[2, 3], null]), { x: x34 })).toEqual([8, 9, 10, 11]);
    expect(run({ x: f64([3, 4]) }, (p) => p.x.col(1), { x: x34 })).toEqual([1, 5, 9]);
  });
  test('symbolic bounds: [1, N−1) and the second half [K, 2K)', () => {
    const pn = { x: f64(['N']) };
    expect(typeOf(pn, (p) => slice(p.x, [[1, 'N-1']])).shape).toEqual(['N - 2']);
    expect(run(pn, (p) => slice(p.x, [[1, 'N-1']]), { x: [10, 20, 30, 40, 50] })).toEqual([20, 30, 40]);
    const pk = { x: f64(['2*K']) };
    expect(typeOf(pk, (p) => slice(p.x, [['K', '2*K']])).shape).toEqual(['K']);
    expect(run(pk, (p) => slice(p.x, [['K', '2*K']]), { x: [1, 2, 3, 4, 5, 6] })).toEqual([4, 5, 6]);
    expect(run(pk, (p) => slice(p.x, [[0, 'K']]), { x: [1, 2, 3, 4, 5, 6] })).toEqual([1, 2, 3]);
  });
  test('concat along axis 0 and axis 1', () => {
    const ps = { a: f64([2, 2]), b: f64([1, 2]), c: f64([2, 1]) };
    const inputs = { a: [1, 2, 3, 4], b: [5, 6], c: [7, 8] };
    expect(run(ps, (p) => concat([p.a, p.b], 0), inputs)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(typeOf(ps, (p) => concat([p.a, p.b], 0)).shape).toEqual(['3', '2']);
    expect(run(ps, (p) => concat([p.a, p.c], 1), inputs)).toEqual([1, 2, 7, 3, 4, 8]);
    expect(run(ps, (p) => concat([p.c, p.a, p.c], 1), inputs)).toEqual([7, 1, 2, 7, 8, 3, 4, 8]);
  });
  test('concat of symbolic lengths adds them', () => {
    const ps = { a: f64(['M']), b: f64(['N']) };
    expect(typeOf(ps, (p) => concat([p.a, p.b, p.a])).shape).toEqual(['2*M + N']);
    expect(run(ps, (p) => concat([p.a, p.b, p.a]), { a: [1, 2], b: [3] })).toEqual([1, 2, 3, 1, 2]);
  });
});

describe('gather, take, scatterAdd', () => {
  const table = Array.from({ length: 12 }, (_, f) => 10 * Math.floor(f / 4) + (f % 4)); // t[i,j] = 10i + j, (3,4)
  test('gather from a 2-D table with index vectors', () => {
    const ps = { t: f64([3, 4]), r: i32(['P']), c: i32(['P']) };
    expect(
      run(ps, (p) => gather(p.t, [p.r, p.c]), { t: table, r: Int32Array.of(2, 0, 1, 2), c: Int32Array.of(3, 1, 0, 0) }),
    ).toEqual([23, 1, 10, 20]);
  });
  test('gather with 2-D index arrays and broadcast indices', () => {
    const ps = { t: f64([3, 4]), r: i32([2, 2]), c: i32([2, 2]) };
    expect(
      run(ps, (p) => gather(p.t, [p.r, p.c]), { t: table, r: Int32Array.of(0, 1, 2, 0), c: Int32Array.of(3, 2, 1, 0) }),
    ).toEqual([3, 12, 21, 0]);
    // rows (2,1) with columns (3) → (2,3)
    const pb = { t: f64([3, 4]), r: i32([2, 1]), c: i32([3]) };
    expect(
      run(pb, (p) => gather(p.t, [p.r, p.c]), { t: table, r: Int32Array.of(2, 1), c: Int32Array.of(0, 3, 1) }),
    ).toEqual([20, 23, 21, 10, 13, 11]);
    // a number index is a constant on that axis
    expect(
      run({ t: f64([3, 4]), c: i32([2]) }, (p) => gather(p.t, [1, p.c]), { t: table, c: Int32Array.of(3, 0) }),
    ).toEqual([13, 10]);
  });
  test('take rows (axis 0) and columns (axis 1)', () => {
    const ps = { t: f64([3, 4]), i: i32(['P']) };
    expect(run(ps, (p) => take(p.t, p.i, 0), { t: table, i: Int32Array.of(2, 0) })).toEqual([
      20, 21, 22, 23, 0, 1, 2, 3,
    ]);
    expect(typeOf(ps, (p) => take(p.t, p.i, 1)).shape).toEqual(['3', 'P']);
    expect(run(ps, (p) => take(p.t, p.i, 1), { t: table, i: Int32Array.of(3, 3, 0) })).toEqual([
      3, 3, 0, 13, 13, 10, 23, 23, 20,
    ]);
  });
  test('scatterAdd: −1 entries are skipped, repeated indices accumulate', () => {
    const ps = { i: i32(['P']), v: f64(['P']) };
    const r = run(ps, (p) => scatterAdd([4], [p.i], p.v), {
      i: Int32Array.of(0, 2, -1, 2, 3, 0),
      v: [1, 2, 100, 3, 4, 0.5],
    });
    expect(r).toEqual([1.5, 0, 5, 4]);
  });
  test('scatterAdd into a 2-D output; −1 on either axis skips the entry', () => {
    const ps = { r: i32(['P']), c: i32(['P']), v: f64(['P']) };
    const r = run(ps, (p) => scatterAdd([2, 3], [p.r, p.c], p.v), {
      r: Int32Array.of(0, 1, 1, -1, 0, 1),
      c: Int32Array.of(2, 0, 0, 1, -1, 2),
      v: [1, 2, 3, 40, 50, 6],
    });
    expect(r).toEqual([0, 0, 1, 5, 0, 6]);
  });
  test('scatterAdd with a symbolic output size and a broadcast value', () => {
    const ps = { i: i32(['P']), s: sizes('S') };
    expect(run(ps, (p) => scatterAdd(['S'], [p.i], constant(1)), { i: Int32Array.of(4, 1, 4, -1, 4), s: 5 })).toEqual([
      0, 1, 0, 0, 3,
    ]);
  });
  test('scatterAdd against a plain loop on random data', () => {
    const r = rng(5),
      P = 40,
      S = 7;
    const idx = Int32Array.from({ length: P }, () => Math.floor(r() * (S + 1)) - 1); // −1 … S−1
    const v = randomArray(P, r);
    const want = new Float64Array(S);
    for (let p = 0; p < P; p++) if (idx[p] !== -1) want[idx[p]!] += v[p]!;
    close(
      run({ i: i32(['P']), v: f64(['P']), s: sizes('S') }, (p) => scatterAdd(['S'], [p.i], p.v), { i: idx, v, s: S }),
      want,
    );
  });
});

describe('index and constant generators', () => {
  test('iota along each axis, arange', () => {
    expect(run({}, () => iota([2, 3], 0), {})).toEqual([0, 0, 0, 1, 1, 1]);
    expect(run({}, () => iota([2, 3], 1), {})).toEqual([0, 1, 2, 0, 1, 2]);
    expect(typeOf({}, () => iota([2, 3], 1)).dtype).toBe('i32');
    expect(run({}, () => arange(4), {})).toEqual([0, 1, 2, 3]);
    expect(typeOf({}, () => arange(3, 'f64')).dtype).toBe('f64');
    expect(run({ n: sizes('N') }, () => arange('N'), { n: 5 })).toEqual([0, 1, 2, 3, 4]);
    expect(run({ n: sizes('N') }, () => mul(arange('N', 'f64'), 0.5), { n: 3 })).toEqual([0, 0.5, 1]);
  });
  test('constant, full, zeros', () => {
    expect(run({}, () => constant(2.5), {})).toEqual([2.5]);
    expect(typeOf({}, () => constant(3, 'i32')).dtype).toBe('i32');
    expect(run({}, () => constant(-1, 'f64', [2, 2]), {})).toEqual([-1, -1, -1, -1]);
    expect(run({}, () => full([3], 7), {})).toEqual([7, 7, 7]);
    expect(run({ n: sizes('N') }, () => zeros(['N']), { n: 4 })).toEqual([0, 0, 0, 0]);
    expect(typeOf({ n: sizes('N') }, () => zeros(['N'], 'i32'))).toEqual({ dtype: 'i32', shape: ['N'] });
  });
  test('size() is the bound value of a size symbol (i32 scalar)', () => {
    const ps = { x: f64(['N']) };
    expect(typeOf(ps, () => size('N'))).toEqual({ dtype: 'i32', shape: [] });
    expect(run(ps, (p) => div(p.x, cast(size('N'), 'f64')), { x: [1, 2, 3, 6] })).toEqual([0.25, 0.5, 0.75, 1.5]);
    expect(run({ s: sizes(['A', 'B']) }, () => mul(size('A'), size('B')), { s: [3, 7] })).toEqual([21]);
    // sizes parameters also appear as i32 scalars in the body
    expect(run({ s: sizes(['A', 'B']) }, (p) => sub(p.s[0]!, p.s[1]!), { s: [3, 7] })).toEqual([-4]);
  });
  test('cast: f64 → i32 truncates toward zero; i32 → f64; bool → f64', () => {
    expect(run({ x: f64([4]) }, (p) => cast(p.x, 'i32'), { x: [1.7, -1.7, 2, -0.5] }).map((v) => v + 0)).toEqual([
      1, -1, 2, 0,
    ]);
    expect(typeOf({ x: f64([4]) }, (p) => p.x.cast('i32')).dtype).toBe('i32');
    expect(run({ n: i32([2]) }, (p) => div(cast(p.n, 'f64'), 2), { n: Int32Array.of(3, -3) })).toEqual([1.5, -1.5]);
    expect(run({ x: f64([3]) }, (p) => sum(cast(gt(p.x, 0), 'f64')), { x: [1, -1, 2] })).toEqual([2]);
    expect(run({ x: f64([2]) }, (p) => cast(p.x, 'f32'), { x: [0.1, 3] })).toEqual([Math.fround(0.1), 3]);
  });
});

describe('cholesky and triSolve', () => {
  // A = [[4,12,−16],[12,37,−43],[−16,−43,98]] = L·Lᵀ with L = [[2,0,0],[6,1,0],[−8,5,3]]
  const A = [4, 12, -16, 12, 37, -43, -16, -43, 98];
  const L = [2, 0, 0, 6, 1, 0, -8, 5, 3];
  test('cholesky of a 2×2 and a 3×3 by hand', () => {
    expect(run({ a: f64([2, 2]) }, (p) => cholesky(p.a), { a: [4, 2, 2, 5] })).toEqual([2, 0, 1, 2]);
    expect(run({ a: f64(['N', 'N']) }, (p) => cholesky(p.a), { a: A })).toEqual(L);
  });
  test('triSolve L·x = b and Lᵀ·x = b, vector right-hand side', () => {
    const ps = { l: f64([3, 3]), b: f64([3]) };
    // L·[1,2,3] = [2, 8, 11];  Lᵀ·[1,2,3] = [−10, 17, 9]
    expect(run(ps, (p) => triSolve(p.l, p.b), { l: L, b: [2, 8, 11] })).toEqual([1, 2, 3]);
    expect(run(ps, (p) => triSolve(p.l, p.b, { transpose: true }), { l: L, b: [-10, 17, 9] })).toEqual([1, 2, 3]);
  });
  test('triSolve with a matrix right-hand side (columns solved independently)', () => {
    const ps = { l: f64([3, 3]), b: f64([3, 2]) };
    // X = [[1,−1],[2,0],[3,1]]: L·X = [[2,−2],[8,−6],[11,11]], Lᵀ·X = [[−10,−10],[17,5],[9,3]]
    expect(run(ps, (p) => triSolve(p.l, p.b), { l: L, b: [2, -2, 8, -6, 11, 11] })).toEqual([1, -1, 2, 0, 3, 1]);
    expect(run(ps, (p) => triSolve(p.l, p.b, { transpose: true }), { l: L, b: [-10, -10, 17, 5, 9, 3] })).toEqual([
      1, -1, 2, 0, 3, 1,
    ]);
  });
  test('random SPD system: L·Lᵀ = A and the two solves give A⁻¹b, against plain loops', () => {
    const r = rng(2024),
      n = 6;
    const G = randomArray(n * n, r);
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        let s = i === j ? n : 0;
        for (let k = 0; k < n; k++) s += G[i * n + k]! * G[j * n + k]!;
        a[i * n + j] = s;
      }
    const b = randomArray(n, r);
    const ps = { a: f64(['N', 'N']), b: f64(['N']) };
    const out = runMany(
      ps,
      (p) => {
        const l = cholesky(p.a);
        return { l, y: triSolve(l, p.b), x: triSolve(l, triSolve(l, p.b), { transpose: true }) };
      },
      { a, b },
    );
    const l = out.l!;
    // lower triangular, and L·Lᵀ reproduces A
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) expect(l[i * n + j]).toBe(0);
    const llt = new Float64Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) llt[i * n + j] += l[i * n + k]! * l[j * n + k]!;
    close(llt, a);
    // forward substitution by hand
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = b[i]!;
      for (let k = 0; k < i; k++) s -= l[i * n + k]! * y[k]!;
      y[i] = s / l[i * n + i]!;
    }
    close(out.y!, y);
    // A·x = b
    const ax = new Float64Array(n);
    for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) ax[i] += a[i * n + k]! * out.x![k]!;
    close(ax, b, 1e-12);
  });
});
