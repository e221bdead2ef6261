// @ts-check
/**
 * WebGPU enum bit values (GPUBufferUsage, GPUMapMode). They are fixed by the spec; we keep our own copy
 * because in Node the `GPUBufferUsage` globals only exist if someone installs dawn.node's globals,
 * and the runtime must not pollute globalThis.
 */
export const BufferUsage = Object.freeze({
  MAP_READ: 0x1,
  MAP_WRITE: 0x2,
  COPY_SRC: 0x4,
  COPY_DST: 0x8,
  UNIFORM: 0x40,
  STORAGE: 0x80,
});
export const MapMode = Object.freeze({ READ: 0x1, WRITE: 0x2 });
