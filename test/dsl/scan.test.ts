// scan with the semantics of JAX's lax.scan: body(carry, x_t) → [carry', y_t]; the results are the
// final carry and the y_t stacked along a new leading axis (ys[t] belongs to xs[t], also in reverse).
// Expected values come from plain loops in this file.
import { describe, expect, test } from 'vitest';
import { interpret } from '../../backends/reference/interpret.ts';
import type { Graph } from '../../compiler/ir/graph.ts';
import {
  add,
  constant,
  cos,
  f64,
  i32,
  kernel,
  mul,
  scalar,
  scan,
  sizes,
  sub,
  sum,
  zeros,
  type Tensor,
} from '../../dsl/index.ts';
import { randomArray, relErr, rng } from '../helpers/random.ts';

const outputs = (g: Graph, inputs: Record<string, unknown>): Record<string, number[]> => {
  const r = interpret(g, inputs);
  if (r instanceof Float64Array) throw new Error('expected several outputs');
  return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, Array.from(v)]));
};
const close = (got: ArrayLike<number>, want: ArrayLike<number>, tol = 1e-12): void => {
  expect(got.length).toBe(want.length);
  expect(relErr(got, want)).toBeLessThanOrEqual(tol);
};
const shapeText = (g: Graph, name: string): string[] => g.outputs.find((o) => o.name === name)!.node.shape.map(String);

describe('scan', () => {
  test('cumulative sum: carry c, y = c + x → the total and the inclusive prefix sums', () => {
    const k = kernel({
      name: 'cumsum',
      params: { x: f64(['K']) },
      body: ({ x }) => {
        const [total, ys] = scan(
          (c: Tensor, xt: Tensor) => {
            const s = add(c, xt);
            return [s, s];
          },
          constant(0),
          x,
        );
        return { total, ys: ys as Tensor };
      },
    });
    const g = k.graph();
    expect(shapeText(g, 'total')).toEqual([]);
    expect(shapeText(g, 'ys')).toEqual(['K']);
    const x = [3, -1, 4, 1, -5, 9];
    const want: number[] = [];
    let c = 0;
    for (const v of x) {
      c += v;
      want.push(c);
    }
    expect(outputs(g, { x })).toEqual({ total: [c], ys: want });
  });

  test('y may be the incoming carry (exclusive prefix sums), and the init a parameter', () => {
    const k = kernel({
      name: 'exclusive',
      params: { x: f64(['K']), c0: scalar() },
      body: ({ x, c0 }) => {
        const [total, ys] = scan((c: Tensor, xt: Tensor) => [add(c, xt), c], c0, x);
        return { total, ys: ys as Tensor };
      },
    });
    const r = rng(3),
      x = randomArray(9, r),
      c0 = 0.75;
    const ys: number[] = [];
    let c = c0;
    for (const v of x) {
      ys.push(c);
      c += v;
    }
    const got = outputs(k.graph(), { x, c0 });
    close(got.total!, [c]);
    close(got.ys!, ys);
  });

  test('several carries (a tuple) and several ys', () => {
    // a' = b, b' = a + b·x_t; ys: (a_t, b_t·2) — a linear recurrence
    const k = kernel({
      name: 'pair',
      params: { x: f64(['K']) },
      body: ({ x }) => {
        const [[a, b], ys] = scan(
          (carry: readonly Tensor[], xt: Tensor) => {
            const [a, b] = carry as [Tensor, Tensor];
            return [
              [b, add(a, mul(b, xt))],
              [a, mul(b, 2)],
            ] as const;
          },
          [constant(1), constant(0.5)],
          x,
        );
        const [ya, yb] = ys as Tensor[];
        return { a: a!, b: b!, ya: ya!, yb: yb! };
      },
    });
    const r = rng(17),
      x = randomArray(8, r);
    let a = 1,
      b = 0.5;
    const ya: number[] = [],
      yb: number[] = [];
    for (const v of x) {
      ya.push(a);
      yb.push(2 * b);
      [a, b] = [b, a + b * v];
    }
    const got = outputs(k.graph(), { x });
    close(got.a!, [a]);
    close(got.b!, [b]);
    close(got.ya!, ya);
    close(got.yb!, yb);
  });

  test('carries of different dtypes: an i32 step counter beside an f64 accumulator', () => {
    const k = kernel({
      name: 'counted',
      params: { x: f64(['K']) },
      body: ({ x }) => {
        const [[n, s], ys] = scan(
          (carry: readonly Tensor[], xt: Tensor) => {
            const [n, s] = carry as [Tensor, Tensor];
            return [[add(n, 1), add(s, mul(xt, xt))], n];
          },
          [constant(0, 'i32'), constant(0)],
          x,
        );
        return { n: n!, s: s!, ys: ys as Tensor };
      },
    });
    const g = k.graph();
    expect(g.outputs.map((o) => o.node.dtype)).toEqual(['i32', 'f64', 'i32']);
    const x = [1, -2, 3, 0.5];
    expect(outputs(g, { x })).toEqual({ n: [4], s: [1 + 4 + 9 + 0.25], ys: [0, 1, 2, 3] });
  });

  test('reverse = true runs t = K−1 … 0 and keeps ys[t] aligned with xs[t] (suffix sums)', () => {
    const k = kernel({
      name: 'suffix',
      params: { x: f64(['K']) },
      body: ({ x }) => {
        const [total, ys] = scan(
          (c: Tensor, xt: Tensor) => {
            const s = add(c, xt);
            return [s, s];
          },
          constant(0),
          x,
          { reverse: true },
        );
        return { total, ys: ys as Tensor };
      },
    });
    const x = [1, 2, 4, 8, 16];
    const want = new Array<number>(x.length);
    let c = 0;
    for (let t = x.length - 1; t >= 0; t--) {
      c += x[t]!;
      want[t] = c;
    }
    expect(want).toEqual([31, 30, 28, 24, 16]);
    expect(outputs(k.graph(), { x })).toEqual({ total: [31], ys: want });
  });

  test('reverse matters for an order-dependent carry: c′ = 2c + x (reading digits)', () => {
    const mk = (reverse: boolean) =>
      kernel({
        name: 'digits',
        params: { x: f64(['K']) },
        body: ({ x }) => scan((c: Tensor, xt: Tensor) => [add(mul(c, 2), xt), null], constant(0), x, { reverse })[0],
      });
    const x = [1, 0, 1, 1]; // forward reads 1011₂ = 11, reverse reads 1101₂ = 13
    expect(Array.from(interpret(mk(false).graph(), { x }) as Float64Array)).toEqual([11]);
    expect(Array.from(interpret(mk(true).graph(), { x }) as Float64Array)).toEqual([13]);
  });

  test('xs of rank 2: the per-step slice is a row; vector carry, scalar y', () => {
    const K = 5,
      M = 3;
    const k = kernel({
      name: 'rows',
      params: { x: f64(['K', 'M']), w: f64(['M']), sz: sizes(['K', 'M']) },
      body: ({ x, w }) => {
        const [c, ys] = scan(
          (c: Tensor, row: Tensor) => {
            expect(row.shape.map(String)).toEqual(['M']);
            return [add(mul(c, 0.5), mul(row, w)), sum(mul(row, c))];
          },
          zeros(['M']),
          x,
        );
        return { c, ys: ys as Tensor };
      },
    });
    const g = k.graph();
    expect(shapeText(g, 'c')).toEqual(['M']);
    expect(shapeText(g, 'ys')).toEqual(['K']);
    const r = rng(99),
      x = randomArray(K * M, r),
      w = randomArray(M, r);
    let c = new Float64Array(M);
    const ys: number[] = [];
    for (let t = 0; t < K; t++) {
      let y = 0;
      for (let m = 0; m < M; m++) y += x[t * M + m]! * c[m]!;
      ys.push(y);
      c = c.map((cm, m) => 0.5 * cm + x[t * M + m]! * w[m]!);
    }
    const got = outputs(g, { x, w, sz: [K, M] });
    close(got.c!, c);
    close(got.ys!, ys);
  });

  test('a matrix carry and stacked matrix ys: ys has shape (K, M, M)', () => {
    const K = 4,
      M = 2;
    const k = kernel({
      name: 'outer',
      params: { u: f64(['K', 'M']), sz: sizes(['K', 'M']) },
      body: ({ u }) => {
        const [c, ys] = scan(
          (c: Tensor, ut: Tensor) => {
            const o = mul(ut.reshape(['M', 1]), ut.reshape([1, 'M']));
            return [add(c, o), cos(o)];
          },
          zeros(['M', 'M']),
          u,
        );
        return { c, ys: ys as Tensor };
      },
    });
    const g = k.graph();
    expect(shapeText(g, 'ys')).toEqual(['K', 'M', 'M']);
    const r = rng(8),
      u = randomArray(K * M, r);
    const c = new Float64Array(M * M),
      ys = new Float64Array(K * M * M);
    for (let t = 0; t < K; t++)
      for (let i = 0; i < M; i++)
        for (let j = 0; j < M; j++) {
          const o = u[t * M + i]! * u[t * M + j]!;
          c[i * M + j] += o;
          ys[(t * M + i) * M + j] = Math.cos(o);
        }
    const got = outputs(g, { u, sz: [K, M] });
    close(got.c!, c);
    close(got.ys!, ys);
  });

  test('several xs, and a body that closes over a kernel parameter', () => {
    const k = kernel({
      name: 'twoXs',
      params: { a: f64(['K']), b: f64(['K']), s: scalar() },
      body: ({ a, b, s }) => {
        const [c, ys] = scan(
          (c: Tensor, xt: readonly Tensor[]) => {
            const [at, bt] = xt as [Tensor, Tensor];
            return [add(c, mul(sub(at, bt), s)), mul(at, bt)];
          },
          constant(0),
          [a, b],
        );
        return { c, ys: ys as Tensor };
      },
    });
    const a = [1, 2, 3],
      b = [0.5, -1, 2],
      s = 3;
    let c = 0;
    const ys: number[] = [];
    for (let t = 0; t < 3; t++) {
      c += (a[t]! - b[t]!) * s;
      ys.push(a[t]! * b[t]!);
    }
    expect(outputs(k.graph(), { a, b, s })).toEqual({ c: [c], ys });
  });

  test('length option without xs: ys are stacked from the carry alone', () => {
    const k = kernel({
      name: 'powers',
      params: { x0: f64([]) },
      body: ({ x0 }) => {
        const [c, ys] = scan((c: Tensor) => [mul(c, 2), c], x0, null, { length: 5 });
        return { c, ys: ys as Tensor };
      },
    });
    const g = k.graph();
    expect(shapeText(g, 'ys')).toEqual(['5']);
    const ys: number[] = [];
    let c = 1.5;
    for (let t = 0; t < 5; t++) {
      ys.push(c);
      c *= 2;
    }
    expect(outputs(g, { x0: [1.5] })).toEqual({ c: [c], ys });
  });

  test('symbolic length option without xs (a sizes parameter)', () => {
    const k = kernel({
      name: 'countUp',
      params: { n: sizes('L') },
      body: () => {
        const [c, ys] = scan((c: Tensor) => [add(c, 1), mul(c, c)], constant(0, 'i32'), null, { length: 'L' });
        return { c, ys: ys as Tensor };
      },
    });
    expect(shapeText(k.graph(), 'ys')).toEqual(['L']);
    expect(outputs(k.graph(), { n: 4 })).toEqual({ c: [4], ys: [0, 1, 4, 9] });
  });

  // Regression test for a fixed bug (dsl/scan.ts + backends/reference/interpret.ts runScan): the scan op does not record its length;
  // the interpreter recovers it from the ys (results[nCarry]) or xs, and falls back to 0 steps. So a scan
  // with options.length, no xs and no ys runs zero times and returns the initial carry (here 1, not 2⁵).
  test('length option without xs and without ys still runs `length` steps', () => {
    const k = kernel({
      name: 'doubling',
      params: { x0: f64([]) },
      body: ({ x0 }) => scan((c: Tensor) => [mul(c, 2), null], x0, null, { length: 5 })[0],
    });
    expect(Array.from(interpret(k.graph(), { x0: [1] }) as Float64Array)).toEqual([32]);
  });

  test('an i32 xs drives an f64 carry (comparison cast to f64 in the body)', () => {
    const k = kernel({
      name: 'countPos',
      params: { n: i32(['K']) },
      body: ({ n }) => scan((c: Tensor, nt: Tensor) => [add(c, nt.gt(0).cast('f64')), null], constant(0), n)[0],
    });
    expect(Array.from(interpret(k.graph(), { n: Int32Array.of(3, -1, 0, 7, 2) }) as Float64Array)).toEqual([3]);
  });
});
