/** validateWgsl uses Dawn's null backend, so it runs with no GPU driver at all (not skipped). */
import { describe, expect, it } from 'vitest';
import { f32ToF64, f64ToF32, validateWgsl } from '../../backends/wgsl/runtime/index.js';

describe('validateWgsl', () => {
  it('accepts a good shader', async () => {
    const r = await validateWgsl(`
      @group(0) @binding(0) var<storage, read_write> a: array<f32>;
      @compute @workgroup_size(16, 16) fn main(@builtin(global_invocation_id) g: vec3<u32>) { a[g.x] = 1.0; }`);
    expect(r).toEqual({ ok: true, messages: [] });
  });

  it('rejects a bad shader with line:col and the source line', async () => {
    const r = await validateWgsl('fn f() -> i32 {\n  return 1.5;\n}');
    expect(r.ok).toBe(false);
    expect(r.messages[0]).toMatch(/^2:10 error: .*abstract-float.*i32/);
    expect(r.messages[0]).toContain('return 1.5;');
  });

  it('rejects pipelines beyond the default limits (workgroup size)', async () => {
    const r = await validateWgsl(`@compute @workgroup_size(2048) fn big() {}`);
    expect(r.ok).toBe(false);
    expect(r.messages.join('\n')).toMatch(/entry point 'big'.*workgroup_size/s);
  });
});

describe('f64 <-> f32', () => {
  it('rounds to nearest and widens exactly', () => {
    const x = new Float64Array([0.1, -2.5, 1e40, 2 ** -130]);
    const f = f64ToF32(x);
    expect(f).toBeInstanceOf(Float32Array);
    expect([...f]).toEqual([Math.fround(0.1), -2.5, Infinity, Math.fround(2 ** -130)]);
    expect([...f32ToF64(f)]).toEqual([...f]);
  });
});
