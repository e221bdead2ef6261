// @ts-check
// Book of live device allocations, so copies and BLAS calls can refuse to touch bytes outside a buffer
// ("nothing writes past a buffer") instead of corrupting device memory or faulting asynchronously.
// Interior pointers (base + offset, as chunked code uses) are accepted when the whole range fits.

export class Allocations {
  constructor() {
    /** @type {Map<bigint, number>} base → bytes */
    this.live = new Map();
  }

  /** @param {bigint} base @param {number} bytes */
  add(base, bytes) {
    this.live.set(base, bytes);
  }

  /** @param {bigint} base @returns {boolean} whether it was live */
  remove(base) {
    return this.live.delete(base);
  }

  /** total bytes held, for diagnostics */
  get bytes() {
    let s = 0;
    for (const b of this.live.values()) s += b;
    return s;
  }

  /**
   * Throws a RangeError unless [p, p + bytes) lies inside one live allocation.
   * @param {bigint} p @param {number} bytes @param {string} what  the operation, for the message
   */
  check(p, bytes, what) {
    if (typeof p !== 'bigint') throw new TypeError(`${what}: device pointer must be a bigint, got ${typeof p}`);
    if (!Number.isSafeInteger(bytes) || bytes < 0)
      throw new RangeError(`${what}: byte count must be a non-negative integer, got ${bytes}`);
    if (bytes === 0) return;
    const exact = this.live.get(p);
    if (exact !== undefined) {
      if (bytes > exact)
        throw new RangeError(
          `${what}: ${bytes} bytes do not fit the ${exact}-byte device buffer at 0x${p.toString(16)}`,
        );
      return;
    }
    for (const [base, size] of this.live) {
      if (p > base && p < base + BigInt(size)) {
        const off = Number(p - base);
        if (off + bytes > size) {
          throw new RangeError(
            `${what}: ${bytes} bytes at offset ${off} do not fit the ${size}-byte device buffer at 0x${base.toString(16)}`,
          );
        }
        return;
      }
    }
    throw new RangeError(
      `${what}: 0x${p.toString(16)} is not inside any live device allocation (freed, or not from alloc())`,
    );
  }
}
