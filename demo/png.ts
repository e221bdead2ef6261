// demo/png.ts — float arrays → PNG pictures with a colour map (pngjs).
// A picture is one or more panels side by side, each a row-major float image with an optional validity
// mask (invalid pixels are drawn in grey, e.g. outside the image mask), its own value range, and either a
// sequential map (viridis, for brightness) or a diverging one (blue–white–red, for signed values).
// Small images are enlarged by an integer factor with nearest-neighbour sampling, so pixels stay pixels.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { PNG } from 'pngjs';

type Rgb = [number, number, number];
type Stops = ReadonlyArray<readonly [number, string]>;

// matplotlib's viridis at nine points: perceptually uniform and readable in greyscale.
const VIRIDIS: Stops = [
  [0, '#440154'], [0.125, '#472d7b'], [0.25, '#3b528b'], [0.375, '#2c728e'], [0.5, '#21918c'],
  [0.625, '#28ae80'], [0.75, '#5ec962'], [0.875, '#addc30'], [1, '#fde725'],
];
// ColorBrewer RdBu reversed: negative blue, zero white, positive red.
const DIVERGING: Stops = [
  [0, '#2166ac'], [0.2, '#4393c3'], [0.35, '#92c5de'], [0.5, '#f7f7f7'], [0.65, '#f4a582'], [0.8, '#d6604d'], [1, '#b2182b'],
];
const INVALID: Rgb = [64, 64, 64];
const GAP: Rgb = [255, 255, 255];

const hex = (h: string): Rgb => [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16)];

function lookup(stops: Stops, t: number): Rgb {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0));
  for (let i = 1; i < stops.length; i++) {
    if (x <= stops[i][0]) {
      const [t0, c0] = stops[i - 1], [t1, c1] = stops[i];
      const f = (x - t0) / (t1 - t0), a = hex(c0), b = hex(c1);
      return [0, 1, 2].map((j) => Math.round(a[j] + f * (b[j] - a[j]))) as Rgb;
    }
  }
  return hex(stops[stops.length - 1][1]);
}

export interface Panel {
  width: number;
  height: number;
  /** Row-major, row 0 at the top. */
  values: Float64Array;
  /** 0 marks a pixel to leave blank (grey). */
  valid?: Uint8Array;
  map: 'sequential' | 'diverging';
  /** Value range mapped to the ends of the colour map; diverging maps want a symmetric one. */
  range: [number, number];
  /** Optional stretch applied to (value − lo)/(hi − lo) ∈ [0, 1] before the colour lookup. */
  stretch?: (t: number) => number;
}

/** The [min, max] of the valid values (a tiny span if they are all equal). */
export function valueRange(values: Float64Array, valid?: Uint8Array): [number, number] {
  let lo = Infinity, hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    if (valid && !valid[i]) continue;
    lo = Math.min(lo, values[i]);
    hi = Math.max(hi, values[i]);
  }
  if (!Number.isFinite(lo)) return [0, 1];
  return hi > lo ? [lo, hi] : [lo, lo + 1e-30];
}

/** Write panels side by side, each enlarged by the same integer factor (about `targetSize` pixels tall). */
export function writePanels(path: string, panels: Panel[], targetSize = 320): void {
  const tallest = Math.max(...panels.map((p) => Math.max(p.height, p.width)));
  const scale = Math.max(1, Math.round(targetSize / tallest));
  const gap = panels.length > 1 ? Math.max(4, scale) : 0;
  const width = panels.reduce((w, p) => w + p.width * scale, 0) + gap * (panels.length - 1);
  const height = Math.max(...panels.map((p) => p.height * scale));
  const png = new PNG({ width, height });
  const put = (x: number, y: number, c: Rgb): void => {
    const o = 4 * (y * width + x);
    png.data[o] = c[0]; png.data[o + 1] = c[1]; png.data[o + 2] = c[2]; png.data[o + 3] = 255;
  };
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) put(x, y, GAP);
  let left = 0;
  for (const p of panels) {
    const stops = p.map === 'sequential' ? VIRIDIS : DIVERGING;
    const [lo, hi] = p.range;
    for (let r = 0; r < p.height; r++) {
      for (let c = 0; c < p.width; c++) {
        const i = r * p.width + c;
        let colour = INVALID;
        if (!p.valid || p.valid[i]) {
          const t = (p.values[i] - lo) / (hi - lo);
          colour = lookup(stops, p.stretch ? p.stretch(t) : t);
        }
        for (let a = 0; a < scale; a++) for (let b = 0; b < scale; b++) put(left + c * scale + b, r * scale + a, colour);
      }
    }
    left += p.width * scale + gap;
  }
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, PNG.sync.write(png));
}
