// @ts-check
// Finding the driver and a device, and making the device's primary context current. Every way this can
// fail becomes a CudaUnavailableError with a message that says what is missing, so callers can fall
// back to another backend; nothing here may take the process down.
import { ATTR, CUDA_ERROR_NO_DEVICE, attribute, openDriver } from './driver.js';
import { CudaContext } from './context.js';
import { CudaError, CudaUnavailableError } from './errors.js';
import { loadKoffi, outBuf, readInt, readPtr, readSize } from './ffi.js';
import { driverCandidates } from './locate.js';

/**
 * @typedef {{ device?: number, driverPath?: string, cublasPath?: string, env?: NodeJS.ProcessEnv }} OpenOptions
 *   device: ordinal (default LENSC_CUDA_DEVICE or 0); driverPath / cublasPath: explicit libraries (tests)
 */

/** @param {OpenOptions} [options] @returns {Promise<CudaContext>} a new context object (not shared) */
export async function openCuda(options = {}) {
  const env = options.env ?? process.env;
  const koffi = await loadKoffi();
  const driver = openDriver(koffi, options.driverPath ? [{ path: options.driverPath }] : driverCandidates(env));
  try {
    return init(koffi, driver, env, options);
  } catch (e) {
    if (e instanceof CudaError) {
      throw new CudaUnavailableError(`the CUDA driver at ${driver.path} is present but unusable: ${e.message}`);
    }
    throw e;
  }
}

/**
 * @param {any} koffi @param {import('./driver.js').Driver} d @param {NodeJS.ProcessEnv} env
 * @param {OpenOptions} options
 */
function init(koffi, d, env, options) {
  const r = d.cuInit(0);
  if (r === CUDA_ERROR_NO_DEVICE) {
    throw new CudaUnavailableError(
      `no CUDA device: the driver at ${d.path} found no GPU (cuInit: CUDA_ERROR_NO_DEVICE)`,
    );
  }
  d.check('cuInit', r);
  const count = outBuf();
  d.check('cuDeviceGetCount', d.cuDeviceGetCount(count));
  if (readInt(count) === 0) throw new CudaUnavailableError(`no CUDA device: the driver at ${d.path} reports 0 devices`);
  const ordinal = options.device ?? Number(env.LENSC_CUDA_DEVICE ?? 0);
  if (!Number.isInteger(ordinal) || ordinal < 0 || ordinal >= readInt(count)) {
    throw new CudaUnavailableError(
      `no CUDA device ${ordinal}: there are ${readInt(count)} (LENSC_CUDA_DEVICE picks one)`,
    );
  }
  const devBox = outBuf();
  d.check('cuDeviceGet', d.cuDeviceGet(devBox, ordinal));
  const dev = readInt(devBox);

  const nameBuf = Buffer.alloc(256);
  d.check('cuDeviceGetName', d.cuDeviceGetName(nameBuf, nameBuf.length, dev));
  const name = nameBuf.toString('utf8', 0, Math.max(0, nameBuf.indexOf(0)));
  const mem = outBuf();
  d.check('cuDeviceTotalMem_v2', d.cuDeviceTotalMem_v2(mem, dev));
  const ver = outBuf();
  d.check('cuDriverGetVersion', d.cuDriverGetVersion(ver));
  /** @param {number} a */
  const attr = (a) => attribute(d, a, dev);

  // The primary context is the one the CUDA runtime (hence cuBLAS) also uses: sharing it lets cuBLAS
  // see our allocations and run in order with our launches on the default stream.
  const ctx = outBuf();
  d.check('cuDevicePrimaryCtxRetain', d.cuDevicePrimaryCtxRetain(ctx, dev));
  d.check('cuCtxSetCurrent', d.cuCtxSetCurrent(readPtr(ctx)));

  const sharedMemPerBlock = attr(ATTR.MAX_SHARED_MEMORY_PER_BLOCK);
  return new CudaContext({
    koffi,
    driver: d,
    env,
    cublasPath: options.cublasPath,
    device: {
      name,
      ordinal,
      computeCapability: [attr(ATTR.COMPUTE_CAPABILITY_MAJOR), attr(ATTR.COMPUTE_CAPABILITY_MINOR)],
      totalMem: readSize(mem),
      multiProcessors: attr(ATTR.MULTIPROCESSOR_COUNT),
      driverVersion: readInt(ver),
      sharedMemPerBlockOptin: attr(ATTR.MAX_SHARED_MEMORY_PER_BLOCK_OPTIN),
    },
    limits: {
      maxThreadsPerBlock: attr(ATTR.MAX_THREADS_PER_BLOCK),
      maxBlockDim: [attr(ATTR.MAX_BLOCK_DIM_X), attr(ATTR.MAX_BLOCK_DIM_Y), attr(ATTR.MAX_BLOCK_DIM_Z)],
      maxGridDim: [attr(ATTR.MAX_GRID_DIM_X), attr(ATTR.MAX_GRID_DIM_Y), attr(ATTR.MAX_GRID_DIM_Z)],
      sharedMemPerBlock,
      sharedMemPerBlockOptin: Math.max(sharedMemPerBlock, attr(ATTR.MAX_SHARED_MEMORY_PER_BLOCK_OPTIN)),
    },
  });
}

/** @type {Promise<CudaContext> | null} */
let shared = null;

/**
 * The process-wide CUDA context generated modules share. A failure is not remembered, so a later call
 * (say, after setting LENSC_CUDA_DRIVER_PATH) tries again.
 * @returns {Promise<CudaContext>}
 */
export function getCuda() {
  if (!shared) {
    const p = openCuda();
    shared = p;
    p.catch(() => {
      if (shared === p) shared = null;
    });
  }
  return shared;
}
