// @ts-check
/**
 * Driver for the compensated matmul-accumulate shader (matmul.wgsl.js): checks shapes against the
 * buffers and device limits, binds only the byte ranges each operand needs (so operands may live in
 * buffers larger than maxStorageBufferBindingSize), folds the tile grid into ≤ 65535 per dimension,
 * and records the dispatch. Also readCompensated(), which reads a (hi, lo) pair back as f64.
 */
import { f32ToF64 } from '../convert.js';
import { workgroupGrid } from '../limits.js';
import { fmaIsFused } from './fma-probe.js';
import { PARAM_FIELDS, WG, matmulSource } from './matmul.wgsl.js';

/**
 * Outputs per invocation along each side. 4 (64×64 tiles of C) is ~2.5× faster than 2 or 1 on
 * llvmpipe and the usual choice on GPUs; small matrices take smaller tiles so that less is wasted.
 * @param {number} m @param {number} n @returns {1 | 2 | 4}
 */
const chooseBlock = (m, n) => (Math.min(m, n) >= 48 ? 4 : Math.min(m, n) >= 24 ? 2 : 1);

/**
 * @typedef {object} MatmulArgs
 * @property {GPUBuffer} A  m×k, row-major with leading dimension lda (default k), or k×m when transA (lda default m)
 * @property {GPUBuffer} B  k×n (ldb default n), or n×k when transB (ldb default k)
 * @property {GPUBuffer} C  m×n accumulator (ldc default n); must not be A or B
 * @property {number} m
 * @property {number} n
 * @property {number} k
 * @property {boolean} [transA]
 * @property {boolean} [transB]
 * @property {GPUBuffer} [Clo] low parts of C (same layout, offset loOffset): C is then hi + lo
 * @property {number} [alpha] C += alpha·A·op(B); default 1
 * @property {number} [lda]
 * @property {number} [ldb]
 * @property {number} [ldc]
 * @property {number} [aOffset] element offsets into the buffers
 * @property {number} [bOffset]
 * @property {number} [cOffset]
 * @property {number} [loOffset] default cOffset
 * @property {1 | 2 | 4} [block] outputs per invocation along each side (default: by size)
 */

/**
 * Record C += alpha · op(A) · op(B) on the gpu's pending batch (ordered like any dispatch; await
 * gpu.onDone() or gpu.read() to wait). Resolves once the dispatch is recorded; the first call per
 * variant compiles the shader. One dispatch unless k exceeds 16 × gpu.loopIterationLimit.
 * @param {import('../index.js').Gpu} gpu
 * @param {MatmulArgs} args
 */
export async function matmulAccumulate(gpu, args) {
  const { A, B, C, Clo, m, n, k, transA = false, transB = false, alpha = 1 } = args;
  for (const [name, v] of /** @type {const} */ ([
    ['m', m],
    ['n', n],
    ['k', k],
  ]))
    if (!Number.isInteger(v) || v < 0 || v >= 2 ** 32)
      throw new RangeError(`matmulAccumulate: ${name} must be a u32, got ${v}`);
  const lda = args.lda ?? (transA ? m : k);
  const ldb = args.ldb ?? (transB ? k : n);
  const ldc = args.ldc ?? n;
  if (lda < (transA ? m : k))
    throw new RangeError(`matmulAccumulate: lda ${lda} < ${transA ? 'm' : 'k'} ${transA ? m : k}`);
  if (ldb < (transB ? k : n))
    throw new RangeError(`matmulAccumulate: ldb ${ldb} < ${transB ? 'k' : 'n'} ${transB ? k : n}`);
  if (ldc < n) throw new RangeError(`matmulAccumulate: ldc ${ldc} < n ${n}`);
  if (C === A || C === B || (Clo && (Clo === A || Clo === B || Clo === C)))
    throw new RangeError('matmulAccumulate: C (and Clo) must be buffers distinct from A, B and each other');
  if (m === 0 || n === 0 || k === 0) return; // nothing to add

  // The shader loops once per 16 k; where the driver caps loop iterations (llvmpipe: 65535 per
  // invocation, silently) split k over several dispatches. Each split is rounded into C once
  // (into hi + lo exactly when Clo is given).
  const maxK = Number.isFinite(gpu.loopIterationLimit) ? Math.max(1, gpu.loopIterationLimit - 64) * WG : Infinity;
  if (k > maxK) {
    for (let k0 = 0; k0 < k; k0 += maxK) {
      await matmulAccumulate(gpu, {
        ...args,
        k: Math.min(maxK, k - k0),
        lda,
        ldb,
        ldc,
        aOffset: (args.aOffset ?? 0) + (transA ? k0 * lda : k0),
        bOffset: (args.bOffset ?? 0) + (transB ? k0 : k0 * ldb),
      });
    }
    return;
  }

  const span = (/** @type {number} */ rows, /** @type {number} */ ld, /** @type {number} */ cols) =>
    (rows - 1) * ld + cols;
  const a = bindRange(gpu, 'A', A, args.aOffset ?? 0, transA ? span(k, lda, m) : span(m, lda, k));
  const b = bindRange(gpu, 'B', B, args.bOffset ?? 0, transB ? span(n, ldb, k) : span(k, ldb, n));
  const c = bindRange(gpu, 'C', C, args.cOffset ?? 0, span(m, ldc, n));
  const lo = Clo ? bindRange(gpu, 'Clo', Clo, args.loOffset ?? args.cOffset ?? 0, span(m, ldc, n)) : null;

  const block = args.block ?? chooseBlock(m, n);
  const TILE = WG * block;
  const tilesN = Math.ceil(n / TILE);
  const tiles = Math.ceil(m / TILE) * tilesN;
  if (tiles >= 2 ** 32) throw new RangeError(`matmulAccumulate: ${m}×${n} needs ${tiles} tiles, above u32; chunk it`);
  const grid = workgroupGrid(tiles, gpu.device.limits.maxComputeWorkgroupsPerDimension);

  const params = new ArrayBuffer(64);
  const u32 = new Uint32Array(params);
  /** @type {Record<string, number>} */
  const values = {
    m,
    n,
    k,
    lda,
    ldb,
    ldc,
    aOff: a.rel,
    bOff: b.rel,
    cOff: c.rel,
    loOff: lo ? lo.rel : 0,
    tilesN,
    tiles,
    gridX: grid[0],
  };
  PARAM_FIELDS.forEach((f, i) => {
    if (f in values) u32[i] = values[f];
  });
  const f32 = new Float32Array(params);
  f32[PARAM_FIELDS.indexOf('alpha')] = alpha;
  f32[PARAM_FIELDS.indexOf('one')] = 1; // see twoSum in matmul.wgsl.js

  const fma = await fmaIsFused(gpu);
  const pipeline = await gpu.pipeline(matmulSource({ transA, transB, lo: !!lo, fma, block }));
  const bindings = [a.binding, b.binding, c.binding];
  if (lo) bindings.push(lo.binding);
  gpu.dispatch(pipeline, bindings, grid, u32);
}

/**
 * The smallest aligned byte range of `buffer` holding `count` f32 from element `offset`, and the
 * element offset of the data inside that range.
 * @param {import('../index.js').Gpu} gpu @param {string} name @param {GPUBuffer} buffer
 * @param {number} offset @param {number} count
 */
function bindRange(gpu, name, buffer, offset, count) {
  const lim = gpu.device.limits;
  if (!Number.isInteger(offset) || offset < 0)
    throw new RangeError(`matmulAccumulate: ${name} offset must be a non-negative integer, got ${offset}`);
  const endBytes = (offset + count) * 4;
  if (endBytes > buffer.size)
    throw new RangeError(
      `matmulAccumulate: ${name} needs ${count} f32 from element ${offset} (${endBytes} bytes) but its buffer holds ${buffer.size} bytes`,
    );
  const start = Math.floor((offset * 4) / lim.minStorageBufferOffsetAlignment) * lim.minStorageBufferOffsetAlignment;
  const size = endBytes - start;
  if (size > lim.maxStorageBufferBindingSize)
    throw new RangeError(
      `matmulAccumulate: ${name} spans ${size} bytes, above maxStorageBufferBindingSize ${lim.maxStorageBufferBindingSize}; split the matmul into smaller chunks`,
    );
  return { binding: { buffer, offset: start, size }, rel: offset - start / 4 };
}

/**
 * Read `count` f32 of a compensated accumulator and return hi + lo in f64 (more accurate than
 * either f32 alone).
 * @param {import('../index.js').Gpu} gpu @param {GPUBuffer} hi @param {GPUBuffer} lo @param {number} count
 * @returns {Promise<Float64Array>}
 */
export async function readCompensated(gpu, hi, lo, count) {
  const [h, l] = await Promise.all([gpu.read(hi, count * 4), gpu.read(lo, count * 4)]);
  const out = f32ToF64(new Float32Array(h));
  const low = new Float32Array(l);
  for (let i = 0; i < count; i++) out[i] += low[i];
  return out;
}
