// Random interferometer cases for W̃ and its direct triple loop — written independently of lensc.
import { wTildeRef } from './interferometer.ts';
import { rng } from './random.ts';

export interface WTildeCase {
  M: number;
  K: number;
  noiseReal: Float64Array;
  uv: Float64Array;
  grid: Float64Array;
}

/** An n×n pixel grid (pixel scale d radians) and K random uv points (|u|,|v| ≲ 1/(2d)). */
export function wTildeCase(n: number, K: number, seed: number, d = 0.05 / 206265): WTildeCase {
  const r = rng(seed);
  const M = n * n;
  const grid = new Float64Array(2 * M);
  for (let row = 0, m = 0; row < n; row++)
    for (let col = 0; col < n; col++, m++) {
      grid[2 * m] = ((n - 1) / 2 - row) * d;
      grid[2 * m + 1] = (col - (n - 1) / 2) * d;
    }
  const uv = new Float64Array(2 * K);
  const umax = 0.5 / d;
  for (let k = 0; k < 2 * K; k++) uv[k] = (2 * r() - 1) * umax;
  const noiseReal = new Float64Array(K);
  for (let k = 0; k < K; k++) noiseReal[k] = 0.5 + r();
  return { M, K, noiseReal, uv, grid };
}

/** The direct triple loop (test/helpers/interferometer.ts holds the one reference implementation). */
export function wTildeLoop(c: WTildeCase): Float64Array {
  return wTildeRef(c.noiseReal, c.uv, c.grid);
}
