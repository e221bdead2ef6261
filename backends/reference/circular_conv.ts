// The reference for fftconv2: the circular convolution summed directly from its definition (compiler/ir/graph.ts),
// O(B·Ny·Nx·Ny·Nx), with no transform at all — an oracle independent of every FFT target.
import type { Value } from './interpret.ts';

/** out[b, y, x] = Σ_{y' < Ny, x' < Nx} k[(y − y') mod Py, (x − x') mod Px]·x[b, y', x'] for x [(B,) Ny, Nx], k [Py, Px]. */
export function circularConv2(x: Value, k: Value): Float64Array {
  const s = x.shape;
  const ny = s[s.length - 2]!,
    nx = s[s.length - 1]!;
  const batch = s.length === 3 ? s[0]! : 1;
  const [py, px] = k.shape as [number, number];
  const out = new Float64Array(batch * ny * nx);
  for (let b = 0; b < batch; b++) {
    const img = b * ny * nx;
    for (let y = 0; y < ny; y++)
      for (let xx = 0; xx < nx; xx++) {
        let acc = 0;
        for (let y1 = 0; y1 < ny; y1++) {
          const kr = (((y - y1) % py) + py) % py;
          for (let x1 = 0; x1 < nx; x1++) {
            const kc = (((xx - x1) % px) + px) % px;
            acc += k.data[kr * px + kc]! * x.data[img + y1 * nx + x1]!;
          }
        }
        out[img + y * nx + xx] = acc;
      }
  }
  return out;
}
