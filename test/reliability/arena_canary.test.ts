// arena_canary.test.ts — no output ever exposes arena memory the call did not write, and outputs have the
// size their shape says (0 for a zero size). Before each call every free byte of the shared arena is poisoned
// with a canary; each call runs twice, under two different canaries, and must give bitwise-equal results that
// contain no canary word.
import { describe, expect, it } from 'vitest';
import { getArena } from '../../backends/js/runtime/index.js';
import { curvatureMatrix } from '../../kernels/js/curvature_matrix.js';
import { dataVector } from '../../kernels/js/data_vector.js';
import { dirtyImage } from '../../kernels/js/dirty_image.js';
import { logEvidence } from '../../kernels/js/log_evidence.js';
import { regularizationConstant } from '../../kernels/js/regularization_constant.js';
import { wTilde } from '../../kernels/js/w_tilde.js';
import { wTildeDirect } from '../../kernels/js/w_tilde_direct.js';
import { wTildeFromPreload } from '../../kernels/js/w_tilde_from_preload.js';
import { wTildePreload } from '../../kernels/js/w_tilde_preload.js';
import { wTildeScan } from '../../kernels/js/w_tilde_scan.js';

const CANARIES = [0x7ff4dead, 0x3ff12345] as const; // a NaN word and a finite-number word

/** Fill every free byte of the arena (and 16 MiB of fresh growth) with `word`. */
function poisonArena(word: number): void {
  const A = getArena() as any;
  A.free(A.alloc(2 * 1024 * 1024, 'f64')); // grow first, so that new pages are poisoned too
  const refs = [...A.freeList].map((blk: { size: number }) => A.alloc(blk.size / 4, 'i32'));
  for (const r of refs) A.view(r).fill(word | 0);
  for (const r of refs) A.free(r);
}

const f64 = (n: number, f: (i: number) => number = (i) => Math.sin(1 + i)) =>
  Float64Array.from({ length: n }, (_, i) => f(i));
const i32 = (n: number, f: (i: number) => number) => Int32Array.from({ length: n }, (_, i) => f(i));
const wt = (M: number, K: number) => ({
  noiseReal: f64(K, (i) => 1 + (i % 3)),
  uv: f64(2 * K, (i) => 3e4 * Math.cos(i)),
  grid: f64(2 * M, (i) => 1e-6 * Math.sin(i)),
});
const vk = (K: number) => {
  const { grid: _g, ...rest } = wt(0, K);
  return rest;
};
const vis = (K: number) => ({ visibilities: f64(2 * K), noiseMap: f64(2 * K, (i) => 1 + (i % 2)) });
const native = (M: number, Ny: number, Nx: number) =>
  i32(2 * M, (i) => (i % 2 === 0 ? Math.floor(i / 2) % Ny : (3 * i) % Nx));
const spd = (S: number, diag: number) => f64(S * S, (i) => (Math.floor(i / S) === i % S ? diag : 0.01));

type Call = () => Promise<unknown>;
/** [kernel and case, call, expected element count of each array output]. */
const CASES: [string, Call, Record<string, number>][] = [
  ['wTilde M = 0', () => wTilde(wt(0, 5)), { result: 0 }],
  ['wTilde K = 0', () => wTilde(wt(3, 0)), { result: 9 }],
  ['wTilde M = 5, K = 7', () => wTilde(wt(5, 7)), { result: 25 }],
  ['wTildeDirect M = 0', () => wTildeDirect(wt(0, 5)), { result: 0 }],
  ['wTildeDirect K = 0', () => wTildeDirect(wt(4, 0)), { result: 16 }],
  ['wTildeScan M = 0', () => wTildeScan(wt(0, 5)), { result: 0 }],
  ['wTildeScan M = 3, K = 4', () => wTildeScan(wt(3, 4)), { result: 9 }],
  [
    'wTildePreload shape [0, 0]',
    () => wTildePreload({ ...vk(5), shape: [0, 0], pixelScales: f64(2, () => 1e-6) }),
    { result: 0 },
  ],
  [
    'wTildePreload K = 0',
    () => wTildePreload({ ...vk(0), shape: [3, 2], pixelScales: f64(2, () => 1e-6) }),
    { result: 24 },
  ],
  [
    'wTildePreload shape [3, 4]',
    () => wTildePreload({ ...vk(6), shape: [3, 4], pixelScales: f64(2, () => 1e-6) }),
    { result: 48 },
  ],
  [
    'wTildeFromPreload M = 0',
    () => wTildeFromPreload({ preload: f64(24), shape: [3, 2], nativeIndex: native(0, 3, 2) }),
    { result: 0 },
  ],
  [
    'wTildeFromPreload M = 4',
    () => wTildeFromPreload({ preload: f64(24), shape: [3, 2], nativeIndex: native(4, 3, 2) }),
    { result: 16 },
  ],
  [
    'curvatureMatrix S = 0',
    () =>
      curvatureMatrix({
        preload: f64(24),
        shape: [3, 2],
        nativeIndex: native(3, 3, 2),
        pixIndexes: i32(6, () => -1),
        pixWeights: f64(6),
        sourcePixels: 0,
      }),
    { result: 0 },
  ],
  [
    'curvatureMatrix M = 5, S = 4',
    () =>
      curvatureMatrix({
        preload: f64(24),
        shape: [3, 2],
        nativeIndex: native(5, 3, 2),
        pixIndexes: i32(10, (i) => (i * 3) % 4),
        pixWeights: f64(10),
        sourcePixels: 4,
      }),
    { result: 16 },
  ],
  [
    'dataVector S = 0',
    () => dataVector({ dirtyImage: f64(2), pixIndexes: i32(4, () => -1), pixWeights: f64(4), sourcePixels: 0 }),
    { result: 0 },
  ],
  [
    'dataVector M = 6, S = 5',
    () =>
      dataVector({ dirtyImage: f64(6), pixIndexes: i32(12, (i) => (i * 7) % 5), pixWeights: f64(12), sourcePixels: 5 }),
    { result: 5 },
  ],
  ['dirtyImage K = 0', () => dirtyImage({ ...vis(0), uv: f64(0), grid: f64(6) }), { result: 3 }],
  ['dirtyImage M = 0', () => dirtyImage({ ...vis(4), uv: f64(8), grid: f64(0) }), { result: 0 }],
  [
    'dirtyImage M = 3, K = 4',
    () => dirtyImage({ ...vis(4), uv: f64(8, (i) => 1e4 * i), grid: f64(6, (i) => 1e-6 * i) }),
    { result: 3 },
  ],
  [
    'regularizationConstant P = 0',
    () =>
      regularizationConstant({
        coefficient: 2,
        neighbors: i32(0, () => 0),
        neighborsSizes: i32(3, () => 0),
        sourcePixels: 3,
      }),
    { result: 9 },
  ],
  [
    'regularizationConstant S = 4, P = 2',
    () =>
      regularizationConstant({
        coefficient: 2,
        neighbors: i32(8, (i) => (i % 2 ? -1 : (i / 2 + 1) % 4)),
        neighborsSizes: i32(4, () => 1),
        sourcePixels: 4,
      }),
    { result: 16 },
  ],
  [
    'logEvidence S = 0',
    () => logEvidence({ curvature: f64(0), regularization: f64(0), dataVector: f64(0), ...vis(3) }),
    { reconstruction: 0 },
  ],
  [
    'logEvidence K = 0',
    () => logEvidence({ curvature: spd(2, 3), regularization: spd(2, 1), dataVector: f64(2), ...vis(0) }),
    { reconstruction: 2 },
  ],
  [
    'logEvidence S = 3, K = 2',
    () => logEvidence({ curvature: spd(3, 3), regularization: spd(3, 1), dataVector: f64(3), ...vis(2) }),
    { reconstruction: 3 },
  ],
];

/** Every f64 output as 32-bit words (rank-0 outputs included), keyed by output name. */
function words(result: unknown): Record<string, Uint32Array> {
  const out: Record<string, Uint32Array> = {};
  const add = (k: string, v: unknown) => {
    const a = typeof v === 'number' ? Float64Array.of(v) : (v as Float64Array);
    out[k] = new Uint32Array(a.buffer, a.byteOffset, a.length * 2);
  };
  if (ArrayBuffer.isView(result)) add('result', result);
  else for (const [k, v] of Object.entries(result as object)) add(k, v);
  return out;
}

describe('outputs hold only what the call wrote', () => {
  it.each(CASES)('%s', async (_what, call, lengths) => {
    const runs: Record<string, Uint32Array>[] = [];
    for (const canary of CANARIES) {
      poisonArena(canary);
      runs.push(words(await call()));
    }
    const [a, b] = runs as [Record<string, Uint32Array>, Record<string, Uint32Array>];
    for (const [name, n] of Object.entries(lengths)) expect(a[name]!.length / 2, `${name} length`).toBe(n);
    for (const name of Object.keys(a)) {
      expect(Array.from(a[name]!), `${name} depends on unwritten arena memory`).toEqual(Array.from(b[name]!));
      expect(
        a[name]!.some((w) => w === CANARIES[0]) || b[name]!.some((w) => w === CANARIES[1]),
        `${name} holds a canary`,
      ).toBe(false);
    }
  });
});
