// The WGSL module of a kernel flagged `requiresF64` (Cholesky, log-determinants: f32 is not enough,
// and WGSL has no f64). It is not offered on the GPU: the module runs the JS backend's f64 kernel,
// ../js/<file>.js, on the CPU — same exports and I/O as every other WGSL module, and the manifest's
// precision says so. The JS module is imported on first use, so a build without the js target fails
// with a message saying what to build rather than at import time.
import type { Manifest } from '../../compiler/aot/manifest.ts';
import { generatedHeader } from '../clike/host_driver.ts';

export function renderF64Module(manifest: Manifest, opts: { generatedFrom?: string } = {}): string {
  const fname = manifest.kernel;
  const jsFile = `../js/${manifest.file}.js`;
  return `${generatedHeader(fname, 'wgsl', opts.generatedFrom)}
// ${fname} needs f64, which WGSL lacks: this module runs the JS backend's f64 kernel (${jsFile}) on
// the CPU. options.device is accepted and unused.
export const manifest = ${JSON.stringify(manifest, null, 2)};

async function f64Kernel() {
  try {
    return (await import('${jsFile}')).${fname};
  } catch (e) {
    throw new Error(\`\${manifest.kernel} (target wgsl) runs the f64 JS kernel ${jsFile}, which could not be loaded: build the js target beside wgsl (lensc build --target js,wgsl). \${e instanceof Error ? e.message : String(e)}\`);
  }
}

/** Nothing to compile on the GPU; loads the JS kernel. */
export async function prepare() {
  await f64Kernel();
}

/**
 * ${manifest.doc ?? fname}
 * @param {Record<string, unknown>} inputs
 * @param {{ threads?: number, memoryBudgetBytes?: number, onProgress?: (fraction: number, message: string) => void, device?: GPUDevice }} [options]
 */
export async function ${fname}(inputs, options = {}) {
  // The JS kernel checks the options; it does not know \`device\`.
  const rest = typeof options === 'object' && options !== null && 'device' in options ? (({ device, ...r }) => r)(options) : options;
  return (await f64Kernel())(inputs, rest);
}
`;
}
