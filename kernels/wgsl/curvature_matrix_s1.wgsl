// lensc curvatureMatrix stage s1 (scatter) @ std/curvature.ts:25:12
struct Uniforms {
  count: u32,
  gridX: u32,
  one: f32,
  sz_B: i32,
  sz_S: i32,
  sz_red_len: i32,
  fv_red_off: i32,
}
@group(0) @binding(0) var<storage, read_write> b_out_result: array<f32>;
@group(0) @binding(1) var<storage, read> b_pixIndexes: array<i32>;
@group(0) @binding(2) var<storage, read> b_pixWeights: array<f32>;
@group(0) @binding(3) var<storage, read> b_t0: array<f32>;
@group(0) @binding(4) var<storage, read_write> lensc_err: array<atomic<i32>>;
@group(0) @binding(5) var<uniform> u: Uniforms;
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let lensc_id = (wid.y * u.gridX + wid.x) * 64u + lid;
  if (lensc_id >= u.count) { return; }
  let i2 = i32(lensc_id);
  for (var i0 = 0i; i0 < (u.sz_red_len); i0++) {
    let v0 = (i0 + u.fv_red_off);
    let v1 = (v0 * (u.sz_B));
    let v5 = (v0 * (u.sz_S));
    let v6 = (v5 + i2);
    let v7 = b_t0[v6];
    for (var i1 = 0i; i1 < (u.sz_B); i1++) {
      let v2 = (v1 + i1);
      let v3 = b_pixIndexes[v2];
      let v4 = b_pixWeights[v2];
      let v8 = (v4 * v7);
      if (!(v3 == (-1i) || i2 == (-1i))) {
        if (v3 < 0i || v3 >= (u.sz_S) || i2 < 0i || i2 >= (u.sz_S)) {
          if (atomicAdd(&lensc_err[0], 1i) == 0i) { atomicStore(&lensc_err[1], v3); atomicStore(&lensc_err[2], i2); } continue;
        }
        b_out_result[(v3) * (u.sz_S) + i2] += v8;
      }
    }
  }
}
