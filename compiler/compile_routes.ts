// A routed kernel (dsl/routes.ts) for one target: every route compiled as the kernel it is (its own module,
// written beside), each route's work counted from its plan (compiler/plan/cost.ts), and the routed module — the
// same host-side code for every target — that weighs the work with the target's seconds per unit at call time
// and calls the cheapest route's module (or the one `options.route` names).
import { renderDts } from './aot/dts.ts';
import type { Manifest } from './aot/manifest.ts';
import { snakeCase } from './aot/manifest.ts';
import { planKernel, type CompileOptions } from './compile.ts';
import type { Kernel } from '../dsl/kernel.ts';
import type { RoutedKernel } from '../dsl/routes.ts';
import { costTermsJson, costText, estimateCost, type CostConstants, type CostTerm } from './plan/cost.ts';
import type { Compiled, Rendered } from './target.ts';
import { targetRecord, type Target } from './targets.ts';

type Param = Manifest['params'][number];

export interface RoutedManifest {
  readonly lensc: string;
  readonly kernel: string;
  readonly file: string;
  readonly target: string;
  readonly source?: string;
  readonly doc?: string;
  /** The inputs every route takes, without value ranges, declared or inferred (each route checks its own: `routes[].checks`). */
  readonly params: readonly Param[];
  readonly outputs: Manifest['outputs'];
  readonly singleOutput: boolean;
  /** The routes' precision when they all state the same; otherwise says it depends on the route (see routes[]). */
  readonly precision: Manifest['precision'];
  readonly routes: readonly {
    readonly name: string;
    readonly kernel: string;
    readonly file: string;
    readonly doc?: string;
    readonly precision: Manifest['precision'];
    /** Work formula (compiler/plan/cost.ts) in the sizes, as JSON terms and as text. */
    readonly cost: ReturnType<typeof costTermsJson>;
    readonly costText: string;
    /** The route's inputs that declare value ranges or minimums (checked, named as this kernel, before the call). */
    readonly checks: readonly Param[];
    readonly peakBytesFormula: string;
  }[];
  readonly costModel: CostConstants;
}

export interface CompiledRoutes {
  readonly kernel: RoutedKernel;
  readonly routes: readonly { readonly name: string; readonly compiled: Compiled; readonly cost: CostTerm[] }[];
  readonly manifest: RoutedManifest;
}

const stripChecks = (p: Param): Param => {
  const {
    range: _r,
    min: _m,
    indexRanges: _i,
    ...rest
  } = p as Param & { range?: unknown; min?: unknown; indexRanges?: unknown };
  return rest as Param;
};
const hasChecks = (p: Param): boolean => 'range' in p || 'min' in p || 'indexRanges' in p;

/**
 * Plans every route for `target` (`compileRoute` lets a build reuse a route it compiles anyway as an export of
 * its own) and the routed manifest.
 */
export function planRoutes(
  rk: RoutedKernel,
  target: Target,
  opts: CompileOptions = {},
  compileRoute: (k: Kernel) => Compiled = (k) => planKernel(k, target, opts),
): CompiledRoutes {
  rk.graphs(); // one signature, or an error naming the route that differs
  const routes = rk.routes.map((r) => {
    const compiled = compileRoute(r.kernel);
    return { name: r.name, compiled, cost: estimateCost(compiled.program) };
  });
  const first = routes[0]!.compiled.manifest;
  const precisions = routes.map((r) => JSON.stringify(r.compiled.manifest.precision));
  const precision: Manifest['precision'] = precisions.every((p) => p === precisions[0])
    ? first.precision
    : {
        storage: first.precision.storage,
        accumulator: first.precision.accumulator,
        note: `depends on the route: ${routes.map((r) => `${r.name}: ${describePrecision(r.compiled.manifest.precision)}`).join('; ')}`,
      };
  const model = targetRecord(target).cost;
  const manifest: RoutedManifest = {
    lensc: first.lensc,
    kernel: rk.name,
    file: snakeCase(rk.name),
    target,
    ...((opts.source ?? rk.loc?.file) ? { source: opts.source ?? rk.loc?.file } : {}),
    doc: `${rk.doc ? `${rk.doc} ` : ''}Routes, the cheapest by estimated cost at each call's sizes (options.route forces one): ${routes.map((r) => `${r.name} (${r.compiled.manifest.kernel}${r.compiled.manifest.doc ? `: ${r.compiled.manifest.doc.replace(/\.$/, '')}` : ''})`).join('; ')}.`,
    params: first.params.map(stripChecks),
    outputs: first.outputs,
    singleOutput: first.singleOutput,
    precision,
    routes: routes.map((r) => ({
      name: r.name,
      kernel: r.compiled.manifest.kernel,
      file: r.compiled.manifest.file,
      ...(r.compiled.manifest.doc ? { doc: r.compiled.manifest.doc } : {}),
      precision: r.compiled.manifest.precision,
      cost: costTermsJson(r.cost),
      costText: costText(r.cost),
      checks: r.compiled.manifest.params.filter(hasChecks),
      peakBytesFormula: r.compiled.manifest.plan.peakBytesFormula,
    })),
    costModel: model,
  };
  return { kernel: rk, routes, manifest };
}

const describePrecision = (p: Manifest['precision']): string =>
  [`${p.storage} storage, ${p.accumulator} accumulation`, p.arithmetic, p.errorBound, p.note]
    .filter(Boolean)
    .join(', ');

/**
 * The routed module (the same for every target: the choice is host-side) and its .d.ts. `routeCode` is each
 * route's rendered module, to see which optional exports (`prepare`) it has.
 */
export function renderRoutes(c: CompiledRoutes, routeCode: readonly string[]): Rendered {
  const m = c.manifest;
  const fn = m.kernel;
  const withPrepare = m.routes.filter((_, i) => /^export async function prepare\b/m.test(routeCode[i] ?? ''));
  // the module specifier is quoted by a function so that no import-like text of this file names a file
  // (scripts/build.mjs follows the relative imports it finds in dist/)
  const quoted = (file: string) => `'./${file}.js'`;
  const imports = m.routes.map(
    (r) =>
      `import { ${r.kernel} as run_${r.name}${withPrepare.includes(r) ? `, prepare as prepare_${r.name}` : ''} } from ${quoted(r.file)};`,
  );
  const code = `// Generated by lensc from ${m.source ?? 'a module'} (routed kernel ${fn}, target ${m.target}). Do not edit: regenerate it with \`lensc build\`.
// ${fn} has ${m.routes.length} routes, each a module of its own beside this one: ${m.routes.map((r) => `${r.name} (${r.file}.js)`).join(', ')}.
// A call estimates every route's cost at its sizes (work formulas from the compiler's plans × the target's seconds
// per unit of work) and runs the cheapest; options.route forces one.
import { bindSizes, normalizeInputs, chooseRoute, routeOptions } from 'lensc/runtime/plan';
${imports.join('\n')}

export const manifest = ${JSON.stringify(m, null, 2)};

const KERNEL = manifest.kernel;
const RUN = { ${m.routes.map((r) => `${r.name}: run_${r.name}`).join(', ')} };
const forcedRoute = (options) => (typeof options === 'object' && options !== null ? options.route : undefined);

/**
 * The route a call with these inputs and options takes, each route's estimated seconds and the sizes.
 * @param {Record<string, unknown>} inputs
 * @param {{ route?: string }} [options]
 */
export function chooseRouteFor(inputs, options = {}) {
  inputs = normalizeInputs(KERNEL, manifest.params, inputs);
  const sizes = bindSizes(KERNEL, manifest.params, inputs);
  return { ...chooseRoute(KERNEL, manifest, sizes, forcedRoute(options)), sizes };
}
${
  withPrepare.length
    ? `
/** Prepares every route that has something to prepare (device, pipelines) ahead of the first call. */
export async function prepare(options = {}) {
${withPrepare.map((r) => `  await prepare_${r.name}(options);`).join('\n')}
}
`
    : ''
}
/**
 * ${m.doc ?? fn}
 * @param {Record<string, unknown>} inputs
 * @param {Record<string, unknown>} [options]
 */
export async function ${fn}(inputs, options = {}) {
  inputs = normalizeInputs(KERNEL, manifest.params, inputs);
  const sizes = bindSizes(KERNEL, manifest.params, inputs);
  const { route } = chooseRoute(KERNEL, manifest, sizes, forcedRoute(options));
  // the chosen route's declared value ranges, checked here so that errors name this kernel
  const checks = manifest.routes.find((r) => r.name === route).checks;
  if (checks.length) bindSizes(KERNEL, manifest.params.map((p) => checks.find((q) => q.name === p.name) ?? p), inputs);
  return RUN[route](inputs, routeOptions(options));
}
`;
  const union = m.routes.map((r) => `'${r.name}'`).join(' | ');
  const optionsType = `{ threads?: number; memoryBudgetBytes?: number; onProgress?: (fraction: number, message: string) => void; device?: unknown; /** forces a route instead of the cheapest by estimate */ route?: ${union} }`;
  const first = c.routes[0]!.compiled.manifest;
  const dts =
    renderDts({ ...first, kernel: fn, target: m.target, doc: m.doc }, optionsType) +
    `/** The route a call with these inputs takes (options.route forces one), each route's estimated seconds and the sizes. */
export declare function chooseRouteFor(
  inputs: Parameters<typeof ${fn}>[0],
  options?: { route?: ${union} },
): { route: ${union}; forced: boolean; seconds: Record<${union}, number>; sizes: Record<string, number> };
${withPrepare.length ? `/** Prepares every route that has something to prepare (device, pipelines) ahead of the first call. */\nexport declare function prepare(options?: { device?: unknown }): Promise<void>;\n` : ''}`;
  return { code, extra: { [`${m.file}.d.ts`]: dts } };
}
