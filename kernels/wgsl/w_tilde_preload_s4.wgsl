// lensc wTildePreload stage s4 (map) @ std/preload.ts:21:45
struct Uniforms {
  count: u32,
  gridX: u32,
  one: f32,
  sz_K_chunk: i32,
  sz_Nx: i32,
  fv_off_K: i32,
}
@group(0) @binding(0) var<storage, read> b_noiseReal: array<f32>;
@group(0) @binding(1) var<storage, read> b_pixelScales: array<f32>;
@group(0) @binding(2) var<storage, read_write> b_t4: array<f32>;
@group(0) @binding(3) var<storage, read> b_uv: array<f32>;
@group(0) @binding(4) var<uniform> u: Uniforms;
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let lensc_id = (wid.y * u.gridX + wid.x) * 64u + lid;
  if (lensc_id >= u.count) { return; }
  var lensc_rest = i32(lensc_id);
  let i1 = lensc_rest % (u.sz_K_chunk);
  lensc_rest = lensc_rest / (u.sz_K_chunk);
  let i0 = lensc_rest;
  let v1 = ((u.sz_Nx) * 2i);
  let v5 = b_pixelScales[1i];
  let v0 = (i0 < (u.sz_Nx));
  let v2 = (i0 - v1);
  let v3 = select(v2, i0, v0);
  let v4 = f32(v3);
  let v6 = (v4 * v5);
  let v18 = (i0 * (u.sz_K_chunk));
  let v7 = (i1 + u.fv_off_K);
  let v8 = (v7 * 2i);
  let v9 = b_uv[v8];
  let v10 = (v6 * v9);
  let v11 = (v10 + 0.5f);
  let v12 = floor(v11);
  let v13 = (v10 - v12);
  let v14 = (6.2831854820251465f * v13);
  let v15 = sin(v14);
  let v16 = b_noiseReal[v7];
  let v17 = (v15 / v16);
  let v19 = (v18 + i1);
  b_t4[v19] = v17;
}
