// @ts-check
// Small helpers over koffi shared by the driver, NVRTC and cuBLAS bindings:
// - koffi is imported lazily, so importing the runtime never throws on a machine without it;
// - libraries are opened from an ordered candidate list, and a failure lists every path tried;
// - out-parameters are 8-byte Buffers read back as little-endian integers (one convention for
//   handles, sizes and device pointers, instead of koffi's per-type out-array marshalling).
import fs from 'node:fs';
import { CudaUnavailableError } from './errors.js';

/** @typedef {{ path: string, preload?: string[] }} LibCandidate */

/** @type {any} */
let koffiModule = null;

// koffi unloads a library when its object is garbage-collected. A preloaded sibling (libnvrtc-builtins,
// libcublasLt) is referenced by nothing else, so without this list a GC between loading NVRTC and its
// first compile unloads the builtins and NVRTC then fails with "failed to open libnvrtc-builtins".
/** @type {any[]} */
const pinned = [];

/** @returns {Promise<any>} the koffi module */
export async function loadKoffi() {
  if (koffiModule) return koffiModule;
  try {
    const m = /** @type {any} */ (await import('koffi'));
    koffiModule = m.default ?? m;
  } catch (e) {
    throw new CudaUnavailableError(
      `the 'koffi' package is needed for the CUDA target; install it with 'npm install koffi@3.3.4': ${errText(e)}`,
    );
  }
  return koffiModule;
}

/**
 * Opens the first loadable library. Preloads come first and may fail silently: they only help the
 * dynamic linker find a sibling (libnvrtc-builtins, libcublasLt) when its folder is not on LD_LIBRARY_PATH.
 * @param {any} koffi
 * @param {LibCandidate[]} candidates
 * @returns {{ lib: any, path: string, tried: string[] }}  lib is null when nothing loaded
 */
export function openFirst(koffi, candidates) {
  /** @type {string[]} */
  const tried = [];
  for (const c of candidates) {
    for (const p of c.preload ?? []) {
      if (fs.existsSync(p)) {
        try {
          pinned.push(koffi.load(p));
        } catch {
          /* the main library's own error says more */
        }
      }
    }
    try {
      const lib = koffi.load(c.path);
      pinned.push(lib);
      return { lib, path: c.path, tried };
    } catch (e) {
      tried.push(`${c.path} (${firstLine(errText(e))})`);
    }
  }
  return { lib: null, path: '', tried };
}

/** @param {number} [n] bytes @returns {Buffer} a zeroed out-parameter buffer */
export function outBuf(n = 8) {
  return Buffer.alloc(n);
}

/** @param {Buffer} b @returns {bigint} */
export const readPtr = (b) => b.readBigUInt64LE(0);
/** @param {Buffer} b @returns {number} a size_t that fits a double exactly (memory sizes do) */
export const readSize = (b) => Number(b.readBigUInt64LE(0));
/** @param {Buffer} b @returns {number} */
export const readInt = (b) => b.readInt32LE(0);

/**
 * Reads a NUL-terminated C string at a pointer returned by a library (error names); '' for NULL.
 * @param {any} koffi @param {bigint} ptr @returns {string}
 */
export function cString(koffi, ptr) {
  if (!ptr) return '';
  return String(koffi.decode(ptr, 'char', -1));
}

/** @param {unknown} e @returns {string} */
export function errText(e) {
  return e instanceof Error ? e.message : String(e);
}

/** @param {string} s */
function firstLine(s) {
  return s.split('\n')[0];
}
