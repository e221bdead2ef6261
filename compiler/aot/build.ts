// `lensc build`: every exported kernel of a module → DIR/<target>/<snake>.js and .d.ts. The module
// embeds its manifest and its device source; with `sources` the build also writes them beside it
// (<snake>.manifest.json, .cu, <snake>_<stage>.wgsl) for reading — copies, so kernels/ goes without.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { planKernel, renderKernel, type Rendered, type Target } from '../compile.ts';
import { renderDts } from './dts.ts';
import { findKernels } from './find_kernels.ts';
import { snakeCase } from './manifest.ts';
import type { RewriteSwitch } from '../ir/graph.ts';
import type { Kernel, WgslPrecision } from '../../dsl/kernel.ts';
import { isRoutedKernel, type RoutedKernel } from '../../dsl/routes.ts';
import { planRoutes, renderRoutes } from '../compile_routes.ts';
import type { Compiled } from '../target.ts';

export interface BuildOptions {
  readonly targets: readonly Target[];
  readonly outDir: string;
  readonly sources?: boolean;
  readonly log?: (line: string) => void;
  /** Overrides every kernel's `precision` (how the WGSL target computes f64 values). */
  readonly wgslPrecision?: WgslPrecision;
  /** Overrides every kernel's rewrite switch (`--rewrites`). */
  readonly rewrites?: RewriteSwitch;
}

/** The kernel (every route of a routed one) with its WGSL precision overridden (`lensc build --wgsl-precision`). */
export function withPrecision<K extends Kernel | RoutedKernel>(k: K, precision: WgslPrecision | undefined): K {
  if (!precision) return k;
  if (isRoutedKernel(k))
    return { ...k, routes: k.routes.map((r) => ({ ...r, kernel: withPrecision(r.kernel, precision) })) };
  return { ...k, precision };
}

/** Every kernel × target of a build that failed to compile, reported together (nothing is written then). */
export class BuildError extends Error {
  constructor(
    readonly failures: readonly { readonly kernel: string; readonly target: Target; readonly message: string }[],
  ) {
    const kernels = new Set(failures.map((f) => f.kernel)).size;
    super(
      `lensc build: ${kernels} kernel${kernels === 1 ? '' : 's'} failed to compile (${failures.length} kernel × target${failures.length === 1 ? '' : 's'}); nothing was written:\n${failures.map((f) => `  ${f.kernel} [${f.target}]: ${f.message.split('\n').join('\n    ')}`).join('\n')}`,
    );
    this.name = 'BuildError';
  }
}

/** Files a build writes, as path → content (so tests can check kernels/ is up to date without writing). */
export async function generate(
  modulePath: string,
  targets: readonly Target[],
  opts: {
    sources?: boolean;
    wgslPrecision?: WgslPrecision;
    rewrites?: RewriteSwitch;
    log?: (line: string) => void;
  } = {},
): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const failures: { kernel: string; target: Target; message: string }[] = [];
  const found = await findKernels(modulePath);
  // the routes of a routed kernel are kernels of their own, written beside it even when not exported themselves
  const all = [...found];
  for (const f of found) {
    if (!isRoutedKernel(f.kernel)) continue;
    for (const r of f.kernel.routes)
      if (!all.some((a) => a.kernel === r.kernel))
        all.push({ exportName: `${f.exportName} (route ${r.name})`, kernel: r.kernel, file: f.file, line: f.line });
  }
  checkFileNames(all);
  const emit = (target: Target, exportName: string, t0: number, manifestFile: string, rendered: Rendered) => {
    opts.log?.(
      `compiled ${exportName} [${target}] → ${target}/${manifestFile}.js (${Math.round(performance.now() - t0)} ms)`,
    );
    const { code, extra, embedded } = rendered;
    const base = path.join(target, manifestFile);
    files.set(`${base}.js`, code);
    return { base, extra, embedded };
  };
  // kernel by kernel, each for every target; routes first compiled as kernels, then reused by their routed kernels
  const compiledFor = new Map(targets.map((t) => [t, new Map<Kernel, { c: Compiled; code: string }>()]));
  const ordered = [...all].sort((a, b) => Number(isRoutedKernel(a.kernel)) - Number(isRoutedKernel(b.kernel)));
  for (const f of ordered) {
    for (const target of targets) {
      const compiled = compiledFor.get(target)!;
      const t0 = performance.now();
      // one failing kernel must not hide the others: collect, and report them all at the end
      try {
        if (isRoutedKernel(f.kernel)) {
          const routeCode: string[] = [];
          const cr = planRoutes(f.kernel, target, { source: f.file, rewrites: opts.rewrites }, (k) => {
            const hit = compiled.get(k);
            if (!hit) throw new Error(`its route kernel ${k.name} failed to compile`);
            routeCode.push(hit.code);
            return hit.c;
          });
          const rendered = renderRoutes(cr, routeCode);
          const { extra } = emit(target, f.exportName, t0, cr.manifest.file, rendered);
          if (opts.sources)
            files.set(
              `${path.join(target, cr.manifest.file)}.manifest.json`,
              JSON.stringify(cr.manifest, null, 2) + '\n',
            );
          for (const [name, text] of Object.entries(extra ?? {})) files.set(path.join(target, name), text);
          continue;
        }
        const kernel = withPrecision(f.kernel, opts.wgslPrecision);
        const c = planKernel(kernel, target, { source: f.file, rewrites: opts.rewrites });
        const rendered = renderKernel(c, target);
        compiled.set(f.kernel, { c, code: rendered.code });
        const { base, extra, embedded } = emit(target, f.exportName, t0, c.manifest.file, rendered);
        files.set(`${base}.d.ts`, renderDts(c.manifest));
        if (opts.sources) files.set(`${base}.manifest.json`, JSON.stringify(c.manifest, null, 2) + '\n');
        // extras after the generic .d.ts: a target's own .d.ts replaces it
        for (const [name, text] of Object.entries(extra ?? {}))
          if (opts.sources || !embedded?.includes(name)) files.set(path.join(target, name), text);
      } catch (e) {
        failures.push({ kernel: f.exportName, target, message: e instanceof Error ? e.message : String(e) });
        opts.log?.(`failed   ${f.exportName} [${target}]`);
      }
    }
  }
  if (failures.length) throw new BuildError(failures);
  return files;
}

/** Two kernels whose names map to one file (aBc and aBC → a_bc.js) would overwrite each other: an error. */
function checkFileNames(found: readonly { exportName: string; kernel: Kernel | RoutedKernel }[]): void {
  const byFile = new Map<string, { exportName: string; kernel: Kernel | RoutedKernel }>();
  for (const f of found) {
    const file = snakeCase(f.kernel.name);
    const other = byFile.get(file);
    if (other && other.kernel.name !== f.kernel.name) {
      throw new Error(
        `lensc build: kernels '${other.kernel.name}' (export ${other.exportName}) and '${f.kernel.name}' (export ${f.exportName}) would both be written to ${file}.js; rename one`,
      );
    }
    if (other && other.kernel !== f.kernel)
      throw new Error(
        `lensc build: two different kernels are named '${f.kernel.name}' (exports ${other.exportName} and ${f.exportName}); rename one`,
      );
    byFile.set(file, f);
  }
}

export async function build(modulePath: string, opts: BuildOptions): Promise<string[]> {
  const files = await generate(modulePath, opts.targets, {
    sources: opts.sources,
    rewrites: opts.rewrites,
    log: opts.log,
    ...(opts.wgslPrecision ? { wgslPrecision: opts.wgslPrecision } : {}),
  });
  const written: string[] = [];
  for (const [rel, text] of files) {
    const out = path.join(opts.outDir, rel);
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, text);
    written.push(out);
    opts.log?.(`wrote ${out}`);
  }
  for (const target of opts.targets) {
    const marker = markAsModules(path.join(opts.outDir, target));
    if (marker) {
      written.push(marker);
      opts.log?.(`wrote ${marker} (the modules are ES modules; the enclosing package is CommonJS)`);
    }
  }
  return written;
}

/** The package.json that governs `dir`: the nearest one above it, as Node looks it up. */
function enclosingPackageType(dir: string): string | undefined {
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const p = path.join(d, 'package.json');
    if (existsSync(p)) {
      try {
        return (JSON.parse(readFileSync(p, 'utf8')) as { type?: string }).type ?? 'commonjs';
      } catch {
        return 'commonjs';
      }
    }
    if (path.dirname(d) === d) return undefined;
  }
}

/**
 * Generated modules are ES modules named .js. In a CommonJS package (what `npm init -y` writes) Node would load
 * them as CommonJS and fail, so the target folder gets a package.json saying "type": "module". Not written when
 * the enclosing package is already ESM: a package.json there would also end the package scope that lets
 * lensc's own kernels/ import `lensc/runtime/*` by self-reference.
 */
function markAsModules(dir: string): string | undefined {
  if (enclosingPackageType(dir) === 'module') return undefined;
  const p = path.join(dir, 'package.json');
  mkdirSync(dir, { recursive: true });
  writeFileSync(p, JSON.stringify({ type: 'module' }, null, 2) + '\n');
  return p;
}
