// General scans compiled for the JS target: every case of cases.ts against the f64 reference
// interpreter and against its independent expectation (plain loops, a Cholesky solve, a known
// eigenvalue), plus what the plan must show — the scan loop, carries updated in place where safe,
// carries and stacked ys counted by the memory planner, running sums still fused into reductions.
import { afterAll, describe, expect, it } from 'vitest';
import { shutdown } from '../../backends/js/runtime/index.js';
import { interpret } from '../../backends/reference/interpret.ts';
import { explainKernel } from '../../compiler/aot/explain.ts';
import { planKernel } from '../../compiler/compile.ts';
import { printLoopProgram } from '../../compiler/loop/print.ts';
import { add, constant, cos, f64, kernel, matmul, mul, scan, sum, transpose, type Tensor } from '../../dsl/index.ts';
import { wTildeScan } from '../../std/index.ts';
import { buildAndImport } from '../helpers/build.ts';
import { randomArray, relErr, rng } from '../helpers/random.ts';
import {
  choleskySolve,
  conjugateGradient,
  errOf,
  cumulative,
  powerIteration,
  scanCases,
  type Outputs,
} from './cases.ts';

afterAll(() => shutdown());

const asOutputs = (r: unknown, names: string[]): Outputs =>
  names.length === 1 && (ArrayBuffer.isView(r) || typeof r === 'number')
    ? { [names[0]!]: typeof r === 'number' ? [r] : (r as Float64Array) }
    : Object.fromEntries(Object.entries(r as object).map(([k, v]) => [k, typeof v === 'number' ? [v] : v]));

describe('general scans on the JS target', () => {
  for (const c of scanCases()) {
    it(`${c.kernel.name}: equals the reference interpreter and its independent expectation`, async () => {
      const { run, manifest } = await buildAndImport(c.kernel, 'js');
      const names = manifest.outputs.map((o: { name: string }) => o.name);
      for (const inp of c.inputs) {
        const progress: string[] = [];
        const got = asOutputs(
          await run(inp.inputs, { ...inp.options, onProgress: (_f: number, m: string) => progress.push(m) }),
          names,
        );
        if (inp.chunked) expect(progress.length, `${c.kernel.name} ${inp.label}: chunks`).toBeGreaterThanOrEqual(2);
        const ref = asOutputs(interpret(c.kernel.graph(), inp.inputs), names);
        for (const n of names) {
          expect(got[n]!.length, `${c.kernel.name} ${inp.label}: ${n} length`).toBe(ref[n]!.length);
          expect(
            errOf(got[n]!, ref[n]!, inp.scale?.[n]),
            `${c.kernel.name} ${inp.label}: ${n} vs interpreter`,
          ).toBeLessThanOrEqual(c.tol.f64);
        }
        for (const [n, want] of Object.entries(inp.expect)) {
          expect(
            relErr(got[n]!, want),
            `${c.kernel.name} ${inp.label}: ${n} vs independent reference`,
          ).toBeLessThanOrEqual(c.tol.f64);
        }
        if (inp.exact)
          expect(Math.abs(got[inp.exact.output]![inp.exact.index]! - inp.exact.value)).toBeLessThanOrEqual(
            1e-12 * Math.abs(inp.exact.value),
          );
      }
    });
  }

  it('conjugate gradient equals the compiled Cholesky solve', async () => {
    const cg = (await buildAndImport(conjugateGradient, 'js')).run;
    const chol = (await buildAndImport(choleskySolve, 'js')).run;
    const c = scanCases().find((x) => x.kernel === conjugateGradient)!;
    for (const inp of c.inputs) {
      const { f, h, d } = inp.inputs as { f: Float64Array; h: Float64Array; d: Float64Array };
      const { s } = await cg(inp.inputs);
      expect(relErr(s, await chol({ f, h, d })), inp.label).toBeLessThanOrEqual(1e-9);
    }
  });

  it('gives the same bits with 1 and 2 threads', async () => {
    const { run } = await buildAndImport(powerIteration, 'js');
    const c = scanCases().find((x) => x.kernel === powerIteration)!;
    const inp = c.inputs.at(-1)!.inputs;
    const [a, b] = [await run(inp, { threads: 1 }), await run(inp, { threads: 2 })];
    expect(Array.from(b.lambdas)).toEqual(Array.from(a.lambdas));
  });
});

describe('the plan of a general scan', () => {
  it('lensc explain shows the scan loop with its body stages, and the in-place carry', () => {
    const text = explainKernel(cumulative, { sizes: { K: 100 } });
    expect(text).toMatch(/s\d+ +scan +K steps \(t = 0 … K−1\), carries out_prod\(\), out_sum\(\)/);
    // The body, indented under the loop: one map per new carry, one per stacked y, and the copy of the
    // new sum into its carry — the sum cannot be updated in place because the exclusive sums read the old one.
    const body = text.split('\n').filter((l) => /^ {4}s\d+ +map/.test(l));
    expect(body.length).toBe(6);
    expect(body.filter((l) => / out_prod\(\) = /.test(l)).length).toBe(1);
    expect(body.filter((l) => / out_sum_next\(\) = /.test(l)).length).toBe(1);
    expect(body.at(-1)).toMatch(/ out_sum\(\) = /);
    expect(text).toMatch(/carries out_prod, out_sum \(out_prod updated in place\)/);
  });

  it('the loop-IR printer shows the scan loop, its step variable and its body (power iteration: v updated in place)', () => {
    const text = printLoopProgram(planKernel(powerIteration, 'js').program, { locations: false });
    const m = /(s\d+): scan sequential (t_s\d+) = 0 … 40−1, carries out_v \{/.exec(text);
    expect(m, text).not.toBeNull();
    // the Rayleigh quotient is read before v is overwritten, so v needs no second buffer
    expect(text).not.toMatch(/out_v_next/);
    expect(text).toMatch(new RegExp(`out_lambdas\\[${m![2]}\\] = `));
  });

  it('reversed scans say so', () => {
    const k = kernel({
      name: 'rev',
      params: { x: f64(['K']) },
      body: ({ x }) => scan((c: Tensor, xt: Tensor) => [mul(c, xt), c], constant(1), x, { reverse: true })[1] as Tensor,
    });
    expect(explainKernel(k)).toMatch(/K steps \(t = K−1 … 0\)/);
  });

  it('counts carries, their next buffers and stacked ys among the intermediates', () => {
    const m = planKernel(conjugateGradient, 'js').manifest;
    const temps = new Map(m.plan.temps.map((t) => [t.name, t]));
    // r, p and rs are temporaries; s is the output; Ap and the new p need their own buffers per step.
    const carryTemps = m.plan.temps.filter((t) => /^c\d+$/.test(t.name));
    expect(carryTemps.map((t) => t.shape).sort()).toEqual(['()', '(S)', '(S)']);
    expect(temps.size).toBeGreaterThan(carryTemps.length);
    expect(m.plan.peakBytesFormula).toMatch(/S\*S/); // F + H, computed once before the loop
    // a stacked y that is not returned is a temporary of (L, …)
    const k = kernel({
      name: 'ysTemp',
      params: { x: f64(['K', 'M']) },
      body: ({ x }) => {
        const [, ys] = scan((c: Tensor, row: Tensor) => [mul(c, row), cos(c)], constant(1, 'f64', ['M']), x);
        return sum(ys as Tensor, 0);
      },
    });
    const t = planKernel(k, 'js').manifest.plan.temps.find((x) => x.name.startsWith('ys'));
    expect(t?.shape).toBe('(K, M)');
  });

  it('values the body uses that do not change (F + H) are computed once, before the loop', () => {
    const p = planKernel(conjugateGradient, 'js').program;
    const scanAt = p.stages.findIndex((s) => s.kind === 'scan');
    const before = p.stages.slice(0, scanAt);
    expect(before.some((s) => s.kind === 'map' && s.domain.length === 2)).toBe(true);
  });

  it('running-sum scans keep their fused reduction (no scan stage)', () => {
    const p = planKernel(wTildeScan, 'js').program;
    expect(p.stages.some((s) => s.kind === 'scan')).toBe(false);
  });

  it('a budget below what the carries and ys need is an error that gives the smallest budget', async () => {
    const { run } = await buildAndImport(powerIteration, 'js');
    const N = 40,
      inp = { a: randomArray(N * N, rng(1)), v0: randomArray(N, rng(2)) };
    await expect(run(inp, { memoryBudgetBytes: 64 })).rejects.toThrow(/give memoryBudgetBytes ≥ \d+/);
  });
});

describe('scans beside chunked reductions', () => {
  // G = C·Cᵀ with C (M, K) chunked over K under a small budget, then power iteration on G.
  const k = kernel({
    name: 'gramPower',
    params: { x: f64(['M']), u: f64(['K']) },
    body: ({ x, u }) => {
      const c = cos(mul(x.reshape(['M', 1]), u.reshape([1, 'K'])));
      const g = matmul(c, transpose(c));
      const [v, ys] = scan(
        (v: Tensor) => {
          const w = matmul(g, v);
          return [mul(w, 1 / 64), sum(mul(v, w))];
        },
        constant(1, 'f64', ['M']),
        null,
        { length: 7 },
      );
      return { v, ys: ys as Tensor, trace: sum(mul(add(g, 0), constant(1, 'f64', ['M', 'M']))) };
    },
  });
  it('chunks K under a small budget and matches the unchunked run and the interpreter', async () => {
    const { run, manifest } = await buildAndImport(k, 'js');
    expect(manifest.plan.chunks.map((c: { symbol: string }) => c.symbol)).toEqual(['K']);
    const r = rng(5),
      inp = { x: randomArray(9, r), u: randomArray(1001, r) };
    const messages: string[] = [];
    const small = await run(inp, {
      memoryBudgetBytes: 20_000,
      onProgress: (_f: number, m: string) => messages.push(m),
    });
    const whole = await run(inp);
    expect(messages.length).toBeGreaterThan(2);
    const ref = interpret(k.graph(), inp) as Record<string, Float64Array>;
    for (const n of ['v', 'ys']) {
      expect(relErr(small[n], ref[n]!), n).toBeLessThanOrEqual(1e-12);
      expect(relErr(whole[n], ref[n]!), n).toBeLessThanOrEqual(1e-12);
    }
  });
});
