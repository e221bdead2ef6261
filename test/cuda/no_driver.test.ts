// Without a CUDA driver (this machine) every committed kernels/cuda module rejects with the runtime's
// CudaUnavailableError, prefixed with the kernel, and never crashes the process; input and option
// errors come first and are exactly the JS backend's (sizes are bound before the device is opened).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CudaUnavailableError, getCuda } from '../../backends/cuda/runtime/index.js';
import { stdCases } from '../../bench/gpu/cases.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const dir = path.join(root, 'kernels', 'cuda');
const files = fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.js'))
  .sort();
const hasCuda = await getCuda().then(
  () => true,
  () => false,
);
const cases = stdCases() as Record<string, Record<string, unknown>>;

type Mod = {
  manifest: { kernel: string; target: string; routes?: { name: string; kernel: string; file: string }[] };
  chooseRouteFor?: (inputs: unknown) => { route: string };
} & Record<string, (inputs: unknown, options?: unknown) => Promise<unknown>>;
const load = async (f: string): Promise<Mod> => import(pathToFileURL(path.join(dir, f)).href);
const errorOf = (p: Promise<unknown>): Promise<Error> =>
  p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: Error) => e,
  );

describe('kernels/cuda without a CUDA driver', () => {
  it('has a module embedding its CUDA source, with a manifest of target cuda, for every kernels/js module', async () => {
    for (const f of fs.readdirSync(path.join(root, 'kernels', 'js')).filter((x) => x.endsWith('.js'))) {
      expect(files, `kernels/cuda/${f}`).toContain(f);
    }
    for (const f of files) {
      const mod = await load(f);
      expect(mod.manifest.target).toBe('cuda');
      // a routed kernel's module is host code; each of its routes is a module beside it
      if (mod.manifest.routes) for (const r of mod.manifest.routes) expect(files).toContain(`${r.file}.js`);
      else
        expect(fs.readFileSync(path.join(dir, f), 'utf8'), `${f}: embeds its .cu`).toMatch(
          /^const SOURCE = `[^]*extern "C" __global__/m,
        );
    }
  });

  it.skipIf(hasCuda).each(files)('%s rejects with CudaUnavailableError naming the kernel and CUDA', async (f) => {
    const mod = await load(f);
    const name = mod.manifest.kernel;
    expect(mod.manifest.target).toBe('cuda');
    const inputs = cases[name];
    expect(inputs, `no test inputs for ${name}`).toBeDefined();
    const err = await errorOf(mod[name]!(inputs));
    expect(err).toBeInstanceOf(CudaUnavailableError);
    // a routed kernel's error names the route's kernel that ran
    const chosen = mod.chooseRouteFor?.(inputs).route;
    const runs = chosen
      ? (mod.manifest.routes as { name: string; kernel: string }[]).find((r) => r.name === chosen)!.kernel
      : name;
    expect(err.message).toMatch(new RegExp(`^${runs} \\(target cuda\\): no CUDA driver: libcuda\\.so\\.1 not found`));
  });

  it.each(files.filter((f) => fs.existsSync(path.join(root, 'kernels', 'js', f))))(
    '%s: wrong lengths and bad options fail as on JS, before the device',
    async (f) => {
      const [cuda, js] = [
        await load(f),
        (await import(pathToFileURL(path.join(root, 'kernels', 'js', f)).href)) as Mod,
      ];
      const name = cuda.manifest.kernel;
      const inputs = cases[name]!;
      const arrayParam = Object.keys(inputs).find((k) => ArrayBuffer.isView(inputs[k]))!;
      const short = { ...inputs, [arrayParam]: (inputs[arrayParam] as Float64Array).slice(1) };
      const bad = [
        [short, {}],
        [{ ...inputs, [arrayParam]: undefined }, {}],
        [inputs, { memoryBudgetBytes: -1 }],
        [inputs, { gpu: true }],
      ] as const;
      for (const [i, o] of bad) {
        const [ec, ej] = [await errorOf(cuda[name]!(i, o)), await errorOf(js[name]!(i, o))];
        expect(ec.constructor).toBe(ej.constructor);
        expect(ec.message).toBe(ej.message);
      }
    },
  );

  it.skipIf(hasCuda)('a plain node process calling a module survives, with the error in hand', () => {
    const script = `
      import { wTilde } from './kernels/cuda/w_tilde.js';
      try { await wTilde({ noiseReal: new Float64Array(3), uv: new Float64Array(6), grid: new Float64Array(8) }); console.log('unexpected: ran'); }
      catch (e) { console.log(JSON.stringify({ name: e.name, message: e.message })); }
      console.log('still alive');`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
    const [json, alive] = out.trim().split('\n');
    expect(JSON.parse(json!)).toMatchObject({
      name: 'CudaUnavailableError',
      message: expect.stringMatching(/^wTilde \(target cuda\): no CUDA driver/),
    });
    expect(alive).toBe('still alive');
  });
});
