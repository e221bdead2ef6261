// @ts-check
// Run-time half of the memory planner, shared by every backend's generated modules and by
// `lensc explain`: binds sizes from inputs, chooses chunk extents from the budget, and evaluates
// the peak-bytes formula. Plain JavaScript so generated kernels run under plain `node`.

import { SHAPES, normalizeInputs, snapshotInputs } from './inputs.js';

export { normalizeInputs, snapshotInputs };
export { chooseRoute, routeOptions, routeSeconds } from './routes.js';

/** @typedef {Array<Array<number|string>>} Terms  polynomial: [[coef, sym, sym…], …] */
/** @typedef {{ name: string, kind: 'array'|'scalar'|'sizes', dtype?: string, shape?: Terms[], names?: string[], range?: [Terms, Terms][], indexRanges?: { range: [Terms, Terms], use: string }[], min?: number }} ParamInfo */
/** @typedef {{ name: string, bytes: Terms, live: [number, number], chunkedBy?: string }} TempInfo */
/** @typedef {{ symbol: string, chunkSymbol: string, bytesPerUnit: Terms, stage: number }} ChunkInfo */
/** @typedef {{ stage: number, name: string, bytes: Terms, cap: Terms, tiles: Terms }} ScratchInfo  arena scratch a stage takes while it runs: min(bytes, cap) + tiles */
/** @typedef {{ count: string, stage: string, target: string, buf: string, maxCopies: number, elements: Terms, work: Terms }} CopiesInfo */
/** @typedef {{ temps: TempInfo[], chunks: ChunkInfo[], scatterCopies?: CopiesInfo[], scratch?: ScratchInfo[] }} PlanInfo */

/** @param {Terms} t @param {Record<string, number>} env */
export function evalTerms(t, env) {
  let v = 0;
  for (const [c, ...syms] of t) {
    let p = /** @type {number} */ (c);
    for (const s of syms) {
      const x = env[/** @type {string} */ (s)];
      if (x === undefined) throw new Error(`size '${s}' is not bound`);
      p *= x;
    }
    v += p;
  }
  return v;
}

/** @param {Terms} t */
export function termsToString(t) {
  if (t.length === 0) return '0';
  return t.map(([c, ...s]) => (s.length ? (c === 1 ? '' : `${c}*`) + s.join('*') : String(c))).join(' + ');
}

const ARRAY_TYPES = { f64: 'Float64Array', f32: 'Float32Array', i32: 'Int32Array', bool: 'Int32Array' };
/** @param {unknown} v */
const typeName = (v) =>
  Array.isArray(v) ? 'Array' : ArrayBuffer.isView(v) ? v.constructor.name : v === null ? 'null' : typeof v;

/**
 * Binds every size symbol from the inputs (array lengths and `sizes` parameters) and checks each
 * input's type and length; errors name the kernel, the input, what was expected and what came.
 * @param {string} kernel @param {ParamInfo[]} params @param {Record<string, unknown>} inputs
 * @param {{ allowArrays?: boolean }} [opts]
 */
export function bindSizes(kernel, params, inputs, opts = {}) {
  if (typeof inputs !== 'object' || inputs === null)
    throw new TypeError(`${kernel}: inputs must be an object with ${params.map((p) => p.name).join(', ')}`);
  /** @type {Record<string, number>} */
  const env = {};
  checkKnownInputs(kernel, params, inputs);
  /** @type {Record<string, string>} where each size came from, for messages about inconsistent inputs */
  const from = {};
  /** @type {ParamInfo[]} sizes inputs left out: fine when the arrays determine their sizes (checked below) */
  const omitted = [];
  for (const p of params) {
    const v = inputs[p.name];
    if (v === undefined && p.kind === 'sizes') {
      omitted.push(p);
      continue;
    }
    if (v === undefined) throw new TypeError(`${kernel}: missing input '${p.name}'`);
    if (p.kind === 'sizes') {
      const names = p.names ?? [];
      const vals =
        typeof v === 'number'
          ? [v]
          : Array.isArray(v) || ArrayBuffer.isView(v)
            ? Array.from(/** @type {ArrayLike<number>} */ (v))
            : null;
      if (!vals || vals.length !== names.length || vals.some((x) => !Number.isInteger(x) || x < 0)) {
        throw new TypeError(
          `${kernel}: input '${p.name}' must be ${names.length === 1 ? 'a non-negative integer' : `${names.length} non-negative integers`} (${names.join(', ')}), got ${Array.isArray(v) || ArrayBuffer.isView(v) ? `[${Array.from(/** @type {ArrayLike<number>} */ (v)).join(', ')}]` : String(v)}`,
        );
      }
      names.forEach((n, i) => {
        env[n] = /** @type {number} */ (vals[i]);
        from[n] = `'${p.name}'`;
      });
    } else if (p.kind === 'scalar') {
      if (typeof v !== 'number')
        throw new TypeError(`${kernel}: input '${p.name}' must be a number (${p.dtype}), got ${typeName(v)}`);
    } else {
      const want = ARRAY_TYPES[/** @type {keyof typeof ARRAY_TYPES} */ (p.dtype)];
      const ok = (opts.allowArrays && Array.isArray(v)) || (ArrayBuffer.isView(v) && v.constructor.name === want);
      if (!ok)
        throw new TypeError(
          `${kernel}: input '${p.name}' must be a ${want} (shape ${shapeText(p.shape ?? [])}), got ${typeName(v)}`,
        );
    }
  }
  const arrays = params
    .filter((p) => p.kind === 'array')
    .map((p) => ({
      p,
      len: /** @type {ArrayLike<number>} */ (inputs[p.name]).length,
      total: productTerms(p.shape ?? []),
    }));
  const shapes = /** @type {Record<string, number[]> | undefined} */ (/** @type {any} */ (inputs)[SHAPES]);
  if (shapes) bindCarriedShapes(kernel, params, inputs, shapes, env, from);
  for (let changed = true; changed;) {
    changed = false;
    for (const a of arrays) {
      const syms = [...new Set(a.total.flatMap(([, ...s]) => s))];
      const unknown = syms.filter((s) => env[/** @type {string} */ (s)] === undefined);
      if (unknown.length !== 1 || a.total.length !== 1) continue;
      const s = /** @type {string} */ (unknown[0]);
      const [c, ...fs] = /** @type {[number, ...string[]]} */ (a.total[0]);
      let coef = c,
        power = 0;
      for (const f of fs)
        if (f === s) power++;
        else coef *= /** @type {number} */ (env[f]);
      if (coef <= 0) continue;
      const root = Math.round(Math.pow(a.len / coef, 1 / power));
      if (coef * Math.pow(root, power) !== a.len) {
        throw new RangeError(
          `${kernel}: input '${a.p.name}' has length ${a.len}, which does not fit shape ${shapeText(a.p.shape ?? [])}`,
        );
      }
      env[s] = root;
      from[s] = `the length of '${a.p.name}'`;
      changed = true;
    }
  }
  for (const a of arrays) {
    const missing = [...new Set(a.total.flatMap(([, ...s]) => s))].filter(
      (s) => env[/** @type {string} */ (s)] === undefined,
    );
    if (missing.length)
      throw new RangeError(
        `${kernel}: cannot determine ${missing.join(', ')} from input '${a.p.name}' of shape ${shapeText(a.p.shape ?? [])} (a flat array's length gives one size: pass it as { data, shape }, or bind the others with a sizes([...]) parameter)`,
      );
    const want = evalTerms(a.total, env);
    if (want !== a.len) {
      const dims = (a.p.shape ?? []).map((d) => evalTerms(d, env)).join('×');
      const used = [...new Set(a.total.flatMap(([, ...s]) => s))].map(
        (k) => `${k}=${env[/** @type {string} */ (k)]} from ${from[/** @type {string} */ (k)]}`,
      );
      throw new RangeError(
        `${kernel}: input '${a.p.name}' must have length ${want} (shape ${shapeText(a.p.shape ?? [])} = ${dims} with ${used.join(', ')}), got ${a.len}`,
      );
    }
  }
  if (shapes) checkCarriedShapes(kernel, params, shapes, env, from);
  for (const p of omitted) {
    const unbound = (p.names ?? []).filter((n) => env[n] === undefined);
    if (unbound.length)
      throw new TypeError(
        `${kernel}: missing input '${p.name}' (${unbound.join(', ')} ${unbound.length === 1 ? 'is' : 'are'} not determined by the other inputs)`,
      );
  }
  for (const p of params)
    if (p.range) checkValueRange(kernel, p, /** @type {ArrayLike<number>} */ (inputs[p.name]), env, from);
  for (const p of params)
    if (p.indexRanges) checkIndexRanges(kernel, p, /** @type {ArrayLike<number>} */ (inputs[p.name]), env, from);
  for (const p of params)
    if (p.min !== undefined) checkMin(kernel, p.name, p.min, /** @type {ArrayLike<number>} */ (inputs[p.name]));
  return env;
}

/**
 * Binds sizes from the shapes that inputs carried ({ data, shape }) and checks each against its declared
 * symbolic shape: rank, every axis, and the data length. An axis declared as one size symbol (or c·symbol)
 * binds it; the others are checked once everything is bound.
 * @param {string} kernel @param {ParamInfo[]} params @param {Record<string, unknown>} inputs
 * @param {Record<string, number[]>} shapes @param {Record<string, number>} env @param {Record<string, string>} from
 */
function bindCarriedShapes(kernel, params, inputs, shapes, env, from) {
  const carried = params.filter((p) => p.kind === 'array' && shapes[p.name]);
  for (const p of carried) {
    const shape = /** @type {number[]} */ (shapes[p.name]),
      declared = p.shape ?? [];
    if (shape.length !== declared.length) {
      throw new RangeError(
        `${kernel}: input '${p.name}' has shape [${shape.join(', ')}] (rank ${shape.length}); it is declared ${shapeText(declared)} (rank ${declared.length})`,
      );
    }
    const len = /** @type {ArrayLike<number>} */ (inputs[p.name]).length,
      count = shape.reduce((a, b) => a * b, 1);
    if (len !== count)
      throw new RangeError(
        `${kernel}: input '${p.name}' has ${len} elements but its shape [${shape.join(', ')}] says ${count}`,
      );
  }
  for (let changed = true; changed;) {
    changed = false;
    for (const p of carried) {
      (p.shape ?? []).forEach((terms, axis) => {
        if (terms.length !== 1) return;
        const [c, ...fs] = /** @type {[number, ...string[]]} */ (terms[0]);
        const unknown = fs.filter((f) => env[f] === undefined);
        if (unknown.length !== 1 || fs.filter((f) => f === unknown[0]).length !== 1) return;
        const s = /** @type {string} */ (unknown[0]);
        const coef = fs.reduce((acc, f) => (f === s ? acc : acc * /** @type {number} */ (env[f])), c);
        const dim = /** @type {number[]} */ (shapes[p.name])[axis];
        if (coef <= 0 || dim === undefined || dim % coef !== 0) return;
        env[s] = dim / coef;
        from[s] = `axis ${axis} of '${p.name}'.shape`;
        changed = true;
      });
    }
  }
}

/**
 * Every axis of every input that carried its shape equals its declared size (run once all sizes are bound).
 * @param {string} kernel @param {ParamInfo[]} params @param {Record<string, number[]>} shapes
 * @param {Record<string, number>} env @param {Record<string, string>} from
 */
function checkCarriedShapes(kernel, params, shapes, env, from) {
  for (const p of params) {
    const shape = p.kind === 'array' ? shapes[p.name] : undefined;
    if (!shape) continue;
    (p.shape ?? []).forEach((terms, axis) => {
      const syms = [...new Set(terms.flatMap(([, ...f]) => f))].map(String);
      const want = evalTerms(terms, env);
      if (want !== shape[axis]) {
        const used = syms.map((k) => `${k}=${env[k]} from ${from[k]}`);
        throw new RangeError(
          `${kernel}: input '${p.name}' has shape [${shape.join(', ')}], but axis ${axis} is declared ${termsToString(terms)}${used.length ? ` = ${want} (${used.join(', ')})` : ''}`,
        );
      }
    });
  }
}

/**
 * An input the kernel does not take is a mistake (a typo, or an input of another kernel), never ignored.
 * @param {string} kernel @param {ParamInfo[]} params @param {Record<string, unknown>} inputs
 */
function checkKnownInputs(kernel, params, inputs) {
  const names = new Set(params.map((p) => p.name));
  for (const k of Object.keys(inputs)) {
    if (!names.has(k))
      throw new TypeError(
        `${kernel}: unknown input '${k}' (this kernel takes ${params.map((p) => p.name).join(', ')})`,
      );
  }
}

/**
 * Every element of an input with a declared range (i32(shape, { bounds }) or { range }) lies in [lo, hi) — one
 * range for the whole array, or one per position along the last axis; the first that does not is an error
 * naming the input, the element, the range and where its sizes came from.
 * @param {string} kernel @param {ParamInfo} p @param {ArrayLike<number>} data
 * @param {Record<string, number>} env @param {Record<string, string>} from
 */
function checkValueRange(kernel, p, data, env, from) {
  const declared = /** @type {[Terms, Terms][]} */ (p.range);
  checkRanges(kernel, p, data, env, from, declared, (r) => `is outside its declared range ${r}`);
}

/**
 * Every element of an i32 input used directly as a gather/scatterAdd index lies in the axis it indexes — the
 * ranges the compiler inferred from each such use (compiler/ir/index_ranges.ts), all of them, so an index can
 * never read or write outside its buffer (on JS: other data in the shared arena).
 * @param {string} kernel @param {ParamInfo} p @param {ArrayLike<number>} data
 * @param {Record<string, number>} env @param {Record<string, string>} from
 */
function checkIndexRanges(kernel, p, data, env, from) {
  for (const { range, use } of /** @type {{ range: [Terms, Terms], use: string }[]} */ (p.indexRanges))
    checkRanges(kernel, p, data, env, from, [range], (r) => `is outside ${r}, the range inferred from ${use}`);
}

/**
 * The shared loop of the range checks: ranges is one [lo, hi) for all elements or one per position along the
 * last axis; `says` words the failure from the range's text.
 * @param {string} kernel @param {ParamInfo} p @param {ArrayLike<number>} data
 * @param {Record<string, number>} env @param {Record<string, string>} from
 * @param {[Terms, Terms][]} declared @param {(range: string) => string} says
 */
function checkRanges(kernel, p, data, env, from, declared, says) {
  const ranges = declared.map(([lo, hi]) => [evalTerms(lo, env), evalTerms(hi, env)]);
  const dims = (p.shape ?? []).map((d) => evalTerms(d, env));
  const R = ranges.length;
  for (let i = 0; i < data.length; i++) {
    const v = /** @type {number} */ (data[i]),
      [lo, hi] = /** @type {number[]} */ (ranges[R === 1 ? 0 : i % R]);
    if (v >= lo && v < hi) continue;
    const at = [];
    for (let r = i, d = dims.length - 1; d >= 0; d--) {
      at.unshift(r % /** @type {number} */ (dims[d]));
      r = Math.floor(r / /** @type {number} */ (dims[d]));
    }
    const [tlo, thi] = /** @type {[Terms, Terms]} */ (declared[R === 1 ? 0 : i % R]);
    const syms = [...new Set([...tlo, ...thi].flatMap(([, ...s]) => s.map(String)))];
    const why = syms.map((s) => `${s} = ${env[s]}${from[s] ? ` from ${from[s]}` : ''}`).join(', ');
    throw new RangeError(
      `${kernel}: input '${p.name}'[${at.join(', ')}] = ${v} ${says(`${termsToString(tlo)} ≤ value < ${termsToString(thi)}`)}${why ? ` (${why})` : ''}${lo >= hi ? ', which is empty' : ''}`,
    );
  }
}

/**
 * A float input declared with a minimum (f64(['K'], { min: 0 })): the compiler may rely on it (a
 * non-negative weight is split as √w·√w over both operands of a SYRK). NaN fails too.
 * @param {string} kernel @param {string} name @param {number} min @param {ArrayLike<number>} data
 */
function checkMin(kernel, name, min, data) {
  for (let f = 0; f < data.length; f++) {
    const v = /** @type {number} */ (data[f]);
    if (!(v >= min))
      throw new RangeError(`${kernel}: input '${name}'[${f}] = ${v} is below its declared minimum ${min}`);
  }
}

/** @param {Terms[]} shape */
function shapeText(shape) {
  return `(${shape.map(termsToString).join(', ')})`;
}

/** @param {Terms[]} shape @returns {Terms} */
export function productTerms(shape) {
  /** @type {Map<string, number>} */
  let acc = new Map([['', 1]]);
  for (const d of shape) {
    /** @type {Map<string, number>} */
    const next = new Map();
    for (const [ka, ca] of acc)
      for (const [c, ...s] of d) {
        const k = [...ka.split('*').filter(Boolean), ...s.map(String)].sort().join('*');
        next.set(k, (next.get(k) ?? 0) + ca * /** @type {number} */ (c));
      }
    acc = next;
  }
  return [...acc].filter(([, c]) => c !== 0).map(([k, c]) => [c, ...k.split('*').filter(Boolean)]);
}

/** @param {number} n */
export function formatBytes(n) {
  if (!Number.isFinite(n)) return String(n);
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let u = 0,
    x = n;
  while (x >= 1024 && u < units.length - 1) {
    x /= 1024;
    u++;
  }
  return `${u === 0 ? x : x.toFixed(x < 10 ? 2 : 1)} ${units[u]}`;
}

/** Smallest chunk the planner chooses for cache reasons when the budget allows more. */
const MIN_CHUNK_FOR_SPEED = 256;
/**
 * Scatter points per element of one private copy below which a further copy does not pay: each copy is zeroed
 * and added into the target once (two passes over it, one of them a read of memory the sum streams).
 */
const SCATTER_WORK_PER_COPY_ELEMENT = 8;

/**
 * Chooses every chunk extent and evaluates the peak of intermediates. With `maxBufferBytes` (a
 * target that binds buffers whole: WGSL's maxStorageBufferBindingSize) every chunked temporary also
 * stays within it, and an unchunked one that cannot is an error naming it.
 * @param {string} kernel @param {PlanInfo} plan @param {Record<string, number>} sizes
 * @param {{ budgetBytes: number, preferredChunkBytes: number, maxBufferBytes?: number }} limits
 */
export function resolvePlan(kernel, plan, sizes, limits) {
  const env = { ...sizes };
  /** @type {Record<string, number>} */
  const chunks = {};
  const maxBuffer = limits.maxBufferBytes ?? Infinity;
  // Chunks are chosen first, with no private copies; the copies then take what room the budget leaves.
  const copiesPlans = plan.scatterCopies ?? [];
  for (const c of copiesPlans) env[c.count] = 0;
  for (const t of plan.temps) {
    if (t.chunkedBy || !(maxBuffer < Infinity)) continue;
    const bytes = evalTerms(t.bytes, env);
    if (bytes > maxBuffer)
      throw new RangeError(
        `${kernel}: intermediate '${t.name}' needs ${formatBytes(bytes)} (${bytes} bytes), above the largest buffer this target can use (${formatBytes(maxBuffer)}), and it cannot be chunked`,
      );
  }
  for (const c of plan.chunks) {
    const fixed = plan.temps
      .filter((t) => !t.chunkedBy && t.live[0] <= c.stage && c.stage <= t.live[1])
      .reduce((s, t) => s + evalTerms(t.bytes, env), 0);
    const perUnit = evalTerms(c.bytesPerUnit, env);
    const total = /** @type {number} */ (env[c.symbol]);
    const room = limits.budgetBytes - fixed;
    const withScratch = maxChunkWithScratch(plan, c, env, perUnit, room);
    if (room < perUnit || withScratch < 1) {
      const need = fixed + perUnit + scratchAt(plan, c.stage, { ...env, [c.chunkSymbol]: 1 });
      throw new RangeError(
        `${kernel}: no plan fits a memory budget of ${formatBytes(limits.budgetBytes)}: with ${c.symbol} in chunks of 1 the intermediates need ${formatBytes(need)} (${need} bytes); give memoryBudgetBytes ≥ ${need}`,
      );
    }
    const cap = Math.min(room, Math.max(limits.preferredChunkBytes, MIN_CHUNK_FOR_SPEED * perUnit));
    const n = Math.max(
      1,
      Math.min(
        total,
        Math.floor(cap / Math.max(perUnit, 1)),
        withScratch,
        maxChunkForBuffers(kernel, plan, c, env, maxBuffer),
      ),
    );
    chunks[c.symbol] = n;
    env[c.chunkSymbol] = n;
  }
  const last = Math.max(
    plan.temps.reduce((m, t) => Math.max(m, t.live[1]), -1),
    (plan.scratch ?? []).reduce((m, x) => Math.max(m, x.stage), -1),
  );
  /** Temporaries live at top-level stage i (but `except`), and the scratch the stage takes while it runs.
   * @param {number} i @param {string} [except] */
  const liveAt = (i, except) =>
    plan.temps
      .filter((t) => t.live[0] <= i && i <= t.live[1] && t.name !== except)
      .reduce((s, t) => s + evalTerms(t.bytes, env), 0) + scratchAt(plan, i, env);
  /** @type {Record<string, number>} */
  const copies = {};
  for (const c of copiesPlans) {
    copies[c.count] = env[c.count] = chooseCopies(plan, c, env, limits, maxBuffer, liveAt);
  }
  let peak = 0;
  for (let i = 0; i <= last; i++) peak = Math.max(peak, liveAt(i));
  if (peak > limits.budgetBytes) {
    throw new RangeError(
      `${kernel}: no plan fits a memory budget of ${formatBytes(limits.budgetBytes)}: its intermediates need ${formatBytes(peak)} (${peak} bytes) at their peak and nothing more can be chunked; give memoryBudgetBytes ≥ ${peak}`,
    );
  }
  return { sizes: env, chunks, copies, peakBytes: peak };
}

/**
 * The number of private copies of a scatter's target (compiler/plan/privatise_scatters.ts): at most the target's
 * limit, as many as fit in the budget beside everything else live while they are, as many as the scatter's work
 * pays for (SCATTER_WORK_PER_COPY_ELEMENT), no more than fit together in the target's preferred chunk bytes (its
 * cache: a thread that cycles through copies larger than the cache waits on memory — measured on the NUFFT grid,
 * bench/RESULTS.md) unless that is fewer than two, and 0 — the serial scatter — when that is fewer than two.
 * Sizes, budget and the target's constants only: never the thread count, so the summation order does not depend on it.
 * @param {PlanInfo} plan @param {CopiesInfo} c @param {Record<string, number>} env
 * @param {{ budgetBytes: number, preferredChunkBytes: number }} limits
 * @param {number} maxBuffer @param {(i: number, except?: string) => number} liveAt
 */
function chooseCopies(plan, c, env, limits, maxBuffer, liveAt) {
  const budget = limits.budgetBytes;
  const t = plan.temps.find((x) => x.name === c.buf);
  if (!t) return 0;
  const perCopy = evalTerms(t.bytes, { ...env, [c.count]: 1 });
  const elements = evalTerms(c.elements, env);
  if (!(perCopy > 0) || !(elements > 0)) return 0;
  let others = 0;
  for (let i = t.live[0]; i <= t.live[1]; i++) others = Math.max(others, liveAt(i, c.buf));
  const n = Math.min(
    c.maxCopies,
    Math.floor((budget - others) / perCopy),
    Math.floor(maxBuffer / perCopy),
    Math.floor(evalTerms(c.work, env) / (SCATTER_WORK_PER_COPY_ELEMENT * elements)),
    Math.max(2, Math.floor(limits.preferredChunkBytes / perCopy)),
  );
  return n >= 2 ? n : 0;
}

/**
 * The scratch a top-level stage takes while it runs: the largest of its entries (each is freed before the next
 * call), min(bytes, cap) + tiles. @param {PlanInfo} plan @param {number} stage @param {Record<string, number>} env
 */
function scratchAt(plan, stage, env) {
  let most = 0;
  for (const x of plan.scratch ?? [])
    if (x.stage === stage)
      most = Math.max(most, Math.min(evalTerms(x.bytes, env), evalTerms(x.cap, env)) + evalTerms(x.tiles, env));
  return most;
}

/**
 * The largest extent n of chunk `c` for which the chunked temporaries (perUnit·n) plus the scratch of every
 * stage inside the chunk loop fit in `room`: for each entry, perUnit·n + min(a + s·n, cap) + tiles ≤ room holds
 * when either perUnit·n + a + s·n + tiles ≤ room or perUnit·n + cap + tiles ≤ room (bytes are linear in n).
 * @param {PlanInfo} plan @param {ChunkInfo} c @param {Record<string, number>} env @param {number} perUnit @param {number} room
 */
function maxChunkWithScratch(plan, c, env, perUnit, room) {
  let n = Infinity;
  for (const x of plan.scratch ?? []) {
    if (x.stage !== c.stage) continue;
    const at = (/** @type {number} */ k) => ({ ...env, [c.chunkSymbol]: k });
    const a = evalTerms(x.bytes, at(0)),
      s = evalTerms(x.bytes, at(1)) - a,
      cap = evalTerms(x.cap, at(0)),
      tiles = evalTerms(x.tiles, at(0)),
      ts = evalTerms(x.tiles, at(1)) - tiles;
    const uncapped = Math.floor((room - tiles - a) / Math.max(perUnit + s + ts, 1)),
      capped =
        cap === evalTerms(x.cap, at(1)) ? Math.floor((room - tiles - cap) / Math.max(perUnit + ts, 1)) : -Infinity;
    n = Math.min(n, Math.max(uncapped, capped));
  }
  return n;
}

/**
 * The largest extent of chunk `c` for which each of its temporaries stays within maxBuffer bytes.
 * @param {string} kernel @param {PlanInfo} plan @param {ChunkInfo} c @param {Record<string, number>} env @param {number} maxBuffer
 */
function maxChunkForBuffers(kernel, plan, c, env, maxBuffer) {
  let n = Infinity;
  if (!(maxBuffer < Infinity)) return n;
  for (const t of plan.temps) {
    if (t.chunkedBy !== c.symbol) continue;
    // Bytes are linear in the chunk extent, so bytes(1) − bytes(0) is the cost of one unit.
    const perUnit =
      evalTerms(t.bytes, { ...env, [c.chunkSymbol]: 1 }) - evalTerms(t.bytes, { ...env, [c.chunkSymbol]: 0 });
    if (perUnit > maxBuffer)
      throw new RangeError(
        `${kernel}: intermediate '${t.name}' needs ${formatBytes(perUnit)} (${perUnit} bytes) even with ${c.symbol} in chunks of 1, above the largest buffer this target can use (${formatBytes(maxBuffer)})`,
      );
    if (perUnit > 0) n = Math.min(n, Math.floor(maxBuffer / perUnit));
  }
  return n;
}

/**
 * Checks a user-supplied budget option.
 * @param {string} kernel @param {unknown} v @param {number} fallback
 */
export function budgetOption(kernel, v, fallback) {
  if (v === undefined) return fallback;
  if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v))
    throw new RangeError(`${kernel}: options.memoryBudgetBytes must be a positive number of bytes, got ${String(v)}`);
  return v;
}
