// Dense linear algebra of the JS backend, on both backends (native OpenBLAS when present, WebAssembly): the
// blocked Cholesky (syrk trailing updates) against the reference interpreter's plain loops, sizes that are
// not multiples of the block (both the one-call and the blocked sizes of each backend), and its errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blasInfo, getRuntime, shutdown, useNativeBlas } from '../../backends/js/runtime/index.js';
import { choleskyBlocked, triSolve } from '../../backends/js/support/linalg.js';
import { cholesky as refCholesky } from '../../backends/reference/interpret.ts';
import { randomArray, relErr, rng } from '../helpers/random.ts';

afterAll(() => {
  useNativeBlas(true);
  return shutdown();
});
const BACKENDS = blasInfo().backend === 'openblas' ? ['openblas', 'wasm'] : ['wasm'];

function spd(n: number, seed: number): Float64Array {
  const a = randomArray(n * n, rng(seed));
  const m = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += a[i * n + k]! * a[j * n + k]!;
      m[i * n + j] = m[j * n + i] = s + (i === j ? 0.1 : 0);
    }
  return m;
}

describe.each(BACKENDS)('%s', (backend) => {
  beforeAll(() => {
    expect(useNativeBlas(backend === 'openblas')).toBe(backend === 'openblas');
  });

  describe('blocked Cholesky', () => {
    it.each([5, 97, 211, 300, 601])('matches the plain factorisation at n = %i, 1 and 2 threads alike', async (n) => {
      const a = spd(n, n);
      const want = refCholesky({ data: a, shape: [n, n] });
      const results: Float64Array[] = [];
      for (const threads of [1, 2]) {
        const rt = await getRuntime(threads);
        const ar = rt.arena.upload(a, 'f64'),
          lr = rt.arena.alloc(n * n, 'f64');
        await choleskyBlocked(rt, ar, lr, n, 'test');
        results.push(rt.arena.download(lr) as Float64Array);
        rt.arena.free(ar);
        rt.arena.free(lr);
      }
      expect(relErr(results[0]!, want)).toBeLessThan(1e-12);
      expect(results[1]).toEqual(results[0]);
    });

    it.each([
      [150, 120],
      [700, 650],
    ])('reports a matrix that is not positive definite with its pivot (n = %i)', async (n, bad) => {
      const a = spd(n, 3);
      a[bad * n + bad] = -1;
      const rt = await getRuntime(2);
      const ar = rt.arena.upload(a, 'f64'),
        lr = rt.arena.alloc(n * n, 'f64');
      await expect(choleskyBlocked(rt, ar, lr, n, 'k')).rejects.toThrow(
        new RegExp(`k: the matrix is not positive definite \\(Cholesky pivot \\d+ of ${n} is -?[0-9.e-]+\\)`),
      );
      rt.arena.free(ar);
      rt.arena.free(lr);
    });

    it('triangular solves invert L and Lᵀ', () => {
      const n = 33;
      const l = refCholesky({ data: spd(n, 9), shape: [n, n] });
      const b = randomArray(n * 2, rng(4));
      const x = new Float64Array(n * 2),
        y = new Float64Array(n * 2);
      triSolve(l, b, x, n, 2, false);
      triSolve(l, b, y, n, 2, true);
      const back = new Float64Array(n * 2),
        backT = new Float64Array(n * 2);
      for (let i = 0; i < n; i++)
        for (let c = 0; c < 2; c++) {
          let s = 0,
            t = 0;
          for (let j = 0; j < n; j++) {
            s += l[i * n + j]! * x[j * 2 + c]!;
            t += l[j * n + i]! * y[j * 2 + c]!;
          }
          back[i * 2 + c] = s;
          backT[i * 2 + c] = t;
        }
      expect(relErr(back, b)).toBeLessThan(1e-12);
      expect(relErr(backT, b)).toBeLessThan(1e-12);
    });
  });
});
