// lensc wTildeFromPixels stage s6 (map) @ std/w_tilde_pixels.ts:24:12
struct Uniforms {
  count: u32,
  gridX: u32,
  one: f32,
  sz_M: i32,
  sz_Nx: i32,
  sz_Ny: i32,
}
@group(0) @binding(0) var<storage, read> b_nativeIndex: array<i32>;
@group(0) @binding(1) var<storage, read_write> b_out_result: array<f32>;
@group(0) @binding(2) var<storage, read> b_t2: array<f32>;
@group(0) @binding(3) var<storage, read> b_t5: array<f32>;
@group(0) @binding(4) var<uniform> u: Uniforms;
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let lensc_id = (wid.y * u.gridX + wid.x) * 64u + lid;
  if (lensc_id >= u.count) { return; }
  var lensc_rest = i32(lensc_id);
  let i1 = lensc_rest % (u.sz_M);
  lensc_rest = lensc_rest / (u.sz_M);
  let i0 = lensc_rest;
  let v0 = (i0 * 2i);
  let v1 = b_nativeIndex[v0];
  let v7 = (v0 + 1i);
  let v8 = b_nativeIndex[v7];
  let v17 = (i0 * (u.sz_M));
  let v2 = (i1 * 2i);
  let v3 = b_nativeIndex[v2];
  let v4 = (v1 - v3);
  let v5 = (v4 + (u.sz_Ny));
  let v6 = (v5 * (2i * u.sz_Nx));
  let v9 = (v2 + 1i);
  let v10 = b_nativeIndex[v9];
  let v11 = (v8 - v10);
  let v12 = (v11 + (u.sz_Nx));
  let v13 = (v6 + v12);
  let v14 = b_t2[v13];
  let v15 = b_t5[v13];
  let v16 = (v14 + v15);
  let v18 = (v17 + i1);
  b_out_result[v18] = v16;
}
