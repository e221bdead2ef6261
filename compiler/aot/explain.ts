// `lensc explain`: the IR (after each pass, on request) and the memory plan a kernel gets, with the
// plan's numbers evaluated for given sizes and budget.
import { resolvePlan, formatBytes, evalTerms } from '../../backends/common/plan.js';
import { jsCapabilities } from '../../backends/js/support/capabilities.js';
import { dumpGraph } from '../ir/dump.ts';
import { planKernel, type Target } from '../compile.ts';
import type { Kernel } from '../../dsl/kernel.ts';
import type { RewriteSwitch } from '../ir/graph.ts';

export interface ExplainOptions {
  readonly ir?: boolean;
  readonly afterEach?: boolean;
  readonly sizes?: Record<string, number>;
  readonly budgetBytes?: number;
  readonly target?: Target;
  readonly rewrites?: RewriteSwitch;
}

export function explainKernel(k: Kernel, opts: ExplainOptions = {}): string {
  const out: string[] = [];
  const target = opts.target ?? 'js';
  const c = planKernel(k, target, { rewrites: opts.rewrites, onPass: opts.afterEach ? (name, text) => out.push(`--- after ${name} ---`, text) : undefined });
  if (opts.ir && !opts.afterEach) out.push(dumpGraph(c.optimized, { locations: true }));
  const m = c.manifest;
  out.push(`kernel ${m.kernel} (target ${target})`);
  if (c.optimized.notes?.length) out.push('rewrites:', ...c.optimized.notes.map((n) => `  ${n}`));
  out.push('stages:', ...m.plan.stages.map((s) => `  ${s}`));
  if (m.plan.notes.length) out.push('notes:', ...m.plan.notes.map((n) => `  ${n}`));
  out.push(`intermediates: ${m.plan.temps.map((t) => `${t.name} ${t.dtype}${t.shape} = ${t.bytesText} bytes`).join('; ') || 'none'}`);
  out.push(`peak intermediate bytes: ${m.plan.peakBytesFormula}`);
  if (opts.sizes) {
    const caps = jsCapabilities();
    const budget = opts.budgetBytes ?? caps.memoryBytes;
    const r = resolvePlan(m.kernel, m.plan, opts.sizes, { budgetBytes: budget, preferredChunkBytes: target === 'js' ? caps.preferredChunkBytes : Infinity });
    out.push(`with ${Object.entries(opts.sizes).map(([a, b]) => `${a}=${b}`).join(', ')} and a budget of ${formatBytes(budget)}:`);
    for (const ch of m.plan.chunks) out.push(`  ${ch.symbol} is chunked in pieces of ${r.chunks[ch.symbol]} (${Math.ceil(opts.sizes[ch.symbol]! / r.chunks[ch.symbol]!)} chunks)`);
    for (const t of m.plan.temps) out.push(`  ${t.name}: ${formatBytes(evalTerms(t.bytes, r.sizes))}`);
    out.push(`  peak intermediates: ${formatBytes(r.peakBytes)} (${r.peakBytes} bytes)`);
    const io = m.outputs.reduce((s, o) => s + evalTerms((o as unknown as { elements: (number | string)[][] }).elements, r.sizes) * (o.dtype === 'f64' ? 8 : 4), 0);
    out.push(`  outputs: ${formatBytes(io)}`);
  }
  return out.join('\n');
}
