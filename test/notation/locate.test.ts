// Every node a formula builds carries the position of its token in the user's file, found by
// reading the calling file; errors raised by the ordinary ops point there too.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import type { Node } from '../../compiler/ir/graph.ts';
import { LenscError, type SourceLoc } from '../../compiler/ir/source.ts';
import { formula } from '../../dsl/notation/formula.ts';
import { nodesOf, param } from './canon.ts';
import { lineOf, positionOf } from './position.ts';

const FILE = 'test/notation/locate.test.ts';
const x = param('x', ['M']),
  y = param('y', ['M']),
  u = param('u', ['K']),
  v = param('v', ['K']),
  s = param('s', ['K']);
const env = { x, y, u, v, s };

const thrown = (fn: () => unknown): LenscError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof LenscError) return e;
    throw e;
  }
  throw new Error('expected a LenscError');
};
/** The distinct locations of the nodes of a given kind (and fn) reachable from t. */
const locsOf = (nodes: Node[], kind: string, fn?: string): SourceLoc[] =>
  nodes
    .filter((n) => n.op.kind === kind && (fn === undefined || (n.op as { fn?: string }).fn === fn))
    .map((n) => n.loc!);

describe('node positions in a multi-line template literal', () => {
  const W = formula(
    `
    W[i,j] = sum(k)
      cos(2*pi*((x[i]-x[j])*u[k] + (y[i]-y[j])*v[k]))
        / s[k]^2`,
    env,
  );
  const lit = `
    W[i,j] = sum(k)
      cos(2*pi*((x[i]-x[j])*u[k] + (y[i]-y[j])*v[k]))
        / s[k]^2`;
  const at = (token: string, nth = 0): SourceLoc => positionOf(FILE, lit, token, nth);
  const nodes = nodesOf(W);

  test('operators, functions and the reduction sit at their tokens', () => {
    expect(locsOf(nodes, 'reduce')).toEqual([at('sum')]);
    expect(locsOf(nodes, 'unary', 'cos')).toEqual([at('cos')]);
    expect(locsOf(nodes, 'binary', 'div')).toEqual([at('/')]);
    expect(locsOf(nodes, 'binary', 'pow')).toEqual([at('^')]);
    expect(locsOf(nodes, 'binary', 'add')).toEqual([at('+')]);
    expect(new Set(locsOf(nodes, 'binary', 'mul').map((l) => `${l.line}:${l.col}`))).toEqual(
      new Set([0, 1, 2, 3].map((n) => at('*', n)).map((l) => `${l.line}:${l.col}`)),
    );
  });

  test('array accesses sit at the array name; lifted constants at their operator', () => {
    expect(new Set(locsOf(nodes, 'reshape').map((l) => `${l.line}:${l.col}`))).toEqual(
      new Set(
        [at('x['), at('x[', 1), at('u['), at('y['), at('y[', 1), at('v['), at('s[')].map((l) => `${l.line}:${l.col}`),
      ),
    );
    const two = nodes.find(
      (n) =>
        n.op.kind === 'const' &&
        n.op.value === 2 &&
        n.inputs.length === 0 &&
        nodes.some((m) => m.op.kind === 'binary' && m.op.fn === 'pow' && m.inputs[1]!.inputs[0] === n),
    );
    expect(two?.loc).toEqual(at('^'));
  });

  test('positions are 1-based and in the test file', () => {
    expect(at('sum').file).toBe(FILE);
    expect(locsOf(nodes, 'reduce')[0]!.col).toBe(14); // "    W[i,j] = sum(k)": 's' is the 14th character
  });
});

describe('string literals and fallbacks', () => {
  test('escapes in a quoted string map back to their source columns', () => {
    const e = thrown(() => formula('A[i] =\tx[i] + \u0071q', env)); // @escapes
    expect(e.detail).toBe("unknown name 'qq'");
    // Raw 'A[i] =\tx[i] + \u0071q': the first cooked 'q' (offset 14) is the raw escape at offset 15.
    const line = lineOf(FILE, '// @escapes');
    const col = readFileSync(FILE, 'utf8').split('\n')[line - 1]!.indexOf("'A[i]") + 1 + 1 + 15;
    expect(e.loc).toEqual({ file: FILE, line, col });
  });

  test('text built at run time: the call position shifted by the offset in the text', () => {
    const text = ['A[i] = ', 'x[i] + qq'].join('');
    const e = thrown(() => formula(text, env)); // @dynamic
    const line = lineOf(FILE, '// @dynamic');
    const call = readFileSync(FILE, 'utf8').split('\n')[line - 1]!.indexOf('formula(') + 1;
    expect(e.loc).toEqual({ file: FILE, line, col: call + 'A[i] = x[i] + '.length });
  });

  test('errors raised inside the ops (a dtype mismatch) point at the operator', () => {
    const c = param('c', ['M'], 'i32');
    const e = thrown(() => formula(`A[i] = x[i] * c[i]`, { x, c }));
    expect(e.op).toBe('mul');
    expect(e.detail).toMatch(/dtype mismatch/);
    expect(e.loc).toEqual(positionOf(FILE, 'A[i] = x[i] * c[i]', '*'));
  });
});

const DEFINED_ABOVE = `A[i] = x[i] + y[i] * nope`;

describe('a formula held in a constant', () => {
  test('positions come from the literal that defines it', () => {
    const e = thrown(() => formula(DEFINED_ABOVE, env));
    expect(e.detail).toBe("unknown name 'nope'");
    expect(e.loc).toEqual(positionOf(FILE, DEFINED_ABOVE, 'nope'));
  });
});
