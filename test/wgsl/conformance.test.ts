// The conformance suite on the WGSL backend (llvmpipe in CI): every std kernel's committed
// kernels/wgsl module against the committed f64 JS module on the same inputs, with the f32 contract —
// relative Frobenius error ≤ 1e-4 — at N = 12 and N = 32 with K up to 8192, and again with the
// binding limit lowered (env LENSC_WGSL_MAX_BUFFER_BYTES) so that the K-chunked kernels run in many
// chunks. The worst error per kernel is printed at the end: backends/wgsl/precision.ts records it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shutdown } from '../../backends/js/runtime/index.js';
import { CONTRACT, contentHash } from '../../backends/wgsl/precision.ts';
import { planKernel } from '../../compiler/compile.ts';
import { isKernel, type Kernel } from '../../dsl/index.ts';
import * as std from '../../std/index.ts';
import { frobErr } from '../helpers/random.ts';
import { skipWgsl } from '../wgsl-runtime/gpu-setup.ts';
import { GPU_KERNELS, NUFFT_KERNEL, load, makeCase, withDirty, type InterferometerCase } from './kernels.ts';

const worst = new Map<string, number>();
const note = (name: string, err: number) => worst.set(name, Math.max(worst.get(name) ?? 0, err));

// W̃ costs M²·K on llvmpipe: the N = 32 case keeps M small with a sparse mask spanning the whole grid
// (so pixel offsets, and phases, are as large as N = 32 allows).
const CASES: (() => InterferometerCase)[] = [
  () => makeCase(12, { radius: 5 }, 8192, 1),
  () => makeCase(32, { keep: 0.06 }, 8192, 2),
];

async function check(
  k: (typeof GPU_KERNELS)[number],
  c: InterferometerCase,
  options: Record<string, unknown> = {},
): Promise<number> {
  const inputs = k.inputs(c);
  const want = await (await load('js', k))(inputs);
  const got = await (await load('wgsl', k))(inputs, options);
  expect(got).toBeInstanceOf(Float64Array);
  expect(got.length).toBe(want.length);
  const err = frobErr(got, want);
  note(k.name, err);
  return err;
}

describe.skipIf(skipWgsl)('WGSL conformance: std kernels vs the f64 JS kernels', () => {
  let cases: InterferometerCase[];
  beforeAll(async () => {
    cases = await Promise.all(CASES.map((c) => withDirty(c())));
  });
  afterAll(async () => {
    await shutdown();
    // with each kernel's content hash: backends/wgsl/precision.ts MEASURED is keyed by it
    const hash = (name: string) =>
      contentHash(
        planKernel(
          (Object.values(std).filter(isKernel) as Kernel[]).find((k) => k.name === name)!,
          'wgsl',
        ).optimized,
      );
    console.log(
      `[wgsl] worst relative Frobenius error per kernel (contract ${CONTRACT}):\n${[...worst].map(([k, e]) => `  ${k} (${hash(k)}): ${e.toExponential(2)}`).join('\n')}`,
    );
  });

  for (const k of [...GPU_KERNELS, NUFFT_KERNEL]) {
    it(`${k.name}: relative Frobenius error ≤ ${CONTRACT} at N = 12 and N = 32`, async () => {
      for (const c of cases) {
        const err = await check(k, c);
        expect(err, `${k.name} on ${c.label}`).toBeLessThanOrEqual(CONTRACT);
      }
    });
  }

  // Caps on the largest buffer (bytes) that split each chunked kernel's K axis into ≥ 8 chunks.
  const chunked: [string, number][] = [
    ['wTilde', 4 * 80 * 1000],
    ['wTildePreloadGemm', 4 * 24 * 1000],
    ['dirtyImage', 4 * 1000],
    // (K_chunk, 14) f32 kernel values per axis; the 48 × 48 × 2 f32 grid (18 KiB) stays whole
    ['wTildePreloadNufft', 4 * 14 * 1000],
  ];
  for (const [name, cap] of chunked) {
    it(`${name} in K-chunks forced by a ${cap}-byte binding limit`, async () => {
      const k = [...GPU_KERNELS, NUFFT_KERNEL].find((x) => x.name === name)!;
      const c = cases[0]!;
      const messages: string[] = [];
      process.env.LENSC_WGSL_MAX_BUFFER_BYTES = String(cap);
      try {
        const err = await check(k, c, { onProgress: (_f: number, m: string) => messages.push(m) });
        expect(err).toBeLessThanOrEqual(CONTRACT);
      } finally {
        delete process.env.LENSC_WGSL_MAX_BUFFER_BYTES;
      }
      expect(messages.length).toBeGreaterThanOrEqual(8);
      expect(messages.at(-1)).toMatch(/^K chunk (\d+) of \1$/);
    });
  }
});
