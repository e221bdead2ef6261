// The kernels the separable-sum tests run (test/passes/factor_separable.test.ts on JS and the interpreter,
// test/differential/rewrites.test.ts on every target): sums that must become contractions over k, with
// the plan they must get, and near misses that must stay direct sums.
import {
  abs,
  add,
  cos,
  div,
  exp,
  f64,
  kernel,
  max,
  mul,
  pow,
  sin,
  sub,
  sum,
  type Kernel,
  type ParamSpec,
  type Tensor,
} from '../../dsl/index.ts';
import { wTildeDirect } from '../../std/w_tilde.ts';
import { wTildeScan } from '../../std/w_tilde_scan.ts';

export type Plan = 'syrk' | 'gemm' | 'direct';

const TWO_PI = 2 * Math.PI;
const i3 = (t: Tensor) => t.reshape(['M', 1, 1]);
const j3 = (t: Tensor, n = 'M') => t.reshape([1, n, 1]);
const k3 = (t: Tensor) => t.reshape([1, 1, 'K']);

/** A kernel over x (M), z (N), u, w (K) and a (M, K): a (M, N) sum over K of the given summand. */
export function pairSum(
  name: string,
  summand: (p: Record<string, Tensor>) => Tensor,
  extra: Record<string, ParamSpec> = {},
  rewrites?: boolean,
): Kernel {
  return kernel({
    name,
    rewrites,
    params: { x: f64(['M']), z: f64(['N']), u: f64(['K']), w: f64(['K']), a: f64(['M', 'K']), ...extra },
    body: (p) => sum(summand(p as unknown as Record<string, Tensor>), 2),
  });
}

export const positives: [string, Kernel, Plan][] = [
  ['W̃ as written (std wTildeDirect)', wTildeDirect, 'syrk'],
  ['W̃ as a lax.scan (std wTildeScan)', wTildeScan, 'syrk'],
  [
    'cos(φ_i − φ_j) with arbitrary weights w_k',
    pairSum('cosWeighted', ({ x, u, w }) => mul(k3(w), cos(mul(TWO_PI, mul(sub(i3(x), j3(x)), k3(u)))))),
    'gemm',
  ],
  [
    'cos(φ_i − φ_j) with weights declared non-negative (f64([K], { min: 0 })): √w on both sides',
    kernel({
      name: 'cosDeclaredWeights',
      params: { x: f64(['M']), u: f64(['K']), w: f64(['K'], { min: 0 }) },
      body: ({ x, u, w }) => sum(mul(k3(w), cos(mul(TWO_PI, mul(sub(i3(x), j3(x)), k3(u))))), 2),
    }),
    'syrk',
  ],
  [
    'cos(φ_i − φ_j)·w_k² (a square weight splits)',
    pairSum('cosSquareWeight', ({ x, u, w }) => mul(pow(k3(w), 2), cos(mul(sub(i3(x), j3(x)), k3(u))))),
    'syrk',
  ],
  [
    'cos(φ_i + ψ_j) on (M, N)',
    pairSum('cosSum', ({ x, z, u }) => div(cos(add(mul(i3(x), k3(u)), mul(j3(z, 'N'), k3(u)))), k3(u))),
    'gemm',
  ],
  ['sin(φ_i − φ_j) (antisymmetric)', pairSum('sinDiff', ({ x, u }) => sin(mul(sub(i3(x), j3(x)), k3(u)))), 'gemm'],
  [
    'exp(a_ik + a_jk) (symmetric)',
    pairSum('expSum', ({ a }) => exp(add(a.reshape(['M', 1, 'K']), a.reshape([1, 'M', 'K'])))),
    'syrk',
  ],
  [
    'exp(x_i·u_k − z_j·u_k)·exp(u_k) on (M, N)',
    pairSum('expDiff', ({ x, z, u }) => mul(exp(sub(mul(i3(x), k3(u)), mul(j3(z, 'N'), k3(u)))), exp(k3(u)))),
    'gemm',
  ],
  [
    'a plain product a_ik·a_jk·w_k',
    pairSum('product', ({ a, w }) => mul(mul(a.reshape(['M', 1, 'K']), a.reshape([1, 'M', 'K'])), k3(w))),
    'gemm',
  ],
  [
    'a weight depending on i and k: a_ik·cos(φ_i − φ_j) (GEMM, never SYRK)',
    pairSum('weightIK', ({ a, x, u }) => mul(a.reshape(['M', 1, 'K']), cos(mul(sub(i3(x), j3(x)), k3(u))))),
    'gemm',
  ],
];

export const nearMisses: [string, Kernel][] = [
  [
    'a phase that does not separate: cos(x_i·x_j·u_k)',
    pairSum('phaseCouples', ({ x, u }) => cos(mul(mul(i3(x), j3(x)), k3(u)))),
  ],
  [
    'a max instead of a sum',
    kernel({
      name: 'maxNotSum',
      params: { x: f64(['M']), u: f64(['K']) },
      body: ({ x, u }) => max(cos(mul(sub(i3(x), j3(x)), k3(u))), 2),
    }),
  ],
  [
    'a weight depending on i, j and k: |x_i − x_j|·u_k·cos(…)',
    pairSum('weightIJK', ({ x, u }) => mul(mul(abs(sub(i3(x), j3(x))), k3(u)), cos(mul(sub(i3(x), j3(x)), k3(u))))),
  ],
  [
    'two factors coupling i and j: cos(…)·cos(…)',
    pairSum('twoCross', ({ x, u, w }) => mul(cos(mul(sub(i3(x), j3(x)), k3(u))), cos(mul(sub(i3(x), j3(x)), k3(w))))),
  ],
  [
    'cos of a product that does not distribute: cos((x_i − x_j)²·u_k)',
    pairSum('squaredPhase', ({ x, u }) => cos(mul(pow(sub(i3(x), j3(x)), 2), k3(u)))),
  ],
  [
    'the rewrite switched off on the kernel',
    pairSum('switchedOff', ({ x, u }) => cos(mul(sub(i3(x), j3(x)), k3(u))), {}, false),
  ],
];
