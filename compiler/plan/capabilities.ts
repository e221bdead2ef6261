// Target capability records: what a backend tells the planner about itself. The planner reads
// only these numbers — it has no branch on which backend it is planning for.
export interface TargetCapabilities {
  readonly target: 'js' | 'wgsl' | 'cuda' | 'reference';
  /** Default memory budget for intermediates when the caller gives none. */
  readonly memoryBytes: number;
  /** Largest single buffer the target can allocate. */
  readonly maxBufferBytes: number;
  /** Largest buffer one kernel binding may see (WebGPU's maxStorageBufferBindingSize). */
  readonly maxBindingBytes: number;
  /** Buffers one kernel may bind (WebGPU: storage buffers per stage). */
  readonly maxBindingsPerKernel: number;
  /** Dispatch limit per grid dimension. */
  readonly maxWorkgroupsPerDim: number;
  readonly supportsF64: boolean;
  /**
   * Preferred bytes of one chunk's intermediates: on CPUs the chunk is sized to the cache so a
   * chunk's operands stay resident; Infinity where only the budget matters.
   */
  readonly preferredChunkBytes: number;
}

const GiB = 1024 ** 3, MiB = 1024 ** 2;

export { jsCapabilities } from '../../backends/js/support/capabilities.js';

export function parseBytes(text: string): number {
  const m = /^\s*([\d.]+)\s*(B|KiB|MiB|GiB|TiB|KB|MB|GB|TB|k|K|M|G|T)?\s*$/.exec(text);
  if (!m) throw new Error(`cannot read '${text}' as a byte count (examples: 64MiB, 2GiB, 1000000)`);
  const unit = m[2] ?? 'B';
  const mult: Record<string, number> = { B: 1, KiB: 1024, MiB: MiB, GiB: GiB, TiB: 1024 * GiB, KB: 1e3, MB: 1e6, GB: 1e9, TB: 1e12, k: 1024, K: 1024, M: MiB, G: GiB, T: 1024 * GiB };
  return Math.floor(Number(m[1]) * mult[unit]!);
}
