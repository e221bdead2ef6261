// @ts-check
// native_blas.js — an optimised native BLAS/LAPACK (OpenBLAS) through koffi, when the machine has one.
//
// The JS backend's dense steps (gemm, syrk, Cholesky, triangular solves) call it with OpenBLAS set to one
// thread: gemm and syrk are cut into fixed tiles that lensc's worker pool shares (native_blas_tasks.js), so
// OpenBLAS's threads and the pool never compete for cores and the bits do not depend on the thread count.
// Where there is no library (browsers, machines without OpenBLAS, koffi missing) or LENSC_BLAS=wasm asks for
// it, everything runs on the WebAssembly kernels instead: a slower path, never an error, said once.
//
// Environment: LENSC_BLAS=wasm forces the WebAssembly kernels; LENSC_BLAS_LIB=/path/libopenblas.so picks
// the library (otherwise the usual Debian/Ubuntu, Fedora and Homebrew places are tried in order).
//
// Matrices are row-major f64 in the shared WebAssembly memory; koffi hands OpenBLAS a pointer into it
// (typed-array views are passed by address, never copied).
import { createRequire } from 'node:module';

const ROW_MAJOR = 101,
  NO_TRANS = 111,
  TRANS = 112,
  LOWER = 122,
  NON_UNIT = 131,
  LEFT = 141,
  RIGHT = 142;

/** Library names tried in order when LENSC_BLAS_LIB is unset. */
const CANDIDATES = [
  'libopenblas.so.0', // the system's choice (Debian alternatives, ld.so.conf)
  '/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0',
  '/usr/lib/aarch64-linux-gnu/openblas-pthread/libopenblas.so.0',
  'libopenblasp.so.0',
  'libopenblas.so',
  '/opt/homebrew/opt/openblas/lib/libopenblas.dylib',
  '/usr/local/opt/openblas/lib/libopenblas.dylib',
];

/**
 * @typedef {object} BlasInfo  what `blasInfo()` reports
 * @property {'openblas'|'wasm'} backend  which kernels the dense steps run on
 * @property {string} reason  why (the library's path, or why there is none)
 * @property {string} [library] @property {string} [config] @property {string} [core]
 * @property {number} [openblasThreads]  threads of OpenBLAS's own pool (lensc asks for 1 per call)
 */

/**
 * @typedef {object} NativeBlas
 * @property {BlasInfo} info
 * @property {(transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number, a: Float64Array,
 *   lda: number, b: Float64Array, ldb: number, beta: number, c: Float64Array, ldc: number) => void} dgemm
 * @property {(trans: boolean, n: number, k: number, alpha: number, a: Float64Array, lda: number, beta: number,
 *   c: Float64Array, ldc: number) => void} dsyrkLower  only the lower triangle of C is written
 * @property {(transpose: boolean, n: number, cols: number, l: Float64Array, ldl: number, b: Float64Array,
 *   ldb: number) => void} dtrsmLowerLeft  B ← L⁻¹B or L⁻ᵀB, L lower n×n, B n×cols
 * @property {(rows: number, n: number, l: Float64Array, ldl: number, b: Float64Array, ldb: number) => void}
 *   dtrsmLowerTRight  B ← B·L⁻ᵀ, L lower n×n, B rows×n (the panel of a blocked Cholesky)
 * @property {(n: number, a: Float64Array, lda: number) => number} dpotrfLower  row-major lower Cholesky in
 *   place; returns -1, or the 0-based pivot that is not positive
 */

/** @returns {{ blas: NativeBlas | null, info: BlasInfo, said: boolean, off?: boolean }} */
function state() {
  const g = /** @type {any} */ (globalThis);
  const key = Symbol.for('lensc.runtime.js.nativeBlas');
  return (g[key] ??= load());
}

/** The loaded library, or null when the WebAssembly kernels are in use (see blasInfo() for why). */
export function nativeBlas() {
  const st = state();
  if (st.off) return null;
  if (!st.blas && !st.said) {
    st.said = true;
    if (st.info.reason !== 'LENSC_BLAS=wasm') {
      console.warn(
        `lensc: no native BLAS (${st.info.reason}); dense linear algebra runs on the WebAssembly kernels (slower). Debian/Ubuntu: apt-get install libopenblas0-pthread`,
      );
    }
  }
  return st.blas;
}

/**
 * Which kernels the JS backend's dense steps use, and the library's path, version and threads.
 * @returns {BlasInfo}
 */
export function blasInfo() {
  const st = state();
  if (st.off) return { backend: 'wasm', reason: 'useNativeBlas(false)' };
  return { ...st.info };
}

/**
 * Turn the native BLAS off (false: WebAssembly kernels) or back on (true: when the library loaded) for this
 * process's main thread; for tests and benchmarks. Returns whether native BLAS is now in use.
 * @param {boolean} on
 */
export function useNativeBlas(on) {
  const st = state();
  st.off = !on;
  return !st.off && st.blas !== null;
}

function load() {
  const env = typeof process === 'object' ? process.env : {};
  /** @param {string} reason */
  const none = (reason) => ({ blas: null, info: /** @type {BlasInfo} */ ({ backend: 'wasm', reason }), said: false });
  const mode = env.LENSC_BLAS || 'openblas';
  if (mode === 'wasm') return none('LENSC_BLAS=wasm');
  if (mode !== 'openblas') return none(`LENSC_BLAS=${mode} is not 'openblas' or 'wasm'`);
  let koffi;
  try {
    koffi = createRequire(import.meta.url)('koffi');
  } catch (e) {
    return none(`koffi is not available: ${/** @type {Error} */ (e).message.split('\n')[0]}`);
  }
  const names = env.LENSC_BLAS_LIB ? [env.LENSC_BLAS_LIB] : CANDIDATES;
  const errors = [];
  for (const name of names) {
    let lib;
    try {
      lib = koffi.load(name);
    } catch (e) {
      errors.push(`${name}: ${/** @type {Error} */ (e).message.split('\n')[0]}`);
      continue;
    }
    try {
      const blas = bind(lib, name);
      return { blas, info: blas.info, said: false };
    } catch (e) {
      errors.push(`${name}: ${/** @type {Error} */ (e).message.split('\n')[0]}`);
    }
  }
  return none(env.LENSC_BLAS_LIB ? (errors[0] ?? 'not found') : 'libopenblas not found');
}

/** Binds the entry points; throws when one is missing (not an OpenBLAS). @param {any} lib @param {string} name @returns {NativeBlas} */
function bind(lib, name) {
  const dgemm = lib.func(
    'void cblas_dgemm(int, int, int, int, int, int, double, double *, int, double *, int, double, double *, int)',
  );
  const dsyrk = lib.func('void cblas_dsyrk(int, int, int, int, int, double, double *, int, double, double *, int)');
  const dtrsm = lib.func('void cblas_dtrsm(int, int, int, int, int, int, int, double, double *, int, double *, int)');
  const dpotrf = lib.func('void dpotrf_(const char *uplo, int *n, double *a, int *lda, int *info)');
  const setThreads = lib.func('void openblas_set_num_threads(int)');
  const getThreads = lib.func('int openblas_get_num_threads(void)');
  const config = lib.func('const char *openblas_get_config(void)');
  const core = lib.func('const char *openblas_get_corename(void)');
  const path = libraryPath(name);
  const openblasThreads = getThreads();
  // One thread per call, always: OpenBLAS's bits depend on its thread count, lensc's must not; the
  // parallelism comes from lensc's own fixed tiles on its worker pool (native_blas_tasks.js).
  setThreads(1);
  const nArg = new Int32Array(1),
    ldArg = new Int32Array(1),
    infoArg = new Int32Array(1);
  /** @type {NativeBlas} */
  const blas = {
    info: {
      backend: 'openblas',
      reason: `loaded ${path}`,
      library: path,
      config: config(),
      core: core(),
      openblasThreads,
    },
    dgemm(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) {
      dgemm(
        ROW_MAJOR,
        transA ? TRANS : NO_TRANS,
        transB ? TRANS : NO_TRANS,
        m,
        n,
        k,
        alpha,
        a,
        lda,
        b,
        ldb,
        beta,
        c,
        ldc,
      );
    },
    dsyrkLower(trans, n, k, alpha, a, lda, beta, c, ldc) {
      dsyrk(ROW_MAJOR, LOWER, trans ? TRANS : NO_TRANS, n, k, alpha, a, lda, beta, c, ldc);
    },
    dtrsmLowerLeft(transpose, n, cols, l, ldl, b, ldb) {
      dtrsm(ROW_MAJOR, LEFT, LOWER, transpose ? TRANS : NO_TRANS, NON_UNIT, n, cols, 1, l, ldl, b, ldb);
    },
    dtrsmLowerTRight(rows, n, l, ldl, b, ldb) {
      dtrsm(ROW_MAJOR, RIGHT, LOWER, TRANS, NON_UNIT, rows, n, 1, l, ldl, b, ldb);
    },
    dpotrfLower(n, a, lda) {
      // Row-major lower L is column-major upper Lᵀ: LAPACK's 'U' factor A = UᵀU with U = Lᵀ.
      nArg[0] = n;
      ldArg[0] = lda;
      infoArg[0] = 0;
      dpotrf('U', nArg, a, ldArg, infoArg);
      const info = infoArg[0];
      if (info < 0) throw new Error(`lensc native dpotrf: argument ${-info} is invalid`);
      return info > 0 ? info - 1 : -1;
    },
  };
  return blas;
}

/** The file koffi opened, resolved through /proc/self/maps where the name was a bare soname. @param {string} name */
function libraryPath(name) {
  if (name.startsWith('/')) return name;
  try {
    const maps = createRequire(import.meta.url)('node:fs').readFileSync('/proc/self/maps', 'utf8');
    const line = maps.split('\n').find((/** @type {string} */ l) => l.includes('openblas'));
    if (line) return line.slice(line.indexOf('/'));
  } catch {
    /* not Linux: keep the name */
  }
  return name;
}
