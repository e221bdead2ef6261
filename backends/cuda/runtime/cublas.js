// @ts-check
// cuBLAS v2 (libcublas.so.13) bindings: handle creation, DGEMM and DSYRK. Loaded on first use, so a
// host without cuBLAS can still run NVRTC kernels. cuBLAS attaches to the context current on this
// thread (the device's primary context, made current by cuda.js) and runs on the legacy default
// stream, the same stream kernel launches use, so no extra synchronisation is needed between them.
//
// Device pointers are declared uint64_t: on x86-64 a pointer and a 64-bit integer travel the same way,
// and it keeps DevicePtr a bigint end to end. alpha/beta are host pointers (CUBLAS_POINTER_MODE_HOST,
// the default), passed as one-element Float64Arrays.
import { CudaError, CudaUnavailableError } from './errors.js';
import { openFirst, outBuf } from './ffi.js';

const CUBLAS_STATUS_SUCCESS = 0;
export const OP_N = 0,
  OP_T = 1;
export const FILL_LOWER = 0,
  FILL_UPPER = 1;

/**
 * @typedef {{ handle: bigint, path: string,
 *   dgemm(ta: number, tb: number, m: number, n: number, k: number, alpha: number, A: bigint, lda: number,
 *         B: bigint, ldb: number, beta: number, C: bigint, ldc: number): void,
 *   dsyrk(uplo: number, trans: number, n: number, k: number, alpha: number, A: bigint, lda: number,
 *         beta: number, C: bigint, ldc: number): void }} Cublas
 */

/**
 * @param {any} koffi @param {import('./ffi.js').LibCandidate[]} candidates @returns {Cublas}
 */
export function openCublas(koffi, candidates) {
  const opened = openFirst(koffi, candidates);
  if (!opened.lib) {
    throw new CudaUnavailableError(
      'cuBLAS not found: libcublas.so.13 not loadable (tried ' +
        opened.tried.join('; ') +
        '). Install the CUDA 13 toolkit or set LENSC_CUBLAS_PATH.',
    );
  }
  const lib = opened.lib;
  const create = lib.func('int cublasCreate_v2(void *handle)');
  const setStream = lib.func('int cublasSetStream_v2(void *handle, void *stream)');
  const statusName = lib.func('const char *cublasGetStatusName(int status)');
  const gemm = lib.func(
    'int cublasDgemm_v2(void *handle, int transa, int transb, int m, int n, int k, ' +
      'const double *alpha, uint64_t A, int lda, uint64_t B, int ldb, const double *beta, uint64_t C, int ldc)',
  );
  const syrk = lib.func(
    'int cublasDsyrk_v2(void *handle, int uplo, int trans, int n, int k, ' +
      'const double *alpha, uint64_t A, int lda, const double *beta, uint64_t C, int ldc)',
  );

  /** @param {string} call @param {number} code */
  const check = (call, code) => {
    if (code !== CUBLAS_STATUS_SUCCESS) throw new CudaError(call, code, String(statusName(code)));
  };
  const box = outBuf();
  check('cublasCreate_v2', create(box));
  const handle = box.readBigUInt64LE(0);
  check('cublasSetStream_v2', setStream(handle, null));
  // reused scalars: no allocation per call
  const alphaBuf = new Float64Array(1),
    betaBuf = new Float64Array(1);
  return {
    handle,
    path: opened.path,
    dgemm(ta, tb, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc) {
      alphaBuf[0] = alpha;
      betaBuf[0] = beta;
      check('cublasDgemm_v2', gemm(handle, ta, tb, m, n, k, alphaBuf, A, lda, B, ldb, betaBuf, C, ldc));
    },
    dsyrk(uplo, trans, n, k, alpha, A, lda, beta, C, ldc) {
      alphaBuf[0] = alpha;
      betaBuf[0] = beta;
      check('cublasDsyrk_v2', syrk(handle, uplo, trans, n, k, alphaBuf, A, lda, betaBuf, C, ldc));
    },
  };
}
