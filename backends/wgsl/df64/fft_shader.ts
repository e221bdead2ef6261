// One stage of the self-sorting (Stockham) FFT in df64, for df64 kernels' fft2/ifft2: the f32 stage of
// runtime/routines/fft.wgsl.js with every complex value a vec4<f32> (re.hi, re.lo, im.hi, im.lo) — the
// layout of a df64 buffer [(B,) Ny, Nx, 2] of f64 (each f64 a (hi, lo) pair) — and every operation a df64
// one. A stage of radix r on lines of n = r·m·s points writes output j = q + s·(r·p + u) as
// w^{p·u} · Σ_t x[q + s·(p + t·m)]·ω_r^{t·u}: one invocation per output point, the sum over t in df64 in a
// fixed order. The twiddles w and roots ω come from a table the host computes in f64 from exactly reduced
// exponents and splits into df64 pairs (routines/fft-df64.js, which drives the stages and owns the uniform
// layout). The shader is the same for every kernel; it lives here, not in the runtime, because the df64
// library is rendered at build time (library.ts), and the module carries it as one of its SHADERS.
import { df64HelpersFor } from './library.ts';
import { FFT_DF64_WG } from '../runtime/routines/fft-df64.js';

/** The stage shader; `title` heads it (the kernel and stage, for reading `--sources` output). */
export function fftStageShaderDf64(title: string): string {
  const main = `// (re, im) products in df64: four df64 products, two df64 sums.
fn dc_mul(a: vec4<f32>, b: vec4<f32>) -> vec4<f32> {
  let re = df_sub(df_mul(a.xy, b.xy), df_mul(a.zw, b.zw));
  let im = df_add(df_mul(a.xy, b.zw), df_mul(a.zw, b.xy));
  return vec4<f32>(re, im);
}

@compute @workgroup_size(${FFT_DF64_WG})
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let id = (wg.y * P.gridX + wg.x) * ${FFT_DF64_WG}u + li;
  if (id >= P.lines * P.n) { return; }
  let line = id / P.n;
  let j = id % P.n;
  let q = j % P.s;
  let pu = j / P.s;
  let u = pu % P.r;
  let p = pu / P.r;
  let base = (line / P.perImage) * P.imageSize + (line % P.perImage) * P.lineStep;
  var re = vec2<f32>(0.0f, 0.0f);
  var im = vec2<f32>(0.0f, 0.0f);
  var k = 0u; // t·u mod r
  for (var t = 0u; t < P.r; t = t + 1u) {
    let x = dc_mul(src[base + (q + P.s * (p + t * P.m)) * P.elemStep], tab[P.omOff + k]);
    re = df_add(re, x.xy);
    im = df_add(im, x.zw);
    k = k + u;
    if (k >= P.r) { k = k - P.r; }
  }
  let y = dc_mul(vec4<f32>(re, im), tab[P.twOff + p * P.r + u]);
  let scale = vec2<f32>(P.scaleHi, P.scaleLo);
  dst[base + j * P.elemStep] = vec4<f32>(df_mul(y.xy, scale), df_mul(y.zw, scale));
}`;
  return [
    `// ${title}: one df64 Stockham FFT stage`,
    `struct Params { r: u32, m: u32, s: u32, n: u32, lines: u32, perImage: u32, imageSize: u32, lineStep: u32,
  elemStep: u32, twOff: u32, omOff: u32, gridX: u32, scaleHi: f32, scaleLo: f32, one: f32, pad0: u32 }`,
    '@group(0) @binding(0) var<storage, read> src: array<vec4<f32>>;',
    '@group(0) @binding(1) var<storage, read_write> dst: array<vec4<f32>>;',
    '@group(0) @binding(2) var<storage, read> tab: array<vec4<f32>>;',
    '@group(0) @binding(3) var<uniform> P: Params;',
    ...df64HelpersFor(main, 'P.one'),
    main,
    '',
  ].join('\n');
}
