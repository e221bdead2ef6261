// @ts-check
// What generated JS kernels import besides the worker/arena/BLAS runtime: the capability record,
// options checking and dense linear algebra (`lensc/runtime/js-support`).
export { jsCapabilities } from './capabilities.js';
export { cholesky, choleskyBlocked, checkFiniteInputs, triSolve } from './linalg.js';
export { mirrorLower } from './mirror.js';

export { checkOptions } from '../../common/options.js';
export { timedFor } from './progress.js';
