// parallel-for.test.ts — the worker pool: splitting, inline execution, memory growth, errors and recovery.
import { afterAll, describe, expect, it } from 'vitest';
import { getRuntime, shutdown } from '../../backends/js/runtime/index.js';
import { splitRange } from '../../backends/js/runtime/split.js';

const TASKS = new URL('./fixtures/tasks.mjs', import.meta.url).href;

afterAll(() => shutdown());

describe('splitRange', () => {
  it('covers [lo, hi) with contiguous, ordered pieces', () => {
    for (const cost of ['uniform', 'triangular'] as const) {
      for (const [lo, hi, p] of [
        [0, 10, 3],
        [5, 6, 1],
        [3, 1000, 7],
        [0, 2, 2],
      ]) {
        const b = splitRange(lo, hi, p, cost);
        expect(b.length).toBe(p + 1);
        expect(b[0]).toBe(lo);
        expect(b[p]).toBe(hi);
        for (let i = 1; i <= p; i++) expect(b[i]).toBeGreaterThanOrEqual(b[i - 1]);
      }
    }
  });

  it('balances triangular cost: later pieces are shorter', () => {
    const b = splitRange(0, 1000, 2, 'triangular');
    expect(b[1]).toBeGreaterThan(690); // sqrt(1/2) of the way
    expect(b[1]).toBeLessThan(720);
  });
});

describe('parallelFor', () => {
  it.each([1, 2, 3])('covers every index exactly once with %i threads', async (threads) => {
    const rt = await getRuntime(threads);
    const n = 1001;
    const count = rt.arena.alloc(n, 'i32'),
      owner = rt.arena.alloc(n, 'i32');
    rt.arena.view(count).fill(0);
    for (const cost of ['uniform', 'triangular'] as const) {
      await rt.parallelFor(TASKS, 'mark', 0, n, { count, owner }, { cost });
    }
    expect(Array.from(rt.arena.view(count)).every((c) => c === 2)).toBe(true);
    const pieces = new Set(rt.arena.view(owner));
    expect(pieces.size).toBe(threads);
    rt.arena.free(count);
    rt.arena.free(owner);
  });

  it('runs piece 0 on the main thread and the rest on workers', async () => {
    const rt = await getRuntime(2);
    const out = rt.arena.alloc(10, 'i32');
    await rt.parallelFor(TASKS, 'where', 0, 10, { out });
    expect(Array.from(rt.arena.view(out))).toEqual([1, 1, 1, 1, 1, 2, 2, 2, 2, 2]);
    // grain: too few indices for two pieces -> all inline
    await rt.parallelFor(TASKS, 'where', 0, 10, { out }, { grain: 6 });
    expect(Array.from(rt.arena.view(out))).toEqual(new Array(10).fill(1));
    rt.arena.free(out);
  });

  it('honours lo/hi offsets and does nothing on an empty range', async () => {
    const rt = await getRuntime(2);
    const out = rt.arena.alloc(20);
    rt.arena.view(out).fill(-1);
    await rt.parallelFor(TASKS, 'fill', 5, 15, { out, scale: 2 });
    await rt.parallelFor(TASKS, 'fill', 7, 7, { out, scale: 100 });
    const v = Array.from(rt.arena.view(out));
    expect(v.slice(0, 5)).toEqual([-1, -1, -1, -1, -1]);
    expect(v.slice(5, 15)).toEqual([10, 12, 14, 16, 18, 20, 22, 24, 26, 28]);
    expect(v.slice(15)).toEqual([-1, -1, -1, -1, -1]);
    rt.arena.free(out);
  });

  it('lets workers see memory grown after they started', async () => {
    const rt = await getRuntime(2);
    const grow = rt.arena.memory.buffer.byteLength / 8 + 4096;
    const buf = rt.arena.alloc(grow);
    await rt.parallelFor(TASKS, 'touchEnd', 0, 64, { buf });
    const v = rt.arena.view(buf);
    for (let i = 0; i < 64; i++) expect(v[v.length - 1 - i]).toBe(7);
    rt.arena.free(buf);
  });

  it.each([
    ['throws', 'worker piece', 7],
    ['throws', 'main-thread piece', 0],
    ['rejects', 'async worker piece', 9],
  ])('rejects with the original message when %s fails in the %s', async (task, _where, at) => {
    const rt = await getRuntime(2);
    const message = `boom at ${at}: ${task}`;
    const err = await rt.parallelFor(TASKS, task, 0, 10, { at, message }).catch((e) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toBe(message);
  });

  it('keeps the worker error type name and reports non-Error throws', async () => {
    const rt = await getRuntime(2);
    const err = await rt.parallelFor(TASKS, 'throws', 0, 10, { at: 8, message: 'range' }).catch((e) => e);
    expect(err.name).toBe('RangeError');
    await expect(rt.parallelFor(TASKS, 'throwsString', 0, 10, { at: 8 })).rejects.toThrow('a plain string');
  });

  it('waits for every piece before rejecting', async () => {
    const rt = await getRuntime(2);
    const out = rt.arena.alloc(10, 'i32');
    rt.arena.view(out).fill(0);
    // Piece 0 (main) throws at once; piece 1 (worker) is slow. Rejection must come after the worker finished,
    // or a kernel could free buffers a worker is still writing.
    await expect(rt.parallelFor(TASKS, 'failFastOnMain', 0, 10, { ms: 150, out })).rejects.toThrow('early');
    expect(Array.from(rt.arena.view(out)).slice(5)).toEqual([1, 1, 1, 1, 1]);
    rt.arena.free(out);
  });

  it('names a missing task and rejects a relative module URL', async () => {
    const rt = await getRuntime(2);
    await expect(rt.parallelFor(TASKS, 'nope', 0, 10, {})).rejects.toThrow(/has no task 'nope'/);
    await expect(rt.parallelFor('./tasks.mjs', 'fill', 0, 10, {})).rejects.toThrow(/absolute URL/);
    await expect(rt.parallelFor(TASKS, 'fill', 0.5, 10, {})).rejects.toThrow(/integers/);
  });

  it('rejects args that cannot be sent to a worker', async () => {
    const rt = await getRuntime(2);
    const out = rt.arena.alloc(10);
    await expect(rt.parallelFor(TASKS, 'fill', 0, 10, { out, scale: 1, f: () => 1 })).rejects.toThrow(
      /cannot send the args/,
    );
    rt.arena.free(out);
  });

  it('survives an uncaught exception left behind in a worker', async () => {
    const rt = await getRuntime(2);
    await rt.parallelFor(TASKS, 'throwsLater', 0, 10, {});
    await new Promise((r) => setTimeout(r, 200)); // the worker dies meanwhile
    const out = rt.arena.alloc(10);
    await rt.parallelFor(TASKS, 'fill', 0, 10, { out, scale: 3 });
    expect(rt.arena.view(out)[9]).toBe(27);
    rt.arena.free(out);
  });

  it('survives a worker that exits, and the pool recovers', async () => {
    const rt = await getRuntime(2);
    await expect(rt.parallelFor(TASKS, 'exits', 0, 10, {})).rejects.toThrow(/worker exited with code 3/);
    const out = rt.arena.alloc(10);
    await rt.parallelFor(TASKS, 'fill', 0, 10, { out, scale: 1 });
    expect(Array.from(rt.arena.view(out))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    rt.arena.free(out);
  });
});

describe('runtime', () => {
  it('is one runtime per thread count, sharing one arena', async () => {
    const [a, b, c] = await Promise.all([getRuntime(2), getRuntime(2), getRuntime(1)]);
    expect(a).toBe(b);
    expect(a.threads).toBe(2);
    expect(c.threads).toBe(1);
    expect(c.arena).toBe(a.arena);
    await expect(getRuntime(0)).rejects.toThrow(/threads must be an integer/);
  });

  it('exclusive serialises, survives failures, and is re-entrant', async () => {
    const rt = await getRuntime(2);
    const log: string[] = [];
    const job = (name: string, ms: number) =>
      rt.exclusive(async () => {
        log.push(`${name}+`);
        await new Promise((r) => setTimeout(r, ms));
        log.push(`${name}-`);
        return name;
      });
    const failing = rt.exclusive(async () => {
      throw new Error('inside');
    });
    const results = await Promise.all([job('a', 20), failing.catch((e) => e.message), job('b', 1)]);
    expect(results).toEqual(['a', 'inside', 'b']);
    expect(log).toEqual(['a+', 'a-', 'b+', 'b-']);
    const nested = await rt.exclusive(() => rt.exclusive(async () => 'inner'));
    expect(nested).toBe('inner');
  });

  it('restarts workers after shutdown', async () => {
    await shutdown();
    const rt = await getRuntime(2);
    const out = rt.arena.alloc(4, 'i32');
    await rt.parallelFor(TASKS, 'where', 0, 4, { out });
    expect(Array.from(rt.arena.view(out))).toEqual([1, 1, 2, 2]);
    rt.arena.free(out);
  });
});
