// lensc curvatureMatrixFft stage s0 (scatter) @ std/curvature_fft.ts:28:20
struct Uniforms {
  count: u32,
  gridX: u32,
  one: f32,
  sz_B: i32,
  sz_Nx: i32,
  sz_Ny: i32,
  sz_S_chunk: i32,
  sz_red_len: i32,
  fv_off_S: i32,
  fv_red_off: i32,
}
@group(0) @binding(0) var<storage, read> b_nativeIndex: array<i32>;
@group(0) @binding(1) var<storage, read> b_pixIndexes: array<i32>;
@group(0) @binding(2) var<storage, read> b_pixWeights: array<f32>;
@group(0) @binding(3) var<storage, read_write> b_t0: array<f32>;
@group(0) @binding(4) var<storage, read_write> lensc_err: array<atomic<i32>>;
@group(0) @binding(5) var<uniform> u: Uniforms;
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let lensc_id = (wid.y * u.gridX + wid.x) * 64u + lid;
  if (lensc_id >= u.count) { return; }
  let v5 = (u.fv_off_S + (u.sz_S_chunk));
  for (var i0 = 0i; i0 < (u.sz_red_len); i0++) {
    let v0 = (i0 + u.fv_red_off);
    let v1 = (v0 * (u.sz_B));
    let v10 = (v0 * 2i);
    let v11 = b_nativeIndex[v10];
    let v12 = (v10 + 1i);
    let v13 = b_nativeIndex[v12];
    for (var i1 = 0i; i1 < (u.sz_B); i1++) {
      let v2 = (v1 + i1);
      let v3 = b_pixIndexes[v2];
      let v4 = (v3 >= u.fv_off_S);
      let v6 = (v3 < v5);
      let v7 = (v4 && v6);
      let v8 = (v3 - u.fv_off_S);
      let v9 = select((-1i), v8, v7);
      let v14 = b_pixWeights[v2];
      if (!(v9 == (-1i) || v11 == (-1i) || v13 == (-1i) || 0i == (-1i))) {
        if (v9 < 0i || v9 >= (u.sz_S_chunk) || v11 < 0i || v11 >= (2i * u.sz_Ny) || v13 < 0i || v13 >= (2i * u.sz_Nx) || 0i < 0i || 0i >= 2i) {
          if (atomicAdd(&lensc_err[0], 1i) == 0i) { atomicStore(&lensc_err[1], v9); atomicStore(&lensc_err[2], v11); atomicStore(&lensc_err[3], v13); atomicStore(&lensc_err[4], 0i); } continue;
        }
        b_t0[(((v9) * (2i * u.sz_Ny) + v11) * (2i * u.sz_Nx) + v13) * 2i + 0i] += v14;
      }
    }
  }
}
