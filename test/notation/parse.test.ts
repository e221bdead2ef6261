// The parser alone: precedence, associativity, the reach of reductions, max as function or reduction,
// and which line breaks separate statements.
import { describe, expect, test } from 'vitest';
import type { Expr, Statement } from '../../dsl/notation/ast.ts';
import { parse } from '../../dsl/notation/parser.ts';

/** Fully parenthesised S-expressions, so a test states the tree it expects. */
const sx = (e: Expr): string => {
  switch (e.kind) {
    case 'num':
      return e.value === Math.PI ? 'pi' : String(e.value);
    case 'name':
      return e.name;
    case 'access':
      return `${e.name}[${e.subs.map(sx).join(',')}]`;
    case 'call':
      return `(${e.fn} ${e.args.map(sx).join(' ')})`;
    case 'neg':
      return `(neg ${sx(e.arg)})`;
    case 'binary':
      return `(${e.op} ${sx(e.lhs)} ${sx(e.rhs)})`;
    case 'reduce':
      return `(${e.fn}[${e.indices.map((i) => i.name).join(',')}] ${sx(e.body)})`;
  }
};
const stmt = (s: Statement): string =>
  `${s.target.name}${s.indices.length ? `[${s.indices.map((i) => i.name).join(',')}]` : ''} = ${sx(s.rhs)}`;
const ok = (text: string): string[] => {
  const r = parse(text);
  if (!r.ok) throw new Error(`${r.offset}: ${r.message}`);
  return r.statements.map(stmt);
};
const rhs = (text: string): string => ok(`A = ${text}`)[0]!.slice(4);

describe('precedence', () => {
  test.each([
    ['1 + 2 * 3', '(+ 1 (* 2 3))'],
    ['1 - 2 - 3', '(- (- 1 2) 3)'],
    ['a / b * c % d', '(% (* (/ a b) c) d)'],
    ['2 ^ 3 ^ 2', '(^ 2 (^ 3 2))'],
    ['-x ^ 2', '(neg (^ x 2))'],
    ['2 ^ -1', '(^ 2 (neg 1))'],
    ['-a * b', '(* (neg a) b)'],
    ['a + b < c * d', '(< (+ a b) (* c d))'],
    ['a == b', '(== a b)'],
    ['(a + b) * c', '(* (+ a b) c)'],
    ['2*pi*x', '(* (* 2 pi) x)'],
    ['1.5e-8 + .5 + 3.', '(+ (+ 1.5e-8 0.5) 3)'],
    ['cos(x[i]) / s[k]^2', '(/ (cos x[i]) (^ s[k] 2))'],
    ['where(a < b, min(a, b), max(a, 1))', '(where (< a b) (min a b) (max a 1))'],
  ])('%s', (text, tree) => expect(rhs(text)).toBe(tree));
});

describe('reductions reach as far right as possible', () => {
  test.each([
    ['sum(k) cos(a[k]) / s[k]^2', '(sum[k] (/ (cos a[k]) (^ s[k] 2)))'],
    ['sum(k, l) a[k] * b[l]', '(sum[k,l] (* a[k] b[l]))'],
    ['2 * sum(k) a[k] + 1', '(* 2 (sum[k] (+ a[k] 1)))'],
    ['(sum(k) a[k]) + 1', '(+ (sum[k] a[k]) 1)'],
    ['sum(j) a[j] * sum(k) b[j,k]', '(sum[j] (* a[j] (sum[k] b[j,k])))'],
    ['max(k) -a[k]', '(max[k] (neg a[k]))'],
    ['max(k, l) a[k,l] - 1', '(max[k,l] (- a[k,l] 1))'],
    ['max(k) (a[k])', '(max[k] a[k])'],
    ['max(k) cos(a[k])', '(max[k] (cos a[k]))'],
    ['max(a, b) - 1', '(- (max a b) 1)'],
    ['max(a[i], 2) * 3', '(* (max a[i] 2) 3)'],
  ])('%s', (text, tree) => expect(rhs(text)).toBe(tree));
});

describe('statements', () => {
  test('left-hand sides: indexed, scalar', () => {
    expect(ok('W[i, j] = x[i] * y[j]')).toEqual(['W[i,j] = (* x[i] y[j])']);
    expect(ok('E = sum(i) x[i]')).toEqual(['E = (sum[i] x[i])']);
  });
  test('separated by ; or line breaks; blank lines and trailing separators are fine', () => {
    expect(ok('a[i] = x[i]; b[i] = a[i] * 2')).toEqual(['a[i] = x[i]', 'b[i] = (* a[i] 2)']);
    expect(ok('\n  a[i] = x[i]\n\n  b[i] = a[i] * 2;\n')).toEqual(['a[i] = x[i]', 'b[i] = (* a[i] 2)']);
  });
  test('a line break inside brackets, after an operator or before one continues the statement', () => {
    expect(ok('a[i] = (x[i]\n + 1)\n * 2 +\n 3')).toEqual(['a[i] = (+ (* (+ x[i] 1) 2) 3)']);
    expect(ok('W[i,\n j] = sum(k)\n x[i,k]\n * y[j,k]')).toEqual(['W[i,j] = (sum[k] (* x[i,k] y[j,k]))']);
  });
  test('a line break separates only where the next line starts a statement', () => {
    expect(ok('a[i] = x[i]\nb = 2')).toEqual(['a[i] = x[i]', 'b = 2']);
    expect(ok('a[i] = x[i]\nb[i, j] = a[i]')).toEqual(['a[i] = x[i]', 'b[i,j] = a[i]']);
  });
  test('keywords are whole words only', () => {
    expect(rhs('cosine + sum2 + pix')).toBe('(+ (+ cosine sum2) pix)');
  });
});

describe('syntax errors name the token and what was expected', () => {
  test.each([
    [
      'A[i] = x[i] +',
      13,
      "unexpected end of formula; expected one of '-', a number, 'pi', a name, '(', 'sum', 'max', 'min', 'where', a function (cos, sin, exp, log, sqrt, abs, floor)",
    ],
    [
      'A[i] = cos(x[i]',
      15,
      "unexpected end of formula; expected one of ')', ',', '^', '*', '/', '%', '+', '-', '<', '<=', '>', '>=', '==', '!='",
    ],
    [
      'A[i] = x[i])',
      11,
      "unexpected ')'; expected one of '^', '*', '/', '%', '+', '-', '<', '<=', '>', '>=', '==', '!=', ';' or a line break, the end of the formula",
    ],
    ['A[i] x[i]', 5, "unexpected 'x'; expected '='"],
    ['A[i] = x[i] @ 2', 12, "unexpected character '@'"],
    ['a < b < c', 2, "unexpected '<'; expected one of '[', '='"],
    [
      'A = 1 < 2 < 3',
      10,
      "unexpected '<'; expected one of '^', '*', '/', '%', '+', '-', ';' or a line break, the end of the formula",
    ],
    ['A[] = 1', 2, "unexpected ']'; expected a name"],
    ['', 0, 'empty formula; expected a statement such as W[i] = x[i]'],
  ])('%s', (text, offset, message) => expect(parse(text)).toEqual({ ok: false, offset, message }));
});
