// Readable text form of the loop IR (`lensc explain --loop-ir`, and after each loop pass with
// --after-each): buffers with role, dtype and shape; stages with their parallel domain, reduction
// axes and every stored expression. Expressions are DAGs: a non-trivial sub-expression used more
// than once in a stage (structurally equal counts as the same, as the renderers' hash-consing binds
// it once) is printed once as `let %N = …` and referred to by name.
import type { BinaryFn } from '../ir/graph.ts';
import { formatLoc } from '../ir/source.ts';
import type { Size } from '../ir/size.ts';
import type { Axis, BufferDecl, Expr, LoopProgram, Stage } from './ir.ts';
import { exprKey } from './expr_key.ts';
import { children } from './walk.ts';

const INFIX: Partial<Record<BinaryFn, [op: string, prec: number]>> = {
  or: ['||', 1],
  and: ['&&', 2],
  eq: ['==', 3],
  ne: ['!=', 3],
  lt: ['<', 3],
  le: ['<=', 3],
  gt: ['>', 3],
  ge: ['>=', 3],
  add: ['+', 4],
  sub: ['-', 4],
  mul: ['*', 5],
  div: ['/', 5],
  mod: ['%', 5],
};
const ATOM = 9;

/** A size formula: bare when it is one term, parenthesised otherwise. */
const size = (s: Size): string => {
  const t = s.toString();
  return /^[\w.]+$/.test(t) ? t : `(${t})`;
};
const axes = (as: readonly Axis[]): string => as.map((a) => `${a.v} < ${size(a.extent)}`).join(', ');

function constText(e: Extract<Expr, { k: 'const' }>): string {
  if (e.dtype === 'bool') return e.value ? 'true' : 'false';
  if (e.dtype === 'i32') return String(e.value);
  const t = Number.isInteger(e.value) ? `${e.value}.0` : String(e.value);
  return e.dtype === 'f32' ? `${t}f` : t;
}

/** Prints the expressions of one stage, naming shared sub-expressions. */
class ExprPrinter {
  private readonly names = new Map<string, string>();
  readonly lets: string[] = [];
  private readonly uses = new Map<string, number>();

  /** Counts uses (by structural key) over every root of the stage first, so sharing across outputs is seen. */
  constructor(roots: readonly Expr[]) {
    const seen = new Set<string>();
    const visit = (e: Expr): void => {
      const k = exprKey(e);
      this.uses.set(k, (this.uses.get(k) ?? 0) + 1);
      if (seen.has(k)) return;
      seen.add(k);
      for (const c of children(e)) visit(c);
    };
    for (const r of roots) visit(r);
  }

  print(e: Expr): string {
    return this.text(e)[0];
  }

  /** [text, precedence] */
  private text(e: Expr): [string, number] {
    const key = exprKey(e);
    const named = this.names.get(key);
    if (named) return [named, ATOM];
    const r = this.raw(e);
    // one operation on leaves (i0 * 2) prints as short as a name: not worth a binding
    const cs = children(e);
    if (cs.some((c) => children(c).length > 0) && e.k !== 'load' && (this.uses.get(key) ?? 0) > 1) {
      const name = `%${this.names.size}`;
      this.names.set(key, name);
      this.lets.push(`let ${name} = ${r[0]}`);
      return [name, ATOM];
    }
    return r;
  }

  private raw(e: Expr): [string, number] {
    switch (e.k) {
      case 'const':
        return [constText(e), e.value < 0 ? 0 : ATOM];
      case 'var':
        return [e.name, ATOM];
      case 'size':
        return [size(e.size), ATOM];
      case 'scalar':
        return [`$${e.name}`, ATOM];
      case 'load':
        return [`${e.buf}[${this.print(e.index)}]`, ATOM];
      case 'unary':
        return e.fn === 'neg'
          ? [`-${this.operand(e.a, ATOM)}`, 6]
          : e.fn === 'not'
            ? [`!${this.operand(e.a, ATOM)}`, 6]
            : [`${e.fn}(${this.print(e.a)})`, ATOM];
      case 'cast':
        return [`${e.to}(${this.print(e.a)})`, ATOM];
      case 'select':
        return [`select(${this.print(e.c)}, ${this.print(e.a)}, ${this.print(e.b)})`, ATOM];
      case 'binary': {
        const inf = INFIX[e.fn];
        if (!inf) return [`${e.fn}(${this.print(e.a)}, ${this.print(e.b)})`, ATOM];
        const [op, prec] = inf;
        // integer division floors on every backend (Python semantics), so it prints as Python's //
        const sym = e.dtype === 'i32' && e.fn === 'div' ? '//' : op;
        // left-associative: the right operand needs parentheses at equal precedence
        return [`${this.operand(e.a, prec)} ${sym} ${this.operand(e.b, prec + 1)}`, prec];
      }
    }
  }

  private operand(e: Expr, min: number): string {
    const [t, p] = this.text(e);
    return p >= min ? t : `(${t})`;
  }
}

function bufferLine(b: BufferDecl): string {
  const shape = `(${b.shape.map((d) => d.toString()).join(', ')})`;
  return `  ${b.role.padEnd(6)} ${b.name}: ${b.dtype}${shape}${b.chunkedBy ? `  (one chunk of ${b.chunkedBy})` : ''}`;
}

export interface PrintOptions {
  /** source positions of stages (default true) */ readonly locations?: boolean;
}

function stageLines(s: Stage, ind: string, opts: PrintOptions): string[] {
  const at = (x: Stage): string => (opts.locations !== false && 'loc' in x && x.loc ? `   @ ${formatLoc(x.loc)}` : '');
  const body = ind + '    ';
  switch (s.kind) {
    case 'map': {
      const pr = new ExprPrinter(s.outputs.flatMap((o) => [o.index, o.value]));
      const stores = s.outputs.map(
        (o) => `${body}${o.buf}[${pr.print(o.index)}] ${o.accumulate ? '+=' : '='} ${pr.print(o.value)}`,
      );
      const head = `${ind}${s.name}: map parallel (${axes(s.domain)})${s.reduce ? ` ${s.reduce.fn} over (${axes(s.reduce.axes)})` : ''}${at(s)}`;
      return [head, ...pr.lets.map((l) => body + l), ...stores];
    }
    case 'scatter': {
      const pr = new ExprPrinter([...s.indices, s.value]);
      const idx = s.indices.map((i) => pr.print(i)).join(', ');
      const par =
        s.parallelAxis !== undefined
          ? `parallel over ${s.domain[s.parallelAxis]!.v}`
          : s.ownerSplit
            ? `parallel over owners of the leading index (each task runs the domain, adds its own rows)`
            : s.copies
              ? `parallel over ${s.copies.count} shares of ${s.domain[0]!.v} into copies ${s.copies.buf} (sequential when ${s.copies.count} = 0)`
              : 'sequential';
      const value = pr.print(s.value);
      return [
        `${ind}${s.name}: scatter over (${axes(s.domain)}) ${par}${at(s)}`,
        ...pr.lets.map((l) => body + l),
        `${body}${s.target}[${idx}] += ${value}   (index −1 skips)`,
      ];
    }
    case 'gemm': {
      const op = s.symmetric ? 'syrk' : 'gemm';
      return [
        `${ind}${s.name}: ${op} ${s.c} ${s.accumulate ? '+=' : '='} ${s.a}${s.transA ? 'ᵀ' : ''} · ${s.b}${s.transB ? 'ᵀ' : ''}  m=${size(s.m)} n=${size(s.n)} k=${size(s.k)} lda=${size(s.lda)} ldb=${size(s.ldb)} ldc=${size(s.ldc)}${at(s)}`,
      ];
    }
    case 'cholesky':
      return [`${ind}${s.name}: cholesky ${s.out} = chol(${s.a})  n=${size(s.n)}${at(s)}`];
    case 'triSolve':
      return [
        `${ind}${s.name}: trisolve ${s.out} = ${s.l}${s.transpose ? 'ᵀ' : ''}⁻¹ · ${s.b}  n=${size(s.n)} cols=${size(s.cols)}${at(s)}`,
      ];
    case 'fft':
      return [
        `${ind}${s.name}: ${s.inverse ? 'ifft2' : 'fft2'} ${s.dst} = ${s.inverse ? 'ifft2' : 'fft2'}(${s.src})  batch=${size(s.batch)} ny=${size(s.ny)} nx=${size(s.nx)}${at(s)}`,
      ];
    case 'fftconv':
      return [
        `${ind}${s.name}: fftconv ${s.dst} = fftconv2(${s.src}, ${s.kernel})  batch=${size(s.batch)} ny=${size(s.ny)} nx=${size(s.nx)} py=${size(s.py)} px=${size(s.px)}${at(s)}`,
      ];
    case 'fill':
      return [`${ind}${s.name}: fill ${s.buf} = ${s.value}`];
    case 'chunk':
      return [
        `${ind}${s.name}: chunk ${s.symbol} in pieces of ${s.chunkSymbol}, offset ${s.offset} {`,
        ...s.body.flatMap((b) => stageLines(b, ind + '  ', opts)),
        `${ind}}`,
      ];
    case 'scan': {
      const order = s.reverse ? `${s.step} = ${size(s.length)}−1 … 0` : `${s.step} = 0 … ${size(s.length)}−1`;
      return [
        `${ind}${s.name}: scan sequential ${order}, carries ${s.carries.join(', ') || 'none'} {${at(s)}`,
        ...s.body.flatMap((b) => stageLines(b, ind + '  ', opts)),
        `${ind}}`,
      ];
    }
  }
}

export function printLoopProgram(p: LoopProgram, opts: PrintOptions = {}): string {
  const inputs = p.inputs.map((i) =>
    i.kind === 'array'
      ? i.name === i.buf
        ? i.name
        : `${i.name} → ${i.buf}`
      : i.kind === 'scalar'
        ? `${i.name}: ${i.dtype} scalar`
        : `${i.name}: sizes(${(i.sizes ?? []).join(', ')})`,
  );
  const lines = [
    `loop program ${p.name}(${inputs.join(', ')})`,
    'buffers:',
    ...p.buffers.map(bufferLine),
    'stages:',
    ...p.stages.flatMap((s) => stageLines(s, '  ', opts)),
    `outputs: ${p.outputs.map((o) => (o.name === o.buf ? o.name : `${o.name} = ${o.buf}`)).join(', ')}`,
  ];
  if (p.chunks.length)
    lines.push(
      ...p.chunks.map((c) => `chunk plan: ${c.symbol} in pieces of ${c.chunkSymbol}, ${c.bytesPerUnit} bytes per unit`),
    );
  if (p.notes.length) lines.push('notes:', ...p.notes.map((n) => `  ${n}`));
  return lines.join('\n');
}
