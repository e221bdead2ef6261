// lensc wTildeFromPixels stage s4 (map) @ std/w_tilde_pixels.ts:24:16
struct Uniforms {
  count: u32,
  gridX: u32,
  one: f32,
  sz_K_chunk: i32,
  sz_Nx: i32,
  fv_off_K: i32,
}
@group(0) @binding(0) var<storage, read> b_pixelScales: array<f32>;
@group(0) @binding(1) var<storage, read_write> b_t4: array<f32>;
@group(0) @binding(2) var<storage, read> b_uv: array<f32>;
@group(0) @binding(3) var<uniform> u: Uniforms;
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let lensc_id = (wid.y * u.gridX + wid.x) * 64u + lid;
  if (lensc_id >= u.count) { return; }
  var lensc_rest = i32(lensc_id);
  let i1 = lensc_rest % (u.sz_K_chunk);
  lensc_rest = lensc_rest / (u.sz_K_chunk);
  let i0 = lensc_rest;
  let v2 = b_pixelScales[1i];
  let v0 = (i0 - (u.sz_Nx));
  let v1 = f32(v0);
  let v3 = (v1 * v2);
  let v13 = (i0 * (u.sz_K_chunk));
  let v4 = (i1 + u.fv_off_K);
  let v5 = (v4 * 2i);
  let v6 = b_uv[v5];
  let v7 = (v3 * v6);
  let v8 = (v7 + 0.5f);
  let v9 = floor(v8);
  let v10 = (v7 - v9);
  let v11 = (6.2831854820251465f * v10);
  let v12 = sin(v11);
  let v14 = (v13 + i1);
  b_t4[v14] = v12;
}
