// @ts-check
// cuFFT (libcufft.so.12, CUDA 13) bindings: batched 2-D complex-to-complex plans (Z2Z for f64, C2C for f32),
// cached by shape, and their execution. Loaded on first use, like cuBLAS; plans run on the legacy default
// stream (cufftSetStream(plan, NULL)), the stream kernel launches and cuBLAS use, so no extra
// synchronisation is needed. cuFFT's inverse is unnormalised: the caller scales by 1/(ny·nx).
//
// Prototypes, from cufft.h (cuFFT API reference, "cufftPlanMany", "cufftExecZ2Z"/"cufftExecC2C",
// "cufftSetStream", "cufftDestroy"); cufftHandle is an int, cufftResult and cufftType are int enums, and
// device pointers travel as uint64_t (one 64-bit value on x86-64, like cublas.js):
//   cufftResult cufftPlanMany(cufftHandle *plan, int rank, int *n, int *inembed, int istride, int idist,
//                             int *onembed, int ostride, int odist, cufftType type, int batch);
//   cufftResult cufftExecZ2Z(cufftHandle plan, cufftDoubleComplex *idata, cufftDoubleComplex *odata, int direction);
//   cufftResult cufftExecC2C(cufftHandle plan, cufftComplex *idata, cufftComplex *odata, int direction);
//   cufftResult cufftSetStream(cufftHandle plan, cudaStream_t stream);
//   cufftResult cufftDestroy(cufftHandle plan);
import { CudaError, CudaUnavailableError } from './errors.js';
import { openFirst, outBuf } from './ffi.js';

export const CUFFT_FORWARD = -1,
  CUFFT_INVERSE = 1;
export const CUFFT_C2C = 0x29,
  CUFFT_Z2Z = 0x69;
/** The koffi declarations (test/cuda-runtime checks them against the documented prototypes above). */
export const CUFFT_DECLARATIONS = Object.freeze({
  planMany:
    'int cufftPlanMany(void *plan, int rank, int *n, int *inembed, int istride, int idist, int *onembed, int ostride, int odist, int type, int batch)',
  execZ2Z: 'int cufftExecZ2Z(int plan, uint64_t idata, uint64_t odata, int direction)',
  execC2C: 'int cufftExecC2C(int plan, uint64_t idata, uint64_t odata, int direction)',
  setStream: 'int cufftSetStream(int plan, void *stream)',
  destroy: 'int cufftDestroy(int plan)',
});
/** cufftResult names (cufft.h). */
const RESULT_NAMES = [
  'CUFFT_SUCCESS',
  'CUFFT_INVALID_PLAN',
  'CUFFT_ALLOC_FAILED',
  'CUFFT_INVALID_TYPE',
  'CUFFT_INVALID_VALUE',
  'CUFFT_INTERNAL_ERROR',
  'CUFFT_EXEC_FAILED',
  'CUFFT_SETUP_FAILED',
  'CUFFT_INVALID_SIZE',
  'CUFFT_UNALIGNED_DATA',
];
/** Plans kept alive (each holds a work area on the device); the least recently used is destroyed. */
const MAX_PLANS = 8;

/**
 * @typedef {{ path: string,
 *   fft2(dtype: 'f64' | 'f32', batch: number, ny: number, nx: number, src: bigint, dst: bigint, inverse: boolean): void,
 *   close(): void }} Cufft
 */

/** @param {any} koffi @param {import('./ffi.js').LibCandidate[]} candidates @returns {Cufft} */
export function openCufft(koffi, candidates) {
  const opened = openFirst(koffi, candidates);
  if (!opened.lib) {
    throw new CudaUnavailableError(
      'cuFFT not found: libcufft.so.12 not loadable (tried ' +
        opened.tried.join('; ') +
        '). Install the CUDA 13 toolkit (cuFFT) or set LENSC_CUFFT_PATH.',
    );
  }
  const lib = opened.lib;
  const planMany = lib.func(CUFFT_DECLARATIONS.planMany);
  const execZ2Z = lib.func(CUFFT_DECLARATIONS.execZ2Z);
  const execC2C = lib.func(CUFFT_DECLARATIONS.execC2C);
  const setStream = lib.func(CUFFT_DECLARATIONS.setStream);
  const destroy = lib.func(CUFFT_DECLARATIONS.destroy);
  /** @param {string} call @param {number} code */
  const check = (call, code) => {
    if (code !== 0) throw new CudaError(call, code, RESULT_NAMES[code] ?? `cufftResult ${code}`);
  };
  /** @type {Map<string, number>} plans by `${type}:${batch}:${ny}:${nx}`, in use order */
  const plans = new Map();
  /** @param {number} type @param {number} batch @param {number} ny @param {number} nx */
  const planFor = (type, batch, ny, nx) => {
    const key = `${type}:${batch}:${ny}:${nx}`;
    let h = plans.get(key);
    if (h !== undefined) {
      plans.delete(key);
      plans.set(key, h);
      return h;
    }
    if (plans.size >= MAX_PLANS) {
      const [oldKey, old] = /** @type {[string, number]} */ (plans.entries().next().value);
      plans.delete(oldKey);
      check('cufftDestroy', destroy(old));
    }
    const box = outBuf(4);
    // inembed/onembed NULL: the default contiguous layout, each transform ny·nx complex values after the last.
    // An image with one row or one column is a 1-D transform of its ny·nx contiguous points.
    const dims = ny === 1 || nx === 1 ? Int32Array.of(ny * nx) : Int32Array.of(ny, nx);
    check('cufftPlanMany', planMany(box, dims.length, dims, null, 1, ny * nx, null, 1, ny * nx, type, batch));
    h = box.readInt32LE(0);
    check('cufftSetStream', setStream(h, null));
    plans.set(key, h);
    return h;
  };
  return {
    path: opened.path,
    fft2(dtype, batch, ny, nx, src, dst, inverse) {
      const z = dtype === 'f64';
      const plan = planFor(z ? CUFFT_Z2Z : CUFFT_C2C, batch, ny, nx);
      const dir = inverse ? CUFFT_INVERSE : CUFFT_FORWARD;
      if (z) check('cufftExecZ2Z', execZ2Z(plan, src, dst, dir));
      else check('cufftExecC2C', execC2C(plan, src, dst, dir));
    },
    close() {
      for (const h of plans.values()) destroy(h);
      plans.clear();
    },
  };
}
