// dumpGraph numbers nodes in topological order, so two separate traces of the same kernel print the
// same text although their node ids differ; different kernels print differently.
import { describe, expect, test } from 'vitest';
import { topoOrder, type Graph } from '../../compiler/ir/graph.ts';
import { dumpGraph } from '../../compiler/ir/dump.ts';
import { optimizeGraph } from '../../compiler/pipeline.ts';
import {
  add,
  cos,
  div,
  f64,
  kernel,
  mul,
  scan,
  sizes,
  sub,
  sum,
  zeros,
  type KernelSpec,
  type ParamSpec,
  type Tensor,
} from '../../dsl/index.ts';

const spec = {
  name: 'wTildeScan',
  params: { x: f64(['M']), y: f64(['M']), u: f64(['K']), v: f64(['K']), s: f64(['K']), n: sizes('M') },
  body: ({ x, y, u, v, s }) => {
    const dx = sub(x.reshape(['M', 1]), x.reshape([1, 'M'])),
      dy = sub(y.reshape(['M', 1]), y.reshape([1, 'M']));
    const [w] = scan(
      (c: Tensor, [uk, vk, sk]: Tensor[]) => [
        add(c, div(cos(mul(mul(2, Math.PI), add(mul(dx, uk!), mul(dy, vk!)))), mul(sk!, sk!))),
        null,
      ],
      zeros(['M', 'M']),
      [u, v, s],
    );
    return { w: w as Tensor, d: sum(mul(dx, dx), 1) };
  },
} satisfies KernelSpec<Record<string, ParamSpec>>;

const ids = (g: Graph): number[] => topoOrder(g.outputs.map((o) => o.node)).map((n) => n.id);

describe('dumpGraph', () => {
  test('two separately traced copies of the same kernel print identically (ids differ)', () => {
    const make = () => kernel(spec); // one call site, so parameters carry the same source position
    const g1 = make().graph(),
      g2 = make().graph();
    const i1 = ids(g1),
      i2 = ids(g2);
    expect(i1).toHaveLength(i2.length);
    expect(i1.some((id, k) => id !== i2[k])).toBe(true);
    expect(new Set([...i1, ...i2]).size).toBe(i1.length + i2.length);
    const d1 = dumpGraph(g1);
    expect(d1).toBe(dumpGraph(g2));
    expect(dumpGraph(g1, { locations: true })).toBe(dumpGraph(g2, { locations: true }));
    expect(d1).toMatch(
      /^kernel wTildeScan\(x: f64\(M\), y: f64\(M\), u: f64\(K\), v: f64\(K\), s: f64\(K\), n: sizes\(M\)\) \{/,
    );
    expect(d1).toContain('scan carries=1');
    expect(d1).toContain('body(carry0, x0, x1, x2) {');
    expect(d1).not.toMatch(/%\d{3,}/); // numbering is local, not the global node id
  });

  test('…and so do their optimized forms', () => {
    expect(dumpGraph(optimizeGraph(kernel(spec).graph()))).toBe(dumpGraph(optimizeGraph(kernel(spec).graph())));
  });

  // Regression test for a fixed bug (compiler/ir/dump.ts, dumpNodes, scan case): the body is printed with a copy of the outer name map, so
  // outer nodes the body reads (here x, y, dx, dy, computed outside the scan) that are not named yet are printed
  // inside the body, then printed again at the outer level under new names, and the outer numbering restarts
  // from names.size, reusing numbers the body already took (%6 is both `param carry0` and `result #0`).
  // Suggested fix: before printing a scan body, print (at the outer level) the not-yet-named outer nodes the
  // body reads, and keep one counter for the whole dump (e.g. pass a shared { next } alongside the maps).
  test('every %name is defined once in a dump with a scan that closes over outer values', () => {
    const defs = dumpGraph(kernel(spec).graph())
      .split('\n')
      .flatMap((l) => /^\s*(%\d+) = /.exec(l)?.[1] ?? []);
    expect(new Set(defs).size).toBe(defs.length);
  });

  test('a different constant or operation changes the text', () => {
    const other = kernel({ ...spec, body: (p) => ({ ...spec.body(p), d: sum(mul(p.x, 3)) }) }).graph();
    expect(dumpGraph(other)).not.toBe(dumpGraph(kernel(spec).graph()));
  });

  test('the dump of a small kernel, line by line', () => {
    const g = kernel({ name: 'tiny', params: { x: f64(['M']) }, body: ({ x }) => sum(mul(x, 0.5)) }).graph();
    expect(dumpGraph(g)).toBe(
      [
        'kernel tiny(x: f64(M)) {',
        '  %0 = param x : f64(M)',
        '  %1 = const 0.50000000000000000 : f64()',
        '  %2 = broadcast axes=[] %1 : f64(M)',
        '  %3 = binary mul %0, %2 : f64(M)',
        '  %4 = reduce sum axes=[0] %3 : f64()',
        '  return result = %4',
        '}',
      ].join('\n'),
    );
  });
});
