// Kernel-argument packing and the allocation book: pure JS, no libraries needed.
import { describe, expect, it } from 'vitest';
import { packArgs } from '../../backends/cuda/runtime/args.js';
import { Allocations } from '../../backends/cuda/runtime/allocations.js';

describe('packArgs', () => {
  it('writes each argument as its C type bytes, little-endian', () => {
    const [p, d, f, i, u, l] = packArgs(
      [{ ptr: 0x7f0012345678n }, { f64: -1.5 }, { f32: 0.25 }, { i32: -7 }, { u32: 0xfffffffe }, { i64: -(2n ** 40n) }],
      'k',
    );
    expect(p.length).toBe(8);
    expect(p.readBigUInt64LE(0)).toBe(0x7f0012345678n);
    expect(d.readDoubleLE(0)).toBe(-1.5);
    expect([f.length, f.readFloatLE(0)]).toEqual([4, 0.25]);
    expect([i.length, i.readInt32LE(0)]).toEqual([4, -7]);
    expect(u.readUInt32LE(0)).toBe(0xfffffffe);
    expect(l.readBigInt64LE(0)).toBe(-(2n ** 40n));
    expect(packArgs([{ i64: 12 }], 'k')[0].readBigInt64LE(0)).toBe(12n);
  });

  it('rejects untagged, mistyped and out-of-range arguments, naming the kernel and position', () => {
    expect(() => packArgs([3 as never], 'wtilde')).toThrow(/kernel wtilde: argument 0 must be a tagged object/);
    expect(() => packArgs([{ ptr: 5 as never }], 'k')).toThrow(/argument 0: ptr must be a device pointer \(bigint\)/);
    expect(() => packArgs([{ f64: 1 }, { i32: 2.5 }], 'k')).toThrow(/argument 1: i32 must be an integer/);
    expect(() => packArgs([{ i32: 2 ** 31 }], 'k')).toThrow(RangeError);
    expect(() => packArgs([{ u32: -1 }], 'k')).toThrow(RangeError);
    expect(() => packArgs([{ i64: 2 ** 60 }], 'k')).toThrow(/safe integer/);
    expect(() => packArgs([{ f16: 1 } as never], 'k')).toThrow(/no known tag/);
  });
});

describe('Allocations', () => {
  const book = new Allocations();
  book.add(0x1000n, 256);
  book.add(0x9000n, 64);

  it('accepts ranges inside one allocation, including interior pointers', () => {
    expect(() => book.check(0x1000n, 256, 'upload')).not.toThrow();
    expect(() => book.check(0x1080n, 128, 'upload')).not.toThrow();
    expect(() => book.check(0x5000n, 0, 'upload')).not.toThrow(); // empty copies touch nothing
    expect(book.bytes).toBe(320);
  });

  it('refuses ranges that leave the allocation or point nowhere', () => {
    expect(() => book.check(0x1000n, 257, 'upload')).toThrow(/257 bytes do not fit the 256-byte device buffer/);
    expect(() => book.check(0x10f0n, 32, 'download')).toThrow(/download: 32 bytes at offset 240 do not fit/);
    expect(() => book.check(0x5000n, 8, 'memsetZero')).toThrow(/not inside any live device allocation/);
    expect(() => book.check(0x1000 as never, 8, 'upload')).toThrow(TypeError);
  });
});
