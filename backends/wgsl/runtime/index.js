// @ts-check
/**
 * lensc/runtime/wgsl — the runtime generated WGSL kernel modules import. Types: index.d.ts.
 * Plain ESM; imports only the `webgpu` package (dynamically, in Node) and navigator.gpu otherwise.
 */
export { getGpu } from './device.js';
export { Gpu } from './gpu.js';
export { GpuUnavailableError, WgslCompileError, GpuError } from './errors.js';
export { validateWgsl } from './validate.js';
export { f64ToF32, f32ToF64, f64ToDf64, f64ToF64x3, df64ToF64 } from './convert.js';
export { workgroupGrid, memoryBudgetGuess } from './limits.js';
export { BufferUsage } from './usage.js';
export { matmulAccumulate, readCompensated } from './routines/matmul.js';
export { fft2Stockham } from './routines/fft.js';
export { fft2StockhamDf64 } from './routines/fft-df64.js';
