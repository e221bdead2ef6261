// W̃ written from integer pixel indices, as a user with a masked regular grid writes it: pixel (r, c)
// sits at y = −(r − c_y)·d_y, x = (c − c_x)·d_x, and W̃ is the direct sum over visibilities. The
// compiler's offset-table rewrite (compiler/passes/offset_table.ts) sees that the sum depends on (i, j)
// only through r_i − r_j and c_i − c_j (declared bounded by `bounds`), computes a (2N_y, 2N_x) table
// of offsets with two matmuls over K and gathers W̃ from it: the plan of wTildePreload + wTildeFromPreload.
import { add, cast, cos, div, f64, i32, kernel, mul, pow, sizes, sub, sum } from '../dsl/index.ts';
import { element } from './grid.ts';

export const wTildeFromPixels = kernel({
  name: 'wTildeFromPixels',
  doc: 'W̃ as the direct sum over visibilities, with pixel positions from integer (row, col) indices on a regular grid.',
  params: {
    noiseReal: f64(['K']),
    uv: f64(['K', 2]),
    shape: sizes(['Ny', 'Nx']),
    pixelScales: f64([2]),
    nativeIndex: i32(['M', 2], { bounds: ['Ny', 'Nx'] }),
  },
  body: ({ noiseReal, uv, pixelScales, nativeIndex }) => {
    const dy = element(pixelScales, 0),
      dx = element(pixelScales, 1);
    // The grid's centre cancels in x_i − x_j; it is here because a user's grid has one.
    const r = cast(nativeIndex.col(0), 'f64'),
      c = cast(nativeIndex.col(1), 'f64');
    const y = mul(sub(r, 7.5), mul(dy, -1)),
      x = mul(sub(c, 7.5), dx);
    const u = uv.col(0).reshape([1, 1, 'K']),
      v = uv.col(1).reshape([1, 1, 'K']);
    const dX = sub(x.reshape(['M', 1, 1]), x.reshape([1, 'M', 1])),
      dY = sub(y.reshape(['M', 1, 1]), y.reshape([1, 'M', 1]));
    const phase = mul(2 * Math.PI, add(mul(dX, u), mul(dY, v)));
    return sum(div(cos(phase), pow(noiseReal.reshape([1, 1, 'K']), 2)), 2);
  },
});
