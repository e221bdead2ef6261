// WGSL in df64 beside WGSL in f32 (and the f64 JS kernel) on the same inputs: what float64-grade
// results cost on this machine's WebGPU (`npm run bench -- --only df64`). Here that is Mesa's llvmpipe
// (a CPU rasteriser), so the ratio df64 ÷ f32 is the figure to read, not the absolute times. Each kernel
// is compiled in df64 at run time (as `lensc build --wgsl-precision df64` would), called once first
// (pipeline compilation), then timed; medians. df64 runs twice, with each TwoProduct forced
// (LENSC_WGSL_DF64_TWO_PRODUCT=dekker, then =fma: support/df64_two_product.js); the module by itself
// uses the variant the device's probe picks (llvmpipe: dekker — its fma is not fused, so the forced-fma
// results there are wrong and only its time is of interest).
import { getGpu } from '../backends/wgsl/runtime/index.js';
import { df64TwoProduct } from '../backends/wgsl/support/df64_two_product.js';
import type { Kernel } from '../dsl/kernel.ts';
import * as std from '../std/index.ts';
import { buildAndImport } from '../test/helpers/build.ts';
import { frobErr } from '../test/helpers/random.ts';
import { load } from '../test/wgsl/kernels.ts';
import { timeIt } from './harness.ts';
import { planCases, type CasePlan } from './wgsl.ts';

export interface Df64Row {
  step: string;
  /** df64 with Dekker's TwoProduct, and with the fma one (forced), and what the probe picks here */
  df64: number;
  df64Fma: number;
  errDf64Fma: number;
  twoProduct: string;
  f32: number;
  js: number;
  errDf64: number;
  errF32: number;
}

const PLAN: CasePlan = [
  ['wTilde', [32, { radius: 6 }, 2048, 1]],
  ['wTildePreloadGemm', [32, { radius: 15 }, 2048, 2]],
  ['curvatureMatrixSparse', [32, { radius: 15 }, 2048, 2]],
  ['dirtyImage', [32, { radius: 15 }, 2048, 2]],
  ['dataVector', [32, { radius: 15 }, 2048, 2]],
  ['curvatureMatrixFft', [32, { radius: 15 }, 2048, 2]],
];

export async function benchDf64(repeats: number): Promise<Df64Row[]> {
  const gpu = await getGpu();
  console.log(
    `WGSL df64 vs f32 on ${gpu.adapterInfo.device || gpu.adapterInfo.description} (${gpu.backend}), and JS f64 (2 threads), same inputs`,
  );
  const rows: Df64Row[] = [];
  for await (const { name, k, c } of planCases(PLAN)) {
    const inputs = k.inputs(c);
    const kernel = (std as unknown as Record<string, Kernel>)[name]!;
    const { run: df64 } = await buildAndImport({ ...kernel, precision: 'df64' }, 'wgsl');
    const [js, f32] = [await load('js', k), await load('wgsl', k)];
    const tj = await timeIt(() => js(inputs, { threads: 2 }), repeats);
    const tf = await timeIt(() => f32(inputs), repeats);
    const variant = async (v: string) => {
      const saved = process.env.LENSC_WGSL_DF64_TWO_PRODUCT;
      process.env.LENSC_WGSL_DF64_TWO_PRODUCT = v;
      try {
        return await timeIt(() => df64(inputs), repeats);
      } finally {
        if (saved === undefined) delete process.env.LENSC_WGSL_DF64_TWO_PRODUCT;
        else process.env.LENSC_WGSL_DF64_TWO_PRODUCT = saved;
      }
    };
    const td = await variant('dekker');
    const tfma = await variant('fma');
    const ref = tj.last as Float64Array;
    const row = {
      step: `${name} ${c.label}`,
      df64: td.median,
      df64Fma: tfma.median,
      errDf64Fma: frobErr(tfma.last as Float64Array, tj.last as Float64Array),
      twoProduct: await df64TwoProduct(gpu),
      f32: tf.median,
      js: tj.median,
      errDf64: frobErr(td.last as Float64Array, ref),
      errF32: frobErr(tf.last as Float64Array, ref),
    };
    console.log(
      `  ${row.step}: df64 ${(row.df64 * 1e3).toFixed(1)} ms (Dekker) | ${(row.df64Fma * 1e3).toFixed(1)} ms (fma forced; error ${row.errDf64Fma.toExponential(1)}) | probe picks ${row.twoProduct} | f32 ${(row.f32 * 1e3).toFixed(1)} ms | df64/f32 ${(row.df64 / row.f32).toFixed(1)}× | js ${(row.js * 1e3).toFixed(1)} ms | error vs f64: df64 ${row.errDf64.toExponential(1)}, f32 ${row.errF32.toExponential(1)}`,
    );
    rows.push(row);
  }
  return rows;
}
