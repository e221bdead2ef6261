// `npm run bench -- --only linalg`: the dense-linear-algebra cases of issue 14 (C1 W̃, C2 preload, C3 curvature,
// C4 log evidence) beside numpy in rounds: each round times lensc on the native BLAS, lensc on the WebAssembly
// fallback (C1 only; useNativeBlas(false)) and numpy with 2 OpenBLAS threads and with 1, one after another, so
// that a load spike from other users of the machine hits all of them alike (on a loaded machine numpy's 2-thread
// OpenBLAS collapses, so the 1-thread figure is the honest one there). Reported: medians over rounds of each
// side's per-round median, and the medians of the per-round ratios (numpy ÷ lensc), with the 1-minute load
// average at the start and end.
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import * as path from 'node:path';
import { blasInfo, useNativeBlas } from '../backends/js/runtime/index.js';
import { f64, i32, makeCase, median, runAnchor, timeIt } from './harness.ts';

export interface LinalgRow {
  step: string;
  lensc: number;
  anchor: string;
  anchorTime: number;
  ratio: number;
  ratios: number[];
  /** numpy with one OpenBLAS thread (OPENBLAS_NUM_THREADS=1): median time, median ratio, per-round ratios */
  anchorTime1: number;
  ratio1: number;
  ratios1: number[];
  target?: string;
}

interface CaseDef {
  step: string;
  target: string;
  run: () => Promise<unknown>;
  /** numpy's median time with this many OpenBLAS threads */
  anchor: (threads: number) => number;
  wasm?: string;
}

export async function benchLinalg(
  out: string,
  rounds: number,
  repeats: number,
): Promise<{ rows: LinalgRow[]; info: Record<string, unknown> }> {
  const numpyInfo = spawnSync('python3', ['bench/anchors/blas_info.py', '2'], { encoding: 'utf8' }).stdout.trim();
  const info = { lensc: blasInfo(), numpy: numpyInfo ? JSON.parse(numpyInfo) : 'unknown', loadStart: loadavg()[0] };
  console.log(`  lensc BLAS: ${JSON.stringify(info.lensc)}\n  numpy BLAS: ${numpyInfo}`);
  const cases: CaseDef[] = [];
  {
    const c = makeCase(path.join(out, 'wtilde'), 'wtilde', { N: 32, K: 8192, repeats });
    const { wTilde } = await import('../kernels/js/w_tilde.js');
    const inputs = { noiseReal: f64(c, 'noiseReal'), uv: f64(c, 'uv'), grid: f64(c, 'grid') };
    cases.push({
      step: 'C1 wTilde M=812 K=8192',
      target: '≥ 1.3 (wasm ≥ 0.8)',
      run: () => wTilde(inputs, { threads: 2 }),
      anchor: (t) => runAnchor('w_tilde_numpy.py', c.dir, repeats, ['--threads', String(t)])[0]!.median_s,
      wasm: 'C1 wTilde, WebAssembly fallback',
    });
  }
  {
    const c = makeCase(path.join(out, 'preload'), 'preload', { N: 64, K: 32768, repeats });
    const { wTildePreload, chooseRouteFor } = await import('../kernels/js/w_tilde_preload.js');
    const inputs = {
      noiseReal: f64(c, 'noiseReal'),
      uv: f64(c, 'uv'),
      shape: c.params.shape,
      pixelScales: Float64Array.from(c.params.pixelScales!),
    };
    // The issue's C2 is the GEMM route (cosines + two GEMMs, numpy's form); the routed kernel's own choice at these
    // sizes (the NUFFT since the routes landed) is timed as a second row.
    const anchor = (t: number) => runAnchor('preload_numpy.py', c.dir, repeats, ['--threads', String(t)])[0]!.median_s;
    cases.push({
      step: 'C2 preload N=64 K=32768 (GEMM route)',
      target: '≥ 1.3',
      run: () => wTildePreload(inputs, { threads: 2, route: 'gemm' }),
      anchor,
    });
    cases.push({
      step: `C2 preload N=64 K=32768 (routed: ${chooseRouteFor(inputs).route})`,
      target: '(the routed call)',
      run: () => wTildePreload(inputs, { threads: 2 }),
      anchor,
    });
  }
  {
    const c = makeCase(path.join(out, 'curvature'), 'curvature', { N: 64, K: 4096, S: 256, B: 3, repeats });
    const { curvatureMatrix, chooseRouteFor } = await import('../kernels/js/curvature_matrix.js');
    const inputs = {
      preload: f64(c, 'preload'),
      shape: [c.sizes.Ny!, c.sizes.Nx!],
      nativeIndex: i32(c, 'nativeIndex'),
      pixIndexes: i32(c, 'pixIndexes'),
      pixWeights: f64(c, 'pixWeights'),
      sourcePixels: c.sizes.S,
    };
    const anchor = (t: number) => {
      const rec = runAnchor('curvature_numpy.py', c.dir, repeats, ['--threads', String(t)])[0]!;
      const v = (rec.variants as { name: string; median_s: number }[] | undefined)?.find(
        (x) => x.name === 'dense_from_preload',
      );
      return v?.median_s ?? rec.median_s;
    };
    cases.push({
      step: 'C3 curvature M=3228 S=256 B=3 (sparse route)',
      target: '≥ 2 (vs expand + Tᵀ(W̃T))',
      run: () => curvatureMatrix(inputs, { threads: 2, route: 'sparse' }),
      anchor,
    });
    cases.push({
      step: `C3 curvature M=3228 S=256 B=3 (routed: ${chooseRouteFor(inputs).route})`,
      target: '(the routed call)',
      run: () => curvatureMatrix(inputs, { threads: 2 }),
      anchor,
    });
  }
  for (const S of [256, 1024]) {
    const c = makeCase(path.join(out, `evidence${S}`), 'evidence', { S, K: 4096, repeats });
    const { logEvidence } = await import('../kernels/js/log_evidence.js');
    const inputs = {
      curvature: f64(c, 'F'),
      regularization: f64(c, 'H'),
      dataVector: f64(c, 'D'),
      visibilities: f64(c, 'visibilities'),
      noiseMap: f64(c, 'noiseMap'),
    };
    const reps = Math.max(repeats, 20);
    cases.push({
      step: `C4 logEvidence S=${S}`,
      target: S === 256 ? '≥ 1.5' : '≥ 1.2',
      run: () => logEvidence(inputs, { threads: 2 }),
      anchor: (t) => runAnchor('log_evidence_numpy.py', c.dir, reps, ['--threads', String(t)])[0]!.median_s,
    });
  }

  const samples = new Map<string, { lensc: number[]; anchor: number[]; anchor1: number[]; target: string }>();
  const add = (step: string, target: string, lensc: number, anchor: number, anchor1: number) => {
    const s = samples.get(step) ?? { lensc: [], anchor: [], anchor1: [], target };
    s.lensc.push(lensc);
    s.anchor.push(anchor);
    s.anchor1.push(anchor1);
    samples.set(step, s);
  };
  for (let r = 0; r < rounds; r++) {
    for (const k of cases) {
      const reps = k.step.startsWith('C4') ? Math.max(repeats, 20) : repeats;
      const t = await timeIt(k.run, reps);
      let wasm = NaN;
      if (k.wasm) {
        useNativeBlas(false);
        try {
          wasm = (await timeIt(k.run, reps)).median;
        } finally {
          useNativeBlas(true);
        }
      }
      const a = k.anchor(2),
        a1 = k.anchor(1);
      add(k.step, k.target, t.median, a, a1);
      if (k.wasm) add(k.wasm, '≥ 0.8', wasm, a, a1);
      console.log(
        `  round ${r + 1}: ${k.step}: lensc ${(t.median * 1e3).toFixed(2)} ms${k.wasm ? `, wasm ${(wasm * 1e3).toFixed(2)} ms` : ''}, numpy ${(a * 1e3).toFixed(2)} ms (2 threads) ${(a1 * 1e3).toFixed(2)} ms (1 thread), load ${loadavg()[0].toFixed(1)}`,
      );
    }
  }
  const rows: LinalgRow[] = [];
  for (const [step, s] of samples) {
    const ratios = s.anchor.map((a, i) => a / s.lensc[i]!),
      ratios1 = s.anchor1.map((a, i) => a / s.lensc[i]!);
    rows.push({
      step,
      lensc: median(s.lensc),
      anchor: 'numpy',
      anchorTime: median(s.anchor),
      ratio: median(ratios),
      ratios,
      anchorTime1: median(s.anchor1),
      ratio1: median(ratios1),
      ratios1,
      target: s.target,
    });
  }
  return { rows, info: { ...info, loadEnd: loadavg()[0] } };
}
