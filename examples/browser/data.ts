// The browser example's data: the demo's synthetic ALMA-like lens (demo/dataset.ts, same code and seed), its
// source grid, mapping matrix and neighbours, at a size a software GPU runs in seconds. Used by build.mjs
// (written to dist/data.json, which the page fetches) and by the Playwright test (the f64 reference).
import { makeDataset } from '../../demo/dataset.ts';
import { traceToSource } from '../../demo/lens.ts';
import { mappingMatrix, neighbours, sourceGridAround, sourcePixelCount } from '../../demo/source_grid.ts';

export const CONFIG = {
  n: 24,
  k: 3000,
  pixelScaleArcsec: 0.1,
  maskRadiusPixels: 0.44 * 24,
  snr: 40,
  seed: 1,
  oversample: 2,
};
export const SOURCE = { sy: 12, sx: 12, b: 4 as const };
export const COEFFICIENTS = [0.3, 1, 3, 10];

/** What the page gets: plain arrays (JSON), in the std kernels' layouts. */
export interface BrowserData {
  ny: number;
  nx: number;
  m: number;
  k: number;
  s: number;
  sy: number;
  sx: number;
  pixelScalesArcsec: [number, number];
  pixelScales: [number, number];
  /** Source grid extent (arcsec): centre of pixel (0, 0) and spacing. */
  sourceGrid: { yTop: number; xLeft: number; dy: number; dx: number };
  mask: number[];
  nativeIndex: number[];
  grid: number[];
  uv: number[];
  noiseReal: number[];
  noiseMap: number[];
  visibilities: number[];
  pixIndexes: number[];
  pixWeights: number[];
  neighbors: number[];
  neighborsSizes: number[];
  coefficients: number[];
}

export function browserData(): BrowserData {
  const ds = makeDataset(CONFIG);
  const traced = traceToSource(ds.lens, ds.gridArcsec);
  const g = sourceGridAround(traced, SOURCE.sy, SOURCE.sx);
  const map = mappingMatrix(g, traced, SOURCE.b);
  const nb = neighbours(g);
  const arr = (a: ArrayLike<number>) => Array.from(a);
  return {
    ny: ds.ny,
    nx: ds.nx,
    m: ds.m,
    k: ds.k,
    s: sourcePixelCount(g),
    sy: g.sy,
    sx: g.sx,
    pixelScalesArcsec: [CONFIG.pixelScaleArcsec, CONFIG.pixelScaleArcsec],
    pixelScales: ds.pixelScales,
    sourceGrid: { yTop: g.yTop, xLeft: g.xLeft, dy: g.dy, dx: g.dx },
    mask: arr(ds.mask),
    nativeIndex: arr(ds.nativeIndex),
    grid: arr(ds.grid),
    uv: arr(ds.uv),
    noiseReal: arr(ds.noiseReal),
    noiseMap: arr(ds.noiseMap),
    visibilities: arr(ds.visibilities),
    pixIndexes: arr(map.pixIndexes),
    pixWeights: arr(map.pixWeights),
    neighbors: arr(nb.neighbors),
    neighborsSizes: arr(nb.neighborsSizes),
    coefficients: COEFFICIENTS,
  };
}
