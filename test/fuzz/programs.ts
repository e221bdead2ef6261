// Random well-typed DSL programs (Csmith/YARPGen style, with fast-check so failures shrink): a program is
// a small expression tree over size symbols A, B, C, generated type-directed (each node knows its shape),
// that can be built into a kernel, printed as DSL source, and turned into its magnitude program — the
// same computation on |values| with every operation replaced by an upper bound of how it propagates
// error (a + b → |a| + |b|, f(x) → |f(x)| + L·|x| for L-Lipschitz f, matmul → |A|·|B|) — which gives the
// rounding-error scale each output element may differ by (f32 on WGSL, f64 elsewhere).
// Operations are chosen so that finite inputs give finite, well-conditioned values: functions are
// applied in bounded or Lipschitz forms (log(|x| + 0.5), exp(tanh x)), divisions by |y| + 0.5, and
// discontinuous ones (floor, round, comparisons, casts) only to inputs, which are exact in f32 too.
import fc from 'fast-check';
import * as L from '../../dsl/index.ts';
import { kernel, type Kernel, type ParamSpec, type Tensor } from '../../dsl/index.ts';

export type Sym = 'A' | 'B' | 'C';
export type Shape = readonly Sym[];
const SYMS: readonly Sym[] = ['A', 'B', 'C'];

/** f64 inputs: one per shape below (a leaf of shape S may use any whose symbols are a subsequence of S). */
const INPUT_SHAPES: readonly Shape[] = [['A'], ['B'], ['C'], ['A', 'B'], ['A', 'C'], ['B', 'C'], ['A', 'B', 'C']];
export const inputName = (s: Shape): string => `x${s.join('')}`;

// Unary functions in safe forms: [name, DSL source of f(x), Lipschitz bound of f].
const UNARY: readonly (readonly [string, (x: string) => string, number])[] = [
  ['neg', (x) => `neg(${x})`, 1],
  ['abs', (x) => `abs(${x})`, 1],
  ['sin', (x) => `sin(${x})`, 1],
  ['cos', (x) => `cos(${x})`, 1],
  ['tanh', (x) => `tanh(${x})`, 1],
  ['atan', (x) => `atan(${x})`, 1],
  ['erf', (x) => `erf(${x})`, 1.13],
  ['expTanh', (x) => `exp(tanh(${x}))`, 2.72],
  ['logAbs', (x) => `log(add(abs(${x}), 0.5))`, 2],
  ['sqrtAbs', (x) => `sqrt(add(abs(${x}), 0.25))`, 1],
  ['asinh', (x) => `asinh(${x})`, 1],
  ['log1pAbs', (x) => `log1p(abs(${x}))`, 1],
  ['erfc', (x) => `erfc(${x})`, 1.13],
  ['sigmoid', (x) => `div(1, add(1, exp(neg(tanh(${x})))))`, 1],
  ['hypot1', (x) => `hypot(${x}, 1)`, 1],
  ['clip', (x) => `clip(${x}, -0.75, 1.25)`, 1],
];
// Discontinuous functions, applied to inputs only.
const DISCRETE: readonly (readonly [string, (x: string) => string])[] = [
  ['floor', (x) => `floor(mul(${x}, 2))`],
  ['ceil', (x) => `ceil(mul(${x}, 2))`],
  ['round', (x) => `round(mul(${x}, 2))`],
  ['trunc', (x) => `trunc(mul(${x}, 2))`],
  ['sign', (x) => `sign(${x})`],
  ['castI32', (x) => `cast(cast(mul(${x}, 3), 'i32'), 'f64')`],
  ['modI32', (x) => `cast(mod(cast(mul(${x}, 4), 'i32'), 3), 'f64')`],
  ['gtZero', (x) => `cast(gt(${x}, 0.25), 'f64')`],
];
const BINARY = ['add', 'sub', 'mul', 'minimum', 'maximum', 'divSafe', 'atan2', 'hypot'] as const;
const CMP = ['lt', 'le', 'gt', 'ge'] as const;

export type Node =
  | { k: 'in'; s: Shape; src: Shape } // an input broadcast to s
  | { k: 'const'; s: Shape; v: number }
  | { k: 'scalar'; s: Shape } // the scalar input
  | { k: 'iota'; s: Shape; axis: number }
  | { k: 'un'; s: Shape; fn: number; a: Node }
  | { k: 'disc'; s: Shape; fn: number; a: Node } // a is an 'in' leaf
  | { k: 'bin'; s: Shape; fn: (typeof BINARY)[number]; a: Node; b: Node }
  | { k: 'where'; s: Shape; cmp: (typeof CMP)[number]; x: Node; y: Node; a: Node; b: Node }
  | { k: 'red'; s: Shape; fn: 'sum' | 'max'; axis: number; a: Node }
  | { k: 'mm'; s: Shape; tA: boolean; tB: boolean; inner: Sym; a: Node; b: Node }
  | { k: 'tr'; s: Shape; perm: readonly number[]; a: Node }
  | { k: 'cat'; s: Shape; axis: number; a: Node; b: Node } // slice(concat([a, b], axis)) back to s
  | { k: 'take'; s: Shape; axis: number; a: Node } // gathered by the index input of s[axis]
  | { k: 'scatter'; s: Shape; a: Node }; // rank 1: scatterAdd by the padded index input

const isSub = (src: Shape, s: Shape): boolean => {
  let j = 0;
  for (const x of s) if (src[j] === x) j++;
  return j === src.length;
};
const perms = (n: number): number[][] =>
  n <= 1
    ? [[0]]
    : n === 2
      ? [[1, 0]]
      : [
          [1, 0, 2],
          [0, 2, 1],
          [2, 0, 1],
          [1, 2, 0],
          [2, 1, 0],
        ];

/** Leaves of shape s (shrinking prefers them: they come first). */
function leafArb(s: Shape): fc.Arbitrary<Node> {
  const ins = INPUT_SHAPES.filter((src) => isSub(src, s));
  const arbs: fc.Arbitrary<Node>[] = [];
  if (ins.length) arbs.push(fc.constantFrom(...ins).map((src): Node => ({ k: 'in', s, src })));
  arbs.push(fc.constantFrom(0.5, -1.25, 2, 3).map((v): Node => ({ k: 'const', s, v })));
  arbs.push(fc.constant<Node>({ k: 'scalar', s }));
  if (s.length) arbs.push(fc.integer({ min: 0, max: s.length - 1 }).map((axis): Node => ({ k: 'iota', s, axis })));
  return fc.oneof(...arbs);
}

const memo = new Map<string, fc.Arbitrary<Node>>();
/** Expressions of shape s with at most `depth` levels of operations. */
export function exprArb(s: Shape, depth: number): fc.Arbitrary<Node> {
  const key = `${s.join('')}|${depth}`;
  const hit = memo.get(key);
  if (hit) return hit;
  const leaf = leafArb(s);
  if (depth <= 0) {
    memo.set(key, leaf);
    return leaf;
  }
  const sub = (t: Shape) => exprArb(t, depth - 1);
  const inputs = INPUT_SHAPES.filter((src) => isSub(src, s));
  const arbs: fc.Arbitrary<Node>[] = [
    fc.tuple(fc.integer({ min: 0, max: UNARY.length - 1 }), sub(s)).map(([fn, a]): Node => ({ k: 'un', s, fn, a })),
    fc.tuple(fc.constantFrom(...BINARY), sub(s), sub(s)).map(([fn, a, b]): Node => ({ k: 'bin', s, fn, a, b })),
  ];
  if (inputs.length) {
    const inLeaf = fc.constantFrom(...inputs).map((src): Node => ({ k: 'in', s, src }));
    arbs.push(
      fc
        .tuple(fc.integer({ min: 0, max: DISCRETE.length - 1 }), inLeaf)
        .map(([fn, a]): Node => ({ k: 'disc', s, fn, a })),
    );
    arbs.push(
      fc
        .tuple(fc.constantFrom(...CMP), inLeaf, inLeaf, sub(s), sub(s))
        .map(([cmp, x, y, a, b]): Node => ({ k: 'where', s, cmp, x, y, a, b })),
    );
  }
  // a reduction over a new axis (a symbol s lacks, at any position)
  const free = SYMS.filter((x) => !s.includes(x));
  if (s.length < 3 && free.length) {
    arbs.push(
      fc
        .tuple(
          fc.constantFrom<'sum' | 'max'>('sum', 'max'),
          fc.constantFrom(...free),
          fc.integer({ min: 0, max: s.length }),
        )
        .chain(([fn, x, axis]) =>
          sub([...s.slice(0, axis), x, ...s.slice(axis)]).map((a): Node => ({ k: 'red', s, fn, axis, a })),
        ),
    );
  }
  // matmul: (M, K)·(K, N) or (M, K)·(K), each operand possibly stored transposed
  if ((s.length === 2 || s.length === 1) && free.length) {
    arbs.push(
      fc.tuple(fc.constantFrom(...free), fc.boolean(), fc.boolean()).chain(([inner, tA, tB]) => {
        const m = s[0]!;
        const aShape: Shape = tA ? [inner, m] : [m, inner];
        const bShape: Shape = s.length === 1 ? [inner] : tB ? [s[1]!, inner] : [inner, s[1]!];
        return fc
          .tuple(sub(aShape), sub(bShape))
          .map(([a, b]): Node => ({ k: 'mm', s, tA, tB: s.length === 2 && tB, inner, a, b }));
      }),
    );
  }
  if (s.length >= 2) {
    arbs.push(
      fc.constantFrom(...perms(s.length)).chain((perm) => {
        const inner = new Array<Sym>(s.length);
        perm.forEach((p, i) => (inner[p] = s[i]!));
        return sub(inner).map((a): Node => ({ k: 'tr', s, perm, a }));
      }),
    );
  }
  if (s.length >= 1) {
    arbs.push(
      fc
        .integer({ min: 0, max: s.length - 1 })
        .chain((axis) => fc.tuple(sub(s), sub(s)).map(([a, b]): Node => ({ k: 'cat', s, axis, a, b }))),
    );
    arbs.push(
      fc.integer({ min: 0, max: s.length - 1 }).chain((axis) => sub(s).map((a): Node => ({ k: 'take', s, axis, a }))),
    );
  }
  if (s.length === 1) arbs.push(sub(s).map((a): Node => ({ k: 'scatter', s, a })));
  const r = fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, ...arbs);
  memo.set(key, r);
  return r;
}

const OUT_SHAPES: readonly Shape[] = [[], ['A'], ['B'], ['A', 'B'], ['B', 'C'], ['A', 'B', 'C']];
export interface Program {
  readonly outputs: readonly Node[];
}
/** One or two outputs of random shapes. */
export const programArb = (depth = 4): fc.Arbitrary<Program> =>
  fc
    .array(
      fc.constantFrom(...OUT_SHAPES).chain((s) => exprArb(s, depth)),
      { minLength: 1, maxLength: 2 },
    )
    .map((outputs) => ({ outputs }));

/** DSL source of an expression (the functions of 'lensc'; inputs by name). */
export function source(n: Node): string {
  const dims = (s: Shape) => `[${s.map((x) => `'${x}'`).join(', ')}]`;
  switch (n.k) {
    case 'in': {
      if (n.src.length === n.s.length) return inputName(n.src);
      const r = n.s.map((x) => (n.src.includes(x) ? `'${x}'` : '1'));
      return `broadcastTo(reshape(${inputName(n.src)}, [${r.join(', ')}]), ${dims(n.s)})`;
    }
    case 'const':
      return n.s.length ? `full(${dims(n.s)}, ${n.v})` : `constant(${n.v})`;
    case 'scalar':
      return n.s.length ? `broadcastTo(s, ${dims(n.s)})` : 's';
    case 'iota':
      return `iota(${dims(n.s)}, ${n.axis}, 'f64')`;
    case 'un':
      return UNARY[n.fn]![1](source(n.a));
    case 'disc':
      return DISCRETE[n.fn]![1](source(n.a));
    case 'bin':
      return n.fn === 'divSafe'
        ? `div(${source(n.a)}, add(abs(${source(n.b)}), 0.5))`
        : `${n.fn}(${source(n.a)}, ${source(n.b)})`;
    case 'where':
      return `where(${n.cmp}(${source(n.x)}, ${source(n.y)}), ${source(n.a)}, ${source(n.b)})`;
    case 'red':
      return `${n.fn}(${source(n.a)}, ${n.axis})`;
    case 'mm': {
      const flags = [n.tA ? 'transA: true' : '', n.tB ? 'transB: true' : ''].filter(Boolean).join(', ');
      return `matmul(${source(n.a)}, ${source(n.b)}${flags ? `, { ${flags} }` : ''})`;
    }
    case 'tr':
      return `transpose(${source(n.a)}, [${n.perm.join(', ')}])`;
    case 'cat': {
      const x = n.s[n.axis]!;
      const ranges = n.s.map((_, i) => (i === n.axis ? `[1, '${x}+1']` : 'null'));
      return `slice(concat([${source(n.a)}, ${source(n.b)}], ${n.axis}), [${ranges.join(', ')}])`;
    }
    case 'take':
      return `take(${source(n.a)}, idx${n.s[n.axis]}, ${n.axis})`;
    case 'scatter':
      return `scatterAdd(['${n.s[0]}'], [pad${n.s[0]}], ${source(n.a)})`;
  }
}

/** The magnitude program of n, as DSL source (see the header). */
export function magnitude(n: Node): string {
  const m = magnitude;
  switch (n.k) {
    case 'in':
    case 'const':
    case 'scalar':
    case 'iota':
    case 'disc':
      return `abs(${source(n)})`;
    case 'un':
      return `add(abs(${source(n)}), mul(${UNARY[n.fn]![2]}, ${m(n.a)}))`;
    case 'bin':
      switch (n.fn) {
        case 'add':
        case 'sub':
          return `add(${m(n.a)}, ${m(n.b)})`;
        case 'mul':
          return `mul(${m(n.a)}, ${m(n.b)})`;
        case 'minimum':
        case 'maximum':
          return `maximum(${m(n.a)}, ${m(n.b)})`;
        // |a|/(|b| + 0.5) ≤ 2|a|, and its change with b is ≤ 4|a|·|δb|
        case 'divSafe':
          return `add(mul(2, ${m(n.a)}), mul(mul(4, ${m(n.a)}), ${m(n.b)}))`;
        // |∂atan2| ≤ 1/r and |∂hypot| ≤ 1: an absolute-error scale of the operands, plus the result
        case 'atan2':
          return `add(abs(${source(n)}), div(add(${m(n.a)}, ${m(n.b)}), add(hypot(${source(n.a)}, ${source(n.b)}), 1e-300)))`;
        case 'hypot':
          return `add(${m(n.a)}, ${m(n.b)})`;
      }
      break;
    case 'where':
      return `maximum(${m(n.a)}, ${m(n.b)})`;
    case 'red':
      return `${n.fn}(${m(n.a)}, ${n.axis})`;
    case 'mm': {
      const flags = [n.tA ? 'transA: true' : '', n.tB ? 'transB: true' : ''].filter(Boolean).join(', ');
      return `matmul(${m(n.a)}, ${m(n.b)}${flags ? `, { ${flags} }` : ''})`;
    }
    case 'tr':
      return `transpose(${m(n.a)}, [${n.perm.join(', ')}])`;
    case 'cat': {
      const x = n.s[n.axis]!;
      const ranges = n.s.map((_, i) => (i === n.axis ? `[1, '${x}+1']` : 'null'));
      return `slice(concat([${m(n.a)}, ${m(n.b)}], ${n.axis}), [${ranges.join(', ')}])`;
    }
    case 'take':
      return `take(${m(n.a)}, idx${n.s[n.axis]}, ${n.axis})`;
    case 'scatter':
      return `scatterAdd(['${n.s[0]}'], [pad${n.s[0]}], ${m(n.a)})`;
  }
  throw new Error('unreachable');
}

/** The kernel's parameters: every f64 input, the scalar, and per symbol an index input and a padded one. */
export function params(): Record<string, ParamSpec> {
  const p: Record<string, ParamSpec> = {};
  for (const s of INPUT_SHAPES) p[inputName(s)] = L.f64([...s]);
  p.s = L.scalar('f64');
  for (const x of SYMS) {
    p[`idx${x}`] = L.i32([x]);
    p[`pad${x}`] = L.i32([x]);
  }
  return p;
}

/** The program as a TypeScript module a user could compile (what the fuzzer prints on failure). */
export function programSource(p: Program, name = 'fuzzed'): string {
  const outs = p.outputs.map((n, i) => `    out${i}: ${source(n)},`).join('\n');
  return `import { ${DSL_NAMES.join(', ')} } from 'lensc';

export const ${name} = kernel({
  name: '${name}',
  params: {
    ${INPUT_SHAPES.map((s) => `${inputName(s)}: f64([${s.map((x) => `'${x}'`).join(', ')}])`).join(', ')},
    s: scalar('f64'), ${SYMS.map((x) => `idx${x}: i32(['${x}']), pad${x}: i32(['${x}'])`).join(', ')},
  },
  body: ({ ${Object.keys(params()).join(', ')} }) => ({
${outs}
  }),
});
`;
}

const DSL_NAMES = [
  'kernel',
  'f64',
  'i32',
  'scalar',
  'abs',
  'add',
  'asinh',
  'atan',
  'atan2',
  'broadcastTo',
  'cast',
  'ceil',
  'clip',
  'concat',
  'constant',
  'cos',
  'div',
  'erf',
  'erfc',
  'exp',
  'floor',
  'full',
  'ge',
  'gt',
  'hypot',
  'iota',
  'le',
  'log',
  'log1p',
  'lt',
  'matmul',
  'max',
  'maximum',
  'minimum',
  'mod',
  'mul',
  'neg',
  'reshape',
  'round',
  'scatterAdd',
  'sign',
  'sin',
  'slice',
  'sqrt',
  'sub',
  'sum',
  'take',
  'tanh',
  'transpose',
  'trunc',
  'where',
];

/** Evaluates DSL source with the program's inputs in scope (the same text that is printed is what runs). */
function evalSource(text: string, scope: Record<string, Tensor>): Tensor {
  const names = Object.keys(scope);
  const dsl = L as unknown as Record<string, unknown>;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const f = new Function(...DSL_NAMES, ...names, `return ${text};`) as (...a: unknown[]) => Tensor;
  return f(...DSL_NAMES.map((n) => dsl[n]), ...names.map((n) => scope[n]));
}

let counter = 0;
/** The program (and its magnitude program) as kernels, built from the printed source itself. */
export function programKernels(p: Program): { program: Kernel; magnitude: Kernel } {
  const id = counter++;
  const make = (name: string, text: (n: Node) => string) =>
    kernel({
      name,
      params: params(),
      body: (scope) =>
        Object.fromEntries(p.outputs.map((n, i) => [`out${i}`, evalSource(text(n), scope as Record<string, Tensor>)])),
    });
  return { program: make(`fuzz${id}`, source), magnitude: make(`fuzzMag${id}`, magnitude) };
}
