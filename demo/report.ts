// demo/report.ts — plain-text tables and number formatting for the demo's stdout.
// Kept apart from main.ts so the orchestration reads as the list of steps it is.

/** Width of a string in terminal columns: combining marks (the tilde of W̃) take none. */
export const width = (s: string): number => [...s.replace(/\p{M}/gu, '')].length;

/** Pad to a display width, on the right (left-aligned) or on the left (right-aligned). */
export const pad = (s: string, w: number, right = false): string => {
  const fill = ' '.repeat(Math.max(0, w - width(s)));
  return right ? fill + s : s + fill;
};

/**
 * A table with a header row. Columns are right-aligned (numbers) except those listed in `left`
 * (by default the first and the last: a name and a free-text note).
 */
export function table(header: string[], rows: string[][], left: number[] = [0, header.length - 1]): string {
  const widths = header.map((h, j) => Math.max(width(h), ...rows.map((r) => width(r[j] ?? ''))));
  const line = (cells: string[]): string =>
    cells
      .map((c, j) => pad(c, widths[j], !left.includes(j)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(header), rule, ...rows.map(line)].join('\n');
}

/** Seconds with three decimals. */
export const secs = (ms: number): string => (ms / 1000).toFixed(3);

/** A number in a fixed 6-significant-digit form, switching to exponent form when very large or small. */
export function fmt(x: number, digits = 6): string {
  if (x === 0) return '0';
  const a = Math.abs(x);
  return a >= 1e7 || a < 1e-3 ? x.toExponential(digits - 1) : x.toPrecision(digits);
}

/** Bytes as KiB / MiB / GiB. */
export function bytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let v = n,
    u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(u === 0 ? 0 : 1)} ${units[u]}`;
}

/** Pearson correlation of a and b over the indices where `use` is true (all when omitted). */
export function correlation(a: Float64Array, b: Float64Array, use?: (i: number) => boolean): number {
  let n = 0,
    sa = 0,
    sb = 0;
  for (let i = 0; i < a.length; i++)
    if (!use || use(i)) {
      n++;
      sa += a[i];
      sb += b[i];
    }
  const ma = sa / n,
    mb = sb / n;
  let ab = 0,
    aa = 0,
    bb = 0;
  for (let i = 0; i < a.length; i++) {
    if (use && !use(i)) continue;
    ab += (a[i] - ma) * (b[i] - mb);
    aa += (a[i] - ma) ** 2;
    bb += (b[i] - mb) ** 2;
  }
  return ab / Math.sqrt(aa * bb);
}
