// @ts-check
// TwoProduct for df64 kernels: p + e = a·b exactly. Two ways, one WGSL function (DF64_TWO_PROD) with
// both, chosen per pipeline by the override constant DF64_FMA_OVERRIDE (the shader compiler drops
// the other branch):
//  - fma: e = fma(a, b, −p). One instruction, exact only where the device FUSES fma (one rounding).
//    WGSL lets fma round twice, and Mesa's llvmpipe does (backends/wgsl/NOTES.md): there e = 0.
//  - Dekker: a and b split on their bits into 12-bit halves whose products are exact in f32 — four
//    products and four adds, correct on every device.
// The runtime probes each device once (df64TwoProduct): it runs this very function with the fma branch
// on pairs whose product error is known and keeps fma only if every error term comes back exact — so a
// driver that lowers fma to mul + add, or simplifies the error term away despite the uniform ONE in
// it, is caught by the probe itself. LENSC_WGSL_DF64_TWO_PRODUCT=fma|dekker forces a variant (tests,
// benchmarks: forcing fma on a device without a fused one gives wrong df64 products).
// The compiler side (df64/library.ts) emits DF64_SPLIT and DF64_TWO_PROD into df64 shaders; ONE is
// replaced there by the shader's uniform 1.0.

/** The override constant that selects the fma branch (1) or Dekker's (0, the default). */
export const DF64_FMA_OVERRIDE = 'lensc_df64_fma';

/** The largest finite f32, as a WGSL literal. */
const F32_MAX = '3.4028234663852886e38f';

/** Dekker's split, on the bits: a = hi + lo, hi the top 12 significant bits, lo the rest; exact. */
export const DF64_SPLIT = `// a = hi + lo with hi the top 12 significant bits of a (mask), lo the rest (≤ 12 bits): exact.
fn df_split(a: f32) -> vec2<f32> {
  let hi = bitcast<f32>(bitcast<u32>(a) & 0xfffff000u);
  return vec2<f32>(hi, a - hi);
}`;

/** TwoProduct with both branches (ONE: the shader's opaque 1.0). */
export const DF64_TWO_PROD = `// Set per device by the runtime (support/df64_two_product.js): true where the device's fma is fused.
override ${DF64_FMA_OVERRIDE}: bool = false;
// p + e = a·b exactly, barring overflow and underflow: by a fused fma where the device has one (ONE
// keeps a compiler from pairing −p with a·b), else by Dekker's splitting (exact on every device).
fn df_two_prod(a: f32, b: f32) -> vec2<f32> {
  let p = a * b;
  var e: f32;
  if (${DF64_FMA_OVERRIDE}) {
    e = fma(a, b, -(p * ONE));
  } else {
    let x = df_split(a);
    let y = df_split(b);
    e = ((x.x * y.x - p) + x.x * y.y + x.y * y.x) + x.y * y.y;
  }
  return select(vec2<f32>(p, 0.0f), vec2<f32>(p, e), abs(p) <= ${F32_MAX});
}`;

/** The probe: df_two_prod with the fma branch on each pair (a, b) of the buffer. */
const PROBE = `struct U { count: u32, one: f32 }
@group(0) @binding(0) var<storage, read_write> v: array<f32>;
@group(0) @binding(1) var<uniform> u: U;
${DF64_SPLIT}
${DF64_TWO_PROD.replace(/\bONE\b/g, 'u.one')}
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) g: vec3<u32>) {
  let i = g.x;
  if (i >= u.count) { return; }
  v[4u * i + 2u] = df_two_prod(v[4u * i], v[4u * i + 1u]).y;
}`;

const PROBE_PAIRS = 256;

/** @type {WeakMap<object, Promise<'fma' | 'dekker'>>} */
const probed = new WeakMap();

/** The variant LENSC_WGSL_DF64_TWO_PRODUCT forces, if any. @returns {'fma' | 'dekker' | undefined} */
function forced() {
  const v = typeof process !== 'undefined' ? process.env?.LENSC_WGSL_DF64_TWO_PRODUCT : undefined;
  if (v === undefined || v === '' || v === 'auto') return undefined;
  if (v === 'fma' || v === 'dekker') return v;
  throw new RangeError(`LENSC_WGSL_DF64_TWO_PRODUCT must be 'fma', 'dekker' or 'auto', not '${v}'`);
}

/**
 * The TwoProduct df64 shaders use on this device: 'fma' where the probe found the device's fma fused
 * (probed once per device), 'dekker' otherwise — or what LENSC_WGSL_DF64_TWO_PRODUCT forces.
 * @param {import('../runtime/index.js').Gpu} gpu @returns {Promise<'fma' | 'dekker'>}
 */
export function df64TwoProduct(gpu) {
  const f = forced();
  if (f) return Promise.resolve(f);
  return probeFused(gpu);
}

/**
 * Whether this device's fma makes df_two_prod's fma branch exact ('fma') or not ('dekker'); cached.
 * @param {import('../runtime/index.js').Gpu} gpu @returns {Promise<'fma' | 'dekker'>}
 */
export function probeFused(gpu) {
  let p = probed.get(gpu);
  if (!p) {
    p = probe(gpu);
    probed.set(gpu, p);
    p.catch(() => probed.delete(gpu));
  }
  return p;
}

/** @param {import('../runtime/index.js').Gpu} gpu @returns {Promise<'fma' | 'dekker'>} */
async function probe(gpu) {
  // Pairs with nonzero product errors: thirds, sevenths and a spread of magnitudes (deterministic).
  const data = new Float32Array(4 * PROBE_PAIRS);
  for (let i = 0; i < PROBE_PAIRS; i++) {
    data[4 * i] = Math.fround((1 + i / 3) * 2 ** ((i % 17) - 8));
    data[4 * i + 1] = Math.fround((-1) ** i * (1 + i / 7) * 2 ** ((i % 13) - 6));
  }
  const buf = gpu.createBuffer(data.byteLength);
  try {
    gpu.upload(buf, data);
    const uni = new ArrayBuffer(16);
    new Uint32Array(uni)[0] = PROBE_PAIRS;
    new Float32Array(uni)[1] = 1;
    const pipe = await gpu.pipeline(PROBE, 'main', { [DF64_FMA_OVERRIDE]: 1 });
    gpu.dispatch(pipe, [buf], [Math.ceil(PROBE_PAIRS / 64), 1, 1], new Uint32Array(uni));
    const out = new Float32Array(await gpu.read(buf, data.byteLength));
    let nonzero = 0;
    for (let i = 0; i < PROBE_PAIRS; i++) {
      const a = data[4 * i],
        b = data[4 * i + 1];
      // a·b of two f32 is exact in f64, and its f32 rounding error is an f32
      const want = a * b - Math.fround(a * b);
      if (out[4 * i + 2] !== want) return 'dekker';
      if (want !== 0) nonzero++;
    }
    return nonzero > 0 ? 'fma' : 'dekker';
  } finally {
    gpu.destroy(buf);
  }
}

/**
 * The pipeline constants a shader needs: the TwoProduct variant where it declares the override.
 * @param {import('../runtime/index.js').Gpu} gpu @param {string} wgsl
 * @returns {Promise<Record<string, number> | undefined>}
 */
export async function df64Constants(gpu, wgsl) {
  if (!wgsl.includes(`override ${DF64_FMA_OVERRIDE}:`)) return undefined;
  return { [DF64_FMA_OVERRIDE]: (await df64TwoProduct(gpu)) === 'fma' ? 1 : 0 };
}
