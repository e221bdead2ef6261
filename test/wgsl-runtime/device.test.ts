/** getGpu on the machine's adapter (llvmpipe in CI): capabilities, round trips, ordering, errors. */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GpuError, WgslCompileError, workgroupGrid, type Gpu } from '../../backends/wgsl/runtime/index.js';
import { bufferOf, skipWgsl, testGpu } from './gpu-setup.ts';

const DOUBLE = /* wgsl */ `
@group(0) @binding(0) var<storage, read_write> a: array<f32>;
@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) g: vec3<u32>) {
  if (g.x < arrayLength(&a)) { a[g.x] = a[g.x] * 2.0; }
}`;

// Writes its linear workgroup id, folded from a 2-D grid, into out[id]; count and gridX are uniforms.
const IDS = /* wgsl */ `
struct P { count: u32, gridX: u32 }
@group(0) @binding(0) var<storage, read_write> out: array<u32>;
@group(0) @binding(1) var<uniform> p: P;
@compute @workgroup_size(1)
fn main(@builtin(workgroup_id) w: vec3<u32>) {
  let id = w.y * p.gridX + w.x;
  if (id < p.count) { out[id] = id + 1u; }
}`;

describe.skipIf(skipWgsl)('getGpu', () => {
  let gpu: Gpu;
  beforeAll(async () => {
    gpu = await testGpu();
  });
  afterAll(() => gpu?.submit());

  it('opens a device and reports capabilities', async () => {
    expect(gpu.device).toBeDefined();
    expect(await testGpu()).toBe(gpu); // cached per process
    const caps = gpu.capabilities();
    expect(caps.target).toBe('wgsl');
    expect(caps.supportsF64).toBe(false);
    expect(caps.maxWorkgroupsPerDim).toBeGreaterThanOrEqual(65535);
    // We request the adapter's limits, not compatibility mode's defaults (128 invocations).
    expect(caps.maxInvocationsPerWorkgroup).toBeGreaterThanOrEqual(256);
    expect(caps.maxBindingBytes).toBeGreaterThanOrEqual(128 * 2 ** 20);
    expect(caps.memoryBytes).toBe(Math.min(caps.maxBufferBytes * 4, 2 ** 31));
    // llvmpipe silently stops loops after 65535 iterations per invocation (loop-probe.js).
    if (/llvmpipe|lavapipe/i.test(gpu.adapterInfo.device + gpu.adapterInfo.description))
      expect(caps.loopIterationLimit).toBe(65535);
    else expect(caps.loopIterationLimit).toBeGreaterThan(65535);
    console.log(`[wgsl] ${gpu.backend}:`, gpu.adapterInfo, caps);
  });

  it('round-trips a trivial shader', async () => {
    const buf = bufferOf(gpu, new Float32Array([1, 2, 3, 4, 5]));
    gpu.dispatch(await gpu.pipeline(DOUBLE), [buf], [1, 1, 1]);
    expect([...new Float32Array(await gpu.read(buf, 20))]).toEqual([2, 4, 6, 8, 10]);
    gpu.destroy(buf);
  });

  it('caches pipelines by source text', async () => {
    expect(await gpu.pipeline(DOUBLE)).toBe(await gpu.pipeline(DOUBLE));
  });

  it('keeps call order: an upload after a dispatch does not overtake it', async () => {
    const buf = bufferOf(gpu, new Float32Array([1, 1, 1, 1]));
    const pipe = await gpu.pipeline(DOUBLE);
    gpu.dispatch(pipe, [buf], [1, 1, 1]); // 2
    gpu.upload(buf, new Float32Array([10]), 0); // [10, 2, 2, 2]
    gpu.dispatch(pipe, [buf], [1, 1, 1]); // [20, 4, 4, 4]
    gpu.dispatch(pipe, [{ buffer: buf, offset: 0, size: 8 }], [1, 1, 1]); // range binding: [40, 8, 4, 4]
    expect([...new Float32Array(await gpu.read(buf, 16))]).toEqual([40, 8, 4, 4]);
  });

  it('dispatches more than 65535 workgroups through a 2-D grid with uniforms', async () => {
    const count = 70001;
    const grid = workgroupGrid(count, gpu.capabilities().maxWorkgroupsPerDim);
    expect(grid[1]).toBe(2);
    const out = gpu.createBuffer(count * 4);
    gpu.dispatch(await gpu.pipeline(IDS), [out], grid, new Uint32Array([count, grid[0]]));
    const ids = new Uint32Array(await gpu.read(out, count * 4));
    expect(ids.every((v, i) => v === i + 1)).toBe(true);
  });

  it('rejects a workgroup count above the per-dimension limit', async () => {
    const buf = gpu.createBuffer(4);
    expect(() => gpu.dispatch({} as GPUComputePipeline, [buf], [70000, 1, 1])).toThrow(/workgroupGrid/);
  });

  it('surfaces WGSL compile errors with line:col and the source line', async () => {
    const bad = 'fn f() -> f32 {\n  return undefinedThing;\n}\n@compute @workgroup_size(1) fn main() {}';
    const err = await gpu.pipeline(bad).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WgslCompileError);
    expect((err as Error).message).toMatch(/2:10 error: unresolved value 'undefinedThing'/);
    expect((err as Error).message).toContain('return undefinedThing;');
  });

  it('surfaces pipeline errors (unknown entry point)', async () => {
    await expect(gpu.pipeline(DOUBLE, 'nope')).rejects.toThrow(/entry point 'nope'/);
  });

  it('reports device validation errors from onDone()', async () => {
    // IDS declares a uniform at binding 1; binding a second storage buffer there is invalid.
    const a = gpu.createBuffer(16);
    const b = gpu.createBuffer(16);
    gpu.dispatch(await gpu.pipeline(IDS), [a, b], [1, 1, 1]);
    const err = await gpu.onDone().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GpuError);
    expect((err as Error).message).toMatch(/dispatch #\d+ \[1,1,1\] with 2 bindings: .*Uniform/s);
    await gpu.onDone(); // errors are reported once
  });

  it('rejects uploads that do not fit', () => {
    const buf = gpu.createBuffer(8);
    expect(() => gpu.upload(buf, new Float32Array(3))).toThrow(/do not fit/);
  });

  it('uploads from SharedArrayBuffer views and odd byte lengths', async () => {
    const shared = new Float32Array(new SharedArrayBuffer(24));
    shared.set([1, 2, 3, 4, 5, 6]);
    const buf = gpu.createBuffer(16);
    gpu.upload(buf, shared.subarray(2));
    expect([...new Float32Array(await gpu.read(buf, 16))]).toEqual([3, 4, 5, 6]);
    const odd = gpu.createBuffer(5);
    gpu.upload(odd, new Uint8Array([1, 2, 3, 4, 5]));
    expect([...new Uint8Array(await gpu.read(odd, 5))]).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('GpuUnavailableError', () => {
  it('says which backends were tried and why they failed', () => {
    // A child process: getGpu() caches its device per process.
    const index = fileURLToPath(new URL('../../backends/wgsl/runtime/index.js', import.meta.url));
    const script = `import { getGpu } from ${JSON.stringify(index)};
      getGpu().then(() => console.log('opened'), (e) => console.log(e.name + ': ' + e.message));`;
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      env: { ...process.env, LENSC_WEBGPU_BACKENDS: 'nonexistent' },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    expect(out).toMatch(
      /^GpuUnavailableError: no WebGPU adapter: Dawn backend=nonexistent .*unrecognised backend.*wgsl-setup\.sh/s,
    );
  });
});

describe('workgroupGrid', () => {
  it('stays within the per-dimension limit with little waste', () => {
    expect(workgroupGrid(10)).toEqual([10, 1, 1]);
    expect(workgroupGrid(65535)).toEqual([65535, 1, 1]);
    for (const n of [65536, 131071, 1e6, 4e9]) {
      const [x, y] = workgroupGrid(n);
      expect(x).toBeLessThanOrEqual(65535);
      expect(x * y).toBeGreaterThanOrEqual(n);
      expect(x * y - n).toBeLessThan(y);
    }
    expect(() => workgroupGrid(65535 * 65535 + 1)).toThrow(/chunk/);
  });
});
