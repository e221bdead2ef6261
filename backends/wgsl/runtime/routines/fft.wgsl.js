// @ts-check
/**
 * WGSL source of one stage of the self-sorting (Stockham) FFT, f32, on complex values stored as
 * vec2<f32> (re, im) — the layout of lensc's [(B,) Ny, Nx, 2] tensors. A stage of radix r on lines of
 * n = r·m·s points writes output j = q + s·(r·p + u) as w^{p·u} · Σ_t x[q + s·(p + t·m)]·ω_r^{t·u}: one
 * invocation per output point (so the loop is r long, whatever the radix), reading twiddles w and roots ω
 * from a table the host computed in f64. Lines start at base(l) = (l / perImage)·imageSize +
 * (l % perImage)·lineStep and step elemStep: rows and columns of a batch of images alike.
 */

/** Invocations per workgroup. */
export const FFT_WG = 64;

/** Uniform layout shared with fft.js (16 × 4 bytes); fft.js writes the fields by index. */
export const FFT_FIELDS = [
  'r',
  'm',
  's',
  'n',
  'lines',
  'perImage',
  'imageSize',
  'lineStep',
  'elemStep',
  'twOff',
  'omOff',
  'gridX',
  'scale',
];

export const FFT_STAGE_WGSL = /* wgsl */ `
struct Params { r: u32, m: u32, s: u32, n: u32, lines: u32, perImage: u32, imageSize: u32, lineStep: u32,
  elemStep: u32, twOff: u32, omOff: u32, gridX: u32, scale: f32, pad0: u32, pad1: u32, pad2: u32 }
@group(0) @binding(0) var<storage, read> src: array<vec2<f32>>;
@group(0) @binding(1) var<storage, read_write> dst: array<vec2<f32>>;
@group(0) @binding(2) var<storage, read> tab: array<vec2<f32>>;
@group(0) @binding(3) var<uniform> P: Params;

fn cmul(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> { return vec2<f32>(a.x * b.x - a.y * b.y, a.x * b.y + a.y * b.x); }

@compute @workgroup_size(${FFT_WG})
fn main(@builtin(workgroup_id) wg: vec3<u32>, @builtin(local_invocation_index) li: u32) {
  let id = (wg.y * P.gridX + wg.x) * ${FFT_WG}u + li;
  if (id >= P.lines * P.n) { return; }
  let line = id / P.n;
  let j = id % P.n;
  let q = j % P.s;
  let pu = j / P.s;
  let u = pu % P.r;
  let p = pu / P.r;
  let base = (line / P.perImage) * P.imageSize + (line % P.perImage) * P.lineStep;
  var acc = vec2<f32>(0.0, 0.0);
  var k = 0u; // t·u mod r
  for (var t = 0u; t < P.r; t = t + 1u) {
    acc = acc + cmul(src[base + (q + P.s * (p + t * P.m)) * P.elemStep], tab[P.omOff + k]);
    k = k + u;
    if (k >= P.r) { k = k - P.r; }
  }
  dst[base + j * P.elemStep] = cmul(acc, tab[P.twOff + p * P.r + u]) * P.scale;
}
`;
