// arena.test.ts — the shared-memory allocator: alignment, first fit, coalescing, growth, limits, copies.
import { describe, expect, it } from 'vitest';
import { getArena } from '../../backends/js/runtime/index.js';

const arena = getArena();

describe('arena', () => {
  it('is one shared 4 GiB-max memory per process', () => {
    expect(arena.memory.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(getArena()).toBe(arena);
  });

  it('aligns to 64 bytes and hands out disjoint blocks', () => {
    const refs = [1, 3, 17, 0, 100].map((n) => arena.alloc(n, 'f32'));
    for (const r of refs) expect(r.offset % 64).toBe(0);
    const ends = refs.map((r) => [r.offset, r.offset + Math.max(64, r.length * 4)]).sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < ends.length; i++) expect(ends[i][0]).toBeGreaterThanOrEqual(ends[i - 1][1]);
    expect(refs.every((r) => r.offset > 0)).toBe(true);
    refs.forEach((r) => arena.free(r));
  });

  it('reuses freed space first-fit and coalesces neighbours', () => {
    const before = arena.bytesInUse();
    const a = arena.alloc(16),
      b = arena.alloc(16),
      c = arena.alloc(16),
      guard = arena.alloc(8);
    expect(b.offset).toBe(a.offset + 128);
    arena.free(b);
    const b2 = arena.alloc(8); // fits b's hole
    expect(b2.offset).toBe(b.offset);
    arena.free(b2);
    arena.free(a);
    arena.free(c); // a, b, c now one free block of 384 bytes
    const big = arena.alloc(48);
    expect(big.offset).toBe(a.offset);
    arena.free(big);
    arena.free(guard);
    expect(arena.bytesInUse()).toBe(before);
  });

  it('rejects double and foreign frees clearly', () => {
    const r = arena.alloc(4);
    arena.free(r);
    expect(() => arena.free(r)).toThrow(/not a live allocation/);
    expect(() => arena.free({ offset: 12345, length: 1, dtype: 'f64' })).toThrow(/offset 12345/);
  });

  it('grows the memory and keeps old contents; views see the new buffer', () => {
    const small = arena.upload(new Float64Array([1, 2, 3]));
    const bytes = arena.memory.buffer.byteLength;
    const big = arena.alloc(bytes / 8 + 1000); // must grow
    expect(arena.memory.buffer.byteLength).toBeGreaterThan(bytes);
    const v = arena.view(big);
    v[v.length - 1] = 42;
    expect(arena.view(big)[big.length - 1]).toBe(42);
    expect(Array.from(arena.download(small))).toEqual([1, 2, 3]);
    arena.free(big);
    arena.free(small);
  });

  it('names the requested bytes when asked for more than 4 GiB', () => {
    expect(() => arena.alloc(2 ** 30, 'f64')).toThrow(/cannot allocate 8589934592 bytes .*4 GiB/);
    expect(() => arena.alloc(-1)).toThrow(RangeError);
    expect(() => arena.alloc(3, 'f16' as never)).toThrow(/unknown dtype "f16"/);
  });

  it('uploads with dtype inference or conversion and downloads non-shared copies', () => {
    const i = arena.upload(new Int32Array([1, -2, 3]));
    expect(i.dtype).toBe('i32');
    const f = arena.upload([1.5, 2.25]);
    expect(f.dtype).toBe('f64');
    const g = arena.upload(new Float64Array([0.1, 3]), 'f32');
    const d = arena.download(g);
    expect(d).toBeInstanceOf(Float32Array);
    expect(d.buffer).toBeInstanceOf(ArrayBuffer);
    expect(Array.from(d)).toEqual([Math.fround(0.1), 3]);
    expect(Array.from(arena.download(i))).toEqual([1, -2, 3]);
    [i, f, g].forEach((r) => arena.free(r));
  });

  it('tracks bytes in use and the peak', () => {
    arena.resetPeak();
    const base = arena.bytesInUse();
    const a = arena.alloc(1000); // 8000 -> 8000 (multiple of 64)
    const b = arena.alloc(1);
    expect(arena.bytesInUse()).toBe(base + 8000 + 64);
    arena.free(a);
    expect(arena.bytesInUse()).toBe(base + 64);
    expect(arena.peakBytes()).toBe(base + 8064);
    arena.resetPeak();
    expect(arena.peakBytes()).toBe(base + 64);
    arena.free(b);
  });
});
