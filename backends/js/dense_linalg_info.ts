// One line for `lensc explain --target js`: what this machine's JS runtime runs matmuls, SYRK, Cholesky and
// triangular solves on (the native OpenBLAS, its path, version and CPU kernels; or the WebAssembly kernels
// and whether they fuse multiply-adds), so a slow run can be traced to a missing library.
import { blasInfo } from './runtime/native_blas.js';
import { wasmSimdVariant } from './runtime/blas-tasks.js';

export function denseLinalgLine(): string {
  const b = blasInfo();
  if (b.backend === 'openblas') {
    const ints = b.symbols === 'lp64' ? '32-bit integers' : `64-bit integers, ${b.symbols} symbols`;
    return `dense linear algebra here: OpenBLAS (${b.config}; ${b.core} kernels; ${ints}) from ${b.library}, one OpenBLAS thread per lensc thread on fixed tiles`;
  }
  const simd = wasmSimdVariant() === 'relaxed' ? 'relaxed SIMD, fused multiply-add' : 'SIMD, multiply then add';
  return `dense linear algebra here: WebAssembly kernels (${simd}); no native BLAS: ${b.reason}`;
}
