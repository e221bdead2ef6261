// The `lensc` command line: build, explain and check.
import { parseBytes } from '../plan/capabilities.ts';
import { build, withPrecision } from './build.ts';
import { WGSL_PRECISIONS, type WgslPrecision } from '../../dsl/kernel.ts';
import { explainKernel, explainRoutes } from './explain.ts';
import { isRoutedKernel } from '../../dsl/routes.ts';
import { checkKernel, formatCheck } from './check.ts';
import { findKernels } from './find_kernels.ts';
import { TARGET_RECORDS, TARGETS, isTarget, type Target } from '../targets.ts';
import type { RewriteSwitch } from '../ir/graph.ts';
import { checkRewriteSwitch } from '../passes/rewrite_switch.ts';
import { parseCommandArgs, type CommandSpec } from './cli_args.ts';
import { readFileSync } from 'node:fs';

const HELP = `lensc — ahead-of-time compiler for lensing likelihood kernels

Usage:
  lensc build MODULE.ts [--target ${TARGETS.join('|')}|all] [--out DIR] [--sources] [--wgsl-precision f32|df64] [--rewrites all|none|NAME,...]
      Compile every exported kernel(...) and routes(...) of MODULE.ts. Writes DIR/<target>/<snake_name>.js (an ES module
      exporting the kernel function and its manifest, with any device code embedded) and .d.ts; --sources also
      writes copies for reading: .manifest.json, .cu, <snake_name>_<stage>.wgsl. Default: --target js --out kernels.
      --wgsl-precision overrides every kernel's precision on the wgsl target (df64: f64 values as pairs of f32).
  lensc explain FILE.ts [--kernel NAME] [--wgsl-precision f32|df64] [--ir] [--loop-ir] [--after-each] [--code] [--sizes M=812,K=8192] [--budget 64MiB] [--target js] [--route NAME]
      Print a kernel's plan: stages, what is fused, what is chunked, intermediate bytes. --ir prints the graph
      IR after the graph passes, --loop-ir the loop IR after the loop passes; --after-each prints them after
      every pass (both when neither is given); --code the generated module; --sizes evaluates the plan
      (chunk sizes, peak bytes) with the target's capability record.
      The plan starts with the algebraic rewrites applied (or considered and declined), and why.
      A routed kernel (routes(...)) first lists its routes' work formulas and, with --sizes, each route's
      estimated seconds and the route a call at those sizes takes; --route NAME explains that route instead.
  --rewrites all|none|NAME,...   which algebraic rewrites may run (overrides kernel({ rewrites })):
      separable (sums of separable cos/sin/exp/products become matmuls), offset-table. --no-rewrites = none.
  lensc check FILE.ts --kernel NAME [--target wgsl] [--wgsl-precision f32|df64] [--sizes M=100,K=5000] [--inputs inputs.json] [--seed N]
      Measure a kernel's error: run it on the target beside the f64 JS kernel on the same inputs (sample inputs
      at --sizes, default 17 per size; or your own: a JSON object of input name → number or array) and print,
      per output, the relative Frobenius error and the largest absolute error. Index (i32) inputs need your own.
      In df64 it also says which TwoProduct ran on this device (fma where fused, else Dekker's splitting).
  lensc --help | -h     this text
  lensc --version       the version of lensc

Targets:
${TARGET_RECORDS.map((t) => `  ${t.name.padEnd(6)}${t.summary}`).join('\n')}
`;

export { TARGETS };

function parseSizes(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of text.split(',')) {
    const m = /^\s*([A-Za-z_]\w*)\s*=\s*(\d+)\s*$/.exec(part);
    if (!m) throw new Error(`--sizes: cannot read '${part}' (expected NAME=INTEGER, e.g. --sizes M=812,K=8192)`);
    out[m[1]!] = Number(m[2]);
  }
  return out;
}

/** A flag's value read by `read`, its error prefixed with the flag. */
function flagValue<T>(what: string, read: () => T): T {
  try {
    return read();
  } catch (e) {
    throw new Error(`${what}: ${(e as Error).message}`);
  }
}

function rewritesOf(flags: Map<string, string | true>): RewriteSwitch | undefined {
  if (flags.has('no-rewrites')) return false;
  const v = flags.get('rewrites');
  if (v === undefined) return undefined;
  if (v === 'all') return true;
  if (v === 'none') return false;
  return checkRewriteSwitch(String(v).split(',').filter(Boolean), '--rewrites');
}

function wgslPrecisionOf(v: string | true | undefined): WgslPrecision | undefined {
  if (v === undefined) return undefined;
  if (!WGSL_PRECISIONS.includes(v as WgslPrecision))
    throw new Error(`--wgsl-precision: expected one of ${WGSL_PRECISIONS.join(', ')}, got '${v === true ? '' : v}'`);
  return v as WgslPrecision;
}

function targetsOf(v: string | true | undefined): Target[] {
  if (v === undefined) return ['js'];
  if (v === 'all') return [...TARGETS];
  const list = String(v).split(',');
  for (const t of list)
    if (!isTarget(t)) throw new Error(`--target: unknown target '${t}' (${TARGETS.join(', ')} or all)`);
  return list as Target[];
}

const COMMON_VALUES = {
  target: `a target: ${TARGETS.join(', ')} or all`,
  'wgsl-precision': 'f32 or df64',
  rewrites: 'all, none or a list of rewrite names',
};
const COMMANDS: Record<string, CommandSpec> = {
  build: {
    values: { ...COMMON_VALUES, out: 'the output directory' },
    switches: ['sources', 'no-rewrites', 'help'],
    positionals: 1,
  },
  explain: {
    values: {
      ...COMMON_VALUES,
      kernel: 'a kernel name',
      sizes: 'NAME=INTEGER,… e.g. M=812,K=8192',
      budget: 'a byte count, e.g. 64MiB',
      route: 'a route of a routed kernel (routes(...)): explain it instead of the cheapest',
    },
    switches: ['ir', 'loop-ir', 'after-each', 'code', 'no-rewrites', 'help'],
    positionals: 1,
  },
  check: {
    values: {
      kernel: 'a kernel name',
      target: COMMON_VALUES.target,
      'wgsl-precision': COMMON_VALUES['wgsl-precision'],
      sizes: 'NAME=INTEGER,… e.g. M=100,K=5000',
      inputs: 'a JSON file of inputs',
      seed: 'an integer',
    },
    switches: ['help'],
    positionals: 1,
  },
};

/** A whole number written in decimal. */
function integer(text: string): number {
  if (!/^-?\d+$/.test(text.trim())) throw new Error(`expected an integer, got '${text}'`);
  return Number(text);
}

/** The version in lensc's package.json. */
export function version(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string })
    .version;
}

export async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === undefined) {
    process.stderr.write(HELP);
    return 1;
  }
  if (cmd === '--help' || cmd === '-h') {
    process.stdout.write(HELP);
    return 0;
  }
  if (cmd === '--version' || cmd === '-V') {
    process.stdout.write(`lensc ${version()}\n`);
    return 0;
  }
  const spec = COMMANDS[cmd];
  if (!spec)
    throw new Error(`lensc: unknown command '${cmd}' (commands: ${Object.keys(COMMANDS).join(', ')}; lensc --help)`);
  const { positional, flags } = parseCommandArgs(`lensc ${cmd}`, rest, spec);
  const file = positional[0];
  if (flags.has('help')) {
    process.stdout.write(HELP);
    return 0;
  }
  if (cmd === 'build') {
    if (!file) throw new Error('lensc build: give the module to compile (lensc build std/index.ts --out kernels)');
    const outDir = String(flags.get('out') ?? 'kernels');
    const wgslPrecision = wgslPrecisionOf(flags.get('wgsl-precision'));
    const written = await build(file, {
      targets: targetsOf(flags.get('target')),
      outDir,
      sources: flags.has('sources'),
      rewrites: rewritesOf(flags),
      log: (l) => console.log(l),
      ...(wgslPrecision ? { wgslPrecision } : {}),
    });
    console.log(`lensc build: ${written.length} files written to ${outDir}`);
    return 0;
  }
  if (cmd === 'explain') {
    if (!file) throw new Error('lensc explain: give the module that declares the kernel');
    const rewrites = rewritesOf(flags);
    const kernels = await findKernels(file);
    const want = flags.get('kernel');
    const chosen = want ? kernels.filter((k) => k.exportName === want || k.kernel.name === want) : kernels;
    if (chosen.length === 0)
      throw new Error(
        `lensc explain: ${want ? `no kernel '${want}' in ${file}` : `${file} exports no kernel(...)`}; found: ${kernels.map((k) => k.exportName).join(', ') || 'none'}`,
      );
    const sizes = typeof flags.get('sizes') === 'string' ? parseSizes(flags.get('sizes') as string) : undefined;
    const budget =
      typeof flags.get('budget') === 'string'
        ? flagValue('lensc explain --budget', () => parseBytes(flags.get('budget') as string))
        : undefined;
    const [target] = targetsOf(flags.get('target'));
    const precision = wgslPrecisionOf(flags.get('wgsl-precision'));
    const route = typeof flags.get('route') === 'string' ? (flags.get('route') as string) : undefined;
    if (route !== undefined && !chosen.some((k) => isRoutedKernel(k.kernel)))
      throw new Error(
        `lensc explain --route: ${chosen.map((k) => k.kernel.name).join(', ')} has no routes (routes(...) declares them)`,
      );
    for (const k of chosen) {
      const explainOpts = {
        ir: flags.has('ir'),
        loopIr: flags.has('loop-ir'),
        afterEach: flags.has('after-each'),
        code: flags.has('code'),
        sizes,
        budgetBytes: budget,
        target,
        rewrites,
      };
      const kk = withPrecision(k.kernel, precision);
      console.log(
        isRoutedKernel(kk)
          ? explainRoutes(kk, { ...explainOpts, ...(route !== undefined ? { route } : {}) })
          : explainKernel(kk, explainOpts),
      );
      console.log();
    }
    return 0;
  }
  if (cmd === 'check') {
    if (!file) throw new Error('lensc check: give the module that declares the kernel');
    const kernels = await findKernels(file);
    const want = flags.get('kernel');
    const found =
      kernels.find((k) => k.exportName === want || k.kernel.name === want) ??
      (want === undefined && kernels.length === 1 ? kernels[0] : undefined);
    if (!found)
      throw new Error(
        `lensc check: ${want ? `no kernel '${want}' in ${file}` : 'give --kernel NAME'}; found: ${kernels.map((k) => k.exportName).join(', ') || 'none'}`,
      );
    const [target] = targetsOf(flags.get('target') ?? 'wgsl');
    const sizes = typeof flags.get('sizes') === 'string' ? parseSizes(flags.get('sizes') as string) : undefined;
    const inputsFile = typeof flags.get('inputs') === 'string' ? (flags.get('inputs') as string) : undefined;
    const seed =
      typeof flags.get('seed') === 'string'
        ? flagValue('lensc check --seed', () => integer(flags.get('seed') as string))
        : undefined;
    if (isRoutedKernel(found.kernel))
      throw new Error(
        `lensc check: ${found.kernel.name} is a routed kernel; check one of its routes: --kernel ${found.kernel.routes.map((r) => r.kernel.name).join(' or --kernel ')}`,
      );
    const kernel = withPrecision(found.kernel, wgslPrecisionOf(flags.get('wgsl-precision')));
    const r = await checkKernel(kernel, {
      target: target!,
      ...(sizes ? { sizes } : {}),
      ...(inputsFile ? { inputsFile } : {}),
      ...(seed !== undefined ? { seed } : {}),
    });
    console.log(formatCheck(kernel, target!, r));
    const { shutdown } = await import('../../backends/js/runtime/index.js');
    await shutdown();
    return 0;
  }
  throw new Error(`lensc: unknown command '${cmd}'`);
}

// Run when executed directly (npm run kernels, bin/lensc.js).
if (process.argv[1] && /cli\.ts$/.test(process.argv[1])) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: Error) => {
      console.error(e.message);
      process.exit(1);
    },
  );
}
