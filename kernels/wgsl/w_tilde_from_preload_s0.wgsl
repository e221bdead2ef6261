// lensc wTildeFromPreload stage s0 (map) @ std/grid.ts:23:10
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
@group(0) @binding(2) var<storage, read> b_preload: array<f32>;
@group(0) @binding(3) var<uniform> u: Uniforms;
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
  let i1 = lensc_rest % (u.sz_M);
  lensc_rest = lensc_rest / (u.sz_M);
  let i0 = lensc_rest;
  let v5 = ((u.sz_Ny) * 2i);
  let v13 = ((u.sz_Nx) * 2i);
  let v2 = (i0 * 2i);
  let v3 = b_nativeIndex[v2];
  let v10 = (v2 + 1i);
  let v11 = b_nativeIndex[v10];
  let v17 = (i0 * (u.sz_M));
  let v0 = (i1 * 2i);
  let v1 = b_nativeIndex[v0];
  let v4 = (v1 - v3);
  let v6 = lensc_imod(v4, v5);
  let v7 = (v6 * (2i * u.sz_Nx));
  let v8 = (v0 + 1i);
  let v9 = b_nativeIndex[v8];
  let v12 = (v9 - v11);
  let v14 = lensc_imod(v12, v13);
  let v15 = (v7 + v14);
  let v16 = b_preload[v15];
  let v18 = (v17 + i1);
  b_out_result[v18] = v16;
}
