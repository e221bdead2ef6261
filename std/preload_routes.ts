// `wTildePreload`: the W̃ preload table by whichever of its two routes the cost model estimates cheaper at the
// call's sizes — two matmuls over K (std/preload.ts, exact to rounding: small K) or the type-1 NUFFT
// (std/preload_nufft.ts, accuracy parameter ε = 1e-12 relative to P[0, 0]: large K). The manifest states each
// route's accuracy; `options.route: 'gemm'` keeps the exact route at any K.
import { routes } from '../dsl/index.ts';
import { wTildePreloadGemm } from './preload.ts';
import { wTildePreloadNufft } from './preload_nufft.ts';

export const wTildePreload = routes({
  name: 'wTildePreload',
  doc: 'The (2N_y, 2N_x) preload table of W̃ on a regular grid (row N_y and column N_x are 0).',
  routes: { gemm: wTildePreloadGemm, nufft: wTildePreloadNufft },
});
