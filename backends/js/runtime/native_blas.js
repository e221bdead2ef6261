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
// Symbol flavours (detected, in this order): plain LP64 OpenBLAS (cblas_dgemm, dpotrf_; 32-bit integers);
// the scipy-openblas64 wheel's ILP64 build, which numpy ≥ 2 also bundles (scipy_cblas_dgemm64_,
// scipy_dpotrf_64_; 64-bit integers); and a plain ILP64 build (cblas_dgemm64_, dpotrf_64_, e.g. Debian's
// libopenblas64-0). The CBLAS enumerations stay C ints in every flavour; sizes, strides and LAPACK's integer
// arguments are 64-bit in the ILP64 ones.
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
 * @property {'lp64'|'scipy-ilp64'|'ilp64'} [symbols]  the library's symbol flavour (see the file header)
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

/**
 * The symbol flavours lensc knows: how each names the CBLAS, LAPACK and OpenBLAS entry points, and the C type
 * of BLAS integers. `cblas('dgemm')` → 'scipy_cblas_dgemm64_', `lapack('dpotrf')` → 'scipy_dpotrf_64_', …
 * @typedef {{ name: 'lp64'|'scipy-ilp64'|'ilp64', int: string, cblas: (f: string) => string,
 *   lapack: (f: string) => string, openblas: (f: string) => string }} Flavour
 * @type {Flavour[]}
 */
const FLAVOURS = [
  { name: 'lp64', int: 'int', cblas: (f) => `cblas_${f}`, lapack: (f) => `${f}_`, openblas: (f) => `openblas_${f}` },
  {
    name: 'scipy-ilp64',
    int: 'int64_t',
    cblas: (f) => `scipy_cblas_${f}64_`,
    lapack: (f) => `scipy_${f}_64_`,
    openblas: (f) => `scipy_openblas_${f}64_`,
  },
  {
    name: 'ilp64',
    int: 'int64_t',
    cblas: (f) => `cblas_${f}64_`,
    lapack: (f) => `${f}_64_`,
    openblas: (f) => `openblas_${f}64_`,
  },
];

/** Binds the entry points of the first flavour the library exports; throws when none fits (not an OpenBLAS).
 * @param {any} lib @param {string} name @returns {NativeBlas} */
function bind(lib, name) {
  /** @type {string[]} */
  const tried = [];
  for (const fl of FLAVOURS) {
    try {
      return bindFlavour(lib, name, fl);
    } catch (e) {
      tried.push(`${fl.name}: ${/** @type {Error} */ (e).message.split('\n')[0]}`);
    }
  }
  throw new Error(`no OpenBLAS symbols (${tried.join('; ')})`);
}

/** @param {any} lib @param {string} name @param {Flavour} fl @returns {NativeBlas} */
function bindFlavour(lib, name, fl) {
  const I = fl.int;
  const dgemm = lib.func(
    `void ${fl.cblas('dgemm')}(int, int, int, ${I}, ${I}, ${I}, double, double *, ${I}, double *, ${I}, double, double *, ${I})`,
  );
  const dsyrk = lib.func(
    `void ${fl.cblas('dsyrk')}(int, int, int, ${I}, ${I}, double, double *, ${I}, double, double *, ${I})`,
  );
  const dtrsm = lib.func(
    `void ${fl.cblas('dtrsm')}(int, int, int, int, int, ${I}, ${I}, double, double *, ${I}, double *, ${I})`,
  );
  const dpotrf = lib.func(`void ${fl.lapack('dpotrf')}(const char *uplo, ${I} *n, double *a, ${I} *lda, ${I} *info)`);
  const setThreads = lib.func(`void ${fl.openblas('set_num_threads')}(int)`);
  const getThreads = lib.func(`int ${fl.openblas('get_num_threads')}(void)`);
  const config = lib.func(`const char *${fl.openblas('get_config')}(void)`);
  const core = lib.func(`const char *${fl.openblas('get_corename')}(void)`);
  const path = libraryPath(name);
  const openblasThreads = getThreads();
  // One thread per call, always: OpenBLAS's bits depend on its thread count, lensc's must not; the
  // parallelism comes from lensc's own fixed tiles on its worker pool (native_blas_tasks.js).
  setThreads(1);
  // LAPACK's integer arguments by address: 32- or 64-bit cells (koffi passes a typed array as a pointer).
  const cells = () => (I === 'int' ? new Int32Array(1) : new BigInt64Array(1));
  const int = I === 'int' ? (/** @type {number} */ v) => v : (/** @type {number} */ v) => BigInt(v);
  const nArg = cells(),
    ldArg = cells(),
    infoArg = cells();
  /** @type {NativeBlas} */
  const blas = {
    info: {
      backend: 'openblas',
      reason: `loaded ${path}`,
      library: path,
      config: config(),
      core: core(),
      openblasThreads,
      symbols: fl.name,
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
      nArg[0] = int(n);
      ldArg[0] = int(lda);
      infoArg[0] = int(0);
      dpotrf('U', nArg, a, ldArg, infoArg);
      const info = Number(infoArg[0]);
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
