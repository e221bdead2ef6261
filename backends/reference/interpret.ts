// The reference interpreter: executes the graph IR in float64 with plain loops, materialising every
// value. It is the oracle for every backend, so it is written to be obviously right, not fast.
import type { Graph, Node, UnaryFn } from '../../compiler/ir/graph.ts';
import { UNARY_F64 } from '../common/math.js';
import { bindSizes, paramInfo } from '../../compiler/ir/bind.ts';
import { normalizeInputs } from '../common/inputs.js';
import { shapeToString, type SizeEnv } from '../../compiler/ir/size.ts';
import { dft2 } from './dft.ts';
import { circularConv2 } from './circular_conv.ts';

/** A materialised value: row-major data (always f64 here, whatever the dtype) and concrete shape. */
export interface Value {
  readonly data: Float64Array;
  readonly shape: readonly number[];
}

const count = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);
const stridesOf = (shape: readonly number[]): number[] => {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i]!;
  }
  return s;
};
/** Calls f(flatIndex, multiIndex) for every element of shape, row-major. */
function forEachIndex(shape: readonly number[], f: (flat: number, idx: number[]) => void): void {
  const n = count(shape);
  const idx = new Array<number>(shape.length).fill(0);
  for (let flat = 0; flat < n; flat++) {
    f(flat, idx);
    for (let ax = shape.length - 1; ax >= 0; ax--) {
      if (++idx[ax]! < shape[ax]!) break;
      idx[ax] = 0;
    }
  }
}

const floorMod = (a: number, b: number): number => a - Math.floor(a / b) * b;

function unary(fn: UnaryFn, x: number): number {
  const f = UNARY_F64[fn];
  if (!f) throw new Error(`reference: unknown unary ${fn}`);
  return f(x);
}

function binary(fn: string, a: number, b: number, isInt: boolean): number {
  switch (fn) {
    case 'add':
      return a + b;
    case 'sub':
      return a - b;
    case 'mul':
      return a * b;
    case 'div':
      if (isInt) {
        if (b === 0) throw new Error('reference: integer division by zero');
        return Math.floor(a / b);
      }
      return a / b;
    case 'mod':
      if (isInt && b === 0) throw new Error('reference: integer modulo by zero');
      return floorMod(a, b);
    case 'pow':
      return Math.pow(a, b);
    case 'atan2':
      return Math.atan2(a, b);
    case 'hypot':
      return Math.hypot(a, b);
    case 'min':
      return Math.min(a, b);
    case 'max':
      return Math.max(a, b);
    case 'lt':
      return a < b ? 1 : 0;
    case 'le':
      return a <= b ? 1 : 0;
    case 'gt':
      return a > b ? 1 : 0;
    case 'ge':
      return a >= b ? 1 : 0;
    case 'eq':
      return a === b ? 1 : 0;
    case 'ne':
      return a !== b ? 1 : 0;
    case 'and':
      return a && b ? 1 : 0;
    case 'or':
      return a || b ? 1 : 0;
  }
  throw new Error(`reference: unknown binary ${fn}`);
}

/** Evaluates one node given the values of its inputs. */
function evalNode(n: Node, args: Value[], sizes: SizeEnv, env: Map<Node, Value>): Value {
  const shape = n.shape.map((d) => d.eval(sizes));
  const out = (data: Float64Array): Value => ({ data, shape });
  const op = n.op;
  switch (op.kind) {
    case 'const':
      return out(Float64Array.of(op.value));
    case 'size':
      return out(Float64Array.of(sizes[op.name]!));
    case 'iota': {
      const d = new Float64Array(count(shape));
      forEachIndex(shape, (f, idx) => (d[f] = idx[op.axis]!));
      return out(d);
    }
    case 'unary':
      return out(args[0]!.data.map((x) => unary(op.fn, x)));
    case 'binary': {
      const [a, b] = args as [Value, Value];
      const isInt = n.inputs[0]!.dtype === 'i32';
      const d = new Float64Array(a.data.length);
      for (let i = 0; i < d.length; i++) d[i] = binary(op.fn, a.data[i]!, b.data[i]!, isInt);
      return out(d);
    }
    case 'where': {
      const [c, a, b] = args as [Value, Value, Value];
      return out(c.data.map((x, i) => (x ? a.data[i]! : b.data[i]!)));
    }
    case 'cast': {
      const src = args[0]!.data;
      if (n.dtype === 'i32') return out(src.map((x) => Math.trunc(x)));
      if (n.dtype === 'bool') return out(src.map((x) => (x ? 1 : 0)));
      if (n.dtype === 'f32') return out(src.map((x) => Math.fround(x)));
      return out(Float64Array.from(src));
    }
    case 'broadcast': {
      const a = args[0]!;
      const st = stridesOf(a.shape);
      const d = new Float64Array(count(shape));
      forEachIndex(shape, (f, idx) => {
        let k = 0;
        op.axes.forEach((o, i) => {
          if (a.shape[i] !== 1) k += idx[o]! * st[i]!;
        });
        d[f] = a.data[k]!;
      });
      return out(d);
    }
    case 'reduce': {
      const a = args[0]!;
      const d = new Float64Array(count(shape)).fill(op.fn === 'sum' ? 0 : -Infinity);
      const keep = a.shape.map((_, i) => !op.axes.includes(i));
      const ost = stridesOf(shape);
      forEachIndex(a.shape, (f, idx) => {
        let k = 0,
          j = 0;
        idx.forEach((v, i) => {
          if (keep[i]) k += v * ost[j++]!;
        });
        d[k] = op.fn === 'sum' ? d[k]! + a.data[f]! : Math.max(d[k]!, a.data[f]!);
      });
      return out(d);
    }
    case 'matmul': {
      const [a, b] = args as [Value, Value];
      const [m, k] = op.transA ? [a.shape[1]!, a.shape[0]!] : [a.shape[0]!, a.shape[1]!];
      const vec = b.shape.length === 1;
      const nn = vec ? 1 : op.transB ? b.shape[0]! : b.shape[1]!;
      const A = (i: number, p: number) => (op.transA ? a.data[p * m + i]! : a.data[i * k + p]!);
      const B = (p: number, j: number) => (vec ? b.data[p]! : op.transB ? b.data[j * k + p]! : b.data[p * nn + j]!);
      const d = new Float64Array(m * nn);
      for (let i = 0; i < m; i++)
        for (let j = 0; j < nn; j++) {
          let s = 0;
          for (let p = 0; p < k; p++) s += A(i, p) * B(p, j);
          d[i * nn + j] = s;
        }
      return out(d);
    }
    case 'reshape':
      return out(args[0]!.data);
    case 'transpose': {
      const a = args[0]!;
      const st = stridesOf(a.shape);
      const d = new Float64Array(count(shape));
      forEachIndex(shape, (f, idx) => {
        let k = 0;
        op.perm.forEach((p, i) => (k += idx[i]! * st[p]!));
        d[f] = a.data[k]!;
      });
      return out(d);
    }
    case 'slice': {
      const a = args[0]!;
      const st = stridesOf(a.shape);
      const starts = op.starts.map((s) => s.eval(sizes));
      starts.forEach((s, i) => {
        if (s < 0 || s + shape[i]! > a.shape[i]!)
          throw new Error(`reference: slice [${s}, ${s + shape[i]!}) outside axis ${i} of size ${a.shape[i]}`);
      });
      const d = new Float64Array(count(shape));
      forEachIndex(shape, (f, idx) => {
        let k = 0;
        idx.forEach((v, i) => (k += (v + starts[i]!) * st[i]!));
        d[f] = a.data[k]!;
      });
      return out(d);
    }
    case 'concat': {
      const d = new Float64Array(count(shape));
      const st = stridesOf(shape);
      let offset = 0;
      for (const a of args) {
        forEachIndex(a.shape, (f, idx) => {
          let k = 0;
          idx.forEach((v, i) => (k += (i === op.axis ? v + offset : v) * st[i]!));
          d[k] = a.data[f]!;
        });
        offset += a.shape[op.axis]!;
      }
      return out(d);
    }
    case 'gather': {
      const [x, ...idx] = args as [Value, ...Value[]];
      const st = stridesOf(x.shape);
      const d = new Float64Array(count(shape));
      for (let f = 0; f < d.length; f++) {
        let k = 0;
        idx.forEach((ix, ax) => {
          const v = ix.data[f]!;
          if (v < 0 || v >= x.shape[ax]!)
            throw new Error(`reference: gather index ${v} outside axis ${ax} of size ${x.shape[ax]}`);
          k += v * st[ax]!;
        });
        d[f] = x.data[k]!;
      }
      return out(d);
    }
    case 'scatterAdd': {
      const [v, ...idx] = args as [Value, ...Value[]];
      const st = stridesOf(shape);
      const d = new Float64Array(count(shape));
      outer: for (let f = 0; f < v.data.length; f++) {
        let k = 0;
        for (let ax = 0; ax < idx.length; ax++) {
          const i = idx[ax]!.data[f]!;
          if (i === -1) continue outer;
          if (i < 0 || i >= shape[ax]!)
            throw new Error(`reference: scatterAdd index ${i} outside axis ${ax} of size ${shape[ax]}`);
          k += i * st[ax]!;
        }
        d[k] = d[k]! + v.data[f]!;
      }
      return out(d);
    }
    case 'cholesky':
      return out(cholesky(args[0]!));
    case 'triSolve':
      return out(triSolve(args[0]!, args[1]!, op.transpose));
    case 'fft':
      return out(dft2(args[0]!, op.inverse));
    case 'fftconv':
      return out(circularConv2(args[0]!, args[1]!));
    case 'scan':
      return runScan(n, args, sizes, env);
    case 'result':
      return (env.get(n.inputs[0]!) as unknown as { results: Value[] }).results[op.index]!;
    case 'param':
      throw new Error(`reference: unbound parameter ${op.name}`);
  }
}

export function cholesky(a: Value): Float64Array {
  const n = a.shape[0]!;
  const L = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let s = a.data[j * n + j]!;
    for (let p = 0; p < j; p++) s -= L[j * n + p]! * L[j * n + p]!;
    if (!(s > 0)) throw new Error(`cholesky: matrix is not positive definite (pivot ${j} is ${s})`);
    const d = Math.sqrt(s);
    L[j * n + j] = d;
    for (let i = j + 1; i < n; i++) {
      let t = a.data[i * n + j]!;
      for (let p = 0; p < j; p++) t -= L[i * n + p]! * L[j * n + p]!;
      L[i * n + j] = t / d;
    }
  }
  return L;
}

function triSolve(l: Value, b: Value, transpose: boolean): Float64Array {
  const n = l.shape[0]!;
  const cols = b.shape.length === 1 ? 1 : b.shape[1]!;
  const x = Float64Array.from(b.data);
  const L = (i: number, j: number) => (transpose ? l.data[j * n + i]! : l.data[i * n + j]!);
  for (let c = 0; c < cols; c++) {
    const order = transpose ? [...Array(n).keys()].reverse() : [...Array(n).keys()];
    for (const i of order) {
      let s = x[i * cols + c]!;
      for (const j of order) {
        if (j === i) break;
        s -= L(i, j) * x[j * cols + c]!;
      }
      x[i * cols + c] = s / L(i, i);
    }
  }
  return x;
}

function runScan(n: Node, args: Value[], sizes: SizeEnv, env: Map<Node, Value>): Value {
  if (n.op.kind !== 'scan') throw new Error('unreachable');
  const { body, nCarry, reverse } = n.op;
  let carry = args.slice(0, nCarry);
  const xs = args.slice(nCarry);
  const steps = n.op.length.eval(sizes);
  const ys: Float64Array[] = [];
  const yShapes: number[][] = [];
  for (let s = 0; s < steps; s++) {
    const t = reverse ? steps - 1 - s : s;
    const local = new Map(env);
    body.params.forEach((p, i) => {
      if (i < nCarry) local.set(p.node!, carry[i]!);
      else {
        const x = xs[i - nCarry]!;
        const inner = x.shape.slice(1);
        const c = count(inner);
        local.set(p.node!, { data: x.data.slice(t * c, (t + 1) * c), shape: inner });
      }
    });
    const outs = body.outputs.map((o) => evaluate(o.node, sizes, local));
    carry = outs.slice(0, nCarry);
    outs.slice(nCarry).forEach((y, i) => {
      if (!ys[i]) {
        ys[i] = new Float64Array(steps * y.data.length);
        yShapes[i] = [steps, ...y.shape];
      }
      ys[i]!.set(y.data, t * y.data.length);
    });
  }
  // With no steps the body never ran: the ys are empty, of the shapes the scan declares.
  n.op.results.slice(nCarry).forEach((r, i) => {
    if (!ys[i]) {
      yShapes[i] = r.shape.map((d) => d.eval(sizes));
      ys[i] = new Float64Array(count(yShapes[i]!));
    }
  });
  const results = [...carry, ...ys.map((d, i) => ({ data: d, shape: yShapes[i]! }))];
  return { data: new Float64Array(0), shape: [], results } as unknown as Value;
}

function evaluate(root: Node, sizes: SizeEnv, env: Map<Node, Value>): Value {
  const stack: Node[] = [root];
  while (stack.length) {
    const n = stack[stack.length - 1]!;
    if (env.has(n)) {
      stack.pop();
      continue;
    }
    const pending = n.inputs.filter((i) => !env.has(i));
    if (pending.length) {
      stack.push(...pending);
      continue;
    }
    stack.pop();
    env.set(
      n,
      evalNode(
        n,
        n.inputs.map((i) => env.get(i)!),
        sizes,
        env,
      ),
    );
  }
  return env.get(root)!;
}

export interface InterpretResult {
  readonly outputs: Record<string, Value>;
  readonly sizes: SizeEnv;
}

/** Runs a kernel graph on concrete inputs: arrays are flat row-major; returns every output. */
export function interpretGraph(g: Graph, given: Readonly<Record<string, unknown>>): InterpretResult {
  const inputs = normalizeInputs(g.name, paramInfo(g), given as Record<string, unknown>); // number arrays, { data, shape }
  const sizes = bindSizes(g, inputs);
  const env = new Map<Node, Value>();
  for (const p of g.params) {
    if (!p.node) continue;
    const v = inputs[p.name];
    const shape = p.kind.kind === 'array' ? p.kind.shape.map((d) => d.eval(sizes)) : [];
    const data = typeof v === 'number' ? Float64Array.of(v) : Float64Array.from(v as ArrayLike<number>);
    if (data.length !== count(shape))
      throw new Error(
        `${g.name}: input '${p.name}' has ${data.length} elements, expected ${shapeToString(p.node.shape)}`,
      );
    env.set(p.node, { data, shape });
  }
  const outputs: Record<string, Value> = {};
  for (const o of g.outputs) outputs[o.name] = evaluate(o.node, sizes, env);
  return { outputs, sizes };
}

/** Convenience: the outputs' data only (the single array when the kernel returns one). */
export function interpret(
  g: Graph,
  inputs: Readonly<Record<string, unknown>>,
): Float64Array | Record<string, Float64Array> {
  const { outputs } = interpretGraph(g, inputs);
  if (g.singleOutput) return outputs[g.outputs[0]!.name]!.data;
  return Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, v.data]));
}
