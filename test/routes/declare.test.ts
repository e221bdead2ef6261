// routes(...) declarations (dsl/routes.ts) and the cost model's work formulas (compiler/plan/cost.ts): bad
// declarations are LenscErrors naming what is wrong; the work counted from a plan is what the stages do, checked
// against counts made by hand for small kernels (a map of cos, a matmul, an FFT, a chunked matmul).
import { describe, expect, it } from 'vitest';
import { planKernel } from '../../compiler/compile.ts';
import { costText, estimateCost, type CostTerm } from '../../compiler/plan/cost.ts';
import { Size } from '../../compiler/ir/size.ts';
import {
  cos,
  f32,
  f64,
  fft2,
  i32,
  kernel,
  LenscError,
  matmul,
  mul,
  routes,
  scatterAdd,
  sizes,
  sum,
} from '../../dsl/index.ts';
import { chooseRoute } from '../../backends/common/routes.js';
import { planRoutes } from '../../compiler/compile_routes.ts';

const square = kernel({ name: 'squareA', params: { x: f64(['N']) }, body: ({ x }) => mul(x, x) });
const square2 = kernel({ name: 'squareB', params: { x: f64(['N']) }, body: ({ x }) => x.mul(x) });

/** The terms as { unit: value at env } (log factors included), for comparing with hand counts. */
function work(terms: readonly CostTerm[], env: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of terms)
    out[t.unit] =
      (out[t.unit] ?? 0) + t.coef * t.count.eval(env) * (t.log2 ? Math.log2(Math.max(2, t.log2.eval(env))) : 1);
  return out;
}

describe('routes(...) declarations', () => {
  it('a route name that is not camelCase is an error naming it', () => {
    expect(() => routes({ name: 'sq', routes: { Fast: square, slow: square2 } })).toThrow(LenscError);
    expect(() => routes({ name: 'sq', routes: { Fast: square, slow: square2 } })).toThrow(
      /routes: sq: route name must be camelCase, got 'Fast'/,
    );
  });
  it('a route that is not a kernel, or is itself routed, is an error naming the route', () => {
    expect(() => routes({ name: 'sq', routes: { a: square, b: 3 as never } })).toThrow(
      /sq: route 'b' must be a kernel\(\.\.\.\) .*got number/,
    );
    const inner = routes({ name: 'inner', routes: { a: square, b: square2 } });
    expect(() => routes({ name: 'sq', routes: { a: square, b: inner as never } })).toThrow(
      /route 'b' must be a kernel.*the routed kernel 'inner'/,
    );
  });
  it('fewer than two routes, or one kernel twice, is an error', () => {
    expect(() => routes({ name: 'sq', routes: { a: square } })).toThrow(/give at least two routes, got 1/);
    expect(() => routes({ name: 'sq', routes: { a: square, b: square } })).toThrow(/two routes are the same kernel/);
  });
  it('routes whose inputs differ are an error naming both routes and the differing parameter', () => {
    const other = kernel({ name: 'squareF32', params: { x: f32(['N']) }, body: ({ x }) => mul(x, x) });
    const rk = routes({ name: 'sq', routes: { a: square, b: other } });
    expect(() => planRoutes(rk, 'js')).toThrow(LenscError);
    expect(() => rk.graphs()).toThrow(
      /sq: route 'b' \(kernel squareF32\) has inputs \[x: f32\(N\)\], route 'a' \(kernel squareA\) has \[x: f64\(N\)\]/,
    );
    const renamed = kernel({ name: 'squareY', params: { y: f64(['N']) }, body: ({ y }) => mul(y, y) });
    expect(() => routes({ name: 'sq', routes: { a: square, b: renamed } }).graphs()).toThrow(/inputs \[y: f64\(N\)\]/);
  });
  it('routes whose outputs differ are an error', () => {
    const summed = kernel({ name: 'squareSum', params: { x: f64(['N']) }, body: ({ x }) => sum(mul(x, x)) });
    expect(() => routes({ name: 'sq', routes: { a: square, b: summed } }).graphs()).toThrow(
      /route 'b' \(kernel squareSum\) has outputs \[result: f64\(\)\], route 'a' \(kernel squareA\) has \[result: f64\(N\)\]/,
    );
  });
  it('a forced route that is not one of them is an error naming the option and the routes', () => {
    const m = planRoutes(routes({ name: 'sq', routes: { a: square, b: square2 } }), 'js').manifest;
    expect(() => chooseRoute('sq', m, { N: 4 }, 'c')).toThrow(/sq: options.route must be one of 'a', 'b', got 'c'/);
    expect(() => chooseRoute('sq', m, { N: 4 }, 7)).toThrow(/got 7/);
    expect(chooseRoute('sq', m, { N: 4 }, 'b')).toMatchObject({ route: 'b', forced: true });
    // equal work: the first declared route
    expect(chooseRoute('sq', m, { N: 4 })).toMatchObject({ route: 'a', forced: false });
  });
});

describe('the cost model counts the work of the plan', () => {
  it('a map of cos: one transcendental, one multiply, one load and one store per element', () => {
    const k = kernel({ name: 'cosMap', params: { x: f64(['N']) }, body: ({ x }) => cos(mul(2, x)) });
    const w = work(estimateCost(planKernel(k, 'js').program), { N: 1000 });
    expect(w).toEqual({ transcendental: 1000, op: 1000, load: 1000, store: 1000 });
  });
  it('a matmul: m·n·k multiply-adds; a sum of matmuls: both', () => {
    const k = kernel({
      name: 'mm',
      params: { a: f64(['M', 'K']), b: f64(['K', 'N']) },
      body: ({ a, b }) => matmul(a, b),
    });
    const terms = estimateCost(planKernel(k, 'js').program);
    expect(work(terms, { M: 3, K: 5, N: 7 }).madd).toBe(105);
    expect(costText(terms)).toContain('(K*M*N) madd');
  });
  it('an FFT of B images of Ny×Nx: B·Ny·Nx·log₂(Ny·Nx)', () => {
    const k = kernel({
      name: 'fftOnly',
      params: { x: f64(['B', 'Ny', 'Nx', 2]), d: sizes(['B', 'Ny', 'Nx']) },
      body: ({ x }) => fft2(x),
    });
    const terms = estimateCost(planKernel(k, 'js').program);
    const fft = terms.filter((t) => t.unit === 'fft');
    expect(fft).toHaveLength(1);
    expect(fft[0]!.count.equals(Size.parse('B*Nx*Ny'))).toBe(true);
    expect(fft[0]!.log2!.equals(Size.parse('Nx*Ny'))).toBe(true);
    expect(work(terms, { B: 3, Ny: 4, Nx: 8 }).fft).toBe(3 * 32 * 5);
  });
  it('a chunked axis counts its whole extent, not the piece', () => {
    // W̃ = C·Cᵀ + S·Sᵀ over K: K is chunked; the work is M·M·K/2 per SYRK whatever the chunk
    const w = kernel({
      name: 'syrkChunked',
      params: { a: f64(['M', 'K']) },
      body: ({ a }) => matmul(cos(a), cos(a), { transB: true }),
    });
    const p = planKernel(w, 'js').program;
    expect(p.chunks.map((c) => c.symbol)).toEqual(['K']);
    const terms = estimateCost(p);
    expect(terms.every((t) => !t.count.symbols().some((s) => s.endsWith('_chunk')))).toBe(true);
    expect(work(terms, { M: 10, K: 100 }).madd).toBe(0.5 * 10 * 10 * 100);
    expect(work(terms, { M: 10, K: 100 }).transcendental).toBe(10 * 100);
  });
});

describe('the cost model charges one-task stages as serial work', () => {
  // a histogram: its row is data, so no axis is conflict-free. JS splits it (owner computes or private copies);
  // the GPU targets run it as one task, which the estimate charges serialSlowdown times.
  const hist = kernel({
    name: 'histogram',
    params: { idx: i32(['K'], { range: [0, 'N'] }), w: f64(['K']), n: sizes('N') },
    body: ({ idx, w }) => scatterAdd(['N'], [idx], w),
  });
  it('a scatter with no conflict-free axis is serial on wgsl and cuda, not on js', () => {
    const serialUnits = (t: 'js' | 'wgsl' | 'cuda') =>
      estimateCost(planKernel(hist, t).program)
        .filter((x) => x.serial)
        .map((x) => x.unit);
    expect(serialUnits('js')).toEqual([]);
    expect(serialUnits('wgsl')).toContain('store');
    expect(serialUnits('cuda')).toContain('store');
    expect(costText(estimateCost(planKernel(hist, 'wgsl').program))).toContain('(K) store (serial)');
  });
  it('serial work costs serialSlowdown times as much in the route estimate', () => {
    const m = planRoutes(routes({ name: 'sq', routes: { a: square, b: square2 } }), 'js').manifest;
    const once = chooseRoute('sq', m, { N: 1000 }).seconds.a!;
    const serialA = { ...m.routes[0]!, cost: m.routes[0]!.cost.map((t) => ({ ...t, serial: true })) };
    const slow = { ...m, costModel: { ...m.costModel, serialSlowdown: 7 }, routes: [serialA, m.routes[1]!] };
    const c = chooseRoute('sq', slow, { N: 1000 });
    expect(c.seconds.a).toBeCloseTo(7 * once, 12);
    expect(c.route).toBe('b');
  });
});

describe('lensc/reference of a routed kernel', () => {
  it('runs the first route, or the one named; an unknown name is an error naming the routes', async () => {
    const { runReference } = await import('../../backends/reference/index.ts');
    const rk = routes({ name: 'sq', routes: { a: square, b: square2 } });
    const x = Float64Array.of(1, -2, 3);
    expect(Array.from(runReference(rk, { x }) as Float64Array)).toEqual([1, 4, 9]);
    expect(Array.from(runReference(rk, { x }, { route: 'b' }) as Float64Array)).toEqual([1, 4, 9]);
    expect(() => runReference(rk, { x }, { route: 'c' })).toThrow("sq: options.route must be one of 'a', 'b', got 'c'");
  });
});

describe('the cost model of an FFT convolution', () => {
  it("counts the JS runtime's line transforms: N_y rows of P_x and P_x columns of P_y per image, the kernel once", async () => {
    const { fftconv2 } = await import('../../dsl/index.ts');
    const k = kernel({
      name: 'convOnly',
      params: { x: f64(['B', 'Ny', 'Nx']), w: f64(['2*Ny', '2*Nx']) },
      body: ({ x, w }) => fftconv2(x, w),
    });
    const env = { B: 3, Ny: 4, Nx: 8 };
    const w = work(estimateCost(planKernel(k, 'js').program), env);
    const [py, px] = [8, 16];
    expect(w.fft).toBeCloseTo(
      3 * 4 * px * Math.log2(px) + 3 * py * px * Math.log2(py) + py * px * Math.log2(py * px),
      9,
    );
  });
});
