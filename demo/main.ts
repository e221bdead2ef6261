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
import { valueRange, writePanels, type Panel } from './png.ts';
import { progress } from './progress.ts';
import { makeRandom } from './random.ts';
import { bytes, correlation, fmt, pad, secs, table } from './report.ts';
import { coverage, mappingMatrix, mapToImage, neighbours, pixelCentre, sourceGridAround, sourcePixelCount } from './source_grid.ts';

type OnProgress = (fraction: number, message: string) => void;
interface Timing { step: string; ms: number; note: string }

const timings: Timing[] = [];

/** Run one step with a progress display and record its wall time. */
async function step<T>(name: string, fn: (onProgress: OnProgress) => Promise<T> | T, note: (r: T) => string = () => ''): Promise<T> {
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
  let d = 0, s = 0;
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
  const rt = await step('runtime start (worker pool)', () => getRuntime(o.threads), (r) => `${r.threads} threads`);

  // ---- data ------------------------------------------------------------------------------------
  const ds = await step(
    'dataset',
    (onProgress) => makeDataset({ n: o.n, pixelScaleArcsec: o.pixelScaleArcsec, maskRadiusPixels: o.maskRadiusPixels, k: o.k, snr: o.snr, seed: o.seed, oversample: o.oversample }, onProgress),
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
      return { grid, map, nb: neighbours(grid), s: sourcePixelCount(grid), coverage: coverage(map, sourcePixelCount(grid)) };
    },
    (r) => `S = ${r.grid.sy}×${r.grid.sx} = ${r.s}, B = ${o.b}, source pixel ${fmt(r.grid.dx, 3)}″ × ${fmt(r.grid.dy, 3)}″`,
  );
  const { map, nb, s: S } = src;
  const shape = [ds.ny, ds.nx];

  // ---- the likelihood ---------------------------------------------------------------------------
  const preload = await step(
    'wTildePreload',
    (onProgress) => wTildePreload({ noiseReal: ds.noiseReal, uv: ds.uv, shape, pixelScales: Float64Array.from(ds.pixelScales) }, kernelOptions(onProgress)),
    (p) => `table ${2 * ds.ny}×${2 * ds.nx} (${bytes(p.byteLength)}) over K = ${ds.k}`,
  );

  // Cross-check 1: W̃ expanded from the table equals W̃ computed directly, on a pixel subset (the direct
  // one costs P²·K cosines; the subset spans the mask, so the offsets cover most of the table).
  const pSub = Math.min(o.checkPixels, ds.m);
  const subIdx = Int32Array.from({ length: pSub }, (_, j) => Math.floor((j * ds.m) / pSub));
  const subNative = new Int32Array(2 * pSub), subGrid = new Float64Array(2 * pSub);
  subIdx.forEach((i, j) => {
    subNative[2 * j] = ds.nativeIndex[2 * i]; subNative[2 * j + 1] = ds.nativeIndex[2 * i + 1];
    subGrid[2 * j] = ds.grid[2 * i]; subGrid[2 * j + 1] = ds.grid[2 * i + 1];
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
    (onProgress) => curvatureMatrix({ preload, shape, nativeIndex: ds.nativeIndex, pixIndexes: map.pixIndexes, pixWeights: map.pixWeights, sourcePixels: S }, kernelOptions(onProgress)),
    () => `F ${S}×${S} from the table and T (M×B = ${ds.m}×${o.b})`,
  );
  const dirty = await step(
    'dirtyImage',
    (onProgress) => dirtyImage({ visibilities: ds.visibilities, noiseMap: ds.noiseMap, uv: ds.uv, grid: ds.grid }, kernelOptions(onProgress)),
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
      const uvSub = ds.uv.subarray(0, 2 * kSub), noiseSub = ds.noiseMap.subarray(0, 2 * kSub);
      const af = forwardTransform(ds, f, uvSub);
      let re = 0, im = 0;
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
    (onProgress) => dataVector({ dirtyImage: dirty, pixIndexes: map.pixIndexes, pixWeights: map.pixWeights, sourcePixels: S }, kernelOptions(onProgress)),
    () => `D (${S}) = Tᵀ·dirty`,
  );

  // Constant regularization for each coefficient; the evidence picks the most probable one.
  const evidences: { c: number; ev: LogEvidenceOutputs }[] = [];
  for (const c of o.coefficients) {
    const H = await step(
      `regularizationConstant c=${c}`,
      (onProgress) => regularizationConstant({ coefficient: c, neighbors: nb.neighbors, neighborsSizes: nb.neighborsSizes, sourcePixels: S }, kernelOptions(onProgress)),
      () => `H ${S}×${S}`,
    );
    const ev = await step(
      `logEvidence c=${c}`,
      (onProgress) => logEvidence({ curvature: F, regularization: H, dataVector: D, visibilities: ds.visibilities, noiseMap: ds.noiseMap }, kernelOptions(onProgress)),
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
  await step('PNGs', () => writePictures(o, ds, preload, dirty, src, truth, s, map), () => `in ${o.out}/`);

  // ---- report -----------------------------------------------------------------------------------
  const total = timings.reduce((a, t) => a + t.ms, 0);
  console.log(`\nTimings (${rt.threads} threads; M = ${ds.m}, K = ${ds.k}, S = ${S}, B = ${o.b}):\n`);
  console.log(table(['step', 'seconds', 'share', 'what'], [
    ...timings.map((t) => [t.step, secs(t.ms), `${((100 * t.ms) / total).toFixed(1)}%`, t.note]),
    ['total', secs(total), '100%', ''],
  ]));

  console.log(`\nLog evidence per regularization coefficient (* = most probable, used for the pictures):\n`);
  console.log(table(
    ['c', 'ln ε', 'χ²', 'χ²/2K', 'sᵀHs', 'ln det(F+H)', 'ln det H', 'Σ ln 2πσ²', 'corr(truth)'],
    evidences.map(({ c, ev }) => [
      `${c === best.c ? '*' : ' '} ${c}`, fmt(ev.logEvidence, 9), fmt(ev.chiSquared, 8), (ev.chiSquared / (2 * ds.k)).toFixed(4),
      fmt(ev.regularizationTerm), fmt(ev.logDetCurvatureReg, 8), fmt(ev.logDetRegularization, 8), fmt(ev.noiseNormalization, 9),
      corrOf(ev.reconstruction).toFixed(4),
    ]),
    [0],
  ));
  console.log(`\nChecks:`);
  console.log(`  W̃ from the preload table vs direct wTilde (${pSub} pixels): max |ΔW̃| / max |W̃| = ${wCheck.rel.toExponential(3)}`);
  console.log(`  adjoint ⟨A f, V/σ²⟩ vs ⟨f, dirtyImage(V)⟩: ${adjoint.rel.toExponential(3)} (with +sin in the forward model it would be ${adjoint.flipped.toExponential(3)})`);
  console.log(`  χ² (normal equations) vs Σ|V − A·T·s|²/σ²: ${(Math.abs(chi - best.ev.chiSquared) / chi).toExponential(3)}`);
  console.log(`  reconstruction (c = ${best.c}) vs true source, Pearson r over the ${truth.filter((_, i) => covered(i)).length} constrained source pixels: ${corrOf(s).toFixed(4)}`);
  console.log(`\nPictures in ${o.out}/: lensed_image.png, dirty_image.png, preload.png, source_true.png, source_reconstructed.png,`);
  console.log(`  source_comparison.png (true | reconstructed | difference), image_comparison.png (true | model T·s | difference)`);
}

/** All PNGs. Brightness in viridis, signed quantities in blue–white–red; grey = outside mask / unconstrained. */
function writePictures(
  o: DemoOptions, ds: Dataset, preload: Float64Array, dirty: Float64Array,
  src: { grid: { sy: number; sx: number }; coverage: Float64Array }, truth: Float64Array, s: Float64Array,
  map: ReturnType<typeof mappingMatrix>,
): void {
  const img = (values: Float64Array, valid?: Uint8Array, map: Panel['map'] = 'sequential', range = valueRange(values, valid)): Panel =>
    ({ width: ds.nx, height: ds.ny, values, valid, map, range });
  const symmetric = (v: Float64Array, valid?: Uint8Array): [number, number] => {
    const [lo, hi] = valueRange(v, valid);
    const a = Math.max(Math.abs(lo), Math.abs(hi)) || 1;
    return [-a, a];
  };

  writePanels(join(o.out, 'lensed_image.png'), [img(ds.lensedImage)]);
  writePanels(join(o.out, 'dirty_image.png'), [img(toNative(ds, dirty), ds.mask)]);

  // The preload table is the natural-weighted dirty beam (times Σ1/σ²): shift offset 0 to the centre,
  // and stretch with asinh so the sidelobes (a few % of the peak) are visible beside it.
  const ty = 2 * ds.ny, tx = 2 * ds.nx;
  const shifted = new Float64Array(ty * tx);
  for (let a = 0; a < ty; a++) for (let b = 0; b < tx; b++) shifted[((a + ds.ny) % ty) * tx + ((b + ds.nx) % tx)] = preload[a * tx + b];
  const [, peak] = symmetric(shifted);
  const soft = 0.02;
  const asinhStretch = (t: number) => 0.5 + (0.5 * Math.asinh((2 * t - 1) / soft)) / Math.asinh(1 / soft);
  writePanels(join(o.out, 'preload.png'), [{ width: tx, height: ty, values: shifted, map: 'diverging', range: [-peak, peak], stretch: asinhStretch }]);

  // Source plane: truth and reconstruction on the same scale; grey where no image pixel maps.
  const { sy, sx } = src.grid;
  const constrained = Uint8Array.from(src.coverage, (w) => (w > 0 ? 1 : 0));
  const range: [number, number] = [0, valueRange(truth)[1]];
  const srcPanel = (values: Float64Array, valid?: Uint8Array): Panel => ({ width: sx, height: sy, values, valid, map: 'sequential', range });
  const diff = s.map((v, i) => v - truth[i]);
  writePanels(join(o.out, 'source_true.png'), [srcPanel(truth)]);
  writePanels(join(o.out, 'source_reconstructed.png'), [srcPanel(s, constrained)]);
  writePanels(join(o.out, 'source_comparison.png'), [
    srcPanel(truth), srcPanel(s, constrained),
    { width: sx, height: sy, values: diff, valid: constrained, map: 'diverging', range: [-range[1], range[1]] },
  ]);

  // Image plane: the true lensed image, the model image T·s, their difference (same scale).
  const model = toNative(ds, mapToImage(map, s));
  const trueMasked = toNative(ds, ds.imageSlim);
  const imgRange = valueRange(trueMasked, ds.mask);
  writePanels(join(o.out, 'image_comparison.png'), [
    img(trueMasked, ds.mask, 'sequential', imgRange), img(model, ds.mask, 'sequential', imgRange),
    img(model.map((v, i) => v - trueMasked[i]), ds.mask, 'diverging', symmetric(trueMasked, ds.mask)),
  ]);
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
