// lensc curvatureMatrixFft stage s2 (map) @ std/curvature_fft.ts:24:27
struct Uniforms {
  count: u32,
  gridX: u32,
  one: f32,
  sz_Nx: i32,
  sz_Ny: i32,
}
@group(0) @binding(0) var<storage, read> b_preload: array<f32>;
@group(0) @binding(1) var<storage, read_write> b_t2: array<f32>;
@group(0) @binding(2) var<uniform> u: Uniforms;
// Floor modulo: the result has the divisor's sign.
fn lensc_imod(a: i32, b: i32) -> i32 {
  if (b == 0i) { return 0i; }
  let r = a % b;
  return select(r, r + b, (r != 0i) && ((r < 0i) != (b < 0i)));
}
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let lensc_id = (wid.y * u.gridX + wid.x) * 64u + lid;
  if (lensc_id >= u.count) { return; }
  var lensc_rest = i32(lensc_id);
  let i2 = lensc_rest % 2i;
  lensc_rest = lensc_rest / 2i;
  let i1 = lensc_rest % (2i * u.sz_Nx);
  lensc_rest = lensc_rest / (2i * u.sz_Nx);
  let i0 = lensc_rest;
  let v2 = ((u.sz_Ny) * 2i);
  let v6 = ((u.sz_Nx) * 2i);
  let v1 = (-i0);
  let v3 = lensc_imod(v1, v2);
  let v4 = (v3 * (2i * u.sz_Nx));
  let v11 = (i0 * (2i * u.sz_Nx));
  let v5 = (-i1);
  let v7 = lensc_imod(v5, v6);
  let v8 = (v4 + v7);
  let v9 = b_preload[v8];
  let v12 = (v11 + i1);
  let v13 = (v12 * 2i);
  let v0 = (i2 >= 1i);
  let v10 = select(v9, 0.0f, v0);
  let v14 = (v13 + i2);
  b_t2[v14] = v10;
}
