// The WGSL kernels beside the JS kernels on the same inputs (`npm run bench -- --only wgsl`; also part of
// the default run). In CI and here WebGPU is Mesa's llvmpipe — a CPU rasteriser — so these figures
// record what the WGSL path costs without a GPU (and that it agrees with f64), not GPU speed. Each
// kernel is called once first (pipeline compilation, worker start), then timed; medians.
import { getGpu } from '../backends/wgsl/runtime/index.js';
import { frobErr } from '../test/helpers/random.ts';
import {
  GPU_KERNELS,
  load,
  makeCase,
  withDirty,
  type InterferometerCase,
  type KernelCase,
} from '../test/wgsl/kernels.ts';
import { timeIt } from './harness.ts';

export interface WgslRow {
  step: string;
  wgsl: number;
  js: number;
  note: string;
}

/** A bench plan: which std kernel runs on which case (makeCase's arguments). */
export type CasePlan = [string, Parameters<typeof makeCase>][];

/**
 * The plan's kernels with their cases and inputs, one case built (with its dirty image) per distinct set of
 * makeCase arguments however many kernels share it.
 */
export async function* planCases(
  plan: CasePlan,
): AsyncGenerator<{ name: string; k: KernelCase; c: InterferometerCase }> {
  const cases = new Map<string, Promise<InterferometerCase>>();
  for (const [name, args] of plan) {
    const key = JSON.stringify(args);
    if (!cases.has(key)) cases.set(key, withDirty(makeCase(...args)));
    yield { name, k: GPU_KERNELS.find((x) => x.name === name)!, c: await cases.get(key)! };
  }
}

/** Which kernel runs on which case: W̃ costs M²·K, so its cases keep M modest. */
const PLAN: CasePlan = [
  ['wTilde', [32, { radius: 8 }, 2048, 1]],
  ['wTildeDirect', [32, { radius: 8 }, 2048, 1]],
  ['wTildePreloadGemm', [32, { radius: 15 }, 8192, 2]],
  ['curvatureMatrixSparse', [32, { radius: 15 }, 8192, 2]],
  ['dirtyImage', [32, { radius: 15 }, 8192, 2]],
  ['dataVector', [32, { radius: 15 }, 8192, 2]],
];

export async function benchWgsl(repeats: number): Promise<WgslRow[]> {
  const gpu = await getGpu();
  console.log(
    `WGSL kernels on ${gpu.adapterInfo.device || gpu.adapterInfo.description} (${gpu.backend}) beside JS (2 threads), same inputs`,
  );
  const rows: WgslRow[] = [];
  for await (const { name, k, c } of planCases(PLAN)) {
    const inputs = k.inputs(c);
    const [js, wgsl] = [await load('js', k), await load('wgsl', k)];
    const tj = await timeIt(() => js(inputs, { threads: 2 }), repeats);
    const tw = await timeIt(() => wgsl(inputs), repeats);
    const err = frobErr(tw.last as Float64Array, tj.last as Float64Array);
    rows.push({
      step: `${name} ${c.label} (wgsl)`,
      wgsl: tw.median,
      js: tj.median,
      note: `rel. Frobenius error vs f64 ${err.toExponential(1)}`,
    });
  }
  return rows;
}
