// The reference 2-D DFT: the definition, summed directly along each axis in turn (O(n²) per line), with every
// twiddle e^{∓2πi·jk/n} computed from the exactly reduced product jk mod n. The oracle for every FFT target.
import type { Value } from './interpret.ts';

/** One axis of an interleaved complex array: lines of n points with stride `step` (in complex elements). */
function dftLines(d: Float64Array, lines: readonly number[], n: number, step: number, sign: number): void {
  const re = new Float64Array(n),
    im = new Float64Array(n);
  const cr = new Float64Array(n),
    ci = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const a = (2 * Math.PI * k) / n;
    cr[k] = Math.cos(a);
    ci[k] = sign * Math.sin(a);
  }
  for (const base of lines) {
    for (let j = 0; j < n; j++) {
      re[j] = d[2 * (base + j * step)]!;
      im[j] = d[2 * (base + j * step) + 1]!;
    }
    for (let k = 0; k < n; k++) {
      let sr = 0,
        si = 0;
      for (let j = 0; j < n; j++) {
        const t = (j * k) % n;
        sr += re[j]! * cr[t]! - im[j]! * ci[t]!;
        si += re[j]! * ci[t]! + im[j]! * cr[t]!;
      }
      d[2 * (base + k * step)] = sr;
      d[2 * (base + k * step) + 1] = si;
    }
  }
}

/** fft2 / ifft2 of a [(B,) Ny, Nx, 2] value (see the fft op in compiler/ir/graph.ts). */
export function dft2(x: Value, inverse: boolean): Float64Array {
  const s = x.shape;
  const ny = s[s.length - 3]!,
    nx = s[s.length - 2]!;
  const batch = s.length === 4 ? s[0]! : 1;
  const d = Float64Array.from(x.data);
  const sign = inverse ? 1 : -1;
  const rows: number[] = [],
    cols: number[] = [];
  for (let b = 0; b < batch; b++) {
    for (let y = 0; y < ny; y++) rows.push((b * ny + y) * nx);
    for (let c = 0; c < nx; c++) cols.push(b * ny * nx + c);
  }
  dftLines(d, rows, nx, 1, sign);
  dftLines(d, cols, ny, nx, sign);
  if (inverse && ny * nx > 0) for (let i = 0; i < d.length; i++) d[i] = d[i]! / (ny * nx);
  return d;
}
