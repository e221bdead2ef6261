// @ts-check
// fftconv-tasks.js — the per-thread half of fftconv2 (the driver is fftconv.js): the circular convolution of real
// Ny×Nx images with a real kernel on its Py×Px grid, read at the images' extent, by FFT, two images at a time.
//
// Why it is one task and not fft2 → product → ifft2 (what GPU targets run, compiler/passes/expand_fftconv.ts):
//  - the kernel is real, so conv(k, x₁ + i·x₂) = conv(k, x₁) + i·conv(k, x₂): image 2j goes into the real part and
//    image 2j+1 into the imaginary part of one complex transform, and the results come back in re and im;
//  - the padded input is zero outside its leading Ny rows, and only the leading Ny rows and Nx columns of the
//    result are read: the forward row pass runs on Ny rows only, the inverse row pass on Ny rows only, and each
//    transform skips the zero half of its input or the unread half of its output where its plan allows
//    (fft-core.js transform's nIn / nOut);
//  - the product with the kernel's spectrum and the inverse column transform follow the forward column transform
//    while the columns are in scratch (no padded image is ever written out).
// Per pair: Ny + 2·Px + Ny lines instead of 2·(2·(Py + Px)) for two plain convolutions. The working grid (Ny rows of
// Px complex values, row stride padded off a power of two so the column pass's reads do not all land in one cache
// set) is per thread. Each pair is done by one thread in one fixed order: the bits do not depend on the threads.
import { planFor, scratchOf, transform } from './fft-core.js';

/** Lines transformed together (their elements interleave in scratch, so inner loops run over V contiguous values). */
const V0 = 8;

/**
 * @typedef {import('./arena.js').BufferRef} BufferRef
 * @typedef {{ src: BufferRef, spectrum: BufferRef, dst: BufferRef, batch: number, ny: number, nx: number,
 *   py: number, px: number }} ConvArgs
 */

/**
 * Pairs [lo, hi): pair j is images 2j and 2j + 1 (the last pair of an odd batch has one).
 * @param {{ view: (ref: BufferRef) => Float64Array | Float32Array | Int32Array }} ctx @param {ConvArgs} a
 * @param {number} lo @param {number} hi
 */
function pairs(ctx, a, lo, hi) {
  const src = /** @type {Float64Array | Float32Array} */ (ctx.view(a.src)),
    dst = /** @type {Float64Array | Float32Array} */ (ctx.view(a.dst)),
    H = /** @type {Float64Array} */ (ctx.view(a.spectrum));
  const { batch, ny, nx, py, px } = a;
  const img = ny * nx;
  const stride = px % 16 === 0 ? px + 8 : px; // off a power of two: see the header
  const gr = scratchOf('conv.gr', ny * stride),
    gi = scratchOf('conv.gi', ny * stride);
  const rowF = planFor(px, -1),
    rowI = planFor(px, 1),
    colF = planFor(py, -1),
    colI = planFor(py, 1);
  const nr = Math.max(px, py) * V0;
  const xr = scratchOf('conv.xr', nr),
    xi = scratchOf('conv.xi', nr),
    yr = scratchOf('conv.yr', nr),
    yi = scratchOf('conv.yi', nr);
  const scale = 1 / (py * px);
  for (let j = lo; j < hi; j++) {
    const b0 = 2 * j,
      two = b0 + 1 < batch;
    const s0 = b0 * img,
      s1 = s0 + img;
    // Forward rows: the Ny rows that hold the images (x₁ + i·x₂, zero beyond Nx).
    for (let y0 = 0; y0 < ny; y0 += V0) {
      const V = Math.min(V0, ny - y0);
      for (let c = 0; c < V; c++) {
        const r = (y0 + c) * nx;
        for (let x = 0; x < nx; x++) {
          xr[x * V + c] = src[s0 + r + x];
          xi[x * V + c] = two ? src[s1 + r + x] : 0;
        }
      }
      xr.fill(0, nx * V, px * V);
      xi.fill(0, nx * V, px * V);
      const [or, oi] = transform(rowF, xr, xi, yr, yi, V, nx);
      for (let c = 0; c < V; c++) {
        const r = (y0 + c) * stride;
        for (let x = 0; x < px; x++) {
          gr[r + x] = or[x * V + c];
          gi[r + x] = oi[x * V + c];
        }
      }
    }
    // Columns: forward (rows ≥ Ny are zero), times the spectrum, inverse; keep the leading Ny rows.
    for (let x0 = 0; x0 < px; x0 += V0) {
      const V = Math.min(V0, px - x0);
      for (let y = 0; y < ny; y++) {
        const r = y * stride + x0;
        for (let c = 0; c < V; c++) {
          xr[y * V + c] = gr[r + c];
          xi[y * V + c] = gi[r + c];
        }
      }
      xr.fill(0, ny * V, py * V);
      xi.fill(0, ny * V, py * V);
      const [fr, fi] = transform(colF, xr, xi, yr, yi, V, ny);
      for (let k = 0; k < py; k++) {
        const h = (x0 * py + k * 8) * 2; // the spectrum in blocks of 8 columns (fftconv.js)
        for (let c = 0; c < V; c++) {
          const t = k * V + c,
            hr = H[h + 2 * c],
            hi = H[h + 2 * c + 1],
            re = fr[t],
            im = fi[t];
          fr[t] = re * hr - im * hi;
          fi[t] = re * hi + im * hr;
        }
      }
      const [ir, ii] =
        fr === xr ? transform(colI, xr, xi, yr, yi, V, py, ny) : transform(colI, yr, yi, xr, xi, V, py, ny);
      for (let y = 0; y < ny; y++) {
        const r = y * stride + x0;
        for (let c = 0; c < V; c++) {
          gr[r + c] = ir[y * V + c];
          gi[r + c] = ii[y * V + c];
        }
      }
    }
    // Inverse rows: the leading Ny rows; the leading Nx values, re → image 2j, im → image 2j + 1.
    for (let y0 = 0; y0 < ny; y0 += V0) {
      const V = Math.min(V0, ny - y0);
      for (let c = 0; c < V; c++) {
        const r = (y0 + c) * stride;
        for (let x = 0; x < px; x++) {
          xr[x * V + c] = gr[r + x];
          xi[x * V + c] = gi[r + x];
        }
      }
      const [or, oi] = transform(rowI, xr, xi, yr, yi, V, px, nx);
      for (let c = 0; c < V; c++) {
        const r = (y0 + c) * nx;
        for (let x = 0; x < nx; x++) dst[s0 + r + x] = or[x * V + c] * scale;
        if (two) for (let x = 0; x < nx; x++) dst[s1 + r + x] = oi[x * V + c] * scale;
      }
    }
  }
}

export const __tasks = { pairs };
