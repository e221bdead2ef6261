// @ts-check
// Packs kernel arguments for cuLaunchKernel: one Buffer per argument holding its bytes, in the order of
// the kernel's parameters (koffi passes the JS array of Buffers as the `void **kernelParams` array).
// Each argument is tagged with its C type because a JS number alone cannot say double vs int.

/** @typedef {{ ptr: bigint } | { f64: number } | { f32: number } | { i32: number } | { u32: number } | { i64: number | bigint }} KernelArg */

/**
 * @param {KernelArg[]} args @param {string} kernel  for messages
 * @returns {Buffer[]}
 */
export function packArgs(args, kernel) {
  if (!Array.isArray(args)) throw new TypeError(`kernel ${kernel}: args must be an array`);
  return args.map((a, i) => packOne(a, i, kernel));
}

/** @param {any} a @param {number} i @param {string} kernel @returns {Buffer} */
function packOne(a, i, kernel) {
  const where = `kernel ${kernel}: argument ${i}`;
  if (a === null || typeof a !== 'object')
    throw new TypeError(`${where} must be a tagged object like {ptr}, {f64} or {i32}, got ${String(a)}`);
  if ('ptr' in a) {
    const v = a.ptr;
    if (typeof v !== 'bigint' || v < 0n)
      throw new TypeError(`${where}: ptr must be a device pointer (bigint), got ${typeof v}`);
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(v);
    return b;
  }
  if ('f64' in a) {
    if (typeof a.f64 !== 'number') throw new TypeError(`${where}: f64 must be a number`);
    const b = Buffer.alloc(8);
    b.writeDoubleLE(a.f64);
    return b;
  }
  if ('f32' in a) {
    if (typeof a.f32 !== 'number') throw new TypeError(`${where}: f32 must be a number`);
    const b = Buffer.alloc(4);
    b.writeFloatLE(a.f32);
    return b;
  }
  if ('i32' in a) {
    const v = a.i32;
    if (!Number.isInteger(v) || v < -0x80000000 || v > 0x7fffffff)
      throw new RangeError(`${where}: i32 must be an integer in int32 range, got ${v}`);
    const b = Buffer.alloc(4);
    b.writeInt32LE(v);
    return b;
  }
  if ('u32' in a) {
    const v = a.u32;
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff)
      throw new RangeError(`${where}: u32 must be an integer in uint32 range, got ${v}`);
    const b = Buffer.alloc(4);
    b.writeUInt32LE(v);
    return b;
  }
  if ('i64' in a) {
    const v = a.i64;
    if (typeof v === 'number' && !Number.isSafeInteger(v))
      throw new RangeError(`${where}: i64 given as a number must be a safe integer, got ${v}`);
    if (typeof v !== 'number' && typeof v !== 'bigint') throw new TypeError(`${where}: i64 must be a number or bigint`);
    const b = Buffer.alloc(8);
    b.writeBigInt64LE(BigInt(v));
    return b;
  }
  throw new TypeError(`${where} has no known tag (ptr, f64, f32, i32, u32, i64): ${JSON.stringify(Object.keys(a))}`);
}
