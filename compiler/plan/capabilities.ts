// Target capability records: what a backend's generated module tells the run-time half of the
// planner (backends/common/plan.js resolvePlan) about itself. The planner has no branch on which
// backend it is planning for; these numbers are all it reads. Each target's record is in its
// backends/<target>/target.ts (`capabilities`), which `lensc explain` uses to evaluate a plan.
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

const GiB = 1024 ** 3, MiB = 1024 ** 2;

export function parseBytes(text: string): number {
  const m = /^\s*([\d.]+)\s*(B|KiB|MiB|GiB|TiB|KB|MB|GB|TB|k|K|M|G|T)?\s*$/.exec(text);
  if (!m) throw new Error(`cannot read '${text}' as a byte count (examples: 64MiB, 2GiB, 1000000)`);
  const unit = m[2] ?? 'B';
  const mult: Record<string, number> = { B: 1, KiB: 1024, MiB: MiB, GiB: GiB, TiB: 1024 * GiB, KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12, k: 1024, K: 1024, M: MiB, G: GiB, T: 1024 * GiB };
  return Math.floor(Number(m[1]) * mult[unit]!);
}
