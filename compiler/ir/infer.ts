// Shape and dtype rules of every graph-IR operation, in one place. The DSL calls these as it traces
// (so errors fire at the user's line); the typecheck pass re-runs them over rewritten graphs.
import {
  COMPARISONS,
  INTEGER_UNARY,
  LOGICAL,
  isFloat,
  type DType,
  type Node,
  type Op,
  type ResultType,
} from './graph.ts';
import { Size, numel, shapeToString, shapesEqual, type Shape } from './size.ts';
import { LenscError, type SourceLoc } from './source.ts';

const desc = (n: Node): string => `${n.dtype}${shapeToString(n.shape)}`;

/** Shape of `a op b` under the broadcasting rules: align trailing axes; sizes equal or a literal 1. */
export function broadcastShapes(opName: string, shapes: readonly Shape[], loc?: SourceLoc): Size[] {
  const rank = Math.max(...shapes.map((s) => s.length));
  const out: Size[] = [];
  for (let ax = 0; ax < rank; ax++) {
    let d: Size | undefined;
    for (const s of shapes) {
      const k = ax - (rank - s.length);
      if (k < 0) continue;
      const e = s[k]!;
      if (e.constValue() === 1) {
        d ??= e;
        continue;
      }
      if (d === undefined || d.constValue() === 1) d = e;
      else if (!d.equals(e)) {
        throw new LenscError(
          opName,
          `shape mismatch: cannot broadcast ${shapes.map(shapeToString).join(' with ')} (axis ${ax}: ${d} vs ${e})`,
          loc,
        );
      }
    }
    out.push(d ?? Size.const(1));
  }
  return out;
}

/** Whether size a ≥ b for every value of the size symbols (sizes are ≥ 0): a − b has no negative coefficient. */
function atLeast(a: Size, b: Size): boolean {
  return a
    .sub(b)
    .toTerms()
    .every(([c]) => (c as number) >= 0);
}

function requireDtype(opName: string, n: Node, ok: (d: DType) => boolean, what: string, loc?: SourceLoc): void {
  if (!ok(n.dtype)) throw new LenscError(opName, `dtype mismatch: expected ${what}, got ${desc(n)}`, loc);
}

export function inferResult(
  op: Op,
  inputs: readonly Node[],
  shapeAttr: Shape | undefined,
  loc?: SourceLoc,
): ResultType {
  const name = op.kind === 'unary' || op.kind === 'binary' || op.kind === 'reduce' ? op.fn : op.kind;
  const [a, b] = inputs;
  switch (op.kind) {
    case 'unary': {
      if (op.fn === 'not') {
        requireDtype(name, a!, (d) => d === 'bool', 'bool', loc);
        return { shape: a!.shape, dtype: 'bool' };
      }
      if (INTEGER_UNARY.has(op.fn)) {
        requireDtype(name, a!, (d) => d !== 'bool', 'a number', loc);
      } else requireDtype(name, a!, isFloat, 'f64 or f32', loc);
      return { shape: a!.shape, dtype: a!.dtype };
    }
    case 'binary': {
      if (a!.dtype !== b!.dtype)
        throw new LenscError(name, `dtype mismatch: ${desc(a!)} and ${desc(b!)} (cast one explicitly)`, loc);
      if (!shapesEqual(a!.shape, b!.shape))
        throw new LenscError(name, `shape mismatch: ${shapeToString(a!.shape)} and ${shapeToString(b!.shape)}`, loc);
      if (LOGICAL.has(op.fn)) {
        requireDtype(name, a!, (d) => d === 'bool', 'bool', loc);
        return { shape: a!.shape, dtype: 'bool' };
      }
      requireDtype(name, a!, (d) => d !== 'bool', 'a number (not bool)', loc);
      if (op.fn === 'pow' || op.fn === 'atan2' || op.fn === 'hypot') requireDtype(name, a!, isFloat, 'f64 or f32', loc);
      return { shape: a!.shape, dtype: COMPARISONS.has(op.fn) ? 'bool' : a!.dtype };
    }
    case 'where': {
      const [c, x, y] = inputs as [Node, Node, Node];
      requireDtype('where', c, (d) => d === 'bool', 'a bool condition', loc);
      if (x.dtype !== y.dtype) throw new LenscError('where', `dtype mismatch: ${desc(x)} and ${desc(y)}`, loc);
      if (!shapesEqual(c.shape, x.shape) || !shapesEqual(x.shape, y.shape)) {
        throw new LenscError(
          'where',
          `shape mismatch: ${[c, x, y].map((n) => shapeToString(n.shape)).join(', ')}`,
          loc,
        );
      }
      return { shape: x.shape, dtype: x.dtype };
    }
    case 'reduce': {
      for (const ax of op.axes) {
        if (!Number.isInteger(ax) || ax < 0 || ax >= a!.rank)
          throw new LenscError(name, `reduction over missing axis ${ax} of ${desc(a!)}`, loc);
      }
      requireDtype(name, a!, (d) => d !== 'bool', 'a number', loc);
      return { shape: a!.shape.filter((_, i) => !op.axes.includes(i)), dtype: a!.dtype };
    }
    case 'matmul': {
      requireDtype('matmul', a!, isFloat, 'f64 or f32', loc);
      if (a!.dtype !== b!.dtype) throw new LenscError('matmul', `dtype mismatch: ${desc(a!)} and ${desc(b!)}`, loc);
      if (a!.rank !== 2 || (b!.rank !== 2 && b!.rank !== 1))
        throw new LenscError(
          'matmul',
          `expected a matrix times a matrix or vector, got ${desc(a!)} and ${desc(b!)}`,
          loc,
        );
      const [m, ka] = op.transA ? [a!.shape[1]!, a!.shape[0]!] : [a!.shape[0]!, a!.shape[1]!];
      if (b!.rank === 1) {
        if (!ka.equals(b!.shape[0]!))
          throw new LenscError(
            'matmul',
            `incompatible inner sizes: ${shapeToString(a!.shape)}${op.transA ? 'ᵀ' : ''} · ${shapeToString(b!.shape)} (${ka} vs ${b!.shape[0]})`,
            loc,
          );
        return { shape: [m], dtype: a!.dtype };
      }
      const [kb, n] = op.transB ? [b!.shape[1]!, b!.shape[0]!] : [b!.shape[0]!, b!.shape[1]!];
      if (!ka.equals(kb)) {
        throw new LenscError(
          'matmul',
          `incompatible inner sizes: ${shapeToString(a!.shape)}${op.transA ? 'ᵀ' : ''} · ${shapeToString(b!.shape)}${op.transB ? 'ᵀ' : ''} (${ka} vs ${kb})`,
          loc,
        );
      }
      return { shape: [m, n], dtype: a!.dtype };
    }
    case 'broadcast': {
      const out = shapeAttr!;
      if (op.axes.length !== a!.rank)
        throw new LenscError('broadcast', `axis map of length ${op.axes.length} for ${desc(a!)}`, loc);
      op.axes.forEach((o, i) => {
        const d = a!.shape[i]!;
        if (o < 0 || o >= out.length || (d.constValue() !== 1 && !d.equals(out[o]!))) {
          throw new LenscError(
            'broadcast',
            `shape mismatch: cannot broadcast ${shapeToString(a!.shape)} to ${shapeToString(out)}`,
            loc,
          );
        }
      });
      return { shape: out, dtype: a!.dtype };
    }
    case 'reshape': {
      const out = shapeAttr!;
      if (!numel(out).equals(numel(a!.shape))) {
        throw new LenscError(
          'reshape',
          `shape mismatch: cannot reshape ${shapeToString(a!.shape)} (${numel(a!.shape)} elements) to ${shapeToString(out)} (${numel(out)} elements)`,
          loc,
        );
      }
      return { shape: out, dtype: a!.dtype };
    }
    case 'transpose': {
      const ok = op.perm.length === a!.rank && [...op.perm].sort((x, y) => x - y).every((p, i) => p === i);
      if (!ok) throw new LenscError('transpose', `permutation [${op.perm}] does not fit ${desc(a!)}`, loc);
      return { shape: op.perm.map((p) => a!.shape[p]!), dtype: a!.dtype };
    }
    case 'slice': {
      const out = shapeAttr!;
      if (op.starts.length !== a!.rank || out.length !== a!.rank)
        throw new LenscError('slice', `expected ${a!.rank} ranges for ${desc(a!)}`, loc);
      op.starts.forEach((s, i) => {
        // Symbolic ranges are checked when they can be decided (start ≥ 0, room left ≥ 0); the rest at run time.
        const end = s.add(out[i]!);
        const start = s.constValue();
        const room = a!.shape[i]!.sub(end).constValue();
        if ((start !== undefined && start < 0) || (room !== undefined && room < 0)) {
          throw new LenscError('slice', `range [${s}, ${end}) is outside axis ${i} of ${desc(a!)}`, loc);
        }
      });
      return { shape: out, dtype: a!.dtype };
    }
    case 'concat': {
      const ax = op.axis;
      if (!Number.isInteger(ax) || ax < 0 || ax >= a!.rank)
        throw new LenscError('concat', `axis ${ax} is outside ${desc(a!)}`, loc);
      for (const x of inputs) {
        if (x.dtype !== a!.dtype) throw new LenscError('concat', `dtype mismatch: ${desc(a!)} and ${desc(x)}`, loc);
        if (x.rank !== a!.rank || x.shape.some((d, i) => i !== ax && !d.equals(a!.shape[i]!))) {
          throw new LenscError(
            'concat',
            `shape mismatch along non-concatenated axes: ${inputs.map((n) => shapeToString(n.shape)).join(', ')}`,
            loc,
          );
        }
      }
      const shape = [...a!.shape];
      shape[ax] = inputs.reduce((s, x) => s.add(x.shape[ax]!), Size.const(0));
      return { shape, dtype: a!.dtype };
    }
    case 'gather': {
      const [x, ...idx] = inputs as [Node, ...Node[]];
      if (idx.length !== x.rank)
        throw new LenscError('gather', `expected ${x.rank} index arrays for ${desc(x)}, got ${idx.length}`, loc);
      for (const i of idx) {
        requireDtype('gather', i, (d) => d === 'i32', 'i32 indices', loc);
        if (!shapesEqual(i.shape, idx[0]!.shape))
          throw new LenscError(
            'gather',
            `index shape mismatch: ${idx.map((n) => shapeToString(n.shape)).join(', ')}`,
            loc,
          );
      }
      return { shape: idx[0]!.shape, dtype: x.dtype };
    }
    case 'scatterAdd': {
      const [v, ...idx] = inputs as [Node, ...Node[]];
      const out = shapeAttr!;
      if (idx.length !== out.length)
        throw new LenscError(
          'scatterAdd',
          `expected ${out.length} index arrays for output ${shapeToString(out)}, got ${idx.length}`,
          loc,
        );
      for (const i of idx) {
        requireDtype('scatterAdd', i, (d) => d === 'i32', 'i32 indices', loc);
        if (!shapesEqual(i.shape, v.shape))
          throw new LenscError(
            'scatterAdd',
            `index shape ${shapeToString(i.shape)} differs from values ${shapeToString(v.shape)}`,
            loc,
          );
      }
      return { shape: out, dtype: v.dtype };
    }
    case 'cholesky': {
      requireDtype('cholesky', a!, isFloat, 'f64 or f32', loc);
      if (a!.rank !== 2 || !a!.shape[0]!.equals(a!.shape[1]!))
        throw new LenscError('cholesky', `expected a square matrix, got ${desc(a!)}`, loc);
      return { shape: a!.shape, dtype: a!.dtype };
    }
    case 'triSolve': {
      if (a!.rank !== 2 || !a!.shape[0]!.equals(a!.shape[1]!))
        throw new LenscError('triSolve', `expected a square triangular matrix, got ${desc(a!)}`, loc);
      if (a!.dtype !== b!.dtype) throw new LenscError('triSolve', `dtype mismatch: ${desc(a!)} and ${desc(b!)}`, loc);
      if (b!.rank < 1 || !b!.shape[0]!.equals(a!.shape[0]!))
        throw new LenscError(
          'triSolve',
          `incompatible sizes: ${shapeToString(a!.shape)} and right-hand side ${shapeToString(b!.shape)}`,
          loc,
        );
      return { shape: b!.shape, dtype: b!.dtype };
    }
    case 'fft': {
      const what = op.inverse ? 'ifft2' : 'fft2';
      requireDtype(what, a!, isFloat, 'f64 or f32', loc);
      const last = a!.shape[a!.rank - 1]?.constValue();
      if ((a!.rank !== 3 && a!.rank !== 4) || last !== 2) {
        throw new LenscError(
          what,
          `expected complex values as [Ny, Nx, 2] or [B, Ny, Nx, 2] (a trailing axis of 2 holding re, im), got ${desc(a!)}`,
          loc,
        );
      }
      return { shape: a!.shape, dtype: a!.dtype };
    }
    case 'fftconv': {
      requireDtype('fftconv2', a!, isFloat, 'f64 or f32', loc);
      if (a!.rank !== 2 && a!.rank !== 3)
        throw new LenscError('fftconv2', `x must be real images [Ny, Nx] or [B, Ny, Nx], got ${desc(a!)}`, loc);
      if (b!.rank !== 2 || b!.dtype !== a!.dtype)
        throw new LenscError(
          'fftconv2',
          `the kernel must be a real ${a!.dtype} grid [Py, Px] (the dtype of x), got ${desc(b!)}`,
          loc,
        );
      for (const i of [0, 1]) {
        const img = a!.shape[a!.rank - 2 + i]!,
          grid = b!.shape[i]!;
        if (!atLeast(grid, img))
          throw new LenscError(
            'fftconv2',
            `the kernel grid ${shapeToString(b!.shape)} must be at least as large as the images ${shapeToString(a!.shape.slice(-2))} on every axis (axis ${i}: ${grid} ≥ ${img} does not hold for all sizes; write the grid so that it does, e.g. 2*${img} or ${img}+A)`,
            loc,
          );
      }
      return { shape: a!.shape, dtype: a!.dtype };
    }
    case 'cast':
    case 'param':
    case 'size':
    case 'const':
    case 'iota':
    case 'scan':
    case 'result':
      throw new Error(`inferResult: ${op.kind} is typed by its constructor`);
  }
}
