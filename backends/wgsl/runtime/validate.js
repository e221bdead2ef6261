// @ts-check
/**
 * validateWgsl(): compile-check WGSL without any GPU driver, using Dawn's null backend in Node (the
 * compiler's tests and `lensc build` run it on every generated shader). Besides parsing, it builds a
 * compute pipeline for every @compute entry point, which catches limit violations (workgroup size,
 * workgroup storage) against the null adapter's limits — the WebGPU core defaults, i.e. what any
 * browser guarantees. In a browser it falls back to the shared device of getGpu().
 */
import { formatCompilationMessages } from './errors.js';

/** @type {Promise<GPUDevice> | null} */
let nullDevice = null;

async function openNullDevice() {
  if (typeof process === 'undefined' || !process.versions?.node) {
    const { getGpu } = await import('./device.js');
    return (await getGpu()).device;
  }
  const spec = 'webgpu';
  /** @type {any} */
  let dawn;
  try {
    dawn = await import(/* @vite-ignore */ spec);
  } catch (e) {
    throw new Error(
      `validateWgsl: the 'webgpu' package (Dawn) is needed to validate WGSL in Node; install it with \`npm install webgpu@0.6.2\` (${e instanceof Error ? e.message.split('\n')[0] : e})`,
    );
  }
  const { create } = dawn;
  /** @type {GPU} */
  const instance = create(['backend=null']);
  const adapter = await instance.requestAdapter();
  if (!adapter) throw new Error("validateWgsl: Dawn's null backend offered no adapter");
  const device = await adapter.requestDevice({ label: 'lensc-validate' });
  // dawn.node needs its instance referenced while the device lives.
  /** @type {any} */ (device).__lenscInstance = instance;
  return device;
}

/** @param {string} source */
function computeEntryPoints(source) {
  const names = [];
  // Attributes such as @workgroup_size(16, 16) may sit between @compute and fn.
  for (const m of source.matchAll(/@compute\b[^{;]*?\bfn\s+([A-Za-z_][A-Za-z0-9_]*)/g)) names.push(m[1]);
  return names;
}

/**
 * @param {string} source
 * @returns {Promise<{ ok: boolean, messages: string[] }>} messages: "line:col type: text" plus the source line
 */
export async function validateWgsl(source) {
  if (!nullDevice) {
    nullDevice = openNullDevice();
    nullDevice.catch(() => (nullDevice = null));
  }
  const device = await nullDevice;
  device.pushErrorScope('validation');
  const module = device.createShaderModule({ code: source });
  const scoped = device.popErrorScope();
  const info = await module.getCompilationInfo();
  const scopeError = await scoped;
  const messages = formatCompilationMessages(info.messages, source);
  let ok = !info.messages.some((m) => m.type === 'error');
  if (ok && scopeError) {
    ok = false;
    messages.push(scopeError.message.trim());
  }
  if (ok) {
    for (const entryPoint of computeEntryPoints(source)) {
      try {
        await device.createComputePipelineAsync({ layout: 'auto', compute: { module, entryPoint } });
      } catch (e) {
        ok = false;
        messages.push(`entry point '${entryPoint}': ${e instanceof Error ? e.message.trim() : String(e)}`);
      }
    }
  }
  return { ok, messages };
}
