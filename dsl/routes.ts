// routes(...): one kernel with alternative implementations ("routes") of the same signature — the sparse and the
// FFT curvature matrix, the GEMM and the NUFFT preload. Each route is an ordinary kernel, compiled to its own
// module; the routed kernel's module estimates every route's cost from the sizes of the call (the compiler's cost
// model, compiler/plan/cost.ts) and runs the cheapest, or the one the caller forces (`options.route`).
import type { Graph } from '../compiler/ir/graph.ts';
import { LenscError, type SourceLoc } from '../compiler/ir/source.ts';
import { isKernel, type Kernel } from './kernel.ts';
import { currentLoc } from './trace.ts';

export interface RoutesSpec {
  readonly name: string;
  /** Route name → the kernel implementing it. Every route takes the same inputs and returns the same outputs. */
  readonly routes: Readonly<Record<string, Kernel>>;
  /** Human description, copied into the manifest and the .d.ts. */
  readonly doc?: string;
}

export interface Route {
  readonly name: string;
  readonly kernel: Kernel;
}

export interface RoutedKernel {
  readonly kind: 'lensc.routes';
  readonly name: string;
  readonly doc?: string;
  readonly loc?: SourceLoc;
  /** In declaration order; the first is the reference interpreter's and breaks ties of equal cost. */
  readonly routes: readonly Route[];
  /** The routes' graphs, checked to share one signature (traced on first use, like a kernel's graph). */
  graphs(): readonly Graph[];
}

const NAME = /^[a-z][A-Za-z0-9]*$/;

export function routes(spec: RoutesSpec): RoutedKernel {
  const loc = currentLoc();
  const fail = (msg: string): never => {
    throw new LenscError('routes', msg, loc);
  };
  if (typeof spec?.name !== 'string' || !NAME.test(spec.name))
    fail(`name must be camelCase, got ${JSON.stringify(spec?.name)}`);
  if (typeof spec.routes !== 'object' || spec.routes === null)
    fail(`${spec.name}: routes must be an object of route name → kernel`);
  const list = Object.entries(spec.routes).map(([name, kernel]) => {
    if (!NAME.test(name)) fail(`${spec.name}: route name must be camelCase, got '${name}'`);
    if (!isKernel(kernel))
      fail(
        `${spec.name}: route '${name}' must be a kernel(...) (a routed kernel cannot be a route), got ${describe(kernel)}`,
      );
    return { name, kernel };
  });
  if (list.length < 2) fail(`${spec.name}: give at least two routes, got ${list.length}`);
  const kernels = new Set(list.map((r) => r.kernel.name));
  if (kernels.size < list.length) fail(`${spec.name}: two routes are the same kernel`);
  if (kernels.has(spec.name)) fail(`${spec.name}: a route may not have the routed kernel's own name`);
  let cached: readonly Graph[] | undefined;
  return {
    kind: 'lensc.routes',
    name: spec.name,
    ...(spec.doc !== undefined ? { doc: spec.doc } : {}),
    loc,
    routes: list,
    graphs() {
      return (cached ??= checkSignatures(spec.name, list, loc));
    },
  };
}

export function isRoutedKernel(x: unknown): x is RoutedKernel {
  return typeof x === 'object' && x !== null && (x as RoutedKernel).kind === 'lensc.routes';
}

const describe = (x: unknown): string =>
  isRoutedKernel(x) ? `the routed kernel '${x.name}'` : x === null ? 'null' : typeof x;

/** Every route must take the same inputs (names, kinds, dtypes, shapes) and return the same outputs. */
function checkSignatures(name: string, list: readonly Route[], loc: SourceLoc | undefined): Graph[] {
  const graphs = list.map((r) => r.kernel.graph());
  const sig = (g: Graph) => ({
    params: g.params.map((p) => {
      const k = p.kind;
      if (k.kind === 'sizes') return `${p.name}: sizes(${k.names.join(', ')})`;
      if (k.kind === 'scalar') return `${p.name}: scalar ${k.dtype}`;
      return `${p.name}: ${k.dtype}(${k.shape.join(', ')})`;
    }),
    outputs: g.outputs.map((o) => `${o.name}: ${o.node.dtype}(${o.node.shape.join(', ')})`),
  });
  const first = sig(graphs[0]!);
  graphs.forEach((g, i) => {
    const s = sig(g);
    for (const part of ['params', 'outputs'] as const) {
      if (s[part].join('; ') !== first[part].join('; ')) {
        throw new LenscError(
          'routes',
          `${name}: route '${list[i]!.name}' (kernel ${list[i]!.kernel.name}) has ${part === 'params' ? 'inputs' : 'outputs'} [${s[part].join('; ')}], route '${list[0]!.name}' (kernel ${list[0]!.kernel.name}) has [${first[part].join('; ')}]: every route must have the same`,
          loc,
        );
      }
    }
    if (g.singleOutput !== graphs[0]!.singleOutput)
      throw new LenscError(
        'routes',
        `${name}: route '${list[i]!.name}' returns ${g.singleOutput ? 'one output' : 'an object of outputs'}, route '${list[0]!.name}' does not`,
        loc,
      );
  });
  return graphs;
}
