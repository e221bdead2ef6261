// @ts-check
// The runtime's one built-in kernel: copy one triangle of a column-major n×n matrix onto the other,
// because DSYRK writes only one triangle and the likelihood code wants the full symmetric matrix.
// Tiled through shared memory (32×32 tiles, 32×8 threads) so that both the read and the transposed
// write are coalesced; a plain element-wise copy would make one side strided by ldc.

export const SYMMETRIZE_NAME = 'lensc_symmetrize';
export const SYMMETRIZE_BLOCK = /** @type {[number, number, number]} */ ([32, 8, 1]);

/** @param {number} n @returns {[number, number, number]} one block per 32×32 tile */
export function symmetrizeGrid(n) {
  const t = Math.ceil(n / 32);
  return [t, t, 1];
}

// Tile (a, b) = rows a*32.., columns b*32.. of the source triangle; its mirror is tile (b, a).
// `lower` != 0: source is the lower triangle (i > j); else the upper one (i < j).
export const SYMMETRIZE_SOURCE = `
extern "C" __global__ void ${SYMMETRIZE_NAME}(double* __restrict__ C, int n, int ldc, int lower) {
  __shared__ double tile[32][33];
  const int a = blockIdx.x, b = blockIdx.y;
  if (lower ? (a < b) : (a > b)) return;           // tiles entirely in the destination triangle
  const int tx = threadIdx.x;
  for (int r = threadIdx.y; r < 32; r += 8) {       // load source tile, column by column (coalesced in i)
    const long long i = (long long)a * 32 + tx, j = (long long)b * 32 + r;
    if (i < n && j < n) tile[r][tx] = C[i + j * (long long)ldc];
  }
  __syncthreads();
  for (int r = threadIdx.y; r < 32; r += 8) {       // write mirror tile: element (j, i) <- (i, j)
    const long long dr = (long long)b * 32 + tx;    // destination row    = source column j
    const long long dc = (long long)a * 32 + r;     // destination column = source row i
    const bool mirror = lower ? (dc > dr) : (dc < dr);
    if (dr < n && dc < n && mirror) C[dr + dc * (long long)ldc] = tile[tx][r];
  }
}
`;
