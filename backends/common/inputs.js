// @ts-check
// What a generated module accepts for an array input besides the exact typed array, turned into that typed
// array before sizes are bound: a plain number array (copied; `pixelScales: [0.05, 0.05]`), and an input that
// carries its shape — `{ data, shape }`, e.g. an ndarray-like object — whose shape is checked against the
// declared symbolic shape by bindSizes and binds the sizes of its axes (an (M, N) input says its M and N, which a
// flat array cannot). Shared by every target and by the reference interpreter. Plain JavaScript.

/** @typedef {import('./plan.js').ParamInfo} ParamInfo */

/** Where normalizeInputs leaves the shapes that inputs carried; a symbol, so it is not an input name. */
export const SHAPES = Symbol.for('lensc.inputShapes');

/** @type {Record<string, Float64ArrayConstructor | Float32ArrayConstructor | Int32ArrayConstructor>} */
const TYPED = { f64: Float64Array, f32: Float32Array, i32: Int32Array, bool: Int32Array };

/** @param {unknown} v @returns {v is { data: unknown, shape: unknown, stride?: unknown, offset?: unknown }} */
function carriesShape(v) {
  return (
    typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v) && 'data' in v && 'shape' in v
  );
}

/**
 * Returns the inputs with every array input as its exact typed array (the object itself when nothing needed
 * converting; never the caller's object modified). Shapes carried by inputs are attached under SHAPES.
 * @param {string} kernel @param {ParamInfo[]} params @param {Record<string, unknown>} inputs
 * @returns {Record<string, unknown>}
 */
export function normalizeInputs(kernel, params, inputs) {
  if (typeof inputs !== 'object' || inputs === null) return inputs; // bindSizes says what was expected
  /** @type {Record<string, unknown> | null} */
  let out = null;
  /** @type {Record<string, number[]>} */
  const shapes = {};
  for (const p of params) {
    if (p.kind !== 'array') continue;
    const v = inputs[p.name];
    let data = v;
    if (carriesShape(v)) {
      shapes[p.name] = shapeOf(kernel, p, v);
      data = v.data;
    }
    if (Array.isArray(data)) data = fromNumbers(kernel, p, data);
    if (data !== v) {
      out ??= { ...inputs };
      out[p.name] = data;
    }
  }
  if (!out) return inputs;
  Object.defineProperty(out, SHAPES, { value: shapes, enumerable: false });
  return out;
}

/** @param {string} kernel @param {ParamInfo} p @param {{ data: unknown, shape: unknown, stride?: unknown, offset?: unknown }} v */
function shapeOf(kernel, p, v) {
  const shape =
    Array.isArray(v.shape) || ArrayBuffer.isView(v.shape)
      ? Array.from(/** @type {ArrayLike<number>} */ (v.shape))
      : null;
  if (!shape || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new TypeError(
      `${kernel}: input '${p.name}'.shape must be a list of non-negative integers, got ${String(v.shape)}`,
    );
  }
  // ndarray-like objects may be views (strided, offset); lensc reads the data row-major from its start.
  if (v.stride !== undefined) {
    const stride = Array.from(/** @type {ArrayLike<number>} */ (v.stride));
    let expect = 1;
    for (let i = shape.length - 1; i >= 0; i--) {
      if (shape[i] !== 1 && stride[i] !== expect) {
        throw new TypeError(
          `${kernel}: input '${p.name}' has strides [${stride.join(', ')}]; lensc needs a contiguous row-major array of shape [${shape.join(', ')}] (copy it first)`,
        );
      }
      expect *= /** @type {number} */ (shape[i]);
    }
  }
  if (v.offset !== undefined && v.offset !== 0)
    throw new TypeError(
      `${kernel}: input '${p.name}' has offset ${String(v.offset)}; lensc reads data from element 0 (copy it first)`,
    );
  return shape;
}

/** @param {string} kernel @param {ParamInfo} p @param {unknown[]} values */
function fromNumbers(kernel, p, values) {
  const dtype = /** @type {string} */ (p.dtype);
  const Typed = TYPED[dtype];
  if (!Typed) throw new TypeError(`${kernel}: input '${p.name}' has unknown dtype ${dtype}`);
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    const ok =
      typeof x === 'number' &&
      (dtype === 'f64' || dtype === 'f32' ? true : Number.isInteger(x) && x >= -2147483648 && x <= 2147483647);
    if (!ok) {
      const want = dtype === 'f64' || dtype === 'f32' ? 'a number' : 'a 32-bit integer';
      throw new TypeError(
        `${kernel}: input '${p.name}'[${i}] must be ${want} (${dtype}), got ${typeof x === 'number' ? x : typeof x}`,
      );
    }
  }
  // f32 from numbers rounds, as Float32Array.from does; f64 and i32 are exact (checked above).
  return Typed.from(/** @type {number[]} */ (values));
}

/**
 * The inputs as the call saw them: every typed-array input copied, so that a caller who refills or replaces
 * its arrays after the call was made (while the call waits for the device) changes nothing — inputs are
 * taken at call time, as Web APIs take a BufferSource. For modules that read inputs after an await (WGSL,
 * CUDA); the JS modules copy into their arena before their first await instead.
 * @param {ParamInfo[]} params @param {Record<string, unknown>} inputs @returns {Record<string, unknown>}
 */
export function snapshotInputs(params, inputs) {
  const out = { ...inputs };
  for (const p of params) {
    const v = inputs[p.name];
    if (p.kind === 'array' && ArrayBuffer.isView(v) && !(v instanceof DataView))
      out[p.name] = /** @type {Float64Array} */ (v).slice();
  }
  return out;
}
