// Loop nests of map and scatter stages for any C-like dialect. The stage's leading variables are
// either a loop over a range (CPU tasks: [lo, hi) of the first axis) or given by the caller (GPU
// threads: the caller derives them from the thread index). Each output element is produced by one
// thread in a fixed order, so results never depend on how the work is split.
import type { MapStage, ScatterStage } from '../../compiler/loop/ir.ts';
import { maxIdentity, type Dialect } from './dialect.ts';
import { ExprRenderer, exprType, newScope, type ExprScope } from './expr.ts';
import { iadd, iconst, substitute, v as varExpr } from '../../compiler/loop/expr.ts';

export type Outer =
  | { readonly kind: 'range'; readonly lo: string; readonly hi: string }
  /** The first `count` loop variables are defined by the caller. */
  | { readonly kind: 'given'; readonly count: number };

export interface Body {
  readonly lines: string[];
  readonly scope: ExprScope;
  readonly loopVars: readonly string[];
}

const indent = (lines: string[], n = 1): string[] => lines.map((l) => '  '.repeat(n) + l);

/** Emits loops loopVars[from..] around inner(); bindings of each level go just inside its loop. */
function nestLoops(
  d: Dialect,
  r: ExprRenderer,
  loopVars: readonly string[],
  extents: readonly string[],
  outer: Outer,
  from: number,
  inner: (l: number) => string[] | undefined,
  wrap: (l: number, body: string[]) => string[],
): string[] {
  const given = outer.kind === 'given' ? outer.count : 0;
  const level = (l: number): string[] => {
    // Body of loop l (l = −1: before every loop).
    const lines = [...r.bindings[l + 1]!];
    const here = inner(l);
    if (here) return wrap(l, [...lines, ...here]);
    return wrap(l, [...lines, ...loop(l + 1)]);
  };
  const loop = (l: number): string[] => {
    if (l < given) return level(l); // defined by the caller: no loop, just its bindings
    const [lo, hi] = l === 0 && outer.kind === 'range' ? [outer.lo, outer.hi] : [d.literal(0, 'i32'), extents[l]!];
    return [d.forLoop(loopVars[l]!, lo, hi), ...indent(level(l)), '}'];
  };
  return from < 0 ? level(-1) : loop(from);
}

export function renderMapBody(s: MapStage, d: Dialect, outer: Outer): Body {
  const domainVars = s.domain.map((a) => a.v);
  const loopVars = [...domainVars, ...(s.reduce?.axes.map((a) => a.v) ?? [])];
  const scope = newScope(loopVars);
  const r = new ExprRenderer(d, scope);
  const extents = [...s.domain, ...(s.reduce?.axes ?? [])].map((a) => r.sizeCode(a.extent));
  const values = s.outputs.map((o) => r.render(o.value));
  const indices = s.outputs.map((o) => r.render(o.index));
  for (const o of s.outputs) scope.buffersUsed.add(o.buf);
  const nd = domainVars.length,
    L = loopVars.length;
  const red = s.reduce;
  const accs = s.outputs.map((_, i) => `acc${i}`);
  const dtypeOf = (i: number) => exprType(s.outputs[i]!.value);
  const store = (vals: string[]) =>
    s.outputs.map((o, i) => d.store(o.buf, indices[i]!, vals[i]!, dtypeOf(i), o.accumulate));
  const sum = red?.fn === 'sum' ? d.sum : undefined;
  const accumulate = () =>
    s.outputs.map((_, i) =>
      red!.fn !== 'sum'
        ? d.maxInto(accs[i]!, values[i]!, dtypeOf(i))
        : sum
          ? sum.add(accs[i]!, values[i]!, dtypeOf(i))
          : `${accs[i]} += ${values[i]};`,
    );
  const accDecl = () =>
    s.outputs.map((_, i) =>
      sum
        ? sum.declare(accs[i]!, dtypeOf(i))
        : d.declareVar(
            accs[i]!,
            dtypeOf(i),
            red!.fn === 'sum' ? d.literal(0, dtypeOf(i)) : d.literal(maxIdentity(dtypeOf(i)), dtypeOf(i)),
          ),
    );
  const accValues = () => accs.map((a, i) => (sum ? sum.value(a, dtypeOf(i)) : a));
  const lines = nestLoops(
    d,
    r,
    loopVars,
    extents,
    outer,
    -1,
    (l) => (l === L - 1 ? (red ? accumulate() : store(values)) : undefined),
    (l, body) => (red && l === nd - 1 ? [...accDecl(), ...body, ...store(accValues())] : body),
  );
  return { lines, scope, loopVars };
}

/** Loop order of a scatter: the conflict-free axis (if any) outermost. */
export function scatterOrder(s: ScatterStage): number[] {
  const order = s.domain.map((_, i) => i);
  if (s.parallelAxis !== undefined) {
    order.splice(s.parallelAxis, 1);
    order.unshift(s.parallelAxis);
  }
  return order;
}

/**
 * The loop nest of a scatter. With `into`, the points add into buffer `into.buf` at `into.offset` + the target's
 * flat index (a private copy of the target, ScatterStage.copies) instead of into the target; indices are still
 * checked against the target's shape.
 *
 * With `pairs` (the JS target asks for it), a scatter whose conflict-free axis is its outer loop over a range runs
 * that axis JAM values at a time (unroll-and-jam): each inner point adds for outer values i … i + JAM − 1, so the
 * loads that do not depend on the outer axis (index tables, weights) are done once for all of them; the last
 * (hi − lo) mod JAM values run one at a time after. The points write different target elements (the axis is
 * conflict-free), so every element gets the same additions in the same order as the plain loop: the same bits.
 * Only which bad index is reported first can differ when several are bad.
 */
/**
 * Outer values per pass of a jammed scatter: at the curvature matrix's segment sum (N = 256, S = 1000, one thread)
 * the stage took 0.65 s plain, 0.47 s by 2, 0.40 s by 4, 0.38 s by 8 (bench/RESULTS.md, C5).
 */
const JAM = 4;

export function renderScatterBody(
  s: ScatterStage,
  d: Dialect,
  outer: Outer,
  valueDtype: 'f64' | 'f32' | 'i32',
  into?: { readonly buf: string; readonly offset: string },
  own?: { readonly lo: string; readonly hi: string },
  pairs = false,
): Body {
  if (!pairs || s.parallelAxis === undefined || outer.kind !== 'range' || s.domain.length < 2 || into || own)
    return scatterNest(s, d, outer, valueDtype, into, own);
  const { lo, hi } = outer;
  const paired = scatterNest(s, d, outer, valueDtype, undefined, undefined, JAM);
  const v0 = paired.loopVars[0]!;
  const header = d.forLoop(v0, lo, hi);
  const at = paired.lines.indexOf(header);
  if (at < 0) throw new Error(`renderScatterBody: no outer loop header in ${s.name}`);
  const lines = [...paired.lines];
  lines[at] = `for (let ${v0} = ${lo}; ${v0} + ${JAM - 1} < ${hi}; ${v0} += ${JAM}) {`;
  // The odd last value (its own names: its bindings before the loop share the function scope).
  const last = scatterNest(
    s,
    d,
    { kind: 'range', lo: `${hi} - ((${hi} - ${lo}) % ${JAM})`, hi },
    valueDtype,
    undefined,
    undefined,
    1,
    'u',
  );
  for (const x of last.scope.sizesUsed) paired.scope.sizesUsed.add(x);
  for (const x of last.scope.scalarsUsed) paired.scope.scalarsUsed.add(x);
  for (const x of last.scope.buffersUsed) paired.scope.buffersUsed.add(x);
  for (const x of last.scope.freeVarsUsed) paired.scope.freeVarsUsed.add(x);
  return { lines: [...lines, ...last.lines], scope: paired.scope, loopVars: paired.loopVars };
}

/** The loop nest of a scatter (renderScatterBody); with `width` > 1 each inner point also adds for outer variable + 1 … + width − 1. */
function scatterNest(
  s: ScatterStage,
  d: Dialect,
  outer: Outer,
  valueDtype: 'f64' | 'f32' | 'i32',
  into?: { readonly buf: string; readonly offset: string },
  own?: { readonly lo: string; readonly hi: string },
  width = 1,
  prefix = 'v',
): Body {
  const order = scatterOrder(s);
  const loopVars = order.map((i) => s.domain[i]!.v);
  const scope = newScope(loopVars);
  const r = new ExprRenderer(d, scope, prefix);
  const extents = order.map((i) => r.sizeCode(s.domain[i]!.extent));
  const dims = s.targetShape.map((x) => r.sizeCode(x));
  const idx0 = r.render(s.indices[0]!);
  const m1 = d.literal(-1, 'i32'),
    z = d.literal(0, 'i32');
  if (own) {
    // Owner computes (ScatterStage.ownerSplit): where the leading index is known, a point whose row this task does
    // not own skips the loops below; a bad row is reported by every task (each sees all rows), never skipped.
    const level = r.levelOf(s.indices[0]!);
    r.bindings[level + 1]!.push(
      d.ifOpen(`!(${idx0} >= ${own.lo} && ${idx0} < ${own.hi})`),
      ...indent([
        d.ifOpen(`!(${idx0} == ${m1}) && (${idx0} < ${z} || ${idx0} >= ${dims[0]})`),
        ...indent([d.scatterRangeError([idx0], [dims[0]!])]),
        '}',
        'continue;',
      ]),
      '}',
    );
  }
  scope.buffersUsed.add(into ? into.buf : s.target);
  const writeOf = (indices: readonly string[], value: string): string[] => {
    let flat = '';
    indices.forEach((j, i) => (flat = i === 0 ? j : `(${flat}) * ${dims[i]} + ${j}`));
    const skip = indices.map((j) => `${j} == ${m1}`).join(' || ');
    const range = indices.map((j, i) => `${j} < ${z} || ${j} >= ${dims[i]}`).join(' || ');
    return [
      d.ifOpen(`!(${skip})`),
      ...indent([
        d.ifOpen(range),
        ...indent([d.scatterRangeError([...indices], dims)]),
        '}',
        into
          ? d.store(into.buf, `${into.offset} + ${flat}`, value, valueDtype, true)
          : d.store(s.target, flat, value, valueDtype, true),
      ]),
      '}',
    ];
  };
  const write = writeOf([idx0, ...s.indices.slice(1).map((e) => r.render(e))], r.render(s.value));
  for (let j = 1; j < width; j++) {
    // The point at outer variable + j, rendered beside the first: what does not depend on the outer variable
    // (index loads, weights) is bound once and shared by all.
    const v0 = loopVars[0]!;
    const next = (e: (typeof s.indices)[number]) =>
      substitute(e, (n) => (n === v0 ? iadd(varExpr(v0), iconst(j)) : undefined));
    write.push(
      ...writeOf(
        s.indices.map((e) => r.render(next(e))),
        r.render(next(s.value)),
      ),
    );
  }
  const L = loopVars.length;
  const lines = nestLoops(
    d,
    r,
    loopVars,
    extents,
    outer,
    -1,
    (l) => (l === L - 1 ? write : undefined),
    (_l, body) => body,
  );
  return { lines, scope, loopVars };
}

export { indent };

/** How a GPU target declares the variables of a row-major flattened domain from its flat id. */
export interface FlatIdSyntax {
  /** A domain of one variable: the id itself. */
  readonly whole: (v: string) => string;
  /** Declares the running remainder, initialised to the id. */
  readonly rest: string;
  /** Variable v = remainder mod extent, then remainder = remainder / extent. */
  readonly split: (v: string, extent: string) => string[];
  /** The outermost variable: what remains. */
  readonly last: (v: string) => string;
}

/** Domain variables (outermost first) from the flat invocation id, the last varying fastest. */
export function flatIdVars(vars: readonly string[], extents: readonly string[], syn: FlatIdSyntax): string[] {
  if (vars.length === 0) return [];
  if (vars.length === 1) return [syn.whole(vars[0]!)];
  const out = [syn.rest];
  for (let i = vars.length - 1; i > 0; i--) out.push(...syn.split(vars[i]!, extents[i]!));
  out.push(syn.last(vars[0]!));
  return out;
}
