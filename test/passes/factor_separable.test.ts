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
import { f64, kernel, type Kernel } from '../../dsl/index.ts';
import { wTildeDirect } from '../../std/w_tilde.ts';
import { wTildeScan } from '../../std/w_tilde_scan.ts';
import { nearMisses, positives, type Plan } from './separable_cases.ts';
import { buildAndImport } from '../helpers/build.ts';
import { frobErr, randomArray, rng } from '../helpers/random.ts';
import { count } from './util.ts';

afterAll(() => shutdown());

function inputsFor(k: Kernel, sizes: Record<string, number>, seed: number): Record<string, Float64Array> {
  const r = rng(seed);
  const out: Record<string, Float64Array> = {};
  for (const p of k.graph().params) {
    if (p.kind.kind !== 'array') continue;
    const n = p.kind.shape.reduce((s, d) => s * d.eval(sizes), 1);
    // Positive weights and noise (0.5…1.5); coordinates and uv of the size W̃ sees (phases of tens of radians).
    out[p.name] =
      p.name === 'w' || p.name === 'noiseReal'
        ? randomArray(n, r, 0.5, 1.5)
        : p.name === 'u' || p.name === 'uv'
          ? randomArray(n, r, -20, 20)
          : randomArray(n, r, -1, 1);
  }
  return out;
}

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
  const got = (await run(inputs)) as Float64Array;
  expect(frobErr(got, want)).toBeLessThanOrEqual(1e-12);
}

const SIZES = [
  { M: 7, N: 5, K: 131 },
  { M: 1, N: 3, K: 1 },
  { M: 33, N: 17, K: 1025 },
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
    // (without the JS target's later merge of the two operands into one [C S] panel, test/plan/merge_sibling_syrks.test.ts)
    const { program } = planKernel(wTildeDirect, 'js', { skipPasses: ['merge-sibling-syrks'] });
    const chunk = program.stages.find((s) => s.kind === 'chunk');
    expect(chunk?.kind === 'chunk' && chunk.symbol).toBe('K');
    expect(program.buffers.filter((x) => x.role === 'temp')).toHaveLength(2);
    for (const b of program.buffers.filter((x) => x.role === 'temp'))
      expect(b.shape.map(String)).toEqual(['M', 'K_chunk']);
  });

  it('wTildeDirect and wTildeScan get the SYRK plan of wTilde on every target (stage kinds and shapes)', async () => {
    const { wTilde } = await import('../../std/w_tilde.ts');
    for (const target of ['js', 'wgsl', 'cuda'] as const) {
      const shape = (k: Kernel) =>
        planKernel(k, target).manifest.plan.stages.map((s) =>
          s
            .replace(/@.*$/, '')
            .replace(/\d+ ops/, 'n ops')
            .replace(/s\d+[a-z]*/g, 's'),
        );
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
    expect(on).toMatch(
      /rewrites:\n {2}separable: the sum over K at .*w_tilde\.ts:\d+:\d+ became 2 symmetric contraction\(s\) over K \(SYRK/,
    );
    expect(on).toContain('cos(a − b) = cos a·cos b + sin a·sin b');
    const off = explainKernel(wTildeDirect, { rewrites: false });
    expect(off).toContain('separable: switched off for this kernel');
    expect(off).not.toContain('syrk');
    expect(explainKernel(wTildeDirect, { rewrites: ['offset-table'] })).toContain('switched off');
  });

  it('explain says why a near miss was kept', () => {
    expect(explainKernel(nearMisses[0]![1])).toMatch(
      /kept the sum over K at .* as a direct sum: the phase of cos does not separate/,
    );
    expect(explainKernel(nearMisses[1]![1])).toContain('only sums distribute over products (this is a max)');
  });

  it('a declared minimum is checked on every call, compiled and in the interpreter', async () => {
    const k = positives.find(([w]) => w.includes('declared non-negative'))![1];
    const inputs = inputsFor(k, { M: 4, K: 5 }, 3);
    inputs.w![2] = -0.5;
    const { run } = await buildAndImport(k, 'js');
    await expect(run(inputs)).rejects.toThrow(
      /cosDeclaredWeights: input 'w'\[2\] = -0.5 is below its declared minimum 0/,
    );
    expect(() => interpret(k.graph(), inputs)).toThrow(/input 'w'\[2\] = -0.5 is below its declared minimum 0/);
    inputs.w![2] = NaN;
    await expect(run(inputs)).rejects.toThrow(/input 'w'\[2\] = NaN is below/);
  });

  it('an unknown rewrite name is an error naming the kernel and the known rewrites', () => {
    const k = kernel({
      name: 'badSwitch',
      rewrites: ['separable', 'nope'],
      params: { x: f64(['M']) },
      body: ({ x }) => x,
    });
    expect(() => k.graph()).toThrow(/kernel badSwitch: unknown rewrite 'nope' \(known: separable, offset-table\)/);
  });
});
