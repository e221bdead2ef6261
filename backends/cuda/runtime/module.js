// @ts-check
// A loaded CUDA module (cubin) and its kernels. launch() checks launch dimensions against the device
// limits before calling the driver, because the driver's answer to a bad launch is a bare
// CUDA_ERROR_INVALID_VALUE that does not say which dimension was wrong.
import { packArgs } from './args.js';
import { outBuf, readPtr } from './ffi.js';
import { FUNC_ATTR_MAX_DYNAMIC_SHARED_SIZE_BYTES } from './driver.js';

/** @typedef {import('./driver.js').Driver} Driver */
/** @typedef {[number, number, number]} Dim3 */
/**
 * @typedef {{ maxThreadsPerBlock: number, maxBlockDim: Dim3, maxGridDim: Dim3,
 *   sharedMemPerBlock: number, sharedMemPerBlockOptin: number }} LaunchLimits
 */

export class CudaModule {
  /**
   * @param {Driver} driver @param {bigint} handle @param {string} name @param {LaunchLimits} limits
   * @param {boolean} syncEachLaunch  LENSC_CUDA_SYNC=1: surface a kernel fault at its own launch
   */
  constructor(driver, handle, name, limits, syncEachLaunch) {
    this.driver = driver;
    this.handle = handle;
    this.name = name;
    this.limits = limits;
    this.syncEachLaunch = syncEachLaunch;
    /** @type {Map<string, CudaFunction>} */
    this.fns = new Map();
  }

  /** @param {string} name  an extern "C" __global__ function of the module @returns {CudaFunction} */
  fn(name) {
    let f = this.fns.get(name);
    if (f) return f;
    const out = outBuf();
    const d = this.driver;
    d.check(
      'cuModuleGetFunction',
      d.cuModuleGetFunction(out, this.handle, name),
      `no kernel "${name}" in ${this.name} (kernels must be extern "C" so their names are not mangled)`,
    );
    f = new CudaFunction(this, readPtr(out), name);
    this.fns.set(name, f);
    return f;
  }
}

export class CudaFunction {
  /** @param {CudaModule} mod @param {bigint} handle @param {string} name */
  constructor(mod, handle, name) {
    this.mod = mod;
    this.handle = handle;
    this.name = name;
    this.sharedOptin = 0; // dynamic shared bytes this function has been opted in to
  }

  /**
   * Launches on the default stream; asynchronous like any CUDA launch (a fault shows at the next
   * synchronising call: synchronize(), download(), time()).
   * @param {Dim3} grid @param {Dim3} block @param {import('./args.js').KernelArg[]} args
   * @param {number} [sharedBytes] dynamic shared memory
   */
  launch(grid, block, args, sharedBytes = 0) {
    const L = this.mod.limits;
    const where = `launch of ${this.name}`;
    checkDim3(grid, L.maxGridDim, `${where}: grid`);
    checkDim3(block, L.maxBlockDim, `${where}: block`);
    const threads = block[0] * block[1] * block[2];
    if (threads > L.maxThreadsPerBlock)
      throw new RangeError(`${where}: block has ${threads} threads, the device allows ${L.maxThreadsPerBlock}`);
    if (!Number.isInteger(sharedBytes) || sharedBytes < 0)
      throw new RangeError(`${where}: sharedBytes must be a non-negative integer`);
    const d = this.mod.driver;
    if (sharedBytes > L.sharedMemPerBlock && sharedBytes > this.sharedOptin) {
      // above 48 KiB a kernel must opt in; static __shared__ counts against the same limit
      if (sharedBytes > L.sharedMemPerBlockOptin) {
        throw new RangeError(
          `${where}: ${sharedBytes} bytes of shared memory, the device allows ${L.sharedMemPerBlockOptin} per block`,
        );
      }
      d.check(
        'cuFuncSetAttribute',
        d.cuFuncSetAttribute(this.handle, FUNC_ATTR_MAX_DYNAMIC_SHARED_SIZE_BYTES, sharedBytes),
        where,
      );
      this.sharedOptin = sharedBytes;
    }
    const params = packArgs(args, this.name);
    d.check(
      'cuLaunchKernel',
      d.cuLaunchKernel(
        this.handle,
        grid[0],
        grid[1],
        grid[2],
        block[0],
        block[1],
        block[2],
        sharedBytes,
        null,
        params,
        null,
      ),
      where,
    );
    if (this.mod.syncEachLaunch) d.check('cuCtxSynchronize', d.cuCtxSynchronize(), `after ${where}`);
  }
}

/** @param {unknown} v @param {Dim3} max @param {string} what */
function checkDim3(v, max, what) {
  if (!Array.isArray(v) || v.length !== 3) throw new TypeError(`${what} must be [x, y, z]`);
  for (let i = 0; i < 3; i++) {
    const x = v[i];
    if (!Number.isInteger(x) || x < 1 || x > max[i]) {
      throw new RangeError(`${what}[${i}] = ${x}: must be an integer in 1..${max[i]}`);
    }
  }
}
