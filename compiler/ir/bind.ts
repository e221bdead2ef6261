// Binding size symbols from a kernel's inputs: array lengths, `sizes(...)` parameters, and checks
// that every input has the length and dtype its declaration demands (errors name the parameter).
import type { DType, Graph } from './graph.ts';
import { Size, numel, shapeToString, type SizeEnv } from './size.ts';

export type InputValue = Float64Array | Float32Array | Int32Array | number | readonly number[];

const ARRAY_TYPES: Record<DType, string> = { f64: 'Float64Array', f32: 'Float32Array', i32: 'Int32Array', bool: 'Int32Array' };

function typedName(v: unknown): string {
  if (Array.isArray(v)) return 'Array';
  if (ArrayBuffer.isView(v)) return v.constructor.name;
  return typeof v;
}

/** Solve each array's length = Π shape for one unknown symbol at a time until nothing changes. */
export function bindSizes(g: Graph, inputs: Readonly<Record<string, unknown>>): Record<string, number> {
  const env: Record<string, number> = {};
  for (const p of g.params) {
    const v = inputs[p.name];
    if (v === undefined) throw new Error(`${g.name}: missing input '${p.name}'`);
    if (p.kind.kind === 'sizes') {
      const vals = typeof v === 'number' ? [v] : Array.isArray(v) || ArrayBuffer.isView(v) ? Array.from(v as ArrayLike<number>) : null;
      if (!vals || vals.length !== p.kind.names.length || vals.some((x) => !Number.isInteger(x) || x < 0)) {
        throw new Error(`${g.name}: input '${p.name}' must be ${p.kind.names.length === 1 ? 'a non-negative integer' : `${p.kind.names.length} non-negative integers`} (${p.kind.names.join(', ')}), got ${String(v)}`);
      }
      p.kind.names.forEach((n, i) => (env[n] = vals[i]!));
    } else if (p.kind.kind === 'scalar') {
      if (typeof v !== 'number') throw new Error(`${g.name}: input '${p.name}' must be a number (${p.kind.dtype}), got ${typedName(v)}`);
    } else {
      const want = ARRAY_TYPES[p.kind.dtype];
      const ok = Array.isArray(v) || (ArrayBuffer.isView(v) && v.constructor.name === want);
      if (!ok) throw new Error(`${g.name}: input '${p.name}' must be a ${want} of shape ${shapeToString(p.kind.shape)}, got ${typedName(v)}`);
    }
  }
  const arrays = g.params.flatMap((p) => (p.kind.kind === 'array' ? [{ name: p.name, len: (inputs[p.name] as ArrayLike<number>).length, total: numel(p.kind.shape), shape: p.kind.shape }] : []));
  for (let changed = true; changed;) {
    changed = false;
    for (const a of arrays) {
      const unknown = a.total.symbols().filter((s) => env[s] === undefined);
      if (unknown.length !== 1) continue;
      const s = unknown[0]!;
      // Substitute the known symbols; what remains must be c·s^p for us to solve it.
      let coef = 1, power = 0, solvable = a.total.terms.size === 1;
      for (const [k, c] of a.total.terms) {
        coef = c;
        for (const f of k.split('*')) if (f === s) power++; else if (f) coef *= env[f]!;
      }
      if (!solvable || power === 0 || coef <= 0) continue;
      const root = Math.round(Math.pow(a.len / coef, 1 / power));
      if (coef * Math.pow(root, power) !== a.len) {
        throw new Error(`${g.name}: input '${a.name}' has length ${a.len}, which does not fit shape ${shapeToString(a.shape)}`);
      }
      env[s] = root;
      changed = true;
    }
  }
  for (const a of arrays) {
    const missing = a.total.symbols().filter((s) => env[s] === undefined);
    if (missing.length) throw new Error(`${g.name}: cannot determine size${missing.length > 1 ? 's' : ''} ${missing.join(', ')} from input '${a.name}' of shape ${shapeToString(a.shape)}`);
    const want = a.total.eval(env);
    if (want !== a.len) {
      const dims = a.shape.map((d) => d.eval(env)).join('×');
      throw new Error(`${g.name}: input '${a.name}' must have length ${want} (shape ${shapeToString(a.shape)} = ${dims} with ${Object.entries(env).map(([k, v]) => `${k}=${v}`).join(', ')}), got ${a.len}`);
    }
  }
  return env;
}

export function evalSize(s: Size, env: SizeEnv): number { return s.eval(env); }
