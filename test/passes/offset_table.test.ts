// The offset-table rewrite (compiler/passes/offset_table.ts) and the bounded integer parameters it
// relies on: W̃ written from integer pixel indices becomes a (2N_y, 2N_x) table of offsets (itself two
// matmuls over K) and a gather; near misses stay as they are. Compiled JS against the reference
// interpreter on the literal graph and against the brute-force W̃ loop; run-time bounds errors.
import { afterAll, describe, expect, it } from 'vitest';
import { interpret } from '../../backends/reference/interpret.ts';
import { shutdown } from '../../backends/js/runtime/index.js';
import { planKernel } from '../../compiler/compile.ts';
import { optimizeGraph } from '../../compiler/pipeline.ts';
import {
  add,
  cast,
  cos,
  exp,
  f64,
  i32,
  kernel,
  mul,
  sizes,
  sub,
  sum,
  type Kernel,
  type Tensor,
} from '../../dsl/index.ts';
import { wTildeFromPixels } from '../../std/w_tilde_pixels.ts';
import { buildAndImport } from '../helpers/build.ts';
import {
  ARCSEC,
  circularMask,
  irregularMask,
  maskedGrid,
  randomVisibilities,
  wTildeRef,
} from '../helpers/interferometer.ts';
import { frobErr } from '../helpers/random.ts';
import { count } from './util.ts';

afterAll(() => shutdown());

const d = 0.05 * ARCSEC;
function pixelCase(N: number, mask: 'circle' | 'sparse', K: number, seed: number) {
  const g = maskedGrid(
    N,
    N,
    d,
    d,
    mask === 'circle' ? circularMask(N, N, N / 2 - 0.5) : irregularMask(N, N, 0.3, seed),
  );
  const v = randomVisibilities(K, d, d, seed);
  const inputs = {
    noiseReal: v.noiseReal,
    uv: v.uv,
    shape: [N, N],
    pixelScales: Float64Array.of(d, d),
    nativeIndex: g.nativeIndex,
  };
  return { g, v, inputs };
}

const tabled = (k: Kernel) => {
  const g = optimizeGraph(k.graph());
  return count(g, 'gather') === 1 && g.notes!.some((n) => n.startsWith('offset-table:'));
};

/** Σ_k f(a·(c_i − c_j)·u_k) over one bounded coordinate column. */
function oneColumn(
  name: string,
  f: (t: Tensor) => Tensor,
  declare = true,
  phase?: (ci: Tensor, cj: Tensor, u: Tensor) => Tensor,
): Kernel {
  return kernel({
    name,
    params: { c: declare ? i32(['M'], { bounds: ['N'] }) : i32(['M']), u: f64(['K']), n: sizes('N') },
    body: ({ c, u }) => {
      const x = cast(c, 'f64');
      const ci = x.reshape(['M', 1, 1]),
        cj = x.reshape([1, 'M', 1]),
        uk = u.reshape([1, 1, 'K']);
      return sum(f(phase ? phase(ci, cj, uk) : mul(mul(sub(ci, cj), uk), 0.3)), 2);
    },
  });
}

describe('offset-table: W̃ from integer pixel indices', () => {
  it('compiles to a table over offsets (two matmuls over K) and one gather; nothing M×M×K, nothing M×K', () => {
    expect(tabled(wTildeFromPixels)).toBe(true);
    const { program } = planKernel(wTildeFromPixels, 'js');
    const chunk = program.stages.find((s) => s.kind === 'chunk');
    expect(chunk?.kind === 'chunk' && chunk.symbol).toBe('K');
    const gemms = chunk?.kind === 'chunk' ? chunk.body.filter((s) => s.kind === 'gemm') : [];
    expect(gemms.map((s) => s.kind === 'gemm' && `${s.m}×${s.n}`)).toEqual(['2*Ny×2*Nx', '2*Ny×2*Nx']);
    for (const b of program.buffers.filter((x) => x.role === 'temp')) expect(b.shape.map(String)).not.toContain('M');
  });

  it.each([
    [8, 'circle', 301, 1],
    [11, 'sparse', 1000, 2],
    [5, 'circle', 1, 3],
  ] as const)(
    'equals the literal sum (interpreter) and the brute-force loop to 1e-12 (N = %i, %s, K = %i)',
    async (N, mask, K, seed) => {
      const { g, v, inputs } = pixelCase(N, mask, K, seed);
      const literal = interpret(wTildeFromPixels.graph(), inputs) as Float64Array;
      const { run } = await buildAndImport(wTildeFromPixels, 'js');
      const got = (await run(inputs)) as Float64Array;
      expect(frobErr(got, literal)).toBeLessThanOrEqual(1e-12);
      expect(frobErr(got, wTildeRef(v.noiseReal, v.uv, g.grid))).toBeLessThanOrEqual(1e-12);
      expect(
        frobErr(interpret(optimizeGraph(wTildeFromPixels.graph()), inputs) as Float64Array, literal),
      ).toBeLessThanOrEqual(1e-12);
    },
  );

  it('an index outside its declared bounds is a run-time error naming the input, the index and the range', async () => {
    const { inputs } = pixelCase(8, 'circle', 11, 4);
    const bad = Int32Array.from(inputs.nativeIndex);
    bad[2 * 5 + 1] = 8;
    const { run } = await buildAndImport(wTildeFromPixels, 'js');
    const msg =
      /wTildeFromPixels: input 'nativeIndex'\[5, 1\] = 8 is outside its declared range 0 ≤ value < Nx \(Nx = 8 from 'shape'\)/;
    await expect(run({ ...inputs, nativeIndex: bad })).rejects.toThrow(msg);
    bad[2 * 5 + 1] = 3;
    bad[0] = -1;
    await expect(run({ ...inputs, nativeIndex: bad })).rejects.toThrow(/'nativeIndex'\[0, 0\] = -1 is outside .* < Ny/);
    expect(() => interpret(wTildeFromPixels.graph(), { ...inputs, nativeIndex: bad })).toThrow(
      /'nativeIndex'\[0, 0\] = -1/,
    );
  });

  it('bounds are checked when the kernel is declared: one per column, each a size some parameter binds', () => {
    const two = kernel({
      name: 'twoBounds',
      params: { c: i32(['M', 2], { bounds: ['N'] }), n: sizes('N') },
      body: ({ c }) => c,
    });
    expect(() => two.graph()).toThrow(/parameter 'c': 1 bound\(s\) \[N\] for 2 columns/);
    const unbound = kernel({ name: 'unboundBound', params: { c: i32(['M'], { bounds: ['Q'] }) }, body: ({ c }) => c });
    expect(() => unbound.graph()).toThrow(/parameter 'c': bound 'Q' is not a size any parameter of unboundBound binds/);
  });
});

describe('offset-table: other functions of offsets, and near misses', () => {
  const cases: [string, Kernel, boolean][] = [
    ['cos of one bounded coordinate difference', oneColumn('oneCos', cos), true],
    ['exp of a difference', oneColumn('oneExp', (t) => exp(mul(t, 0.1))), true],
    ['an undeclared range (plain i32): no table', oneColumn('noBounds', cos, false), false],
    [
      'a sum c_i + c_j, not a difference: no table',
      oneColumn('sumNotDiff', cos, true, (ci, cj, u) => mul(add(ci, cj), u)),
      false,
    ],
    ['a product c_i·c_j: no table', oneColumn('productCoords', cos, true, (ci, cj, u) => mul(mul(ci, cj), u)), false],
    [
      'a coordinate that is not cast from the bounded input: no table',
      oneColumn('squaredCoord', cos, true, (ci, cj, u) => mul(sub(mul(ci, ci), mul(cj, cj)), u)),
      false,
    ],
  ];
  it.each(cases)('%s', async (_what, k, expectTable) => {
    expect(tabled(k)).toBe(expectTable);
    const M = 9,
      K = 37,
      N = 6;
    const c = Int32Array.from({ length: M }, (_, i) => (i * 5 + 2) % N);
    const u = Float64Array.from({ length: K }, (_, i) => Math.sin(i * 1.7) * 3);
    const inputs = { c, u, n: N };
    const want = interpret(k.graph(), inputs) as Float64Array;
    const { run } = await buildAndImport(k, 'js');
    expect(frobErr((await run(inputs)) as Float64Array, want)).toBeLessThanOrEqual(1e-12);
  });

  it("rewrites: ['separable'] keeps W̃ from pixels off the table (and still factored)", () => {
    const g = optimizeGraph(wTildeFromPixels.graph(), { rewrites: ['separable'] });
    expect(count(g, 'gather')).toBe(0);
    expect(g.notes).toContain('offset-table: switched off for this kernel');
    expect(count(g, 'matmul')).toBe(2);
  });
});
