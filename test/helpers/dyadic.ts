// Exact arithmetic on f64 values for test references: every finite f64 is a dyadic rational m·2^e
// (m a BigInt), and sums and products of dyadics are exact. Independent of any code under test.

export interface Dyadic {
  readonly m: bigint;
  readonly e: number;
}

const view = new DataView(new ArrayBuffer(8));

/** The exact value of a finite f64. */
export function dyadic(x: number): Dyadic {
  if (!Number.isFinite(x)) throw new Error(`dyadic: ${x} is not finite`);
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const exp = (hi >>> 20) & 0x7ff;
  const frac = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  const m = exp === 0 ? frac : frac | (1n << 52n);
  const signed = hi >>> 31 ? -m : m;
  return { m: signed, e: (exp === 0 ? 1 : exp) - 1075 };
}

export function dAdd(a: Dyadic, b: Dyadic): Dyadic {
  const e = Math.min(a.e, b.e);
  return { m: (a.m << BigInt(a.e - e)) + (b.m << BigInt(b.e - e)), e };
}

export const dNeg = (a: Dyadic): Dyadic => ({ m: -a.m, e: a.e });
export const dSub = (a: Dyadic, b: Dyadic): Dyadic => dAdd(a, dNeg(b));
export const dMul = (a: Dyadic, b: Dyadic): Dyadic => ({ m: a.m * b.m, e: a.e + b.e });

/** The f64 nearest a dyadic (to within 2⁻⁵² relative: the mantissa is cut to 60 bits first). */
export function dToNumber(a: Dyadic): number {
  let { m, e } = a;
  const bits = (m < 0n ? -m : m).toString(2).length;
  if (bits > 60) {
    m >>= BigInt(bits - 60);
    e += bits - 60;
  }
  const half = Math.trunc(e / 2);
  return Number(m) * 2 ** half * 2 ** (e - half);
}
