// What one compilation target is: the record each backend folder exports from its target.ts and
// compiler/targets.ts lists. The driver (compile.ts), the CLI and `lensc explain` only iterate over
// these records, so adding a target is one folder plus one line in the registry.
import type { Kernel } from '../dsl/kernel.ts';
import type { Manifest } from './aot/manifest.ts';
import type { Graph } from './ir/graph.ts';
import type { LoopProgram } from './loop/ir.ts';
import type { GraphPass, LoopPass } from './pipeline.ts';
import type { BuildCapabilities, TargetCapabilities } from './plan/capabilities.ts';
import type { CostConstants } from './plan/cost.ts';

/** A kernel through the whole pipeline (compile.ts planKernel). */
export interface Compiled {
  readonly graph: Graph;
  /** After the shared graph passes: the kernel's interface (dtypes, shapes) the manifest states. */
  readonly optimized: Graph;
  readonly program: LoopProgram;
  readonly manifest: Manifest;
}

/**
 * What renderKernel produces: the ES module, and files beside it (name → text). Names listed in
 * `embedded` are copies, for reading, of text the module already embeds (shaders, .cu source):
 * `lensc build` writes them only with --sources, so generated code is committed once.
 */
export interface Rendered {
  readonly code: string;
  readonly extra?: Record<string, string>;
  readonly embedded?: readonly string[];
}

export interface TargetRecord<Name extends string = string> {
  readonly name: Name;
  /** One line for `lensc --help`. */
  readonly summary: string;
  /** Graph passes of this target, run after the shared ones and before lowering (WGSL: f64 → f32). */
  readonly graphPasses?: (k: Kernel) => readonly GraphPass[];
  /** Loop passes of this target, run after the shared loop passes (WGSL: phase range reduction). */
  readonly loopPasses?: (k: Kernel) => readonly LoopPass[];
  /** The target's changes to the generic manifest (precision, interface dtypes). */
  readonly manifest?: (
    m: Manifest,
    c: { readonly kernel: Kernel; readonly optimized: Graph; readonly program: LoopProgram },
  ) => Manifest;
  readonly render: (c: Compiled) => Rendered;
  /** What the loop passes read about this target at build time. */
  readonly build: BuildCapabilities;
  /**
   * The numbers the run-time planner (backends/common/plan.js resolvePlan) gets from this target's
   * generated module, as far as they are known without the device: `lensc explain` evaluates plans with them.
   */
  readonly capabilities: () => TargetCapabilities;
  /**
   * Seconds per unit of work (compiler/plan/cost.ts) on this target: what a routed kernel's module weighs its
   * routes' work formulas with to pick the cheapest at call time.
   */
  readonly cost: CostConstants;
  /** The only packages its generated modules import (each is an export of package.json). */
  readonly runtime: readonly string[];
}
