// The WGSL target's steps inside planKernel (compiler/compile.ts): demote f64 to f32 before lowering
// (so the planner's byte formulas are f32 bytes), range-reduce phases after planning, and state the
// precision in the manifest, whose interface stays f64 (the module converts). A kernel flagged
// `requiresF64` is left in f64: its WGSL module runs the JS backend's f64 kernel on the CPU.
import type { Manifest } from '../../compiler/aot/manifest.ts';
import { dumpGraph } from '../../compiler/ir/dump.ts';
import type { Graph } from '../../compiler/ir/graph.ts';
import type { LoopProgram } from '../../compiler/loop/ir.ts';
import type { Kernel } from '../../dsl/kernel.ts';
import { reducePhases } from './phases.ts';
import { F64_ON_CPU, wgslPrecision } from './precision.ts';
import { demoteToF32 } from './to_f32.ts';

/** The graph to lower for WGSL. */
export function wgslGraph(k: Kernel, g: Graph, onPass?: (name: string, text: string) => void): Graph {
  if (k.requiresF64) return g;
  const d = demoteToF32(g);
  onPass?.('to-f32', dumpGraph(d, { locations: true }));
  return d;
}

/** The planned program as the WGSL renderer gets it. */
export function wgslProgram(k: Kernel, p: LoopProgram): LoopProgram {
  if (k.requiresF64) return { ...p, notes: [...p.notes, 'wgsl: this kernel requires f64 (requiresF64): the module runs the JS backend\'s f64 kernel on the CPU'] };
  return reducePhases({ ...p, notes: [...p.notes, 'wgsl: f64 demoted to f32 by the to-f32 pass (f64 at the module interface)'] });
}

/** The manifest of a WGSL module: interface dtypes of `iface` (the graph before demotion), WGSL precision. */
export function wgslManifest(k: Kernel, m: Manifest, iface: Graph): Manifest {
  if (k.requiresF64) return { ...m, precision: F64_ON_CPU };
  const dtypes = new Map(iface.outputs.map((o) => [o.name, o.node.dtype]));
  return { ...m, outputs: m.outputs.map((o) => ({ ...o, dtype: dtypes.get(o.name) ?? o.dtype })), precision: wgslPrecision(m.kernel) };
}
