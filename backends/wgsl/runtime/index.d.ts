/**
 * Types of lensc/runtime/wgsl (hand-written; the implementation is the // @ts-check JS next to it,
 * and test/wgsl-runtime/api-types.test.ts checks that the two agree).
 */
/// <reference types="@webgpu/types" />

/** No WebGPU adapter; the message lists each backend tried and why it failed. */
export declare class GpuUnavailableError extends Error {
  constructor(message: string);
}
/** WGSL failed to compile; messages are "line:col type: text" with the source line and a caret. */
export declare class WgslCompileError extends Error {
  messages: string[];
  constructor(message: string, messages: string[]);
}
/** The device reported errors for earlier work (surfaced by read() / onDone()), or was lost. */
export declare class GpuError extends Error {
  constructor(message: string);
}

/** The capability record the memory planner reads. */
export interface WgslCapabilities {
  target: 'wgsl';
  /** A budget guess, not a measurement: min(4·maxBufferSize, 2 GiB); override with getGpu({memoryBytes}) or env LENSC_WGSL_MEMORY_BYTES. */
  memoryBytes: number;
  maxBufferBytes: number;
  /** maxStorageBufferBindingSize */
  maxBindingBytes: number;
  maxStorageBuffersPerStage: number;
  maxWorkgroupsPerDim: number;
  maxInvocationsPerWorkgroup: number;
  maxWorkgroupSizeX: number;
  workgroupStorageBytes: number;
  /** minStorageBufferOffsetAlignment: byte offsets of bound ranges must be multiples of it. */
  storageOffsetAlignment: number;
  /**
   * Total loop iterations one invocation may run before the driver silently breaks out of every loop
   * (measured at getGpu: 65535 on Mesa llvmpipe/lavapipe; Infinity on real GPUs). Kernels must stay below it.
   */
  loopIterationLimit: number;
  supportsF64: false;
}

export type Binding = GPUBuffer | { buffer: GPUBuffer; offset?: number; size?: number };

/**
 * The shared device. Ordering: dispatch() records into a pending batch (one compute pass);
 * upload/read/destroy/submit/onDone submit that batch first, so operations take effect in call order.
 */
export declare class Gpu {
  readonly device: GPUDevice;
  /** GPUAdapterInfo fields; on llvmpipe vendor/architecture are empty and device names llvmpipe. */
  readonly adapterInfo: { vendor: string; architecture: string; device: string; description: string };
  /** e.g. "Dawn backend=opengles (compatibility)", "navigator.gpu (core)", "caller-provided device". */
  readonly backend: string;
  readonly memoryBytes: number;
  /** See WgslCapabilities.loopIterationLimit. */
  readonly loopIterationLimit: number;
  /** Called by getGpu(); measures the loop limit. */
  init(): Promise<this>;
  capabilities(): WgslCapabilities;
  /** Cached by source text + entry point (default 'main'); layout 'auto'. Throws WgslCompileError. */
  /** Cached per source, entry point and constants (values for the shader's override declarations). */
  pipeline(wgsl: string, entryPoint?: string, constants?: Record<string, number>): Promise<GPUComputePipeline>;
  /** Zero-filled; size rounded up to a multiple of 4 (min 4). */
  createBuffer(bytes: number, usage?: 'storage' | 'uniform'): GPUBuffer;
  upload(buf: GPUBuffer, data: ArrayBufferView, byteOffset?: number): void;
  read(buf: GPUBuffer, bytes: number, byteOffset?: number): Promise<ArrayBuffer>;
  /** binding i = @group(0) @binding(i); uniforms (copied now) at binding bindings.length. */
  dispatch(
    pipeline: GPUComputePipeline,
    bindings: Binding[],
    workgroups: [number, number, number],
    uniforms?: ArrayBufferView,
  ): void;
  submit(): void;
  onDone(): Promise<void>;
  destroy(buf: GPUBuffer): void;
  /** Destroy the device; the next getGpu() opens a new one. */
  close(): void;
}

export declare function getGpu(opts?: { device?: GPUDevice; memoryBytes?: number }): Promise<Gpu>;
export declare function validateWgsl(source: string): Promise<{ ok: boolean; messages: string[] }>;
export declare const f64ToF32: (a: ArrayLike<number>) => Float32Array;
export declare const f32ToF64: (a: ArrayLike<number>) => Float64Array;
/**
 * f64 → interleaved df64 pairs (hi, lo) of f32, for kernels compiled with precision 'df64'; a finite value
 * beyond f32's range (|x| ≥ 2¹²⁸ − 2¹⁰³) throws a RangeError naming `what`.
 */
export declare function f64ToDf64(a: ArrayLike<number>, what?: string): Float32Array;
/**
 * f64 → interleaved (hi, mid, lo) of f32 with hi + mid + lo = x exactly for 2⁻⁷⁴ ≤ |x| < 2¹²⁸ (and 0, ±∞,
 * NaN): the inputs of df64 kernels whose sums, differences and comparisons need the whole f64.
 */
export declare function f64ToF64x3(a: ArrayLike<number>, what?: string): Float32Array;
/** Interleaved df64 pairs → f64 (hi + lo). */
export declare function df64ToF64(pairs: Float32Array): Float64Array;
/** [x, y, 1] with x, y ≤ maxPerDim covering `count` workgroups; shaders use wid.y * x + wid.x and skip ids ≥ count. */
export declare function workgroupGrid(count: number, maxPerDim?: number): [number, number, number];
export declare function memoryBudgetGuess(limits: GPUSupportedLimits): number;
export declare const BufferUsage: Readonly<{
  MAP_READ: number;
  MAP_WRITE: number;
  COPY_SRC: number;
  COPY_DST: number;
  UNIFORM: number;
  STORAGE: number;
}>;

export interface MatmulArgs {
  /** m×k row-major, leading dimension lda (default k); k×m when transA (lda default m). */
  A: GPUBuffer;
  /** k×n (ldb default n), or n×k when transB (ldb default k). */
  B: GPUBuffer;
  /** m×n f32 accumulator (ldc default n); distinct from A and B. */
  C: GPUBuffer;
  m: number;
  n: number;
  k: number;
  transA?: boolean;
  transB?: boolean;
  /** Low parts: C is kept as hi + lo across calls (chunked accumulation stays compensated). */
  Clo?: GPUBuffer;
  /** C += alpha·op(A)·op(B); default 1. */
  alpha?: number;
  lda?: number;
  ldb?: number;
  ldc?: number;
  /** Element offsets into A, B, C, Clo (Clo defaults to cOffset). */
  aOffset?: number;
  bOffset?: number;
  cOffset?: number;
  loOffset?: number;
  /** Outputs per invocation along each side (tile of C = 16·block); default 4, or less for small m, n. */
  block?: 1 | 2 | 4;
}
/**
 * Records C += alpha·A·op(B) (compensated f32) on gpu's batch; resolves once recorded. k is split
 * over several dispatches where gpu.loopIterationLimit requires it (each split rounds into C once).
 */
export declare function matmulAccumulate(gpu: Gpu, args: MatmulArgs): Promise<void>;
/** Record dst = fft2(src) (inverse: ifft2, scaled by 1/(ny·nx)) over [batch, ny, nx, 2] f32 (Stockham, f32). tmp: scratch of dst's size; the three distinct. */
export declare function fft2Stockham(
  gpu: Gpu,
  args: { src: GPUBuffer; dst: GPUBuffer; tmp: GPUBuffer; batch: number; ny: number; nx: number; inverse: boolean },
): Promise<void>;
/**
 * Record dst = fft2(src) (inverse: ifft2, scaled by 1/(ny·nx)) over [batch, ny, nx, 2] df64 pairs (16 bytes a
 * complex point), with `pipeline` the df64 stage shader a df64 module carries (backends/wgsl/df64/fft_shader.ts).
 */
export declare function fft2StockhamDf64(
  gpu: Gpu,
  args: { src: GPUBuffer; dst: GPUBuffer; tmp: GPUBuffer; batch: number; ny: number; nx: number; inverse: boolean },
  pipeline: GPUComputePipeline,
): void;
/** hi + lo of a compensated accumulator, in f64. */
export declare function readCompensated(gpu: Gpu, hi: GPUBuffer, lo: GPUBuffer, count: number): Promise<Float64Array>;
