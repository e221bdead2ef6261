// TypeScript-DSL programs that must fail at trace time (kernel(...).graph()): each asserts that the
// error is a LenscError, its operation and message (naming the shapes/dtypes involved), and the exact
// file:line:col of the offending DSL call in this file. Lines are found through a marker comment that
// ends the line (`// @name`), columns by the position of the called name on that line (V8 reports a
// call at the start of the callee's name, after the dot for a method call); the first test also states
// its line and column as literal numbers, checked by hand.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { LenscError, type SourceLoc } from '../../compiler/ir/source.ts';
import {
  add, cast, concat, constant, f64, fft2, gather, i32, ifft2, kernel, matmul, max, mul, real, reshape, scan, size, sizes, slice, sum, take, type Tensor,
} from '../../dsl/index.ts';

const FILE = 'test/errors/dsl.test.ts';
const SOURCE = readFileSync(FILE, 'utf8').split('\n');

/** file:line:col of `token` (its first occurrence) on the only line that ends with `// @marker`. */
function at(marker: string, token: string): SourceLoc {
  const hits = SOURCE.flatMap((l, i) => (l.trimEnd().endsWith(`// @${marker}`) ? [i] : []));
  if (hits.length !== 1) throw new Error(`marker @${marker} must end exactly one line, found ${hits.length}`);
  const text = SOURCE[hits[0]!]!;
  const k = text.indexOf(token);
  if (k < 0 || text.indexOf(token, k + 1) >= 0) throw new Error(`token '${token}' must occur once on the @${marker} line`);
  return { file: FILE, line: hits[0]! + 1, col: k + 1 };
}
/** Runs fn, which must throw a LenscError; returns it. */
function fails(fn: () => unknown): LenscError {
  try { fn(); } catch (e) {
    if (e instanceof LenscError) return e;
    throw e;
  }
  throw new Error('expected a LenscError, nothing was thrown');
}
/** The error's op, detail, location and the full message that joins them. */
function expectError(e: LenscError, op: string, detail: string, loc: SourceLoc): void {
  expect(e).toBeInstanceOf(LenscError);
  expect(e.name).toBe('LenscError');
  expect(e.op).toBe(op);
  expect(e.detail).toBe(detail);
  expect(e.loc).toEqual(loc);
  expect(e.message).toBe(`${loc.file}:${loc.line}:${loc.col}: ${op}: ${detail}`);
}

describe('shape and dtype mismatches in elementwise ops', () => {
  test('shape mismatch in a binary op (the line and column stated by hand)', () => {
    const k = kernel({ name: 'bad', params: { x: f64(['M']), y: f64(['K']) }, body: ({ x, y }) => add(x, y) }); // @shape
    const e = fails(() => k.graph());
    expectError(e, 'add', 'shape mismatch: cannot broadcast (M) with (K) (axis 0: M vs K)', { file: FILE, line: 46, col: 99 });
    expect(at('shape', 'add(')).toEqual({ file: FILE, line: 46, col: 99 });
  });

  test('shape mismatch through a tensor method on rank-2 operands', () => {
    const k = kernel({
      name: 'bad', params: { x: f64(['M', 3]), y: f64([2, 3]) }, body: ({ x, y }) =>
        x.mul(y), // @shape2
    });
    expectError(fails(() => k.graph()), 'mul', 'shape mismatch: cannot broadcast (M, 3) with (2, 3) (axis 0: M vs 2)', at('shape2', 'mul('));
  });

  test('tracing is lazy: kernel(...) itself does not throw, graph() does (every time)', () => {
    const k = kernel({ name: 'bad', params: { x: f64(['M']), y: f64(['K']) }, body: ({ x, y }) => x.sub(y) }); // @lazy
    const e1 = fails(() => k.graph()), e2 = fails(() => k.graph());
    expect(e1.loc).toEqual(at('lazy', 'sub('));
    expect(e2.message).toBe(e1.message);
  });

  test('dtype mismatch: f64 + i32', () => {
    const k = kernel({ name: 'bad', params: { x: f64(['M']), n: i32(['M']) }, body: ({ x, n }) => add(x, n) }); // @dtype
    expectError(fails(() => k.graph()), 'add', 'dtype mismatch: f64(M) and i32(M) (cast one explicitly)', at('dtype', 'add('));
  });

  test('dtype mismatch: i32 tensor with a non-integer number', () => {
    const k = kernel({ name: 'bad', params: { n: i32(['M']) }, body: ({ n }) => mul(n, 1.5) }); // @dtype2
    // the number is lifted to an i32 constant, which is where the check lives; the position is the user's mul
    expectError(fails(() => k.graph()), 'constant', 'dtype mismatch: 1.5 is not an integer but the constant is i32', at('dtype2', 'mul('));
  });

  test('dtype mismatch: a float-only function of an i32 tensor', () => {
    const k = kernel({ name: 'bad', params: { n: i32(['M']) }, body: ({ n }) => n.cos() }); // @dtype3
    expectError(fails(() => k.graph()), 'cos', 'dtype mismatch: expected f64 or f32, got i32(M)', at('dtype3', 'cos('));
  });
});

describe('size names and axes', () => {
  test('sum over an unknown size name', () => {
    const k = kernel({ name: 'bad', params: { x: f64(['M', 'K']) }, body: ({ x }) => sum(x, 'Q') }); // @unknown
    expectError(fails(() => k.graph()), 'sum', "reduction over missing axis 'Q': f64(M, K) has no axis of that size", at('unknown', 'sum('));
  });

  test('sum over a malformed size name', () => {
    const k = kernel({ name: 'bad', params: { x: f64(['M', 'K']) }, body: ({ x }) => sum(x, '2 K') }); // @malformed
    expectError(fails(() => k.graph()), 'sum', "reduction over missing axis '2 K': f64(M, K) has no axis of that size", at('malformed', 'sum('));
  });

  test('sum over an ambiguous size name asks for the axis number', () => {
    const k = kernel({ name: 'bad', params: { x: f64(['M', 'M']) }, body: ({ x }) => x.sum('M') }); // @ambiguous
    expectError(fails(() => k.graph()), 'sum', "axis 'M' is ambiguous in f64(M, M) (axes 0, 1): give the axis number", at('ambiguous', 'sum('));
  });

  // Formerly a bug (fixed): a malformed size name in a
  // shape or in size() throws a plain Error('invalid size name …') with no operation and no source position.
  test('a malformed size name in size() is a LenscError at the call', () => {
    const k = kernel({ name: 'bad', params: { x: f64(['M']) }, body: ({ x }) => mul(x, cast(size('2K'), 'f64')) }); // @badsize
    expectError(fails(() => k.graph()), 'size', "invalid size name '2K'", at('badsize', 'size('));
  });
  test('a malformed size name in a reshape is a LenscError at the call', () => {
    const k = kernel({ name: 'bad', params: { x: f64(['M']) }, body: ({ x }) => reshape(x, ['M@']) }); // @badshape
    const e = fails(() => k.graph());
    expect(e.loc).toEqual(at('badshape', 'reshape('));
    expect(e.message).toContain("'M@'");
  });

  // Regression test for a fixed bug (no check anywhere; backends/reference/interpret.ts evaluates `sizes[op.name]` → undefined): size('Q')
  // for a name that no parameter binds traces fine and then evaluates to NaN in the interpreter.
  test('size() of a name that no parameter binds is a compile-time error', () => {
    const k = kernel({ name: 'bad', params: { x: f64(['M']) }, body: ({ x }) => mul(x, cast(size('Q'), 'f64')) }); // @unbound
    const e = fails(() => k.graph());
    expect(e.loc).toEqual(at('unbound', 'size('));
    expect(e.message).toContain("'Q'");
  });

  test('reduction over a missing axis number', () => {
    const k = kernel({ name: 'bad', params: { x: f64(['M', 'K']) }, body: ({ x }) => sum(x, 2) }); // @axis
    expectError(fails(() => k.graph()), 'sum', 'reduction over missing axis 2 of f64(M, K)', at('axis', 'sum('));
  });

  test('max over a missing negative axis', () => {
    const k = kernel({ name: 'bad', params: { x: f64(['M', 'K']) }, body: ({ x }) => max(x, -3) }); // @axis2
    expectError(fails(() => k.graph()), 'max', 'reduction over missing axis -3 of f64(M, K)', at('axis2', 'max('));
  });
});

describe('matmul, reshape, gather, scan', () => {
  test('matmul with incompatible inner sizes', () => {
    const k = kernel({ name: 'bad', params: { a: f64(['M', 'K']), b: f64(['M', 'N']) }, body: ({ a, b }) => matmul(a, b) }); // @matmul
    expectError(fails(() => k.graph()), 'matmul', 'incompatible inner sizes: (M, K) · (M, N) (K vs M)', at('matmul', 'matmul('));
  });

  test('matmul with transB and incompatible inner sizes', () => {
    const k = kernel({ name: 'bad', params: { a: f64(['M', 'K']), b: f64(['K', 'N']) }, body: ({ a, b }) => a.matmul(b, { transB: true }) }); // @matmulT
    expectError(fails(() => k.graph()), 'matmul', 'incompatible inner sizes: (M, K) · (K, N)ᵀ (K vs N)', at('matmulT', 'matmul('));
  });

  test('matrix · vector with incompatible sizes', () => {
    const k = kernel({ name: 'bad', params: { a: f64(['M', 'K']), v: f64(['M']) }, body: ({ a, v }) => matmul(a, v) }); // @matvec
    expectError(fails(() => k.graph()), 'matmul', 'incompatible inner sizes: (M, K) · (M) (K vs M)', at('matvec', 'matmul('));
  });

  test('reshape with the wrong element count', () => {
    const k = kernel({ name: 'bad', params: { x: f64(['M', 'K']) }, body: ({ x }) => x.reshape(['M', 'K', 2]) }); // @reshape
    expectError(fails(() => k.graph()), 'reshape', 'shape mismatch: cannot reshape (M, K) (K*M elements) to (M, K, 2) (2*K*M elements)', at('reshape', 'reshape('));
  });

  test('reshape with literal sizes', () => {
    const k = kernel({ name: 'bad', params: { x: f64([2, 3]) }, body: ({ x }) => reshape(x, [4, 2]) }); // @reshape2
    expectError(fails(() => k.graph()), 'reshape', 'shape mismatch: cannot reshape (2, 3) (6 elements) to (4, 2) (8 elements)', at('reshape2', 'reshape('));
  });

  test('gather with non-i32 indices', () => {
    const k = kernel({ name: 'bad', params: { t: f64([3, 4]), r: f64(['P']), c: i32(['P']) }, body: ({ t, r, c }) => gather(t, [r, c]) }); // @gather
    expectError(fails(() => k.graph()), 'gather', 'dtype mismatch: expected i32 indices, got f64(P)', at('gather', 'gather('));
  });

  test('gather with the wrong number of index arrays', () => {
    const k = kernel({ name: 'bad', params: { t: f64([3, 4]), c: i32(['P']) }, body: ({ t, c }) => gather(t, [c]) }); // @gather2
    expectError(fails(() => k.graph()), 'gather', 'expected 2 index arrays for f64(3, 4), got 1', at('gather2', 'gather('));
  });

  test('a scan body whose carry changes shape', () => {
    const k = kernel({
      name: 'bad', params: { x: f64(['K', 'M']) }, body: ({ x }) =>
        scan((c: Tensor, row: Tensor) => [mul(c, row), null], constant(0), x)[0], // @scan
    });
    expectError(fails(() => k.graph()), 'scan', 'the body changes carry 0 from f64() to f64(M)', at('scan', 'scan('));
  });

  test('a scan body whose carry changes dtype', () => {
    const k = kernel({
      name: 'bad', params: { x: f64(['K']) }, body: ({ x }) =>
        scan((c: Tensor, xt: Tensor) => [add(cast(c, 'f64'), xt), null], constant(0, 'i32'), x)[0], // @scan2
    });
    expectError(fails(() => k.graph()), 'scan', 'the body changes carry 0 from i32() to f64()', at('scan2', 'scan('));
  });

  test('scan xs whose leading axis differs from options.length', () => {
    const k = kernel({
      name: 'bad', params: { x: f64(['K']), n: sizes('L') }, body: ({ x }) =>
        scan((c: Tensor, xt: Tensor) => [add(c, xt), null], constant(0), x, { length: 'L' })[0], // @scan3
    });
    expectError(fails(() => k.graph()), 'scan', 'every xs must have leading axis L, got f64(K)', at('scan3', 'scan('));
  });

  test('an error inside a scan body points at the body line', () => {
    const k = kernel({
      name: 'bad', params: { x: f64(['K', 'M']), y: f64(['N']) }, body: ({ x, y }) =>
        scan((c: Tensor, row: Tensor) => [c,
          add(row, y)], // @inbody
        constant(0), x)[0],
    });
    expectError(fails(() => k.graph()), 'add', 'shape mismatch: cannot broadcast (M) with (N) (axis 0: M vs N)', at('inbody', 'add('));
  });

  test('slice whose symbolic end is past the axis', () => {
    const k = kernel({ name: 'bad', params: { x: f64(['N']) }, body: ({ x }) => slice(x, [[2, 'N+1']]) }); // @slice
    expectError(fails(() => k.graph()), 'slice', 'range [2, N + 1) is outside axis 0 of f64(N)', at('slice', 'slice('));
  });

  // Regression test for a fixed bug (dsl/ops.ts concat, compiler/ir/infer.ts 'concat'): the axis is never range-checked; an axis ≥ rank (or a
  // negative one) reaches `x.shape[ax]!` = undefined → Size.of(undefined) → TypeError "Cannot read properties of
  // undefined (reading 'replace')" with no location. Suggested fix in infer.ts 'concat': if
  // (!Number.isInteger(ax) || ax < 0 || ax >= a.rank) throw new LenscError('concat', `axis ${ax} is outside ${desc(a)}`, loc).
  test('concat along an axis the operands do not have', () => {
    const k = kernel({ name: 'bad', params: { x: f64([2]), y: f64([2]) }, body: ({ x, y }) => concat([x, y], 1) }); // @concat
    const e = fails(() => k.graph());
    expect(e.op).toBe('concat');
    expect(e.loc).toEqual(at('concat', 'concat('));
  });

  // Regression test for a fixed bug (dsl/ops.ts take): an axis outside the tensor is not checked; no index array then uses idx, so
  // take(x, i, 2) on a rank-2 x silently returns x unchanged. Suggested fix: at the top of take(), if
  // (axis < 0 || axis >= x.rank) throw new LenscError('take', `axis ${axis} is outside ${x.dtype}${shapeToString(x.shape)}`, currentLoc()).
  test('take along an axis the tensor does not have', () => {
    const k = kernel({ name: 'bad', params: { x: f64([2, 2]), i: i32([2]) }, body: ({ x, i }) => take(x, i, 2) }); // @take
    const e = fails(() => k.graph());
    expect(e.op).toBe('take');
    expect(e.loc).toEqual(at('take', 'take('));
  });
});

describe('the FFT and complex values', () => {
  test('fft2 of a tensor without the trailing (re, im) axis', () => {
    const k = kernel({ name: 'bad', params: { x: f64(['Ny', 'Nx']) }, body: ({ x }) => fft2(x) }); // @fft
    expectError(fails(() => k.graph()), 'fft2', 'expected complex values as [Ny, Nx, 2] or [B, Ny, Nx, 2] (a trailing axis of 2 holding re, im), got f64(Ny, Nx)', at('fft', 'fft2('));
  });

  test('ifft2 of i32 values', () => {
    const k = kernel({ name: 'bad', params: { x: i32(['Ny', 'Nx', 2]) }, body: ({ x }) => ifft2(x) }); // @ifft
    expectError(fails(() => k.graph()), 'ifft2', 'dtype mismatch: expected f64 or f32, got i32(Ny, Nx, 2)', at('ifft', 'ifft2('));
  });

  test('real part of a tensor whose last axis is not 2', () => {
    const k = kernel({ name: 'bad', params: { x: f64(['N', 3]) }, body: ({ x }) => real(x) }); // @real
    expectError(fails(() => k.graph()), 'real', 'expected complex values (a trailing axis of 2), got f64(N, 3)', at('real', 'real('));
  });
});
