// demo/main.ts — `npm run demo`: the project's end-to-end job.
// A synthetic ALMA-like strong-lens observation goes through the whole interferometer likelihood on the
// generated JS kernels (kernels/js, imported like any library): preload table → curvature matrix F →
// dirty image → data vector D → regularization H and log evidence for a few coefficients, keeping the
// most probable one. Each step is timed (a table at the end); long steps show progress on stderr. Three
// cross-checks guard the result: W̃ from the preload table against the direct W̃ on a pixel subset; the
// adjoint identity that ties this demo's forward model to std/dirty_image.ts (a sign error there would
// garble the source); and the evidence's χ² against the explicit residual χ². PNGs go to --out.
import { join } from 'node:path';
import { getRuntime, shutdown } from 'lensc/runtime/js';
import { curvatureMatrix } from '../kernels/js/curvature_matrix.js';
import { dataVector } from '../kernels/js/data_vector.js';
import { dirtyImage } from '../kernels/js/dirty_image.js';
import { logEvidence, type LogEvidenceOutputs } from '../kernels/js/log_evidence.js';
import { regularizationConstant } from '../kernels/js/regularization_constant.js';
import { wTilde } from '../kernels/js/w_tilde.js';
import { wTildeFromPreload } from '../kernels/js/w_tilde_from_preload.js';
import { wTildePreload } from '../kernels/js/w_tilde_preload.js';
import { makeDataset, type Dataset } from './dataset.ts';
import { forwardTransform } from './dft.ts';
import { traceToSource } from './lens.ts';
import { totalBrightness } from './light.ts';
import { parseOptions, USAGE, UsageError, type DemoOptions } from './options.ts';
import { evidenceSpec, imageMesh, panelsSpec, writeFigure, type ImagePanel, type Mesh } from './plots.ts';
import { progress } from './progress.ts';
import { makeRandom } from './random.ts';
import { bytes, correlation, fmt, pad, secs, table } from './report.ts';
import {
  coverage,
  mappingMatrix,
  mapToImage,
  neighbours,
  pixelCentre,
  sourceGridAround,
  sourcePixelCount,
  type SourceGrid,
} from './source_grid.ts';

type OnProgress = (fraction: number, message: string) => void;
interface Timing {
  step: string;
  ms: number;
  note: string;
}

const timings: Timing[] = [];

/** Run one step with a progress display and record its wall time. */
async function step<T>(
  name: string,
  fn: (onProgress: OnProgress) => Promise<T> | T,
  note: (r: T) => string = () => '',
): Promise<T> {
  const bar = progress(name);
  const t0 = performance.now();
  let result: T;
  try {
    result = await fn(bar.onProgress);
  } finally {
    bar.done();
  }
  const ms = performance.now() - t0;
  const text = note(result);
  timings.push({ step: name, ms, note: text });
  console.log(`  ${pad(name, 38)} ${secs(ms).padStart(7)} s  ${text}`);
  return result;
}

/** Relative difference max|a − b| / max|b|. */
function relDiff(a: Float64Array, b: Float64Array): number {
  let d = 0,
    s = 0;
  for (let i = 0; i < a.length; i++) {
    d = Math.max(d, Math.abs(a[i] - b[i]));
    s = Math.max(s, Math.abs(b[i]));
  }
  return d / s;
}

/** Scatter slim values (M) onto the native grid (N_y·N_x); masked pixels stay 0 (drawn blank). */
function toNative(ds: Dataset, slim: Float64Array): Float64Array {
  const out = new Float64Array(ds.ny * ds.nx);
  for (let i = 0; i < ds.m; i++) out[ds.nativeIndex[2 * i] * ds.nx + ds.nativeIndex[2 * i + 1]] = slim[i];
  return out;
}

async function run(o: DemoOptions): Promise<void> {
  const kernelOptions = (onProgress?: OnProgress) => ({
    ...(o.threads !== undefined ? { threads: o.threads } : {}),
    ...(o.memoryBudgetBytes !== undefined ? { memoryBudgetBytes: o.memoryBudgetBytes } : {}),
    ...(onProgress ? { onProgress } : {}),
  });

  console.log(`lensc demo: synthetic ALMA-like strong lens → interferometer likelihood on the JS kernels\n`);
  // Start the worker pool first, so that no kernel's time includes spawning threads.
  const rt = await step(
    'runtime start (worker pool)',
    () => getRuntime(o.threads),
    (r) => `${r.threads} threads`,
  );

  // ---- data ------------------------------------------------------------------------------------
  const ds = await step(
    'dataset',
    (onProgress) =>
      makeDataset(
        {
          n: o.n,
          pixelScaleArcsec: o.pixelScaleArcsec,
          maskRadiusPixels: o.maskRadiusPixels,
          k: o.k,
          snr: o.snr,
          seed: o.seed,
          oversample: o.oversample,
        },
        onProgress,
      ),
    (d) => `${d.ny}×${d.nx} grid, M = ${d.m}, K = ${d.k}, peak S/N ${o.snr} → σ = ${fmt(d.sigma, 3)}, seed ${o.seed}`,
  );
  const cov = ds.coverage;
  let maxUv = 0;
  for (let i = 0; i < ds.uv.length; i++) maxUv = Math.max(maxUv, Math.abs(ds.uv[i]));
  console.log(
    `      uv: ${cov.antennas} antennas, ${cov.baselines} baselines × ${cov.timeSteps} time steps (max baseline ${cov.maxBaseline.toFixed(0)} m, ` +
      `λ = ${(cov.wavelength * 1e3).toFixed(3)} mm), max |u|,|v| = ${fmt(maxUv, 3)} λ ≤ 1/(2d) = ${fmt(1 / (2 * ds.pixelScales[0]), 3)} λ`,
  );

  // ---- source pixelization (the lens model is taken as known: this demo times the inversion) ------
  const src = await step(
    'source grid + mapping matrix',
    () => {
      const traced = traceToSource(ds.lens, ds.gridArcsec);
      const grid = sourceGridAround(traced, o.sy, o.sx);
      const map = mappingMatrix(grid, traced, o.b);
      return {
        grid,
        map,
        nb: neighbours(grid),
        s: sourcePixelCount(grid),
        coverage: coverage(map, sourcePixelCount(grid)),
      };
    },
    (r) =>
      `S = ${r.grid.sy}×${r.grid.sx} = ${r.s}, B = ${o.b}, source pixel ${fmt(r.grid.dx, 3)}″ × ${fmt(r.grid.dy, 3)}″`,
  );
  const { map, nb, s: S } = src;
  const shape = [ds.ny, ds.nx];

  // ---- the likelihood ---------------------------------------------------------------------------
  const preload = await step(
    'wTildePreload',
    (onProgress) =>
      wTildePreload(
        { noiseReal: ds.noiseReal, uv: ds.uv, shape, pixelScales: Float64Array.from(ds.pixelScales) },
        kernelOptions(onProgress),
      ),
    (p) => `table ${2 * ds.ny}×${2 * ds.nx} (${bytes(p.byteLength)}) over K = ${ds.k}`,
  );

  // Cross-check 1: W̃ expanded from the table equals W̃ computed directly, on a pixel subset (the direct
  // one costs P²·K cosines; the subset spans the mask, so the offsets cover most of the table).
  const pSub = Math.min(o.checkPixels, ds.m);
  const subIdx = Int32Array.from({ length: pSub }, (_, j) => Math.floor((j * ds.m) / pSub));
  const subNative = new Int32Array(2 * pSub),
    subGrid = new Float64Array(2 * pSub);
  subIdx.forEach((i, j) => {
    subNative[2 * j] = ds.nativeIndex[2 * i];
    subNative[2 * j + 1] = ds.nativeIndex[2 * i + 1];
    subGrid[2 * j] = ds.grid[2 * i];
    subGrid[2 * j + 1] = ds.grid[2 * i + 1];
  });
  const wCheck = await step(
    `check: W̃ from table vs wTilde (${pSub} px)`,
    async (onProgress) => {
      const fromTable = await wTildeFromPreload({ preload, shape, nativeIndex: subNative }, kernelOptions());
      const direct = await wTilde({ noiseReal: ds.noiseReal, uv: ds.uv, grid: subGrid }, kernelOptions(onProgress));
      let diag = 0;
      for (let k = 0; k < ds.k; k++) diag += 1 / ds.noiseReal[k] ** 2;
      return { rel: relDiff(fromTable, direct), diagRel: Math.abs(fromTable[0] - diag) / diag };
    },
    (r) => `max rel diff ${r.rel.toExponential(2)}; diag vs Σ1/σ²: ${r.diagRel.toExponential(2)}`,
  );

  const F = await step(
    'curvatureMatrix',
    (onProgress) =>
      curvatureMatrix(
        {
          preload,
          shape,
          nativeIndex: ds.nativeIndex,
          pixIndexes: map.pixIndexes,
          pixWeights: map.pixWeights,
          sourcePixels: S,
        },
        kernelOptions(onProgress),
      ),
    () => `F ${S}×${S} from the table and T (M×B = ${ds.m}×${o.b})`,
  );
  const dirty = await step(
    'dirtyImage',
    (onProgress) =>
      dirtyImage(
        { visibilities: ds.visibilities, noiseMap: ds.noiseMap, uv: ds.uv, grid: ds.grid },
        kernelOptions(onProgress),
      ),
    () => `M = ${ds.m} pixels × K = ${ds.k} visibilities`,
  );

  // Cross-check 2: the dirty image is the adjoint of this demo's forward model A (dft.ts) applied to
  // V/σ², i.e. ⟨A f, V/σ²⟩ = ⟨f, dirtyImage(V)⟩ for any f and V. With the other sign of the imaginary
  // part the identity fails — and the reconstruction would come out garbled.
  const adjoint = await step(
    'check: adjoint of the forward model',
    async () => {
      const kSub = Math.min(ds.k, 2000);
      const rng = makeRandom(o.seed + 7);
      const f = Float64Array.from({ length: ds.m }, () => rng.normal());
      const v = Float64Array.from({ length: 2 * kSub }, () => rng.normal());
      const uvSub = ds.uv.subarray(0, 2 * kSub),
        noiseSub = ds.noiseMap.subarray(0, 2 * kSub);
      const af = forwardTransform(ds, f, uvSub);
      let re = 0,
        im = 0;
      for (let k = 0; k < kSub; k++) {
        re += (af[2 * k] * v[2 * k]) / noiseSub[2 * k] ** 2;
        im += (af[2 * k + 1] * v[2 * k + 1]) / noiseSub[2 * k + 1] ** 2;
      }
      const back = await dirtyImage({ visibilities: v, noiseMap: noiseSub, uv: uvSub, grid: ds.grid }, kernelOptions());
      let rhs = 0;
      for (let i = 0; i < ds.m; i++) rhs += f[i] * back[i];
      return { rel: Math.abs(re + im - rhs) / Math.abs(rhs), flipped: Math.abs(re - im - rhs) / Math.abs(rhs) };
    },
    (r) => `rel diff ${r.rel.toExponential(2)} (opposite sign of im: ${r.flipped.toExponential(2)})`,
  );

  const D = await step(
    'dataVector',
    (onProgress) =>
      dataVector(
        { dirtyImage: dirty, pixIndexes: map.pixIndexes, pixWeights: map.pixWeights, sourcePixels: S },
        kernelOptions(onProgress),
      ),
    () => `D (${S}) = Tᵀ·dirty`,
  );

  // Constant regularization for each coefficient; the evidence picks the most probable one.
  const evidences: { c: number; ev: LogEvidenceOutputs }[] = [];
  for (const c of o.coefficients) {
    const H = await step(
      `regularizationConstant c=${c}`,
      (onProgress) =>
        regularizationConstant(
          { coefficient: c, neighbors: nb.neighbors, neighborsSizes: nb.neighborsSizes, sourcePixels: S },
          kernelOptions(onProgress),
        ),
      () => `H ${S}×${S}`,
    );
    const ev = await step(
      `logEvidence c=${c}`,
      (onProgress) =>
        logEvidence(
          { curvature: F, regularization: H, dataVector: D, visibilities: ds.visibilities, noiseMap: ds.noiseMap },
          kernelOptions(onProgress),
        ),
      (r) => `ln ε = ${fmt(r.logEvidence, 8)}`,
    );
    evidences.push({ c, ev });
  }
  const best = evidences.reduce((a, b) => (b.ev.logEvidence > a.ev.logEvidence ? b : a));
  const s = best.ev.reconstruction;

  // Cross-check 3: χ² from the normal equations equals the explicit residual χ² Σ|V − A·T·s|²/σ².
  const chi = await step(
    'check: χ² vs explicit residuals',
    (onProgress) => {
      const model = forwardTransform(ds, mapToImage(map, s), ds.uv, onProgress);
      let chi2 = 0;
      for (let i = 0; i < 2 * ds.k; i++) chi2 += ((ds.visibilities[i] - model[i]) / ds.noiseMap[i]) ** 2;
      return chi2;
    },
    (chi2) => `rel diff ${(Math.abs(chi2 - best.ev.chiSquared) / chi2).toExponential(2)} (c = ${best.c})`,
  );

  // How close is the reconstruction to the truth? The true brightness at the source pixel centres,
  // compared where image pixels constrain the source (elsewhere only the prior speaks).
  const truth = new Float64Array(S);
  for (let r = 0; r < src.grid.sy; r++) {
    for (let c = 0; c < src.grid.sx; c++) {
      const [y, x] = pixelCentre(src.grid, r, c);
      truth[r * src.grid.sx + c] = totalBrightness(ds.source, y, x);
    }
  }
  const covered = (i: number) => src.coverage[i] > 0;
  const corrOf = (rec: Float64Array) => correlation(rec, truth, covered);

  // ---- pictures ---------------------------------------------------------------------------------
  await step(
    'figures (Vega-Lite → PNG)',
    () => writePictures(o, ds, preload, dirty, src, truth, map, evidences, best),
    () => `in ${o.out}/`,
  );

  // ---- report -----------------------------------------------------------------------------------
  const total = timings.reduce((a, t) => a + t.ms, 0);
  console.log(`\nTimings (${rt.threads} threads; M = ${ds.m}, K = ${ds.k}, S = ${S}, B = ${o.b}):\n`);
  console.log(
    table(
      ['step', 'seconds', 'share', 'what'],
      [
        ...timings.map((t) => [t.step, secs(t.ms), `${((100 * t.ms) / total).toFixed(1)}%`, t.note]),
        ['total', secs(total), '100%', ''],
      ],
    ),
  );

  console.log(`\nLog evidence per regularization coefficient (* = most probable, used for the pictures):\n`);
  console.log(
    table(
      ['c', 'ln ε', 'χ²', 'χ²/2K', 'sᵀHs', 'ln det(F+H)', 'ln det H', 'Σ ln 2πσ²', 'corr(truth)'],
      evidences.map(({ c, ev }) => [
        `${c === best.c ? '*' : ' '} ${c}`,
        fmt(ev.logEvidence, 9),
        fmt(ev.chiSquared, 8),
        (ev.chiSquared / (2 * ds.k)).toFixed(4),
        fmt(ev.regularizationTerm),
        fmt(ev.logDetCurvatureReg, 8),
        fmt(ev.logDetRegularization, 8),
        fmt(ev.noiseNormalization, 9),
        corrOf(ev.reconstruction).toFixed(4),
      ]),
      [0],
    ),
  );
  console.log(`\nChecks:`);
  console.log(
    `  W̃ from the preload table vs direct wTilde (${pSub} pixels): max |ΔW̃| / max |W̃| = ${wCheck.rel.toExponential(3)}`,
  );
  console.log(
    `  adjoint ⟨A f, V/σ²⟩ vs ⟨f, dirtyImage(V)⟩: ${adjoint.rel.toExponential(3)} (with +sin in the forward model it would be ${adjoint.flipped.toExponential(3)})`,
  );
  console.log(
    `  χ² (normal equations) vs Σ|V − A·T·s|²/σ²: ${(Math.abs(chi - best.ev.chiSquared) / chi).toExponential(3)}`,
  );
  console.log(
    `  reconstruction (c = ${best.c}) vs true source, Pearson r over the ${truth.filter((_, i) => covered(i)).length} constrained source pixels: ${corrOf(s).toFixed(4)}`,
  );
  console.log(
    `\nFigures in ${o.out}/: fit.png (dirty image, dirty model, dirty residual, normalised residual, χ² map, source`,
  );
  console.log(
    `  reconstruction), evidence.png (ln ε against c), source_comparison.png, image_comparison.png, preload.png`,
  );
}

/**
 * The figures (Vega-Lite, demo/plots.ts): a PyAutoLens-style fit panel, the evidence against the coefficient, the
 * source truth vs reconstruction on the source mesh, the true lensed image and the preload table. The dirty-image
 * panels are what an interferometrist looks at: the model and residual visibilities taken back to the image plane
 * by the same dirtyImage kernel as the data (natural weighting, Σ_k V_k/σ_k² e^{…}).
 */
async function writePictures(
  o: DemoOptions,
  ds: Dataset,
  preload: Float64Array,
  dirty: Float64Array,
  src: { grid: SourceGrid; coverage: Float64Array },
  truth: Float64Array,
  map: ReturnType<typeof mappingMatrix>,
  evidences: { c: number; ev: LogEvidenceOutputs }[],
  best: { c: number; ev: LogEvidenceOutputs },
): Promise<void> {
  const s = best.ev.reconstruction;
  const mesh = imageMesh(ds.ny, ds.nx, o.pixelScaleArcsec);
  const sourceMesh: Mesh = {
    rows: src.grid.sy,
    cols: src.grid.sx,
    yTop: src.grid.yTop,
    xLeft: src.grid.xLeft,
    dy: src.grid.dy,
    dx: src.grid.dx,
  };
  const constrained = Uint8Array.from(src.coverage, (w) => (w > 0 ? 1 : 0));
  const dirtyOf = async (visibilities: Float64Array, noiseMap: Float64Array) =>
    toNative(ds, await dirtyImage({ visibilities, noiseMap, uv: ds.uv, grid: ds.grid }));

  // Model visibilities of the reconstruction (A·T·s) and the residuals, back in the image plane.
  const modelVis = forwardTransform(ds, mapToImage(map, s), ds.uv);
  const resid = ds.visibilities.map((v, i) => v - modelVis[i]);
  const normResid = resid.map((r, i) => r / ds.noiseMap[i]);
  const ones = new Float64Array(2 * ds.k).fill(1);
  const dirtyData = toNative(ds, dirty);
  const dirtyModel = await dirtyOf(modelVis, ds.noiseMap);
  const dirtyResid = await dirtyOf(resid, ds.noiseMap);
  const dirtyNorm = await dirtyOf(normResid, ones);
  const dirtyChi2 = await dirtyOf(
    normResid.map((r) => r * r),
    ones,
  );

  const dataDomain = extentOf(dirtyData, ds.mask);
  const dirtyUnit = 'Σ V/σ² (flux/σ², arb.)';
  const src_ = (title: string, values: Float64Array, unit: string, extra: Partial<ImagePanel> = {}): ImagePanel => ({
    title,
    unit,
    mesh: sourceMesh,
    values,
    valid: constrained,
    axes: ['source-plane y (arcsec)', 'source-plane x (arcsec)'],
    ...extra,
  });
  const sub = `M = ${ds.m} image pixels, K = ${ds.k} visibilities, S = ${src.grid.sy}×${src.grid.sx} source pixels; c = ${best.c} (most probable)`;
  await writeFigure(
    join(o.out, 'fit.png'),
    panelsSpec(
      `Interferometer fit — ${sub}`,
      [
        { title: 'dirty image', unit: dirtyUnit, mesh, values: dirtyData, valid: ds.mask, domain: dataDomain },
        { title: 'dirty model image', unit: dirtyUnit, mesh, values: dirtyModel, valid: ds.mask, domain: dataDomain },
        { title: 'dirty residual image', unit: dirtyUnit, mesh, values: dirtyResid, valid: ds.mask, map: 'diverging' },
        {
          title: 'dirty normalised residual',
          unit: 'Σ (V−V_model)/σ (arb.)',
          mesh,
          values: dirtyNorm,
          valid: ds.mask,
          map: 'diverging',
        },
        { title: 'dirty χ² map', unit: 'Σ (V−V_model)²/σ² (arb.)', mesh, values: dirtyChi2, valid: ds.mask },
        src_('source reconstruction (source mesh)', s, 'surface brightness (arb.)'),
      ],
      3,
    ),
  );

  await writeFigure(
    join(o.out, 'evidence.png'),
    evidenceSpec(
      evidences.map(({ c, ev }) => ({ c, logEvidence: ev.logEvidence })),
      sub,
    ),
  );

  const brightness: [number, number] = [0, extentOf(truth)[1]];
  await writeFigure(
    join(o.out, 'source_comparison.png'),
    panelsSpec(
      'Source plane: truth and reconstruction (blank: no image pixel maps there)',
      [
        src_('true source (at pixel centres)', truth, 'surface brightness (arb.)', {
          valid: undefined,
          domain: brightness,
        }),
        src_(`reconstruction, c = ${best.c}`, s, 'surface brightness (arb.)', { domain: brightness }),
        src_(
          'reconstruction − truth',
          s.map((v, i) => v - truth[i]),
          'Δ surface brightness (arb.)',
          { map: 'diverging', domain: [-brightness[1], brightness[1]] },
        ),
      ],
      3,
    ),
  );

  const trueMasked = toNative(ds, ds.imageSlim);
  const model = toNative(ds, mapToImage(map, s));
  const imgDomain = extentOf(trueMasked, ds.mask);
  await writeFigure(
    join(o.out, 'image_comparison.png'),
    panelsSpec(
      'Image plane: true lensed image and the model T·s (inside the mask)',
      [
        {
          title: 'true lensed image',
          unit: 'surface brightness (arb.)',
          mesh,
          values: trueMasked,
          valid: ds.mask,
          domain: imgDomain,
        },
        {
          title: `model image T·s, c = ${best.c}`,
          unit: 'surface brightness (arb.)',
          mesh,
          values: model,
          valid: ds.mask,
          domain: imgDomain,
        },
        {
          title: 'model − truth',
          unit: 'Δ surface brightness (arb.)',
          mesh,
          values: model.map((v, i) => v - trueMasked[i]),
          valid: ds.mask,
          map: 'diverging',
          domain: [-imgDomain[1], imgDomain[1]],
        },
      ],
      3,
    ),
  );

  // The preload table W̃(Δ) = Σ_k cos(2π(Δx·u_k + Δy·v_k))/σ_k² over every pixel offset Δ: the natural-weighted dirty
  // beam (times Σ1/σ²). Offset 0 is moved to the centre; a symlog colour scale shows the sidelobes beside the peak.
  const ty = 2 * ds.ny,
    tx = 2 * ds.nx,
    d = o.pixelScaleArcsec;
  const shifted = new Float64Array(ty * tx);
  for (let a = 0; a < ty; a++)
    for (let b = 0; b < tx; b++) shifted[((a + ds.ny) % ty) * tx + ((b + ds.nx) % tx)] = preload[a * tx + b];
  const peak = extentOf(shifted)[1];
  await writeFigure(
    join(o.out, 'preload.png'),
    panelsSpec(
      'W̃ preload table: the dirty beam × Σ1/σ² at every pixel offset (Δy, Δx)',
      [
        {
          title: 'W̃(Δy, Δx), symlog colour scale',
          unit: 'W̃ (1/σ², arb.)',
          mesh: { rows: ty, cols: tx, yTop: ds.ny * d, xLeft: -ds.nx * d, dy: d, dx: d },
          values: shifted,
          map: 'diverging',
          domain: [-peak, peak],
          scale: 'symlog',
          axes: ['Δy (arcsec)', 'Δx (arcsec)'],
        },
        { title: 'true lensed image (full grid)', unit: 'surface brightness (arb.)', mesh, values: ds.lensedImage },
      ],
      2,
      300,
    ),
  );
}

/** Smallest and largest finite value (where valid). */
function extentOf(values: Float64Array, valid?: Uint8Array): [number, number] {
  let lo = Infinity,
    hi = -Infinity;
  values.forEach((v, i) => {
    if ((!valid || valid[i]) && Number.isFinite(v)) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  });
  return lo <= hi ? [lo, hi] : [0, 1];
}

async function main(): Promise<number> {
  let o: DemoOptions | 'help';
  try {
    o = parseOptions(process.argv.slice(2));
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`demo: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    throw e;
  }
  if (o === 'help') {
    console.log(USAGE);
    return 0;
  }
  try {
    await run(o);
    return 0;
  } catch (e) {
    console.error(`\ndemo failed: ${(e as Error).stack ?? String(e)}`);
    return 1;
  } finally {
    await shutdown();
  }
}

process.exitCode = await main();
