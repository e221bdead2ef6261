// General scans (not running sums) as the compiled-target suites run them: each case is a kernel, a
// list of inputs (odd sizes, size 1, length 0 where the DSL allows it) and, besides the reference
// interpreter, an independent expected value computed here with plain loops or exact identities.
import {
  add,
  cholesky,
  constant,
  cos,
  div,
  f64,
  gather,
  gt,
  i32,
  kernel,
  matmul,
  mod,
  mul,
  scan,
  scatterAdd,
  size,
  sizes,
  sqrt,
  sub,
  sum,
  take,
  transpose,
  triSolve,
  where,
  zeros,
  type Kernel,
  type Tensor,
} from '../../dsl/index.ts';
import { randomArray, rng } from '../helpers/random.ts';

export type Inputs = Record<string, unknown>;

/**
 * Error of got against want: the largest difference relative to the largest |want|, or to `scale`
 * where an output's natural size is elsewhere (CG residuals shrink to rounding noise, ~0 either way).
 */
export function errOf(got: ArrayLike<number>, want: ArrayLike<number>, scale?: number): number {
  if (got.length !== want.length) return Infinity;
  let num = 0,
    den = 0;
  for (let i = 0; i < got.length; i++) {
    num = Math.max(num, Math.abs(got[i]! - want[i]!));
    den = Math.max(den, Math.abs(want[i]!));
  }
  const s = scale ?? den;
  return s === 0 ? num : num / s;
}
export type Outputs = Record<string, ArrayLike<number>>;
/** An exactly known value of one output element (an eigenvalue, say). */
export interface ExactValue {
  readonly output: string;
  readonly index: number;
  readonly value: number;
}
export interface ScanCase {
  readonly kernel: Kernel;
  /** Input sets: label → inputs and the independently computed outputs (by output name). */
  readonly inputs: readonly {
    readonly label: string;
    readonly inputs: Inputs;
    readonly expect: Outputs;
    readonly exact?: ExactValue;
    readonly scale?: Readonly<Record<string, number>>;
    readonly options?: Readonly<Record<string, unknown>>;
    readonly chunked?: boolean;
  }[];
  /** Tolerance (relative max error) for f64 targets and for WGSL's f32. */
  readonly tol: { readonly f64: number; readonly f32: number };
}

// ---- cumulative product and sum with their partial results (stacked ys) ----
export const cumulative = kernel({
  name: 'cumulative',
  params: { x: f64(['K']) },
  body: ({ x }) => {
    const [[p, s], ys] = scan(
      (c: readonly Tensor[], xt: Tensor) => {
        const [p, s] = c as [Tensor, Tensor];
        const p2 = mul(p, xt),
          s2 = add(s, xt);
        return [
          [p2, s2],
          [p2, s2, s],
        ] as const; // inclusive products and sums, exclusive sums
      },
      [constant(1), constant(0)],
      x,
    );
    const [ps, ss, ex] = ys as Tensor[];
    return { prod: p!, sum: s!, prods: ps!, sums: ss!, exclusive: ex! };
  },
});
function cumulativeRef(x: ArrayLike<number>, reverse = false): Outputs {
  const K = x.length,
    prods = new Float64Array(K),
    sums = new Float64Array(K),
    exclusive = new Float64Array(K);
  let p = 1,
    s = 0;
  for (let i = 0; i < K; i++) {
    const t = reverse ? K - 1 - i : i;
    exclusive[t] = s;
    p *= x[t]!;
    s += x[t]!;
    prods[t] = p;
    sums[t] = s;
  }
  return { prod: [p], sum: [s], prods, sums, exclusive };
}
// x in [0.7, 1.3]: products stay O(1) over the lengths used, so f32 keeps its relative precision.
const xsOf = (K: number, seed: number) => randomArray(K, rng(seed), 0.7, 1.3);

export const reverseCumulative = kernel({
  name: 'reverseCumulative',
  params: { x: f64(['K']) },
  body: ({ x }) => {
    const [[p, s], ys] = scan(
      (c: readonly Tensor[], xt: Tensor) => {
        const [p, s] = c as [Tensor, Tensor];
        const p2 = mul(p, xt),
          s2 = add(s, xt);
        return [
          [p2, s2],
          [p2, s2, s],
        ] as const;
      },
      [constant(1), constant(0)],
      x,
      { reverse: true },
    );
    const [ps, ss, ex] = ys as Tensor[];
    return { prod: p!, sum: s!, prods: ps!, sums: ss!, exclusive: ex! };
  },
});

// ---- a reverse suffix sum that returns only its partial sums (ys of a running-sum carry) ----
export const suffixSums = kernel({
  name: 'suffixSums',
  params: { x: f64(['K', 'M']), n: sizes(['K', 'M']) },
  body: ({ x }) =>
    scan(
      (c: Tensor, row: Tensor) => {
        const s = add(c, row);
        return [s, s];
      },
      zeros(['M']),
      x,
      { reverse: true },
    )[1] as Tensor,
});
function suffixRef(x: ArrayLike<number>, K: number, M: number): Outputs {
  const out = new Float64Array(K * M),
    c = new Float64Array(M);
  for (let t = K - 1; t >= 0; t--)
    for (let m = 0; m < M; m++) {
      c[m] += x[t * M + m]!;
      out[t * M + m] = c[m]!;
    }
  return { result: out };
}

// ---- tuple carry that swaps (a' = b, b' = a + b·x), two ys ----
export const swapPair = kernel({
  name: 'swapPair',
  params: { x: f64(['K']) },
  body: ({ x }) => {
    const [[a, b], ys] = scan(
      (carry: readonly Tensor[], xt: Tensor) => {
        const [a, b] = carry as [Tensor, Tensor];
        return [
          [b, add(a, mul(b, xt))],
          [a, mul(b, 2)],
        ] as const;
      },
      [constant(1), constant(0.5)],
      x,
    );
    const [ya, yb] = ys as Tensor[];
    return { a: a!, b: b!, ya: ya!, yb: yb! };
  },
});
function swapRef(x: ArrayLike<number>): Outputs {
  let a = 1,
    b = 0.5;
  const ya: number[] = [],
    yb: number[] = [];
  for (const v of Array.from(x)) {
    ya.push(a);
    yb.push(2 * b);
    [a, b] = [b, a + b * v];
  }
  return { a: [a], b: [b], ya, yb };
}

// ---- length without xs (symbolic, from a sizes parameter): an i32 carry and a vector carry ----
export const lengthOnly = kernel({
  name: 'lengthOnly',
  params: { v0: f64(['M']), n: sizes('L') },
  body: ({ v0 }) => {
    const [[k, v], ys] = scan(
      (c: readonly Tensor[]) => {
        const [k, v] = c as [Tensor, Tensor];
        return [
          [add(k, 1), add(mul(v, 0.5), 1)],
          [mul(k, k), sum(v)],
        ] as const;
      },
      [constant(0, 'i32'), v0],
      null,
      { length: 'L' },
    );
    const [sq, sv] = ys as Tensor[];
    return { k: k!, v: v!, squares: sq!, sums: sv! };
  },
});
function lengthOnlyRef(v0: ArrayLike<number>, L: number): Outputs {
  let v = Float64Array.from(v0);
  const squares: number[] = [],
    sums: number[] = [];
  for (let t = 0; t < L; t++) {
    squares.push(t * t);
    sums.push(v.reduce((a, b) => a + b, 0));
    v = v.map((e) => 0.5 * e + 1);
  }
  return { k: [L], v, squares, sums };
}

// ---- power iteration: 40 steps of v ← A·v / ‖A·v‖, Rayleigh quotients as ys ----
export const powerIteration = kernel({
  name: 'powerIteration',
  params: { a: f64(['N', 'N']), v0: f64(['N']) },
  body: ({ a, v0 }) => {
    const [v, ys] = scan(
      (v: Tensor) => {
        const w = matmul(a, v);
        const lambda = sum(mul(v, w));
        return [div(w, sqrt(sum(mul(w, w)))), lambda];
      },
      div(v0, sqrt(sum(mul(v0, v0)))),
      null,
      { length: 40 },
    );
    return { v, lambdas: ys as Tensor };
  },
});
function powerRef(a: ArrayLike<number>, v0: ArrayLike<number>, steps: number): Outputs {
  const N = v0.length;
  const n0 = Math.hypot(...Array.from(v0));
  let v = Float64Array.from(v0, (x) => x / n0);
  const lambdas: number[] = [];
  for (let t = 0; t < steps; t++) {
    const w = new Float64Array(N);
    for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) w[i] += a[i * N + j]! * v[j]!;
    lambdas.push(v.reduce((acc, x, i) => acc + x * w[i]!, 0));
    const nw = Math.hypot(...w);
    v = w.map((x) => x / nw);
  }
  return { v, lambdas };
}
/** A = Q·diag(λ)·Qᵀ with Q a Householder reflection: eigenvalues known exactly. */
export function spectralMatrix(lambdas: readonly number[], seed: number): Float64Array {
  const N = lambdas.length,
    u = randomArray(N, rng(seed));
  const nu = Math.hypot(...u);
  const q = (i: number, j: number) => (i === j ? 1 : 0) - (2 * u[i]! * u[j]!) / (nu * nu);
  const a = new Float64Array(N * N);
  for (let i = 0; i < N; i++)
    for (let j = 0; j < N; j++) for (let k = 0; k < N; k++) a[i * N + j] += q(i, k) * lambdas[k]! * q(j, k);
  return a;
}

// ---- conjugate gradient, a fixed number of steps, on (F + H) s = D ----
export const conjugateGradient = kernel({
  name: 'conjugateGradient',
  params: { f: f64(['S', 'S']), h: f64(['S', 'S']), d: f64(['S']), n: sizes('T') },
  body: ({ f, h, d }) => {
    const m = add(f, h);
    const [[s, , ,], ys] = scan(
      (c: readonly Tensor[]) => {
        const [x, r, p, rs] = c as [Tensor, Tensor, Tensor, Tensor];
        const ap = matmul(m, p);
        const pap = sum(mul(p, ap));
        // Once converged exactly (size 1: after one step) p and r are 0: keep them 0 instead of 0/0.
        const alpha = where(gt(pap, 0), div(rs, pap), 0);
        const x2 = add(x, mul(alpha, p)),
          r2 = sub(r, mul(alpha, ap));
        const rs2 = sum(mul(r2, r2));
        const beta = where(gt(rs, 0), div(rs2, rs), 0);
        return [[x2, r2, add(r2, mul(beta, p)), rs2], sqrt(rs2)];
      },
      [zeros(['S']), d, d, sum(mul(d, d))],
      null,
      { length: 'T' },
    );
    return { s: s!, residuals: ys as Tensor };
  },
});
export const choleskySolve = kernel({
  name: 'choleskySolve',
  params: { f: f64(['S', 'S']), h: f64(['S', 'S']), d: f64(['S']) },
  body: ({ f, h, d }) => {
    const l = cholesky(add(f, h));
    return triSolve(l, triSolve(l, d), { transpose: true });
  },
});
/** F = BᵀB/S + I (SPD, well conditioned), H = c·(path-graph Laplacian) (PSD), D random. */
export function cgInputs(S: number, seed: number): { f: Float64Array; h: Float64Array; d: Float64Array } {
  const r = rng(seed),
    b = randomArray(S * S, r),
    f = new Float64Array(S * S),
    h = new Float64Array(S * S);
  for (let i = 0; i < S; i++)
    for (let j = 0; j < S; j++) {
      let acc = 0;
      for (let k = 0; k < S; k++) acc += b[k * S + i]! * b[k * S + j]!;
      f[i * S + j] = acc / S + (i === j ? 1 : 0);
    }
  const c = 0.3;
  for (let i = 0; i + 1 < S; i++) {
    h[i * S + i] += c;
    h[(i + 1) * S + i + 1] += c;
    h[i * S + i + 1] -= c;
    h[(i + 1) * S + i] -= c;
  }
  return { f, h, d: randomArray(S, r) };
}
/** Plain-loop Cholesky solve of (F + H) s = D. */
export function solveRef(f: ArrayLike<number>, h: ArrayLike<number>, d: ArrayLike<number>): Float64Array {
  const S = d.length,
    L = new Float64Array(S * S);
  for (let j = 0; j < S; j++) {
    let s = f[j * S + j]! + h[j * S + j]!;
    for (let k = 0; k < j; k++) s -= L[j * S + k]! ** 2;
    L[j * S + j] = Math.sqrt(s);
    for (let i = j + 1; i < S; i++) {
      let t = f[i * S + j]! + h[i * S + j]!;
      for (let k = 0; k < j; k++) t -= L[i * S + k]! * L[j * S + k]!;
      L[i * S + j] = t / L[j * S + j]!;
    }
  }
  const y = Float64Array.from(d);
  for (let i = 0; i < S; i++) {
    for (let k = 0; k < i; k++) y[i] -= L[i * S + k]! * y[k]!;
    y[i] /= L[i * S + i]!;
  }
  for (let i = S - 1; i >= 0; i--) {
    for (let k = i + 1; k < S; k++) y[i] -= L[k * S + i]! * y[k]!;
    y[i] /= L[i * S + i]!;
  }
  return y;
}

// ---- a body with a matmul and gathers: the index of one gather is a row of xs, of another the carry ----
export const mixGather = kernel({
  name: 'mixGather',
  params: { a: f64(['N', 'N']), perm: i32(['K', 'N']), table: f64(['N']), v0: f64(['N']) },
  body: ({ a, perm, table, v0 }) => {
    const [[v, j], ys] = scan(
      (c: readonly Tensor[], pt: Tensor) => {
        const [v, j] = c as [Tensor, Tensor];
        const w = matmul(a, v);
        const v2 = add(mul(take(w, pt), 0.5), gather(table, [j]));
        const j2 = mod(add(mul(j, 7), 3), size('N'));
        return [
          [v2, j2],
          [sum(v2), j],
        ] as const;
      },
      [v0, constant(0, 'i32')],
      perm,
    );
    const [sv, js] = ys as Tensor[];
    return { v: v!, j: j!, sums: sv!, js: js! };
  },
});
function mixGatherRef(
  a: ArrayLike<number>,
  perm: ArrayLike<number>,
  table: ArrayLike<number>,
  v0: ArrayLike<number>,
): Outputs {
  const N = v0.length,
    K = perm.length / N;
  let v = Float64Array.from(v0),
    j = 0;
  const sums: number[] = [],
    js: number[] = [];
  for (let t = 0; t < K; t++) {
    const w = new Float64Array(N);
    for (let r = 0; r < N; r++) for (let c = 0; c < N; c++) w[r] += a[r * N + c]! * v[c]!;
    const v2 = new Float64Array(N);
    for (let r = 0; r < N; r++) v2[r] = 0.5 * w[perm[t * N + r]!]! + table[j]!;
    js.push(j);
    sums.push(v2.reduce((x, y) => x + y, 0));
    v = v2;
    j = (j * 7 + 3) % N;
  }
  return { v, j: [j], sums, js };
}

// ---- a scan inside a scan body (it reads the outer carry), and a scatter inside a body ----
export const nestedScan = kernel({
  name: 'nestedScan',
  params: { x: f64(['K', 'M']), n: sizes(['K', 'M']) },
  body: ({ x }) => {
    const [c, ys] = scan(
      (c: Tensor, row: Tensor) => {
        const [p, ps] = scan(
          (q: Tensor, e: Tensor) => {
            const q2 = add(mul(q, e), c);
            return [q2, q2];
          },
          constant(1),
          row,
        );
        return [add(mul(c, 0.5), p), sum(ps as Tensor)];
      },
      constant(0),
      x,
    );
    return { c, ys: ys as Tensor };
  },
});
function nestedRef(x: ArrayLike<number>, K: number, M: number): Outputs {
  let c = 0;
  const ys: number[] = [];
  for (let t = 0; t < K; t++) {
    let q = 1,
      s = 0;
    for (let m = 0; m < M; m++) {
      q = q * x[t * M + m]! + c;
      s += q;
    }
    ys.push(s);
    c = 0.5 * c + q;
  }
  return { c: [c], ys };
}
export const scatterBody = kernel({
  name: 'scatterBody',
  params: { idx: i32(['K', 'M']), w: f64(['M']), n: sizes(['K', 'M', 'S']) },
  body: ({ idx, w }) => {
    const [h, ys] = scan(
      (h: Tensor, it: Tensor) => {
        const h2 = add(mul(h, 0.9), scatterAdd(['S'], [it], w));
        return [h2, sum(mul(h2, h2))];
      },
      constant(0, 'f64', ['S']),
      idx,
    );
    return { h, ys: ys as Tensor };
  },
});
function scatterRef(idx: ArrayLike<number>, w: ArrayLike<number>, K: number, M: number, S: number): Outputs {
  let h = new Float64Array(S);
  const ys: number[] = [];
  for (let t = 0; t < K; t++) {
    const add = new Float64Array(S);
    for (let m = 0; m < M; m++) if (idx[t * M + m]! >= 0) add[idx[t * M + m]!] += w[m]!;
    h = h.map((v, i) => 0.9 * v + add[i]!);
    ys.push(h.reduce((a, v) => a + v * v, 0));
  }
  return { h, ys };
}

// ---- a scan after a K-chunked matmul: G = C·Cᵀ (C (M, K) chunked under a small budget), then 7 steps on G ----
export const gramPower = kernel({
  name: 'gramPower',
  params: { x: f64(['M']), u: f64(['K']) },
  body: ({ x, u }) => {
    const c = cos(mul(x.reshape(['M', 1]), u.reshape([1, 'K'])));
    const g = matmul(c, transpose(c));
    const [v, ys] = scan(
      (v: Tensor) => {
        const w = matmul(g, v);
        return [mul(w, 1 / 1024), sum(mul(v, w))];
      },
      constant(1, 'f64', ['M']),
      null,
      { length: 7 },
    );
    return { v, ys: ys as Tensor };
  },
});
function gramPowerRef(x: ArrayLike<number>, u: ArrayLike<number>): Outputs {
  const M = x.length,
    K = u.length,
    g = new Float64Array(M * M);
  for (let i = 0; i < M; i++)
    for (let j = 0; j < M; j++) {
      let a = 0;
      for (let k = 0; k < K; k++) a += Math.cos(x[i]! * u[k]!) * Math.cos(x[j]! * u[k]!);
      g[i * M + j] = a;
    }
  let v = new Float64Array(M).fill(1);
  const ys: number[] = [];
  for (let t = 0; t < 7; t++) {
    const w = new Float64Array(M);
    for (let i = 0; i < M; i++) for (let j = 0; j < M; j++) w[i] += g[i * M + j]! * v[j]!;
    ys.push(v.reduce((a, e, i) => a + e * w[i]!, 0));
    v = w.map((e) => e / 1024);
  }
  return { v, ys };
}

function permutations(K: number, N: number, seed: number): Int32Array {
  const r = rng(seed),
    out = new Int32Array(K * N);
  for (let t = 0; t < K; t++) {
    const p = Array.from({ length: N }, (_, i) => i);
    for (let i = N - 1; i > 0; i--) {
      const k = Math.floor(r() * (i + 1));
      [p[i], p[k]] = [p[k]!, p[i]!];
    }
    out.set(p, t * N);
  }
  return out;
}

const cum = (K: number, seed: number, reverse = false) => {
  const x = xsOf(K, seed);
  return { label: `K = ${K}`, inputs: { x }, expect: cumulativeRef(x, reverse) };
};

/** Every case, with its inputs and independent expectations. */
export function scanCases(): ScanCase[] {
  const power = (N: number, seed: number) => {
    const lambdas = Array.from({ length: N }, (_, i) => (i === 0 ? 10 : 3 - (2 * i) / N));
    const a = spectralMatrix(lambdas, seed),
      v0 = randomArray(N, rng(seed + 1), 0.5, 1.5);
    // After 40 steps (ratio 0.3) the Rayleigh quotient equals the top eigenvalue to f64 precision.
    return {
      label: `N = ${N}`,
      inputs: { a, v0 },
      expect: powerRef(a, v0, 40),
      exact: { output: 'lambdas', index: 39, value: 10 },
    };
  };
  const cg = (S: number, T: number, seed: number) => {
    const { f, h, d } = cgInputs(S, seed);
    const norm = Math.hypot(...d);
    return {
      label: `S = ${S}, ${T} steps`,
      inputs: { f, h, d, n: T },
      expect: { s: solveRef(f, h, d) },
      scale: { residuals: norm },
    };
  };
  const mg = (N: number, K: number, seed: number) => {
    const r = rng(seed),
      a = randomArray(N * N, r, -0.5, 0.5),
      perm = permutations(K, N, seed),
      table = randomArray(N, r),
      v0 = randomArray(N, r);
    return { label: `N = ${N}, K = ${K}`, inputs: { a, perm, table, v0 }, expect: mixGatherRef(a, perm, table, v0) };
  };
  return [
    { kernel: cumulative, inputs: [cum(1, 1), cum(7, 2), cum(64, 3), cum(0, 4)], tol: { f64: 1e-14, f32: 2e-5 } },
    {
      kernel: reverseCumulative,
      inputs: [cum(1, 5, true), cum(9, 6, true), cum(0, 7, true)],
      tol: { f64: 1e-14, f32: 2e-5 },
    },
    {
      kernel: suffixSums,
      tol: { f64: 1e-14, f32: 2e-5 },
      inputs: [
        [5, 3],
        [1, 1],
        [13, 1],
        [0, 2],
      ].map(([K, M]) => {
        const x = randomArray(K! * M!, rng(K! + 10 * M!));
        return { label: `K = ${K}, M = ${M}`, inputs: { x, n: [K, M] }, expect: suffixRef(x, K!, M!) };
      }),
    },
    {
      kernel: swapPair,
      tol: { f64: 1e-14, f32: 1e-4 },
      inputs: [1, 6, 11].map((K) => {
        const x = randomArray(K, rng(K));
        return { label: `K = ${K}`, inputs: { x }, expect: swapRef(x) };
      }),
    },
    {
      kernel: lengthOnly,
      tol: { f64: 1e-14, f32: 2e-5 },
      inputs: [
        [3, 5],
        [1, 1],
        [2, 0],
      ].map(([M, L]) => {
        const v0 = randomArray(M!, rng(M! + L!));
        return { label: `M = ${M}, L = ${L}`, inputs: { v0, n: L }, expect: lengthOnlyRef(v0, L!) };
      }),
    },
    { kernel: powerIteration, tol: { f64: 1e-12, f32: 1e-4 }, inputs: [power(1, 1), power(5, 2), power(17, 3)] },
    { kernel: conjugateGradient, tol: { f64: 1e-9, f32: 2e-3 }, inputs: [cg(1, 2, 1), cg(6, 12, 2), cg(13, 26, 3)] },
    { kernel: mixGather, tol: { f64: 1e-12, f32: 1e-4 }, inputs: [mg(1, 1, 1), mg(5, 7, 2), mg(9, 3, 3)] },
    {
      // 20 kB: C (9 × 1001 f64 = 72 kB) must come in K-chunks
      kernel: gramPower,
      tol: { f64: 1e-12, f32: 1e-4 },
      inputs: [
        [9, 1001],
        [1, 1],
      ].map(([M, K]) => {
        const r = rng(M! * K!),
          x = randomArray(M!, r),
          u = randomArray(K!, r);
        return {
          label: `M = ${M}, K = ${K}, 20 kB budget`,
          inputs: { x, u },
          expect: gramPowerRef(x, u),
          options: { memoryBudgetBytes: 20_000 },
          chunked: K! > 1,
        };
      }),
    },
    {
      kernel: nestedScan,
      tol: { f64: 1e-13, f32: 1e-4 },
      inputs: [
        [3, 4],
        [1, 1],
        [5, 2],
      ].map(([K, M]) => {
        const x = randomArray(K! * M!, rng(7 * K! + M!), 0.7, 1.1);
        return { label: `K = ${K}, M = ${M}`, inputs: { x, n: [K, M] }, expect: nestedRef(x, K!, M!) };
      }),
    },
    {
      kernel: scatterBody,
      tol: { f64: 1e-13, f32: 1e-4 },
      inputs: [
        [4, 3, 5],
        [1, 1, 1],
        [7, 6, 2],
      ].map(([K, M, S]) => {
        const r = rng(K! + M! + S!),
          w = randomArray(M!, r);
        // −1 entries are padding, skipped like in scatterAdd outside a scan
        const idx = Int32Array.from({ length: K! * M! }, () => Math.floor(r() * (S! + 1)) - 1);
        return {
          label: `K = ${K}, M = ${M}, S = ${S}`,
          inputs: { idx, w, n: [K, M, S] },
          expect: scatterRef(idx, w, K!, M!, S!),
        };
      }),
    },
  ];
}
