// lensc dirtyImage stage s0h0 (map) @ std/dirty_image.ts:15:12
struct Uniforms {
  count: u32,
  gridX: u32,
  one: f32,
  sz_K_chunk: i32,
  fv_off_K: i32,
}
@group(0) @binding(0) var<storage, read_write> b_h0: array<f32>;
@group(0) @binding(1) var<storage, read_write> b_h1: array<f32>;
@group(0) @binding(2) var<storage, read> b_noiseMap: array<f32>;
@group(0) @binding(3) var<storage, read> b_visibilities: array<f32>;
@group(0) @binding(4) var<uniform> u: Uniforms;
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let lensc_id = (wid.y * u.gridX + wid.x) * 64u + lid;
  if (lensc_id >= u.count) { return; }
  let i1 = i32(lensc_id);
  let v0 = (i1 + u.fv_off_K);
  let v1 = (v0 * 2i);
  let v2 = b_visibilities[v1];
  let v3 = b_noiseMap[v1];
  let v4 = (v3 * v3);
  let v5 = (v2 / v4);
  let v6 = (v1 + 1i);
  let v7 = b_visibilities[v6];
  let v8 = b_noiseMap[v6];
  let v9 = (v8 * v8);
  let v10 = (v7 / v9);
  b_h0[i1] = v5;
  b_h1[i1] = v10;
}
