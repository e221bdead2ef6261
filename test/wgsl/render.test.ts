// The WGSL renderer without a GPU: the f64 → f32 demotion and what the manifest says about it, the
// shaders of two tiny kernels (inline snapshots), every generated shader of std/ compiled by Dawn's
// null backend (validateWgsl), and the clear errors for what WGSL cannot run.
import { describe, expect, it } from 'vitest';
import { planKernel, renderKernel } from '../../compiler/compile.ts';
import { generate } from '../../compiler/aot/build.ts';
import { topoOrder } from '../../compiler/ir/graph.ts';
import { add, cholesky, cos, f64, kernel, mul, scalar, sum } from '../../dsl/index.ts';
import { demoteToF32 } from '../../backends/wgsl/to_f32.ts';
import { validateWgsl } from '../../backends/wgsl/runtime/index.js';
import { FILL_SHADERS } from '../../backends/wgsl/support/index.js';
import { wTilde, wTildeDirect } from '../../std/index.ts';

const scaleShift = kernel({
  name: 'scaleShift',
  params: { x: f64(['N']), a: scalar('f64') },
  body: ({ x, a }) => add(mul(x, a), 1),
});
const phaseSums = kernel({
  name: 'phaseSums',
  params: { x: f64(['M']), u: f64(['K']) },
  body: ({ x, u }) => sum(cos(mul(2 * Math.PI, mul(x.reshape(['M', 1]), u.reshape([1, 'K'])))), 1),
});
/** A stage's shader without its first line (the title, with this file's line numbers). */
function shader(k: typeof scaleShift, stage: string): string {
  const c = planKernel(k, 'wgsl');
  return renderKernel(c, 'wgsl').extra![`${c.manifest.file}_${stage}.wgsl`]!.split('\n').slice(1).join('\n');
}

describe('to-f32 pass and the wgsl manifest', () => {
  it('leaves no f64 in the graph; parameters and outputs stay f64 at the module interface', () => {
    const g = demoteToF32(wTildeDirect.graph());
    expect(topoOrder(g.outputs.map((o) => o.node)).filter((n) => n.dtype === 'f64')).toEqual([]);
    expect(g.params.every((p) => p.kind.kind !== 'array' || p.kind.dtype === 'f32')).toBe(true);
    const m = planKernel(wTilde, 'wgsl').manifest;
    expect(m.params.map((p) => p.dtype)).toEqual(['f64', 'f64', 'f64']);
    expect(m.outputs[0]!.dtype).toBe('f64');
    // The planner sized the chunked intermediates as f32.
    expect(m.plan.temps.map((t) => t.bytesText)).toEqual(['4*K_chunk*M', '4*K_chunk*M']);
    expect(m.precision.storage).toMatch(/^f32/);
    expect(m.precision.errorBound).toMatch(/^relative Frobenius error: worst measured \d\.\de-\d+ /);
    expect(m.plan.notes.join('\n')).toMatch(/range-reduced in cycles/);
  });
});

describe('generated WGSL', () => {
  it('an elementwise kernel', () => {
    expect(shader(scaleShift, 's0')).toMatchInlineSnapshot(`
      "struct Uniforms {
        count: u32,
        gridX: u32,
        one: f32,
        sz_N: i32,
        p_a: f32,
      }
      @group(0) @binding(0) var<storage, read_write> b_out_result: array<f32>;
      @group(0) @binding(1) var<storage, read> b_x: array<f32>;
      @group(0) @binding(2) var<uniform> u: Uniforms;
      @compute @workgroup_size(64)
      fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
        let lensc_id = (wid.y * u.gridX + wid.x) * 64u + lid;
        if (lensc_id >= u.count) { return; }
        let i0 = i32(lensc_id);
        let v0 = b_x[i0];
        let v1 = (v0 * u.p_a);
        let v2 = (v1 + 1.0f);
        b_out_result[i0] = v2;
      }
      "
    `);
  });

  it('a compensated reduction over a window of K, with the phase range-reduced in cycles', () => {
    expect(shader(phaseSums, 's0')).toMatchInlineSnapshot(`
      "struct Uniforms {
        count: u32,
        gridX: u32,
        one: f32,
        sz_M: i32,
        sz_red_len: i32,
        fv_red_off: i32,
      }
      @group(0) @binding(0) var<storage, read_write> b_out_result: array<f32>;
      @group(0) @binding(1) var<storage, read> b_u: array<f32>;
      @group(0) @binding(2) var<storage, read> b_x: array<f32>;
      @group(0) @binding(3) var<uniform> u: Uniforms;
      // (sum, compensation) + x with the rounding error of the addition kept exactly (Knuth's TwoSum).
      fn lensc_two_sum(acc: vec2<f32>, x: f32) -> vec2<f32> {
        let s = acc.x + x;
        let bb = (s * u.one - acc.x) * u.one;
        let e = (acc.x - (s - bb) * u.one) * u.one + (x - bb);
        return vec2<f32>(s, acc.y + e);
      }
      @compute @workgroup_size(64)
      fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
        let lensc_id = (wid.y * u.gridX + wid.x) * 64u + lid;
        if (lensc_id >= u.count) { return; }
        let i0 = i32(lensc_id);
        var acc0 = vec2<f32>(0.0f, 0.0f);
        let v0 = b_x[i0];
        for (var i1 = 0i; i1 < (u.sz_red_len); i1++) {
          let v1 = (i1 + u.fv_red_off);
          let v2 = b_u[v1];
          let v3 = (v0 * v2);
          let v4 = (v3 + 0.5f);
          let v5 = floor(v4);
          let v6 = (v3 - v5);
          let v7 = (6.2831854820251465f * v6);
          let v8 = cos(v7);
          acc0 = lensc_two_sum(acc0, v8);
        }
        if (u.fv_red_off == 0i) { b_out_result[i0] = (acc0.x + acc0.y); } else { b_out_result[i0] += (acc0.x + acc0.y); }
      }
      "
    `);
  });

  it('every shader of std/ and the fill shaders compile (Dawn null backend)', async () => {
    const files = await generate('std/index.ts', ['wgsl'], { sources: true });
    const shaders = [...files].filter(([name]) => name.endsWith('.wgsl'));
    expect(shaders.length).toBeGreaterThanOrEqual(12);
    for (const [name, text] of [
      ...shaders,
      ...Object.entries(FILL_SHADERS),
      ['tiny', shader(phaseSums, 's0')] as [string, string],
    ]) {
      const r = await validateWgsl(text);
      expect(r.messages, name).toEqual([]);
      expect(r.ok, name).toBe(true);
    }
  });

  it('a kernel that needs f64 but is not flagged requiresF64 is a clear error', () => {
    const chol = kernel({ name: 'chol', params: { a: f64(['S', 'S']) }, body: ({ a }) => cholesky(a) });
    expect(() => renderKernel(planKernel(chol, 'wgsl'), 'wgsl')).toThrow(/cholesky needs f64.*requiresF64: true/);
  });
});
