// lensc wTildeScan stage s0 (map) @ std/w_tilde_scan.ts:20:22
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
  let v3 = (6.2831854820251465f * v2);
  let v8 = b_grid[v0];
  let v9 = (6.2831854820251465f * v8);
  let v20 = (i0 * (u.sz_K_chunk));
  let v4 = (i1 + u.fv_off_K);
  let v5 = (v4 * 2i);
  let v6 = b_uv[v5];
  let v7 = (v3 * v6);
  let v10 = (v5 + 1i);
  let v11 = b_uv[v10];
  let v12 = (v9 * v11);
  let v13 = (v7 + v12);
  let v14 = cos(v13);
  let v15 = b_noiseReal[v4];
  let v16 = (1.0f / v15);
  let v17 = (v14 * v16);
  let v18 = sin(v13);
  let v19 = (v18 * v16);
  let v21 = (v20 + i1);
  b_t0[v21] = v17;
  b_t1[v21] = v19;
}
