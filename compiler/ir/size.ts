// Symbolic sizes: integer polynomials over size names (M, K, Ny, ...).
// Shapes are lists of these; the memory planner turns them into byte formulas.
// Canonical form (sorted monomials, no zero terms) makes equality a string compare.

export type SizeEnv = Readonly<Record<string, number>>;

/** A monomial key is the sorted list of its symbols joined by '*' ('' for the constant term). */
export class Size {
  private constructor(readonly terms: ReadonlyMap<string, number>) {}

  static const(n: number): Size {
    if (!Number.isInteger(n)) throw new Error(`size must be an integer, got ${n}`);
    return new Size(n === 0 ? new Map() : new Map([['', n]]));
  }
  static sym(name: string): Size {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`invalid size name '${name}'`);
    return new Size(new Map([[name, 1]]));
  }
  static of(s: SizeLike): Size {
    if (s instanceof Size) return s;
    if (typeof s === 'number') return Size.const(s);
    return Size.parse(s);
  }
  /** Parses 'M', '2*K', 'Ny*Nx', '2*Ny', 'K-1', '4' (sums of products). */
  static parse(text: string): Size {
    const t = text.replace(/\s+/g, '');
    if (t === '') throw new Error('empty size expression');
    let acc = Size.const(0);
    for (const m of t.match(/[+-]?[^+-]+/g) ?? []) {
      const neg = m.startsWith('-');
      let prod = Size.const(neg ? -1 : 1);
      for (const f of m.replace(/^[+-]/, '').split('*')) {
        prod = prod.mul(/^\d+$/.test(f) ? Size.const(Number(f)) : Size.sym(f));
      }
      acc = acc.add(prod);
    }
    return acc;
  }

  add(o: SizeLike): Size {
    const r = new Map(this.terms);
    for (const [k, c] of Size.of(o).terms) {
      const v = (r.get(k) ?? 0) + c;
      if (v === 0) r.delete(k);
      else r.set(k, v);
    }
    return new Size(r);
  }
  sub(o: SizeLike): Size {
    return this.add(Size.of(o).mul(-1));
  }
  mul(o: SizeLike): Size {
    const r = new Map<string, number>();
    for (const [ka, ca] of this.terms) {
      for (const [kb, cb] of Size.of(o).terms) {
        const k = [...ka.split('*'), ...kb.split('*')]
          .filter((x) => x !== '')
          .sort()
          .join('*');
        const v = (r.get(k) ?? 0) + ca * cb;
        if (v === 0) r.delete(k);
        else r.set(k, v);
      }
    }
    return new Size(r);
  }

  isConst(): boolean {
    return [...this.terms.keys()].every((k) => k === '');
  }
  constValue(): number | undefined {
    return this.isConst() ? (this.terms.get('') ?? 0) : undefined;
  }
  /** The single symbol this size is, if it is exactly one symbol. */
  symbolName(): string | undefined {
    if (this.terms.size !== 1) return undefined;
    const [[k, c]] = [...this.terms];
    return c === 1 && k !== '' && !k.includes('*') ? k : undefined;
  }
  symbols(): string[] {
    const s = new Set<string>();
    for (const k of this.terms.keys()) for (const f of k.split('*')) if (f) s.add(f);
    return [...s].sort();
  }
  equals(o: SizeLike): boolean {
    return this.toString() === Size.of(o).toString();
  }

  eval(env: SizeEnv): number {
    let v = 0;
    for (const [k, c] of this.terms) {
      let p = c;
      for (const f of k.split('*')) {
        if (!f) continue;
        const x = env[f];
        if (x === undefined) throw new Error(`size '${f}' is not bound`);
        p *= x;
      }
      v += p;
    }
    return v;
  }

  toString(): string {
    if (this.terms.size === 0) return '0';
    const keys = [...this.terms.keys()].sort((a, b) => (a === '' ? 1 : b === '' ? -1 : a < b ? -1 : a > b ? 1 : 0));
    let out = '';
    for (const k of keys) {
      const c = this.terms.get(k)!;
      const mag = Math.abs(c);
      const body = k === '' ? String(mag) : mag === 1 ? k : `${mag}*${k}`;
      out += out === '' ? (c < 0 ? `-${body}` : body) : c < 0 ? ` - ${body}` : ` + ${body}`;
    }
    return out;
  }
  /** Polynomial as JSON terms [[coef, sym, …], …] for run-time evaluation (backends/common/plan.js). */
  toTerms(): Array<Array<number | string>> {
    return [...this.terms].map(([k, c]) => [c, ...k.split('*').filter(Boolean)]);
  }
  /** A JS expression evaluating this size from an object `s` of bound sizes. */
  toJs(envName = 's'): string {
    if (this.terms.size === 0) return '0';
    const sym = (f: string) => (envName ? `${envName}.${f}` : f);
    return [...this.terms]
      .map(([k, c]) => {
        const fs = k.split('*').filter(Boolean).map(sym);
        return fs.length === 0 ? String(c) : c === 1 ? fs.join('*') : [String(c), ...fs].join('*');
      })
      .join(' + ')
      .replace(/\+ -/g, '- ');
  }
}

export type SizeLike = Size | number | string;
export type Shape = readonly Size[];

export function shapeOf(dims: readonly SizeLike[]): Size[] {
  return dims.map(Size.of);
}
export function shapeToString(s: Shape): string {
  return `(${s.map((d) => d.toString()).join(', ')})`;
}
export function shapesEqual(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d.equals(b[i]!));
}
export function numel(s: Shape): Size {
  return s.reduce((p, d) => p.mul(d), Size.const(1));
}
export function evalShape(s: Shape, env: SizeEnv): number[] {
  return s.map((d) => d.eval(env));
}
