// The WGSL dialect for kernels compiled with precision 'df64': f64 values stay f64 in the loop IR
// and are rendered as df64 pairs — vec2<f32>(hi, lo) in registers and in buffers (array<vec2<f32>>),
// every operation a call into the df64 library (library.ts) — while f32, i32 and bool render exactly
// as in the plain WGSL dialect. An f64 operation the library lacks is a compile error naming it:
// nothing is silently computed in f32. Inputs held exactly (three f32, exact_inputs.ts) load as an
// F64x3 bound beside its df64 pair: additions, subtractions and comparisons whose operand is such a
// load use the exact value, everything else the pair.
import type { BinaryFn, DType, UnaryFn } from '../../../compiler/ir/graph.ts';
import { LenscError } from '../../../compiler/ir/source.ts';
import type { Dialect } from '../../clike/dialect.ts';
import { castWgsl, wgslDialect } from '../dialect.ts';
import { dfConst } from './library.ts';
import { UNIFORM_SCALAR } from '../support/contract.js';

/** The register type of a df64 value. */
export const DF = 'vec2<f32>';

// Every unary function of the DSL on f64 values (erf, erfc, lgamma: df64/special.ts).
const DF_UNARY: Partial<Record<UnaryFn, string>> = {
  neg: 'df_neg',
  abs: 'df_abs',
  sign: 'df_sign',
  floor: 'df_floor',
  ceil: 'df_ceil',
  round: 'df_round',
  trunc: 'df_trunc',
  sqrt: 'df_sqrt',
  exp: 'df_exp',
  expm1: 'df_expm1',
  log: 'df_log',
  log1p: 'df_log1p',
  cos: 'df_cos',
  sin: 'df_sin',
  tan: 'df_tan',
  asin: 'df_asin',
  acos: 'df_acos',
  atan: 'df_atan',
  sinh: 'df_sinh',
  cosh: 'df_cosh',
  tanh: 'df_tanh',
  asinh: 'df_asinh',
  acosh: 'df_acosh',
  atanh: 'df_atanh',
  erf: 'df_erf',
  erfc: 'df_erfc',
  lgamma: 'df_lgamma',
};
const DF_BINARY: Partial<Record<BinaryFn, string>> = {
  add: 'df_add',
  sub: 'df_sub',
  mul: 'df_mul',
  div: 'df_div',
  mod: 'df_mod',
  pow: 'df_pow',
  min: 'df_min',
  max: 'df_max',
  atan2: 'df_atan2',
  hypot: 'df_hypot',
};

/** The df64 functions the dialect maps f64 operations to (for docs and tests). */
export const DF64_OPERATIONS: readonly string[] = [
  ...Object.keys(DF_UNARY),
  ...Object.keys(DF_BINARY),
  'lt',
  'le',
  'gt',
  'ge',
  'eq',
  'ne',
  'casts',
  'sum',
  'max',
];

function unsupported(what: string): never {
  throw new LenscError(
    'kernel',
    `${what} is not available in df64 precision on the WGSL target yet; use precision 'f32' for this kernel, or the js or cuda target (f64)`,
  );
}

export function dfLiteral(value: number): string {
  if (Number.isNaN(value)) return 'vec2<f32>(df_bits(0x7fc00000u), 0.0f)';
  if (!Number.isFinite(value)) return `vec2<f32>(df_bits(${value > 0 ? '0x7f800000u' : '0xff800000u'}), 0.0f)`;
  // df64 keeps f32's exponent range: a finite constant beyond it would become ±∞ — a silent wrong answer.
  if (Math.abs(value) > 3.4028234663852886e38)
    throw new LenscError(
      'constant',
      `${value} is beyond df64's range (|x| ≤ 3.4e38, f32's exponent range); compute in a scaled unit, or build this kernel for js/cuda or with precision 'f32' where its limits are stated`,
    );
  return dfConst(value);
}

function dfCast(a: string, from: DType, to: DType): string {
  if (from === to) return a;
  if (from === 'f64') {
    switch (to) {
      case 'f32':
        return `(${a}.x + ${a}.y)`;
      case 'i32':
        return `df_to_i32(${a})`;
      case 'bool':
        return `(${a}.x != 0.0f)`;
    }
  }
  if (to === 'f64') {
    switch (from) {
      case 'f32':
        return `vec2<f32>(${a}, 0.0f)`;
      case 'i32':
        return `df_from_i32(${a})`;
      case 'bool':
        return `select(vec2<f32>(0.0f, 0.0f), vec2<f32>(1.0f, 0.0f), ${a})`;
    }
  }
  return castWgsl(a, from, to);
}

/** A comparison of two exactly held values (F64x3 expressions a, b). */
function exactComparison(fn: BinaryFn, a: string, b: string): string | undefined {
  switch (fn) {
    case 'lt':
      return `df_lt_x3(${a}, ${b})`;
    case 'le':
      return `df_le_x3(${a}, ${b})`;
    case 'gt':
      return `df_lt_x3(${b}, ${a})`;
    case 'ge':
      return `df_le_x3(${b}, ${a})`;
    case 'eq':
      return `df_eq_x3(${a}, ${b})`;
    case 'ne':
      return `(!df_eq_x3(${a}, ${b}))`;
  }
  return undefined;
}

/** a ± b where xa / xb name the exact (F64x3) forms of a / b, when they have one. */
function exactAdditive(fn: 'add' | 'sub', a: string, b: string, xa?: string, xb?: string): string {
  if (xa && xb) return fn === 'sub' ? `df_sub_x3x3(${xa}, ${xb})` : `df_add_x3x3(${xa}, ${xb})`;
  if (xa) return `df_add_x3(${xa}, ${fn === 'sub' ? `df_neg(${b})` : b})`;
  // a − xb = −(xb − a)
  return fn === 'sub' ? `df_neg(df_add_x3(${xb}, df_neg(${a})))` : `df_add_x3(${xb}, ${a})`;
}

/**
 * The df64 dialect: the plain WGSL dialect for f32/i32/bool, df64 pairs for f64. `exact`: the f64
 * input buffers held as three f32 (exact_inputs.ts). One dialect per shader (it remembers its bindings).
 */
export function df64Dialect(
  scalarTypes: ReadonlyMap<string, DType> = new Map(),
  exact: ReadonlySet<string> = new Set(),
): Dialect {
  const base = wgslDialect(scalarTypes);
  // load code of an exactly held input → bound, and a bound pair's name → its F64x3 binding's name
  const exactLoads = new Set<string>();
  const exactOf = new Map<string, string>();
  return {
    ...base,
    name: 'wgsl-df64',
    literal: (value, dtype) => (dtype === 'f64' ? dfLiteral(value) : base.literal(value, dtype)),
    load(buf, index, dtype) {
      const code = base.load(buf, index, dtype);
      if (dtype === 'f64' && exact.has(buf)) exactLoads.add(code);
      return code;
    },
    bind(name, dtype, code) {
      if (dtype !== 'f64') return base.bind(name, dtype, code);
      if (!exactLoads.has(code)) return `let ${name} = ${code};`;
      exactOf.set(name, `${name}x`);
      return `let ${name}x = ${code}; let ${name} = df_from_x3(${name}x);`;
    },
    declareVar: (name, dtype, code) =>
      dtype === 'f64' ? `var ${name}: ${DF} = ${code};` : base.declareVar(name, dtype, code),
    store(buf, index, value, dtype, accumulate) {
      if (dtype !== 'f64') return base.store(buf, index, value, dtype, accumulate);
      return accumulate
        ? `b_${buf}[${index}] = df_add(b_${buf}[${index}], ${value});`
        : `b_${buf}[${index}] = ${value};`;
    },
    unary(fn, a, dtype) {
      if (dtype !== 'f64') return base.unary(fn, a, dtype);
      const f = DF_UNARY[fn];
      if (!f) unsupported(`the function '${fn}' on f64 values`);
      return `${f}(${a})`;
    },
    binary(fn, a, b, dtype) {
      if (dtype !== 'f64') return base.binary(fn, a, b, dtype);
      const xa = exactOf.get(a),
        xb = exactOf.get(b);
      if ((fn === 'add' || fn === 'sub') && (xa || xb)) return exactAdditive(fn, a, b, xa, xb);
      const cmp = xa && xb ? exactComparison(fn, xa, xb) : undefined;
      if (cmp) return cmp;
      switch (fn) {
        case 'lt':
          return `df_lt(${a}, ${b})`;
        case 'le':
          return `df_le(${a}, ${b})`;
        case 'gt':
          return `df_lt(${b}, ${a})`;
        case 'ge':
          return `df_le(${b}, ${a})`;
        case 'eq':
          return `df_eq(${a}, ${b})`;
        case 'ne':
          return `(!df_eq(${a}, ${b}))`;
      }
      const f = DF_BINARY[fn];
      if (!f) unsupported(`the operation '${fn}' on f64 values`);
      return `${f}(${a}, ${b})`;
    },
    cast: dfCast,
    // An f64 scalar input travels exactly as three f32 uniforms (render_shaders.ts uniformFields): its
    // pair elsewhere, its exact value in sums, differences and comparisons with exactly held inputs.
    scalar(n) {
      if (scalarTypes.get(n) !== 'f64') return base.scalar(n);
      const x = `F64x3(u.${UNIFORM_SCALAR}${n}_hi, u.${UNIFORM_SCALAR}${n}_mid, u.${UNIFORM_SCALAR}${n}_lo)`;
      const pair = `df_from_x3(${x})`;
      exactOf.set(pair, x);
      return pair;
    },
    sum: {
      declare: (acc, dtype) =>
        dtype === 'f64' ? `var ${acc}: ${DF} = vec2<f32>(0.0f, 0.0f);` : base.sum!.declare(acc, dtype),
      add: (acc, value, dtype) =>
        dtype === 'f64' ? `${acc} = df_add(${acc}, ${value});` : base.sum!.add(acc, value, dtype),
      value: (acc, dtype) => (dtype === 'f64' ? acc : base.sum!.value(acc, dtype)),
    },
    // NaN propagates: a NaN value is never ≤ acc, so it replaces acc; a NaN acc stays.
    maxInto: (acc, value, dtype) =>
      dtype === 'f64'
        ? `if (${acc}.x == ${acc}.x && !df_le(${value}, ${acc})) { ${acc} = ${value}; }`
        : base.maxInto(acc, value, dtype),
  };
}
