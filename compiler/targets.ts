// The registry of compilation targets: one record per backend (compiler/target.ts says what a record
// holds). To add a target, write backends/<name>/target.ts and list it here.
import { cudaTarget } from '../backends/cuda/target.ts';
import { jsTarget } from '../backends/js/target.ts';
import { wgslTarget } from '../backends/wgsl/target.ts';
import type { TargetRecord } from './target.ts';

export const TARGET_RECORDS = [jsTarget, wgslTarget, cudaTarget] as const;

export type Target = (typeof TARGET_RECORDS)[number]['name'];

/** Target names in registry order (`--target all`). */
export const TARGETS: readonly Target[] = TARGET_RECORDS.map((t) => t.name);

export function isTarget(name: string): name is Target {
  return TARGET_RECORDS.some((t) => t.name === name);
}

export function targetRecord(name: Target): TargetRecord<Target> {
  const t = TARGET_RECORDS.find((r) => r.name === name);
  if (!t) throw new Error(`unknown target '${name}' (${TARGETS.join(', ')})`);
  return t;
}
