// The WGSL dialect of the C-like renderers. f32 only (the to_f32 pass removed f64; meeting one here is
// a compiler bug, never a silent demotion); i32 index arithmetic (buffers are bound whole and stay
// below 2³¹ elements: maxStorageBufferBindingSize is far smaller); bool is `bool` in registers and i32
// 0/1 in buffers. Integer division and modulo floor (Python semantics, as on JS) through helpers;
// sums are compensated (TwoSum per term, Knuth) — see helpers.ts for why every step multiplies by
// the uniform `u.one`. Sizes, chunk offsets and scalars are fields of the stage's uniform struct `u`.
import type { BinaryFn, DType, UnaryFn } from '../../compiler/ir/graph.ts';
import { INFIX_OPS, type Dialect } from '../clike/dialect.ts';
import { UNIFORM_FREE, UNIFORM_SCALAR, UNIFORM_SIZE } from './support/contract.js';

/** The WGSL type of a value of dtype held in a register. */
export const REG_TYPE: Record<DType, string> = { f64: 'f64', f32: 'f32', i32: 'i32', bool: 'bool' };
/** The WGSL element type of a buffer of dtype. */
export const BUF_TYPE: Record<DType, string> = { f64: 'f64', f32: 'f32', i32: 'i32', bool: 'i32' };

const OPS: Record<string, string> = { ...INFIX_OPS };

function noF64(dtype: DType): void {
  if (dtype === 'f64')
    throw new Error('internal: an f64 value reached the WGSL dialect (the to_f32 pass should have demoted it)');
}

/** Bit pattern of an f32 that WGSL cannot write as a literal (∞, NaN: const-evaluation rejects them). */
const bits = (u: number): string => `lensc_bits(0x${(u >>> 0).toString(16)}u)`;

export function literal(value: number, dtype: DType): string {
  noF64(dtype);
  if (dtype === 'bool') return value ? 'true' : 'false';
  if (dtype === 'i32') {
    if (value === -2147483648) return '(-2147483647i - 1i)';
    return value < 0 ? `(${value}i)` : `${value}i`;
  }
  const f = Math.fround(value);
  if (Number.isNaN(f)) return bits(0x7fc00000);
  if (!Number.isFinite(f)) return bits(f > 0 ? 0x7f800000 : 0xff800000);
  let s = String(Math.abs(f));
  if (!/[.eE]/.test(s)) s += '.0';
  return f < 0 || Object.is(f, -0) ? `(-${s}f)` : `${s}f`;
}

export function castWgsl(a: string, from: DType, to: DType): string {
  noF64(from);
  noF64(to);
  if (from === to) return a;
  if (to === 'bool') return `(${a} != ${literal(0, from)})`;
  if (from === 'bool') return `select(${literal(0, to)}, ${literal(1, to)}, ${a})`;
  return `${REG_TYPE[to]}(${a})`;
}

/** The WGSL dialect; scalar inputs of type bool travel as i32 in the uniforms. */
export function wgslDialect(scalarTypes: ReadonlyMap<string, DType> = new Map()): Dialect {
  return {
    name: 'wgsl',
    literal,
    bind: (name, dtype, code) => {
      noF64(dtype);
      return `let ${name} = ${code};`;
    },
    declareVar: (name, dtype, code) => {
      noF64(dtype);
      return `var ${name}: ${REG_TYPE[dtype]} = ${code};`;
    },
    load: (buf, index, dtype) => (dtype === 'bool' ? `(b_${buf}[${index}] != 0i)` : `b_${buf}[${index}]`),
    store(buf, index, value, dtype, accumulate) {
      const v = dtype === 'bool' ? `select(0i, 1i, ${value})` : value;
      return `b_${buf}[${index}] ${accumulate ? '+=' : '='} ${v};`;
    },
    unary(fn: UnaryFn, a, dtype) {
      noF64(dtype);
      switch (fn) {
        case 'neg':
          return `(-${a})`;
        case 'not':
          return `(!${a})`;
        case 'floor':
          return dtype === 'i32' ? a : `floor(${a})`;
        // WGSL has these as built-ins with the DSL's meaning
        case 'cos':
        case 'sin':
        case 'tan':
        case 'cosh':
        case 'exp':
        case 'log':
        case 'sqrt':
        case 'abs':
        case 'sign':
        case 'ceil':
        case 'trunc':
          return `${fn}(${a})`;
        // the rest are helpers (math.ts): missing from WGSL, cancelling there, or (round) rounding half to even
        default:
          return `lensc_${fn}(${a})`;
      }
    },
    binary(fn: BinaryFn, a, b, dtype) {
      noF64(dtype);
      if (dtype === 'i32') {
        switch (fn) {
          case 'div':
            return `lensc_idiv(${a}, ${b})`;
          case 'mod':
            return `lensc_imod(${a}, ${b})`;
          case 'min':
          case 'max':
            return `${fn}(${a}, ${b})`;
          case 'pow':
            return `i32(lensc_pow(f32(${a}), f32(${b})))`;
          default:
            return `(${a} ${OPS[fn]} ${b})`;
        }
      }
      switch (fn) {
        case 'mod':
          return `lensc_fmod(${a}, ${b})`;
        // WGSL's pow is NaN for a negative base; JS's Math.pow is not for integer exponents.
        case 'pow':
          return `lensc_pow(${a}, ${b})`;
        case 'min':
        case 'max':
          return `${fn}(${a}, ${b})`;
        case 'atan2':
        case 'hypot':
          return `lensc_${fn}(${a}, ${b})`;
        default:
          return `(${a} ${OPS[fn]} ${b})`;
      }
    },
    select: (c, a, b) => `select(${b}, ${a}, ${c})`,
    cast: castWgsl,
    size: (s) => `u.${UNIFORM_SIZE}${s}`,
    scalar: (n) => (scalarTypes.get(n) === 'bool' ? `(u.${UNIFORM_SCALAR}${n} != 0i)` : `u.${UNIFORM_SCALAR}${n}`),
    freeVar: (n) => `u.${UNIFORM_FREE}${n}`,
    forLoop: (v, from, to) => `for (var ${v} = ${from}; ${v} < ${to}; ${v}++) {`,
    sum: {
      declare: (acc, dtype) =>
        dtype === 'f32'
          ? `var ${acc} = vec2<f32>(0.0f, 0.0f);`
          : `var ${acc}: ${REG_TYPE[dtype]} = ${literal(0, dtype)};`,
      add: (acc, value, dtype) =>
        dtype === 'f32' ? `${acc} = lensc_two_sum(${acc}, ${value});` : `${acc} += ${value};`,
      value: (acc, dtype) => (dtype === 'f32' ? `(${acc}.x + ${acc}.y)` : acc),
    },
    maxInto: (acc, value) => `if (!(${acc} >= ${value})) { ${acc} = ${value}; }`,
    ifOpen: (cond) => `if (${cond}) {`,
    // Replaced per scatter stage (render_shaders.ts), which knows where to record the failing point.
    scatterRangeError: () => {
      throw new Error('wgsl: scatterRangeError needs the stage (render_shaders.ts)');
    },
  };
}
