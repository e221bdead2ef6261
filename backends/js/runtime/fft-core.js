// @ts-check
// fft-core.js — 1-D complex FFTs of any length on split (re, im) f64 arrays, V transforms at a time.
//
// Layout: element t of transform c is at [t*V + c]: the V transforms are interleaved, so every inner loop runs
// over c (contiguous) whatever the stage, and the 2-D driver feeds V rows or V columns of a tile at once.
// Algorithm: self-sorting (Stockham) decimation in frequency — n = r₀·r₁·…, radix 4 first, then 2, 3, 5 and any
// other prime p ≤ MAX_RADIX as a plain p-point DFT; lengths with a larger prime factor go through Bluestein's
// chirp-z (a power-of-two convolution). Twiddles are computed once per (length, direction) and thread from
// exact angle reductions (k·j mod n), so the error grows like log n, not n.
// Pure JS (no memory, no workers): fft-tasks.js runs it on arena buffers; tests run it directly.

import { radices } from '../../common/fft_radices.js';

/** Prime factors above this go through Bluestein (a p-point DFT costs p operations per point). */
export const MAX_RADIX = 61;

/**
 * @typedef {{ r: number, m: number, s: number, wr: Float64Array, wi: Float64Array, dr: Float64Array, di: Float64Array }} Stage
 *   radix r, n = r·m at this stage with stride s; w: twiddles w_n^{p·u} (p < m, u < r) at [p*r + u];
 *   d: the r×r DFT matrix ω_r^{t·u} at [t*r + u] (generic radices only)
 * @typedef {{ kind: 'stockham', n: number, sign: number, stages: Stage[] }} StockhamPlan
 * @typedef {{ kind: 'bluestein', n: number, sign: number, L: number, inner: StockhamPlan, innerInv: StockhamPlan,
 *   cr: Float64Array, ci: Float64Array, fr: Float64Array, fi: Float64Array }} BluesteinPlan
 * @typedef {StockhamPlan | BluesteinPlan} Plan
 */

/** Radices of n for the Stockham plan, or undefined when a prime factor exceeds MAX_RADIX. @param {number} n */
export function factorize(n) {
  const rs = radices(n);
  return rs.every((r) => r <= MAX_RADIX) ? rs : undefined;
}

/** cos and sin of 2π·k/n for an exactly reduced integer k (accurate to an ulp or so). @param {number} k @param {number} n */
function unitRoot(k, n) {
  const a = (2 * Math.PI * (k % n)) / n;
  return [Math.cos(a), Math.sin(a)];
}

/** @param {number} n @param {number} sign −1 forward (e^{−2πi·}), +1 inverse (unscaled) @returns {StockhamPlan} */
function stockhamPlan(n, sign) {
  const rs = /** @type {number[]} */ (factorize(n));
  /** @type {Stage[]} */
  const stages = [];
  let len = n,
    s = 1;
  for (const r of rs) {
    const m = len / r;
    const wr = new Float64Array(m * r),
      wi = new Float64Array(m * r);
    for (let p = 0; p < m; p++) {
      for (let u = 0; u < r; u++) {
        // w_len^{p·u} = w_n^{p·u·s}; reduce the exponent exactly before the cosine.
        const [c, si] = unitRoot((p * u * s) % n, n);
        wr[p * r + u] = c;
        wi[p * r + u] = sign * si;
      }
    }
    const dr = new Float64Array(r > 5 ? r * r : 0),
      di = new Float64Array(r > 5 ? r * r : 0);
    if (r > 5) {
      for (let t = 0; t < r; t++) {
        for (let u = 0; u < r; u++) {
          const [c, si] = unitRoot((t * u) % r, r);
          dr[t * r + u] = c;
          di[t * r + u] = sign * si;
        }
      }
    }
    stages.push({ r, m, s, wr, wi, dr, di });
    len = m;
    s *= r;
  }
  return { kind: 'stockham', n, sign, stages };
}

/** @param {number} n @param {number} sign @returns {BluesteinPlan} */
function bluesteinPlan(n, sign) {
  let L = 1;
  while (L < 2 * n - 1) L *= 2;
  const inner = stockhamPlan(L, -1),
    innerInv = stockhamPlan(L, 1);
  // chirp c_k = e^{sign·iπk²/n}; k² reduced mod 2n exactly (k < 2^26 keeps k² exact in a double).
  const cr = new Float64Array(n),
    ci = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const [c, s] = unitRoot((k * k) % (2 * n), 2 * n);
    cr[k] = c;
    ci[k] = sign * s;
  }
  // f = FFT of the conjugate chirp wrapped to length L, pre-scaled by 1/L for the inverse transform.
  const fr = new Float64Array(L),
    fi = new Float64Array(L);
  for (let k = 0; k < n; k++) {
    fr[k] = cr[k];
    fi[k] = -ci[k];
    if (k > 0) {
      fr[L - k] = cr[k];
      fi[L - k] = -ci[k];
    }
  }
  const [hr, hi] = stockham(inner, fr, fi, new Float64Array(L), new Float64Array(L), 1);
  for (let k = 0; k < L; k++) {
    hr[k] /= L;
    hi[k] /= L;
  }
  return { kind: 'bluestein', n, sign, L, inner, innerInv, cr, ci, fr: hr, fi: hi };
}

/** Plans are cached per thread. @type {Map<string, Plan>} */
const plans = new Map();

/** The plan for length n (≥ 1) and direction sign (−1 forward, +1 inverse, unscaled). @param {number} n @param {number} sign */
export function planFor(n, sign) {
  const key = `${n}:${sign}`;
  let p = plans.get(key);
  if (!p) {
    p = factorize(n) ? stockhamPlan(n, sign) : bluesteinPlan(n, sign);
    plans.set(key, p);
  }
  return p;
}

/** Scratch arrays per thread, grown on demand. @type {Map<string, Float64Array>} */
const scratch = new Map();
/** @param {string} key @param {number} len */
export function scratchOf(key, len) {
  let a = scratch.get(key);
  if (!a || a.length < len) {
    a = new Float64Array(len);
    scratch.set(key, a);
  }
  return a;
}

/**
 * V interleaved transforms of length plan.n: input (xr, xi), work arrays (yr, yi) of the same length n·V.
 * Returns the pair that holds the result ([xr, xi] or [yr, yi]); the other pair is overwritten.
 * Optional pruning (fftconv-tasks.js): only the leading nIn input points are non-zero, only the leading nOut output
 * points are read. A radix-4 first stage with nIn ≤ n/2 then skips its two zero inputs, and a radix-4 or radix-2
 * last stage with nOut ≤ n/2 computes only its leading outputs; the values computed are the same (up to the sign of
 * a zero).
 * @param {Plan} plan @param {Float64Array} xr @param {Float64Array} xi @param {Float64Array} yr @param {Float64Array} yi
 * @param {number} V @param {number} [nIn] @param {number} [nOut] @returns {[Float64Array, Float64Array]}
 */
export function transform(plan, xr, xi, yr, yi, V, nIn = plan.n, nOut = plan.n) {
  if (plan.kind === 'stockham') return stockham(plan, xr, xi, yr, yi, V, nIn, nOut);
  return bluestein(plan, xr, xi, V);
}

/**
 * @param {StockhamPlan} plan @param {Float64Array} xr @param {Float64Array} xi @param {Float64Array} yr
 * @param {Float64Array} yi @param {number} V @returns {[Float64Array, Float64Array]}
 */
function stockham(plan, xr, xi, yr, yi, V, nIn = plan.n, nOut = plan.n) {
  let ar = xr,
    ai = xi,
    br = yr,
    bi = yi;
  const last = plan.stages.length - 1;
  for (let i = 0; i <= last; i++) {
    const st = plan.stages[i];
    if (i === 0 && last > 0 && st.r === 4 && nIn <= 2 * st.m) radix4FirstHalf(st, ar, ai, br, bi, V, plan.sign);
    else if (i === last && last > 0 && st.m === 1 && (st.r === 4 || st.r === 2) && nOut <= (st.r / 2) * st.s)
      lastHalf(st, ar, ai, br, bi, V, plan.sign);
    else if (st.r === 4) radix4(st, ar, ai, br, bi, V, plan.sign);
    else if (st.r === 2) radix2(st, ar, ai, br, bi, V);
    else radixGeneric(st, ar, ai, br, bi, V, plan.sign);
    const tr = ar,
      ti = ai;
    ar = br;
    ai = bi;
    br = tr;
    bi = ti;
  }
  return [ar, ai];
}

// One stage: inputs x[q + s·(p + t·m)], outputs y[q + s·(r·p + u)] = w^{p·u} · Σ_t x_t ω_r^{t·u}, each index
// scaled by V with the transform number c innermost; q·V + c runs over a contiguous block of s·V.

/** @param {Stage} st @param {Float64Array} xr @param {Float64Array} xi @param {Float64Array} yr @param {Float64Array} yi @param {number} V */
function radix2(st, xr, xi, yr, yi, V) {
  const { m, s, wr, wi } = st;
  const sv = s * V,
    msv = m * sv;
  for (let p = 0; p < m; p++) {
    const w1r = wr[p * 2 + 1],
      w1i = wi[p * 2 + 1];
    const i0 = p * sv,
      o0 = 2 * p * sv;
    for (let j = 0; j < sv; j++) {
      const a = i0 + j,
        b = a + msv;
      const ar = xr[a],
        ai = xi[a],
        br = xr[b],
        bi = xi[b];
      yr[o0 + j] = ar + br;
      yi[o0 + j] = ai + bi;
      const dr = ar - br,
        di = ai - bi;
      yr[o0 + sv + j] = dr * w1r - di * w1i;
      yi[o0 + sv + j] = dr * w1i + di * w1r;
    }
  }
}

/** @param {Stage} st @param {Float64Array} xr @param {Float64Array} xi @param {Float64Array} yr @param {Float64Array} yi @param {number} V @param {number} sign */
function radix4(st, xr, xi, yr, yi, V, sign) {
  const { m, s, wr, wi } = st;
  const sv = s * V,
    msv = m * sv;
  for (let p = 0; p < m; p++) {
    const w1r = wr[p * 4 + 1],
      w1i = wi[p * 4 + 1],
      w2r = wr[p * 4 + 2],
      w2i = wi[p * 4 + 2],
      w3r = wr[p * 4 + 3],
      w3i = wi[p * 4 + 3];
    const i0 = p * sv,
      o0 = 4 * p * sv;
    for (let j = 0; j < sv; j++) {
      const a0 = i0 + j,
        a1 = a0 + msv,
        a2 = a1 + msv,
        a3 = a2 + msv;
      const x0r = xr[a0],
        x0i = xi[a0],
        x1r = xr[a1],
        x1i = xi[a1],
        x2r = xr[a2],
        x2i = xi[a2],
        x3r = xr[a3],
        x3i = xi[a3];
      const t0r = x0r + x2r,
        t0i = x0i + x2i,
        t1r = x0r - x2r,
        t1i = x0i - x2i;
      const t2r = x1r + x3r,
        t2i = x1i + x3i;
      // t3 = (x1 − x3)·(sign·i): −i forward, +i inverse
      const dr = x1r - x3r,
        di = x1i - x3i;
      const t3r = -sign * di,
        t3i = sign * dr;
      yr[o0 + j] = t0r + t2r;
      yi[o0 + j] = t0i + t2i;
      const y1r = t1r + t3r,
        y1i = t1i + t3i,
        y2r = t0r - t2r,
        y2i = t0i - t2i,
        y3r = t1r - t3r,
        y3i = t1i - t3i;
      const o1 = o0 + sv + j,
        o2 = o1 + sv,
        o3 = o2 + sv;
      yr[o1] = y1r * w1r - y1i * w1i;
      yi[o1] = y1r * w1i + y1i * w1r;
      yr[o2] = y2r * w2r - y2i * w2i;
      yi[o2] = y2r * w2i + y2i * w2r;
      yr[o3] = y3r * w3r - y3i * w3i;
      yi[o3] = y3r * w3i + y3i * w3r;
    }
  }
}

/** radix4 with x₂ = x₃ = 0 (the first stage of a transform whose inputs beyond n/2 are zero): the same values.
 * @param {Stage} st @param {Float64Array} xr @param {Float64Array} xi @param {Float64Array} yr @param {Float64Array} yi @param {number} V @param {number} sign */
function radix4FirstHalf(st, xr, xi, yr, yi, V, sign) {
  const { m, s, wr, wi } = st;
  const sv = s * V,
    msv = m * sv;
  for (let p = 0; p < m; p++) {
    const w1r = wr[p * 4 + 1],
      w1i = wi[p * 4 + 1],
      w2r = wr[p * 4 + 2],
      w2i = wi[p * 4 + 2],
      w3r = wr[p * 4 + 3],
      w3i = wi[p * 4 + 3];
    const i0 = p * sv,
      o0 = 4 * p * sv;
    for (let j = 0; j < sv; j++) {
      const a0 = i0 + j,
        a1 = a0 + msv;
      const x0r = xr[a0],
        x0i = xi[a0],
        x1r = xr[a1],
        x1i = xi[a1];
      // t0 = t1 = x0, t2 = x1, t3 = x1·(sign·i)
      const t3r = -sign * x1i,
        t3i = sign * x1r;
      yr[o0 + j] = x0r + x1r;
      yi[o0 + j] = x0i + x1i;
      const y1r = x0r + t3r,
        y1i = x0i + t3i,
        y2r = x0r - x1r,
        y2i = x0i - x1i,
        y3r = x0r - t3r,
        y3i = x0i - t3i;
      const o1 = o0 + sv + j,
        o2 = o1 + sv,
        o3 = o2 + sv;
      yr[o1] = y1r * w1r - y1i * w1i;
      yi[o1] = y1r * w1i + y1i * w1r;
      yr[o2] = y2r * w2r - y2i * w2i;
      yi[o2] = y2r * w2i + y2i * w2r;
      yr[o3] = y3r * w3r - y3i * w3i;
      yi[o3] = y3r * w3i + y3i * w3r;
    }
  }
}

/** The last stage (m = 1, twiddles 1) of radix 4 or 2, only its outputs u < r/2 (the leading half of the transform).
 * @param {Stage} st @param {Float64Array} xr @param {Float64Array} xi @param {Float64Array} yr @param {Float64Array} yi @param {number} V @param {number} sign */
function lastHalf(st, xr, xi, yr, yi, V, sign) {
  const sv = st.s * V;
  if (st.r === 2) {
    for (let j = 0; j < sv; j++) {
      yr[j] = xr[j] + xr[j + sv];
      yi[j] = xi[j] + xi[j + sv];
    }
    return;
  }
  for (let j = 0; j < sv; j++) {
    const a1 = j + sv,
      a2 = a1 + sv,
      a3 = a2 + sv;
    const x0r = xr[j],
      x0i = xi[j],
      x1r = xr[a1],
      x1i = xi[a1],
      x2r = xr[a2],
      x2i = xi[a2],
      x3r = xr[a3],
      x3i = xi[a3];
    const dr = x1r - x3r,
      di = x1i - x3i;
    yr[j] = x0r + x2r + (x1r + x3r);
    yi[j] = x0i + x2i + (x1i + x3i);
    yr[j + sv] = x0r - x2r + -sign * di;
    yi[j + sv] = x0i - x2i + sign * dr;
  }
}

/** A plain r-point DFT per butterfly (radices 3, 5 and other primes up to MAX_RADIX).
 * @param {Stage} st @param {Float64Array} xr @param {Float64Array} xi @param {Float64Array} yr @param {Float64Array} yi @param {number} V @param {number} sign */
function radixGeneric(st, xr, xi, yr, yi, V, sign) {
  const { r, m, s, wr, wi } = st;
  const sv = s * V,
    msv = m * sv;
  let dr = st.dr,
    di = st.di;
  if (dr.length === 0) {
    // radices 3 and 5: the small DFT matrix, built on first use
    dr = new Float64Array(r * r);
    di = new Float64Array(r * r);
    for (let t = 0; t < r; t++)
      for (let u = 0; u < r; u++) {
        const [c, si] = unitRoot((t * u) % r, r);
        dr[t * r + u] = c;
        di[t * r + u] = sign * si;
      }
    st.dr = dr;
    st.di = di;
  }
  for (let p = 0; p < m; p++) {
    const i0 = p * sv,
      o0 = r * p * sv;
    for (let u = 0; u < r; u++) {
      const twr = wr[p * r + u],
        twi = wi[p * r + u];
      const ou = o0 + u * sv;
      for (let j = 0; j < sv; j++) {
        let accr = 0,
          acci = 0;
        for (let t = 0; t < r; t++) {
          const a = i0 + t * msv + j,
            cr = dr[t * r + u],
            ci = di[t * r + u];
          accr += xr[a] * cr - xi[a] * ci;
          acci += xr[a] * ci + xi[a] * cr;
        }
        yr[ou + j] = accr * twr - acci * twi;
        yi[ou + j] = accr * twi + acci * twr;
      }
    }
  }
}

/** Bluestein: X_k = c_k · Σ_j (x_j c_j) · conj(c)_{k−j}, the convolution by power-of-two FFTs. Result in (xr, xi).
 * @param {BluesteinPlan} plan @param {Float64Array} xr @param {Float64Array} xi @param {number} V @returns {[Float64Array, Float64Array]} */
function bluestein(plan, xr, xi, V) {
  const { n, L, cr, ci, fr, fi } = plan;
  const ar = scratchOf('bs.ar', L * V),
    ai = scratchOf('bs.ai', L * V),
    br = scratchOf('bs.br', L * V),
    bi = scratchOf('bs.bi', L * V);
  ar.fill(0, 0, L * V);
  ai.fill(0, 0, L * V);
  for (let k = 0; k < n; k++) {
    for (let c = 0; c < V; c++) {
      const x = k * V + c;
      ar[x] = xr[x] * cr[k] - xi[x] * ci[k];
      ai[x] = xr[x] * ci[k] + xi[x] * cr[k];
    }
  }
  let [pr, pi] = stockham(plan.inner, ar, ai, br, bi, V);
  for (let k = 0; k < L; k++) {
    for (let c = 0; c < V; c++) {
      const x = k * V + c,
        re = pr[x],
        im = pi[x];
      pr[x] = re * fr[k] - im * fi[k];
      pi[x] = re * fi[k] + im * fr[k];
    }
  }
  const [qr, qi] = stockham(plan.innerInv, pr, pi, pr === ar ? br : ar, pr === ar ? bi : ai, V);
  for (let k = 0; k < n; k++) {
    for (let c = 0; c < V; c++) {
      const x = k * V + c,
        re = qr[x],
        im = qi[x];
      xr[x] = re * cr[k] - im * ci[k];
      xi[x] = re * ci[k] + im * cr[k];
    }
  }
  return [xr, xi];
}
