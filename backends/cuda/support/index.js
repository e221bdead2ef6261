// @ts-check
// lensc/runtime/cuda-support — what generated CUDA modules use besides the runtime proper
// (lensc/runtime/cuda): opening the device with the kernel's name in the error, the memory budget,
// a per-call allocation book, launch shapes, row-major GEMM / SYRK on cuBLAS, scatter error
// reporting, host linear algebra, downloads, and phase timing for benchmarks.
import { getCuda, CudaUnavailableError } from '../runtime/index.js';
import { cholesky, triSolve } from '../../js/support/linalg.js';
export { checkOptions } from '../../js/support/index.js';
export { gemm, syrk, symmetrize, syrkMode } from './blas.js';

/** @typedef {import('../runtime/index.js').Cuda} Cuda */
/** @typedef {import('../runtime/index.js').CudaFunction} CudaFunction */
/** @typedef {import('../runtime/index.js').KernelArg} KernelArg */
/** @typedef {'f64'|'f32'|'i32'|'bool'} DType */

const BYTES = { f64: 8, f32: 4, i32: 4, bool: 4 };
const ARRAYS = { f64: Float64Array, f32: Float32Array, i32: Int32Array, bool: Int32Array };

/**
 * The process-wide device. Without a driver this rejects with CudaUnavailableError, its message
 * prefixed with the kernel, so a caller sees which call needed CUDA (and can fall back to kernels/js).
 * @param {string} kernel @returns {Promise<Cuda>}
 */
export async function openDevice(kernel) {
  try {
    return await getCuda();
  } catch (e) {
    if (e instanceof CudaUnavailableError) {
      const err = new CudaUnavailableError(`${kernel} (target cuda): ${e.message}`);
      err.cause = e;
      throw err;
    }
    throw e;
  }
}

/**
 * Bytes of intermediates the planner may use: free device memory (cuMemGetInfo) less what this call
 * uploads and downloads, less a margin for cuBLAS workspaces and fragmentation.
 * @param {string} kernel @param {Cuda} cu @param {number} ioBytes
 */
export function deviceBudget(kernel, cu, ioBytes) {
  const free = cu.capabilities().memoryBytes;
  const margin = Math.max(256 * 2 ** 20, Math.floor(0.05 * free));
  const room = free - margin - ioBytes;
  if (room <= 0) {
    throw new RangeError(
      `${kernel}: the inputs and outputs need ${ioBytes} bytes of device memory, ${free} are free on ${cu.device.name} (${margin} kept for cuBLAS)`,
    );
  }
  return room;
}

/** @param {DType} dtype @param {number} n */
export const bytesOf = (dtype, n) => BYTES[dtype] * n;

/** Device allocations of one call, all freed by freeAll() (in the module's finally). */
export class Memory {
  /** @param {Cuda} cu */
  constructor(cu) {
    this.cu = cu;
    /** @type {Set<bigint>} */
    this.live = new Set();
  }

  /** @param {number} bytes  at least 8 are allocated, so every buffer has an address */
  alloc(bytes) {
    const p = this.cu.alloc(Math.max(8, bytes));
    this.live.add(p);
    return p;
  }

  /** @param {ArrayBufferView} data */
  upload(data) {
    const p = this.alloc(data.byteLength);
    this.cu.upload(p, data);
    return p;
  }

  /** @param {bigint | undefined} p */
  free(p) {
    if (p === undefined || !this.live.delete(p)) return;
    this.cu.free(p);
  }

  freeAll() {
    for (const p of this.live) {
      try {
        this.cu.free(p);
      } catch {
        /* a failed call may leave the context unusable; keep freeing */
      }
    }
    this.live.clear();
  }
}

/** Threads per block of the generated grid-stride kernels. */
const BLOCK = 256;

/**
 * Launches a grid-stride kernel over n flat elements (n = 0: nothing); at most 32 blocks per SM, the
 * rest is covered by the stride. A kernel over nothing (rank-0 domain) is one thread.
 * @param {Cuda} cu @param {CudaFunction} fn @param {number | null} n  null: a single thread
 * @param {KernelArg[]} args
 */
export function launch(cu, fn, n, args) {
  if (n === null) return fn.launch([1, 1, 1], [1, 1, 1], args);
  if (!(n > 0)) return;
  const blocks = Math.max(1, Math.min(Math.ceil(n / BLOCK), 32 * cu.device.multiProcessors, 0x7fffffff));
  fn.launch([blocks, 1, 1], [BLOCK, 1, 1], args);
}

/**
 * A reduction to rank-0 outputs in two launches: `part` leaves `slots` partials per output (slot t
 * reduces the elements t, t + slots, … in order), `fin` combines them in slot order and stores.
 * @param {Cuda} cu @param {Memory} mem @param {CudaFunction} part @param {CudaFunction} fin
 * @param {number} slots  the kernels' REDUCE_SLOTS @param {KernelArg[]} args  without the partials
 * @param {number} nParts  outputs (one partials buffer each) @param {KernelArg[]} outputs
 */
export function reduce(cu, mem, part, fin, slots, args, nParts, outputs) {
  const parts = Array.from({ length: nParts }, () => mem.alloc(8 * slots));
  try {
    const ptrs = parts.map((p) => ({ ptr: p }));
    launch(cu, part, slots, [...args, ...ptrs]);
    launch(cu, fin, null, [...ptrs, ...outputs]);
  } finally {
    for (const p of parts) mem.free(p);
  }
}

/**
 * Runs a scatter kernel, then checks its error word; on an out-of-range index, launches it again in
 * probe mode to read that point's indices and throws the JS backend's RangeError.
 * @param {Cuda} cu @param {Memory} mem @param {CudaFunction} fn @param {number | null} n
 * @param {KernelArg[]} args  without the two trailing error arguments
 * @param {number} nIdx @param {string} kernel @param {number[]} dims  the target's shape
 */
export function scatter(cu, mem, fn, n, args, nIdx, kernel, dims) {
  const err = mem.alloc(8 * (1 + nIdx));
  try {
    cu.memsetZero(err, 8 * (1 + nIdx));
    launch(cu, fn, n, [...args, { ptr: err }, { i64: -1 }]);
    const word = new BigUint64Array(1 + nIdx);
    cu.download(err, word.subarray(0, 1));
    if (word[0] === 0n) return;
    const point = ~word[0] & 0xffffffffffffffffn;
    launch(cu, fn, n, [...args, { ptr: err }, { i64: point }]);
    cu.download(err, word);
    const idx = Array.from(word.subarray(1), (w) => Number(BigInt.asIntN(64, w)));
    throw new RangeError(
      `${kernel}: scatterAdd index (${idx.join(', ')}) is outside the target shape (${dims.join(', ')})`,
    );
  } finally {
    mem.free(err);
  }
}

/**
 * Sets n elements at p to value with the module's fill kernel for the buffer's dtype.
 * @param {Cuda} cu @param {CudaFunction} fn @param {bigint} p @param {number} n @param {number} value @param {DType} dtype
 */
export function fill(cu, fn, p, n, value, dtype) {
  /** @type {KernelArg} */
  const v =
    dtype === 'f64'
      ? { f64: value }
      : dtype === 'f32'
        ? { f32: value }
        : { i32: dtype === 'bool' ? (value ? 1 : 0) : value | 0 };
  launch(cu, fn, n, [{ ptr: p }, { i64: n }, v]);
}

/** A fresh host array with n elements of the buffer at p. @param {Cuda} cu @param {bigint} p @param {number} n @param {DType} dtype */
export function download(cu, p, n, dtype) {
  const out = new ARRAYS[dtype](n);
  cu.download(p, out);
  return out;
}

/** A rank-0 buffer as a number. @param {Cuda} cu @param {bigint} p @param {DType} dtype */
export function downloadScalar(cu, p, dtype) {
  return download(cu, p, 1, dtype)[0];
}

/**
 * Cholesky factor on the host (f64, backends/js/support/linalg.js): S is small (a few thousand), and
 * the factorisation is a sliver of the likelihood's time; the manifest's precision note says so.
 * @param {Cuda} cu @param {bigint} a @param {bigint} out @param {number} n @param {string} kernel
 */
export function hostCholesky(cu, a, out, n, kernel) {
  const A = new Float64Array(n * n);
  cu.download(a, A);
  cholesky(A, A, n, kernel);
  cu.upload(out, A);
}

/**
 * Triangular solve on the host (see hostCholesky).
 * @param {Cuda} cu @param {bigint} l @param {bigint} b @param {bigint} out @param {number} n @param {number} cols @param {boolean} transpose
 */
export function hostTriSolve(cu, l, b, out, n, cols, transpose) {
  const L = new Float64Array(n * n),
    B = new Float64Array(n * cols);
  cu.download(l, L);
  cu.download(b, B);
  triSolve(L, B, B, n, cols, transpose);
  cu.upload(out, B);
}

/**
 * Phase timer for benchmarks (the module's __profile export): once a device is attached, mark(name)
 * waits for the GPU and charges the wall time since the previous mark to `name`. Disabled, it costs
 * nothing and never synchronises.
 * @param {boolean} enabled
 */
export function timer(enabled) {
  /** @type {Record<string, number>} */
  const ms = {};
  let last = performance.now();
  /** @type {Cuda | null} */
  let dev = null;
  return {
    ms,
    /** @param {Cuda} c */
    attach(c) {
      if (enabled) dev = c;
    },
    /** @param {string} name */
    mark(name) {
      if (!enabled) return;
      if (dev) dev.synchronize();
      const now = performance.now();
      ms[name] = (ms[name] ?? 0) + (now - last);
      last = now;
    },
  };
}
