// lensc wTildeDirect stage s0 (map) @ std/w_tilde.ts:25:12
struct Uniforms {
  count: u32,
  gridX: u32,
  one: f32,
  sz_M: i32,
  sz_red_len: i32,
  fv_red_off: i32,
}
@group(0) @binding(0) var<storage, read> b_grid: array<f32>;
@group(0) @binding(1) var<storage, read> b_noiseReal: array<f32>;
@group(0) @binding(2) var<storage, read_write> b_out_result: array<f32>;
@group(0) @binding(3) var<storage, read> b_uv: array<f32>;
@group(0) @binding(4) var<uniform> u: Uniforms;
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
  var lensc_rest = i32(lensc_id);
  let i1 = lensc_rest % (u.sz_M);
  lensc_rest = lensc_rest / (u.sz_M);
  let i0 = lensc_rest;
  let v0 = (i0 * 2i);
  let v1 = (v0 + 1i);
  let v2 = b_grid[v1];
  let v11 = b_grid[v0];
  let v26 = (i0 * (u.sz_M));
  var acc0 = vec2<f32>(0.0f, 0.0f);
  let v3 = (i1 * 2i);
  let v4 = (v3 + 1i);
  let v5 = b_grid[v4];
  let v6 = (v2 - v5);
  let v12 = b_grid[v3];
  let v13 = (v11 - v12);
  let v27 = (v26 + i1);
  for (var i2 = 0i; i2 < (u.sz_red_len); i2++) {
    let v7 = (i2 + u.fv_red_off);
    let v8 = (v7 * 2i);
    let v9 = b_uv[v8];
    let v10 = (v6 * v9);
    let v14 = (v8 + 1i);
    let v15 = b_uv[v14];
    let v16 = (v13 * v15);
    let v17 = (v10 + v16);
    let v18 = (v17 + 0.5f);
    let v19 = floor(v18);
    let v20 = (v17 - v19);
    let v21 = (6.2831854820251465f * v20);
    let v22 = cos(v21);
    let v23 = b_noiseReal[v7];
    let v24 = (v23 * v23);
    let v25 = (v22 / v24);
    acc0 = lensc_two_sum(acc0, v25);
  }
  if (u.fv_red_off == 0i) { b_out_result[v27] = (acc0.x + acc0.y); } else { b_out_result[v27] += (acc0.x + acc0.y); }
}
