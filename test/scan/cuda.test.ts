// General scans compiled for the CUDA target, run on the emulated device (test/cuda/emu: the generated
// module unchanged, its source compiled by the real NVRTC, the kernel bodies executed on the CPU):
// every case of cases.ts against the f64 reference interpreter and its independent expectation, and
// the conjugate-gradient solve against the CUDA Cholesky solve. Skips (with the reason) without a C
// compiler, cuda.h or NVRTC.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shutdown } from '../../backends/js/runtime/index.js';
import { nvrtcAvailable } from '../../backends/cuda/runtime/index.js';
import { interpret } from '../../backends/reference/interpret.ts';
import type { Kernel } from '../../dsl/index.ts';
import { buildEmu } from '../cuda/emu/emu.ts';
import { writeCudaModule } from '../cuda/helpers.ts';
import { relErr } from '../helpers/random.ts';
import { choleskySolve, conjugateGradient, errOf, scanCases, type Outputs } from './cases.ts';

const emu = buildEmu();
if (emu.skip === undefined) Object.assign(process.env, emu.env);
const skip =
  emu.skip ?? ((await nvrtcAvailable()) ? undefined : 'NVRTC (libnvrtc.so.13) not installed: run .ci/cuda-setup.sh');

type Run = (inputs: Record<string, unknown>, options?: Record<string, unknown>) => Promise<any>;
const runs = new Map<string, { run: Run; outputs: string[] }>();
const cases = scanCases();

const asOutputs = (r: unknown, names: string[]): Outputs =>
  names.length === 1 && (ArrayBuffer.isView(r) || typeof r === 'number')
    ? { [names[0]!]: typeof r === 'number' ? [r] : (r as Float64Array) }
    : Object.fromEntries(Object.entries(r as object).map(([k, v]) => [k, typeof v === 'number' ? [v] : v]));

afterAll(() => shutdown());

describe.skipIf(!!skip)(
  skip ? `general scans on CUDA (emulated device; skipped: ${skip})` : 'general scans on CUDA (emulated device)',
  () => {
    beforeAll(async () => {
      if (emu.skip !== undefined) return;
      const libs: string[] = [];
      const mods: [Kernel, string][] = [];
      for (const k of [...cases.map((c) => c.kernel), choleskySolve]) {
        const b = writeCudaModule(k);
        libs.push(emu.compileKernels(`${b.file}_${libs.length}`, b.cu));
        mods.push([k, b.url]);
      }
      // all kernel libraries are known before the first kernel is looked up
      process.env.LENSC_EMU_KERNELS = libs.join(':');
      for (const [k, url] of mods) {
        const mod = await import(url);
        runs.set(k.name, { run: mod[k.name], outputs: mod.manifest.outputs.map((o: { name: string }) => o.name) });
      }
    }, 300_000);

    for (const c of cases) {
      it(`${c.kernel.name}: equals the reference interpreter and its independent expectation`, async () => {
        const { run, outputs: names } = runs.get(c.kernel.name)!;
        for (const inp of c.inputs) {
          const progress: string[] = [];
          const got = asOutputs(
            await run(inp.inputs, { ...inp.options, onProgress: (_f: number, m: string) => progress.push(m) }),
            names,
          );
          if (inp.chunked) expect(progress.length, `${c.kernel.name} ${inp.label}: chunks`).toBeGreaterThanOrEqual(2);
          const ref = asOutputs(interpret(c.kernel.graph(), inp.inputs), names);
          for (const n of names) {
            expect(got[n]!.length, `${c.kernel.name} ${inp.label}: ${n} length`).toBe(ref[n]!.length);
            expect(
              errOf(got[n]!, ref[n]!, inp.scale?.[n]),
              `${c.kernel.name} ${inp.label}: ${n} vs interpreter`,
            ).toBeLessThanOrEqual(c.tol.f64);
          }
          for (const [n, want] of Object.entries(inp.expect)) {
            expect(
              relErr(got[n]!, want),
              `${c.kernel.name} ${inp.label}: ${n} vs independent reference`,
            ).toBeLessThanOrEqual(c.tol.f64);
          }
          if (inp.exact)
            expect(Math.abs(got[inp.exact.output]![inp.exact.index]! - inp.exact.value)).toBeLessThanOrEqual(
              1e-12 * Math.abs(inp.exact.value),
            );
        }
      });
    }

    it('conjugate gradient equals the CUDA Cholesky solve', async () => {
      const cg = runs.get(conjugateGradient.name)!.run,
        chol = runs.get(choleskySolve.name)!.run;
      for (const inp of cases.find((x) => x.kernel === conjugateGradient)!.inputs) {
        const { f, h, d } = inp.inputs as Record<string, Float64Array>;
        expect(relErr((await cg(inp.inputs)).s, await chol({ f, h, d })), inp.label).toBeLessThanOrEqual(1e-9);
      }
    });
  },
);
