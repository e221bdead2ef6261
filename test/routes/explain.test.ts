// `lensc explain` of a routed kernel: each route's work formula, the target's seconds per unit, and with --sizes
// every route's estimate and the route a call at those sizes takes — the same choice the generated module makes —
// or the one --route forces; then that route's plan. Bad --route values are errors naming the flag and the routes.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { chooseRoute } from '../../backends/common/routes.js';
import { explainRoutes } from '../../compiler/aot/explain.ts';
import { main } from '../../compiler/aot/cli.ts';
import { planRoutes } from '../../compiler/compile_routes.ts';
import { curvatureMatrix, wTildePreload } from '../../std/index.ts';

const lensc = (...args: string[]) => execFileSync('node', ['bin/lensc.js', ...args], { encoding: 'utf8' });
const SMALL = { Ny: 8, Nx: 8, M: 52, B: 3, S: 128 };
const LARGE = { Ny: 32, Nx: 32, M: 812, B: 3, S: 2 };

describe('lensc explain of a routed kernel', () => {
  it('lists the routes with their work formulas and the cost model', () => {
    const out = explainRoutes(curvatureMatrix);
    expect(out).toMatch(/^routed kernel curvatureMatrix \(target js\): 2 routes/);
    expect(out).toMatch(
      /route sparse: kernel curvatureMatrixSparse \(curvature_matrix_sparse\.js\)\n {4}work: .*\(B\*M\*M\) load/,
    );
    expect(out).toMatch(/route fft: kernel curvatureMatrixFft .*\n {4}work: .*log₂\(4\*Nx\*Ny\) fft/);
    expect(out).toMatch(/cost model \(js\): seconds per unit op \d\.\d\de[-+]\d+, transcendental/);
    // without sizes, every route's plan
    expect(out).toContain('--- route sparse ---\nkernel curvatureMatrixSparse (target js)');
    expect(out).toContain('--- route fft ---\nkernel curvatureMatrixFft (target js)');
  });

  it.each([
    ['sparse', SMALL],
    ['fft', LARGE],
  ])('with --sizes: the estimates and the choice (%s), the same as the module makes', (want, sizes) => {
    const out = explainRoutes(curvatureMatrix, { sizes });
    const m = planRoutes(curvatureMatrix, 'js').manifest;
    expect(chooseRoute('curvatureMatrix', m, sizes).route).toBe(want);
    expect(out).toMatch(new RegExp(`estimated sparse [\\d.]+ [mµ]?s, fft [\\d.]+ [mµ]?s → chooses ${want}`));
    expect(out).toContain(`--- route ${want} ---`);
    expect(out).not.toContain(`--- route ${want === 'sparse' ? 'fft' : 'sparse'} ---`);
  });

  it('--route forces a route, with the estimates still shown; on any target', () => {
    const out = explainRoutes(curvatureMatrix, { sizes: SMALL, route: 'fft', target: 'cuda', budgetBytes: 2 ** 30 });
    expect(out).toMatch(/→ route fft \(forced by --route\)/);
    expect(out).toContain('kernel curvatureMatrixFft (target cuda)');
    expect(explainRoutes(wTildePreload, { route: 'nufft', target: 'wgsl' })).toContain(
      'kernel wTildePreloadNufft (target wgsl)',
    );
  });

  it('a route that is not one, or --route on a kernel without routes, is an error naming them', async () => {
    expect(() => explainRoutes(curvatureMatrix, { route: 'dense' })).toThrow(
      "lensc explain --route: curvatureMatrix has no route 'dense' (its routes: sparse, fft)",
    );
    await expect(main(['explain', 'std/w_tilde.ts', '--kernel', 'wTilde', '--route', 'fft'])).rejects.toThrow(
      'lensc explain --route: wTilde has no routes',
    );
  }, 120_000);

  it('the command line: --kernel curvatureMatrix --sizes … --route', () => {
    const out = lensc(
      'explain',
      'std/index.ts',
      '--kernel',
      'wTildePreload',
      '--sizes',
      'Ny=8,Nx=8,K=4',
      '--route',
      'gemm',
    );
    expect(out).toMatch(/with Ny=8, Nx=8, K=4: estimated gemm .* → route gemm \(forced by --route\)/);
    expect(out).toContain('kernel wTildePreloadGemm (target js)');
  }, 120_000);
});
