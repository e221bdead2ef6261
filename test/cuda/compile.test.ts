// The CUDA C generated for every std kernel compiles for sm_90 with nvcc (-cubin) and with NVRTC
// through the runtime (what a GPU host does on first use). nvcc is skipped only where it is not
// installed; NVRTC likewise outside CI (in CI, .ci/cuda-setup.sh installs it, so missing is a failure).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileToCubin, nvrtcAvailable } from '../../backends/cuda/runtime/index.js';
import { planKernel, renderKernel } from '../../compiler/compile.ts';
import { isKernel, type Kernel } from '../../dsl/index.ts';
import * as std from '../../std/index.ts';

const nvcc = (() => {
  try {
    return execFileSync('sh', ['-c', 'command -v nvcc'], { encoding: 'utf8' }).trim() || null;
  } catch {
    return null;
  }
})();
const haveNvrtc = await nvrtcAvailable();
const missingNvrtc = 'NVRTC (libnvrtc.so.13) not installed: run .ci/cuda-setup.sh or set LENSC_NVRTC_PATH';

const sources = (Object.values(std).filter(isKernel) as Kernel[]).map((k) => {
  const c = planKernel(k, 'cuda');
  return [k.name, renderKernel(c, 'cuda').extra![`${c.manifest.file}.cu`]!] as const;
});

/** cubins are ELF files for machine EM_CUDA (190) */
function expectCubin(b: Uint8Array) {
  expect(Array.from(b.subarray(0, 4))).toEqual([0x7f, 0x45, 0x4c, 0x46]);
  expect(b[18]! | (b[19]! << 8)).toBe(190);
}

describe('generated CUDA C', () => {
  it('exists for every std kernel, one extern "C" kernel per parallel stage', () => {
    expect(sources.length).toBeGreaterThanOrEqual(10);
    for (const [, cu] of sources) expect(cu).toMatch(/extern "C" __global__ void \w+\(/);
  });

  it.skipIf(!nvcc).each(sources)(
    `compiles with nvcc -arch=sm_90 -cubin: %s${nvcc ? '' : ' (skipped: nvcc not on PATH)'}`,
    (name, cu) => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lensc-nvcc-'));
      const src = path.join(dir, `${name}.cu`),
        out = path.join(dir, `${name}.cubin`);
      fs.writeFileSync(src, cu);
      try {
        execFileSync(nvcc!, ['-arch=sm_90', '-cubin', '-Werror', 'all-warnings', '-o', out, src], { stdio: 'pipe' });
      } catch (e) {
        throw new Error(`nvcc rejected ${name}.cu:\n${(e as { stderr?: Buffer }).stderr?.toString() ?? String(e)}`);
      }
      expectCubin(new Uint8Array(fs.readFileSync(out)));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  );

  it.runIf(process.env.CI && !haveNvrtc)('NVRTC is present in CI', () => {
    throw new Error(missingNvrtc);
  });

  it.skipIf(!haveNvrtc).each(sources)(
    `compiles with NVRTC (compileToCubin, sm_90): %s${haveNvrtc ? '' : ` (skipped: ${missingNvrtc})`}`,
    async (name, cu) => {
      expectCubin(await compileToCubin(cu, 'sm_90', { name: `${name}.cu` }));
    },
  );
});
