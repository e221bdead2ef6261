// The JavaScript dialect of the C-like renderers: f64 is a JS number, i32 is kept in int32 range
// with |0 and Math.imul, integer division and modulo floor (Python semantics), bool is a JS boolean
// in registers and 0/1 in buffers, f32 rounds with Math.fround after every operation. Functions Math
// lacks (erf, erfc, lgamma, round half away from zero) come from lensc/runtime/math as `lm`.
import type { BinaryFn, DType, UnaryFn } from '../../compiler/ir/graph.ts';
import { INFIX_OPS, type Dialect } from '../clike/dialect.ts';

// JS compares with the strict operators
const OPS: Record<string, string> = { ...INFIX_OPS, eq: '===', ne: '!==' };
const f32 = (dtype: DType, s: string): string => (dtype === 'f32' ? `Math.fround(${s})` : s);

export function literal(value: number, dtype: DType): string {
  if (dtype === 'bool') return value ? 'true' : 'false';
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  const s = dtype === 'f32' ? String(Math.fround(value)) : String(value);
  return value < 0 || Object.is(value, -0) ? `(${s === '0' ? '-0' : s})` : s;
}

export function castJs(a: string, from: DType, to: DType): string {
  if (from === to) return a;
  if (to === 'bool') return `(${a} !== 0)`;
  if (from === 'bool') return `(${a} ? 1 : 0)`;
  if (to === 'i32') return `(Math.trunc(${a}) | 0)`;
  if (to === 'f32') return `Math.fround(${a})`;
  return a;
}

export const jsDialect: Dialect = {
  name: 'js',
  literal,
  bind: (name, _dtype, code) => `const ${name} = ${code};`,
  declareVar: (name, _dtype, code) => `let ${name} = ${code};`,
  load: (buf, index, dtype) => (dtype === 'bool' ? `(b_${buf}[${index}] !== 0)` : `b_${buf}[${index}]`),
  store: (buf, index, value, dtype, accumulate) =>
    `b_${buf}[${index}] ${accumulate ? '+=' : '='} ${dtype === 'bool' ? `(${value} ? 1 : 0)` : value};`,
  unary(fn: UnaryFn, a, dtype) {
    switch (fn) {
      case 'neg':
        return dtype === 'i32' ? `(-${a} | 0)` : `-${a}`;
      case 'not':
        return `!${a}`;
      case 'abs':
        return dtype === 'i32' ? `(Math.abs(${a}) | 0)` : `Math.abs(${a})`;
      case 'sign':
        return `Math.sign(${a})`;
      // Math lacks these (and Math.round rounds half up, not away from zero): lensc/runtime/math
      case 'erf':
      case 'erfc':
      case 'lgamma':
      case 'round':
        return f32(dtype, `lm.${fn}(${a})`);
      default:
        return f32(dtype, `Math.${fn}(${a})`);
    }
  },
  binary(fn: BinaryFn, a, b, dtype) {
    if (dtype === 'i32') {
      switch (fn) {
        case 'add':
        case 'sub':
          return `((${a} ${OPS[fn]} ${b}) | 0)`;
        case 'mul':
          return `Math.imul(${a}, ${b})`;
        case 'div':
          return `(Math.floor(${a} / ${b}) | 0)`;
        // Floor modulo. Offsets such as (r_j − r_i) mod 2N_y are almost always within one period of
        // the range, so test for that before paying for two divisions.
        case 'mod':
          return `(${a} >= 0 ? (${a} < ${b} ? ${a} : (${a} % ${b} + ${b}) % ${b}) : (${a} >= -${b} ? ${a} + ${b} : (${a} % ${b} + ${b}) % ${b}))`;
        case 'min':
        case 'max':
          return `Math.${fn}(${a}, ${b})`;
        default:
          break;
      }
    }
    switch (fn) {
      case 'mod':
        return f32(dtype, `(${a} - Math.floor(${a} / ${b}) * ${b})`);
      case 'pow':
      case 'atan2':
      case 'hypot':
        return f32(dtype, `Math.${fn}(${a}, ${b})`);
      case 'min':
      case 'max':
        return `Math.${fn}(${a}, ${b})`;
      case 'lt':
      case 'le':
      case 'gt':
      case 'ge':
      case 'eq':
      case 'ne':
      case 'and':
      case 'or':
        return `(${a} ${OPS[fn]} ${b})`;
      default:
        return f32(dtype, `(${a} ${OPS[fn]} ${b})`);
    }
  },
  select: (c, a, b) => `(${c} ? ${a} : ${b})`,
  cast: castJs,
  size: (s) => s,
  scalar: (n) => `p_${n}`,
  freeVar: (n) => n,
  forLoop: (v, from, to) => `for (let ${v} = ${from}; ${v} < ${to}; ${v}++) {`,
  maxInto: (acc, value) => `if (!(${acc} >= ${value})) ${acc} = ${value};`,
  ifOpen: (cond) => `if (${cond}) {`,
  scatterRangeError: (idx, dims) =>
    `throw new RangeError(\`\${KERNEL}: scatterAdd index (\${[${idx.join(', ')}].join(', ')}) is outside the target shape (\${[${dims.join(', ')}].join(', ')})\`);`,
};
