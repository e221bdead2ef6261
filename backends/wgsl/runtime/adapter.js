// @ts-check
/**
 * Finding a WebGPU adapter and opening a device, in browsers (navigator.gpu) and in Node (the `webgpu`
 * package, i.e. Dawn). In Node we try Dawn's OpenGL ES backend first because on GPU-less Linux hosts
 * (CI) it reaches Mesa's llvmpipe through surfaceless EGL, then Dawn's default backend (Vulkan / Metal /
 * D3D12 on machines with a real GPU). LENSC_WEBGPU_BACKENDS="vulkan,opengles,default" overrides the order.
 * Everything that was tried is recorded so the failure message says why there is no GPU.
 */
import { GpuUnavailableError } from './errors.js';

const isNode = typeof process !== 'undefined' && !!process.versions?.node;

/** @typedef {{ device: GPUDevice, adapter: GPUAdapter, backend: string, instance: GPU }} Opened */

/**
 * Adapter requests tried on every instance, best first. Compatibility mode is what Dawn's GL ES
 * backend offers (core returns null there); real GPUs answer the core request.
 * @type {GPURequestAdapterOptions[]}
 */
const ADAPTER_REQUESTS = [{ powerPreference: 'high-performance' }, { featureLevel: 'compatibility' }];

/** @returns {Promise<Opened>} */
export async function openDevice() {
  /** @type {string[]} */
  const tried = [];
  const nav = /** @type {{ gpu?: GPU } | undefined} */ (globalThis.navigator)?.gpu;
  if (nav) {
    const found = await tryInstance(nav, 'navigator.gpu', tried);
    if (found) return found;
  } else if (isNode) {
    // Mesa's EGL picks a window system from this; without it eglInitialize fails on headless hosts.
    process.env.EGL_PLATFORM ??= 'surfaceless';
    const create = await loadDawn(tried);
    if (create) {
      for (const backend of backendOrder()) {
        /** @type {GPU} */
        let instance;
        try {
          instance = create(backend === 'default' ? [] : [`backend=${backend}`]);
        } catch (e) {
          tried.push(`Dawn backend=${backend}: create() threw ${errText(e)}`);
          continue;
        }
        const found = await tryInstance(instance, `Dawn backend=${backend}`, tried);
        if (found) return found;
      }
    }
  } else {
    tried.push('navigator.gpu is missing and this is not Node');
  }
  throw new GpuUnavailableError(
    `no WebGPU adapter: ${tried.join('; ')}. On Linux without a GPU install Mesa's llvmpipe ` +
      `(.ci/wgsl-setup.sh) so Dawn's OpenGL ES backend can run; set LENSC_SKIP_WGSL=1 to skip WGSL tests.`,
  );
}

function backendOrder() {
  const env = process.env.LENSC_WEBGPU_BACKENDS;
  return env
    ? env
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : ['opengles', 'default'];
}

/** @param {string[]} tried @returns {Promise<((opts: string[]) => GPU) | null>} */
async function loadDawn(tried) {
  // A variable specifier keeps browser bundlers from trying to bundle the native addon.
  const spec = 'webgpu';
  try {
    const mod = await import(/* @vite-ignore */ spec);
    return mod.create;
  } catch (e) {
    // `webgpu` is an optional peer dependency of lensc (132 MB of Dawn builds): only Node users of WGSL need it.
    tried.push(
      `the 'webgpu' package (Dawn) is needed for WebGPU in Node; install it with \`npm install webgpu@0.6.2\` (import failed: ${errText(e)})`,
    );
    return null;
  }
}

/**
 * @param {GPU} instance @param {string} label @param {string[]} tried
 * @returns {Promise<Opened | null>}
 */
async function tryInstance(instance, label, tried) {
  for (const req of ADAPTER_REQUESTS) {
    const what = `${label} ${req.featureLevel ?? 'core'}`;
    /** @type {GPUAdapter | null} */
    let adapter;
    try {
      adapter = await instance.requestAdapter(req);
    } catch (e) {
      tried.push(`${what}: requestAdapter threw ${errText(e)}`);
      continue;
    }
    if (!adapter) {
      tried.push(`${what}: no adapter`);
      continue;
    }
    try {
      const device = await requestDeviceWithAdapterLimits(adapter);
      return { device, adapter, backend: `${label} (${req.featureLevel ?? 'core'})`, instance };
    } catch (e) {
      tried.push(`${what}: requestDevice failed: ${errText(e)}`);
    }
  }
  return null;
}

/**
 * Devices get the spec's default limits unless asked; compatibility mode's defaults are tiny (128
 * invocations per workgroup, 4 storage buffers). We ask for everything the adapter offers, and fall
 * back to the defaults if some browser refuses a limit name it reported itself.
 * @param {GPUAdapter} adapter
 */
async function requestDeviceWithAdapterLimits(adapter) {
  /** @type {Record<string, number>} */
  const requiredLimits = {};
  for (const key in adapter.limits) {
    const v = /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (adapter.limits))[key];
    if (typeof v === 'number') requiredLimits[key] = v;
  }
  try {
    return await adapter.requestDevice({ requiredLimits, label: 'lensc' });
  } catch {
    return await adapter.requestDevice({ label: 'lensc' });
  }
}

/** @param {unknown} e */
function errText(e) {
  return e instanceof Error ? e.message.split('\n')[0] : String(e);
}
