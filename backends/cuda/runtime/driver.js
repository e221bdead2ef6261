// @ts-check
// Bindings to the CUDA driver API (libcuda.so.1) through koffi. Only what the runtime uses.
// Conventions: every call returns a CUresult (0 = CUDA_SUCCESS); out-parameters are declared `void *`
// and given 8-byte Buffers (see ffi.js); device pointers (CUdeviceptr) are uint64_t, passed as bigint;
// handles (CUcontext, CUmodule, CUfunction, CUevent) are opaque pointers, passed as bigint.
// Versioned symbols (_v2) are bound by their real names, as cuda.h's #defines would pick them.
import { CudaError, CudaUnavailableError } from './errors.js';
import { openFirst, outBuf, readInt, cString } from './ffi.js';

export const CUDA_SUCCESS = 0;
export const CUDA_ERROR_NO_DEVICE = 100;

/** CUdevice_attribute values (cuda.h). */
export const ATTR = {
  MAX_THREADS_PER_BLOCK: 1,
  MAX_BLOCK_DIM_X: 2,
  MAX_BLOCK_DIM_Y: 3,
  MAX_BLOCK_DIM_Z: 4,
  MAX_GRID_DIM_X: 5,
  MAX_GRID_DIM_Y: 6,
  MAX_GRID_DIM_Z: 7,
  MAX_SHARED_MEMORY_PER_BLOCK: 8,
  MULTIPROCESSOR_COUNT: 16,
  COMPUTE_CAPABILITY_MAJOR: 75,
  COMPUTE_CAPABILITY_MINOR: 76,
  MAX_SHARED_MEMORY_PER_BLOCK_OPTIN: 97,
};
/** CUfunction_attribute: needed to launch with more than 48 KiB of dynamic shared memory. */
export const FUNC_ATTR_MAX_DYNAMIC_SHARED_SIZE_BYTES = 8;

const PROTOS = [
  'int cuInit(unsigned int flags)',
  'int cuDriverGetVersion(void *version)',
  'int cuGetErrorName(int error, void *pStr)',
  'int cuGetErrorString(int error, void *pStr)',
  'int cuDeviceGetCount(void *count)',
  'int cuDeviceGet(void *device, int ordinal)',
  'int cuDeviceGetName(void *name, int len, int dev)',
  'int cuDeviceTotalMem_v2(void *bytes, int dev)',
  'int cuDeviceGetAttribute(void *pi, int attrib, int dev)',
  'int cuDevicePrimaryCtxRetain(void *pctx, int dev)',
  'int cuCtxSetCurrent(void *ctx)',
  'int cuCtxSynchronize()',
  'int cuModuleLoadData(void *module, const void *image)',
  'int cuModuleUnload(void *hmod)',
  'int cuModuleGetFunction(void *hfunc, void *hmod, const char *name)',
  'int cuFuncSetAttribute(void *hfunc, int attrib, int value)',
  'int cuLaunchKernel(void *f, unsigned int gridDimX, unsigned int gridDimY, unsigned int gridDimZ, ' +
    'unsigned int blockDimX, unsigned int blockDimY, unsigned int blockDimZ, unsigned int sharedMemBytes, ' +
    'void *hStream, void **kernelParams, void **extra)',
  'int cuMemAlloc_v2(void *dptr, size_t bytesize)',
  'int cuMemFree_v2(uint64_t dptr)',
  'int cuMemcpyHtoD_v2(uint64_t dstDevice, const void *srcHost, size_t byteCount)',
  'int cuMemcpyDtoH_v2(void *dstHost, uint64_t srcDevice, size_t byteCount)',
  'int cuMemsetD8_v2(uint64_t dstDevice, uint8_t uc, size_t n)',
  'int cuMemGetInfo_v2(void *free, void *total)',
  'int cuEventCreate(void *phEvent, unsigned int flags)',
  'int cuEventRecord(void *hEvent, void *hStream)',
  'int cuEventSynchronize(void *hEvent)',
  'int cuEventDestroy_v2(void *hEvent)',
];
// CUDA 12.8 added cuEventElapsedTime_v2 and cuda.h 13 maps the name to it; older drivers only have v1.
// Same signature either way.
const ELAPSED = ['cuEventElapsedTime_v2', 'cuEventElapsedTime'];

/**
 * @typedef {Record<string, (...args: any[]) => any> & { check(call: string, code: number, detail?: string): void,
 *   errorName(code: number): string, path: string, elapsedName: string }} Driver
 */

/**
 * Opens libcuda and binds the functions. Throws CudaUnavailableError when the library is missing or lacks a symbol.
 * @param {any} koffi @param {import('./ffi.js').LibCandidate[]} candidates @returns {Driver}
 */
export function openDriver(koffi, candidates) {
  const opened = openFirst(koffi, candidates);
  if (!opened.lib) {
    throw new CudaUnavailableError(
      'no CUDA driver: libcuda.so.1 not found or not loadable (tried ' +
        opened.tried.join('; ') +
        '). Install the NVIDIA driver, or set LENSC_CUDA_DRIVER_PATH to libcuda.so.1.',
    );
  }
  const { lib, path } = opened;
  /** @type {any} */
  const api = { path };
  for (const proto of PROTOS) {
    const name = /** @type {string} */ (proto.match(/^\w+\s+(\w+)\(/)?.[1]);
    try {
      api[name] = lib.func(proto);
    } catch (e) {
      throw new CudaUnavailableError(`the CUDA driver at ${path} lacks ${name} (driver too old?)`);
    }
  }
  for (const name of ELAPSED) {
    try {
      api.cuEventElapsedTime = lib.func(`int ${name}(void *pMilliseconds, void *hStart, void *hEnd)`);
      api.elapsedName = name;
      break;
    } catch {
      /* try the older name */
    }
  }
  if (!api.cuEventElapsedTime) throw new CudaUnavailableError(`the CUDA driver at ${path} lacks cuEventElapsedTime`);

  /** @param {number} code */
  api.errorName = (code) => describe(koffi, api.cuGetErrorName, code) || `CUresult ${code}`;
  /** @param {string} call @param {number} code @param {string} [detail] */
  api.check = (call, code, detail) => {
    if (code === CUDA_SUCCESS) return;
    const text = describe(koffi, api.cuGetErrorString, code);
    throw new CudaError(call, code, api.errorName(code), [text, detail].filter(Boolean).join('; '));
  };
  return api;
}

/** @param {any} koffi @param {(code: number, out: Buffer) => number} fn @param {number} code */
function describe(koffi, fn, code) {
  const out = outBuf();
  if (fn(code, out) !== CUDA_SUCCESS) return '';
  return cString(koffi, out.readBigUInt64LE(0));
}

/** @param {Driver} d @param {number} attr @param {number} dev @returns {number} */
export function attribute(d, attr, dev) {
  const out = outBuf();
  d.check('cuDeviceGetAttribute', d.cuDeviceGetAttribute(out, attr, dev));
  return readInt(out);
}
