// `lensc explain`: every step of one kernel's compilation, as text — the graph IR and the loop IR
// (after each pass, on request), the memory plan with its numbers evaluated for given sizes and
// budget under the target's own capability record, and the generated code.
import { resolvePlan, formatBytes, evalTerms } from '../../backends/common/plan.js';
import { dumpGraph } from '../ir/dump.ts';
import { printLoopProgram } from '../loop/print.ts';
import { planKernel, renderKernel, type Target } from '../compile.ts';
import type { IrLayer } from '../pipeline.ts';
import { targetRecord } from '../targets.ts';
import type { Kernel } from '../../dsl/kernel.ts';
import type { RoutedKernel } from '../../dsl/routes.ts';
import { chooseRoute } from '../../backends/common/routes.js';
import { planRoutes } from '../compile_routes.ts';
import type { RewriteSwitch } from '../ir/graph.ts';
import { denseLinalgLine } from '../../backends/js/dense_linalg_info.ts';

export interface ExplainOptions {
  /** The graph IR after the graph passes (with afterEach: after each graph pass). */
  readonly ir?: boolean;
  /** The loop IR after the loop passes (with afterEach: after lowering and each loop pass). */
  readonly loopIr?: boolean;
  /** The IR after every pass: of the layers asked for with ir / loopIr, or of both when neither is. */
  readonly afterEach?: boolean;
  /** The generated module and the files written beside it. */
  readonly code?: boolean;
  readonly sizes?: Record<string, number>;
  readonly budgetBytes?: number;
  readonly target?: Target;
  readonly rewrites?: RewriteSwitch;
}

export function explainKernel(k: Kernel, opts: ExplainOptions = {}): string {
  const out: string[] = [];
  const target = opts.target ?? 'js';
  const layers = new Set<IrLayer>(
    opts.ir || opts.loopIr
      ? [...(opts.ir ? ['graph' as const] : []), ...(opts.loopIr ? ['loop' as const] : [])]
      : ['graph', 'loop'],
  );
  const onPass = opts.afterEach
    ? (name: string, text: string, layer: IrLayer) => {
        if (layers.has(layer)) out.push(`--- after ${name} ---`, text);
      }
    : undefined;
  const c = planKernel(k, target, { onPass, rewrites: opts.rewrites });
  if (opts.ir && !opts.afterEach) out.push(dumpGraph(c.optimized, { locations: true }));
  if (opts.loopIr && !opts.afterEach) out.push(printLoopProgram(c.program));
  const m = c.manifest;
  out.push(`kernel ${m.kernel} (target ${target})`);
  if (c.optimized.notes?.length) out.push('rewrites:', ...c.optimized.notes.map((n) => `  ${n}`));
  out.push('stages:', ...m.plan.stages.map((s) => `  ${s}`));
  if (m.plan.notes.length) out.push('notes:', ...m.plan.notes.map((n) => `  ${n}`));
  out.push(
    `intermediates: ${m.plan.temps.map((t) => `${t.name} ${t.dtype}${t.shape} = ${t.bytesText} bytes`).join('; ') || 'none'}`,
  );
  out.push(`peak intermediate bytes: ${m.plan.peakBytesFormula}`);
  if (m.plan.scratch?.length)
    out.push(
      `BLAS packing scratch while a stage runs (WebAssembly kernels; counted in the peak whichever path runs — OpenBLAS packs into its own buffers outside the arena): ${m.plan.scratch.map((x) => `${x.name} ≤ ${x.bytesText} bytes`).join('; ')}`,
    );
  if (target === 'js' && m.plan.stages.some((s) => /\b(gemm|syrk|cholesky|trisolve)\b/.test(s)))
    out.push(denseLinalgLine());
  if (opts.sizes) {
    checkExplainSizes(m, opts.sizes);
    const caps = targetRecord(target).capabilities();
    const budget = opts.budgetBytes ?? caps.memoryBytes;
    if (budget === undefined)
      throw new Error(`lensc explain --target ${target} --sizes: give --budget (${caps.source})`);
    const r = resolvePlan(m.kernel, m.plan, opts.sizes, {
      budgetBytes: budget,
      preferredChunkBytes: caps.preferredChunkBytes,
      ...(caps.maxBufferBytes !== undefined ? { maxBufferBytes: caps.maxBufferBytes } : {}),
    });
    out.push(
      `with ${Object.entries(opts.sizes)
        .map(([a, b]) => `${a}=${b}`)
        .join(
          ', ',
        )} and a budget of ${formatBytes(budget)}${opts.budgetBytes === undefined ? ` (${caps.source})` : ''}:`,
    );
    for (const ch of m.plan.chunks)
      out.push(
        `  ${ch.symbol} is chunked in pieces of ${r.chunks[ch.symbol]} (${Math.ceil(opts.sizes[ch.symbol]! / r.chunks[ch.symbol]!)} chunks)`,
      );
    for (const c of m.plan.scatterCopies ?? []) {
      const n = r.copies[c.count]!;
      out.push(
        n > 0
          ? `  ${c.stage} scatters into ${n} private copies of ${c.target} (${c.buf}), in parallel, summed in copy order`
          : `  ${c.stage} scatters into ${c.target} as one task: fewer than 2 private copies fit the budget or pay for themselves (at most ${c.maxCopies})`,
      );
    }
    for (const t of m.plan.temps) out.push(`  ${t.name}: ${formatBytes(evalTerms(t.bytes, r.sizes))}`);
    for (const x of m.plan.scratch ?? [])
      out.push(
        `  ${x.name} BLAS scratch: ${formatBytes(Math.min(evalTerms(x.bytes, r.sizes), evalTerms(x.cap, r.sizes)) + evalTerms(x.tiles, r.sizes))}`,
      );
    out.push(
      `  peak intermediates: ${formatBytes(r.peakBytes)} (${r.peakBytes} bytes)${m.plan.scratch?.length ? ', BLAS scratch included' : ''}`,
    );
    const io = m.outputs.reduce(
      (s, o) =>
        s +
        evalTerms((o as unknown as { elements: (number | string)[][] }).elements, r.sizes) *
          (o.dtype === 'f64' ? 8 : 4),
      0,
    );
    out.push(`  outputs: ${formatBytes(io)}`);
  }
  if (opts.code) {
    const r = renderKernel(c, target);
    out.push(`--- ${m.file}.js ---`, r.code.trimEnd());
    for (const [name, text] of Object.entries(r.extra ?? {})) out.push(`--- ${name} ---`, text.trimEnd());
  }
  return out.join('\n');
}

/** --sizes must give every size the kernel's inputs bind, and nothing else (a typo would be silently unused). */
function checkExplainSizes(
  m: { kernel: string; params: readonly { shape?: (number | string)[][][]; names?: readonly string[] }[] },
  sizes: Record<string, number>,
): void {
  const all = new Set<string>();
  for (const p of m.params) {
    for (const n of p.names ?? []) all.add(n);
    for (const d of p.shape ?? []) for (const [, ...syms] of d) for (const x of syms) all.add(String(x));
  }
  const missing = [...all].filter((n) => !(n in sizes));
  const unknown = Object.keys(sizes).filter((n) => !all.has(n));
  const list = [...all].join(', ');
  if (missing.length)
    throw new Error(
      `lensc explain --sizes: give ${missing.join(', ')} too (kernel ${m.kernel} has sizes ${list}), e.g. --sizes ${[...all].map((n) => `${n}=${sizes[n] ?? 100}`).join(',')}`,
    );
  if (unknown.length)
    throw new Error(`lensc explain --sizes: kernel ${m.kernel} has no size ${unknown.join(', ')} (its sizes: ${list})`);
}

/**
 * `lensc explain` of a routed kernel: each route's work formula, the target's seconds per unit, and — with
 * --sizes — every route's estimated seconds and the route a call at those sizes takes (or --route's); then the
 * explanation of that route (of every route without --sizes or --route).
 */
export function explainRoutes(rk: RoutedKernel, opts: ExplainOptions & { readonly route?: string } = {}): string {
  const target = opts.target ?? 'js';
  const names = rk.routes.map((r) => r.name);
  if (opts.route !== undefined && !names.includes(opts.route))
    throw new Error(`lensc explain --route: ${rk.name} has no route '${opts.route}' (its routes: ${names.join(', ')})`);
  const c = planRoutes(rk, target, { rewrites: opts.rewrites });
  const m = c.manifest;
  const out: string[] = [
    `routed kernel ${m.kernel} (target ${target}): ${m.routes.length} routes, the cheapest by estimated cost at each call's sizes (options.route forces one)`,
  ];
  for (const r of m.routes) out.push(`  route ${r.name}: kernel ${r.kernel} (${r.file}.js)`, `    work: ${r.costText}`);
  const model = m.costModel;
  out.push(
    `cost model (${target}): seconds per unit ${Object.entries(model.seconds)
      .map(([u, s]) => `${u} ${s.toExponential(2)}`)
      .join(', ')}; ${model.source}; work in one-task stages (serial) ×${model.serialSlowdown}: ${model.serialSource}`,
  );
  let shown = opts.route !== undefined ? [opts.route] : names;
  if (opts.sizes) {
    checkExplainSizes(c.routes[0]!.compiled.manifest, opts.sizes);
    const choice = chooseRoute(m.kernel, m, opts.sizes, opts.route);
    const sizesText = Object.entries(opts.sizes)
      .map(([a, b]) => `${a}=${b}`)
      .join(', ');
    out.push(
      `with ${sizesText}: estimated ${m.routes.map((r) => `${r.name} ${formatSeconds(choice.seconds[r.name]!)}`).join(', ')} → ${choice.forced ? `route ${choice.route} (forced by --route)` : `chooses ${choice.route}`}`,
    );
    shown = [choice.route];
  }
  for (const name of shown) {
    const route = rk.routes.find((r) => r.name === name)!;
    out.push(`--- route ${name} ---`, explainKernel(route.kernel, opts));
  }
  return out.join('\n');
}

const formatSeconds = (s: number): string =>
  s >= 1 ? `${s.toPrecision(3)} s` : s >= 1e-3 ? `${(s * 1e3).toPrecision(3)} ms` : `${(s * 1e6).toPrecision(3)} µs`;
