// lensc curvatureMatrix stage s0 (scatter) @ std/curvature.ts:21:15
struct Uniforms {
  count: u32,
  gridX: u32,
  one: f32,
  sz_B: i32,
  sz_M: i32,
  sz_Nx: i32,
  sz_Ny: i32,
  sz_S: i32,
  sz_red_len: i32,
  fv_red_off: i32,
}
@group(0) @binding(0) var<storage, read> b_nativeIndex: array<i32>;
@group(0) @binding(1) var<storage, read> b_pixIndexes: array<i32>;
@group(0) @binding(2) var<storage, read> b_pixWeights: array<f32>;
@group(0) @binding(3) var<storage, read> b_preload: array<f32>;
@group(0) @binding(4) var<storage, read_write> b_t0: array<f32>;
@group(0) @binding(5) var<storage, read_write> lensc_err: array<atomic<i32>>;
@group(0) @binding(6) var<uniform> u: Uniforms;
// Floor modulo: the result has the divisor's sign.
fn lensc_imod(a: i32, b: i32) -> i32 {
  if (b == 0i) { return 0i; }
  let r = a % b;
  return select(r, r + b, (r != 0i) && ((r < 0i) != (b < 0i)));
}
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let lensc_id = (wid.y * u.gridX + wid.x) * 64u + lid;
  if (lensc_id >= u.count) { return; }
  let i0 = i32(lensc_id);
  let v9 = ((u.sz_Ny) * 2i);
  let v17 = ((u.sz_Nx) * 2i);
  let v6 = (i0 * 2i);
  let v7 = b_nativeIndex[v6];
  let v14 = (v6 + 1i);
  let v15 = b_nativeIndex[v14];
  for (var i1 = 0i; i1 < (u.sz_red_len); i1++) {
    let v0 = (i1 + u.fv_red_off);
    let v1 = (v0 * (u.sz_B));
    let v4 = (v0 * 2i);
    let v5 = b_nativeIndex[v4];
    let v8 = (v5 - v7);
    let v10 = lensc_imod(v8, v9);
    let v11 = (v10 * (2i * u.sz_Nx));
    let v12 = (v4 + 1i);
    let v13 = b_nativeIndex[v12];
    let v16 = (v13 - v15);
    let v18 = lensc_imod(v16, v17);
    let v19 = (v11 + v18);
    let v20 = b_preload[v19];
    for (var i2 = 0i; i2 < (u.sz_B); i2++) {
      let v2 = (v1 + i2);
      let v3 = b_pixIndexes[v2];
      let v21 = b_pixWeights[v2];
      let v22 = (v20 * v21);
      if (!(i0 == (-1i) || v3 == (-1i))) {
        if (i0 < 0i || i0 >= (u.sz_M) || v3 < 0i || v3 >= (u.sz_S)) {
          if (atomicAdd(&lensc_err[0], 1i) == 0i) { atomicStore(&lensc_err[1], i0); atomicStore(&lensc_err[2], v3); } continue;
        }
        b_t0[(i0) * (u.sz_S) + v3] += v22;
      }
    }
  }
}
