// The foundation's acceptance check: W̃ written with the TS API and with index notation give the
// same IR after the graph passes, and on the reference interpreter match a direct triple loop to
// 1e-12 relative on an 8×8 grid with K = 257 random visibilities.
import { describe, expect, it } from 'vitest';
import { interpret } from '../../backends/reference/interpret.ts';
import { dumpGraph } from '../../compiler/ir/dump.ts';
import { optimizeGraph } from '../../compiler/pipeline.ts';
import { add, cos, div, f64, formula, kernel, mul, pow, sub, sum } from '../../dsl/index.ts';
import { relErr } from '../helpers/random.ts';
import { wTildeCase, wTildeLoop } from '../helpers/w_tilde_case.ts';

const params = { grid: f64(['M', 2]), uv: f64(['K', 2]), noiseReal: f64(['K']) };
const cols = (p: { grid: any; uv: any }) => ({ y: p.grid.col(0), x: p.grid.col(1), u: p.uv.col(0), v: p.uv.col(1) });

const viaNotation = kernel({
  name: 'wTilde',
  params,
  body: (p) =>
    formula(`W[i,j] = sum(k) cos(2*pi*((x[i]-x[j])*u[k] + (y[i]-y[j])*v[k])) / s[k]^2`, { ...cols(p), s: p.noiseReal }),
});
const viaTs = kernel({
  name: 'wTilde',
  params,
  body: (p) => {
    const { x, y, u, v } = cols(p);
    const xi = x.reshape(['M', 1, 1]),
      xj = x.reshape([1, 'M', 1]),
      yi = y.reshape(['M', 1, 1]),
      yj = y.reshape([1, 'M', 1]);
    const uk = u.reshape([1, 1, 'K']),
      vk = v.reshape([1, 1, 'K']),
      sk = p.noiseReal.reshape([1, 1, 'K']);
    return sum(div(cos(mul(2 * Math.PI, add(mul(sub(xi, xj), uk), mul(sub(yi, yj), vk)))), pow(sk, 2)), 2);
  },
});

describe('W̃ from both surfaces', () => {
  it('gives identical IR after the graph passes', () => {
    const a = dumpGraph(optimizeGraph(viaNotation.graph()));
    const b = dumpGraph(optimizeGraph(viaTs.graph()));
    expect(a).toBe(b);
    // The separable rewrite makes both the SYRK form C·Cᵀ + S·Sᵀ; literally, both are one sum over k.
    expect(a).toMatch(/matmul transB (%\d+), \1/);
    const literal = (k: typeof viaTs) => dumpGraph(optimizeGraph(k.graph(), { rewrites: false }));
    expect(literal(viaNotation)).toBe(literal(viaTs));
    expect(literal(viaNotation)).toMatch(/reduce sum axes=\[2\]/);
  });

  it('matches the direct triple loop to 1e-12 on an 8×8 grid with K = 257', () => {
    const c = wTildeCase(8, 257, 2026);
    const want = wTildeLoop(c);
    for (const k of [viaNotation, viaTs]) {
      const got = interpret(optimizeGraph(k.graph()), {
        grid: c.grid,
        uv: c.uv,
        noiseReal: c.noiseReal,
      }) as Float64Array;
      expect(relErr(got, want)).toBeLessThan(1e-12);
    }
  });
});
