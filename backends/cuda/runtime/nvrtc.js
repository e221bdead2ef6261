// @ts-check
// NVRTC (libnvrtc.so.13): CUDA C source → cubin for one sm_XY, with no driver and no GPU needed.
// That is what lets the compile path be tested on machines without a GPU, and what the Cuda object
// uses on a GPU host. Results are cached (cache.js) keyed by source, arch, options and NVRTC version.
import { CudaCompileError, CudaError, CudaUnavailableError } from './errors.js';
import { loadKoffi, openFirst, outBuf, readInt, readSize } from './ffi.js';
import { nvrtcCandidates } from './locate.js';
import { cacheGet, cacheKey, cachePut } from './cache.js';

const NVRTC_SUCCESS = 0;
const NVRTC_ERROR_COMPILATION = 6;

/**
 * Options every program gets. -default-device lets helpers omit __device__; c++17 for constexpr/if constexpr.
 * Sources meant to build with nvcc too should still mark helpers __device__.
 * @param {string} arch
 */
export function defaultOptions(arch) {
  return [`--gpu-architecture=${arch}`, '-default-device', '--std=c++17'];
}

/**
 * @typedef {{ api: Record<string, (...a: any[]) => any>, koffi: any, path: string,
 *   version: [number, number], archs: number[] }} Nvrtc
 */

/** @type {Nvrtc | null} */
let loaded = null;

/**
 * Loads NVRTC once (synchronously, given koffi). Throws CudaUnavailableError listing the paths tried.
 * @param {any} koffi @param {NodeJS.ProcessEnv} [env] @returns {Nvrtc}
 */
export function loadNvrtcSync(koffi, env = process.env) {
  if (loaded) return loaded;
  const opened = openFirst(koffi, nvrtcCandidates(env));
  if (!opened.lib) {
    throw new CudaUnavailableError(
      'NVRTC not found: libnvrtc.so.13 not loadable (tried ' +
        opened.tried.join('; ') +
        '). Run .ci/cuda-setup.sh, install the CUDA 13 toolkit, or set LENSC_NVRTC_PATH.',
    );
  }
  const lib = opened.lib;
  /** @type {Record<string, (...a: any[]) => any>} */
  const api = {};
  for (const proto of [
    'const char *nvrtcGetErrorString(int result)',
    'int nvrtcVersion(void *major, void *minor)',
    'int nvrtcGetNumSupportedArchs(void *numArchs)',
    'int nvrtcGetSupportedArchs(void *supportedArchs)',
    'int nvrtcCreateProgram(void *prog, const char *src, const char *name, int numHeaders, void *headers, void *includeNames)',
    'int nvrtcDestroyProgram(void *prog)',
    'int nvrtcCompileProgram(void *prog, int numOptions, const char **options)',
    'int nvrtcGetCUBINSize(void *prog, void *sizeRet)',
    'int nvrtcGetCUBIN(void *prog, void *cubin)',
    'int nvrtcGetProgramLogSize(void *prog, void *sizeRet)',
    'int nvrtcGetProgramLog(void *prog, void *log)',
  ]) {
    const name = /** @type {string} */ (proto.match(/(\w+)\(/)?.[1]);
    api[name] = lib.func(proto);
  }
  const maj = outBuf(),
    min = outBuf();
  check(api, 'nvrtcVersion', api.nvrtcVersion(maj, min));
  const n = outBuf();
  check(api, 'nvrtcGetNumSupportedArchs', api.nvrtcGetNumSupportedArchs(n));
  const archBuf = Buffer.alloc(4 * readInt(n));
  check(api, 'nvrtcGetSupportedArchs', api.nvrtcGetSupportedArchs(archBuf));
  const archs = Array.from(new Int32Array(archBuf.buffer, archBuf.byteOffset, readInt(n)));
  loaded = { api, koffi, path: opened.path, version: [readInt(maj), readInt(min)], archs };
  return loaded;
}

/** @returns {Promise<boolean>} whether NVRTC can be loaded (no GPU needed) */
export async function nvrtcAvailable() {
  try {
    loadNvrtcSync(await loadKoffi());
    return true;
  } catch {
    return false;
  }
}

/** @returns {Promise<{ path: string, version: [number, number], archs: number[] }>} */
export async function nvrtcInfo() {
  const n = loadNvrtcSync(await loadKoffi());
  return { path: n.path, version: n.version, archs: n.archs };
}

/**
 * Compiles CUDA C to a cubin with NVRTC. Async only because koffi is imported lazily.
 * @param {string} source  @param {string} arch  e.g. "sm_90"
 * @param {{ name?: string, options?: string[] }} [opts]  name: shown in NVRTC's log; options: appended
 * @returns {Promise<Uint8Array>}
 */
export async function compileToCubin(source, arch, opts = {}) {
  return compileSync(loadNvrtcSync(await loadKoffi()), source, arch, opts);
}

/**
 * @param {Nvrtc} nv @param {string} source @param {string} arch
 * @param {{ name?: string, options?: string[] }} [opts]
 * @returns {Uint8Array}
 */
export function compileSync(nv, source, arch, opts = {}) {
  const m = /^sm_(\d+)[af]?$/.exec(arch);
  if (!m) throw new TypeError(`CUDA arch must look like "sm_90", got ${JSON.stringify(arch)}`);
  if (!nv.archs.includes(Number(m[1]))) {
    const list = nv.archs.map((a) => `sm_${a}`).join(', ');
    throw new CudaCompileError(
      opts.name ?? 'kernel.cu',
      arch,
      `NVRTC ${nv.version.join('.')} cannot target ${arch}; it supports ${list}`,
    );
  }
  const name = opts.name ?? 'kernel.cu';
  const options = [...defaultOptions(arch), ...(opts.options ?? [])];
  const key = cacheKey(['nvrtc', nv.version.join('.'), arch, options.join('\u0000'), source]);
  const hit = cacheGet(key);
  if (hit) return hit;

  const { api } = nv;
  const progBox = outBuf();
  check(api, 'nvrtcCreateProgram', api.nvrtcCreateProgram(progBox, source, name, 0, null, null));
  const prog = progBox.readBigUInt64LE(0);
  try {
    const res = api.nvrtcCompileProgram(prog, options.length, options);
    if (res === NVRTC_ERROR_COMPILATION) throw new CudaCompileError(name, arch, programLog(api, prog));
    check(api, 'nvrtcCompileProgram', res, programLog(api, prog));
    const size = outBuf();
    check(api, 'nvrtcGetCUBINSize', api.nvrtcGetCUBINSize(prog, size));
    const cubin = new Uint8Array(readSize(size));
    check(api, 'nvrtcGetCUBIN', api.nvrtcGetCUBIN(prog, cubin));
    cachePut(key, cubin);
    return cubin;
  } finally {
    api.nvrtcDestroyProgram(progBox);
  }
}

/** @param {Record<string, (...a: any[]) => any>} api @param {bigint} prog @returns {string} */
function programLog(api, prog) {
  const size = outBuf();
  if (api.nvrtcGetProgramLogSize(prog, size) !== NVRTC_SUCCESS) return '';
  const buf = Buffer.alloc(readSize(size));
  if (buf.length === 0 || api.nvrtcGetProgramLog(prog, buf) !== NVRTC_SUCCESS) return '';
  return buf.toString('utf8').replace(/\0+$/, '');
}

/**
 * @param {Record<string, (...a: any[]) => any>} api @param {string} call @param {number} code
 * @param {string} [detail]
 */
function check(api, call, code, detail) {
  if (code === NVRTC_SUCCESS) return;
  throw new CudaError(call, code, String(api.nvrtcGetErrorString(code)), detail);
}
