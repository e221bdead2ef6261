// The pass driver: every step from the traced graph to the planned loop program, as two listed
// sequences run in order — graph passes, then lowering and the loop passes — with the target's own
// passes (compiler/target.ts) appended to each. With `onPass` it prints the IR after every step
// (`lensc explain --after-each`): the graph IR (compiler/ir/dump.ts) and the loop IR (compiler/loop/print.ts).
import type { Graph, RewriteSwitch } from './ir/graph.ts';
import { dumpGraph } from './ir/dump.ts';
import type { LoopProgram } from './loop/ir.ts';
import { printLoopProgram } from './loop/print.ts';
import { lowerGraph } from './lower/lower.ts';
import { cse } from './passes/cse.ts';
import { negIntoSum } from './passes/neg_into_sum.ts';
import { factorSeparable } from './passes/factor_separable.ts';
import { offsetTable } from './passes/offset_table.ts';
import { scanToReduce } from './passes/scan_to_reduce.ts';
import { simplify } from './passes/simplify.ts';
import { typecheck } from './passes/typecheck.ts';
import { hoistReductionInvariants } from './plan/hoist_invariants.ts';
import { mergeSiblingMaps } from './plan/merge_siblings.ts';
import { mergeSiblingReductions } from './plan/merge_sibling_reductions.ts';
import type { BuildCapabilities } from './plan/capabilities.ts';
import { planMemory } from './plan/plan_memory.ts';
import { ownerScatters } from './plan/owner_scatters.ts';
import { privatiseScatters } from './plan/privatise_scatters.ts';

export interface GraphPass {
  readonly name: string;
  readonly run: (g: Graph) => Graph;
}
export interface LoopPass {
  readonly name: string;
  readonly run: (p: LoopProgram, caps: BuildCapabilities) => LoopProgram;
}

export const GRAPH_PASSES: readonly GraphPass[] = [
  { name: 'typecheck', run: typecheck },
  { name: 'simplify', run: simplify },
  { name: 'scan-to-reduce', run: scanToReduce },
  { name: 'simplify', run: simplify },
  // After scan-to-reduce, so the lax.scan formulation is rewritten like the broadcast-and-sum one;
  // offset tables first, so that the table's own sum over k is then factored into matmuls.
  { name: 'offset-table', run: offsetTable },
  { name: 'factor-separable', run: factorSeparable },
  { name: 'simplify', run: simplify },
  { name: 'cse', run: cse },
  { name: 'neg-into-sum', run: negIntoSum },
  { name: 'typecheck', run: typecheck },
];

/** After lowering (compiler/lower/), in this order. */
export const LOOP_PASSES: readonly LoopPass[] = [
  { name: 'hoist-invariants', run: hoistReductionInvariants },
  { name: 'merge-siblings', run: (p, caps) => mergeSiblingMaps(p, { maxBindings: caps.maxBindingsPerKernel }) },
  {
    name: 'merge-sibling-reductions',
    run: (p, caps) => mergeSiblingReductions(p, { maxBindings: caps.maxBindingsPerKernel }),
  },
  { name: 'plan-memory', run: planMemory },
  // After plan-memory: a scatter inside a chunk loop keeps its copies across the loop. Owner computes first: a
  // scatter it splits needs no copies.
  { name: 'owner-scatters', run: ownerScatters },
  { name: 'privatise-scatters', run: privatiseScatters },
];

export type IrLayer = 'graph' | 'loop';
export interface PipelineOptions {
  onPass?: (name: string, text: string, layer: IrLayer) => void;
  /** Overrides the kernel's own rewrite switch (`--rewrites` on the command line). */
  rewrites?: RewriteSwitch;
  /** Passes (graph or loop, by name) to leave out: what a pass buys is measured against this (bench/dft.ts). */
  skipPasses?: readonly string[];
}

const graphText = (g: Graph): string => dumpGraph(g, { locations: true });

/** The shared graph passes (from the traced graph, which is printed first as 'traced'). */
export function optimizeGraph(g: Graph, opts: PipelineOptions = {}): Graph {
  opts.onPass?.('traced', graphText(g), 'graph');
  return runGraphPasses(opts.rewrites === undefined ? g : { ...g, rewrites: opts.rewrites }, GRAPH_PASSES, opts);
}

export function runGraphPasses(g: Graph, passes: readonly GraphPass[], opts: PipelineOptions = {}): Graph {
  let cur = g;
  for (const p of passes) {
    if (opts.skipPasses?.includes(p.name)) continue;
    cur = p.run(cur);
    opts.onPass?.(p.name, graphText(cur), 'graph');
  }
  return cur;
}

/** Lowering, the shared loop passes, then `extra` (the target's); `caps` is what the passes may read about the target. */
export function lowerAndPlan(
  g: Graph,
  caps: BuildCapabilities,
  extra: readonly LoopPass[] = [],
  opts: PipelineOptions = {},
): LoopProgram {
  let cur = lowerGraph(g);
  opts.onPass?.('lower', printLoopProgram(cur), 'loop');
  for (const p of [...LOOP_PASSES, ...extra]) {
    if (opts.skipPasses?.includes(p.name)) continue;
    cur = p.run(cur, caps);
    opts.onPass?.(p.name, printLoopProgram(cur), 'loop');
  }
  return cur;
}
