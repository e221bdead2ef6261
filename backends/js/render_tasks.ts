// Renders the parallel stages of a loop program (map and scatter) to task functions that the JS
// runtime runs on its worker pool, each over a contiguous range [lo, hi) of the stage's first
// (or conflict-free) axis. Every output element is computed by exactly one task, in a fixed
// reduction order, so results do not depend on the number of threads.
import type { BufferDecl, MapStage, ScatterStage } from '../../compiler/loop/ir.ts';
import { ExprRenderer, literal, storeValue } from './render_expr.ts';

const VIEW: Record<string, string> = { f64: 'f64', f32: 'f32', i32: 'i32', bool: 'i32' };

function prologue(r: ExprRenderer, sizes: Set<string>, scalars: Set<string>, bufs: Set<string>, decls: Map<string, BufferDecl>, extraVars: readonly string[]): string[] {
  return [
    ...[...sizes].sort().map((s) => `const ${s} = a.s.${s};`),
    ...extraVars.map((v) => `const ${v} = a.s.${v};`),
    ...[...scalars].sort().map((s) => `const p_${s} = a.p.${s};`),
    ...[...bufs].sort().map((b) => `const b_${b} = ctx.${VIEW[decls.get(b)!.dtype]}(a.b.${b});`),
  ];
}

function indent(lines: string[], n: number): string[] { return lines.map((l) => '  '.repeat(n) + l); }

/** Variables that are not loop variables but appear in expressions (chunk offsets). */
function freeVars(names: Iterable<string>, loopVars: readonly string[]): string[] {
  return [...new Set([...names].filter((n) => !loopVars.includes(n)))].sort();
}

export function renderMapTask(s: MapStage, decls: Map<string, BufferDecl>): string {
  const domainVars = s.domain.map((a) => a.v);
  const redVars = s.reduce?.axes.map((a) => a.v) ?? [];
  const loopVars = [...domainVars, ...redVars];
  const sizes = new Set<string>(), scalars = new Set<string>(), bufs = new Set<string>();
  const r = new ExprRenderer({ loopVars, bufName: (b) => { bufs.add(b); return `b_${b}`; }, sizesUsed: sizes, scalarsUsed: scalars });
  const extents = [...s.domain, ...(s.reduce?.axes ?? [])].map((a) => r.render({ k: 'size', size: a.extent }));
  const values = s.outputs.map((o) => r.render(o.value));
  const indices = s.outputs.map((o) => r.render(o.index));
  for (const o of s.outputs) bufs.add(o.buf);
  const allVars = new Set<string>();
  const collect = (code: string) => { for (const m of code.matchAll(/\boff_\w+/g)) allVars.add(m[0]); };
  r.bindings.flat().forEach(collect); values.forEach(collect); indices.forEach(collect);

  const nd = domainVars.length, L = loopVars.length;
  const red = s.reduce;
  const accs = s.outputs.map((_, i) => `acc${i}`);
  const store = (vals: string[]) => s.outputs.map((o, i) => `b_${o.buf}[${indices[i]}] ${o.accumulate ? '+=' : '='} ${storeValue(vals[i]!, decls.get(o.buf)!.dtype)};`);
  const accumulate = () => s.outputs.map((_, i) => (red!.fn === 'sum' ? `${accs[i]} += ${values[i]};` : `if (!(${accs[i]} >= ${values[i]})) ${accs[i]} = ${values[i]};`));
  const accDecl = () => s.outputs.map((_, i) => `let ${accs[i]} = ${red!.fn === 'sum' ? '0' : '-Infinity'};`);
  // Loop level l's body: its bindings, then (at the last domain level) the accumulator, the deeper loops, the store.
  const levelBody = (l: number): string[] => {
    // l = −1: before every loop; l = L − 1: innermost.
    const lines = [...r.bindings[l + 1]!];
    if (l === L - 1) return [...lines, ...(red ? accumulate() : store(values))];
    const deeper = nest(l + 1);
    if (red && l === nd - 1) return [...lines, ...accDecl(), ...deeper, ...store(accs)];
    return [...lines, ...deeper];
  };
  const nest = (l: number): string[] => {
    const [from, to] = l === 0 && nd > 0 ? ['lo', 'hi'] : ['0', extents[l]!];
    return [`for (let ${loopVars[l]} = ${from}; ${loopVars[l]} < ${to}; ${loopVars[l]}++) {`, ...indent(levelBody(l), 1), '}'];
  };
  // With no domain the whole stage is one task (lo = 0).
  const code = nd === 0 ? ['if (lo > 0) return;', ...levelBody(-1)] : levelBody(-1);
  const body = [...prologue(r, sizes, scalars, bufs, decls, freeVars(allVars, loopVars)), ...code];
  return `${s.name}(ctx, a, lo, hi) {\n${indent(body, 2).join('\n')}\n  }`;
}

export function renderScatterTask(s: ScatterStage, decls: Map<string, BufferDecl>, kernel: string): string {
  // The conflict-free axis (if any) is split across tasks: move it outermost.
  const order = s.domain.map((_, i) => i);
  if (s.parallelAxis !== undefined) { order.splice(s.parallelAxis, 1); order.unshift(s.parallelAxis); }
  const loopVars = order.map((i) => s.domain[i]!.v);
  const sizes = new Set<string>(), scalars = new Set<string>(), bufs = new Set<string>([s.target]);
  const r = new ExprRenderer({ loopVars, bufName: (b) => { bufs.add(b); return `b_${b}`; }, sizesUsed: sizes, scalarsUsed: scalars });
  const extents = order.map((i) => r.render({ k: 'size', size: s.domain[i]!.extent }));
  const dims = s.targetShape.map((d) => r.render({ k: 'size', size: d }));
  const idx = s.indices.map((e) => r.render(e));
  const value = r.render(s.value);
  const allVars = new Set<string>();
  const collect = (code: string) => { for (const m of code.matchAll(/\boff_\w+/g)) allVars.add(m[0]); };
  r.bindings.flat().forEach(collect); collect(value); idx.forEach(collect);
  let flat = '0';
  idx.forEach((j, i) => (flat = i === 0 ? j : `(${flat}) * ${dims[i]} + ${j}`));
  const skip = idx.map((j) => `${j} === -1`).join(' || ');
  const range = idx.map((j, i) => `${j} < 0 || ${j} >= ${dims[i]}`).join(' || ');
  let code: string[] = [
    ...r.bindings[loopVars.length]!,
    `if (!(${skip})) {`,
    `  if (${range}) throw new RangeError(\`${kernel}: scatterAdd index (\${[${idx.join(', ')}].join(', ')}) is outside the target shape (\${[${dims.join(', ')}].join(', ')})\`);`,
    `  b_${s.target}[${flat}] += ${value};`,
    '}',
  ];
  for (let l = loopVars.length - 1; l >= 0; l--) {
    const parallel = l === 0 && s.parallelAxis !== undefined;
    const [from, to] = parallel ? ['lo', 'hi'] : ['0', extents[l]];
    code = [`for (let ${loopVars[l]} = ${from}; ${loopVars[l]} < ${to}; ${loopVars[l]}++) {`, ...indent(code, 1), '}'];
    if (l > 0) code = [...r.bindings[l]!, ...code];
  }
  if (s.parallelAxis === undefined) code = ['if (lo > 0) return;', ...code];
  const body = [...prologue(r, sizes, scalars, bufs, decls, freeVars(allVars, loopVars)), ...r.bindings[0]!, ...code];
  return `${s.name}(ctx, a, lo, hi) {\n${indent(body, 2).join('\n')}\n  }`;
}

export { literal };
