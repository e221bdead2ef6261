// @ts-check
/**
 * WGSL source of the compensated matmul-accumulate, C(m×n) += alpha · A(m×k) · op(B), all f32,
 * row-major with leading dimensions and element offsets (so chunks of larger matrices can be used
 * in place). 16×16 workgroups, one output per invocation, 16×16 tiles of A and B staged in workgroup
 * memory.
 *
 * Accuracy: each invocation sums its k products with TwoSum (Knuth, branch-free), keeping the exact
 * rounding error of every addition in a second f32, folded back (renormalised) once per 16-term
 * tile — so the result is as if summed in ~2× f32 precision and the error no longer grows with k. fma(a, b, -p) adds the product's own rounding
 * error where the driver fuses fma (where it does not, that term is 0 and nothing is lost). The
 * `lo` variant keeps C as an unevaluated sum hi + lo of two f32 buffers across calls, so
 * accumulating over many k-chunks stays compensated too.
 */

export const TILE = 16;

/**
 * Uniform layout shared with matmul.js (16 × 4 bytes).
 * Field order matters: matmul.js writes them by index.
 */
export const PARAM_FIELDS = ['m', 'n', 'k', 'lda', 'ldb', 'ldc', 'aOff', 'bOff', 'cOff', 'loOff', 'tilesN', 'tiles', 'gridX', 'alpha', 'one'];

/**
 * @param {{ transB: boolean, lo: boolean }} variant
 * @returns {string}
 */
export function matmulSource({ transB, lo }) {
  const paramsBinding = lo ? 4 : 3;
  // transB: B is n×k; thread (x, y) loads B[col0 + y, k0 + x] (reads along k) and stores it transposed.
  const loadB = transB
    ? `  let bRow = col0 + lid.y; let bK = k0 + lid.x;
    var bv = 0.0;
    if (bRow < p.n && bK < p.k) { bv = B[p.bOff + bRow * p.ldb + bK]; }
    Bs[lid.x][lid.y] = bv;`
    : `  let bK = k0 + lid.y; let bCol = col0 + lid.x;
    var bv = 0.0;
    if (bK < p.k && bCol < p.n) { bv = B[p.bOff + bK * p.ldb + bCol]; }
    Bs[lid.y][lid.x] = bv;`;
  const store = lo
    ? `    // (hi, lo) += (s, c): exact TwoSum into hi, errors into lo, then renormalise so |lo| ≤ ulp(hi)/2.
    let li = p.loOff + row * p.ldc + col;
    let h = twoSum(C[ci], s);
    let r = twoSum(h.x, (Clo[li] + c) + h.y);
    C[ci] = r.x;
    Clo[li] = r.y;`
    : `    let h = twoSum(C[ci], s);
    C[ci] = h.x + (h.y + c);`;
  return /* wgsl */ `// lensc matmulAccumulate (transB=${transB}, lo=${lo})
struct Params {
  m: u32, n: u32, k: u32, lda: u32,
  ldb: u32, ldc: u32, aOff: u32, bOff: u32,
  cOff: u32, loOff: u32, tilesN: u32, tiles: u32,
  gridX: u32, alpha: f32, one: f32, pad0: u32,
}
@group(0) @binding(0) var<storage, read> A: array<f32>;
@group(0) @binding(1) var<storage, read> B: array<f32>;
@group(0) @binding(2) var<storage, read_write> C: array<f32>;
${lo ? '@group(0) @binding(3) var<storage, read_write> Clo: array<f32>;\n' : ''}@group(0) @binding(${paramsBinding}) var<uniform> p: Params;

const T = ${TILE}u;
var<workgroup> As: array<array<f32, ${TILE}>, ${TILE}>; // As[row][kk]
var<workgroup> Bs: array<array<f32, ${TILE}>, ${TILE}>; // Bs[kk][col]

// a + b = s + e exactly (Knuth's TwoSum, no branch, no magnitude precondition).
// p.one is 1.0 at run time; multiplying by it stops shader compilers (Mesa's NIR does) from
// "simplifying" (a - (s - (s - a))) to 0, which would silently turn this into naive summation.
fn twoSum(a: f32, b: f32) -> vec2<f32> {
  let s = a + b;
  let bb = (s * p.one - a) * p.one;
  let e = (a - (s - bb) * p.one) * p.one + (b - bb);
  return vec2<f32>(s, e);
}

@compute @workgroup_size(${TILE}, ${TILE})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  // 2-D grid folded to a linear tile id (65535 workgroups per dimension); uniform per workgroup,
  // so returning here before the barriers is allowed.
  let tile = wid.y * p.gridX + wid.x;
  if (tile >= p.tiles) { return; }
  let row0 = (tile / p.tilesN) * T;
  let col0 = (tile % p.tilesN) * T;
  let row = row0 + lid.y;
  let col = col0 + lid.x;
  var s = 0.0; // running sum
  var c = 0.0; // accumulated rounding errors: the sum is s + c
  let nk = (p.k + T - 1u) / T;
  for (var t = 0u; t < nk; t++) {
    let k0 = t * T;
    let aRow = row0 + lid.y; let aK = k0 + lid.x;
    var av = 0.0;
    if (aRow < p.m && aK < p.k) { av = A[p.aOff + aRow * p.lda + aK]; }
    As[lid.y][lid.x] = av;
  ${loadB}
    workgroupBarrier();
    for (var kk = 0u; kk < T; kk++) {
      let a = As[lid.y][kk];
      let b = Bs[kk][lid.x];
      let prod = (a * b) * p.one; // opaque, so fma(a, b, -prod) is not folded to 0
      let ps = twoSum(s, prod);
      s = ps.x;
      c += ps.y + fma(a, b, -prod);
    }
    // Renormalise once per tile so |c| stays below ulp(s): otherwise c itself drifts, since the
    // errors it collects often share a sign (k = 2^18 equal terms: 4e-6 relative instead of 0).
    let r = twoSum(s, c);
    s = r.x;
    c = r.y;
    workgroupBarrier();
  }
  if (row < p.m && col < p.n) {
    let ci = p.cOff + row * p.ldc + col;
    // alpha scales both parts; with alpha = 1 this is exact.
    s = s * p.alpha;
    c = c * p.alpha;
${store}
  }
}
`;
}
