// Cholesky factorisation and triangular solves in df64 on the GPU, for df64 kernels (log evidence,
// regularization) that would otherwise need the CPU's f64. Column by column, as the runtime drives them
// (wgsl-support Run.cholesky / Run.triSolve): a host loop of small dispatches, each invocation summing
// one dot product in df64 in a fixed order, so results are deterministic and every invocation's loop
// stays far below llvmpipe's 65535-iteration limit (at most n iterations). Not tuned: O(n) dispatches.
//
// Cholesky (left-looking): for column j, one invocation forms d = A[j,j] − Σ_{k<j} L[j,k]² and stores
// L[j,j] = √d — or, when d is not positive (or NaN), records the pivot in `err` and stops the
// factorisation; then n − j − 1 invocations form L[i,j] = (A[i,j] − Σ_{k<j} L[i,k]·L[j,k]) / L[j,j].
// L's upper triangle stays as allocated (zero). Triangular solves: L·X = B row by row downwards, or
// Lᵀ·X = B upwards, one invocation per right-hand-side column.
import { df64HelpersFor } from './library.ts';

const WG = 64;

const header = (title: string, fields: string): string => `// ${title}
struct Uniforms { ${fields} }`;

const entry = (body: string): string => `@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let id = wid.x * ${WG}u + lid;
${body}
}`;

function assemble(parts: string[], main: string): string {
  return [...parts, ...df64HelpersFor(main, 'u.one'), main, ''].join('\n');
}

/** The two Cholesky shaders: the pivot of column j, and the column below it. */
export function choleskyShaders(title: string): { diag: string; col: string } {
  const decl = [
    header(title, 'n: i32, j: i32, one: f32, count: u32,'),
    '@group(0) @binding(0) var<storage, read> A: array<vec2<f32>>;',
    '@group(0) @binding(1) var<storage, read_write> L: array<vec2<f32>>;',
    '@group(0) @binding(2) var<storage, read_write> err: array<atomic<i32>>;',
    '@group(0) @binding(3) var<uniform> u: Uniforms;',
  ];
  const diag = entry(`  if (id >= u.count) { return; }
  if (atomicLoad(&err[0]) != 0i) { return; }
  let j = u.j;
  var s = A[j * u.n + j];
  for (var k = 0i; k < j; k++) {
    let x = L[j * u.n + k];
    s = df_sub(s, df_mul(x, x));
  }
  if (!(s.x > 0.0f)) {
    atomicStore(&err[1], j);
    atomicStore(&err[2], bitcast<i32>(s.x));
    atomicStore(&err[3], bitcast<i32>(s.y));
    atomicStore(&err[0], 1i);
    return;
  }
  L[j * u.n + j] = df_sqrt(s);`);
  const col = entry(`  if (id >= u.count) { return; }
  if (atomicLoad(&err[0]) != 0i) { return; }
  let j = u.j;
  let i = j + 1i + i32(id);
  var s = A[i * u.n + j];
  for (var k = 0i; k < j; k++) {
    s = df_sub(s, df_mul(L[i * u.n + k], L[j * u.n + k]));
  }
  L[i * u.n + j] = df_div(s, L[j * u.n + j]);`);
  return { diag: assemble(decl, diag), col: assemble(decl, col) };
}

/** One row of a triangular solve: X[i, c] for every column c (transpose: Lᵀ·X = B, rows upwards). */
export function triSolveShader(title: string, transpose: boolean): string {
  const decl = [
    header(title, 'n: i32, cols: i32, i: i32, one: f32, count: u32,'),
    '@group(0) @binding(0) var<storage, read> L: array<vec2<f32>>;',
    '@group(0) @binding(1) var<storage, read> B: array<vec2<f32>>;',
    '@group(0) @binding(2) var<storage, read_write> X: array<vec2<f32>>;',
    '@group(0) @binding(3) var<uniform> u: Uniforms;',
  ];
  const loop = transpose
    ? `  for (var k = i + 1i; k < u.n; k++) {
    s = df_sub(s, df_mul(L[k * u.n + i], X[k * u.cols + c]));
  }`
    : `  for (var k = 0i; k < i; k++) {
    s = df_sub(s, df_mul(L[i * u.n + k], X[k * u.cols + c]));
  }`;
  const main = entry(`  if (id >= u.count) { return; }
  let i = u.i;
  let c = i32(id);
  var s = B[i * u.cols + c];
${loop}
  X[i * u.cols + c] = df_div(s, L[i * u.n + i]);`);
  return assemble(decl, main);
}
