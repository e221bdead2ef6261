// lensc curvatureMatrixFft stage s6 (scatter) @ std/curvature_fft.ts:35:12
struct Uniforms {
  count: u32,
  gridX: u32,
  one: f32,
  sz_B: i32,
  sz_Nx: i32,
  sz_Ny: i32,
  sz_S: i32,
  sz_S_chunk: i32,
  sz_red_len: i32,
  fv_off_S: i32,
  fv_red_off: i32,
}
@group(0) @binding(0) var<storage, read> b_nativeIndex: array<i32>;
@group(0) @binding(1) var<storage, read_write> b_out_result: array<f32>;
@group(0) @binding(2) var<storage, read> b_pixIndexes: array<i32>;
@group(0) @binding(3) var<storage, read> b_pixWeights: array<f32>;
@group(0) @binding(4) var<storage, read> b_t5: array<f32>;
@group(0) @binding(5) var<storage, read_write> lensc_err: array<atomic<i32>>;
@group(0) @binding(6) var<uniform> u: Uniforms;
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let lensc_id = (wid.y * u.gridX + wid.x) * 64u + lid;
  if (lensc_id >= u.count) { return; }
  let i2 = i32(lensc_id);
  let v4 = (i2 + u.fv_off_S);
  let v6 = (i2 * (2i * u.sz_Ny));
  for (var i0 = 0i; i0 < (u.sz_red_len); i0++) {
    let v0 = (i0 + u.fv_red_off);
    let v1 = (v0 * (u.sz_B));
    let v7 = (v0 * 2i);
    let v8 = b_nativeIndex[v7];
    let v9 = (v6 + v8);
    let v10 = (v9 * (2i * u.sz_Nx));
    let v11 = (v7 + 1i);
    let v12 = b_nativeIndex[v11];
    let v13 = (v10 + v12);
    let v14 = (v13 * 2i);
    let v15 = b_t5[v14];
    for (var i1 = 0i; i1 < (u.sz_B); i1++) {
      let v2 = (v1 + i1);
      let v3 = b_pixIndexes[v2];
      let v5 = b_pixWeights[v2];
      let v16 = (v5 * v15);
      if (!(v3 == (-1i) || v4 == (-1i))) {
        if (v3 < 0i || v3 >= (u.sz_S) || v4 < 0i || v4 >= (u.sz_S)) {
          if (atomicAdd(&lensc_err[0], 1i) == 0i) { atomicStore(&lensc_err[1], v3); atomicStore(&lensc_err[2], v4); } continue;
        }
        b_out_result[(v3) * (u.sz_S) + v4] += v16;
      }
    }
  }
}
