// Types of lensc/runtime/cuda, the CUDA runtime generated kernel modules import (index.js).
// Hand-written: the runtime is plain JavaScript so it runs under bare `node` with only koffi.

/** A device address (CUdeviceptr). 0n is the "empty" pointer alloc(0) returns. */
export type DevicePtr = bigint;
export type Dim3 = [number, number, number];
/** Kernel arguments, tagged with their C type, in the order of the kernel's parameters. */
export type KernelArg =
  | { ptr: DevicePtr } // any T* parameter
  | { f64: number } // double
  | { f32: number } // float
  | { i32: number } // int
  | { u32: number } // unsigned int
  | { i64: number | bigint }; // long long

/** No driver, no device, no library: fall back to another backend. Never thrown for bugs. */
export class CudaUnavailableError extends Error {}

/** A CUDA driver, cuBLAS or NVRTC call failed. `name` is the result's symbolic name
 *  (e.g. "CUDA_ERROR_OUT_OF_MEMORY", "CUBLAS_STATUS_INVALID_VALUE"); the message also names the call. */
export class CudaError extends Error {
  readonly code: number;
  readonly name: string;
  /** the API function, e.g. "cuMemAlloc_v2" */
  readonly call: string;
}

/** NVRTC rejected a source; `log` is NVRTC's program log (name(line): error: ...). */
export class CudaCompileError extends Error {
  readonly log: string;
  readonly arch: string;
}

export interface CudaFunction {
  readonly name: string;
  /** Asynchronous launch on the default stream; faults surface at the next synchronize/download/time.
   *  Dimensions are checked against the device first. sharedBytes > 48 KiB opts the kernel in itself.
   *  Set LENSC_CUDA_SYNC=1 to synchronise after every launch while debugging. */
  launch(grid: Dim3, block: Dim3, args: KernelArg[], sharedBytes?: number): void;
}

export interface CudaModule {
  readonly name: string;
  /** An `extern "C" __global__` function of the module (C++ names are mangled and not found). */
  fn(name: string): CudaFunction;
}

export interface CudaDevice {
  name: string;
  ordinal: number;
  computeCapability: [number, number];
  totalMem: number;
  multiProcessors: number;
  /** e.g. 13000 for CUDA 13.0 */
  driverVersion: number;
  /** shared memory a block may use after opting in (launch() does that) */
  sharedMemPerBlockOptin: number;
}

/** The capability record the memory planner reads. */
export interface CudaCapabilities {
  target: 'cuda';
  /** free device memory now */
  memoryBytes: number;
  maxBufferBytes: number;
  supportsF64: true;
  maxThreadsPerBlock: number;
  maxGridDim: [number, number, number];
  /** without opt-in (48 KiB); see device.sharedMemPerBlockOptin */
  sharedMemPerBlock: number;
}

/**
 * One device and its primary context. All calls are synchronous except compile().
 *
 * BLAS is column-major, as cuBLAS is: element (i, j) of a matrix with leading dimension ld is at
 * index i + j·ld. A row-major matrix is the column-major matrix of its transpose, so row-major callers:
 *  - GEMM, C(m×n) = op(A)(m×k)·op(B)(k×n), all row-major with row strides lda, ldb, ldc:
 *      dgemm(transB, transA, n, m, k, alpha, B, ldb, A, lda, beta, C, ldc)
 *    (swap the operands and m with n; each transpose flag stays with its matrix).
 *  - SYRK, C(n×n) = A·Aᵀ with A row-major n×k (row stride lda):
 *      dsyrk(flip(uplo), true, n, k, alpha, A, lda, beta, C, ldc)
 *    and for C = Aᵀ·A (A row-major k×n) pass trans = false. The triangle flips because the row-major
 *    lower triangle is the column-major upper one; symmetrize() afterwards makes the triangle moot.
 */
export interface Cuda {
  readonly device: CudaDevice;
  /** the sm_XY that compile() targets by default */
  readonly arch: string;
  memInfo(): { free: number; total: number };
  capabilities(): CudaCapabilities;

  /** NVRTC → cubin for this device, cached in memory and under os.tmpdir()/lensc-cuda-cache;
   *  the same source returns the same module. options are appended to NVRTC's defaults. */
  compile(source: string, opts?: { name?: string; arch?: string; options?: string[] }): Promise<CudaModule>;
  /** Loads a cubin built elsewhere (e.g. `nvcc -cubin`). */
  loadCubin(image: Uint8Array, name?: string): CudaModule;

  /** alloc(0) returns 0n and allocates nothing. */
  alloc(bytes: number): DevicePtr;
  free(p: DevicePtr): void;
  /** Synchronous copies of src/dst's byteLength bytes; p may point inside an allocation.
   *  A copy that would leave the allocation throws a RangeError. */
  upload(p: DevicePtr, src: ArrayBufferView): void;
  download(p: DevicePtr, dst: ArrayBufferView): void;
  memsetZero(p: DevicePtr, bytes: number): void;
  synchronize(): void;

  /** C = alpha·op(A)·op(B) + beta·C (column-major; see above). transA/transB: true or 'T' = transposed. */
  dgemm(
    transA: boolean | 'N' | 'T',
    transB: boolean | 'N' | 'T',
    m: number,
    n: number,
    k: number,
    alpha: number,
    A: DevicePtr,
    lda: number,
    B: DevicePtr,
    ldb: number,
    beta: number,
    C: DevicePtr,
    ldc: number,
  ): void;
  /** C = alpha·A·Aᵀ + beta·C (trans false, A n×k) or alpha·Aᵀ·A + beta·C (trans true, A k×n).
   *  Only the `uplo` triangle of C is written. */
  dsyrk(
    uplo: 'lower' | 'upper',
    trans: boolean | 'N' | 'T',
    n: number,
    k: number,
    alpha: number,
    A: DevicePtr,
    lda: number,
    beta: number,
    C: DevicePtr,
    ldc: number,
  ): void;
  /** dst = 2-D DFT of `batch` row-major ny×nx complex images, (re, im) interleaved, with cuFFT (Z2Z for f64, C2C
   *  for f32). The inverse is cuFFT's: unnormalised. src and dst may be equal. */
  fft2(
    dtype: 'f64' | 'f32',
    batch: number,
    ny: number,
    nx: number,
    src: DevicePtr,
    dst: DevicePtr,
    inverse: boolean,
  ): void;
  /** Copies the `from` triangle of the column-major n×n matrix C onto the other (a built-in kernel). */
  symmetrize(C: DevicePtr, n: number, ldc: number, from: 'lower' | 'upper'): void;
  /** Times fn with CUDA events on the default stream; waits for the GPU to finish fn's work. */
  time<T>(fn: () => T): { result: T; ms: number };
}

/** The process-wide context (device LENSC_CUDA_DEVICE or 0). Rejects with CudaUnavailableError when
 *  there is no driver or device; a failure is not cached. */
export function getCuda(): Promise<Cuda>;
/** A separate context object; tests use driverPath/cublasPath to load stand-in libraries. */
export function openCuda(options?: {
  device?: number;
  driverPath?: string;
  cublasPath?: string;
  env?: NodeJS.ProcessEnv;
}): Promise<Cuda>;

/** NVRTC only (no driver, no GPU): CUDA C → cubin for `arch` ("sm_90"). Cached like compile(). */
export function compileToCubin(
  source: string,
  arch: string,
  opts?: { name?: string; options?: string[] },
): Promise<Uint8Array>;
/** Whether libnvrtc.so.13 can be loaded (see LENSC_NVRTC_PATH, .ci/cuda-setup.sh). */
export function nvrtcAvailable(): Promise<boolean>;
export function nvrtcInfo(): Promise<{ path: string; version: [number, number]; archs: number[] }>;
/** The options every NVRTC compile gets for `arch`. */
export function nvrtcDefaultOptions(arch: string): string[];
/** Where compiled cubins are cached on disk. */
export function cudaCacheDir(): string;
