// @ts-check
// Where the runtime looks for libcuda, NVRTC and cuBLAS, in order. One place, so error messages can
// list exactly what was tried and users know which variable to set:
//   LENSC_CUDA_DRIVER_PATH  libcuda.so.1 (file)          — else the dynamic linker's search (driver installs it)
//   LENSC_NVRTC_PATH        libnvrtc.so.13 (file or folder)
//   LENSC_CUBLAS_PATH       libcublas.so.13 (file or folder)
//   LENSC_CUFFT_PATH        libcufft.so.12 (file or folder)
// An override is exclusive: when it is set and does not load, that is the error, not a silent fallback.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** @typedef {import('./ffi.js').LibCandidate} LibCandidate */

const here = path.dirname(fileURLToPath(import.meta.url));
/** The folder .ci/cuda-setup.sh pip-installs NVRTC into, relative to a checkout root. */
export const NVRTC_CACHE_SUBDIR = path.join('.cache', 'nvrtc', 'nvidia', 'cu13', 'lib');

/** @param {NodeJS.ProcessEnv} env @returns {string[]} folders that may hold CUDA toolkit libraries */
export function toolkitLibDirs(env) {
  /** @type {string[]} */
  const dirs = [];
  for (const d of (env.LD_LIBRARY_PATH ?? '').split(':')) if (d) dirs.push(d);
  for (const root of [env.CUDA_HOME, env.CUDA_PATH]) {
    if (root) dirs.push(path.join(root, 'targets', 'x86_64-linux', 'lib'), path.join(root, 'lib64'));
  }
  dirs.push(
    '/usr/local/cuda-13.0/targets/x86_64-linux/lib',
    '/usr/local/cuda/targets/x86_64-linux/lib',
    '/usr/local/cuda/lib64',
  );
  return [...new Set(dirs)];
}

/** @param {NodeJS.ProcessEnv} env @returns {LibCandidate[]} */
export function driverCandidates(env) {
  if (env.LENSC_CUDA_DRIVER_PATH) return [{ path: env.LENSC_CUDA_DRIVER_PATH }];
  // The soname first: the driver registers itself with ldconfig. Then the usual distro folders, for
  // processes started with an odd LD_LIBRARY_PATH. Never the toolkit's stubs/libcuda.so (it only fails).
  return [
    'libcuda.so.1',
    '/usr/lib/x86_64-linux-gnu/libcuda.so.1',
    '/usr/lib64/libcuda.so.1',
    '/usr/lib/wsl/lib/libcuda.so.1',
  ].map((p) => ({ path: p }));
}

/** @param {NodeJS.ProcessEnv} env @returns {LibCandidate[]} */
export function nvrtcCandidates(env) {
  const dirs = [
    path.resolve(here, '..', '..', '..', NVRTC_CACHE_SUBDIR), // the checkout this runtime lives in
    path.resolve(process.cwd(), NVRTC_CACHE_SUBDIR),
    ...toolkitLibDirs(env),
  ];
  return fromDirs(env.LENSC_NVRTC_PATH, dirs, 'libnvrtc.so.13', ['libnvrtc-builtins.so.13.0']);
}

/** @param {NodeJS.ProcessEnv} env @returns {LibCandidate[]} */
export function cublasCandidates(env) {
  return fromDirs(env.LENSC_CUBLAS_PATH, toolkitLibDirs(env), 'libcublas.so.13', ['libcublasLt.so.13']);
}

/** @param {NodeJS.ProcessEnv} env @returns {LibCandidate[]} */
export function cufftCandidates(env) {
  return fromDirs(env.LENSC_CUFFT_PATH, toolkitLibDirs(env), 'libcufft.so.12', []);
}

/**
 * @param {string | undefined} override  a file or a folder
 * @param {string[]} dirs  @param {string} file  @param {string[]} siblings  preloaded from the same folder
 * @returns {LibCandidate[]}
 */
function fromDirs(override, dirs, file, siblings) {
  /** @param {string} dir @param {string} p */
  const cand = (dir, p) => ({ path: p, preload: siblings.map((s) => path.join(dir, s)) });
  if (override) {
    const isDir = fs.existsSync(override) && fs.statSync(override).isDirectory();
    return [isDir ? cand(override, path.join(override, file)) : cand(path.dirname(override), override)];
  }
  /** @type {LibCandidate[]} */
  const out = [];
  for (const d of dirs) {
    const p = path.join(d, file);
    if (fs.existsSync(p)) out.push(cand(d, p));
  }
  out.push({ path: file }); // last: whatever the dynamic linker finds by soname
  return out;
}
