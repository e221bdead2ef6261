// demo/plots.ts — the demo's figures with a real plotting library: Vega-Lite specs, compiled by vega-lite,
// rendered headlessly to SVG by vega (no browser, no canvas) and rasterised to PNG by resvg (a Rust SVG renderer
// shipped as a prebuilt npm package; text in DejaVu Sans or the system's sans-serif). Every image panel has axes
// in arcsec, a colour bar whose title carries the unit, and a panel title; pixels are drawn as rectangles at their
// true positions (image pixels on the N_y × N_x grid, source pixels on their own rectangular mesh), so masked
// pixels are simply absent rather than painted a colour that means something else.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** A rectangular grid of pixels centred on (0, 0) unless an origin is given: the image or source plane. */
export interface Mesh {
  rows: number;
  cols: number;
  /** Centre of pixel (0, 0), arcsec, and the spacing of the pixel centres (y decreases down the rows). */
  yTop: number;
  xLeft: number;
  dy: number;
  dx: number;
}

/** The image grid of the demo's conventions: y = ((N_y−1)/2 − row)·d, x = (col − (N_x−1)/2)·d. */
export const imageMesh = (rows: number, cols: number, d: number): Mesh => ({
  rows,
  cols,
  yTop: ((rows - 1) / 2) * d,
  xLeft: (-(cols - 1) / 2) * d,
  dy: d,
  dx: d,
});

export interface ImagePanel {
  title: string;
  /** The colour bar's title: what the colour means, with its unit. */
  unit: string;
  mesh: Mesh;
  /** Row-major values on the mesh; pixels with valid[i] = 0 are not drawn. */
  values: ArrayLike<number>;
  valid?: ArrayLike<number>;
  /** 'sequential' (viridis, brightness) or 'diverging' (blue–white–red around 0, signed quantities). */
  map?: 'sequential' | 'diverging';
  /** Colour domain; default the valid values' range (diverging: symmetric about 0). */
  domain?: [number, number];
  /** Axis titles; default y/x in arcsec. */
  axes?: [string, string];
  /** 'symlog' stretches a table whose interesting part is small next to its peak (the preload's sidelobes). */
  scale?: 'linear' | 'symlog';
}

const FONT = 'DejaVu Sans';

function extent(values: ArrayLike<number>, valid?: ArrayLike<number>): [number, number] {
  let lo = Infinity,
    hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    if (valid && !valid[i]) continue;
    const v = values[i]!;
    if (Number.isFinite(v)) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  return lo <= hi ? [lo, hi] : [0, 1];
}

/** One heat map as a Vega-Lite layer: a rect per valid pixel, edges at centre ± spacing/2. */
function imageSpec(p: ImagePanel, size: number): Record<string, unknown> {
  const { mesh: m } = p;
  const values: { x: number; x2: number; y: number; y2: number; v: number }[] = [];
  for (let r = 0; r < m.rows; r++) {
    for (let c = 0; c < m.cols; c++) {
      const i = r * m.cols + c;
      if (p.valid && !p.valid[i]) continue;
      const y = m.yTop - r * m.dy,
        x = m.xLeft + c * m.dx;
      values.push({ x: x - m.dx / 2, x2: x + m.dx / 2, y: y - m.dy / 2, y2: y + m.dy / 2, v: p.values[i]! });
    }
  }
  let domain = p.domain ?? extent(p.values, p.valid);
  if (!p.domain && p.map === 'diverging') {
    const a = Math.max(Math.abs(domain[0]), Math.abs(domain[1])) || 1;
    domain = [-a, a];
  }
  const xs: [number, number] = [m.xLeft - m.dx / 2, m.xLeft + (m.cols - 0.5) * m.dx];
  const ys: [number, number] = [m.yTop - (m.rows - 0.5) * m.dy, m.yTop + m.dy / 2];
  const [yTitle, xTitle] = p.axes ?? ['y (arcsec)', 'x (arcsec)'];
  const aspect = (ys[1] - ys[0]) / (xs[1] - xs[0]);
  return {
    title: { text: p.title, fontSize: 13 },
    width: size,
    height: Math.round(size * aspect),
    data: { values },
    mark: { type: 'rect', strokeWidth: 0 },
    encoding: {
      x: {
        field: 'x',
        type: 'quantitative',
        scale: { domain: xs, nice: false, zero: false },
        title: xTitle,
        axis: { tickCount: 5, grid: false },
      },
      x2: { field: 'x2' },
      y: {
        field: 'y',
        type: 'quantitative',
        scale: { domain: ys, nice: false, zero: false },
        title: yTitle,
        axis: { tickCount: 5, grid: false },
      },
      y2: { field: 'y2' },
      color: {
        field: 'v',
        type: 'quantitative',
        scale: {
          domain,
          clamp: true,
          ...(p.map === 'diverging' ? { scheme: 'redblue', reverse: true } : { scheme: 'viridis' }),
          ...(p.scale === 'symlog' ? { type: 'symlog', constant: (domain[1] - domain[0]) / 400 } : {}),
        },
        legend: {
          title: p.unit,
          gradientLength: Math.round(size * aspect * 0.9),
          format: '.3~g',
          titleLimit: 260,
          titleOrient: 'right',
          titleAnchor: 'middle',
        },
      },
    },
  };
}

/** A figure of image panels, `columns` per row, each with its own colour bar. */
export function panelsSpec(title: string, panels: ImagePanel[], columns: number, size = 230): TopLevelSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title, fontSize: 16, anchor: 'start' },
    columns,
    concat: panels.map((p) => imageSpec(p, size)),
    resolve: { scale: { color: 'independent', x: 'independent', y: 'independent' } },
    config: { font: FONT, background: 'white', concat: { spacing: 40 }, view: { stroke: '#888' } },
  } as unknown as TopLevelSpec;
}

/** ln ε against the regularization coefficient (log axis), the most probable one marked. */
export function evidenceSpec(points: { c: number; logEvidence: number }[], subtitle: string): TopLevelSpec {
  const best = points.reduce((a, b) => (b.logEvidence > a.logEvidence ? b : a));
  const values = points.map((p) => ({ ...p, best: p.c === best.c ? 'most probable' : 'other' }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: {
      text: 'Bayesian evidence against the regularization coefficient',
      subtitle,
      fontSize: 15,
      anchor: 'start',
    },
    width: 420,
    height: 260,
    data: { values },
    layer: [
      {
        mark: { type: 'line', color: '#4c78a8' },
        encoding: { x: { field: 'c', type: 'quantitative' }, y: { field: 'logEvidence', type: 'quantitative' } },
      },
      {
        mark: { type: 'point', filled: true, size: 70 },
        encoding: {
          x: {
            field: 'c',
            type: 'quantitative',
            scale: { type: 'log' },
            title: 'regularization coefficient c (dimensionless)',
          },
          y: { field: 'logEvidence', type: 'quantitative', scale: { zero: false }, title: 'ln evidence (nats)' },
          color: {
            field: 'best',
            type: 'nominal',
            scale: { domain: ['most probable', 'other'], range: ['#e45756', '#4c78a8'] },
            legend: { title: null },
          },
        },
      },
      {
        mark: { type: 'text', dy: -12, fontSize: 11 },
        encoding: {
          x: { field: 'c', type: 'quantitative' },
          y: { field: 'logEvidence', type: 'quantitative' },
          text: { field: 'logEvidence', type: 'quantitative', format: '.1f' },
        },
      },
    ],
    config: { font: FONT, background: 'white' },
  } as unknown as TopLevelSpec;
}

/** Vega-Lite → SVG (vega, headless) → PNG (resvg, 2× for legible text). Returns the SVG too. */
export async function writeFigure(path: string, spec: TopLevelSpec): Promise<void> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  const png = new Resvg(svg, {
    font: { loadSystemFonts: true, defaultFontFamily: FONT, sansSerifFamily: FONT },
    fitTo: { mode: 'zoom', value: 2 },
  })
    .render()
    .asPng();
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, png);
}
