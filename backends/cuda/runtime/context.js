// @ts-check
// The Cuda object generated modules use: one device, its primary context, memory, kernels, cuBLAS.
// Everything is synchronous except compile() (kept async so NVRTC could move off-thread later).
// Copies are synchronous and checked against the allocation book (allocations.js).
import { Allocations } from './allocations.js';
import { openCublas, OP_N, OP_T, FILL_LOWER, FILL_UPPER } from './cublas.js';
import { cacheKey } from './cache.js';
import { CudaModule } from './module.js';
import { compileSync, loadNvrtcSync } from './nvrtc.js';
import { outBuf, readPtr, readSize } from './ffi.js';
import { cublasCandidates, cufftCandidates } from './locate.js';
import { openCufft } from './cufft.js';
import { SYMMETRIZE_BLOCK, SYMMETRIZE_NAME, SYMMETRIZE_SOURCE, symmetrizeGrid } from './symmetrize.js';

/** @typedef {import('./driver.js').Driver} Driver */
/** @typedef {import('./module.js').LaunchLimits} LaunchLimits */
/**
 * @typedef {{ name: string, ordinal: number, computeCapability: [number, number], totalMem: number,
 *   multiProcessors: number, driverVersion: number, sharedMemPerBlockOptin: number }} DeviceInfo
 */

export class CudaContext {
  /**
   * @param {{ koffi: any, driver: Driver, device: DeviceInfo, limits: LaunchLimits, env: NodeJS.ProcessEnv,
   *   cublasPath?: string }} o
   */
  constructor(o) {
    this.koffi = o.koffi;
    this.driver = o.driver;
    this.device = o.device;
    this.limits = o.limits;
    this.env = o.env;
    this.cublasPath = o.cublasPath;
    this.arch = `sm_${o.device.computeCapability[0]}${o.device.computeCapability[1]}`;
    this.allocations = new Allocations();
    /** @type {Map<string, CudaModule>} compiled modules by source hash */
    this.modules = new Map();
    /** @type {import('./cublas.js').Cublas | null} */
    this.blas = null;
    /** @type {import('./cufft.js').Cufft | null} */
    this.fftLib = null;
    /** @type {[bigint, bigint] | null} */
    this.events = null;
    this.syncEachLaunch = o.env.LENSC_CUDA_SYNC === '1';
  }

  memInfo() {
    const f = outBuf(),
      t = outBuf();
    this.driver.check('cuMemGetInfo_v2', this.driver.cuMemGetInfo_v2(f, t));
    return { free: readSize(f), total: readSize(t) };
  }

  /** The capability record the memory planner reads. */
  capabilities() {
    const { free } = this.memInfo();
    return {
      target: /** @type {'cuda'} */ ('cuda'),
      memoryBytes: free,
      maxBufferBytes: free, // CUDA has no per-buffer limit below free memory
      supportsF64: /** @type {true} */ (true),
      maxThreadsPerBlock: this.limits.maxThreadsPerBlock,
      maxGridDim: /** @type {[number, number, number]} */ ([...this.limits.maxGridDim]),
      sharedMemPerBlock: this.limits.sharedMemPerBlock,
    };
  }

  /**
   * NVRTC-compiles for this device (or opts.arch) and loads the module; same source → same module.
   * @param {string} source @param {{ name?: string, arch?: string, options?: string[] }} [opts]
   */
  async compile(source, opts = {}) {
    return this.compileNow(source, opts);
  }

  /** @param {string} source @param {{ name?: string, arch?: string, options?: string[] }} opts */
  compileNow(source, opts) {
    const arch = opts.arch ?? this.arch;
    const key = cacheKey([arch, (opts.options ?? []).join('\u0000'), source]);
    const hit = this.modules.get(key);
    if (hit) return hit;
    const cubin = compileSync(loadNvrtcSync(this.koffi, this.env), source, arch, opts);
    const mod = this.loadCubin(cubin, opts.name ?? 'kernel.cu');
    this.modules.set(key, mod);
    return mod;
  }

  /** Loads a cubin (or PTX text as bytes ending in NUL) built elsewhere, e.g. by nvcc. @param {Uint8Array} image @param {string} [name] */
  loadCubin(image, name = 'module') {
    const out = outBuf();
    this.driver.check('cuModuleLoadData', this.driver.cuModuleLoadData(out, image), `loading ${name}`);
    return new CudaModule(this.driver, readPtr(out), name, this.limits, this.syncEachLaunch);
  }

  /** @param {number} bytes @returns {bigint} 0n for 0 bytes (nothing is allocated; free(0n) is a no-op) */
  alloc(bytes) {
    if (!Number.isSafeInteger(bytes) || bytes < 0)
      throw new RangeError(`alloc: bytes must be a non-negative integer, got ${bytes}`);
    if (bytes === 0) return 0n;
    const out = outBuf();
    const r = this.driver.cuMemAlloc_v2(out, bytes);
    if (r !== 0) {
      const { free, total } = safeMemInfo(this);
      this.driver.check(
        'cuMemAlloc_v2',
        r,
        `requested ${bytes} bytes; ${free} of ${total} bytes free, ${this.allocations.bytes} held by lensc`,
      );
    }
    const p = readPtr(out);
    this.allocations.add(p, bytes);
    return p;
  }

  /** @param {bigint} p */
  free(p) {
    if (p === 0n) return;
    if (!this.allocations.remove(p))
      throw new RangeError(`free: 0x${p.toString(16)} is not a live allocation (double free?)`);
    this.driver.check('cuMemFree_v2', this.driver.cuMemFree_v2(p));
  }

  /** @param {bigint} p @param {ArrayBufferView} src */
  upload(p, src) {
    assertView(src, 'upload');
    this.allocations.check(p, src.byteLength, 'upload');
    if (src.byteLength === 0) return;
    this.driver.check('cuMemcpyHtoD_v2', this.driver.cuMemcpyHtoD_v2(p, src, src.byteLength));
  }

  /** @param {bigint} p @param {ArrayBufferView} dst */
  download(p, dst) {
    assertView(dst, 'download');
    this.allocations.check(p, dst.byteLength, 'download');
    if (dst.byteLength === 0) return;
    this.driver.check('cuMemcpyDtoH_v2', this.driver.cuMemcpyDtoH_v2(dst, p, dst.byteLength));
  }

  /** @param {bigint} p @param {number} bytes */
  memsetZero(p, bytes) {
    this.allocations.check(p, bytes, 'memsetZero');
    if (bytes === 0) return;
    this.driver.check('cuMemsetD8_v2', this.driver.cuMemsetD8_v2(p, 0, bytes));
  }

  synchronize() {
    this.driver.check('cuCtxSynchronize', this.driver.cuCtxSynchronize());
  }

  /** cuBLAS, opened on first use. */
  cublas() {
    if (!this.blas) {
      const cands = this.cublasPath ? [{ path: this.cublasPath }] : cublasCandidates(this.env);
      this.blas = openCublas(this.koffi, cands);
    }
    return this.blas;
  }

  /** cuFFT, opened on first use. */
  cufft() {
    this.fftLib ??= openCufft(this.koffi, cufftCandidates(this.env));
    return this.fftLib;
  }

  /**
   * dst = the 2-D DFT of `batch` row-major ny×nx images of complex values, interleaved (re, im) f64 or f32
   * (cuFFT Z2Z / C2C). The inverse is cuFFT's: e^{+2πi·}, NOT scaled by 1/(ny·nx). A 1×1 image is copied
   * (through the host: batch values) rather than planned.
   * @param {'f64'|'f32'} dtype @param {number} batch @param {number} ny @param {number} nx
   * @param {bigint} src @param {bigint} dst @param {boolean} inverse
   */
  fft2(dtype, batch, ny, nx, src, dst, inverse) {
    if (dtype !== 'f64' && dtype !== 'f32')
      throw new TypeError(`fft2: dtype must be 'f64' or 'f32', got ${String(dtype)}`);
    int32(batch, 'fft2 batch', 0);
    int32(ny, 'fft2 ny', 0);
    int32(nx, 'fft2 nx', 0);
    const values = 2 * batch * ny * nx;
    int32(values, 'fft2 values (2·batch·ny·nx)', 0);
    if (values === 0) return;
    const bytes = values * (dtype === 'f64' ? 8 : 4);
    this.allocations.check(src, bytes, 'fft2 src');
    this.allocations.check(dst, bytes, 'fft2 dst');
    if (ny * nx === 1) {
      const tmp = new Uint8Array(bytes);
      this.download(src, tmp);
      this.upload(dst, tmp);
      return;
    }
    this.cufft().fft2(dtype, batch, ny, nx, src, dst, inverse);
  }

  /**
   * C = alpha·op(A)·op(B) + beta·C, column-major (see index.d.ts for row-major callers).
   * @param {boolean|'N'|'T'} transA @param {boolean|'N'|'T'} transB
   * @param {number} m @param {number} n @param {number} k @param {number} alpha
   * @param {bigint} A @param {number} lda @param {bigint} B @param {number} ldb
   * @param {number} beta @param {bigint} C @param {number} ldc
   */
  dgemm(transA, transB, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc) {
    const ta = flag(transA, 'dgemm transA'),
      tb = flag(transB, 'dgemm transB');
    for (const [v, nm] of /** @type {const} */ ([
      [m, 'm'],
      [n, 'n'],
      [k, 'k'],
    ]))
      int32(v, `dgemm ${nm}`, 0);
    if (m === 0 || n === 0) return;
    // stored shapes: A is (ta ? k×m : m×k), B is (tb ? n×k : k×n), C is m×n
    matrix(this, A, ta ? k : m, ta ? m : k, lda, 'dgemm A', k > 0);
    matrix(this, B, tb ? n : k, tb ? k : n, ldb, 'dgemm B', k > 0);
    matrix(this, C, m, n, ldc, 'dgemm C', true);
    this.cublas().dgemm(ta ? OP_T : OP_N, tb ? OP_T : OP_N, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
  }

  /**
   * C = alpha·A·Aᵀ + beta·C (trans=false, A n×k) or alpha·Aᵀ·A + beta·C (trans=true, A k×n); only the
   * `uplo` triangle of C is written — follow with symmetrize(C, n, ldc, uplo) for the full matrix.
   * @param {'lower'|'upper'} uplo @param {boolean|'N'|'T'} trans @param {number} n @param {number} k
   * @param {number} alpha @param {bigint} A @param {number} lda @param {number} beta @param {bigint} C @param {number} ldc
   */
  dsyrk(uplo, trans, n, k, alpha, A, lda, beta, C, ldc) {
    const fill = triangle(uplo, 'dsyrk uplo');
    const t = flag(trans, 'dsyrk trans');
    int32(n, 'dsyrk n', 0);
    int32(k, 'dsyrk k', 0);
    if (n === 0) return;
    matrix(this, A, t ? k : n, t ? n : k, lda, 'dsyrk A', k > 0);
    matrix(this, C, n, n, ldc, 'dsyrk C', true);
    this.cublas().dsyrk(fill, t ? OP_T : OP_N, n, k, alpha, A, lda, beta, C, ldc);
  }

  /**
   * Copies the `from` triangle of the column-major n×n matrix C onto the other one.
   * @param {bigint} C @param {number} n @param {number} ldc @param {'lower'|'upper'} from
   */
  symmetrize(C, n, ldc, from) {
    const lower = triangle(from, 'symmetrize from') === FILL_LOWER ? 1 : 0;
    int32(n, 'symmetrize n', 0);
    if (n <= 1) return;
    matrix(this, C, n, n, ldc, 'symmetrize C', true);
    const mod = this.compileNow(SYMMETRIZE_SOURCE, { name: 'lensc_symmetrize.cu' });
    mod
      .fn(SYMMETRIZE_NAME)
      .launch(symmetrizeGrid(n), SYMMETRIZE_BLOCK, [{ ptr: C }, { i32: n }, { i32: ldc }, { i32: lower }]);
  }

  /**
   * Times fn on the GPU with CUDA events (start before, stop after, wait for stop).
   * @template T @param {() => T} fn @returns {{ result: T, ms: number }}
   */
  time(fn) {
    const d = this.driver;
    if (!this.events) {
      const a = outBuf(),
        b = outBuf();
      d.check('cuEventCreate', d.cuEventCreate(a, 0));
      d.check('cuEventCreate', d.cuEventCreate(b, 0));
      this.events = [readPtr(a), readPtr(b)];
    }
    const [start, stop] = this.events;
    d.check('cuEventRecord', d.cuEventRecord(start, null));
    const result = fn();
    d.check('cuEventRecord', d.cuEventRecord(stop, null));
    d.check('cuEventSynchronize', d.cuEventSynchronize(stop));
    const ms = new Float32Array(1);
    d.check(d.elapsedName, d.cuEventElapsedTime(ms, start, stop));
    return { result, ms: ms[0] };
  }
}

/** @param {CudaContext} c */
function safeMemInfo(c) {
  try {
    return c.memInfo();
  } catch {
    return { free: NaN, total: NaN };
  }
}

/** @param {unknown} v @param {string} what */
function assertView(v, what) {
  if (!ArrayBuffer.isView(v)) throw new TypeError(`${what}: expected a typed array or DataView`);
}

/** @param {unknown} v @param {string} what @returns {boolean} transposed */
function flag(v, what) {
  if (v === true || v === 'T') return true;
  if (v === false || v === 'N') return false;
  throw new TypeError(`${what} must be a boolean (or 'N' / 'T'), got ${String(v)}`);
}

/** @param {unknown} v @param {string} what */
function triangle(v, what) {
  if (v === 'lower') return FILL_LOWER;
  if (v === 'upper') return FILL_UPPER;
  throw new TypeError(`${what} must be 'lower' or 'upper', got ${String(v)}`);
}

/** @param {number} v @param {string} what @param {number} min */
function int32(v, what, min) {
  if (!Number.isInteger(v) || v < min || v > 0x7fffffff)
    throw new RangeError(`${what} must be an integer in ${min}..2^31-1, got ${v}`);
}

/**
 * Checks a column-major rows×cols matrix with leading dimension ld fits its device buffer.
 * @param {CudaContext} c @param {bigint} p @param {number} rows @param {number} cols @param {number} ld
 * @param {string} what @param {boolean} used  false when BLAS will not read it (k = 0)
 */
function matrix(c, p, rows, cols, ld, what, used) {
  int32(ld, `${what}: leading dimension`, Math.max(1, rows));
  if (!used || rows === 0 || cols === 0) return;
  c.allocations.check(p, 8 * (ld * (cols - 1) + rows), what);
}
