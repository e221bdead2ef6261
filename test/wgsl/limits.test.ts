// What keeps every WGSL dispatch within the device: the planner's maxBufferBytes (chunks sized so each
// chunked intermediate fits one binding; an unchunkable one is an error naming it) and the check of
// each stage's storage buffers against the device's per-stage limit. No GPU needed.
import { describe, expect, it } from 'vitest';
import { resolvePlan } from '../../backends/common/plan.js';
import { pipelines, type StageInfo } from '../../backends/wgsl/support/index.js';
import type { Gpu } from '../../backends/wgsl/runtime/index.js';
import { planKernel } from '../../compiler/compile.ts';
import { wTilde, wTildePreloadGemm } from '../../std/index.ts';

const roomy = { budgetBytes: 2 ** 40, preferredChunkBytes: Infinity };

describe('resolvePlan with maxBufferBytes', () => {
  it('sizes K chunks so that each chunked intermediate fits', () => {
    const plan = planKernel(wTilde, 'wgsl').manifest.plan;
    const sizes = { M: 100, K: 10000 };
    expect(resolvePlan('wTilde', plan, sizes, roomy).chunks.K).toBe(10000); // unchanged without the limit
    const r = resolvePlan('wTilde', plan, sizes, { ...roomy, maxBufferBytes: 4 * 100 * 512 });
    expect(r.chunks.K).toBe(512); // t0 and t1 are 4·M·K_chunk bytes each
  });

  it('an intermediate that cannot be chunked and does not fit is an error naming it', () => {
    const plan = planKernel(wTildePreloadGemm, 'wgsl').manifest.plan;
    expect(() =>
      resolvePlan('wTildePreloadGemm', plan, { Ny: 64, Nx: 64, K: 100 }, { ...roomy, maxBufferBytes: 4096 }),
    ).toThrow(
      /wTildePreloadGemm: intermediate 't2' needs 64.0 KiB \(65536 bytes\), above the largest buffer this target can use \(4.00 KiB\), and it cannot be chunked/,
    );
  });

  it('an intermediate too large even in chunks of 1 is an error naming it', () => {
    const plan = planKernel(wTilde, 'wgsl').manifest.plan;
    expect(() => resolvePlan('wTilde', plan, { M: 2000, K: 10 }, { ...roomy, maxBufferBytes: 4000 })).toThrow(
      /intermediate 't0' needs 7.81 KiB \(8000 bytes\) even with K in chunks of 1/,
    );
  });
});

describe('storage buffers per stage', () => {
  it('a stage binding more storage buffers than the device allows fails before compiling', async () => {
    const fake = {
      backend: 'test device (compatibility)',
      capabilities: () => ({ maxStorageBuffersPerStage: 4 }),
      pipeline: () => {
        throw new Error('must not compile');
      },
    } as unknown as Gpu;
    const stage: StageInfo = { wgsl: '', buffers: ['a', 'b', 'c', 'd'], error: true, uniforms: [], count: () => 1 };
    await expect(pipelines(fake, 'k', { s1: stage })).rejects.toThrow(
      'k: stage s1 binds 5 storage buffers (a, b, c, d, errors), but this WebGPU device (test device (compatibility)) allows 4 per shader stage',
    );
  });
});
