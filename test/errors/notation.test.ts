// Index-notation programs that must fail: each asserts the message and the user's file:line:col of
// the offending token inside the formula literal in this file.
import { describe, expect, test } from 'vitest';
import { LenscError, type SourceLoc } from '../../compiler/ir/source.ts';
import { formula } from '../../dsl/notation/formula.ts';
import { param } from '../notation/canon.ts';
import { lineOf, positionOf } from '../notation/position.ts';

const FILE = 'test/errors/notation.test.ts';
const x = param('x', ['M']),
  u = param('u', ['K']),
  A = param('A', ['M', 'K']);
const P = param('P', ['Ny2', 'Nx2']),
  c = param('c', ['M'], 'i32');
const env = { x, u, A, P, c, n: 3 };

/** Runs fn, which must throw a LenscError from formula; returns it. */
const fails = (fn: () => unknown): LenscError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof LenscError) return e;
    throw e;
  }
  throw new Error('expected a LenscError');
};
/** Asserts op 'formula', the detail, the location of `token` (nth) in `literal`, and the full message. */
const expectError = (e: LenscError, detail: string, literal: string, token: string, nth = 0): SourceLoc => {
  const loc = positionOf(FILE, literal, token, nth);
  expect(e.op).toBe('formula');
  expect(e.detail).toBe(detail);
  expect(e.loc).toEqual(loc);
  expect(e.message).toBe(`${loc.file}:${loc.line}:${loc.col}: formula: ${detail}`);
  return loc;
};

describe('syntax', () => {
  test('unexpected token', () => {
    const e = fails(() => formula(`A[i] = x[i] x[i]`, env));
    expectError(
      e,
      "unexpected 'x'; expected one of '^', '*', '/', '%', '+', '-', '<', '<=', '>', '>=', '==', '!=', ';' or a line break, the end of the formula",
      'A[i] = x[i] x[i]',
      'x',
      1,
    );
  });

  test('unexpected token on a later line of a multi-line formula', () => {
    const e = fails(() =>
      formula(
        `
      r[i] = x[i] * 2
      s[i] = r[i] +* 3`,
        env,
      ),
    );
    expectError(
      e,
      "unexpected '*'; expected one of '-', a number, 'pi', a name, '(', 'sum', 'max', 'min', 'where', a function (cos, sin, exp, log, sqrt, abs, floor)",
      `
      r[i] = x[i] * 2
      s[i] = r[i] +* 3`,
      '*',
      1,
    );
  });

  test('unclosed parenthesis: reported just after the last token', () => {
    const e = fails(() => formula(`A[i] = cos(x[i] + 1`, env));
    const one = positionOf(FILE, 'A[i] = cos(x[i] + 1', '1');
    expect(e.detail).toBe(
      "unexpected end of formula; expected one of ')', ',', '^', '*', '/', '%', '+', '-', '<', '<=', '>', '>=', '==', '!='",
    );
    expect(e.loc).toEqual({ ...one, col: one.col + 1 });
  });

  test('extra closing parenthesis', () => {
    const e = fails(() => formula(`A[i] = (x[i] + 1))`, env));
    expectError(
      e,
      "unexpected ')'; expected one of '^', '*', '/', '%', '+', '-', '<', '<=', '>', '>=', '==', '!=', ';' or a line break, the end of the formula",
      'A[i] = (x[i] + 1))',
      ')',
      1,
    );
  });

  test('a bracket closed by a parenthesis', () => {
    const e = fails(() => formula(`A[i] = x[i)`, env));
    // '(' too: a name followed by '(' is a function call
    expectError(
      e,
      "unexpected ')'; expected one of ']', ',', '[', '^', '*', '/', '%', '+', '-', '<', '<=', '>', '>=', '==', '!=', '('",
      'A[i] = x[i)',
      ')',
    );
  });

  test('a character outside the language', () => {
    const e = fails(() => formula(`A[i] = x[i] & 1`, env));
    expectError(e, "unexpected character '&'", 'A[i] = x[i] & 1', '&');
  });
});

describe('names and indices', () => {
  test('unknown name', () => {
    expectError(
      fails(() => formula(`A[i] = x[i] * qq`, env)),
      "unknown name 'qq'",
      'A[i] = x[i] * qq',
      'qq',
    );
    expectError(
      fails(() => formula(`A[i] = y[i]`, env)),
      "unknown name 'y'",
      'A[i] = y[i]',
      'y',
    );
  });

  test('unknown index', () => {
    expectError(
      fails(() => formula(`B[i] = sum(k) A[i, q]`, env)),
      "unknown index 'q'",
      'B[i] = sum(k) A[i, q]',
      'q',
    );
    expectError(
      fails(() => formula(`B[i] = P[c[i], q + 1]`, env)),
      "unknown index 'q'",
      'B[i] = P[c[i], q + 1]',
      'q',
    );
  });

  test('an index is not visible outside its reduction', () => {
    const e = fails(() => formula(`B[i] = (sum(k) A[i, k]) * u[k]`, env));
    expectError(e, "unknown index 'k'", 'B[i] = (sum(k) A[i, k]) * u[k]', 'k', 2);
  });

  test('conflicting index sizes name the index, both sizes and both positions', () => {
    const lit = 'B[i] = sum(k) A[i, k] * x[k]';
    const first = positionOf(FILE, lit, 'k', 1);
    const e = fails(() => formula(`B[i] = sum(k) A[i, k] * x[k]`, env));
    expectError(
      e,
      `index 'k' has conflicting sizes: K (axis 1 of 'A' at ${first.file}:${first.line}:${first.col}) and M (axis 0 of 'x')`,
      lit,
      'k',
      2,
    );
  });

  test('an index whose size nothing fixes', () => {
    expectError(
      fails(() => formula(`B[i, j] = x[i] * j`, env)),
      "cannot infer the size of index 'j': it must directly subscript an array, as in x[j]",
      'B[i, j] = x[i] * j',
      'j',
    );
  });

  test('an index bound twice', () => {
    expectError(
      fails(() => formula(`B[i] = sum(i) x[i]`, env)),
      "index 'i' is already bound",
      'B[i] = sum(i) x[i]',
      'i',
      1,
    );
    expectError(
      fails(() => formula(`B[i, i] = x[i]`, env)),
      "index 'i' is already bound",
      'B[i, i] = x[i]',
      'i',
      1,
    );
  });

  test('arrays need all their subscripts; scalars take none', () => {
    expectError(
      fails(() => formula(`B[i] = A[i]`, env)),
      "'A' has rank 2 (shape (M, K)) but 1 subscript was given",
      'B[i] = A[i]',
      'A',
    );
    expectError(
      fails(() => formula(`B[i] = x[i] + x`, env)),
      "'x' is an array of shape (M): give its subscripts, as in x[i]",
      'B[i] = x[i] + x',
      'x',
      1,
    );
    expectError(
      fails(() => formula(`B[i] = x[i] * n[i]`, env)),
      "'n' is a scalar and takes no subscripts",
      'B[i] = x[i] * n[i]',
      'n',
    );
  });

  test('functions check their argument count', () => {
    expectError(
      fails(() => formula(`B[i] = cos(x[i], 2)`, env)),
      'cos takes 1 argument, got 2',
      'B[i] = cos(x[i], 2)',
      'cos',
    );
    expectError(
      fails(() => formula(`B[i] = where(x[i] > 0, 1)`, env)),
      'where takes 3 arguments, got 2',
      'B[i] = where(x[i] > 0, 1)',
      'where',
    );
    expectError(
      fails(() => formula(`B[i] = atan2(x[i])`, env)),
      'atan2 takes 2 arguments, got 1',
      'B[i] = atan2(x[i])',
      'atan2',
    );
  });

  test('an unknown function is named (not a parse error), with the functions that exist', () => {
    const known =
      'abs, acos, acosh, asin, asinh, atan, atan2, atanh, ceil, clip, cos, cosh, erf, erfc, exp, expm1, floor, hypot, lgamma, log, log1p, max, min, round, sign, sin, sinh, sqrt, tan, tanh, trunc, where';
    expectError(
      fails(() => formula(`B[i] = 2 * gamma(x[i])`, env)),
      `unknown function 'gamma' (known: ${known})`,
      'B[i] = 2 * gamma(x[i])',
      'gamma',
    );
  });
});

describe('gather subscripts', () => {
  test('a non-i32 subscript', () => {
    expectError(
      fails(() => formula(`B[i] = P[x[i] * 2, c[i]]`, env)),
      "gather subscript 1 of 'P' must be i32 (an index, an integer or an i32 array), got f64(M)",
      'B[i] = P[x[i] * 2, c[i]]',
      'x',
    );
    expectError(
      fails(() => formula(`B[i] = P[c[i], (x[i])]`, env)),
      "gather subscript 2 of 'P' must be i32 (an index, an integer or an i32 array), got f64(M)",
      'B[i] = P[c[i], (x[i])]',
      '(',
    );
  });

  test('a non-integer literal subscript', () => {
    expectError(
      fails(() => formula(`B[i] = P[c[i], 1.5]`, env)),
      "gather subscript 2 of 'P' must be an integer, got 1.5",
      'B[i] = P[c[i], 1.5]',
      '1.5',
    );
  });
});

describe('values', () => {
  test('where needs a comparison', () => {
    expectError(
      fails(() => formula(`B[i] = where(1, x[i], 0)`, env)),
      'the condition of where must be a comparison, got a number',
      'B[i] = where(1, x[i], 0)',
      '1',
    );
  });

  test('a bad env entry is reported at the call', () => {
    const e = fails(() => formula(`B[i] = x[i]`, { x, y: 'no' as never })); // @badenv
    expect(e.detail).toBe("env['y'] must be a Tensor or a number, got string");
    expect(e.loc).toMatchObject({ file: FILE, line: lineOf(FILE, '// @badenv') });
  });
});
