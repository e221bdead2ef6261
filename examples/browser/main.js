// The browser example: fetches the demo's data (data.json, written by build.mjs), runs the std likelihood with
// the WGSL kernels on navigator.gpu, and the f64 steps (regularization, log evidence: `requiresF64`, which the
// WGSL target hands to the JS kernels) on lensc's browser runtime — picked by the "browser" export condition, no
// `node:` import. Draws the dirty image and the reconstruction, lists the evidence per coefficient, and leaves
// every number on window.lenscResult for the Playwright test (test/browser/page.spec.ts).
import { wTildePreload } from 'lensc/kernels/wgsl/w_tilde_preload.js';
import { curvatureMatrix } from 'lensc/kernels/wgsl/curvature_matrix.js';
import { dirtyImage } from 'lensc/kernels/wgsl/dirty_image.js';
import { dataVector } from 'lensc/kernels/wgsl/data_vector.js';
import { regularizationConstant } from 'lensc/kernels/wgsl/regularization_constant.js';
import { logEvidence } from 'lensc/kernels/wgsl/log_evidence.js';

const status = document.getElementById('status');
const timings = {};

async function timed(name, fn) {
  status.textContent = `running ${name}…`;
  const t0 = performance.now();
  const r = await fn();
  timings[name] = performance.now() - t0;
  return r;
}

/** Values on an h×w canvas, viridis-like ramp between lo and hi; `valid` 0 draws grey. */
function draw(canvas, w, h, values, valid) {
  canvas.width = w;
  canvas.height = h;
  const ctx = canvas.getContext('2d');
  const img = ctx.createImageData(w, h);
  let lo = Infinity,
    hi = -Infinity;
  values.forEach((v, i) => {
    if (!valid || valid[i]) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  });
  const stops = [
    [68, 1, 84],
    [59, 82, 139],
    [33, 145, 140],
    [94, 201, 98],
    [253, 231, 37],
  ];
  values.forEach((v, i) => {
    let rgb = [200, 200, 200];
    if (!valid || valid[i]) {
      const t = hi > lo ? (v - lo) / (hi - lo) : 0.5,
        x = t * (stops.length - 1),
        j = Math.min(stops.length - 2, Math.floor(x)),
        f = x - j;
      rgb = stops[j].map((a, c) => a + f * (stops[j + 1][c] - a));
    }
    img.data.set([...rgb, 255], 4 * i);
  });
  ctx.putImageData(img, 0, 0);
}

async function run() {
  if (!navigator.gpu) throw new Error('this browser has no WebGPU (navigator.gpu)');
  const d = await (await fetch('data.json')).json();
  const shape = [d.ny, d.nx];
  // The GEMM route: in f32 its table is within the WGSL contract (1e-4) on SwiftShader, where the NUFFT route — which
  // the cost model picks at this K — is not (1.5e-4: SwiftShader's f32 exp and cos are less accurate than llvmpipe's).
  const preload = await timed('wTildePreload', () =>
    wTildePreload({ noiseReal: d.noiseReal, uv: d.uv, shape, pixelScales: d.pixelScales }, { route: 'gemm' }),
  );
  const F = await timed('curvatureMatrix', () =>
    curvatureMatrix({
      preload,
      shape,
      nativeIndex: d.nativeIndex,
      pixIndexes: d.pixIndexes,
      pixWeights: d.pixWeights,
      sourcePixels: d.s,
    }),
  );
  const dirty = await timed('dirtyImage', () =>
    dirtyImage({ visibilities: d.visibilities, noiseMap: d.noiseMap, uv: d.uv, grid: d.grid }),
  );
  const D = await timed('dataVector', () =>
    dataVector({ dirtyImage: dirty, pixIndexes: d.pixIndexes, pixWeights: d.pixWeights, sourcePixels: d.s }),
  );
  const evidences = [];
  for (const c of d.coefficients) {
    const H = await timed(`regularizationConstant c=${c}`, () =>
      regularizationConstant({ coefficient: c, neighbors: d.neighbors, neighborsSizes: d.neighborsSizes }),
    );
    const ev = await timed(`logEvidence c=${c}`, () =>
      logEvidence({
        curvature: F,
        regularization: H,
        dataVector: D,
        visibilities: d.visibilities,
        noiseMap: d.noiseMap,
      }),
    );
    evidences.push({
      c,
      logEvidence: ev.logEvidence,
      chiSquared: ev.chiSquared,
      reconstruction: Array.from(ev.reconstruction),
    });
  }
  const best = evidences.reduce((a, b) => (b.logEvidence > a.logEvidence ? b : a));

  const native = new Float64Array(d.ny * d.nx);
  for (let i = 0; i < d.m; i++) native[d.nativeIndex[2 * i] * d.nx + d.nativeIndex[2 * i + 1]] = dirty[i];
  draw(document.getElementById('dirty'), d.nx, d.ny, native, d.mask);
  draw(document.getElementById('source'), d.sx, d.sy, best.reconstruction);
  const body = document.querySelector('#evidence tbody');
  for (const e of evidences) {
    const tr = document.createElement('tr');
    tr.innerHTML = `<td>${e.c === best.c ? '* ' : ''}${e.c}</td><td>${e.logEvidence.toFixed(3)}</td><td>${e.chiSquared.toFixed(2)}</td>`;
    body.append(tr);
  }
  const total = Object.values(timings).reduce((a, b) => a + b, 0);
  status.textContent = `done in ${(total / 1000).toFixed(2)} s: M = ${d.m}, K = ${d.k}, S = ${d.s}; most probable c = ${best.c}`;
  window.lenscResult = {
    preload: Array.from(preload),
    curvature: Array.from(F),
    dirtyImage: Array.from(dirty),
    dataVector: Array.from(D),
    evidences,
    best: best.c,
    timings,
  };
  document.body.dataset.state = 'done';
}

run().catch((e) => {
  status.textContent = `error: ${e?.stack ?? e}`;
  window.lenscError = String(e?.stack ?? e);
  document.body.dataset.state = 'error';
});
