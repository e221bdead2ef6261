// demo/dft.ts — the forward model: an image on the masked pixels → visibilities (a direct Fourier transform).
//
// Sign convention. std/dirty_image.ts back-projects with
//     dirty_i = Σ_k [V_re,k/σ_re,k² · cos(2πφ_ik) − V_im,k/σ_im,k² · sin(2πφ_ik)],   φ_ik = x_i·u_k + y_i·v_k.
// For D = Tᵀ·dirty and F = Tᵀ·W̃·T to be the normal equations of χ² = Σ_k |V_k − model_k|²/σ_k², the
// dirty image must be the adjoint of the forward model applied to the weighted data, which fixes
//     re_k = Σ_i f_i cos(2πφ_ik),   im_k = −Σ_i f_i sin(2πφ_ik)      (V = Σ f·e^{−2πiφ}, PyAutoLens's sign).
// With +sin the data would describe the point-reflected image and the source would come out garbled;
// main.ts checks the adjoint identity ⟨forward(f), V/σ²⟩ = ⟨f, dirtyImage(V)⟩ numerically on every run.
//
// Speed. On a regular grid φ separates: 2πφ = a_col + b_row with a = 2π·x·u_k, b = 2π·y·v_k, so per
// visibility only N_x + N_y cosines/sines are needed; pixels are summed per row first
// (two multiply-adds each) and the N_y row sums are rotated by b. Cost O(K·(M + N_x + N_y)) instead of
// O(K·M) transcendentals — the simulation stays a small part of the run even at K ~ 10⁵.

export interface GridGeometry {
  ny: number;
  nx: number;
  /** Pixel scales (d_y, d_x) in radians. */
  pixelScales: [number, number];
  /** (row, col) of each unmasked pixel, slim order, length 2M. */
  nativeIndex: Int32Array;
}

/** y of a row and x of a column, radians (the conventions of the whole demo). */
export const rowToY = (g: { ny: number; pixelScales: [number, number] }, row: number): number =>
  ((g.ny - 1) / 2 - row) * g.pixelScales[0];
export const colToX = (g: { nx: number; pixelScales: [number, number] }, col: number): number =>
  (col - (g.nx - 1) / 2) * g.pixelScales[1];

/**
 * Visibilities (K, 2) = (re, im) of the image `values` (length M, slim order) at the uv points (K, 2).
 * onProgress is called every few thousand visibilities (fraction done, message).
 */
export function forwardTransform(
  geom: GridGeometry,
  values: Float64Array,
  uv: Float64Array,
  onProgress?: (fraction: number, message: string) => void,
): Float64Array {
  const { ny, nx, nativeIndex } = geom;
  const m = values.length;
  const k = uv.length / 2;
  const xs = Float64Array.from({ length: nx }, (_, c) => 2 * Math.PI * colToX(geom, c));
  const ys = Float64Array.from({ length: ny }, (_, r) => 2 * Math.PI * rowToY(geom, r));
  const cosA = new Float64Array(nx),
    sinA = new Float64Array(nx);
  const rowC = new Float64Array(ny),
    rowS = new Float64Array(ny);
  const out = new Float64Array(2 * k);
  const report = Math.max(1, Math.floor(k / 50));
  for (let kk = 0; kk < k; kk++) {
    const u = uv[2 * kk],
      v = uv[2 * kk + 1];
    for (let c = 0; c < nx; c++) {
      cosA[c] = Math.cos(xs[c] * u);
      sinA[c] = Math.sin(xs[c] * u);
    }
    rowC.fill(0);
    rowS.fill(0);
    for (let i = 0; i < m; i++) {
      const r = nativeIndex[2 * i],
        c = nativeIndex[2 * i + 1];
      const f = values[i];
      rowC[r] += f * cosA[c];
      rowS[r] += f * sinA[c];
    }
    // re = Σ f cos(a + b) = Σ_r rowC cos b − rowS sin b;  im = −Σ f sin(a + b) = −Σ_r rowS cos b + rowC sin b.
    let re = 0,
      im = 0;
    for (let r = 0; r < ny; r++) {
      if (rowC[r] === 0 && rowS[r] === 0) continue; // rows entirely outside the mask
      const b = ys[r] * v;
      const cb = Math.cos(b),
        sb = Math.sin(b);
      re += rowC[r] * cb - rowS[r] * sb;
      im -= rowS[r] * cb + rowC[r] * sb;
    }
    out[2 * kk] = re;
    out[2 * kk + 1] = im;
    if (onProgress && (kk + 1) % report === 0) onProgress((kk + 1) / k, `visibility ${kk + 1} of ${k}`);
  }
  return out;
}
