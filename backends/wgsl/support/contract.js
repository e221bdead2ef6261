// @ts-check
// The contract between the WGSL renderer (render_shaders.ts, dialect.ts) and the runtime that runs
// its shaders (support/index.js): defined once here, imported by both, never copied.

/** Invocations per workgroup (1-D): within every device's limits, compatibility mode included. */
export const WORKGROUP = 64;

/** The size and the free variable that bound the split sequential axis of a dispatch (names in the size environment). */
export const SPLIT_LEN = 'red_len';
export const SPLIT_OFF = 'red_off';

/** Prefixes of uniform fields: a size, a free variable (both from the size environment), a scalar parameter. */
export const UNIFORM_SIZE = 'sz_';
export const UNIFORM_FREE = 'fv_';
export const UNIFORM_SCALAR = 'p_';
