// @ts-check
/**
 * WGSL source of the compensated matmul-accumulate, C(m×n) += alpha · op(A) · op(B), all f32 (op(A) = A
 * (m×k) or, with transA, the transpose of a k×m A),
 * row-major with leading dimensions and element offsets (so chunks of larger matrices are used in
 * place). 16×16 workgroups; each invocation owns an R×R block of outputs (R = 1, 2 or 4; rows ly + 16i,
 * cols lx + 16j), so a workgroup covers a 16R×16R tile of C; k advances in steps of 16 with the A and B
 * slices staged in workgroup memory. Register blocking matters even on llvmpipe, where staging
 * loads, not flops, bound the speed.
 *
 * Accuracy: each output sums its k products with TwoSum (Knuth, branch-free), keeping the exact
 * rounding error of every addition in a second f32, folded back (renormalised) once per 16-term
 * step — so the result is as if summed in ~2× f32 precision and the error no longer grows with k.
 * With `fma` (use it only where the driver fuses fma; see fma-probe.js) the product's own rounding
 * error fma(a, b, -p) is added too. The `lo` variant keeps C as an unevaluated sum hi + lo of two f32
 * buffers across calls, so accumulating over many k-chunks stays compensated as well.
 */

/** Invocations per workgroup side. */
export const WG = 16;

/**
 * Uniform layout shared with matmul.js (16 × 4 bytes); matmul.js writes the fields by index.
 */
export const PARAM_FIELDS = [
  'm',
  'n',
  'k',
  'lda',
  'ldb',
  'ldc',
  'aOff',
  'bOff',
  'cOff',
  'loOff',
  'tilesN',
  'tiles',
  'gridX',
  'alpha',
  'one',
];

/**
 * @param {{ transA?: boolean, transB: boolean, lo: boolean, fma?: boolean, block?: 1 | 2 | 4 }} variant
 * @returns {string}
 */
export function matmulSource({ transA = false, transB, lo, fma = false, block = 4 }) {
  if (![1, 2, 4].includes(block)) throw new RangeError(`matmulSource: block must be 1, 2 or 4, got ${block}`);
  const R = block;
  const TM = WG * R; // rows (and cols) of C per workgroup
  const V = R === 1 ? 'f32' : `vec${R}<f32>`;
  const range = [...Array(R).keys()];
  const comp = R === 1 ? [''] : ['.x', '.y', '.z', '.w'];
  const paramsBinding = lo ? 4 : 3;

  // Staging: 256 invocations load the TM×16 slice of A (and of B) in R rounds; consecutive
  // invocations read consecutive addresses of the source row. As[kk*TM + r], Bs[kk*TM + c].
  // With transA, A is stored k×m: consecutive invocations walk a row of it (r fastest), as for B.
  const loadA = range
    .map((e) =>
      transA
        ? `    {
      let idx = li + ${e * WG * WG}u; let kk = idx / ${TM}u; let r = idx % ${TM}u;
      var v = 0.0;
      if (row0 + r < p.m && k0 + kk < p.k) { v = A[p.aOff + (k0 + kk) * p.lda + row0 + r]; }
      As[kk * ${TM}u + r] = v;
    }`
        : `    {
      let idx = li + ${e * WG * WG}u; let r = idx / ${WG}u; let kk = idx % ${WG}u;
      var v = 0.0;
      if (row0 + r < p.m && k0 + kk < p.k) { v = A[p.aOff + (row0 + r) * p.lda + k0 + kk]; }
      As[kk * ${TM}u + r] = v;
    }`,
    )
    .join('\n');
  const loadB = range
    .map((e) =>
      transB
        ? `    {
      let idx = li + ${e * WG * WG}u; let c = idx / ${WG}u; let kk = idx % ${WG}u;
      var v = 0.0;
      if (col0 + c < p.n && k0 + kk < p.k) { v = B[p.bOff + (col0 + c) * p.ldb + k0 + kk]; }
      Bs[kk * ${TM}u + c] = v;
    }`
        : `    {
      let idx = li + ${e * WG * WG}u; let kk = idx / ${TM}u; let c = idx % ${TM}u;
      var v = 0.0;
      if (k0 + kk < p.k && col0 + c < p.n) { v = B[p.bOff + (k0 + kk) * p.ldb + col0 + c]; }
      Bs[kk * ${TM}u + c] = v;
    }`,
    )
    .join('\n');

  const decl = range.map((i) => `  var s${i} = ${V}(0.0); var c${i} = ${V}(0.0);`).join('\n');
  // The 16 steps over kk are unrolled here rather than looped in WGSL: llvmpipe counts every loop
  // iteration of an invocation against one budget of 65535 (loop-probe.js), so the only loop left
  // is the one over k-steps, and matmul.js splits k so that it stays within the budget.
  const step = (/** @type {number} */ kk) => {
    const aVec = `${V}(${range.map((i) => `As[${kk * TM}u + lid.y + ${i * WG}u]`).join(', ')})`;
    const bVec = `${V}(${range.map((j) => `Bs[${kk * TM}u + lid.x + ${j * WG}u]`).join(', ')})`;
    const mac = range
      .map(
        (i) => `      {
        let prod = (a${comp[i]} * b) * p.one; // opaque product (see twoSum)
        let t = twoSum(s${i}, prod);
        s${i} = t.s;
        c${i} += t.e${fma ? ` + fma(${V}(a${comp[i]}), b, -prod)` : ''};
      }`,
      )
      .join('\n');
    return `    {
      let a = ${aVec};
      let b = ${bVec};
${mac}
    }`;
  };
  const steps = [...Array(WG).keys()].map(step).join('\n');
  const renorm = range.map((i) => `    { let t = twoSum(s${i}, c${i}); s${i} = t.s; c${i} = t.e; }`).join('\n');
  const store = range
    .flatMap((i) =>
      range.map(
        (j) => `  if (row0 + lid.y + ${i * WG}u < p.m && col0 + lid.x + ${j * WG}u < p.n) {
    put(row0 + lid.y + ${i * WG}u, col0 + lid.x + ${j * WG}u, s${i}${comp[j]}, c${i}${comp[j]});
  }`,
      ),
    )
    .join('\n');
  const putBody = lo
    ? `  // (hi, lo) += (s, c): exact TwoSum into hi, errors into lo, renormalised so |lo| ≤ ulp(hi)/2.
  let li = p.loOff + row * p.ldc + col;
  let h = twoSum1(C[ci], s * p.alpha);
  let r = twoSum1(h.x, (Clo[li] + c * p.alpha) + h.y);
  C[ci] = r.x;
  Clo[li] = r.y;`
    : `  let h = twoSum1(C[ci], s * p.alpha);
  C[ci] = h.x + (h.y + c * p.alpha);`;

  return /* wgsl */ `// lensc matmulAccumulate (transA=${transA}, transB=${transB}, lo=${lo}, fma=${fma}, block=${R}x${R})
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

var<workgroup> As: array<f32, ${TM * WG}>;
var<workgroup> Bs: array<f32, ${TM * WG}>;

struct Pair { s: ${V}, e: ${V} }

// a + b = s + e exactly (Knuth's TwoSum: no branch, no magnitude precondition).
// p.one is 1.0 at run time; multiplying by it stops shader compilers (Mesa's NIR does) from
// "simplifying" (a - (s - (s - a))) to 0, which would silently turn this into naive summation.
fn twoSum(a: ${V}, b: ${V}) -> Pair {
  let s = a + b;
  let bb = (s * p.one - a) * p.one;
  let e = (a - (s - bb) * p.one) * p.one + (b - bb);
  return Pair(s, e);
}
fn twoSum1(a: f32, b: f32) -> vec2<f32> {
  let s = a + b;
  let bb = (s * p.one - a) * p.one;
  let e = (a - (s - bb) * p.one) * p.one + (b - bb);
  return vec2<f32>(s, e);
}

fn put(row: u32, col: u32, s: f32, c: f32) {
  let ci = p.cOff + row * p.ldc + col;
${putBody}
}

@compute @workgroup_size(${WG}, ${WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>,
        @builtin(local_invocation_index) li: u32) {
  // 2-D grid folded to a linear tile id (65535 workgroups per dimension); uniform per workgroup,
  // so returning here, before the barriers, is allowed.
  let tile = wid.y * p.gridX + wid.x;
  if (tile >= p.tiles) { return; }
  let row0 = (tile / p.tilesN) * ${TM}u;
  let col0 = (tile % p.tilesN) * ${TM}u;
  // Output (row0 + lid.y + 16i, col0 + lid.x + 16j) is s_i[j] + c_i[j].
${decl}
  let nk = (p.k + ${WG - 1}u) / ${WG}u; // one loop iteration per k-step (see the unrolled steps)
  for (var t = 0u; t < nk; t++) {
    let k0 = t * ${WG}u;
${loadA}
${loadB}
    workgroupBarrier();
${steps}
    // Renormalise once per step so |c| stays below ulp(s): otherwise c itself drifts, since the
    // errors it collects often share a sign (k = 2^18 equal terms: 4e-6 relative instead of 0).
${renorm}
    workgroupBarrier();
  }
${store}
}
`;
}
