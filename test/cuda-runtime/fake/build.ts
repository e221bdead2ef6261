// Builds the stand-in libcuda.so.1 / libcublas.so.13 / libcufft.so.12 (fake_cuda.c, fake_cublas.c, fake_cufft.c) into a temp folder.
// Returns a skip reason instead when there is no C compiler or no cuda.h (the fake includes the real
// header so its prototypes, and hence the runtime's bindings, are checked against the driver's).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

export type Fakes =
  | { driver: string; cublas: string; cufft: string; skip?: undefined }
  | { skip: string; driver?: undefined; cublas?: undefined; cufft?: undefined };

export function findCudaInclude(): string | null {
  const dirs = [
    process.env.CUDA_HOME && path.join(process.env.CUDA_HOME, 'include'),
    '/usr/local/cuda-13.0/include',
    '/usr/local/cuda/include',
  ];
  try {
    const nvcc = execFileSync('sh', ['-c', 'command -v nvcc'], { encoding: 'utf8' }).trim();
    if (nvcc) dirs.push(path.join(path.dirname(fs.realpathSync(nvcc)), '..', 'include'));
  } catch {
    /* no nvcc */
  }
  for (const d of dirs) if (d && fs.existsSync(path.join(d, 'cuda.h'))) return d;
  return null;
}

export function buildFakes(): Fakes {
  const inc = findCudaInclude();
  if (!inc) return { skip: 'no cuda.h (CUDA toolkit headers) to check the fake driver against' };
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'lensc-fake-cuda-'));
  const driver = path.join(out, 'libcuda.so.1');
  const cublas = path.join(out, 'libcublas.so.13');
  const cufft = path.join(out, 'libcufft.so.12');
  try {
    const cc = ['-shared', '-fPIC', '-O1', '-Wall', '-Werror'];
    execFileSync('cc', [...cc, `-I${inc}`, '-o', driver, path.join(here, 'fake_cuda.c'), '-lm'], { stdio: 'pipe' });
    execFileSync('cc', [...cc, '-o', cublas, path.join(here, 'fake_cublas.c')], { stdio: 'pipe' });
    execFileSync('cc', [...cc, '-o', cufft, path.join(here, 'fake_cufft.c'), '-lm'], { stdio: 'pipe' });
  } catch (e) {
    const err = e as { code?: string; stderr?: Buffer };
    if (err.code === 'ENOENT') return { skip: 'no C compiler (cc) to build the fake driver' };
    throw new Error(`building the fake CUDA libraries failed:\n${err.stderr?.toString() ?? String(e)}`);
  }
  return { driver, cublas, cufft };
}
