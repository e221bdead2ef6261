// Formulas evaluated by the reference interpreter against plain loops written independently, and
// the W̃ formula against the TypeScript API after simplification (the graphs must then be identical).
import { describe, expect, test } from 'vitest';
import { interpret } from '../../backends/reference/interpret.ts';
import type { Graph } from '../../compiler/ir/graph.ts';
import { simplify } from '../../compiler/passes/simplify.ts';
import { add, cos, div, f64, i32, kernel, mul, pow, sizes, sub, sum, type Kernel } from '../../dsl/index.ts';
import { formula } from '../../dsl/notation/formula.ts';
import { wTildeCase, wTildeLoop } from '../helpers/w_tilde_case.ts';
import { canon } from './canon.ts';

const W_TILDE = `W[i,j] = sum(k) cos(2*pi*((x[i]-x[j])*u[k] + (y[i]-y[j])*v[k])) / s[k]^2`;
const wParams = { x: f64(['M']), y: f64(['M']), u: f64(['K']), v: f64(['K']), s: f64(['K']) };
const wFormula = kernel({ name: 'wFormula', params: wParams, body: (p) => formula(W_TILDE, p) });
const wTs = kernel({
  name: 'wTs',
  params: wParams,
  body: ({ x, y, u, v, s }) => {
    const xi = x.reshape(['M', 1, 1]),
      xj = x.reshape([1, 'M', 1]),
      yi = y.reshape(['M', 1, 1]),
      yj = y.reshape([1, 'M', 1]);
    const uk = u.reshape([1, 1, 'K']),
      vk = v.reshape([1, 1, 'K']),
      sk = s.reshape([1, 1, 'K']);
    return sum(div(cos(mul(mul(2, Math.PI), add(mul(sub(xi, xj), uk), mul(sub(yi, yj), vk)))), pow(sk, 2)), 2);
  },
});

const run = (k: Kernel, inputs: Record<string, unknown>): Float64Array => interpret(k.graph(), inputs) as Float64Array;
const outputOf = (g: Graph) => g.outputs[0]!.node;

/** Inputs of the W̃ kernels from a test case (x: column coordinate, y: row coordinate). */
function wInputs(n: number, K: number, seed: number) {
  const c = wTildeCase(n, K, seed);
  const pick = (a: Float64Array, off: number) => Float64Array.from({ length: a.length / 2 }, (_, m) => a[2 * m + off]!);
  return { c, inputs: { x: pick(c.grid, 1), y: pick(c.grid, 0), u: pick(c.uv, 0), v: pick(c.uv, 1), s: c.noiseReal } };
}

describe('W̃', () => {
  test('matches the direct triple loop', () => {
    const { c, inputs } = wInputs(3, 11, 7);
    const got = run(wFormula, inputs),
      want = wTildeLoop(c);
    const scale = Math.max(...want.map(Math.abs));
    for (let t = 0; t < want.length; t++) expect(Math.abs(got[t]! - want[t]!)).toBeLessThan(1e-12 * scale);
  });

  test('diagonal is Σ 1/σ² and the matrix is symmetric', () => {
    const { c, inputs } = wInputs(2, 9, 3);
    const W = run(wFormula, inputs),
      M = c.M;
    const diag = c.noiseReal.reduce((a, s) => a + 1 / (s * s), 0);
    for (let i = 0; i < M; i++) {
      expect(W[i * M + i]).toBeCloseTo(diag, 12);
      for (let j = 0; j < M; j++) expect(W[i * M + j]).toBe(W[j * M + i]);
    }
  });

  test('after simplification the formula and the TypeScript API give the same graph', () => {
    expect(canon(outputOf(simplify(wFormula.graph())))).toBe(canon(outputOf(simplify(wTs.graph()))));
  });
});

describe('other formulas', () => {
  test('a gather with floor modulo on offsets (a preload-table lookup)', () => {
    const k = kernel({
      name: 'lookup',
      params: { P: f64(['Ny2', 'Nx2']), r: i32(['M']), c: i32(['M']), dims: sizes(['Ny2', 'Nx2']) },
      body: ({ P, r, c }) =>
        formula(`W[i, j] = P[(r[j] - r[i]) % NY2, (c[j] - c[i]) % NX2]`, { P, r, c, NY2: 4, NX2: 6 }),
    });
    const P = Float64Array.from({ length: 24 }, (_, t) => t * 1.5 - 7);
    const r = Int32Array.of(0, 1, 3, 2),
      c = Int32Array.of(5, 0, 2, 2);
    const W = run(k, { P, r, c, dims: [4, 6] });
    const mod = (a: number, b: number) => ((a % b) + b) % b;
    for (let i = 0; i < 4; i++)
      for (let j = 0; j < 4; j++) {
        expect(W[i * 4 + j]).toBe(P[mod(r[j]! - r[i]!, 4) * 6 + mod(c[j]! - c[i]!, 6)]);
      }
  });

  test('max, transposed access, an index as a value and several statements', () => {
    const k = kernel({
      name: 'mixed',
      params: { A: f64(['M', 'N']), dims: sizes(['M', 'N']) },
      body: ({ A }) =>
        formula(
          `
        colMax[j] = max(i) A[i, j]
        B[j, i] = where(i == j, colMax[j], A[i, j] - colMax[j])
        total = sum(j, i) B[j, i] * 2`,
          { A },
        ),
    });
    const A = Float64Array.of(1, -2, 5, 4, 0, -1); // 2 × 3
    const colMax = [4, 0, 5];
    let want = 0;
    for (let i = 0; i < 2; i++)
      for (let j = 0; j < 3; j++) want += 2 * (i === j ? colMax[j]! : A[i * 3 + j]! - colMax[j]!);
    expect(Array.from(run(k, { A, dims: [2, 3] }))).toEqual([want]);
  });
});
