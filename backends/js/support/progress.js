// @ts-check
// Progress inside long loops: a generated JS kernel runs a map or scatter stage through timedFor when the caller
// gave onProgress. The stage's parallel range is cut into consecutive slices sized to take ~0.25 s each (the first
// is one row per thread; later ones scale by the time measured), and progress is reported whenever 0.5 s passed
// since the last report — so a stage that runs for seconds reports several times, not once at the end of its
// chunk. Every output element is still computed by one thread over the same loop, so slicing changes no result.
// Without onProgress the stage runs as one parallelFor, as before. Plain JavaScript, no `node:` import (the
// browser support module re-exports it).

const SLICE_MS = 250;
const REPORT_MS = 500;

/** Per onProgress callback: when it was last called and the fraction it was last given (never goes back). */
/** @type {WeakMap<Function, { last: number, frac: number }>} */
const reported = new WeakMap();

/**
 * @param {{ threads?: number, parallelFor: (url: string, name: string, lo: number, hi: number, args: object, opts?: object) => Promise<void> }} rt
 * @param {string} url @param {string} name @param {number} lo @param {number} hi @param {object} args
 * @param {((fraction: number, message: string) => void) | undefined} onProgress
 * @param {[number, number] | undefined} range the kernel's progress fraction at the start and end of this stage
 *   (inside a chunk loop: the chunk's share); undefined keeps the last fraction and reports the stage's own share
 * @param {{ grain?: number }} [opts] parallelFor's options, passed on to every slice
 */
export async function timedFor(rt, url, name, lo, hi, args, onProgress, range, opts) {
  if (typeof onProgress !== 'function' || hi - lo < 2) return rt.parallelFor(url, name, lo, hi, args, opts);
  let st = reported.get(onProgress);
  if (!st) {
    st = { last: performance.now(), frac: 0 };
    reported.set(onProgress, st);
  }
  const [f0, f1] = range ?? [st.frac, st.frac];
  // Slices are whole multiples of threads × grain rows, so each still splits into full pieces.
  const unit = Math.max(1, rt.threads ?? 1) * Math.max(1, Math.floor(opts?.grain ?? 1));
  let rows = Math.min(hi - lo, unit);
  for (let at = lo; at < hi;) {
    const end = Math.min(hi, at + rows);
    const t0 = performance.now();
    await rt.parallelFor(url, name, at, end, args, opts);
    const now = performance.now();
    const grow = Math.min(8, SLICE_MS / Math.max(now - t0, 0.01));
    rows = Math.max(unit, Math.ceil((rows * grow) / unit) * unit);
    at = end;
    if (at < hi && now - st.last >= REPORT_MS) {
      const done = (at - lo) / (hi - lo);
      st.frac = Math.max(st.frac, f0 + (f1 - f0) * done);
      st.last = now;
      onProgress(st.frac, `stage ${name}: ${Math.floor(100 * done)} % of ${hi - lo} rows`);
    }
  }
}
