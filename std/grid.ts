// Shared pieces of the interferometer kernels, in PyAutoArray's conventions: uv pairs (u with x,
// v with y), grids as (y, x) pairs in radians, native pixel indices as (row, col) pairs.
import { arange, cast, div, gather, iota, mod, size, sub, where, type Tensor } from '../dsl/index.ts';

/** The k-th element of a small vector as a scalar. */
export const element = (x: Tensor, k: number): Tensor => x.slice([[k, k + 1]]).reshape([]);

/**
 * The signed pixel offset stored at table index a of an axis of n pixels (table length 2n):
 * a for a < n, a − 2n above (the offset −n at a = n never occurs between two pixels).
 */
export function signedOffset(n: string): Tensor {
  const a = arange(`2*${n}`);
  const twoN = size(n).mul(2);
  return cast(where(a.lt(size(n)), a, sub(a, twoN)), 'f64');
}

/** W̃[i, j] read from the preload table: P[(r_j − r_i) mod 2N_y, (c_j − c_i) mod 2N_x]. */
export function expandPreload(preload: Tensor, nativeIndex: Tensor): Tensor {
  const r = nativeIndex.col(0),
    c = nativeIndex.col(1);
  const dr = mod(sub(r.reshape([1, 'M']), r.reshape(['M', 1])), size('Ny').mul(2));
  const dc = mod(sub(c.reshape([1, 'M']), c.reshape(['M', 1])), size('Nx').mul(2));
  return gather(preload, [dr, dc]);
}

export { div, iota };
