// Formulas lower to the same graph structure as the equivalent TypeScript API calls, so that
// later passes cannot tell the two surfaces apart.
import { describe, expect, test } from 'vitest';
import {
  add,
  constant,
  cos,
  div,
  eq,
  gather,
  iota,
  max,
  mod,
  mul,
  pow,
  sqrt,
  sub,
  sum,
  transpose,
  where,
} from '../../dsl/index.ts';
import { formula } from '../../dsl/notation/formula.ts';
import type { Tensor } from '../../dsl/tensor.ts';
import { canon, param } from './canon.ts';

const same = (a: Tensor, b: Tensor): void => expect(canon(a)).toBe(canon(b));

describe('W̃ from both surfaces', () => {
  const x = param('x', ['M']),
    y = param('y', ['M']),
    u = param('u', ['K']),
    v = param('v', ['K']),
    s = param('s', ['K']);
  const xi = x.reshape(['M', 1, 1]),
    xj = x.reshape([1, 'M', 1]),
    yi = y.reshape(['M', 1, 1]),
    yj = y.reshape([1, 'M', 1]);
  const uk = u.reshape([1, 1, 'K']),
    vk = v.reshape([1, 1, 'K']),
    sk = s.reshape([1, 1, 'K']);
  const ts = sum(div(cos(mul(mul(2, Math.PI), add(mul(sub(xi, xj), uk), mul(sub(yi, yj), vk)))), pow(sk, 2)), 2);

  test('identical structure, before and after folding constants', () => {
    const W = formula(`W[i,j] = sum(k) cos(2*pi*((x[i]-x[j])*u[k] + (y[i]-y[j])*v[k])) / s[k]^2`, { x, y, u, v, s });
    same(W, ts);
    expect(canon(W, { fold: true })).toBe(canon(ts, { fold: true }));
    expect(W.shape.map(String)).toEqual(['M', 'M']);
  });

  test('layout of the text does not matter', () => {
    const W = formula(
      `
      W[i, j] = sum(k)
        cos(2 * pi * ((x[i] - x[j]) * u[k]
                    + (y[i] - y[j]) * v[k]))
        / s[k] ^ 2
    `,
      { x, y, u, v, s },
    );
    same(W, ts);
  });

  test('a folded constant differs before folding only', () => {
    const W = formula(`W[i,j] = sum(k) cos(6.283185307179586*((x[i]-x[j])*u[k] + (y[i]-y[j])*v[k])) / s[k]^2`, {
      x,
      y,
      u,
      v,
      s,
    });
    expect(canon(W)).not.toBe(canon(ts));
    expect(canon(W, { fold: true })).toBe(canon(ts, { fold: true }));
  });
});

describe('array access', () => {
  const A = param('A', ['M', 'N']),
    x = param('x', ['N']);

  test('subscripts out of scope order transpose first', () => {
    same(formula(`B[i, j] = A[j, i]`, { A }), transpose(A, [1, 0]));
    const T3 = param('T', ['P', 'Q', 'R']);
    same(formula(`B[i, j, k] = T[k, i, j]`, { T: T3 }), transpose(T3, [1, 2, 0]));
  });

  test('matrix–vector product: reshape to the scope, broadcast, sum the last axis', () => {
    same(formula(`y[i] = sum(j) A[i, j] * x[j]`, { A, x }), sum(mul(A, x.reshape([1, 'N'])), 1));
  });

  test('nested reductions: each body lives in the scope of its enclosing indices', () => {
    const B = param('B', ['N', 'L']);
    const ts = sum(mul(A, sum(B.reshape([1, 'N', 'L']), 2)), 1);
    same(formula(`y[i] = sum(j) A[i, j] * sum(k) B[j, k]`, { A, B }), ts);
  });

  test('sum and max over several indices reduce those axes at once', () => {
    same(formula(`E = sum(i, j) A[i, j]`, { A }), sum(A, [0, 1]));
    same(formula(`m[i] = max(j) A[i, j]`, { A }), max(A, 1));
    same(formula(`m[j] = max(i) A[i, j]`, { A }), max(transpose(A, [1, 0]), 1));
  });

  test('a repeated index is a gather along iotas (the diagonal)', () => {
    const S = param('S', ['N', 'N']);
    same(formula(`d[i] = S[i, i]`, { S }), gather(S, [iota(['N'], 0), iota(['N'], 0)]));
  });

  test('an index used as a value is an i32 iota along its axis', () => {
    const ts = where(eq(iota(['M', 1], 0), iota([1, 'N'], 1)), A, 0);
    same(formula(`D[i, j] = where(i == j, A[i, j], 0)`, { A }), ts);
  });

  test('a computed subscript is a gather with i32 arithmetic', () => {
    const P = param('P', ['Ny2', 'Nx2']),
      r = param('r', ['M'], 'i32'),
      c = param('c', ['M'], 'i32');
    const NY2 = 6;
    const W = formula(`W[i, j] = P[(r[j] - r[i]) % NY2, c[i]]`, { P, r, c, NY2 });
    const ts = gather(P, [mod(sub(r.reshape([1, 'M']), r.reshape(['M', 1])), 6), c.reshape(['M', 1])]);
    same(W, ts);
    expect(W.dtype).toBe('f64');
    same(formula(`g[i] = P[2 * 3 - 1, c[i]]`, { P, c }), gather(P, [sub(mul(constant(2, 'i32'), 3), 1), c]));
  });
});

describe('numbers, scalars and statements', () => {
  const x = param('x', ['N']);

  test('a minus before a literal is part of it', () => {
    same(formula(`y[i] = -2 * x[i]`, { x }), mul(-2, x));
    same(formula(`y[i] = -x[i]`, { x }), x.neg());
  });

  test('scalars from env: numbers lift like literals, rank-0 tensors are used as they are', () => {
    const w = param('w', []);
    same(formula(`y[i] = x[i] * a + w`, { x, a: 0.5, w }), add(mul(x, 0.5), w));
  });

  test('later statements use earlier left-hand sides as arrays; the last is returned', () => {
    const y = param('y', ['N']);
    const E = formula(
      `
      r[i] = sqrt(x[i]^2 + y[i]^2)
      E = sum(i) r[i] / 2; F = E * 3
    `,
      { x, y },
    );
    same(E, mul(sum(div(sqrt(add(pow(x, 2), pow(y, 2))), 2), 0), 3));
    expect(E.rank).toBe(0);
  });
});
