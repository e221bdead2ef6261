// Pass: offset tables — the `compact`/preload idea, found automatically. A sum over k whose summand
// depends on the pair (i, j) only through differences of bounded integer coordinates,
//   W[i,j] = Σ_k w_k · f(Σ_m a_m·(c_i^(m) − c_j^(m))·g_m(k)),   f ∈ {cos, sin, exp},
// with c = columns of an i32 parameter declared `i32(['M', 2], { bounds: ['Ny', 'Nx'] })`, is computed
// once per offset δ ∈ [−B, B) on each coordinate — a (2B_0, 2B_1) table T — and W is a gather
// T[c_i − c_j + B_0, …]. The table's own sum over k then separates (δ_a·g(k) terms), so the
// separable pass that runs next makes it two matmuls over k: std's wTildePreload + wTildeFromPreload.
// Affine coordinates (x = (c − c₀)·d) work: the c₀ terms cancel when like terms are combined.
import { Node, type Graph } from '../ir/graph.ts';
import { Size, type Shape } from '../ir/size.ts';
import { formatLoc } from '../ir/source.ts';
import {
  combineLikeTerms,
  constNode,
  dep,
  expand,
  mk,
  productFactors,
  project,
  structKey,
  viewOf,
  type Monomial,
} from './factor_separable.ts';
import { rewriteGraph } from './rewrite.ts';
import { rewriteEnabled } from './rewrite_switch.ts';

export const OFFSET_TABLE = 'offset-table';

/** A column of a bounded i32 parameter, as the leaf reads it (through casts, views and one column slice). */
interface Coordinate {
  param: Node;
  col: number;
  bound: string;
}

function baseOf(n: Node): Node {
  return viewOf(n)?.base ?? n;
}

function coordinate(leaf: Node, bounds: Map<Node, readonly string[]>): Coordinate | undefined {
  const cast = baseOf(leaf);
  if (cast.op.kind !== 'cast') return undefined;
  const src = baseOf(cast.inputs[0]!);
  const fromParam = (p: Node, col: number): Coordinate | undefined => {
    const b = bounds.get(p);
    return b && col < b.length ? { param: p, col, bound: b[col]! } : undefined;
  };
  if (src.op.kind === 'param' && src.rank === 1) return fromParam(src, 0);
  if (
    src.op.kind === 'slice' &&
    src.rank === 2 &&
    src.shape[1]!.constValue() === 1 &&
    src.op.starts[0]!.constValue() === 0
  ) {
    const p = src.inputs[0]!;
    const col = src.op.starts[1]!.constValue();
    return p.op.kind === 'param' && p.rank === 2 && col !== undefined ? fromParam(p, col) : undefined;
  }
  return undefined;
}

interface Ctx {
  notes: string[];
  bounds: Map<Node, readonly string[]>;
}

function tryTable(red: Node, ctx: Ctx): Node | undefined {
  if (red.op.kind !== 'reduce' || red.op.fn !== 'sum' || red.op.axes.length !== 1) return undefined;
  const x = red.inputs[0]!;
  if (x.rank !== 3 || (x.dtype !== 'f64' && x.dtype !== 'f32')) return undefined;
  const kAx = red.op.axes[0]!;
  const [iAx, jAx] = [0, 1, 2].filter((a) => a !== kAx) as [number, number];
  const I = 1 << iAx,
    J = 1 << jAx,
    K = 1 << kAx;
  if ((dep(x) & (I | J)) !== (I | J)) return undefined;

  // Summand = coef × Π weight(k) × f(phase); anything else is not a function of the offsets alone.
  const { coef, factors } = productFactors(x);
  const weights: { node: Node; inv: boolean }[] = [];
  let cross: Node | undefined;
  let ok = true;
  for (const f of factors) {
    if ((dep(f.node) & (I | J)) === 0) weights.push(f);
    else if (f.node.op.kind === 'unary' && ['cos', 'sin', 'exp'].includes(f.node.op.fn) && !f.inv && !cross)
      cross = f.node;
    else ok = false;
  }
  if (!ok || !cross) return undefined;
  const raw = expand(cross.inputs[0]!);
  const ms = raw && combineLikeTerms(raw);
  if (!ms) return undefined;

  // Each i-term a·c_i·g(k) must have its j-term −a·c_j·g(k) on the same coordinate.
  const keys = new Map<Node, string>();
  const memo = new Map<string, Node | undefined>();
  const kKey = (leaves: Monomial['leaves']): string | undefined => {
    const parts: string[] = [];
    for (const l of leaves) {
      const p = project(l.node, [kAx], memo);
      if (!p) return undefined;
      parts.push(`${l.inv ? '/' : ''}${structKey(p, keys)}`);
    }
    return parts.sort().join('*');
  };
  const terms = new Map<string, { coord: Coordinate; coef: number; rest: Monomial['leaves']; pairedCoef?: number }>();
  const kOnly: Monomial[] = [];
  const pending: { key: string; coef: number }[] = [];
  for (const m of ms) {
    const d = m.leaves.reduce((acc, l) => acc | dep(l.node), 0);
    if (!(d & (I | J))) {
      kOnly.push(m);
      continue;
    }
    if (d & I && d & J) return undefined;
    const side = d & I ? I : J;
    const coordLeaves = m.leaves.filter((l) => dep(l.node) & side);
    if (coordLeaves.length !== 1 || coordLeaves[0]!.inv || dep(coordLeaves[0]!.node) !== side) return undefined;
    const coord = coordinate(coordLeaves[0]!.node, ctx.bounds);
    if (!coord) return undefined;
    const rest = m.leaves.filter((l) => l !== coordLeaves[0]);
    const rk = kKey(rest);
    if (rk === undefined) return undefined;
    const key = `${coord.param.id}:${coord.col}|${rk}`;
    if (side === I) {
      if (terms.has(key)) return undefined;
      terms.set(key, { coord, coef: m.coef, rest });
    } else pending.push({ key, coef: m.coef });
  }
  if (pending.length !== terms.size || terms.size === 0) return undefined;
  for (const p of pending) {
    const t = terms.get(p.key);
    if (!t || t.pairedCoef !== undefined || t.coef !== -p.coef) return undefined;
    t.pairedCoef = p.coef;
  }

  // The table: one axis of 2·B per coordinate used (index a ↔ offset δ = a − B), then k.
  const coords: Coordinate[] = [];
  for (const t of terms.values())
    if (!coords.some((c) => c.param === t.coord.param && c.col === t.coord.col)) coords.push(t.coord);
  if (coords.length > 2) return undefined;
  coords.sort((a, b) => a.col - b.col);
  const kSize = x.shape[kAx]!;
  const tableShape: Shape = [...coords.map((c) => Size.sym(c.bound).mul(2)), kSize];
  const kT = coords.length;
  const like = x;
  const bcast = (n: Node, axes: number[], shape: Shape): Node => mk({ kind: 'broadcast', axes }, [n], shape, n);
  const sizeNode = (name: string): Node => new Node({ kind: 'size', name }, [], [], 'i32', like.loc);
  const offset = (a: number): Node => {
    const iota = new Node({ kind: 'iota', axis: a }, [], tableShape, 'i32', like.loc);
    const d = new Node(
      { kind: 'binary', fn: 'sub' },
      [iota, bcast(sizeNode(coords[a]!.bound), [], tableShape)],
      tableShape,
      'i32',
      like.loc,
    );
    return new Node({ kind: 'cast' }, [d], tableShape, like.dtype, like.loc);
  };
  const full = (v: number): Node => mk({ kind: 'broadcast', axes: [] }, [constNode(v, like)], tableShape, like);
  const bin = (fn: 'add' | 'mul' | 'div', a: Node, b: Node): Node =>
    mk({ kind: 'binary', fn }, [a, b], tableShape, like);
  const kPart = (leaves: Monomial['leaves'], c: number): Node | undefined => {
    let acc: Node | undefined = c === 1 ? undefined : full(c);
    for (const l of leaves) {
      const p = project(l.node, [kAx], memo);
      if (!p) return undefined;
      const b = bcast(p, [kT], tableShape);
      acc = l.inv ? bin('div', acc ?? full(1), b) : acc ? bin('mul', acc, b) : b;
    }
    return acc;
  };
  let phase: Node | undefined;
  for (const t of terms.values()) {
    const a = coords.findIndex((c) => c.param === t.coord.param && c.col === t.coord.col);
    const rest = kPart(t.rest, t.coef);
    if (t.rest.length && !rest) return undefined;
    const term = rest ? bin('mul', offset(a), rest) : offset(a);
    phase = phase ? bin('add', phase, term) : term;
  }
  for (const m of kOnly) {
    const term = kPart(m.leaves, m.coef) ?? full(m.coef);
    phase = bin('add', phase!, term);
  }
  const fn = cross.op.kind === 'unary' ? cross.op.fn : 'cos';
  let summand = mk({ kind: 'unary', fn }, [phase!], tableShape, like);
  const w = kPart(weights, coef);
  if (weights.length && !w) return undefined;
  if (w) summand = bin('mul', summand, w);
  const table = mk({ kind: 'reduce', fn: 'sum', axes: [kT] }, [summand], tableShape.slice(0, kT), red);

  // W[i, j] = T[c_i − c_j + B, …]: a gather with (I, J) index arrays.
  const outShape = red.shape;
  const idx = coords.map((c) => {
    const column =
      c.param.rank === 1
        ? c.param
        : mk(
            { kind: 'reshape' },
            [
              mk(
                { kind: 'slice', starts: [Size.const(0), Size.const(c.col)] },
                [c.param],
                [c.param.shape[0]!, Size.const(1)],
                c.param,
              ),
            ],
            [c.param.shape[0]!],
            c.param,
          );
    const ci = bcast(column, [0], outShape),
      cj = bcast(column, [1], outShape);
    const diff = new Node({ kind: 'binary', fn: 'sub' }, [ci, cj], outShape, 'i32', like.loc);
    return new Node(
      { kind: 'binary', fn: 'add' },
      [diff, bcast(sizeNode(c.bound), [], outShape)],
      outShape,
      'i32',
      like.loc,
    );
  });
  const result = new Node({ kind: 'gather' }, [table, ...idx], outShape, red.dtype, red.loc);
  const dims = coords.map((c) => `2·${c.bound}`).join(' × ');
  ctx.notes.push(
    `${OFFSET_TABLE}: the sum over ${kSize}${red.loc ? ` at ${formatLoc(red.loc)}` : ''} depends on (i, j) only through ` +
      `${coords.map((c) => `${c.param.op.kind === 'param' ? c.param.op.name : '?'}[:, ${c.col}]`).join(' and ')} differences: computed once per offset as a ` +
      `(${dims}) table, then gathered (cost ∝ ${dims}·${kSize} instead of M²·${kSize}; assumes M² ≫ the table size, true unless the mask is nearly empty)`,
  );
  return result;
}

export function offsetTable(g: Graph): Graph {
  const bounds = new Map<Node, readonly string[]>();
  for (const p of g.params)
    if (p.node && p.kind.kind === 'array' && p.kind.bounds && p.kind.dtype === 'i32') bounds.set(p.node, p.kind.bounds);
  if (bounds.size === 0) return g; // nothing declares the range of an integer coordinate
  if (!rewriteEnabled(g, OFFSET_TABLE))
    return { ...g, notes: [...(g.notes ?? []), `${OFFSET_TABLE}: switched off for this kernel`] };
  const ctx: Ctx = { notes: [], bounds };
  const out = rewriteGraph(g, (n) => (n.op.kind === 'reduce' ? tryTable(n, ctx) : undefined));
  return { ...out, notes: [...(g.notes ?? []), ...ctx.notes] };
}
