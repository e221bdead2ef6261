// Exact identities of W̃ (DESIGN.md, "Physics facts useful for tests") checked on the committed
// JS kernels: the complete uv grid gives K/σ²·I, one visibility at the origin gives w·11ᵀ, one
// elsewhere gives the rank-2 c·cᵀ + s·sᵀ; the three formulations agree; diag(W̃) = Σ 1/σ²;
// W̃ is symmetric positive semi-definite. Achieved errors (f64): complete grid ≤ 3.9e-15,
// formulations agree to ≤ 5.1e-16 (bounds below keep ~5-20× headroom).
import { afterAll, describe, expect, it } from 'vitest';
import { shutdown } from '../../backends/js/runtime/index.js';
import { wTilde } from '../../kernels/js/w_tilde.js';
import { wTildeDirect } from '../../kernels/js/w_tilde_direct.js';
import { wTildePreload } from '../../kernels/js/w_tilde_preload.js';
import { wTildeFromPreload } from '../../kernels/js/w_tilde_from_preload.js';
import { relErr, rng } from '../helpers/random.ts';
import {
  ARCSEC,
  circularMask,
  completeUvGrid,
  fullMask,
  irregularMask,
  maskedGrid,
  randomVisibilities,
  singleVisibility,
  type MaskedGrid,
  type Visibilities,
} from '../helpers/interferometer.ts';

afterAll(() => shutdown());

const d = 0.05 * ARCSEC;
const grids: [string, MaskedGrid][] = [
  ['12×12 circular', maskedGrid(12, 12, d, d, circularMask(12, 12, 5.5))],
  ['12×12 full', maskedGrid(12, 12, d, d, fullMask(12, 12))],
  ['11×13 irregular, dy ≠ dx', maskedGrid(11, 13, d, 1.4 * d, irregularMask(11, 13, 0.6, 5))],
];

/** W̃ three ways: C·Cᵀ + S·Sᵀ, the direct sum, and the preload table expanded. */
async function threeWays(
  g: MaskedGrid,
  v: Visibilities,
): Promise<Record<'wTilde' | 'wTildeDirect' | 'preload', Float64Array>> {
  const inputs = { noiseReal: v.noiseReal, uv: v.uv, grid: g.grid };
  const table = await wTildePreload({
    noiseReal: v.noiseReal,
    uv: v.uv,
    shape: [g.Ny, g.Nx],
    pixelScales: Float64Array.of(g.dy, g.dx),
  });
  return {
    wTilde: await wTilde(inputs),
    wTildeDirect: await wTildeDirect(inputs),
    preload: await wTildeFromPreload({ preload: table, shape: [g.Ny, g.Nx], nativeIndex: g.nativeIndex }),
  };
}

/** max_ij |W_ij − want(i, j)| / scale. */
function maxDev(W: Float64Array, M: number, want: (i: number, j: number) => number, scale: number): number {
  let e = 0;
  for (let i = 0; i < M; i++) for (let j = 0; j < M; j++) e = Math.max(e, Math.abs(W[i * M + j]! - want(i, j)));
  return e / scale;
}

describe.each(grids)('W̃ identities on %s', (_label, g) => {
  const M = g.M;

  it('a complete uv grid (L = 2N, equal σ) gives W̃ = K/σ²·I', async () => {
    const sigma = 0.7,
      v = completeUvGrid(g.Ny, g.Nx, g.dy, g.dx, sigma);
    const w = v.K / sigma ** 2;
    for (const [name, W] of Object.entries(await threeWays(g, v))) {
      expect(
        maxDev(W, M, (i, j) => (i === j ? w : 0), w),
        name,
      ).toBeLessThan(2e-14);
    }
    // The table itself: K/σ² at offset (0, 0), zero at every other offset.
    const table = await wTildePreload({
      noiseReal: v.noiseReal,
      uv: v.uv,
      shape: [g.Ny, g.Nx],
      pixelScales: Float64Array.of(g.dy, g.dx),
    });
    let dev = 0;
    table.forEach((t, n) => {
      dev = Math.max(dev, Math.abs(t - (n === 0 ? w : 0)));
    });
    expect(dev / w).toBeLessThan(2e-14);
  });

  it('one visibility at (0, 0) gives W̃ = w·11ᵀ', async () => {
    const sigma = 1.3,
      v = singleVisibility(0, 0, sigma),
      w = 1 / sigma ** 2;
    for (const [name, W] of Object.entries(await threeWays(g, v))) {
      expect(
        maxDev(W, M, () => w, w),
        name,
      ).toBeLessThan(1e-15);
    }
  });

  it('one visibility at (u, v) ≠ 0 gives the rank-2 W̃ = c·cᵀ + s·sᵀ', async () => {
    const sigma = 0.9,
      u = 0.37 / g.dx,
      vv = -0.21 / g.dy,
      v = singleVisibility(u, vv, sigma);
    const c = new Float64Array(M),
      s = new Float64Array(M);
    for (let i = 0; i < M; i++) {
      const phi = 2 * Math.PI * (g.grid[2 * i + 1]! * u + g.grid[2 * i]! * vv);
      c[i] = Math.cos(phi) / sigma;
      s[i] = Math.sin(phi) / sigma;
    }
    const scale = 1 / sigma ** 2;
    for (const [name, W] of Object.entries(await threeWays(g, v))) {
      expect(
        maxDev(W, M, (i, j) => c[i]! * c[j]! + s[i]! * s[j]!, scale),
        name,
      ).toBeLessThan(1e-13);
      // Rank exactly 2: every 3×3 minor vanishes, some 2×2 minor does not.
      const r = rng(7);
      const at = (i: number, j: number) => W[i * M + j]!;
      let det3 = 0,
        det2 = 0;
      for (let t = 0; t < 200; t++) {
        const [a, b, e] = [0, 0, 0].map(() => Math.floor(r() * M)) as [number, number, number];
        const [p, q, h] = [0, 0, 0].map(() => Math.floor(r() * M)) as [number, number, number];
        det3 = Math.max(
          det3,
          Math.abs(
            at(a, p) * (at(b, q) * at(e, h) - at(b, h) * at(e, q)) -
              at(a, q) * (at(b, p) * at(e, h) - at(b, h) * at(e, p)) +
              at(a, h) * (at(b, p) * at(e, q) - at(b, q) * at(e, p)),
          ),
        );
        det2 = Math.max(det2, Math.abs(at(a, p) * at(b, q) - at(a, q) * at(b, p)));
      }
      expect(det3 / scale ** 3, name).toBeLessThan(1e-13);
      expect(det2 / scale ** 2, name).toBeGreaterThan(0.1);
    }
  });

  it('the three formulations agree; diag = Σ 1/σ²; symmetric positive semi-definite', async () => {
    const v = randomVisibilities(1001, g.dy, g.dx, 9);
    const W = await threeWays(g, v);
    expect(relErr(W.wTilde, W.wTildeDirect)).toBeLessThan(5e-15);
    expect(relErr(W.preload, W.wTildeDirect)).toBeLessThan(5e-15);
    expect(relErr(W.preload, W.wTilde)).toBeLessThan(5e-15);
    let w = 0;
    v.noiseReal.forEach((s) => {
      w += 1 / s ** 2;
    });
    const r = rng(3);
    for (const [name, X] of Object.entries(W)) {
      expect(
        maxDev(X, M, (i, j) => (i === j ? w : X[i * M + j]!), w),
        name,
      ).toBeLessThan(1e-14);
      expect(
        maxDev(X, M, (i, j) => X[j * M + i]!, w),
        name,
      ).toBeLessThan(1e-15);
      // Quadratic forms xᵀW̃x ≥ 0 for random x (and for x concentrated on few pixels).
      for (let t = 0; t < 20; t++) {
        const x = Float64Array.from({ length: M }, () => (t % 2 === 0 || r() < 0.1 ? 2 * r() - 1 : 0));
        let q = 0,
          n2 = 0;
        for (let i = 0; i < M; i++) {
          n2 += x[i]! ** 2;
          for (let j = 0; j < M; j++) q += x[i]! * X[i * M + j]! * x[j]!;
        }
        expect(q, name).toBeGreaterThanOrEqual(-1e-10 * w * M * n2);
      }
    }
  });
});
