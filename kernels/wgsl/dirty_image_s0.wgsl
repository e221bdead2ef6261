// lensc dirtyImage stage s0 (map) @ std/dirty_image.ts:15:12
struct Uniforms {
  count: u32,
  gridX: u32,
  one: f32,
  sz_M: i32,
  sz_red_len: i32,
  fv_off_K: i32,
  fv_red_off: i32,
}
@group(0) @binding(0) var<storage, read> b_grid: array<f32>;
@group(0) @binding(1) var<storage, read> b_h0: array<f32>;
@group(0) @binding(2) var<storage, read> b_h1: array<f32>;
@group(0) @binding(3) var<storage, read_write> b_out_result: array<f32>;
@group(0) @binding(4) var<storage, read> b_uv: array<f32>;
@group(0) @binding(5) var<uniform> u: Uniforms;
// (sum, compensation) + x with the rounding error of the addition kept exactly (Knuth's TwoSum).
fn lensc_two_sum(acc: vec2<f32>, x: f32) -> vec2<f32> {
  let s = acc.x + x;
  let bb = (s * u.one - acc.x) * u.one;
  let e = (acc.x - (s - bb) * u.one) * u.one + (x - bb);
  return vec2<f32>(s, acc.y + e);
}
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let lensc_id = (wid.y * u.gridX + wid.x) * 64u + lid;
  if (lensc_id >= u.count) { return; }
  let i0 = i32(lensc_id);
  var acc0 = vec2<f32>(0.0f, 0.0f);
  let v2 = (i0 * 2i);
  let v3 = (v2 + 1i);
  let v4 = b_grid[v3];
  let v9 = b_grid[v2];
  for (var i1 = 0i; i1 < (u.sz_red_len); i1++) {
    let v0 = (i1 + u.fv_red_off);
    let v1 = b_h0[v0];
    let v5 = (v0 + u.fv_off_K);
    let v6 = (v5 * 2i);
    let v7 = b_uv[v6];
    let v8 = (v4 * v7);
    let v10 = (v6 + 1i);
    let v11 = b_uv[v10];
    let v12 = (v9 * v11);
    let v13 = (v8 + v12);
    let v14 = (v13 + 0.5f);
    let v15 = floor(v14);
    let v16 = (v13 - v15);
    let v17 = (6.2831854820251465f * v16);
    let v18 = cos(v17);
    let v19 = (v1 * v18);
    let v20 = b_h1[v0];
    let v21 = sin(v17);
    let v22 = (v20 * v21);
    let v23 = (v19 - v22);
    acc0 = lensc_two_sum(acc0, v23);
  }
  b_out_result[i0] += (acc0.x + acc0.y);
}
