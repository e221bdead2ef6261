// Prints `export` lines that put this shell on the emulated CUDA device (emu.ts) with the committed
// kernels/cuda modules compiled as host code, so the GPU-host scripts in bench/gpu can be smoke-run
// here:  npx tsx test/cuda/emu/print_env.ts > /tmp/emu.sh && . /tmp/emu.sh && node bench/gpu/conformance.mjs
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildEmu } from './emu.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const dir = path.join(root, 'kernels', 'cuda');
const emu = buildEmu();
if (emu.skip !== undefined) {
  console.error(`cannot build the emulated device: ${emu.skip}`);
  process.exit(1);
}
const libs = fs.readdirSync(dir).filter((f) => f.endsWith('.cu')).sort()
  .map((f, i) => emu.compileKernels(`${f.slice(0, -3)}_${i}`, fs.readFileSync(path.join(dir, f), 'utf8')));
for (const [k, v] of Object.entries({ ...emu.env, LENSC_EMU_KERNELS: libs.join(':') })) console.log(`export ${k}='${v}'`);
