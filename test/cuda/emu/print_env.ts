// Prints `export` lines that put this shell on the emulated CUDA device (emu.ts) with the committed
// kernels/cuda modules compiled as host code, so the GPU-host scripts in bench/gpu can be smoke-run
// here:  npx tsx test/cuda/emu/print_env.ts > /tmp/emu.sh && . /tmp/emu.sh && node bench/gpu/conformance.mjs
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from '../../../compiler/aot/build.ts';
import { buildEmu } from './emu.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const emu = buildEmu();
if (emu.skip !== undefined) {
  console.error(`cannot build the emulated device: ${emu.skip}`);
  process.exit(1);
}
// the .cu source each kernels/cuda module embeds, as `lensc build --sources` writes it
const sources = [...(await generate(path.join(root, 'std', 'index.ts'), ['cuda'], { sources: true }))]
  .filter(([f]) => f.endsWith('.cu'))
  .sort(([a], [b]) => (a < b ? -1 : 1));
const libs = sources.map(([f, text], i) => emu.compileKernels(`${path.basename(f, '.cu')}_${i}`, text));
for (const [k, v] of Object.entries({ ...emu.env, LENSC_EMU_KERNELS: libs.join(':') }))
  console.log(`export ${k}='${v}'`);
