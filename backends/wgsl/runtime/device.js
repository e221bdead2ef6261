// @ts-check
/**
 * getGpu(): the process-wide Gpu. The first call opens the device (adapter.js); later calls share it,
 * because pipelines are cached on it and opening Dawn devices is slow. A caller that owns a device
 * (a browser app, a test) passes it in and gets a Gpu wrapping that device, also cached.
 */
import { openDevice } from './adapter.js';
import { Gpu } from './gpu.js';
import { memoryBudgetGuess } from './limits.js';

/** @type {Promise<Gpu> | null} */
let shared = null;
/** @type {WeakMap<GPUDevice, Promise<Gpu>>} */
const wrapped = new WeakMap();

/**
 * @param {{ device?: GPUDevice, memoryBytes?: number }} [opts]
 * @returns {Promise<Gpu>}
 */
export async function getGpu(opts = {}) {
  if (opts.device) {
    let g = wrapped.get(opts.device);
    if (!g) {
      g = new Gpu(
        opts.device,
        { vendor: '', architecture: '', device: '', description: 'caller-provided device' },
        {
          backend: 'caller-provided device',
          memoryBytes: opts.memoryBytes ?? memoryBytesFor(opts.device),
        },
      ).init();
      wrapped.set(opts.device, g);
    }
    return g;
  }
  if (!shared) {
    const p = open(opts.memoryBytes);
    shared = p;
    // A failure is not cached: the caller may install drivers / change env and retry.
    p.catch(() => {
      if (shared === p) shared = null;
    });
  }
  return shared;
}

/** @param {number | undefined} memoryBytes */
async function open(memoryBytes) {
  const { device, adapter, backend, instance } = await openDevice();
  const info = adapter.info;
  /** @type {Promise<Gpu> | null} */
  let self = null;
  const gpu = new Gpu(
    device,
    {
      vendor: info.vendor ?? '',
      architecture: info.architecture ?? '',
      device: info.device ?? '',
      description: info.description ?? '',
    },
    {
      backend,
      memoryBytes: memoryBytes ?? memoryBytesFor(device),
      keepAlive: instance,
      // Lost or closed: forget it so the next getGpu() opens a new device.
      onClose: () => {
        if (shared === self) shared = null;
      },
    },
  );
  // open() runs after getGpu stored its promise in `shared`, so this is our own promise.
  self = shared;
  return gpu.init();
}

/** @param {GPUDevice} device */
function memoryBytesFor(device) {
  const env = typeof process !== 'undefined' ? Number(process.env?.LENSC_WGSL_MEMORY_BYTES) : NaN;
  return env > 0 ? env : memoryBudgetGuess(device.limits);
}
