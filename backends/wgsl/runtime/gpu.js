// @ts-check
/**
 * The Gpu handle generated WGSL modules talk to: buffers, pipelines (cached by source), batched
 * dispatches and read-back. One per process (see getGpu in device.js).
 *
 * Ordering contract: dispatch() records into one pending command encoder (a single compute pass, in
 * which WebGPU makes every dispatch see the writes of the earlier ones). upload(), read(), destroy(),
 * submit() and onDone() first submit that pending batch, so every operation takes effect in the order
 * it was called — e.g. an upload after a dispatch never overtakes it, although queue.writeBuffer by
 * itself would.
 */
import { GpuError, WgslCompileError, formatCompilationMessages } from './errors.js';
import { capabilitiesFromLimits } from './limits.js';
import { probeLoopLimit } from './loop-probe.js';
import { BufferUsage, MapMode } from './usage.js';

/** @typedef {GPUBuffer | { buffer: GPUBuffer, offset?: number, size?: number }} Binding */

const roundUp = (/** @type {number} */ x, /** @type {number} */ a) => Math.ceil(x / a) * a;

export class Gpu {
  /**
   * @param {GPUDevice} device
   * @param {{ vendor: string, architecture: string, device: string, description: string }} adapterInfo
   * @param {{ backend: string, memoryBytes: number, keepAlive?: unknown, onClose?: () => void }} opts
   *   (call init() before use: it measures the loop limit)
   */
  constructor(device, adapterInfo, opts) {
    this.device = device;
    this.adapterInfo = adapterInfo;
    /** Which instance / backend produced the device, e.g. "Dawn backend=opengles (compatibility)". */
    this.backend = opts.backend;
    this.memoryBytes = opts.memoryBytes;
    /** Total loop iterations one invocation may run (llvmpipe: 65535); set by init(). */
    this.loopIterationLimit = Infinity;
    // dawn.node's instance must stay referenced while its device is used (it owns the native side).
    this._keepAlive = opts.keepAlive;
    this._onClose = opts.onClose;
    /** @type {Map<string, Promise<GPUComputePipeline>>} */
    this._pipelines = new Map();
    /** @type {GPUCommandEncoder | null} */
    this._encoder = null;
    /** @type {GPUComputePassEncoder | null} */
    this._pass = null;
    /** @type {GPUBuffer[]} per-dispatch uniform buffers of the pending batch */
    this._temps = [];
    /** @type {string[]} */
    this._errors = [];
    /** @type {Promise<void>[]} error scopes of recorded work, checked by read() / onDone() */
    this._scopes = [];
    this._dispatches = 0;
    /** @type {string | null} */
    this._lost = null;
    // Errors outside an error scope arrive here; we surface them from onDone()/read() as a GpuError.
    // (Dawn in Node additionally prints them to the console; that cannot be switched off.)
    device.addEventListener('uncapturederror', (ev) => {
      this._errors.push(/** @type {GPUUncapturedErrorEvent} */ (ev).error.message.trim());
    });
    device.lost.then((info) => {
      if (info.reason !== 'destroyed') this._lost = `${info.reason}: ${info.message}`;
      this._onClose?.();
    });
  }

  /** Measure what the limits do not say (see loop-probe.js). @returns {Promise<this>} */
  async init() {
    this.loopIterationLimit = await probeLoopLimit(this);
    return this;
  }

  capabilities() {
    return capabilitiesFromLimits(this.device.limits, this.memoryBytes, this.loopIterationLimit);
  }

  /**
   * Compile (once per distinct source + entry point + constants) a compute pipeline with layout 'auto'.
   * Note 'auto' drops bindings the entry point never uses, so a shader must use every binding it declares.
   * `constants` sets the shader's override declarations (e.g. df64's TwoProduct variant).
   * @param {string} wgsl @param {string} [entryPoint] @param {Record<string, number>} [constants]
   * @returns {Promise<GPUComputePipeline>}
   */
  pipeline(wgsl, entryPoint = 'main', constants) {
    const key = `${entryPoint}\u0000${constants ? JSON.stringify(constants) : ''}\u0000${wgsl}`;
    let p = this._pipelines.get(key);
    if (!p) {
      p = this._compile(wgsl, entryPoint, constants);
      this._pipelines.set(key, p);
      // A failed compile is not cached, so the error repeats instead of turning into a stale rejection.
      p.catch(() => this._pipelines.delete(key));
    }
    return p;
  }

  /** @param {string} wgsl @param {string} entryPoint @param {Record<string, number>} [constants] */
  async _compile(wgsl, entryPoint, constants) {
    this._check();
    const device = this.device;
    // The scope keeps the parse error out of the uncaptured-error stream (we report it ourselves).
    device.pushErrorScope('validation');
    const module = device.createShaderModule({ code: wgsl });
    const scoped = device.popErrorScope();
    const info = await module.getCompilationInfo();
    await scoped;
    const errors = info.messages.filter((m) => m.type === 'error');
    if (errors.length) {
      const msgs = formatCompilationMessages(errors, wgsl);
      throw new WgslCompileError(`WGSL compilation failed (entry point '${entryPoint}'):\n${msgs.join('\n')}`, msgs);
    }
    try {
      return await device.createComputePipelineAsync({
        layout: 'auto',
        compute: { module, entryPoint, ...(constants ? { constants } : {}) },
      });
    } catch (e) {
      const text = e instanceof Error ? e.message.trim() : String(e);
      throw new WgslCompileError(`WGSL pipeline creation failed (entry point '${entryPoint}'): ${text}`, [text]);
    }
  }

  /**
   * A zero-filled buffer. Sizes round up to 4 bytes (WebGPU copies work in words) and at least 4,
   * so empty tensors still bind. 'storage' buffers can also be copied to and from.
   * @param {number} bytes @param {'storage' | 'uniform'} [usage]
   */
  createBuffer(bytes, usage = 'storage') {
    this._check();
    if (!Number.isFinite(bytes) || bytes < 0) throw new RangeError(`createBuffer: bytes must be ≥ 0, got ${bytes}`);
    const max = this.device.limits.maxBufferSize;
    if (bytes > max) throw new RangeError(`createBuffer: ${bytes} bytes exceed the device's maxBufferSize ${max}`);
    const flags =
      usage === 'uniform'
        ? BufferUsage.UNIFORM | BufferUsage.COPY_DST
        : BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST;
    return this.device.createBuffer({ size: Math.max(4, roundUp(bytes, 4)), usage: flags });
  }

  /**
   * Copy `data` into `buf` at `byteOffset` (a multiple of 4). Runs after every earlier dispatch.
   * @param {GPUBuffer} buf @param {ArrayBufferView} data @param {number} [byteOffset]
   */
  upload(buf, data, byteOffset = 0) {
    this._check();
    if (byteOffset % 4 !== 0) throw new RangeError(`upload: byteOffset ${byteOffset} is not a multiple of 4`);
    if (byteOffset + data.byteLength > buf.size)
      throw new RangeError(
        `upload: ${data.byteLength} bytes at offset ${byteOffset} do not fit a ${buf.size}-byte buffer`,
      );
    this.submit();
    const view = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    const shared = typeof SharedArrayBuffer !== 'undefined' && data.buffer instanceof SharedArrayBuffer;
    /** @type {Uint8Array<ArrayBuffer>} */
    let bytes = /** @type {Uint8Array<ArrayBuffer>} */ (view);
    if (shared || view.byteLength % 4 !== 0) {
      // writeBuffer wants whole words (pad the tail with zeros; the buffer is word-sized anyway), and
      // dawn.node rejects SharedArrayBuffer views (the JS backend's memory), so copy those.
      bytes = new Uint8Array(roundUp(view.byteLength, 4));
      bytes.set(view);
    }
    if (bytes.byteLength) this.device.queue.writeBuffer(buf, byteOffset, bytes);
  }

  /**
   * The first `bytes` bytes of `buf` from `byteOffset`, after all earlier work; throws a GpuError if
   * the device reported errors meanwhile.
   * @param {GPUBuffer} buf @param {number} bytes @param {number} [byteOffset]
   * @returns {Promise<ArrayBuffer>}
   */
  async read(buf, bytes, byteOffset = 0) {
    this._check();
    if (byteOffset % 4 !== 0) throw new RangeError(`read: byteOffset ${byteOffset} is not a multiple of 4`);
    if (byteOffset + bytes > buf.size)
      throw new RangeError(`read: ${bytes} bytes at ${byteOffset} exceed the ${buf.size}-byte buffer`);
    this.submit();
    if (bytes === 0) return new ArrayBuffer(0);
    const size = roundUp(bytes, 4);
    const staging = this.device.createBuffer({ size, usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST });
    try {
      const enc = this.device.createCommandEncoder();
      enc.copyBufferToBuffer(buf, byteOffset, staging, 0, size);
      this.device.queue.submit([enc.finish()]);
      await staging.mapAsync(MapMode.READ);
      const out = staging.getMappedRange(0, size).slice(0, bytes);
      staging.unmap();
      await this._settle();
      return out;
    } catch (e) {
      await this._settle();
      throw e;
    } finally {
      staging.destroy();
    }
  }

  /**
   * Record one dispatch. bindings[i] is @group(0) @binding(i); `uniforms`, if given, is bound at
   * binding bindings.length (copied now, so the caller may reuse the array). A workgroup count of 0
   * records nothing. Each count must be ≤ maxComputeWorkgroupsPerDimension (see workgroupGrid).
   * @param {GPUComputePipeline} pipeline @param {Binding[]} bindings
   * @param {[number, number, number]} workgroups @param {ArrayBufferView} [uniforms]
   */
  dispatch(pipeline, bindings, workgroups, uniforms) {
    this._check();
    const lim = this.device.limits;
    for (const w of workgroups) {
      if (!Number.isInteger(w) || w < 0 || w > lim.maxComputeWorkgroupsPerDimension)
        throw new RangeError(
          `dispatch: workgroup count ${w} in [${workgroups}] is not an integer in 0..${lim.maxComputeWorkgroupsPerDimension}; use workgroupGrid()`,
        );
    }
    if (workgroups.some((w) => w === 0)) return;
    /** @type {GPUBindGroupEntry[]} */
    const entries = bindings.map((b, i) => ({ binding: i, resource: this._bufferBinding(b, i) }));
    if (uniforms) {
      const ubuf = this.device.createBuffer({
        size: Math.max(16, roundUp(uniforms.byteLength, 16)),
        usage: BufferUsage.UNIFORM,
        mappedAtCreation: true,
      });
      // Written at creation, so it cannot be reordered against the batch (writeBuffer could).
      new Uint8Array(ubuf.getMappedRange()).set(
        new Uint8Array(uniforms.buffer, uniforms.byteOffset, uniforms.byteLength),
      );
      ubuf.unmap();
      this._temps.push(ubuf);
      entries.push({ binding: bindings.length, resource: { buffer: ubuf } });
    }
    const n = ++this._dispatches;
    const group = this._scoped(`dispatch #${n} [${workgroups}] with ${entries.length} bindings`, () =>
      this.device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries }),
    );
    if (!this._pass) {
      this._encoder = this.device.createCommandEncoder();
      this._pass = this._encoder.beginComputePass();
    }
    this._pass.setPipeline(pipeline);
    this._pass.setBindGroup(0, group);
    this._pass.dispatchWorkgroups(workgroups[0], workgroups[1], workgroups[2]);
  }

  /** @param {Binding} b @param {number} i @returns {GPUBufferBinding} */
  _bufferBinding(b, i) {
    const lim = this.device.limits;
    const { buffer, offset = 0, size } = 'buffer' in b ? b : { buffer: b };
    const bound = size ?? buffer.size - offset;
    if (buffer.usage & BufferUsage.STORAGE) {
      if (offset % lim.minStorageBufferOffsetAlignment !== 0)
        throw new RangeError(
          `dispatch: binding ${i} offset ${offset} is not a multiple of minStorageBufferOffsetAlignment ${lim.minStorageBufferOffsetAlignment}`,
        );
      if (bound > lim.maxStorageBufferBindingSize)
        throw new RangeError(
          `dispatch: binding ${i} spans ${bound} bytes, above maxStorageBufferBindingSize ${lim.maxStorageBufferBindingSize}; bind a range {buffer, offset, size}`,
        );
    }
    if (offset + bound > buffer.size)
      throw new RangeError(`dispatch: binding ${i} range ${offset}+${bound} exceeds the ${buffer.size}-byte buffer`);
    return size === undefined ? { buffer, offset } : { buffer, offset, size };
  }

  /** Submit the pending batch of dispatches (no-op when there is none). */
  submit() {
    if (!this._pass || !this._encoder) return;
    const pass = this._pass;
    const encoder = this._encoder;
    this._pass = null;
    this._encoder = null;
    this._scoped('submitting the batch', () => {
      pass.end();
      this.device.queue.submit([encoder.finish()]);
    });
    const temps = this._temps;
    this._temps = [];
    // Free the uniform buffers only once the GPU is done with them.
    if (temps.length) this.device.queue.onSubmittedWorkDone().then(() => temps.forEach((t) => t.destroy()));
  }

  /** Submit the batch and wait until the GPU has finished everything; throws a GpuError if it reported errors. */
  async onDone() {
    this._check();
    this.submit();
    await this.device.queue.onSubmittedWorkDone();
    await this._settle();
  }

  /** Free a buffer (after the pending batch is submitted, which may still use it). @param {GPUBuffer} buf */
  destroy(buf) {
    this.submit();
    buf.destroy();
  }

  /** Destroy the device and forget it, so the next getGpu() opens a fresh one. */
  close() {
    this._pass = null;
    this._encoder = null;
    this._pipelines.clear();
    this.device.destroy();
    this._onClose?.();
  }

  /**
   * Run `fn` inside a validation error scope and remember the outcome for read() / onDone(). Scoped
   * errors carry our context and are not printed by Dawn (uncaptured ones are, unconditionally).
   * @template T @param {string} what @param {() => T} fn @returns {T}
   */
  _scoped(what, fn) {
    this.device.pushErrorScope('validation');
    try {
      return fn();
    } finally {
      this._scopes.push(
        this.device.popErrorScope().then((e) => {
          if (e) this._errors.push(`${what}: ${e.message.trim()}`);
        }),
      );
      // Long runs without a read(): fold the settled-or-not promises so the list stays short.
      if (this._scopes.length > 256) this._scopes = [Promise.all(this._scopes).then(() => {})];
    }
  }

  /** Wait for the error scopes recorded so far, then throw what they and the device reported. */
  async _settle() {
    const scopes = this._scopes.splice(0);
    await Promise.all(scopes);
    this._throwErrors();
  }

  _check() {
    if (this._lost) throw new GpuError(`WebGPU device lost (${this._lost})`);
  }

  _throwErrors() {
    if (!this._errors.length) return;
    const errs = this._errors.splice(0);
    throw new GpuError(`WebGPU reported ${errs.length} error(s) for earlier work:\n${errs.join('\n')}`);
  }
}
