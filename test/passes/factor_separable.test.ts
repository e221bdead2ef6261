// The separable-sum factorisation (compiler/passes/factor_separable.ts): each rule on positive cases
// and on near misses that must stay direct sums. Every case runs three ways on random inputs with odd
// sizes — the reference interpreter on the traced graph (the oracle), the interpreter on the optimised
// graph, and the compiled JS module — and the plan is checked for what it became (SYRK, GEMM, a sum).
import { afterAll, describe, expect, it } from 'vitest';
import { interpret } from '../../backends/reference/interpret.ts';
import { shutdown } from '../../backends/js/runtime/index.js';
import { planKernel } from '../../compiler/compile.ts';
import { explainKernel } from '../../compiler/aot/explain.ts';
import { optimizeGraph } from '../../compiler/pipeline.ts';
import {
  abs, add, cos, div, exp, f64, kernel, max, mul, pow, sin, sub, sum, type Kernel, type ParamSpec, type Tensor,
} from '../../dsl/index.ts';
import { wTildeDirect } from '../../std/w_tilde.ts';
import { wTildeScan } from '../../std/w_tilde_scan.ts';
import { buildAndImport } from '../helpers/build.ts';
import { frobErr, randomArray, rng } from '../helpers/random.ts';
import { count } from './util.ts';

afterAll(() => shutdown());

const TWO_PI = 2 * Math.PI;
const i3 = (t: Tensor) => t.reshape(['M', 1, 1]);
const j3 = (t: Tensor, n = 'M') => t.reshape([1, n, 1]);
const k3 = (t: Tensor) => t.reshape([1, 1, 'K']);

/** A kernel over x (M), z (N), u, w (K) and a (M, K): a (M, N) sum over K of the given summand. */
function pairSum(name: string, summand: (p: Record<string, Tensor>) => Tensor, extra: Record<string, ParamSpec> = {}, rewrites?: boolean): Kernel {
  return kernel({
    name, rewrites,
    params: { x: f64(['M']), z: f64(['N']), u: f64(['K']), w: f64(['K']), a: f64(['M', 'K']), ...extra },
    body: (p) => sum(summand(p as unknown as Record<string, Tensor>), 2),
  });
}

function inputsFor(k: Kernel, sizes: Record<string, number>, seed: number): Record<string, Float64Array> {
  const r = rng(seed);
  const out: Record<string, Float64Array> = {};
  for (const p of k.graph().params) {
    if (p.kind.kind !== 'array') continue;
    const n = p.kind.shape.reduce((s, d) => s * d.eval(sizes), 1);
    // Positive weights and noise (0.5…1.5); coordinates and uv of the size W̃ sees (phases of tens of radians).
    out[p.name] = p.name === 'w' || p.name === 'noiseReal' ? randomArray(n, r, 0.5, 1.5) : p.name === 'u' || p.name === 'uv' ? randomArray(n, r, -20, 20) : randomArray(n, r, -1, 1);
  }
  return out;
}

type Plan = 'syrk' | 'gemm' | 'direct';
function planOf(k: Kernel): Plan {
  const { program } = planKernel(k, 'js');
  const all = program.stages.flatMap((s) => (s.kind === 'chunk' ? s.body : [s]));
  const gemms = all.filter((s) => s.kind === 'gemm');
  if (gemms.length === 0) return 'direct';
  return gemms.every((s) => s.kind === 'gemm' && s.symmetric) ? 'syrk' : 'gemm';
}

async function checkAgainstInterpreter(k: Kernel, sizes: Record<string, number>, seed: number): Promise<void> {
  const inputs = inputsFor(k, sizes, seed);
  const want = interpret(k.graph(), inputs) as Float64Array;
  const opt = interpret(optimizeGraph(k.graph()), inputs) as Float64Array;
  expect(frobErr(opt, want)).toBeLessThanOrEqual(1e-12);
  const { run } = await buildAndImport(k, 'js');
  const got = await run(inputs) as Float64Array;
  expect(frobErr(got, want)).toBeLessThanOrEqual(1e-12);
}

const SIZES = [{ M: 7, N: 5, K: 131 }, { M: 1, N: 3, K: 1 }, { M: 33, N: 17, K: 1025 }];

const positives: [string, Kernel, Plan][] = [
  ['W̃ as written (std wTildeDirect)', wTildeDirect, 'syrk'],
  ['W̃ as a lax.scan (std wTildeScan)', wTildeScan, 'syrk'],
  ['cos(φ_i − φ_j) with arbitrary weights w_k', pairSum('cosWeighted', ({ x, u, w }) => mul(k3(w), cos(mul(TWO_PI, mul(sub(i3(x), j3(x)), k3(u)))))), 'gemm'],
  ['cos(φ_i − φ_j)·w_k² (a square weight splits)', pairSum('cosSquareWeight', ({ x, u, w }) => mul(pow(k3(w), 2), cos(mul(sub(i3(x), j3(x)), k3(u))))), 'syrk'],
  ['cos(φ_i + ψ_j) on (M, N)', pairSum('cosSum', ({ x, z, u }) => div(cos(add(mul(i3(x), k3(u)), mul(j3(z, 'N'), k3(u)))), k3(u))), 'gemm'],
  ['sin(φ_i − φ_j) (antisymmetric)', pairSum('sinDiff', ({ x, u }) => sin(mul(sub(i3(x), j3(x)), k3(u)))), 'gemm'],
  ['exp(a_ik + a_jk) (symmetric)', pairSum('expSum', ({ a }) => exp(add(a.reshape(['M', 1, 'K']), a.reshape([1, 'M', 'K'])))), 'syrk'],
  ['exp(x_i·u_k − z_j·u_k)·exp(u_k) on (M, N)', pairSum('expDiff', ({ x, z, u }) => mul(exp(sub(mul(i3(x), k3(u)), mul(j3(z, 'N'), k3(u)))), exp(k3(u)))), 'gemm'],
  ['a plain product a_ik·a_jk·w_k', pairSum('product', ({ a, w }) => mul(mul(a.reshape(['M', 1, 'K']), a.reshape([1, 'M', 'K'])), k3(w))), 'gemm'],
  ['a weight depending on i and k: a_ik·cos(φ_i − φ_j) (GEMM, never SYRK)', pairSum('weightIK', ({ a, x, u }) => mul(a.reshape(['M', 1, 'K']), cos(mul(sub(i3(x), j3(x)), k3(u))))), 'gemm'],
];

const nearMisses: [string, Kernel][] = [
  ['a phase that does not separate: cos(x_i·x_j·u_k)', pairSum('phaseCouples', ({ x, u }) => cos(mul(mul(i3(x), j3(x)), k3(u))))],
  ['a max instead of a sum', kernel({
    name: 'maxNotSum', params: { x: f64(['M']), u: f64(['K']) },
    body: ({ x, u }) => max(cos(mul(sub(i3(x), j3(x)), k3(u))), 2),
  })],
  ['a weight depending on i, j and k: |x_i − x_j|·u_k·cos(…)', pairSum('weightIJK', ({ x, u }) => mul(mul(abs(sub(i3(x), j3(x))), k3(u)), cos(mul(sub(i3(x), j3(x)), k3(u)))))],
  ['two factors coupling i and j: cos(…)·cos(…)', pairSum('twoCross', ({ x, u, w }) => mul(cos(mul(sub(i3(x), j3(x)), k3(u))), cos(mul(sub(i3(x), j3(x)), k3(w)))))],
  ['cos of a product that does not distribute: cos((x_i − x_j)²·u_k)', pairSum('squaredPhase', ({ x, u }) => cos(mul(pow(sub(i3(x), j3(x)), 2), k3(u))))],
  ['the rewrite switched off on the kernel', pairSum('switchedOff', ({ x, u }) => cos(mul(sub(i3(x), j3(x)), k3(u))), {}, false)],
];

describe('factor-separable: sums that separate become contractions over k', () => {
  it.each(positives.map(([w, k, p]) => [w, p, k] as const))('%s → %s', async (_what, plan, k) => {
    expect(planOf(k)).toBe(plan);
    const g = optimizeGraph(k.graph());
    expect(count(g, 'reduce:sum')).toBe(0);
    expect(g.notes?.some((n) => n.startsWith('separable: the sum'))).toBe(true);
    for (const [s, sizes] of SIZES.entries()) await checkAgainstInterpreter(k, sizes, 11 + s);
  });

  it('the K axis stays chunkable: operands are (M, K_chunk) and the matmuls accumulate', () => {
    const { program } = planKernel(wTildeDirect, 'js');
    const chunk = program.stages.find((s) => s.kind === 'chunk');
    expect(chunk?.kind === 'chunk' && chunk.symbol).toBe('K');
    for (const b of program.buffers.filter((x) => x.role === 'temp')) expect(b.shape.map(String)).toEqual(['M', 'K_chunk']);
  });

  it('wTildeDirect and wTildeScan get the SYRK plan of wTilde on every target (stage kinds and shapes)', async () => {
    const { wTilde } = await import('../../std/w_tilde.ts');
    for (const target of ['js', 'wgsl', 'cuda'] as const) {
      const shape = (k: Kernel) => planKernel(k, target).manifest.plan.stages.map((s) => s.replace(/@.*$/, '').replace(/\d+ ops/, 'n ops').replace(/s\d+[a-z]*/g, 's'));
      expect(shape(wTildeDirect)).toEqual(shape(wTilde));
      expect(shape(wTildeScan)).toEqual(shape(wTilde));
    }
  });
});

describe('factor-separable: near misses stay direct sums (and explain says why)', () => {
  it.each(nearMisses)('%s', async (_what, k) => {
    expect(planOf(k)).toBe('direct');
    const g = optimizeGraph(k.graph());
    expect(count(g, 'matmul')).toBe(0);
    expect(g.notes?.length).toBeGreaterThan(0);
    expect(g.notes!.every((n) => !n.includes('became'))).toBe(true);
    for (const [s, sizes] of SIZES.entries()) await checkAgainstInterpreter(k, sizes, 21 + s);
  });

  it('explain names the rewrite, the identity and the cost; --rewrites none restores the literal sum', () => {
    const on = explainKernel(wTildeDirect);
    expect(on).toMatch(/rewrites:\n {2}separable: the sum over K at .*w_tilde\.ts:\d+:\d+ became 2 symmetric contraction\(s\) over K \(SYRK/);
    expect(on).toContain('cos(a − b) = cos a·cos b + sin a·sin b');
    const off = explainKernel(wTildeDirect, { rewrites: false });
    expect(off).toContain('separable: switched off for this kernel');
    expect(off).not.toContain('syrk');
    expect(explainKernel(wTildeDirect, { rewrites: ['offset-table'] })).toContain('switched off');
  });

  it('explain says why a near miss was kept', () => {
    expect(explainKernel(nearMisses[0]![1])).toMatch(/kept the sum over K at .* as a direct sum: the phase of cos does not separate/);
    expect(explainKernel(nearMisses[1]![1])).toContain('only sums distribute over products (this is a max)');
  });

  it('an unknown rewrite name is an error naming the kernel and the known rewrites', () => {
    const k = kernel({ name: 'badSwitch', rewrites: ['separable', 'nope'], params: { x: f64(['M']) }, body: ({ x }) => x });
    expect(() => k.graph()).toThrow(/kernel badSwitch: unknown rewrite 'nope' \(known: separable, offset-table\)/);
  });
});
