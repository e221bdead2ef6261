// lensc wTildeFromPixels stage s3 (map) @ std/w_tilde_pixels.ts:24:16
struct Uniforms {
  count: u32,
  gridX: u32,
  one: f32,
  sz_K_chunk: i32,
  sz_Ny: i32,
  fv_off_K: i32,
}
@group(0) @binding(0) var<storage, read> b_noiseReal: array<f32>;
@group(0) @binding(1) var<storage, read> b_pixelScales: array<f32>;
@group(0) @binding(2) var<storage, read_write> b_t3: array<f32>;
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
  let v3 = b_pixelScales[0i];
  let v0 = (i0 - (u.sz_Ny));
  let v1 = f32(v0);
  let v2 = ((-6.2831854820251465f) * v1);
  let v4 = (v2 * v3);
  let v16 = (i0 * (u.sz_K_chunk));
  let v5 = (i1 + u.fv_off_K);
  let v6 = (v5 * 2i);
  let v7 = (v6 + 1i);
  let v8 = b_uv[v7];
  let v9 = (v4 * v8);
  let v10 = sin(v9);
  let v11 = b_noiseReal[v5];
  let v12 = (v11 * v11);
  let v13 = (1.0f / v12);
  let v14 = (v10 * v13);
  let v15 = (-v14);
  let v17 = (v16 + i1);
  b_t3[v17] = v15;
}
