// Builds the emulated CUDA device the CUDA backend's end-to-end tests run on (no GPU here): the fake
// driver, cuBLAS and cuFFT of test/cuda-runtime/fake, wrapped by emu_driver.c so that the generated kernels
// really run — each .cu compiled as host C++ with prelude.h, one library per module, each kernel
// exported as lensc_emu_<name>(void **params) by a wrapper derived from its signature. The
// generated module itself is unchanged: NVRTC (real) compiles its source, the host code drives the
// "device" through the runtime, and only the kernel bodies execute on the CPU.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildFakes, findCudaInclude } from '../../cuda-runtime/fake/build.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

export type Emu =
  | { skip?: undefined; dir: string; env: Record<string, string>; compileKernels(name: string, cu: string): string }
  | { skip: string };

/** extern "C" wrappers calling each kernel of a .cu with its arguments unpacked from void **params. */
export function wrappers(cu: string): string {
  const out: string[] = [];
  for (const m of cu.matchAll(/extern "C" __global__ void (\w+)\(([^)]*)\)/g)) {
    const params = m[2]!
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean);
    const args = params.map(
      (p, i) =>
        `*(${p
          .replace(/__restrict__/g, '')
          .replace(/\s*\w+$/, '')
          .trim()}*)p[${i}]`,
    );
    out.push(`extern "C" void lensc_emu_${m[1]}(void **p) { ${m[1]}(${args.join(', ')}); }`);
  }
  return out.join('\n');
}

export function buildEmu(): Emu {
  const fakes = buildFakes();
  if (fakes.skip !== undefined) return { skip: fakes.skip };
  const inc = findCudaInclude()!;
  try {
    execFileSync('sh', ['-c', 'command -v g++'], { stdio: 'pipe' });
  } catch {
    return { skip: 'no C++ compiler (g++) to build the emulated kernels' };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lensc-cuda-emu-'));
  const driver = path.join(dir, 'libcuda_emu.so');
  // The fake under another name: a library loaded as "libcuda.so.1" would be what NVRTC's own
  // dlopen("libcuda.so.1") finds, and NVRTC then crashes calling into it.
  const fake = path.join(dir, 'libfakecuda.so');
  fs.copyFileSync(fakes.driver, fake);
  execFileSync(
    'cc',
    [
      '-shared',
      '-fPIC',
      '-O1',
      '-Wall',
      '-Werror',
      `-I${inc}`,
      '-o',
      driver,
      path.join(here, 'emu_driver.c'),
      `-L${dir}`,
      '-Wl,--no-as-needed',
      '-l:libfakecuda.so',
      `-Wl,-rpath,${dir}`,
      '-Wl,--disable-new-dtags',
      '-ldl',
    ],
    { stdio: 'pipe' },
  );
  const env = {
    LENSC_CUDA_DRIVER_PATH: driver,
    LENSC_CUBLAS_PATH: fakes.cublas,
    LENSC_CUFFT_PATH: fakes.cufft,
    LENSC_EMU_FAKE_DRIVER: fake,
    FAKE_CUDA_MEM: String(1024 * 2 ** 20),
  };
  return {
    dir,
    env,
    compileKernels(name: string, cu: string): string {
      const src = path.join(dir, `${name}.cpp`),
        lib = path.join(dir, `lib${name}.so`);
      fs.writeFileSync(src, `#include "${path.join(here, 'prelude.h')}"\n${cu}\n${wrappers(cu)}\n`);
      execFileSync(
        'g++',
        [
          '-shared',
          '-fPIC',
          '-O1',
          '-std=c++17',
          '-Wall',
          '-Wno-unused-variable',
          '-Wno-unused-but-set-variable',
          '-o',
          lib,
          src,
        ],
        { stdio: 'pipe' },
      );
      return lib;
    },
  };
}
