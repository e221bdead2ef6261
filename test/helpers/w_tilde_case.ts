// Random interferometer cases and the direct triple loop for W̃ — written independently of lensc.
import { rng } from './random.ts';

export interface WTildeCase { M: number; K: number; noiseReal: Float64Array; uv: Float64Array; grid: Float64Array }

/** An n×n pixel grid (pixel scale d radians) and K random uv points (|u|,|v| ≲ 1/(2d)). */
export function wTildeCase(n: number, K: number, seed: number, d = 0.05 / 206265): WTildeCase {
  const r = rng(seed);
  const M = n * n;
  const grid = new Float64Array(2 * M);
  for (let row = 0, m = 0; row < n; row++) for (let col = 0; col < n; col++, m++) {
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

export function wTildeLoop(c: WTildeCase): Float64Array {
  const { M, K, noiseReal, uv, grid } = c;
  const W = new Float64Array(M * M);
  for (let i = 0; i < M; i++) for (let j = 0; j < M; j++) {
    let s = 0;
    for (let k = 0; k < K; k++) {
      const dx = grid[2 * i + 1]! - grid[2 * j + 1]!, dy = grid[2 * i]! - grid[2 * j]!;
      s += Math.cos(2 * Math.PI * (dx * uv[2 * k]! + dy * uv[2 * k + 1]!)) / (noiseReal[k]! * noiseReal[k]!);
    }
    W[i * M + j] = s;
  }
  return W;
}
