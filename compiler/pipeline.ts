// The pass driver: one linear list of graph passes, run in order, optionally printing the IR after
// each one (`lensc explain --ir --after-each`). Lowering to the loop IR follows in compiler/lower/.
import type { Graph, RewriteSwitch } from './ir/graph.ts';
import { dumpGraph } from './ir/dump.ts';
import { cse } from './passes/cse.ts';
import { factorSeparable } from './passes/factor_separable.ts';
import { offsetTable } from './passes/offset_table.ts';
import { scanToReduce } from './passes/scan_to_reduce.ts';
import { simplify } from './passes/simplify.ts';
import { typecheck } from './passes/typecheck.ts';

export interface Pass { readonly name: string; readonly run: (g: Graph) => Graph }

export const GRAPH_PASSES: readonly Pass[] = [
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
  { name: 'typecheck', run: typecheck },
];

export interface PipelineOptions {
  onPass?: (name: string, text: string) => void;
  /** Overrides the kernel's own rewrite switch (`--rewrites` on the command line). */
  rewrites?: RewriteSwitch;
}

export function optimizeGraph(g: Graph, opts: PipelineOptions = {}): Graph {
  let cur = opts.rewrites === undefined ? g : { ...g, rewrites: opts.rewrites };
  opts.onPass?.('traced', dumpGraph(cur, { locations: true }));
  for (const p of GRAPH_PASSES) {
    cur = p.run(cur);
    opts.onPass?.(p.name, dumpGraph(cur, { locations: true }));
  }
  return cur;
}
