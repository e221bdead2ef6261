// @ts-check
// Cubin cache: in memory for this process, and on disk under os.tmpdir()/lensc-cuda-cache so that a
// second run (or the next test file) skips NVRTC (~150 ms per program). Best effort: any disk error
// just means a miss. Set LENSC_CUDA_CACHE=0 to disable the disk part, LENSC_CUDA_CACHE_DIR to move it.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** @type {Map<string, Uint8Array>} */
const memory = new Map();

/** @param {string[]} parts @returns {string} */
export function cacheKey(parts) {
  const h = crypto.createHash('sha256');
  for (const p of parts) h.update(p).update('\u0001');
  return h.digest('hex');
}

export function cacheDir() {
  return process.env.LENSC_CUDA_CACHE_DIR ?? path.join(os.tmpdir(), 'lensc-cuda-cache');
}

const diskOn = () => process.env.LENSC_CUDA_CACHE !== '0';

/** @param {string} key @returns {Uint8Array | null} */
export function cacheGet(key) {
  const m = memory.get(key);
  if (m) return m;
  if (!diskOn()) return null;
  try {
    const bytes = new Uint8Array(fs.readFileSync(path.join(cacheDir(), `${key}.cubin`)));
    if (!isElf(bytes)) return null; // a truncated or foreign file: recompile
    memory.set(key, bytes);
    return bytes;
  } catch {
    return null;
  }
}

/** @param {string} key @param {Uint8Array} bytes */
export function cachePut(key, bytes) {
  memory.set(key, bytes);
  if (!diskOn()) return;
  try {
    const dir = cacheDir();
    fs.mkdirSync(dir, { recursive: true });
    // write-then-rename: concurrent processes (vitest forks) never read a half-written file
    const tmp = path.join(dir, `${key}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`);
    fs.writeFileSync(tmp, bytes);
    fs.renameSync(tmp, path.join(dir, `${key}.cubin`));
  } catch {
    /* cache is an optimisation only */
  }
}

/** @param {Uint8Array} b cubins are ELF files */
export function isElf(b) {
  return b.length > 4 && b[0] === 0x7f && b[1] === 0x45 && b[2] === 0x4c && b[3] === 0x46;
}

/** Forgets the in-memory entries (tests use it to force a disk read or a recompile). */
export function clearMemoryCache() {
  memory.clear();
}
