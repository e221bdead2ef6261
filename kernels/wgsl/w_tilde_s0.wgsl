// lensc wTilde stage s0 (map) @ std/w_tilde.ts:39:15
struct Uniforms {
  count: u32,
  gridX: u32,
  one: f32,
  sz_K_chunk: i32,
  sz_M: i32,
  fv_off_K: i32,
}
@group(0) @binding(0) var<storage, read> b_grid: array<f32>;
@group(0) @binding(1) var<storage, read> b_noiseReal: array<f32>;
@group(0) @binding(2) var<storage, read_write> b_t0: array<f32>;
@group(0) @binding(3) var<storage, read_write> b_t1: array<f32>;
@group(0) @binding(4) var<storage, read> b_uv: array<f32>;
@group(0) @binding(5) var<uniform> u: Uniforms;
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let lensc_id = (wid.y * u.gridX + wid.x) * 64u + lid;
  if (lensc_id >= u.count) { return; }
  var lensc_rest = i32(lensc_id);
  let i1 = lensc_rest % (u.sz_K_chunk);
  lensc_rest = lensc_rest / (u.sz_K_chunk);
  let i0 = lensc_rest;
  let v0 = (i0 * 2i);
  let v1 = (v0 + 1i);
  let v2 = b_grid[v1];
  let v7 = b_grid[v0];
  let v21 = (i0 * (u.sz_K_chunk));
  let v3 = (i1 + u.fv_off_K);
  let v4 = (v3 * 2i);
  let v5 = b_uv[v4];
  let v6 = (v2 * v5);
  let v8 = (v4 + 1i);
  let v9 = b_uv[v8];
  let v10 = (v7 * v9);
  let v11 = (v6 + v10);
  let v12 = (v11 + 0.5f);
  let v13 = floor(v12);
  let v14 = (v11 - v13);
  let v15 = (6.2831854820251465f * v14);
  let v16 = cos(v15);
  let v17 = b_noiseReal[v3];
  let v18 = (v16 / v17);
  let v19 = sin(v15);
  let v20 = (v19 / v17);
  let v22 = (v21 + i1);
  b_t0[v22] = v18;
  b_t1[v22] = v20;
}
