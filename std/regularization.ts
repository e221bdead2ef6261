// Constant regularization: H_ii = 1e-8 + c²·n_i and H_ij = −c² for each listed neighbour j of i
// (n_i = neighborsSizes[i]; slots past n_i or marked −1 are unused).
import { add, i32, iota, kernel, lt, mul, scalar, scatterAdd, sizes, where, eq, cast, constant } from '../dsl/index.ts';

export const regularizationConstant = kernel({
  name: 'regularizationConstant',
  doc: 'The constant regularization matrix H (S×S) from a padded neighbour list.',
  // The 1e-8 on the diagonal vanishes next to c²·n_i in f32, and H's log-determinant depends on it.
  requiresF64: true,
  params: {
    coefficient: scalar('f64'),
    neighbors: i32(['S', 'P'], { range: [-1, 'S'] }),
    neighborsSizes: i32(['S'], { range: [0, 'P+1'] }),
    sourcePixels: sizes('S'),
  },
  body: ({ coefficient, neighbors, neighborsSizes }) => {
    const c2 = mul(coefficient, coefficient);
    const r = iota(['S', 'S'], 0),
      c = iota(['S', 'S'], 1);
    const diag = where(eq(r, c), add(1e-8, mul(c2, cast(neighborsSizes, 'f64').reshape(['S', 1]))), 0);
    const used = lt(iota(['S', 'P'], 1), neighborsSizes.reshape(['S', 1]));
    const cols = where(used, neighbors, constant(-1, 'i32'));
    const off = scatterAdd(
      ['S', 'S'],
      [iota(['S', 'P'], 0), cols],
      mul(-1, c2)
        .reshape([1, 1])
        .mul(constant(1, 'f64', ['S', 'P'])),
    );
    return add(diag, off);
  },
});
