// demo/source_grid.ts — a rectangular source pixelization: where its pixels are, the sparse mapping
// matrix T (image pixel → source pixels) in the kernels' padded format, and the neighbour lists for
// constant regularization.
//
// The source is represented by values at the S = S_y × S_x pixel centres, interpolated in between:
// bilinearly (B = 4 slots per image pixel) or linearly on the two triangles of each cell (B = 3). An image
// pixel's row of T holds the interpolation weights of the traced position; −1 marks a slot that is unused
// (only for positions outside the pixelization, which the bounding-box construction below avoids).
// Pixels are numbered row-major with row 0 at the top (largest y), like the image grid.

export interface SourceGrid {
  sy: number;
  sx: number;
  /** Centre of pixel (0, 0): the top-left one, arcsec. */
  yTop: number;
  xLeft: number;
  /** Spacing of the pixel centres, arcsec. */
  dy: number;
  dx: number;
}

export const sourcePixelCount = (g: SourceGrid): number => g.sy * g.sx;

/** The (y, x) centre of source pixel (row, col), arcsec. */
export const pixelCentre = (g: SourceGrid, row: number, col: number): [number, number] => [
  g.yTop - row * g.dy,
  g.xLeft + col * g.dx,
];

/**
 * A grid whose pixel centres span the bounding box of the traced image pixels (y, x pairs, arcsec),
 * grown by `buffer` of its size on each side. Spanning the box with the centres (not the pixel edges)
 * means every traced position has a full interpolation stencil.
 */
export function sourceGridAround(traced: Float64Array, sy: number, sx: number, buffer = 0.02): SourceGrid {
  let yMin = Infinity,
    yMax = -Infinity,
    xMin = Infinity,
    xMax = -Infinity;
  for (let i = 0; i < traced.length; i += 2) {
    yMin = Math.min(yMin, traced[i]);
    yMax = Math.max(yMax, traced[i]);
    xMin = Math.min(xMin, traced[i + 1]);
    xMax = Math.max(xMax, traced[i + 1]);
  }
  const by = (yMax - yMin) * buffer,
    bx = (xMax - xMin) * buffer;
  yMin -= by;
  yMax += by;
  xMin -= bx;
  xMax += bx;
  return { sy, sx, yTop: yMax, xLeft: xMin, dy: (yMax - yMin) / (sy - 1), dx: (xMax - xMin) / (sx - 1) };
}

export interface Mapping {
  b: number;
  /** (M, B) source pixel indexes, −1 where a slot is unused. */
  pixIndexes: Int32Array;
  /** (M, B) interpolation weights (0 in unused slots). */
  pixWeights: Float64Array;
}

/** The mapping matrix of traced positions (y, x pairs, arcsec) onto the grid, with B = 4 or 3 slots. */
export function mappingMatrix(g: SourceGrid, traced: Float64Array, b: 3 | 4): Mapping {
  const m = traced.length / 2;
  const pixIndexes = new Int32Array(m * b).fill(-1);
  const pixWeights = new Float64Array(m * b);
  const idx = (r: number, c: number): number => r * g.sx + c;
  for (let i = 0; i < m; i++) {
    // Fractional (row, col) of the traced position among the pixel centres.
    let fr = (g.yTop - traced[2 * i]) / g.dy;
    let fc = (traced[2 * i + 1] - g.xLeft) / g.dx;
    // Beyond half a pixel outside the centres the source is not modelled: all slots stay −1.
    if (fr < -0.5 || fr > g.sy - 0.5 || fc < -0.5 || fc > g.sx - 0.5) continue;
    // Within that half pixel the value of the edge is held constant (clamp to the span of the centres).
    fr = Math.min(Math.max(fr, 0), g.sy - 1);
    fc = Math.min(Math.max(fc, 0), g.sx - 1);
    const r0 = Math.min(Math.floor(fr), g.sy - 2),
      c0 = Math.min(Math.floor(fc), g.sx - 2);
    const tr = fr - r0,
      tc = fc - c0;
    const o = i * b;
    if (b === 4) {
      pixIndexes[o] = idx(r0, c0);
      pixWeights[o] = (1 - tr) * (1 - tc);
      pixIndexes[o + 1] = idx(r0, c0 + 1);
      pixWeights[o + 1] = (1 - tr) * tc;
      pixIndexes[o + 2] = idx(r0 + 1, c0);
      pixWeights[o + 2] = tr * (1 - tc);
      pixIndexes[o + 3] = idx(r0 + 1, c0 + 1);
      pixWeights[o + 3] = tr * tc;
    } else if (tr + tc <= 1) {
      // Upper-left triangle of the cell: corners (r0, c0), (r0, c0+1), (r0+1, c0).
      pixIndexes[o] = idx(r0, c0);
      pixWeights[o] = 1 - tr - tc;
      pixIndexes[o + 1] = idx(r0, c0 + 1);
      pixWeights[o + 1] = tc;
      pixIndexes[o + 2] = idx(r0 + 1, c0);
      pixWeights[o + 2] = tr;
    } else {
      // Lower-right triangle: corners (r0+1, c0+1), (r0+1, c0), (r0, c0+1).
      pixIndexes[o] = idx(r0 + 1, c0 + 1);
      pixWeights[o] = tr + tc - 1;
      pixIndexes[o + 1] = idx(r0 + 1, c0);
      pixWeights[o + 1] = 1 - tc;
      pixIndexes[o + 2] = idx(r0, c0 + 1);
      pixWeights[o + 2] = 1 - tr;
    }
  }
  return { b, pixIndexes, pixWeights };
}

/** T·s: the image (length M) that source values s produce through the mapping. */
export function mapToImage(map: Mapping, s: Float64Array): Float64Array {
  const m = map.pixIndexes.length / map.b;
  const out = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let v = 0;
    for (let j = i * map.b; j < (i + 1) * map.b; j++)
      if (map.pixIndexes[j] >= 0) v += map.pixWeights[j] * s[map.pixIndexes[j]];
    out[i] = v;
  }
  return out;
}

/** Σ of mapping weights per source pixel: 0 where no image pixel constrains it (only the prior does). */
export function coverage(map: Mapping, sourcePixels: number): Float64Array {
  const out = new Float64Array(sourcePixels);
  for (let j = 0; j < map.pixIndexes.length; j++)
    if (map.pixIndexes[j] >= 0) out[map.pixIndexes[j]] += map.pixWeights[j];
  return out;
}

export interface Neighbours {
  /** (S, 4) the up/down/left/right neighbours, packed first, −1 padded. */
  neighbors: Int32Array;
  /** (S) how many of the 4 slots are used (2 in corners, 3 on edges, 4 inside). */
  neighborsSizes: Int32Array;
}

/** Neighbour lists of the rectangular grid for constant regularization (H = c²·graph Laplacian). */
export function neighbours(g: SourceGrid): Neighbours {
  const s = sourcePixelCount(g);
  const neighbors = new Int32Array(s * 4).fill(-1);
  const neighborsSizes = new Int32Array(s);
  for (let r = 0; r < g.sy; r++) {
    for (let c = 0; c < g.sx; c++) {
      const i = r * g.sx + c;
      let n = 0;
      for (const [dr, dc] of [
        [-1, 0],
        [1, 0],
        [0, -1],
        [0, 1],
      ] as const) {
        const rr = r + dr,
          cc = c + dc;
        if (rr >= 0 && rr < g.sy && cc >= 0 && cc < g.sx) neighbors[i * 4 + n++] = rr * g.sx + cc;
      }
      neighborsSizes[i] = n;
    }
  }
  return { neighbors, neighborsSizes };
}
