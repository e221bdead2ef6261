// @ts-check
// lensc/runtime/cuda — what generated CUDA kernel modules import. Types: index.d.ts.
// Layout: open.js (driver + device) → context.js (memory, kernels, BLAS, timing) → module.js (launch);
// nvrtc.js compiles without a GPU; locate.js says where libraries are looked for.
export { getCuda, openCuda } from './open.js';
export { CudaUnavailableError, CudaError, CudaCompileError } from './errors.js';
export { compileToCubin, nvrtcAvailable, nvrtcInfo, defaultOptions as nvrtcDefaultOptions } from './nvrtc.js';
export { cacheDir as cudaCacheDir } from './cache.js';
