// index.d.ts — types of the JS backend runtime (`lensc/runtime/js`), the only import of generated JS kernels.

export type DType = 'f64' | 'f32' | 'i32';
export type TypedArrayOf<D extends DType> = D extends 'f64'
  ? Float64Array
  : D extends 'f32'
    ? Float32Array
    : Int32Array;

/** A buffer in the shared arena: byte offset into arena memory, length in elements. Structured-cloneable. */
export interface BufferRef<D extends DType = DType> {
  offset: number;
  length: number;
  dtype: D;
}

/** What a task receives first: views on the CURRENT memory.buffer (the buffer object changes when memory grows). */
export interface Ctx {
  readonly memory: WebAssembly.Memory;
  f64(ref: BufferRef): Float64Array;
  f32(ref: BufferRef): Float32Array;
  i32(ref: BufferRef): Int32Array;
  view<D extends DType>(ref: BufferRef<D>): TypedArrayOf<D>;
}

/** The task signature generated modules export as `__tasks[name]`. Runs on [lo, hi); may be async. */
export type Task<A = any> = (ctx: Ctx, args: A, lo: number, hi: number) => void | Promise<void>;

/** Process-wide allocator over one shared WebAssembly.Memory (max 4 GiB). Main thread only. */
export interface Arena {
  readonly memory: WebAssembly.Memory;
  /** 64-byte aligned; grows memory as needed; RangeError naming the requested bytes past 4 GiB. */
  alloc<D extends DType = 'f64'>(length: number, dtype?: D): BufferRef<D>;
  /** Throws on a double free or a ref not from this arena. */
  free(ref: BufferRef): void;
  view<D extends DType>(ref: BufferRef<D>): TypedArrayOf<D>;
  /** alloc + copy in; dtype defaults to the array's own (plain arrays: f64), a different one converts. */
  upload<D extends DType>(data: ArrayLike<number>, dtype: D): BufferRef<D>;
  upload(data: Float64Array | number[]): BufferRef<'f64'>;
  upload(data: Float32Array): BufferRef<'f32'>;
  upload(data: Int32Array): BufferRef<'i32'>;
  /** A fresh, non-shared copy. */
  download<D extends DType>(ref: BufferRef<D>): TypedArrayOf<D>;
  /** Bytes of live blocks (sizes rounded up to 64). */
  bytesInUse(): number;
  peakBytes(): number;
  resetPeak(): void;
}

/** Row-major f64; a, b, c are BYTE offsets into arena memory; lda/ldb/ldc in elements.
 *  C (m×n) = alpha·op(A)·op(B) + beta·C, op(A) m×k (stored k×m when transA), op(B) k×n (stored n×k when transB).
 *  beta = 0 ignores C's old contents (NaN included). */
export interface GemmParams {
  transA: boolean;
  transB: boolean;
  m: number;
  n: number;
  k: number;
  alpha: number;
  a: number;
  lda: number;
  b: number;
  ldb: number;
  beta: number;
  c: number;
  ldc: number;
}

/** C (n×n) = alpha·A·Aᵀ + beta·C (A n×k), or with trans alpha·Aᵀ·A + beta·C (A k×n). Writes the full C
 *  (both triangles, bitwise symmetric when beta·C is); each symmetric pair of tiles is computed once. */
export interface SyrkParams {
  trans: boolean;
  n: number;
  k: number;
  alpha: number;
  a: number;
  lda: number;
  beta: number;
  c: number;
  ldc: number;
  /** Only the lower triangle of C is wanted (a Cholesky's trailing update): the native path then leaves the
   *  upper one as it was instead of mirroring; the WebAssembly path writes both either way. */
  lowerOnly?: boolean;
}

export interface ParallelForOptions {
  /** Minimum indices per piece (default 1); fewer than 2 pieces' worth runs inline on the main thread. */
  grain?: number;
  /** 'uniform' (default), or 'triangular': index i costs (i - lo + 1), as row i of a lower triangle. */
  cost?: 'uniform' | 'triangular';
}

export interface Runtime {
  readonly threads: number;
  /** The process-wide arena, shared by all Runtimes. */
  readonly arena: Arena;
  /** Process-wide async mutex around kernel invocations; re-entrant within the same async context. */
  exclusive<T>(fn: () => Promise<T>): Promise<T>;
  /** Run `__tasks[name]` of the module at moduleUrl (absolute URL or path: pass import.meta.url) over
   *  [lo, hi) in contiguous pieces: piece 0 on the main thread, the rest on pool workers. Resolves when all
   *  pieces finish; rejects with the first failing piece's error (same message). args: structured-cloneable. */
  parallelFor(
    moduleUrl: string,
    name: string,
    lo: number,
    hi: number,
    args: object,
    opts?: ParallelForOptions,
  ): Promise<void>;
  /** Results are bitwise identical for any thread count. */
  gemm(p: GemmParams): Promise<void>;
  syrk(p: SyrkParams): Promise<void>;
  /** 2-D FFT over the last two axes of a [batch, ny, nx, 2] complex (re, im interleaved) f64 or f32 buffer, src → dst
   *  (src may be dst). Forward e^{−2πi·}; inverse e^{+2πi·} scaled by 1/(ny·nx). Any sizes (Bluestein for large
   *  prime factors). Results are bitwise identical for any thread count. */
  fft2(p: Fft2Params): Promise<void>;
  /** fftconv2 (compiler/ir/graph.ts): dst[b, y, x] = Σ_{y' < ny, x' < nx} kernel[(y − y') mod py, (x − x') mod px]·src[b, y', x']
   *  for real [batch, ny, nx] src/dst and a real [py, px] kernel (py ≥ ny, px ≥ nx), by FFT with two images per
   *  complex transform. Results are bitwise identical for any thread count. */
  fftconv2(p: FftConv2Params): Promise<void>;
}

export interface FftConv2Params {
  src: BufferRef<'f64' | 'f32'>;
  kernel: BufferRef<'f64' | 'f32'>;
  /** [2, py, px + 7, 2] f64 scratch: the kernel as complex values and its spectrum, then the spectrum in blocks. */
  work: BufferRef<'f64'>;
  dst: BufferRef<'f64' | 'f32'>;
  batch: number;
  ny: number;
  nx: number;
  py: number;
  px: number;
}

export interface Fft2Params {
  src: BufferRef<'f64' | 'f32'>;
  dst: BufferRef<'f64' | 'f32'>;
  batch: number;
  ny: number;
  nx: number;
  inverse: boolean;
}

/** One process-wide runtime per thread count: parallel loops split into `threads` pieces, run by the main thread and
 *  min(threads − 1, os.availableParallelism() − 1) pool workers (at least one); default os.availableParallelism(). */
export function getRuntime(threads?: number): Promise<Runtime>;
/** The process-wide arena without starting any worker. */
export function getArena(): Arena;
/** Ctx over a memory (what tasks get; also for inline execution). */
export function ctxFor(memory: WebAssembly.Memory): Ctx;
/** Stop the pool's workers and, when no buffer is live, drop the arena so its memory goes back to the system.
 *  Optional: idle workers never keep the process up, and a large idle arena (> 64 MiB, 1 s without calls) is
 *  released by itself. Later calls start afresh. */
export function shutdown(): Promise<void>;

/** Which kernels gemm, syrk, Cholesky and the triangular solves run on, and why. */
export interface BlasInfo {
  /** 'openblas': the native library through koffi (one OpenBLAS thread per lensc thread, fixed tiles);
   *  'wasm': the WebAssembly SIMD kernels (no library, LENSC_BLAS=wasm, or useNativeBlas(false)). */
  backend: 'openblas' | 'wasm';
  /** The library's path, or why there is none. */
  reason: string;
  library?: string;
  /** openblas_get_config(): version and build options. */
  config?: string;
  /** openblas_get_corename(): the CPU kernels OpenBLAS picked. */
  core?: string;
  /** OpenBLAS's own thread pool size before lensc set it to one (lensc calls it with one thread per calling thread). */
  openblasThreads?: number;
  /** The symbol flavour: 'lp64' (cblas_dgemm, 32-bit integers), 'scipy-ilp64' (scipy_cblas_dgemm64_: the
   *  scipy-openblas64 wheel, bundled by numpy ≥ 2) or 'ilp64' (cblas_dgemm64_); the last two take 64-bit integers. */
  symbols?: 'lp64' | 'scipy-ilp64' | 'ilp64';
}
/** The dense linear algebra backend of this process (loads the library on first call). */
export function blasInfo(): BlasInfo;
/** Switch the native BLAS off (false) or back on (true) for this process; returns whether it is in use.
 *  LENSC_BLAS=wasm in the environment does the same for a whole run. */
export function useNativeBlas(on: boolean): boolean;
