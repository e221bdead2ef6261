// @ts-check
// arena.js — the process-wide shared WebAssembly.Memory and its allocator (first fit + coalescing free list).
//
// Every buffer a kernel touches lives in this one memory so that workers (which receive the memory once, at
// start) and the wasm BLAS (which imports it) address it by plain byte offsets. Bookkeeping lives in JS on the
// main thread only: workers never allocate, they get BufferRefs in their task arguments.

/** @typedef {'f64'|'f32'|'i32'} DType */
/** @typedef {{ offset: number, length: number, dtype: DType }} BufferRef */

const PAGE = 65536;
const MAX_PAGES = 65536; // 4 GiB: the most a 32-bit wasm memory can address
const MAX_BYTES = PAGE * MAX_PAGES;
const ALIGN = 64; // cache line: keeps SIMD loads aligned and buffers from false sharing
const INITIAL_PAGES = 16; // 1 MiB
const MIN_GROW_PAGES = 16;
const RESERVED = ALIGN; // offset 0 is never handed out, so a zeroed BufferRef is always an error

/** Bytes per element of each dtype. */
export const DTYPE_BYTES = Object.freeze({ f64: 8, f32: 4, i32: 4 });

/** @param {unknown} dtype @returns {asserts dtype is DType} */
export function checkDtype(dtype) {
  if (dtype !== 'f64' && dtype !== 'f32' && dtype !== 'i32') {
    throw new TypeError(`lensc arena: unknown dtype ${JSON.stringify(dtype)} (expected 'f64', 'f32' or 'i32')`);
  }
}

/** @param {ArrayLike<number>} a @returns {DType} */
function dtypeOfArray(a) {
  if (a instanceof Float64Array) return 'f64';
  if (a instanceof Float32Array) return 'f32';
  if (a instanceof Int32Array) return 'i32';
  if (Array.isArray(a)) return 'f64';
  throw new TypeError(
    `lensc arena.upload: cannot infer a dtype from ${Object.prototype.toString.call(a)}; pass dtype explicitly`,
  );
}

/**
 * A typed-array view of `ref` on the memory's CURRENT buffer (growth replaces the buffer object).
 * @param {WebAssembly.Memory} memory @param {BufferRef} ref
 */
export function viewOf(memory, ref) {
  const buf = memory.buffer;
  switch (ref.dtype) {
    case 'f64':
      return new Float64Array(buf, ref.offset, ref.length);
    case 'f32':
      return new Float32Array(buf, ref.offset, ref.length);
    case 'i32':
      return new Int32Array(buf, ref.offset, ref.length);
    default:
      checkDtype(ref.dtype);
      throw new Error('unreachable');
  }
}

export class Arena {
  constructor() {
    /** @type {WebAssembly.Memory} */
    this.memory = new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: MAX_PAGES, shared: true });
    /** Free blocks sorted by offset, never adjacent (coalesced). @type {{offset: number, size: number}[]} */
    this.freeList = [{ offset: RESERVED, size: INITIAL_PAGES * PAGE - RESERVED }];
    /** offset -> rounded size of each live block. @type {Map<number, number>} */
    this.live = new Map();
    this.inUse = 0;
    this.peak = 0;
  }

  /**
   * Allocate `length` elements of `dtype`, 64-byte aligned, growing the memory when needed.
   * @param {number} length @param {DType} [dtype] @returns {BufferRef}
   */
  alloc(length, dtype = 'f64') {
    checkDtype(dtype);
    if (!Number.isSafeInteger(length) || length < 0) {
      throw new RangeError(`lensc arena.alloc: length must be a non-negative integer, got ${length}`);
    }
    const bytes = length * DTYPE_BYTES[dtype];
    // Zero-length buffers still get a distinct block so that free() stays uniform.
    const size = Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
    if (size > MAX_BYTES - RESERVED) throw this.#tooBig(bytes, length, dtype);
    let i = this.freeList.findIndex((b) => b.size >= size);
    if (i < 0) i = this.#grow(size, bytes, length, dtype);
    const block = this.freeList[i];
    const offset = block.offset;
    if (block.size === size) this.freeList.splice(i, 1);
    else {
      block.offset += size;
      block.size -= size;
    }
    this.live.set(offset, size);
    this.inUse += size;
    if (this.inUse > this.peak) this.peak = this.inUse;
    return { offset, length, dtype };
  }

  /** Return a block to the free list, merging it with free neighbours. @param {BufferRef} ref */
  free(ref) {
    const size = ref ? this.live.get(ref.offset) : undefined;
    if (size === undefined) {
      throw new Error(
        `lensc arena.free: offset ${ref?.offset} is not a live allocation (double free, or not from this arena)`,
      );
    }
    this.live.delete(ref.offset);
    this.inUse -= size;
    const fl = this.freeList;
    // Binary search for the first free block after ref.offset.
    let lo = 0,
      hi = fl.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (fl[mid].offset < ref.offset) lo = mid + 1;
      else hi = mid;
    }
    const prev = fl[lo - 1],
      next = fl[lo];
    const end = ref.offset + size;
    if (prev && prev.offset + prev.size === ref.offset) {
      prev.size += size;
      if (next && next.offset === end) {
        prev.size += next.size;
        fl.splice(lo, 1);
      }
    } else if (next && next.offset === end) {
      next.offset = ref.offset;
      next.size += size;
    } else {
      fl.splice(lo, 0, { offset: ref.offset, size });
    }
  }

  /** @param {BufferRef} ref */
  view(ref) {
    return viewOf(this.memory, ref);
  }

  /**
   * Allocate and copy in. dtype defaults to the array's own (plain arrays: f64); a different dtype converts.
   * @param {ArrayLike<number>} data @param {DType} [dtype] @returns {BufferRef}
   */
  upload(data, dtype) {
    const dt = dtype ?? dtypeOfArray(data);
    const ref = this.alloc(data.length, dt);
    this.view(ref).set(data);
    return ref;
  }

  /** A fresh, non-shared copy of the buffer's contents. @param {BufferRef} ref */
  download(ref) {
    return this.view(ref).slice();
  }

  bytesInUse() {
    return this.inUse;
  }
  peakBytes() {
    return this.peak;
  }
  resetPeak() {
    this.peak = this.inUse;
  }

  /**
   * Grow the memory so that a block of `size` bytes fits at the end; returns its free-list index.
   * @param {number} size @param {number} bytes @param {number} length @param {DType} dtype
   */
  #grow(size, bytes, length, dtype) {
    const cur = this.memory.buffer.byteLength;
    const last = this.freeList[this.freeList.length - 1];
    const tailFree = last && last.offset + last.size === cur ? last.size : 0;
    const needPages = Math.ceil((size - tailFree) / PAGE);
    const curPages = cur / PAGE;
    if (curPages + needPages > MAX_PAGES) throw this.#tooBig(bytes, length, dtype);
    // Grow a little ahead (1/8 of the current size) so loops of growing allocations don't grow per call.
    const pages = Math.min(MAX_PAGES - curPages, Math.max(needPages, MIN_GROW_PAGES, curPages >> 3));
    try {
      this.memory.grow(pages);
    } catch (e) {
      throw new RangeError(
        `lensc arena: cannot allocate ${bytes} bytes (${length} × ${dtype}): growing the shared memory from ` +
          `${cur} to ${cur + pages * PAGE} bytes failed (${/** @type {Error} */ (e).message})`,
      );
    }
    if (tailFree) last.size += pages * PAGE;
    else this.freeList.push({ offset: cur, size: pages * PAGE });
    return this.freeList.length - 1;
  }

  /** @param {number} bytes @param {number} length @param {DType} dtype */
  #tooBig(bytes, length, dtype) {
    return new RangeError(
      `lensc arena: cannot allocate ${bytes} bytes (${length} × ${dtype}): the shared WebAssembly memory is ` +
        `limited to 4 GiB (${MAX_BYTES} bytes) and ${this.inUse} bytes are in use`,
    );
  }
}
