// bench/soak.ts — the soak test (`npm run bench -- --only soak`): 10⁴ mixed kernel calls, sequential and
// concurrent (batches of 50 in flight, thread counts 1–4), a third failing on purpose (an index out of
// range, an unknown input, a wrong length). Every successful result must be bitwise equal to a serial
// (sequential, one-thread) run of the same case, every failing call must fail with its expected message, and
// RSS at the end is reported beside RSS at the start (both after a collection and the idle release).
import { curvatureMatrix } from '../kernels/js/curvature_matrix.js';
import { dataVector } from '../kernels/js/data_vector.js';
import { logEvidence } from '../kernels/js/log_evidence.js';
import { regularizationConstant } from '../kernels/js/regularization_constant.js';
import { wTildeDirect } from '../kernels/js/w_tilde_direct.js';
import { wTildeFromPreload } from '../kernels/js/w_tilde_from_preload.js';

type Call = (threads: number) => Promise<unknown>;
interface Case {
  name: string;
  call: Call;
  fails?: RegExp;
}

const f64 = (n: number, seed: number) => Float64Array.from({ length: n }, (_, i) => Math.sin(seed + 1.7 * i));
const i32 = (n: number, f: (i: number) => number) => Int32Array.from({ length: n }, (_, i) => f(i));
const spd = (S: number) =>
  Float64Array.from({ length: S * S }, (_, i) =>
    Math.floor(i / S) === i % S ? S + 1 : 0.5 / (1 + Math.abs(Math.floor(i / S) - (i % S))),
  );

function cases(): Case[] {
  const out: Case[] = [];
  for (let v = 0; v < 4; v++) {
    const M = 20 + 17 * v,
      K = 30 + 11 * v,
      S = 9 + v,
      B = 3,
      Ny = 6 + v,
      Nx = 5 + v;
    out.push({
      name: `wTildeDirect ${v}`,
      call: (t) =>
        wTildeDirect(
          {
            noiseReal: f64(K, v).map((x) => 1 + x * x),
            uv: f64(2 * K, v + 1).map((x) => 4e4 * x),
            grid: f64(2 * M, v + 2).map((x) => 1e-5 * x),
          },
          { threads: t },
        ),
    });
    out.push({
      name: `dataVector ${v}`,
      call: (t) =>
        dataVector(
          {
            dirtyImage: f64(M, v),
            pixIndexes: i32(M * B, (i) => (i * 7 + v) % S),
            pixWeights: f64(M * B, v + 3),
            sourcePixels: S,
          },
          { threads: t },
        ),
    });
    out.push({
      name: `curvatureMatrix ${v}`,
      call: (t) =>
        curvatureMatrix(
          {
            preload: f64(4 * Ny * Nx, v),
            shape: [Ny, Nx],
            nativeIndex: i32(2 * M, (i) => (i % 2 ? (i * 5) % Nx : (i * 3) % Ny)),
            pixIndexes: i32(M * B, (i) => (i * 5 + v) % S),
            pixWeights: f64(M * B, v),
            sourcePixels: S,
          },
          { threads: t },
        ),
    });
    out.push({
      name: `wTildeFromPreload ${v}`,
      call: (t) =>
        wTildeFromPreload(
          {
            preload: f64(4 * Ny * Nx, v),
            shape: [Ny, Nx],
            nativeIndex: i32(2 * M, (i) => (i % 2 ? (i * 5) % Nx : (i * 3) % Ny)),
          },
          { threads: t },
        ),
    });
    out.push({
      name: `regularizationConstant ${v}`,
      call: (t) =>
        regularizationConstant(
          {
            coefficient: 1 + v,
            neighbors: i32(S * 4, (i) => (i % 4 < 2 ? (Math.floor(i / 4) + 1 + (i % 4)) % S : -1)),
            neighborsSizes: i32(S, () => 2),
            sourcePixels: S,
          },
          { threads: t },
        ),
    });
    out.push({
      name: `logEvidence ${v}`,
      call: (t) =>
        logEvidence(
          {
            curvature: spd(S),
            regularization: spd(S),
            dataVector: f64(S, v),
            visibilities: f64(2 * K, v),
            noiseMap: f64(2 * K, v).map((x) => 1 + x * x),
          },
          { threads: t },
        ),
    });
    out.push({
      name: `bad index ${v}`,
      fails: /input 'pixIndexes'\[\d+, \d+\] = \d+ is outside its declared range/,
      call: (t) =>
        dataVector(
          {
            dirtyImage: f64(M, v),
            pixIndexes: i32(M * B, (i) => (i === 5 ? S + v : 0)),
            pixWeights: f64(M * B, v),
            sourcePixels: S,
          },
          { threads: t },
        ),
    });
    out.push({
      name: `unknown input ${v}`,
      fails: /unknown input 'bogus'/,
      call: (t) =>
        wTildeDirect({ noiseReal: f64(K, v), uv: f64(2 * K, v), grid: f64(2 * M, v), bogus: 1 } as never, {
          threads: t,
        }),
    });
    out.push({
      name: `wrong length ${v}`,
      fails: /input 'uv' must have length/,
      call: (t) => wTildeDirect({ noiseReal: f64(K, v), uv: f64(2 * K + 1, v), grid: f64(2 * M, v) }, { threads: t }),
    });
  }
  return out;
}

/** Every f64 output of a result as 32-bit words, in a fixed order. */
function bits(r: unknown): string {
  const parts = ArrayBuffer.isView(r)
    ? [r]
    : Object.keys(r as object)
        .sort()
        .map((k) => (r as Record<string, unknown>)[k]);
  return parts
    .map((p) => {
      const a = typeof p === 'number' ? Float64Array.of(p) : (p as Float64Array);
      return Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length * 2)).join(',');
    })
    .join('|');
}

export interface SoakResult {
  calls: number;
  failedAsExpected: number;
  mismatches: number;
  seconds: number;
  startRssMiB: number;
  endRssMiB: number;
  peakRssMiB: number;
}

export async function soak(total = 10_000): Promise<SoakResult> {
  const all = cases();
  const settle = async () => {
    await new Promise((r) => setTimeout(r, 1500));
    (globalThis as { gc?: () => void }).gc?.();
    return process.memoryUsage().rss / 2 ** 20;
  };
  // The serial reference: each case once, sequentially, one thread.
  const want = new Map<string, string>();
  for (const c of all) if (!c.fails) want.set(c.name, bits(await c.call(1)));
  const startRssMiB = await settle();
  let peakRssMiB = startRssMiB,
    failedAsExpected = 0,
    mismatches = 0,
    done = 0;
  const check = async (c: Case, threads: number) => {
    try {
      const r = await c.call(threads);
      if (c.fails || bits(r) !== want.get(c.name)) mismatches++;
    } catch (e) {
      if (c.fails && c.fails.test((e as Error).message)) failedAsExpected++;
      else {
        mismatches++;
        console.error(`  ${c.name}: unexpected ${(e as Error).message}`);
      }
    }
    done++;
  };
  const t0 = performance.now();
  for (let round = 0; done < total; round++) {
    const batch = Array.from({ length: Math.min(50, total - done) }, (_, i) => all[(round * 7 + i * 13) % all.length]!);
    if (round % 2 === 0)
      for (const [i, c] of batch.entries()) await check(c, 1 + (i % 4)); // sequential
    else await Promise.all(batch.map((c, i) => check(c, 1 + ((i + round) % 4)))); // concurrent
    if (round % 20 === 0) peakRssMiB = Math.max(peakRssMiB, process.memoryUsage().rss / 2 ** 20);
  }
  const seconds = (performance.now() - t0) / 1000;
  const endRssMiB = await settle();
  return { calls: done, failedAsExpected, mismatches, seconds, startRssMiB, endRssMiB, peakRssMiB };
}

if (process.argv[1]?.endsWith('soak.ts')) {
  const r = await soak(Number(process.argv[2] ?? 10_000));
  console.log(JSON.stringify(r));
}
