// Pass: a sum over k whose summand separates into a part indexed (i, k) and a part indexed (j, k)
// becomes matmul contractions over k — the rewrite the talk did by hand for W̃:
//   Σ_k w_k·cos(φ_ik − φ_jk) = C·Cᵀ + S·Sᵀ,  C = cos(φ)·√w, S = sin(φ)·√w   (SYRK: both sides the same)
//   Σ_k w_k·cos(φ_ik + ψ_jk) = (w·cos φ)·(cos ψ)ᵀ − (w·sin φ)·(sin ψ)ᵀ       (general matmul)
//   Σ_k w_k·sin(φ_ik + ψ_jk), Σ_k w_k·exp(φ_ik + ψ_jk), Σ_k a_ik·b_jk·w_k      likewise.
// The phase is distributed first (2π((x_i − x_j)u_k + …) → 2πx_i·u_k − 2πx_j·u_k + …), so the split
// works on what the user wrote. The operands are elementwise (I, K) maps, so the memory planner chunks
// K exactly as in std's wTilde. A per-(i,j,k) cost model decides; every decision (and every sum that
// was considered and kept) is recorded in the graph's notes for `lensc explain`.
import { Node, type Graph } from '../ir/graph.ts';
import { Size, type Shape } from '../ir/size.ts';
import { formatLoc } from '../ir/source.ts';
import { rewriteGraph } from './rewrite.ts';
import { rewriteEnabled } from './rewrite_switch.ts';

export const FACTOR_SEPARABLE = 'separable';

/** Bitmask of the axes a node's value varies along (over the node's own axes). */
type Dep = number;
const ONE = (s: Size): boolean => s.constValue() === 1;
const allAxes = (n: Node): Dep => n.shape.reduce((m, s, a) => (ONE(s) ? m : m | (1 << a)), 0);

const depMemo = new WeakMap<Node, Dep>();
export function dep(n: Node): Dep {
  const hit = depMemo.get(n);
  if (hit !== undefined) return hit;
  const op = n.op;
  let d: Dep;
  switch (op.kind) {
    case 'const':
    case 'size':
      d = 0;
      break;
    case 'iota':
      d = ONE(n.shape[op.axis]!) ? 0 : 1 << op.axis;
      break;
    case 'unary':
    case 'binary':
    case 'where':
    case 'cast':
      d = n.inputs.reduce((m, x) => m | dep(x), 0);
      break;
    case 'broadcast': {
      const s = dep(n.inputs[0]!);
      d = op.axes.reduce((m, o, a) => (s & (1 << a) ? m | (1 << o) : m), 0);
      break;
    }
    case 'reshape': {
      const map = unitAxisMap(n.inputs[0]!.shape, n.shape);
      const s = dep(n.inputs[0]!);
      d = map ? map.reduce((m, o, a) => (o >= 0 && s & (1 << a) ? m | (1 << o) : m), 0) : allAxes(n);
      break;
    }
    default:
      d = allAxes(n);
  }
  depMemo.set(n, d);
  return d;
}

/** For a reshape that only inserts/removes literal-1 axes: input axis → output axis (−1 for a dropped unit axis). */
export function unitAxisMap(from: Shape, to: Shape): number[] | undefined {
  const map: number[] = [];
  let j = 0;
  for (const d of from) {
    if (ONE(d)) {
      map.push(-1);
      continue;
    }
    while (j < to.length && ONE(to[j]!)) j++;
    if (j >= to.length || !d.equals(to[j]!)) return undefined;
    map.push(j++);
  }
  for (; j < to.length; j++) if (!ONE(to[j]!)) return undefined;
  return map;
}

export const mk = (op: Node['op'], inputs: readonly Node[], shape: Shape, like: Node): Node =>
  new Node(op, inputs, shape, like.dtype, like.loc);
export const constNode = (v: number, like: Node): Node =>
  new Node({ kind: 'const', value: v }, [], [], like.dtype, like.loc);

/**
 * The node's value as an array over `target` (axes of n, in that order), dropping the other axes —
 * allowed only where n does not vary along them. Undefined when the structure does not allow it.
 */
export function project(n: Node, target: readonly number[], memo: Map<string, Node | undefined>): Node | undefined {
  const key = `${n.id}:${target.join(',')}`;
  if (memo.has(key)) return memo.get(key);
  const out = projectUncached(n, target, memo);
  memo.set(key, out);
  return out;
}

function projectUncached(n: Node, target: readonly number[], memo: Map<string, Node | undefined>): Node | undefined {
  const shape = target.map((a) => n.shape[a]!);
  const identity = target.length === n.rank && target.every((a, i) => a === i);
  if (identity) return n;
  const dropped = n.shape.map((_, a) => a).filter((a) => !target.includes(a));
  if (dropped.some((a) => dep(n) & (1 << a))) return undefined;
  const op = n.op;
  switch (op.kind) {
    case 'const':
    case 'size':
      return n.rank === 0 ? n : undefined;
    case 'unary':
    case 'binary':
    case 'where':
    case 'cast': {
      const ins = n.inputs.map((x) => project(x, target, memo));
      return ins.every((x): x is Node => x !== undefined) ? mk(op, ins, shape, n) : undefined;
    }
    case 'iota': {
      const at = target.indexOf(op.axis);
      return at >= 0 ? mk({ kind: 'iota', axis: at }, [], shape, n) : undefined;
    }
    case 'broadcast': {
      const src = n.inputs[0]!;
      // Source axes whose image is kept, in target order; the others must be constant (or unit).
      const srcTarget: number[] = [];
      for (const t of target) {
        const s = op.axes.indexOf(t);
        if (s >= 0) srcTarget.push(s);
      }
      const p = project(src, srcTarget, memo);
      if (!p) return undefined;
      return mk({ kind: 'broadcast', axes: srcTarget.map((s) => target.indexOf(op.axes[s]!)) }, [p], shape, n);
    }
    case 'reshape': {
      const src = n.inputs[0]!;
      const map = unitAxisMap(src.shape, n.shape);
      if (!map) return undefined;
      const srcTarget: number[] = [];
      for (const t of target) {
        const s = map.indexOf(t);
        if (s >= 0) srcTarget.push(s);
      }
      const p = project(src, srcTarget, memo);
      return p ? mk({ kind: 'reshape' }, [p], shape, n) : undefined;
    }
    default: {
      // A leaf (parameter, slice, gather…): drop unit axes by a reshape, reorder by a transpose.
      if (dropped.some((a) => !ONE(n.shape[a]!))) return undefined;
      const kept = n.shape.map((_, a) => a).filter((a) => target.includes(a));
      const r =
        kept.length === n.rank
          ? n
          : mk(
              { kind: 'reshape' },
              [n],
              kept.map((a) => n.shape[a]!),
              n,
            );
      if (kept.every((a, i) => a === target[i])) return r;
      return mk({ kind: 'transpose', perm: target.map((a) => kept.indexOf(a)) }, [r], shape, n);
    }
  }
}

/** A product term of a sum-of-products expansion: coefficient × Π leaf^(±1). */
export interface Monomial {
  coef: number;
  leaves: { node: Node; inv: boolean }[];
}
const MAX_MONOMIALS = 64;

export const scalarConst = (n: Node): number | undefined =>
  n.op.kind === 'const'
    ? n.op.value
    : n.op.kind === 'broadcast' && n.inputs[0]!.op.kind === 'const'
      ? n.inputs[0]!.op.value
      : undefined;

/** Distributes +, −, ×, unary minus (and ÷ by a leaf) into monomials; leaves are rewrapped in the broadcasts above them. */
/**
 * A product tree (through mul, div and neg) as coefficient × Π factor^(±1): scalar constants fold into the
 * coefficient, every other operand is a factor, `inv` when it divides. Shared by the separable and
 * offset-table passes.
 */
export function productFactors(root: Node): { coef: number; factors: { node: Node; inv: boolean }[] } {
  let coef = 1;
  const factors: { node: Node; inv: boolean }[] = [];
  const flatten = (n: Node, inv: boolean): void => {
    const c = scalarConst(n);
    if (c !== undefined) {
      coef *= inv ? 1 / c : c;
      return;
    }
    if (n.op.kind === 'binary' && n.op.fn === 'mul') {
      flatten(n.inputs[0]!, inv);
      flatten(n.inputs[1]!, inv);
      return;
    }
    if (n.op.kind === 'binary' && n.op.fn === 'div') {
      flatten(n.inputs[0]!, inv);
      flatten(n.inputs[1]!, !inv);
      return;
    }
    if (n.op.kind === 'unary' && n.op.fn === 'neg') {
      coef = -coef;
      flatten(n.inputs[0]!, inv);
      return;
    }
    factors.push({ node: n, inv });
  };
  flatten(root, false);
  return { coef, factors };
}

export function expand(n: Node): Monomial[] | undefined {
  const c = scalarConst(n);
  if (c !== undefined) return [{ coef: c, leaves: [] }];
  const op = n.op;
  const scale = (ms: Monomial[], s: number): Monomial[] => ms.map((m) => ({ coef: m.coef * s, leaves: m.leaves }));
  if (op.kind === 'binary' && (op.fn === 'add' || op.fn === 'sub')) {
    const a = expand(n.inputs[0]!),
      b = expand(n.inputs[1]!);
    if (!a || !b || a.length + b.length > MAX_MONOMIALS) return undefined;
    return [...a, ...scale(b, op.fn === 'sub' ? -1 : 1)];
  }
  if (op.kind === 'unary' && op.fn === 'neg') {
    const a = expand(n.inputs[0]!);
    return a && scale(a, -1);
  }
  if (op.kind === 'binary' && (op.fn === 'mul' || op.fn === 'div')) {
    const a = expand(n.inputs[0]!);
    const b = op.fn === 'mul' ? expand(n.inputs[1]!) : [{ coef: 1, leaves: [{ node: n.inputs[1]!, inv: true }] }];
    if (!a || !b || a.length * b.length > MAX_MONOMIALS) return undefined;
    return a.flatMap((x) => b.map((y) => ({ coef: x.coef * y.coef, leaves: [...x.leaves, ...y.leaves] })));
  }
  if (op.kind === 'broadcast' || (op.kind === 'reshape' && unitAxisMap(n.inputs[0]!.shape, n.shape))) {
    const inner = expand(n.inputs[0]!);
    if (!inner) return undefined;
    return inner.map((m) => ({
      coef: m.coef,
      leaves: m.leaves.map((l) => ({ node: mk(op, [l.node], n.shape, n), inv: l.inv })),
    }));
  }
  return [{ coef: 1, leaves: [{ node: n, inv: false }] }];
}

/** Sums monomials with the same leaves (so (c_i − c₀)·d − (c_j − c₀)·d loses its c₀ terms); drops zeros. */
export function combineLikeTerms(ms: readonly Monomial[]): Monomial[] {
  const keys = new Map<Node, string>();
  const byKey = new Map<string, Monomial>();
  for (const m of ms) {
    const k = m.leaves
      .map((l) => `${l.inv ? '/' : ''}${structKey(l.node, keys)}`)
      .sort()
      .join('*');
    const hit = byKey.get(k);
    if (hit) hit.coef += m.coef;
    else byKey.set(k, { coef: m.coef, leaves: m.leaves });
  }
  return [...byKey.values()].filter((m) => m.coef !== 0);
}

/**
 * h with h² = n exactly in real arithmetic (so a weight splits over both SYRK operands), or undefined:
 * squares, x·x, exp, positive constants, and parameters declared non-negative (√ of them).
 */
function halfOf(n: Node, nonNegative: ReadonlySet<Node>): Node | undefined {
  if (nonNegative.has(n)) return mk({ kind: 'unary', fn: 'sqrt' }, [n], n.shape, n);
  const c = scalarConst(n);
  if (c !== undefined)
    return c >= 0 ? mk({ kind: 'broadcast', axes: [] }, [constNode(Math.sqrt(c), n)], n.shape, n) : undefined;
  const op = n.op;
  if (op.kind === 'broadcast' || op.kind === 'reshape') {
    const h = halfOf(n.inputs[0]!, nonNegative);
    return h && mk(op, [h], n.shape, n);
  }
  if (op.kind === 'binary' && op.fn === 'pow' && scalarConst(n.inputs[1]!) === 2) return n.inputs[0]!;
  if (op.kind === 'binary' && op.fn === 'mul' && n.inputs[0] === n.inputs[1]) return n.inputs[0]!;
  if (op.kind === 'binary' && (op.fn === 'mul' || op.fn === 'div')) {
    const a = halfOf(n.inputs[0]!, nonNegative),
      b = halfOf(n.inputs[1]!, nonNegative);
    return a && b ? mk(op, [a, b], n.shape, n) : undefined;
  }
  if (op.kind === 'unary' && op.fn === 'exp') {
    const x = n.inputs[0]!;
    return mk(
      op,
      [
        mk(
          { kind: 'binary', fn: 'mul' },
          [x, mk({ kind: 'broadcast', axes: [] }, [constNode(0.5, x)], x.shape, x)],
          x.shape,
          x,
        ),
      ],
      n.shape,
      n,
    );
  }
  return undefined;
}

/**
 * Structural key: equal keys ⇒ equal values (parameters by identity). Chains of broadcasts and
 * unit-axis reshapes are keyed by their base and where its varying axes land, so x.reshape([1, M])
 * and x.reshape([M, 1]) broadcast to the same (M, K) array get the same key.
 */
export function structKey(n: Node, memo: Map<Node, string>): string {
  const hit = memo.get(n);
  if (hit !== undefined) return hit;
  let k: string;
  const view = viewOf(n);
  if (view) k = `view[${view.axes.join(',')}](${structKey(view.base, memo)}):${n.shape.join('x')}`;
  else {
    const attrs =
      n.op.kind === 'param' ? `param#${n.id}` : JSON.stringify(n.op, (_k, v) => (v instanceof Size ? v.toString() : v));
    k = `${attrs}(${n.inputs.map((x) => structKey(x, memo)).join(',')}):${n.shape.join('x')}`;
  }
  memo.set(n, k);
  return k;
}

/** For a broadcast / unit-axis reshape chain: the base below it and, per non-unit base axis, its axis in n. */
export function viewOf(n: Node): { base: Node; axes: number[] } | undefined {
  const step = (m: Node): number[] | undefined => {
    if (m.op.kind === 'broadcast') return [...m.op.axes];
    if (m.op.kind === 'reshape') return unitAxisMap(m.inputs[0]!.shape, m.shape);
    return undefined;
  };
  if (!step(n)) return undefined;
  // Compose from n down to the base: map[a] = axis of n that axis a of the current node lands on.
  let cur = n;
  let map: number[] = n.shape.map((_, a) => a);
  for (let s = step(cur); s; s = step(cur)) {
    map = s.map((o) => (o >= 0 ? map[o]! : -1));
    cur = cur.inputs[0]!;
  }
  return { base: cur, axes: cur.shape.map((d, a) => (ONE(d) ? -1 : map[a]!)) };
}

/** Rough cost per element of an expression (transcendentals dominate). */
const OP_COST: Record<string, number> = { cos: 20, sin: 20, exp: 20, log: 20, pow: 20, sqrt: 6, div: 4 };
function exprCost(root: Node, only: (n: Node) => boolean): number {
  const seen = new Set<Node>();
  let c = 0;
  const visit = (n: Node): void => {
    if (seen.has(n)) return;
    seen.add(n);
    if (!only(n)) return;
    if (n.op.kind === 'unary' || n.op.kind === 'binary') c += OP_COST[n.op.fn] ?? 1;
    else if (n.op.kind === 'where' || n.op.kind === 'cast') c += 1;
    n.inputs.forEach(visit);
  };
  visit(root);
  return c;
}
/** A blocked SIMD matmul does a multiply-add at a fraction of the cost of one fused scalar loop op. */
const MATMUL_FMA_COST = 0.25;
/** Operands are built once per (i, k), shared by every j: charged as if J were at least this. */
const ASSUMED_MIN_EXTENT = 32;

interface Candidate {
  notes: string[];
  nonNegative: ReadonlySet<Node>;
}

function where(n: Node): string {
  return n.loc ? ` at ${formatLoc(n.loc)}` : '';
}

function tryFactor(red: Node, ctx: Candidate): Node | undefined {
  if (red.op.kind !== 'reduce') return undefined;
  const x = red.inputs[0]!;
  if (x.rank !== 3 || red.op.axes.length !== 1 || (x.dtype !== 'f64' && x.dtype !== 'f32')) return undefined;
  const kAx = red.op.axes[0]!;
  const [iAx, jAx] = [0, 1, 2].filter((a) => a !== kAx) as [number, number];
  const I = 1 << iAx,
    J = 1 << jAx,
    K = 1 << kAx;
  if ((dep(x) & (I | J)) !== (I | J)) return undefined; // not a pairwise sum; nothing to separate
  const what = `${red.op.fn} over ${x.shape[kAx]}${where(red)}`;
  const keep = (why: string): undefined => {
    ctx.notes.push(`${FACTOR_SEPARABLE}: kept the ${what} as a direct sum: ${why}`);
    return undefined;
  };
  if (red.op.fn !== 'sum') return keep('only sums distribute over products (this is a max)');

  // The summand as coefficient × Π factor^(±1).
  const { coef, factors } = productFactors(x);

  const left: typeof factors = [],
    right: typeof factors = [],
    weight: typeof factors = [];
  let cross: { node: Node; fn: 'cos' | 'sin' | 'exp' } | undefined;
  for (const f of factors) {
    const d = dep(f.node);
    if ((d & (I | J)) === 0) weight.push(f);
    else if ((d & J) === 0) left.push(f);
    else if ((d & I) === 0) right.push(f);
    else {
      const op = f.node.op;
      if (op.kind !== 'unary' || (op.fn !== 'cos' && op.fn !== 'sin' && op.fn !== 'exp'))
        return keep(`the factor ${describeNode(f.node)} depends on both i and j and is not cos, sin or exp of a phase`);
      if (f.inv) return keep(`the factor 1/${op.fn}(…) depends on both i and j`);
      if (cross) return keep('more than one factor depends on both i and j');
      if ((d & K) === 0) return keep(`the factor ${op.fn}(…) depends on i and j but not on the summed axis`);
      cross = { node: f.node, fn: op.fn };
    }
  }

  // Split the phase into (i, k) and (j, k) monomials.
  let phaseI: Monomial[] = [],
    phaseJ: Monomial[] = [];
  if (cross) {
    const raw = expand(cross.node.inputs[0]!);
    const ms = raw && combineLikeTerms(raw);
    if (!ms)
      return keep(
        `the phase of ${cross.fn} is not a sum of products (or has more than ${MAX_MONOMIALS} terms once distributed)`,
      );
    for (const m of ms) {
      const d = m.leaves.reduce((acc, l) => acc | dep(l.node), 0);
      if (d & I && d & J)
        return keep(
          `the phase of ${cross.fn} does not separate: a term couples i and j (${m.leaves.map((l) => describeNode(l.node)).join('·')})`,
        );
      (d & J ? phaseJ : phaseI).push(m);
    }
  }

  const shapeI = [x.shape[iAx]!, x.shape[kAx]!],
    shapeJ = [x.shape[jAx]!, x.shape[kAx]!];
  const memo = new Map<string, Node | undefined>();
  const side = (n: Node, target: readonly number[], shape: Shape): Node | undefined => {
    const p = project(n, target, memo);
    if (!p) return undefined;
    return p.shape.every((s, a) => s.equals(shape[a]!)) ? p : mk({ kind: 'broadcast', axes: [0, 1] }, [p], shape, x);
  };
  const tI = [iAx, kAx],
    tJ = [jAx, kAx];
  const full = (v: number, shape: Shape): Node => mk({ kind: 'broadcast', axes: [] }, [constNode(v, x)], shape, x);
  const bin = (fn: 'add' | 'sub' | 'mul' | 'div', a: Node, b: Node): Node =>
    mk({ kind: 'binary', fn }, [a, b], a.shape, x);
  const build = (ms: Monomial[], target: readonly number[], shape: Shape): Node | undefined => {
    let acc: Node | undefined;
    for (const m of ms) {
      let t: Node | undefined = m.coef === 1 ? undefined : full(m.coef, shape);
      for (const l of m.leaves) {
        const p = side(l.node, target, shape);
        if (!p) return undefined;
        t = l.inv ? bin('div', t ?? full(1, shape), p) : t ? bin('mul', t, p) : p;
      }
      t ??= full(m.coef, shape);
      acc = acc ? bin('add', acc, t) : t;
    }
    return acc ?? full(0, shape);
  };
  const product = (fs: typeof factors, target: readonly number[], shape: Shape, c: number): Node | undefined => {
    let acc: Node | undefined = c === 1 ? undefined : full(c, shape);
    for (const f of fs) {
      const p = side(f.node, target, shape);
      if (!p) return undefined;
      acc = f.inv ? bin('div', acc ?? full(1, shape), p) : acc ? bin('mul', acc, p) : p;
    }
    return acc;
  };

  const phi = cross ? build(phaseI, tI, shapeI) : undefined;
  const psi = cross ? build(phaseJ, tJ, shapeJ) : undefined;
  if (cross && (!phi || !psi)) return keep('a phase term could not be written over (i, k) or (j, k) alone');
  const lp = product(left, tI, shapeI, 1),
    rp = product(right, tJ, shapeJ, 1);
  if ((left.length && !lp) || (right.length && !rp))
    return keep('a factor could not be written over (i, k) or (j, k) alone');

  // Same on both sides (φ_j written as −φ_i for cos, as φ_i for exp; the same side factors) ⇒ SYRK.
  const keys = new Map<Node, string>();
  const leafKey = (n: Node, target: readonly number[], shape: Shape): string =>
    structKey(side(n, target, shape)!, keys);
  const sideKey = (ms: Monomial[], target: readonly number[], shape: Shape, sign: number): string =>
    ms
      .map(
        (m) =>
          `${m.coef * sign}*${m.leaves
            .map((l) => `${l.inv ? '/' : ''}${leafKey(l.node, target, shape)}`)
            .sort()
            .join('*')}`,
      )
      .sort()
      .join('+');
  const factorKey = (fs: typeof factors, target: readonly number[], shape: Shape): string =>
    fs
      .map((f) => `${f.inv ? '/' : ''}${leafKey(f.node, target, shape)}`)
      .sort()
      .join('*');
  const sameShape = x.shape[iAx]!.equals(x.shape[jAx]!);
  const samePhase =
    sameShape &&
    (!cross ||
      (cross.fn !== 'sin' &&
        sideKey(phaseI, tI, shapeI, 1) === sideKey(phaseJ, tJ, shapeJ, cross.fn === 'cos' ? -1 : 1)));
  const sameFactors = sameShape && factorKey(left, tI, shapeI) === factorKey(right, tJ, shapeJ);
  let halfW: Node | undefined;
  if (samePhase && sameFactors && coef >= 0) halfW = splitWeight(weight, Math.sqrt(coef));
  const symmetric = halfW !== undefined;
  /** √(coef·Π weight): each factor's square root, or a factor that occurs twice taken once. */
  function splitWeight(ws: typeof factors, rootCoef: number): Node | undefined {
    const groups = new Map<string, { f: (typeof factors)[number]; count: number }>();
    for (const f of ws) {
      const k = `${f.inv ? '/' : ''}${leafKey(f.node, tI, shapeI)}`;
      const g = groups.get(k);
      if (g) g.count++;
      else groups.set(k, { f, count: 1 });
    }
    const halves: typeof factors = [];
    for (const { f, count } of groups.values()) {
      for (let c = 0; c < Math.floor(count / 2); c++) halves.push(f);
      if (count % 2) {
        const h = halfOf(f.node, ctx.nonNegative);
        if (!h) return undefined;
        halves.push({ node: h, inv: f.inv });
      }
    }
    return product(halves, tI, shapeI, rootCoef) ?? full(1, shapeI);
  }

  // Terms Σ sign·L_t·R_tᵀ.
  const u = (fn: 'cos' | 'sin' | 'exp', a: Node): Node => mk({ kind: 'unary', fn }, [a], a.shape, x);
  let pairs: { l: Node; r: Node; sign: number }[];
  let identity: string;
  if (!cross) {
    pairs = [{ l: full(1, shapeI), r: full(1, shapeJ), sign: 1 }];
    identity = 'a product of an (i, k) part and a (j, k) part';
  } else if (cross.fn === 'exp') {
    pairs = [{ l: u('exp', phi!), r: u('exp', symmetric ? phi! : psi!), sign: 1 }];
    identity = 'exp(a + b) = exp(a)·exp(b)';
  } else if (cross.fn === 'cos' && symmetric) {
    pairs = [
      { l: u('cos', phi!), r: u('cos', phi!), sign: 1 },
      { l: u('sin', phi!), r: u('sin', phi!), sign: 1 },
    ];
    identity = 'cos(a − b) = cos a·cos b + sin a·sin b';
  } else if (cross.fn === 'cos') {
    pairs = [
      { l: u('cos', phi!), r: u('cos', psi!), sign: 1 },
      { l: u('sin', phi!), r: u('sin', psi!), sign: -1 },
    ];
    identity = 'cos(a + b) = cos a·cos b − sin a·sin b';
  } else {
    pairs = [
      { l: u('sin', phi!), r: u('cos', psi!), sign: 1 },
      { l: u('cos', phi!), r: u('sin', psi!), sign: 1 },
    ];
    identity = 'sin(a + b) = sin a·cos b + cos a·sin b';
  }

  // Cost per (i, j, k) point: the direct fused loop versus the contractions (+ operands built per (i, k)).
  const direct = exprCost(x, () => true) + 1;
  const gemmCost = pairs.length * 2 * MATMUL_FMA_COST * (symmetric ? 0.5 : 1);
  const operandCost =
    (2 * (pairs.length * 2 + left.length + right.length + weight.length) +
      (phi ? exprCost(phi, () => true) + exprCost(psi!, () => true) + 40 : 0)) /
    ASSUMED_MIN_EXTENT;
  const factored = gemmCost + operandCost;
  const cost = `estimated cost per (i, j, k) term ${factored.toFixed(2)} against ${direct} for the direct sum`;
  if (factored >= direct) return keep(`factoring would not be cheaper (${cost})`);

  const wL = symmetric ? halfW! : product(weight, tI, shapeI, coef);
  const mm = (l: Node, r: Node): Node => mk({ kind: 'matmul', transA: false, transB: true }, [l, r], red.shape, x);
  const withFactors = (t: Node, fs: Node | undefined, w: Node | undefined): Node => {
    let acc = fs ? (t.op.kind === 'broadcast' && scalarConst(t) === 1 ? fs : bin('mul', t, fs)) : t;
    if (w) acc = bin('mul', acc, w);
    return acc;
  };
  let result: Node | undefined;
  for (const p of pairs) {
    let l = withFactors(p.l, lp, wL);
    const r = symmetric ? l : withFactors(p.r, rp, undefined);
    if (p.sign < 0) l = mk({ kind: 'unary', fn: 'neg' }, [l], l.shape, x);
    const t = mm(l, r);
    result = result ? mk({ kind: 'binary', fn: 'add' }, [result, t], red.shape, x) : t;
  }
  const kName = x.shape[kAx]!.toString();
  const plan = symmetric
    ? `${pairs.length} symmetric contraction(s) over ${kName} (SYRK${weight.length || coef !== 1 ? ', weight split as a square over both operands' : ''})`
    : `${pairs.length} matmul contraction(s) over ${kName}${weight.length || coef !== 1 ? ' (weight applied to the left operand)' : ''}`;
  const whyNotSym = symmetric
    ? ''
    : !samePhase || !sameFactors
      ? '; not symmetric: the two sides differ'
      : '; not symmetric: the weight is not known to be a square';
  ctx.notes.push(`${FACTOR_SEPARABLE}: the ${what} became ${plan} with ${identity}; ${cost}${whyNotSym}`);
  return result;
}

function describeNode(n: Node): string {
  const op = n.op;
  const name = op.kind === 'unary' || op.kind === 'binary' ? op.fn : op.kind === 'param' ? op.name : op.kind;
  return `${name}${where(n)}`;
}

export function factorSeparable(g: Graph): Graph {
  if (!rewriteEnabled(g, FACTOR_SEPARABLE)) {
    return { ...g, notes: [...(g.notes ?? []), `${FACTOR_SEPARABLE}: switched off for this kernel`] };
  }
  // Parameters declared non-negative (f64(['K'], { min: 0 }), checked at run time) split as √w·√w.
  const nonNegative = new Set<Node>();
  for (const p of g.params)
    if (p.node && p.kind.kind === 'array' && p.kind.min !== undefined && p.kind.min >= 0) nonNegative.add(p.node);
  const ctx: Candidate = { notes: [], nonNegative };
  const out = rewriteGraph(g, (n) => (n.op.kind === 'reduce' ? tryFactor(n, ctx) : undefined));
  return { ...out, notes: [...(g.notes ?? []), ...ctx.notes] };
}
