// lensc wTildePreload stage s6 (map) @ std/preload.ts:24:12
struct Uniforms {
  count: u32,
  gridX: u32,
  one: f32,
  sz_Nx: i32,
  sz_Ny: i32,
}
@group(0) @binding(0) var<storage, read_write> b_out_result: array<f32>;
@group(0) @binding(1) var<storage, read> b_t2: array<f32>;
@group(0) @binding(2) var<storage, read> b_t5: array<f32>;
@group(0) @binding(3) var<uniform> u: Uniforms;
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let lensc_id = (wid.y * u.gridX + wid.x) * 64u + lid;
  if (lensc_id >= u.count) { return; }
  var lensc_rest = i32(lensc_id);
  let i1 = lensc_rest % (2i * u.sz_Nx);
  lensc_rest = lensc_rest / (2i * u.sz_Nx);
  let i0 = lensc_rest;
  let v0 = (i0 == (u.sz_Ny));
  let v3 = (i0 * (2i * u.sz_Nx));
  let v1 = (i1 == (u.sz_Nx));
  let v2 = (v0 || v1);
  let v4 = (v3 + i1);
  let v5 = b_t2[v4];
  let v6 = b_t5[v4];
  let v7 = (v5 + v6);
  let v8 = select(v7, 0.0f, v2);
  b_out_result[v4] = v8;
}
