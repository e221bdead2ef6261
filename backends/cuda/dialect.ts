// The CUDA C dialect of the C-like renderers. f64 is `double` with CUDA's f64 transcendentals; i32
// *arithmetic* is rendered in 64-bit `long long`, because index arithmetic such as i·M + j overflows
// 32 bits once M² > 2³¹ (M up to 7·10⁴); i32 *buffers* stay `int` (loads widen, stores narrow).
// Integer division and modulo floor (Python semantics, as in backends/js/dialect.ts) through the
// helpers of prelude.ts; bool is `bool` in registers and int 0/1 in buffers; f32 is `float`, with
// transcendentals evaluated in double and rounded once, as the JS backend does.
import type { BinaryFn, DType, UnaryFn } from '../../compiler/ir/graph.ts';
import { INFIX_OPS, type Dialect } from '../clike/dialect.ts';

/** The C type of a value of dtype held in a register. */
export const REG_TYPE: Record<DType, string> = { f64: 'double', f32: 'float', i32: 'long long', bool: 'bool' };
/** The C element type of a buffer of dtype. */
export const BUF_TYPE: Record<DType, string> = { f64: 'double', f32: 'float', i32: 'int', bool: 'int' };

const OPS: Record<string, string> = { ...INFIX_OPS };

export function literal(value: number, dtype: DType): string {
  if (dtype === 'bool') return value ? 'true' : 'false';
  if (dtype === 'i32') return value < 0 ? `(${value})` : String(value);
  const f32 = dtype === 'f32';
  if (Number.isNaN(value)) return f32 ? '((float)LENSC_NAN)' : 'LENSC_NAN';
  if (!Number.isFinite(value)) return `(${value < 0 ? '-' : ''}${f32 ? '(float)' : ''}LENSC_INF)`;
  let s = String(f32 ? Math.fround(Math.abs(value)) : Math.abs(value));
  // A bare integer would be an int literal in C (1/2 == 0): always write a double/float literal.
  if (!/[.eE]/.test(s)) s += '.0';
  if (f32) s += 'f';
  return value < 0 || Object.is(value, -0) ? `(-${s})` : s;
}

export function castCuda(a: string, from: DType, to: DType): string {
  if (from === to) return a;
  if (to === 'bool') return `(${a} != 0)`;
  if (from === 'bool') return to === 'i32' ? `(${a} ? 1LL : 0LL)` : `(${a} ? ${literal(1, to)} : ${literal(0, to)})`;
  // JS semantics: Math.trunc then ToInt32 (NaN and ±∞ → 0, wrap modulo 2³²)
  if (to === 'i32') return `lensc_to_i32((double)(${a}))`;
  return `((${REG_TYPE[to]})(${a}))`;
}

/** f32 transcendentals: evaluate in double, round once (as Math.fround(Math.cos(x)) does). */
const f32fn = (dtype: DType, fn: string, a: string): string =>
  dtype === 'f32' ? `((float)${fn}((double)(${a})))` : `${fn}(${a})`;

export const cudaDialect: Dialect = {
  name: 'cuda',
  literal,
  bind: (name, dtype, code) => `const ${REG_TYPE[dtype]} ${name} = ${code};`,
  declareVar: (name, dtype, code) => `${REG_TYPE[dtype]} ${name} = ${code};`,
  load: (buf, index, dtype) => (dtype === 'bool' ? `(b_${buf}[${index}] != 0)` : `b_${buf}[${index}]`),
  store(buf, index, value, dtype, accumulate) {
    const v = dtype === 'bool' ? `(${value} ? 1 : 0)` : dtype === 'i32' ? `(int)(${value})` : value;
    return `b_${buf}[${index}] ${accumulate ? '+=' : '='} ${v};`;
  },
  unary(fn: UnaryFn, a, dtype) {
    switch (fn) {
      case 'neg':
        return `(-${a})`;
      case 'not':
        return `(!${a})`;
      case 'abs':
        return dtype === 'i32' ? `lensc_iabs(${a})` : `fabs(${a})`;
      case 'floor':
        return dtype === 'i32' ? a : f32fn(dtype, 'floor', a);
      case 'sign':
        return dtype === 'i32' ? `lensc_isign(${a})` : f32fn(dtype, 'lensc_sign', a);
      // CUDA's math library has every other one under the DSL's name; round is C's (half away from zero).
      default:
        return f32fn(dtype, fn, a);
    }
  },
  binary(fn: BinaryFn, a, b, dtype) {
    if (dtype === 'i32') {
      switch (fn) {
        case 'div':
          return `lensc_floordiv(${a}, ${b})`;
        case 'mod':
          return `lensc_floormod(${a}, ${b})`;
        case 'min':
          return `lensc_imin(${a}, ${b})`;
        case 'max':
          return `lensc_imax(${a}, ${b})`;
        case 'pow':
          return `lensc_to_i32(pow((double)(${a}), (double)(${b})))`;
        default:
          return `(${a} ${OPS[fn]} ${b})`;
      }
    }
    switch (fn) {
      // floor modulo for floats too: a − floor(a/b)·b (the JS backend's formula)
      case 'mod':
        return dtype === 'f32'
          ? `((float)((double)(${a}) - floor((double)(${a}) / (double)(${b})) * (double)(${b})))`
          : `(${a} - floor(${a} / ${b}) * ${b})`;
      case 'pow':
      case 'atan2':
      case 'hypot':
        return dtype === 'f32' ? `((float)${fn}((double)(${a}), (double)(${b})))` : `${fn}(${a}, ${b})`;
      // Math.min/max semantics: NaN in, NaN out (fmin/fmax would drop it)
      case 'min':
        return `lensc_fmin(${a}, ${b})`;
      case 'max':
        return `lensc_fmax(${a}, ${b})`;
      default:
        return `(${a} ${OPS[fn]} ${b})`;
    }
  },
  select: (c, a, b) => `(${c} ? ${a} : ${b})`,
  cast: castCuda,
  size: (s) => `sz_${s}`,
  scalar: (n) => `p_${n}`,
  freeVar: (n) => n,
  forLoop: (v, from, to) => `for (long long ${v} = ${from}; ${v} < ${to}; ${v}++) {`,
  maxInto: (acc, value) => `if (!(${acc} >= ${value})) ${acc} = ${value};`,
  ifOpen: (cond) => `if (${cond}) {`,
  // Replaced per scatter stage (render_kernels.ts), which knows how to record the failing point.
  scatterRangeError: () => {
    throw new Error('cuda: scatterRangeError needs the stage (render_kernels.ts)');
  },
};
