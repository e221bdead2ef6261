// lensc curvatureMatrixFft stage s4 (map) @ std/curvature_fft.ts:29:24
struct Uniforms {
  count: u32,
  gridX: u32,
  one: f32,
  sz_Nx: i32,
  sz_Ny: i32,
  sz_S_chunk: i32,
}
@group(0) @binding(0) var<storage, read> b_t1: array<f32>;
@group(0) @binding(1) var<storage, read> b_t3: array<f32>;
@group(0) @binding(2) var<storage, read_write> b_t4: array<f32>;
@group(0) @binding(3) var<uniform> u: Uniforms;
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let lensc_id = (wid.y * u.gridX + wid.x) * 64u + lid;
  if (lensc_id >= u.count) { return; }
  var lensc_rest = i32(lensc_id);
  let i3 = lensc_rest % 2i;
  lensc_rest = lensc_rest / 2i;
  let i2 = lensc_rest % (2i * u.sz_Nx);
  lensc_rest = lensc_rest / (2i * u.sz_Nx);
  let i1 = lensc_rest % (2i * u.sz_Ny);
  lensc_rest = lensc_rest / (2i * u.sz_Ny);
  let i0 = lensc_rest;
  let v1 = (i0 * (2i * u.sz_Ny));
  let v2 = (v1 + i1);
  let v3 = (v2 * (2i * u.sz_Nx));
  let v7 = (i1 * (2i * u.sz_Nx));
  let v4 = (v3 + i2);
  let v5 = (v4 * 2i);
  let v6 = b_t1[v5];
  let v8 = (v7 + i2);
  let v9 = (v8 * 2i);
  let v10 = (v9 + 1i);
  let v11 = b_t3[v10];
  let v12 = (v6 * v11);
  let v13 = (v5 + 1i);
  let v14 = b_t1[v13];
  let v15 = b_t3[v9];
  let v16 = (v14 * v15);
  let v17 = (v12 + v16);
  let v18 = (v6 * v15);
  let v19 = (v14 * v11);
  let v20 = (v18 - v19);
  let v0 = (i3 >= 1i);
  let v21 = select(v20, v17, v0);
  let v22 = (v5 + i3);
  b_t4[v22] = v21;
}
