// @ts-check
// lensc/runtime/wgsl-support — what generated WGSL modules use besides the runtime proper
// (lensc/runtime/wgsl): options checking, the device's limits as the planner needs them, pipelines
// with a check of each stage's storage-buffer count, and one call's buffers and dispatches (Run).
// Plain ESM with no Node imports, so generated modules also run in browsers.
import { checkOptions as checkCommonOptions } from '../../common/options.js';
import {
  GpuUnavailableError,
  df64ToF64,
  f32ToF64,
  f64ToDf64,
  f64ToF32,
  f64ToF64x3,
  fft2Stockham,
  fft2StockhamDf64,
  getGpu,
  matmulAccumulate,
  workgroupGrid,
} from '../runtime/index.js';
import { SPLIT_LEN, SPLIT_OFF, UNIFORM_FREE, UNIFORM_SCALAR, UNIFORM_SIZE, WORKGROUP } from './contract.js';
import { df64Constants, df64TwoProduct } from './df64_two_product.js';

export { df64TwoProduct };

/**
 * What a df64 module's prepare() reports: the device's backend and the TwoProduct its df64 shaders
 * use there ('fma' where the device fuses fma, else 'dekker'; support/df64_two_product.js).
 * @param {Gpu} gpu @returns {Promise<{ backend: string, twoProduct: 'fma' | 'dekker' }>}
 */
export async function df64Info(gpu) {
  return { backend: gpu.backend, twoProduct: await df64TwoProduct(gpu) };
}

/** @typedef {import('../runtime/index.js').Gpu} Gpu */
/** @typedef {[string, 'u32' | 'i32' | 'f32']} Field */
/**
 * A GPU stage of a generated module (its STAGES table).
 * @typedef {object} StageInfo
 * @property {string} wgsl  the compute shader (entry point main)
 * @property {string[]} buffers  storage buffers in binding order
 * @property {boolean} error  a scatter: its error buffer follows the buffers
 * @property {Field[]} uniforms  the uniform struct's fields, in order
 * @property {(s: Record<string, number>) => number} count  invocations
 * @property {{ total: (s: Record<string, number>) => number, cost: (s: Record<string, number>) => number }} [split]
 *   the sequential axis split over dispatches: its extent and the loop iterations one of its steps costs
 * @property {(s: Record<string, number>) => number[]} [dims]  a scatter's target shape (for its error message)
 */

/** Loop iterations kept in reserve below the device's limit (a split loop costs steps·cost + 1). */
const LOOP_MARGIN = 64;
const I32_MAX = 2 ** 31 - 1;

/**
 * The options of every lensc kernel (threads is accepted and unused here), plus `device`: a GPUDevice
 * the program owns, used instead of the shared one.
 * @param {string} kernel @param {unknown} options
 * @returns {{ threads?: number, memoryBudgetBytes?: number, onProgress?: (fraction: number, message: string) => void, device?: GPUDevice }}
 */
export function checkOptions(kernel, options) {
  const o = /** @type {Record<string, unknown>} */ (checkCommonOptions(kernel, options));
  if (
    o.device !== undefined &&
    (typeof o.device !== 'object' ||
      o.device === null ||
      typeof (/** @type {{ createBuffer?: unknown }} */ (o.device).createBuffer) !== 'function')
  ) {
    throw new TypeError(`${kernel}: options.device must be a GPUDevice`);
  }
  return /** @type {ReturnType<typeof checkOptions>} */ (o);
}

/**
 * The shared Gpu, or one wrapping options.device. Without WebGPU this rejects with a
 * GpuUnavailableError naming the kernel (a caller can fall back to kernels/js).
 * @param {string} kernel @param {{ device?: GPUDevice }} o
 */
export async function openGpu(kernel, o) {
  try {
    return await getGpu(o.device ? { device: o.device } : {});
  } catch (e) {
    if (e instanceof GpuUnavailableError) {
      const err = new GpuUnavailableError(`${kernel} (target wgsl): ${e.message}`);
      err.cause = e;
      throw err;
    }
    throw e;
  }
}

/**
 * What the memory plan and the dispatches must respect on this device. maxBufferBytes is the largest
 * buffer a stage may bind whole: min(maxBufferSize, maxStorageBufferBindingSize). planBufferBytes is
 * what the planner sizes chunked intermediates to: the same, or less with env
 * LENSC_WGSL_MAX_BUFFER_BYTES (tests use it to force chunking on roomy devices).
 * @param {Gpu} gpu
 */
export function deviceLimits(gpu) {
  const c = gpu.capabilities();
  const env = typeof process !== 'undefined' ? Number(process.env?.LENSC_WGSL_MAX_BUFFER_BYTES) : NaN;
  const cap = Math.min(c.maxBufferBytes, c.maxBindingBytes);
  return {
    memoryBytes: c.memoryBytes,
    maxBufferBytes: cap,
    planBufferBytes: env > 0 ? Math.min(env, cap) : cap,
    maxStorageBuffersPerStage: c.maxStorageBuffersPerStage,
    maxWorkgroupsPerDim: c.maxWorkgroupsPerDim,
    loopIterationLimit: c.loopIterationLimit,
    backend: gpu.backend,
  };
}

/**
 * Compiles (once per device: the Gpu caches by source) every stage's pipeline, after checking that
 * each stage's storage buffers fit the device (compatibility mode may allow as few as 4). A df64
 * shader gets the TwoProduct variant this device supports (an override constant).
 * @param {Gpu} gpu @param {string} kernel @param {Record<string, StageInfo>} stages
 * @returns {Promise<Record<string, GPUComputePipeline>>}
 */
export async function pipelines(gpu, kernel, stages) {
  const limit = gpu.capabilities().maxStorageBuffersPerStage;
  for (const [name, st] of Object.entries(stages)) {
    const n = st.buffers.length + (st.error ? 1 : 0);
    if (n > limit) {
      throw new RangeError(
        `${kernel}: stage ${name} binds ${n} storage buffers (${[...st.buffers, ...(st.error ? ['errors'] : [])].join(', ')}), but this WebGPU device (${gpu.backend}) allows ${limit} per shader stage`,
      );
    }
  }
  const entries = await Promise.all(
    Object.entries(stages).map(
      async ([name, st]) =>
        /** @type {const} */ ([name, await gpu.pipeline(st.wgsl, 'main', await df64Constants(gpu, st.wgsl))]),
    ),
  );
  return Object.fromEntries(entries);
}

/** The fill shaders (a buffer set to one value), per element type; f64 is a df64 pair (hi, lo). */
export const FILL_SHADERS = {
  f32: fillSource('f32', 'f32', 'u.value'),
  i32: fillSource('i32', 'i32', 'u.value'),
  f64: fillSource('vec2<f32>', 'f32', 'vec2<f32>(u.value, u.lo)'),
};
/** @param {string} elem @param {'f32' | 'i32'} t @param {string} value */
function fillSource(elem, t, value) {
  return `// lensc fill (${elem})
struct Uniforms { count: u32, gridX: u32, value: ${t}, lo: f32 }
@group(0) @binding(0) var<storage, read_write> b: array<${elem}>;
@group(0) @binding(1) var<uniform> u: Uniforms;
@compute @workgroup_size(${WORKGROUP})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let id = (wid.y * u.gridX + wid.x) * ${WORKGROUP}u + lid;
  if (id >= u.count) { return; }
  b[id] = ${value};
}
`;
}

/** Bytes of one element of a shader buffer of dtype: f64 is a df64 pair of f32. @param {string} dtype */
const elementBytes = (dtype) => (dtype === 'f64' ? 8 : 4);

/** One call of a generated module: its buffers, dispatches and results. Always destroy() it. */
export class Run {
  /**
   * @param {Gpu} gpu @param {string} kernel @param {Record<string, StageInfo>} stages
   * @param {Record<string, GPUComputePipeline>} pipes @param {ReturnType<typeof deviceLimits>} limits
   * @param {Record<string, number | boolean>} scalars
   */
  constructor(gpu, kernel, stages, pipes, limits, scalars) {
    this.gpu = gpu;
    this.kernel = kernel;
    this.stages = stages;
    this.pipes = pipes;
    this.limits = limits;
    this.scalars = scalars;
    /** @type {Record<string, GPUBuffer>} */
    this.b = {};
    /** @type {{ stage: string, buf: GPUBuffer, dims: number[] }[]} */
    this.errors = [];
  }

  /** @param {string} what @param {string} name @param {number} bytes */
  _fits(what, name, bytes) {
    if (bytes > this.limits.maxBufferBytes) {
      throw new RangeError(
        `${this.kernel}: ${what} '${name}' needs ${bytes} bytes on the GPU, above the ${this.limits.maxBufferBytes} bytes one WGSL stage can bind on this device (maxStorageBufferBindingSize); chunking cannot shrink it`,
      );
    }
  }

  /**
   * Uploads an input: f32 buffers as f32 (f64 rounded to nearest), f64 buffers (df64 kernels) as
   * df64 pairs — or, dtype 'f64x3', as three f32 holding the f64 exactly (df64/exact_inputs.ts) —
   * integers as i32. A finite f64 beyond f32's range is a RangeError naming the input (df64 cannot
   * hold it).
   * @param {string} name @param {ArrayBufferView & ArrayLike<number>} data
   * @param {string} dtype  the buffer's dtype in the shaders (f64x3: f64 held as three f32)
   */
  upload(name, data, dtype) {
    const what = `${this.kernel}: input '${name}'`;
    const arr =
      dtype === 'f32'
        ? data instanceof Float32Array
          ? data
          : f64ToF32(data)
        : dtype === 'f64'
          ? f64ToDf64(data, what)
          : dtype === 'f64x3'
            ? f64ToF64x3(data, what)
            : data;
    this._fits('input', name, arr.byteLength);
    const buf = this.gpu.createBuffer(arr.byteLength);
    this.b[name] = buf;
    this.gpu.upload(buf, arr);
  }

  /**
   * A zero-filled buffer of `elements` values of dtype (4 bytes; 8 for f64 as df64 pairs).
   * @param {string} name @param {number} elements @param {string} [dtype]
   */
  alloc(name, elements, dtype = 'f32') {
    const bytes = elementBytes(dtype) * elements;
    this._fits('buffer', name, bytes);
    this.b[name] = this.gpu.createBuffer(bytes);
  }

  /** @param {string} name */
  free(name) {
    const buf = this.b[name];
    if (!buf) return;
    delete this.b[name];
    this.gpu.destroy(buf);
  }

  /** Frees every buffer of the call. */
  destroy() {
    for (const name of Object.keys(this.b)) this.free(name);
    for (const e of this.errors.splice(0)) this.gpu.destroy(e.buf);
  }

  /**
   * @param {GPUComputePipeline} pipe @param {GPUBuffer[]} bindings @param {Field[]} fields
   * @param {number} count @param {Record<string, number>} env @param {string} stage
   */
  _dispatch(pipe, bindings, fields, count, env, stage) {
    if (count <= 0) return;
    if (count > I32_MAX)
      throw new RangeError(
        `${this.kernel}: stage ${stage} needs ${count} invocations; WGSL indices are 32-bit (at most ${I32_MAX})`,
      );
    const grid = workgroupGrid(Math.ceil(count / WORKGROUP), this.limits.maxWorkgroupsPerDim);
    const data = new ArrayBuffer(4 * fields.length);
    const i32 = new Int32Array(data),
      u32 = new Uint32Array(data),
      f32 = new Float32Array(data);
    fields.forEach(([name, type], i) => {
      const v =
        name === 'count' ? count : name === 'gridX' ? grid[0] : name === 'one' ? 1 : this._value(name, env, stage);
      if (type === 'f32') f32[i] = v;
      else if (type === 'u32') u32[i] = v;
      else {
        if (!Number.isInteger(v) || v > I32_MAX || v < -I32_MAX - 1)
          throw new RangeError(`${this.kernel}: stage ${stage}: ${name} = ${v} does not fit WGSL's 32-bit integers`);
        i32[i] = v;
      }
    });
    this.gpu.dispatch(pipe, bindings, grid, u32);
  }

  /** @param {string} field @param {Record<string, number>} env @param {string} stage @returns {number} */
  _value(field, env, stage) {
    const v = field.startsWith(UNIFORM_SIZE)
      ? env[field.slice(UNIFORM_SIZE.length)]
      : field.startsWith(UNIFORM_FREE)
        ? env[field.slice(UNIFORM_FREE.length)]
        : field.startsWith(UNIFORM_SCALAR)
          ? this._scalar(field.slice(UNIFORM_SCALAR.length))
          : undefined;
    if (v === undefined)
      throw new Error(`${this.kernel}: internal: stage ${stage} needs uniform ${field}, which is not bound`);
    return v;
  }

  /**
   * A scalar input's uniform value; `<name>_hi` / `<name>_mid` / `<name>_lo` are the three f32 that hold
   * an f64 scalar exactly (df64 kernels; f64ToF64x3 — a finite value beyond f32 range is a RangeError).
   * @param {string} field  the uniform's name without its p_ prefix @returns {number}
   */
  _scalar(field) {
    if (field in this.scalars) return Number(this.scalars[field]);
    const m = /^(.*)_(hi|mid|lo)$/.exec(field);
    if (!m || !(/** @type {string} */ (m[1]) in this.scalars))
      return /** @type {number} */ (/** @type {unknown} */ (undefined));
    const name = /** @type {string} */ (m[1]);
    return f64ToF64x3([Number(this.scalars[name])], `${this.kernel}: input '${name}'`)[
      ['hi', 'mid', 'lo'].indexOf(/** @type {string} */ (m[2]))
    ];
  }

  /**
   * Runs a map or scatter stage: every invocation once per window of its split axis, the windows
   * short enough for the device's loop-iteration limit (llvmpipe: 65535 per invocation).
   * @param {string} name @param {Record<string, number>} env
   */
  stage(name, env) {
    const st = /** @type {StageInfo} */ (this.stages[name]);
    const pipe = /** @type {GPUComputePipeline} */ (this.pipes[name]);
    const bindings = st.buffers.map((b) => /** @type {GPUBuffer} */ (this.b[b]));
    if (st.error) {
      const dims = st.dims ? st.dims(env) : [];
      const buf = this.gpu.createBuffer(4 * (1 + dims.length));
      this.errors.push({ stage: name, buf, dims });
      bindings.push(buf);
    }
    const count = st.count(env);
    if (!st.split) return this._dispatch(pipe, bindings, st.uniforms, count, env, name);
    const total = st.split.total(env);
    const limit = this.limits.loopIterationLimit;
    const cost = st.split.cost(env);
    const per = Number.isFinite(limit) ? Math.floor((limit - LOOP_MARGIN - 1) / cost) : Math.max(total, 1);
    if (per < 1) {
      throw new RangeError(
        `${this.kernel}: stage ${name} runs ${cost} loop iterations per step of its outer loop, beyond this device's limit of ${limit} per invocation (${this.limits.backend})`,
      );
    }
    // An empty axis still runs once: a reduction over nothing stores 0.
    for (let off = 0; off === 0 || off < total; off += per) {
      this._dispatch(
        pipe,
        bindings,
        st.uniforms,
        count,
        { ...env, [SPLIT_OFF]: off, [SPLIT_LEN]: Math.min(per, total - off) },
        name,
      );
    }
  }

  /** Sets `elements` values of a buffer. @param {string} name @param {number} elements @param {number} value @param {string} dtype */
  async fill(name, elements, value, dtype) {
    const t = dtype === 'f32' || dtype === 'f64' ? dtype : 'i32';
    const pipe = await this.gpu.pipeline(FILL_SHADERS[t]);
    const grid = workgroupGrid(Math.ceil(elements / WORKGROUP), this.limits.maxWorkgroupsPerDim);
    const data = new ArrayBuffer(16);
    new Uint32Array(data, 0, 2).set([elements, grid[0]]);
    if (t === 'f64') new Float32Array(data, 8, 2).set(f64ToDf64([value]));
    else if (t === 'f32') new Float32Array(data, 8, 1)[0] = value;
    else new Int32Array(data, 8, 1)[0] = dtype === 'bool' ? (value ? 1 : 0) : value;
    if (elements > 0) this.gpu.dispatch(pipe, [/** @type {GPUBuffer} */ (this.b[name])], grid, new Uint32Array(data));
  }

  /**
   * C (+)= A·op(B) with the runtime's compensated f32 matmul.
   * @param {{ a: string, b: string, c: string, transA?: boolean, transB: boolean, m: number, n: number, k: number, lda: number, ldb: number, ldc: number, accumulate: boolean }} g
   */
  async gemm(g) {
    if (!g.accumulate) await this.fill(g.c, g.m * g.ldc, 0, 'f32');
    if (g.k === 0) return;
    const [A, B, C] = [g.a, g.b, g.c].map((n) => /** @type {GPUBuffer} */ (this.b[n]));
    await matmulAccumulate(this.gpu, {
      A: /** @type {GPUBuffer} */ (A),
      B: /** @type {GPUBuffer} */ (B),
      C: /** @type {GPUBuffer} */ (C),
      m: g.m,
      n: g.n,
      k: g.k,
      transA: !!g.transA,
      transB: g.transB,
      lda: g.lda,
      ldb: g.ldb,
      ldc: g.ldc,
    });
  }

  /**
   * dst = fft2(src) (or ifft2) over [batch, ny, nx, 2] with the runtime's Stockham FFT: f32, or df64 pairs
   * when `df64Stage` names the module's df64 stage shader (df64/fft_shader.ts); a scratch buffer of dst's
   * size lives for the call.
   * @param {{ src: string, dst: string, batch: number, ny: number, nx: number, inverse: boolean, df64Stage?: string }} g
   */
  async fft(g) {
    const dst = /** @type {GPUBuffer} */ (this.b[g.dst]);
    const tmp = this.gpu.createBuffer(dst.size);
    try {
      const args = {
        src: /** @type {GPUBuffer} */ (this.b[g.src]),
        dst,
        tmp,
        batch: g.batch,
        ny: g.ny,
        nx: g.nx,
        inverse: g.inverse,
      };
      if (g.df64Stage) fft2StockhamDf64(this.gpu, args, /** @type {GPUComputePipeline} */ (this.pipes[g.df64Stage]));
      else await fft2Stockham(this.gpu, args);
    } finally {
      this.gpu.destroy(tmp);
    }
  }

  /**
   * Cholesky factorisation in df64 (df64/linalg_shaders.ts): out = L with L·Lᵀ = A, column by column —
   * the pivot of column j (stage `<stage>_diag`), then the column below it (`<stage>_col`). A pivot
   * that is not positive stops it, and the JS backend's error is thrown.
   * @param {string} stage @param {string} a @param {string} out @param {number} n
   */
  async cholesky(stage, a, out, n) {
    const diag = /** @type {GPUComputePipeline} */ (this.pipes[`${stage}_diag`]);
    const col = /** @type {GPUComputePipeline} */ (this.pipes[`${stage}_col`]);
    const err = this.gpu.createBuffer(16);
    try {
      const bindings = [/** @type {GPUBuffer} */ (this.b[a]), /** @type {GPUBuffer} */ (this.b[out]), err];
      const data = new ArrayBuffer(16);
      const i32 = new Int32Array(data),
        u32 = new Uint32Array(data),
        f32 = new Float32Array(data);
      for (let j = 0; j < n; j++) {
        for (const [pipe, count] of /** @type {[GPUComputePipeline, number][]} */ ([
          [diag, 1],
          [col, n - j - 1],
        ])) {
          if (count <= 0) continue;
          i32[0] = n;
          i32[1] = j;
          f32[2] = 1;
          u32[3] = count;
          this.gpu.dispatch(
            pipe,
            bindings,
            workgroupGrid(Math.ceil(count / WORKGROUP), this.limits.maxWorkgroupsPerDim),
            u32,
          );
        }
      }
      const w = new Int32Array(await this.gpu.read(err, 16));
      if (w[0] !== 0) {
        const f = new Float32Array(w.buffer);
        const d = Number.isFinite(f[2]) ? f[2] + f[3] : f[2];
        throw new RangeError(
          `${this.kernel}: the matrix is not positive definite (Cholesky pivot ${w[1]} of ${n} is ${d}); check that the curvature and regularization matrices are symmetric positive definite`,
        );
      }
    } finally {
      this.gpu.destroy(err);
    }
  }

  /**
   * Solves L·X = B (or Lᵀ·X = B) for X (n×cols) in df64, one row per dispatch (stage `<stage>`).
   * @param {string} stage @param {string} l @param {string} b @param {string} out @param {number} n @param {number} cols @param {boolean} transpose
   */
  triSolve(stage, l, b, out, n, cols, transpose) {
    const pipe = /** @type {GPUComputePipeline} */ (this.pipes[stage]);
    const bindings = [l, b, out].map((x) => /** @type {GPUBuffer} */ (this.b[x]));
    if (cols <= 0) return;
    const data = new ArrayBuffer(32);
    const i32 = new Int32Array(data),
      u32 = new Uint32Array(data),
      f32 = new Float32Array(data);
    const grid = workgroupGrid(Math.ceil(cols / WORKGROUP), this.limits.maxWorkgroupsPerDim);
    for (let step = 0; step < n; step++) {
      i32[0] = n;
      i32[1] = cols;
      i32[2] = transpose ? n - 1 - step : step;
      f32[3] = 1;
      u32[4] = cols;
      this.gpu.dispatch(pipe, bindings, grid, u32);
    }
  }

  /**
   * A result as the JS backend returns it: floats widened to a Float64Array, integers an Int32Array,
   * rank 0 a number.
   * @param {string} name @param {number} elements @param {string} dtype @param {boolean} scalar
   */
  async download(name, elements, dtype, scalar) {
    const raw = await this.gpu.read(/** @type {GPUBuffer} */ (this.b[name]), elementBytes(dtype) * elements);
    const out =
      dtype === 'f32'
        ? f32ToF64(new Float32Array(raw))
        : dtype === 'f64'
          ? df64ToF64(new Float32Array(raw))
          : new Int32Array(raw);
    return scalar ? out[0] : out;
  }

  /** Throws the JS backend's RangeError if a scatter met an index outside its target. */
  async checkScatters() {
    for (const e of this.errors) {
      const w = new Int32Array(await this.gpu.read(e.buf, 4 * (1 + e.dims.length)));
      if (w[0] !== 0)
        throw new RangeError(
          `${this.kernel}: scatterAdd index (${Array.from(w.subarray(1)).join(', ')}) is outside the target shape (${e.dims.join(', ')})`,
        );
    }
  }
}
