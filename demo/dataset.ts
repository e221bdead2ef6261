// demo/dataset.ts — the synthetic ALMA-like strong-lens observation: image grid and circular mask,
// uv coverage from random antennas and Earth rotation, the true lensed source, its visibilities and noise.
//
// Conventions (those of std/ and PyAutoArray): an N_y × N_x grid with pixel scale d; pixel (row, col)
// sits at y = ((N_y−1)/2 − row)·d, x = (col − (N_x−1)/2)·d; the M unmasked pixels in row-major "slim"
// order; nativeIndex = (row, col) pairs, grid = (y, x) pairs in radians; uv = (u, v) in wavelengths with
// u paired with x; noiseMap = (σ_re, σ_im); visibilities = (re, im).
//
// The lens and source are laid out in units of the field's half-width, so `--n 64` shows the same
// system at twice the resolution in pixels rather than a tiny ring in a big empty field.
import { colToX, forwardTransform, rowToY } from './dft.ts';
import { traceToSource, type LensModel } from './lens.ts';
import { totalBrightness, type LightProfile } from './light.ts';
import { makeRandom } from './random.ts';

export const ARCSEC = Math.PI / (180 * 3600);

export interface DatasetConfig {
  /** Image side: N_y = N_x = n. */
  n: number;
  pixelScaleArcsec: number;
  /** Radius of the circular mask, in pixels. */
  maskRadiusPixels: number;
  /** Number of visibilities K. */
  k: number;
  /** Peak signal-to-noise of the lensed image in the natural-weighted dirty image (sets σ). */
  snr: number;
  seed: number;
  /** Sub-pixels per side when integrating the lensed source over a pixel. */
  oversample: number;
}

export interface UvCoverage {
  uv: Float64Array;
  antennas: number;
  baselines: number;
  timeSteps: number;
  /** The observing wavelength (m) after any rescaling to keep |u|, |v| ≤ 1/(2d). */
  wavelength: number;
  maxBaseline: number; // m
}

export interface Dataset {
  config: DatasetConfig;
  ny: number;
  nx: number;
  /** (d_y, d_x) in radians. */
  pixelScales: [number, number];
  /** 1 where a pixel is used (inside the mask), native order (N_y·N_x). */
  mask: Uint8Array;
  m: number;
  nativeIndex: Int32Array;
  /** (y, x) in radians (what the kernels take) and in arcsec (what the lens model takes). */
  grid: Float64Array;
  gridArcsec: Float64Array;
  k: number;
  coverage: UvCoverage;
  uv: Float64Array;
  sigma: number;
  noiseMap: Float64Array;
  /** σ_re per visibility: the W̃ kernels assume σ_re = σ_im and take one column. */
  noiseReal: Float64Array;
  visibilities: Float64Array;
  /** The noise-free visibilities of the true image (for checking χ² ≈ K·2 at the truth). */
  visibilitiesTrue: Float64Array;
  lens: LensModel;
  source: LightProfile[];
  /** The true lensed image on the full native grid (N_y·N_x) and on the masked pixels (M). */
  lensedImage: Float64Array;
  imageSlim: Float64Array;
}

/** The lens and source of the demo, scaled to a field of half-width `half` arcsec. */
export function lensSystem(half: number): { lens: LensModel; source: LightProfile[] } {
  const lens: LensModel = {
    einsteinRadius: 0.5 * half,
    axisRatio: 0.8,
    angleDeg: 30,
    centre: [0, 0],
    shear: [0.04, -0.03],
  };
  // A disc-like Sérsic just off the caustic centre (a near-ring of arcs) and a bright knot beside it
  // (an extra, asymmetric image pair: a mirrored reconstruction would put it in the wrong place).
  const source: LightProfile[] = [
    {
      kind: 'sersic',
      centre: [0.025 * half, 0.04 * half],
      axisRatio: 0.7,
      angleDeg: 50,
      effectiveRadius: 0.1 * half,
      sersicIndex: 1,
      intensity: 1,
    },
    { kind: 'gaussian', centre: [-0.08 * half, 0.13 * half], sigma: 0.035 * half, intensity: 3 },
  ];
  return { lens, source };
}

/**
 * An ALMA-like uv coverage: antennas scattered (centrally condensed) within a 1 km wide site at the ALMA
 * latitude, observing a source at declination −35° for ±2 h around transit at λ = 1 mm. Each time step
 * gives one (u, v) per baseline (the conjugate (−u, −v) carries no new information for a real image).
 * The first K points are kept.
 */
export function uvCoverage(k: number, pixelScaleRad: number, seed: number): UvCoverage {
  const rng = makeRandom(seed ^ 0x9e3779b9);
  const antennas = 43; // a typical ALMA 12-m array configuration
  const siteRadius = 500; // m
  const east: number[] = [],
    north: number[] = [];
  for (let a = 0; a < antennas; a++) {
    const r = siteRadius * Math.pow(rng.uniform(), 0.8),
      t = 2 * Math.PI * rng.uniform();
    east.push(r * Math.cos(t));
    north.push(r * Math.sin(t));
  }
  const baselines = (antennas * (antennas - 1)) / 2;
  const timeSteps = Math.max(1, Math.ceil(k / baselines));
  const lat = (-23.03 * Math.PI) / 180,
    dec = (-35 * Math.PI) / 180;
  let wavelength = 1e-3;
  const uv = new Float64Array(2 * k);
  let maxBaseline = 0;
  let n = 0;
  for (let t = 0; t < timeSteps && n < k; t++) {
    const hourAngle = timeSteps === 1 ? 0 : ((-2 + (4 * t) / (timeSteps - 1)) * Math.PI) / 12;
    const sh = Math.sin(hourAngle),
      ch = Math.cos(hourAngle);
    for (let a = 0; a < antennas && n < k; a++) {
      for (let b = a + 1; b < antennas && n < k; b++) {
        const e = east[b] - east[a],
          no = north[b] - north[a];
        maxBaseline = Math.max(maxBaseline, Math.hypot(e, no));
        // Local (east, north, up = 0) → equatorial (X, Y, Z) → (u, v) (Thompson, Moran & Swenson ch. 4).
        const X = -Math.sin(lat) * no,
          Y = e,
          Z = Math.cos(lat) * no;
        uv[2 * n] = (sh * X + ch * Y) / wavelength;
        uv[2 * n + 1] = (-Math.sin(dec) * ch * X + Math.sin(dec) * sh * Y + Math.cos(dec) * Z) / wavelength;
        n++;
      }
    }
  }
  // Spatial frequencies beyond 1/(2d) are not representable on the pixel grid (they alias); keep the
  // coverage inside by pretending a longer wavelength if the pixels are too coarse for it.
  let maxUv = 0;
  for (let i = 0; i < uv.length; i++) maxUv = Math.max(maxUv, Math.abs(uv[i]));
  const limit = 0.95 / (2 * pixelScaleRad);
  if (maxUv > limit) {
    const f = limit / maxUv;
    for (let i = 0; i < uv.length; i++) uv[i] *= f;
    wavelength /= f;
  }
  return { uv, antennas, baselines, timeSteps, wavelength, maxBaseline };
}

/** Build the whole dataset. onProgress follows the visibilities' Fourier transform, the slow part. */
export function makeDataset(config: DatasetConfig, onProgress?: (fraction: number, message: string) => void): Dataset {
  const { n, pixelScaleArcsec, maskRadiusPixels, k, oversample } = config;
  const ny = n,
    nx = n;
  const d = pixelScaleArcsec * ARCSEC;
  const pixelScales: [number, number] = [d, d];
  const geomArcsec = { ny, nx, pixelScales: [pixelScaleArcsec, pixelScaleArcsec] as [number, number] };

  // Circular mask about the image centre.
  const mask = new Uint8Array(ny * nx);
  let m = 0;
  for (let r = 0; r < ny; r++) {
    for (let c = 0; c < nx; c++) {
      if (Math.hypot(r - (ny - 1) / 2, c - (nx - 1) / 2) <= maskRadiusPixels) {
        mask[r * nx + c] = 1;
        m++;
      }
    }
  }
  const nativeIndex = new Int32Array(2 * m),
    grid = new Float64Array(2 * m),
    gridArcsec = new Float64Array(2 * m);
  for (let r = 0, i = 0; r < ny; r++) {
    for (let c = 0; c < nx; c++) {
      if (!mask[r * nx + c]) continue;
      nativeIndex[2 * i] = r;
      nativeIndex[2 * i + 1] = c;
      gridArcsec[2 * i] = rowToY(geomArcsec, r);
      gridArcsec[2 * i + 1] = colToX(geomArcsec, c);
      grid[2 * i] = gridArcsec[2 * i] * ARCSEC;
      grid[2 * i + 1] = gridArcsec[2 * i + 1] * ARCSEC;
      i++;
    }
  }

  // The true lensed image: the source's brightness at ray-traced sub-pixel positions, averaged per pixel
  // (pixels are areas, and arcs are sharper than a pixel near the critical curve).
  const { lens, source } = lensSystem((n * pixelScaleArcsec) / 2);
  const sub = new Float64Array(2 * ny * nx * oversample * oversample);
  for (let r = 0, j = 0; r < ny; r++) {
    for (let c = 0; c < nx; c++) {
      for (let a = 0; a < oversample; a++) {
        for (let b = 0; b < oversample; b++, j += 2) {
          sub[j] = rowToY(geomArcsec, r + (a + 0.5) / oversample - 0.5);
          sub[j + 1] = colToX(geomArcsec, c + (b + 0.5) / oversample - 0.5);
        }
      }
    }
  }
  const traced = traceToSource(lens, sub);
  const lensedImage = new Float64Array(ny * nx);
  const per = oversample * oversample;
  for (let p = 0; p < ny * nx; p++) {
    let s = 0;
    for (let q = 0; q < per; q++)
      s += totalBrightness(source, traced[2 * (p * per + q)], traced[2 * (p * per + q) + 1]);
    lensedImage[p] = s / per;
  }
  // Only the masked pixels are observed: the model image lives on the same pixels, so the demo tests the
  // likelihood rather than flux leaking past the mask edge (the arcs sit well inside it).
  const imageSlim = new Float64Array(m);
  for (let i = 0; i < m; i++) imageSlim[i] = lensedImage[nativeIndex[2 * i] * nx + nativeIndex[2 * i + 1]];

  const coverage = uvCoverage(k, d, config.seed);
  const visibilitiesTrue = forwardTransform({ ny, nx, pixelScales, nativeIndex }, imageSlim, coverage.uv, onProgress);

  // Natural-weighted image noise per pixel is σ/√K (per component σ), so a peak S/N of `snr` means:
  let peak = 0;
  for (let i = 0; i < m; i++) peak = Math.max(peak, imageSlim[i]);
  const sigma = (peak * Math.sqrt(k)) / config.snr;
  const rng = makeRandom(config.seed);
  const noiseMap = new Float64Array(2 * k).fill(sigma);
  const noiseReal = new Float64Array(k).fill(sigma);
  const visibilities = new Float64Array(2 * k);
  for (let i = 0; i < 2 * k; i++) visibilities[i] = visibilitiesTrue[i] + sigma * rng.normal();

  return {
    config,
    ny,
    nx,
    pixelScales,
    mask,
    m,
    nativeIndex,
    grid,
    gridArcsec,
    k,
    coverage,
    uv: coverage.uv,
    sigma,
    noiseMap,
    noiseReal,
    visibilities,
    visibilitiesTrue,
    lens,
    source,
    lensedImage,
    imageSlim,
  };
}
