// wTildePreloadNufft on the CUDA target, end to end on the emulated device (test/cuda/emu: the fake driver and
// the fake cuFFT of test/cuda-runtime/fake, the generated kernels compiled as host C++; NVRTC compiles the same
// .cu): the spreading scatter, the cuFFT Z2Z transform of the oversampled grid and the deconvolution, against
// the direct double sum and the f64 JS kernel, relative to P[0, 0] = Σ 1/σ² as the kernel's accuracy parameter
// ε = 1e-12 is stated; K in one piece and in many chunks (a small budget).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shutdown } from '../../backends/js/runtime/index.js';
import { nvrtcAvailable } from '../../backends/cuda/runtime/index.js';
import { resolvePlan } from '../../backends/common/plan.js';
import { wTildePreloadNufft as nufftKernel } from '../../std/preload_nufft.ts';
import { wTildePreloadNufft as nufftJs } from '../../kernels/js/w_tilde_preload_nufft.js';
import { ARCSEC, preloadRef } from '../helpers/interferometer.ts';
import { rng } from '../helpers/random.ts';
import { buildEmu } from './emu/emu.ts';
import { writeCudaModule } from './helpers.ts';

const emu = buildEmu();
if (emu.skip === undefined) Object.assign(process.env, emu.env);
const skip =
  emu.skip ?? ((await nvrtcAvailable()) ? undefined : 'NVRTC (libnvrtc.so.13) not installed: run .ci/cuda-setup.sh');

afterAll(() => shutdown());

const d = 0.05 * ARCSEC;
/** Largest |a − b| over |b[0]| (the table's P[0, 0] = Σ 1/σ², its largest entry). */
const errVsOrigin = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let worst = 0;
  for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst / Math.abs(b[0]!);
};

describe.skipIf(!!skip)(
  skip
    ? `wTildePreloadNufft on the emulated CUDA device (skipped: ${skip})`
    : 'wTildePreloadNufft on the emulated CUDA device',
  () => {
    let run: (inputs: Record<string, unknown>, options?: Record<string, unknown>) => Promise<Float64Array>;
    let manifest: any;
    beforeAll(async () => {
      const b = writeCudaModule(nufftKernel);
      if (emu.skip !== undefined) return;
      process.env.LENSC_EMU_KERNELS = emu.compileKernels(`${b.file}_nufft`, b.cu);
      const mod = await import(b.url);
      run = mod.wTildePreloadNufft;
      manifest = mod.manifest;
    }, 300_000);

    it.each([
      ['10×10, K = 1500', 10, 10, 1500, 1, 1],
      ['9×7, d_x = 1.3·d_y, K = 301, uv over 3 periods', 9, 7, 301, 1.3, 3],
    ] as const)(
      '%s: equals the direct sum and the JS kernel to 1e-11 of P[0, 0]',
      async (_l, Ny, Nx, K, ratio, periods) => {
        const r = rng(Ny * 1000 + K);
        const uv = new Float64Array(2 * K),
          noiseReal = new Float64Array(K);
        for (let k = 0; k < 2 * K; k++) uv[k] = (periods * (r() - 0.5)) / d;
        for (let k = 0; k < K; k++) noiseReal[k] = 0.5 + r();
        const inputs = { noiseReal, uv, shape: [Ny, Nx], pixelScales: Float64Array.of(d, ratio * d) };
        const direct = preloadRef(noiseReal, uv, Ny, Nx, d, ratio * d);
        const js = await nufftJs(inputs, { threads: 1 });
        const got = await run(inputs);
        expect(got).toBeInstanceOf(Float64Array);
        expect(got).toHaveLength(4 * Ny * Nx);
        const [eDirect, eJs] = [errVsOrigin(got, direct), errVsOrigin(got, js)];
        console.log(`[nufft cuda emu] ${_l}: vs direct ${eDirect.toExponential(2)}, vs JS ${eJs.toExponential(2)}`);
        expect(eDirect).toBeLessThan(1e-11);
        expect(eJs).toBeLessThan(1e-12);
        // K in chunks of a few hundred: the scatter accumulates across chunks
        const budget = 1024 * Ny * Nx;
        const plan = resolvePlan(
          manifest.kernel,
          manifest.plan,
          { K, Ny, Nx },
          { budgetBytes: budget, preferredChunkBytes: Infinity },
        );
        expect(plan.chunks.K).toBeLessThan(K);
        const chunked = await run(inputs, { memoryBudgetBytes: budget });
        expect(errVsOrigin(chunked, direct)).toBeLessThan(1e-11);
      },
    );
  },
);
