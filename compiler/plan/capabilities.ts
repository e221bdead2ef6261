// Target capability records: what the planner knows about a target, and all it reads — neither half
// has a branch on which backend it is planning for. Each target states both in its record
// (backends/<target>/target.ts).
//  - BuildCapabilities: read by the loop passes at build time (compiler/pipeline.ts hands them over).
//  - TargetCapabilities: what a generated module tells the run-time half of the planner
//    (backends/common/plan.js resolvePlan); `lensc explain` evaluates plans with the same numbers.

export interface BuildCapabilities {
  /** Buffers one kernel may bind (WebGPU guarantees 8 storage buffers per shader stage); merge-siblings stays within it. */
  readonly maxBindingsPerKernel: number;
  /**
   * Most private copies of a scatter's target the planner may give a scatter with no conflict-free axis
   * (compiler/plan/privatise_scatters.ts); 0 where the target does not privatise (GPUs: one thread per
   * conflict-free index, or one). A fixed number, not the thread count: the copies are the summation order.
   */
  readonly maxScatterCopies: number;
  /** Whether scatters may split their target's leading index among tasks (compiler/plan/owner_scatters.ts). */
  readonly ownerScatters: boolean;
}

export interface TargetCapabilities {
  /**
   * Default memory budget for intermediates when the caller gives none; undefined where only the
   * device can say (CUDA: free device memory at run time).
   */
  readonly memoryBytes: number | undefined;
  /**
   * Preferred bytes of one chunk's intermediates: on CPUs the chunk is sized to the cache so a
   * chunk's operands stay resident; Infinity where only the budget matters.
   */
  readonly preferredChunkBytes: number;
  /** Largest single buffer the planner may size a chunked intermediate to; undefined: no limit below the budget. */
  readonly maxBufferBytes?: number;
  /** Where the numbers come from, for `lensc explain`. */
  readonly source: string;
}

const GiB = 1024 ** 3,
  MiB = 1024 ** 2;

export function parseBytes(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(B|KiB|MiB|GiB|TiB|KB|MB|GB|TB|k|K|M|G|T)?\s*$/.exec(text);
  if (!m) throw new Error(`cannot read '${text}' as a byte count (examples: 64MiB, 2GiB, 1000000)`);
  const unit = m[2] ?? 'B';
  const mult: Record<string, number> = {
    B: 1,
    KiB: 1024,
    MiB: MiB,
    GiB: GiB,
    TiB: 1024 * GiB,
    KB: 1e3,
    MB: 1e6,
    GB: 1e9,
    TB: 1e12,
    k: 1024,
    K: 1024,
    M: MiB,
    G: GiB,
    T: 1024 * GiB,
  };
  const bytes = Math.floor(Number(m[1]) * mult[unit]!);
  if (!(bytes > 0) || !Number.isSafeInteger(bytes))
    throw new Error(`cannot read '${text}' as a byte count: it must be at least 1 byte`);
  return bytes;
}
