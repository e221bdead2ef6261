// Builds a routed kernel (dsl/routes.ts) for a target as `lensc build` would — every route's module and the
// routed module beside them in one folder under test/.generated/ (inside the package, so 'lensc/runtime/*'
// resolves) — and imports the routed module. CUDA: each route's .cu is also compiled for the emulated device
// (test/cuda/emu), whose environment the caller must have set (test/differential/harness.ts skipReason).
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { planKernel, renderKernel, type Compiled, type Target } from '../../compiler/compile.ts';
import { planRoutes, renderRoutes, type RoutedManifest } from '../../compiler/compile_routes.ts';
import type { Kernel } from '../../dsl/kernel.ts';
import type { RoutedKernel } from '../../dsl/routes.ts';
import { buildEmu } from '../cuda/emu/emu.ts';

const GEN = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '.generated',
  'routes',
  String(process.pid),
);
let counter = 0;
let emu: ReturnType<typeof buildEmu> | undefined;

type Run = (inputs: Record<string, unknown>, options?: Record<string, unknown>) => Promise<any>;
export interface RoutedBuild {
  run: Run;
  chooseRouteFor: (
    inputs: Record<string, unknown>,
    options?: { route?: string },
  ) => { route: string; forced: boolean; seconds: Record<string, number>; sizes: Record<string, number> };
  manifest: RoutedManifest;
  code: string;
}

export async function buildRouted(rk: RoutedKernel, target: Target): Promise<RoutedBuild> {
  const dir = path.join(GEN, `b${counter++}`, target);
  mkdirSync(dir, { recursive: true });
  const compiled = new Map<Kernel, Compiled>();
  const codes: string[] = [];
  const libs: string[] = [];
  for (const r of rk.routes) {
    const c = planKernel(r.kernel, target);
    const { code, extra } = renderKernel(c, target);
    compiled.set(r.kernel, c);
    codes.push(code);
    writeFileSync(path.join(dir, `${c.manifest.file}.js`), code);
    if (target === 'cuda') {
      emu ??= buildEmu();
      if (emu.skip !== undefined) throw new Error(`buildRouted(cuda): ${emu.skip}`);
      libs.push(emu.compileKernels(`${c.manifest.file}_r${counter}`, extra![`${c.manifest.file}.cu`]!));
    }
  }
  if (target === 'cuda')
    process.env.LENSC_EMU_KERNELS = [process.env.LENSC_EMU_KERNELS, ...libs].filter(Boolean).join(':');
  const cr = planRoutes(rk, target, {}, (k) => compiled.get(k)!);
  const { code } = renderRoutes(cr, codes);
  const file = path.join(dir, `${cr.manifest.file}.js`);
  writeFileSync(file, code);
  const mod = await import(pathToFileURL(file).href);
  return { run: mod[rk.name], chooseRouteFor: mod.chooseRouteFor, manifest: mod.manifest, code };
}
