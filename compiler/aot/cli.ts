// The `lensc` command line: build, explain and check.
import { parseBytes } from '../plan/capabilities.ts';
import { build, withPrecision } from './build.ts';
import { WGSL_PRECISIONS, type WgslPrecision } from '../../dsl/kernel.ts';
import { explainKernel } from './explain.ts';
import { checkKernel, formatCheck } from './check.ts';
import { findKernels } from './find_kernels.ts';
import { TARGET_RECORDS, TARGETS, isTarget, type Target } from '../targets.ts';
import type { RewriteSwitch } from '../ir/graph.ts';
import { checkRewriteSwitch } from '../passes/rewrite_switch.ts';

const HELP = `lensc — ahead-of-time compiler for lensing likelihood kernels

Usage:
  lensc build MODULE.ts [--target ${TARGETS.join('|')}|all] [--out DIR] [--sources] [--wgsl-precision f32|df64] [--rewrites all|none|NAME,...]
      Compile every exported kernel(...) of MODULE.ts. Writes DIR/<target>/<snake_name>.js (an ES module
      exporting the kernel function and its manifest, with any device code embedded) and .d.ts; --sources also
      writes copies for reading: .manifest.json, .cu, <snake_name>_<stage>.wgsl. Default: --target js --out kernels.
      --wgsl-precision overrides every kernel's precision on the wgsl target (df64: f64 values as pairs of f32).
  lensc explain FILE.ts [--kernel NAME] [--wgsl-precision f32|df64] [--ir] [--loop-ir] [--after-each] [--code] [--sizes M=812,K=8192] [--budget 64MiB] [--target js]
      Print a kernel's plan: stages, what is fused, what is chunked, intermediate bytes. --ir prints the graph
      IR after the graph passes, --loop-ir the loop IR after the loop passes; --after-each prints them after
      every pass (both when neither is given); --code the generated module; --sizes evaluates the plan
      (chunk sizes, peak bytes) with the target's capability record.
      The plan starts with the algebraic rewrites applied (or considered and declined), and why.
  --rewrites all|none|NAME,...   which algebraic rewrites may run (overrides kernel({ rewrites })):
      separable (sums of separable cos/sin/exp/products become matmuls), offset-table. --no-rewrites = none.
  lensc check FILE.ts --kernel NAME [--target wgsl] [--sizes M=100,K=5000] [--inputs inputs.json] [--seed N]
      Measure a kernel's error: run it on the target beside the f64 JS kernel on the same inputs (sample inputs
      at --sizes, default 17 per size; or your own: a JSON object of input name → number or array) and print,
      per output, the relative Frobenius error and the largest absolute error. Index (i32) inputs need your own.
  lensc --help

Targets:
${TARGET_RECORDS.map((t) => `  ${t.name.padEnd(6)}${t.summary}`).join('\n')}
`;

export { TARGETS };

function parseArgs(argv: string[]): { positional: string[]; flags: Map<string, string | true> } {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('--')) {
      const [k, v] = a.slice(2).split('=', 2) as [string, string | undefined];
      const boolean = ['ir', 'loop-ir', 'after-each', 'code', 'sources', 'help', 'no-rewrites'].includes(k);
      flags.set(k, v ?? (boolean ? true : argv[++i] ?? ''));
    } else positional.push(a);
  }
  return { positional, flags };
}

function parseSizes(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of text.split(',')) {
    const m = /^\s*([A-Za-z_]\w*)\s*=\s*(\d+)\s*$/.exec(part);
    if (!m) throw new Error(`--sizes: cannot read '${part}' (expected NAME=INTEGER, e.g. --sizes M=812,K=8192)`);
    out[m[1]!] = Number(m[2]);
  }
  return out;
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
  if (!WGSL_PRECISIONS.includes(v as WgslPrecision)) throw new Error(`--wgsl-precision: expected one of ${WGSL_PRECISIONS.join(', ')}, got '${v === true ? '' : v}'`);
  return v as WgslPrecision;
}

function targetsOf(v: string | true | undefined): Target[] {
  if (v === undefined) return ['js'];
  if (v === 'all') return [...TARGETS];
  const list = String(v).split(',');
  for (const t of list) if (!isTarget(t)) throw new Error(`--target: unknown target '${t}' (${TARGETS.join(', ')} or all)`);
  return list as Target[];
}

export async function main(argv: string[]): Promise<number> {
  const { positional, flags } = parseArgs(argv);
  const [cmd, file] = positional;
  if (flags.has('help') || !cmd) { process.stdout.write(HELP); return cmd || flags.has('help') ? 0 : 1; }
  if (cmd === 'build') {
    if (!file) throw new Error('lensc build: give the module to compile (lensc build std/index.ts --out kernels)');
    const outDir = String(flags.get('out') ?? 'kernels');
    const wgslPrecision = wgslPrecisionOf(flags.get('wgsl-precision'));
    const written = await build(file, { targets: targetsOf(flags.get('target')), outDir, sources: flags.has('sources'), rewrites: rewritesOf(flags), log: (l) => console.log(l), ...(wgslPrecision ? { wgslPrecision } : {}) });
    console.log(`lensc build: ${written.length} files written to ${outDir}`);
    return 0;
  }
  if (cmd === 'explain') {
    if (!file) throw new Error('lensc explain: give the module that declares the kernel');
    const rewrites = rewritesOf(flags);
    const kernels = await findKernels(file);
    const want = flags.get('kernel');
    const chosen = want ? kernels.filter((k) => k.exportName === want || k.kernel.name === want) : kernels;
    if (chosen.length === 0) throw new Error(`lensc explain: ${want ? `no kernel '${want}' in ${file}` : `${file} exports no kernel(...)`}; found: ${kernels.map((k) => k.exportName).join(', ') || 'none'}`);
    const sizes = typeof flags.get('sizes') === 'string' ? parseSizes(flags.get('sizes') as string) : undefined;
    const budget = typeof flags.get('budget') === 'string' ? parseBytes(flags.get('budget') as string) : undefined;
    const [target] = targetsOf(flags.get('target'));
    const precision = wgslPrecisionOf(flags.get('wgsl-precision'));
    for (const k of chosen) {
      console.log(explainKernel(withPrecision(k.kernel, precision), { ir: flags.has('ir'), loopIr: flags.has('loop-ir'), afterEach: flags.has('after-each'), code: flags.has('code'), sizes, budgetBytes: budget, target, rewrites }));
      console.log();
    }
    return 0;
  }
  if (cmd === 'check') {
    if (!file) throw new Error('lensc check: give the module that declares the kernel');
    const kernels = await findKernels(file);
    const want = flags.get('kernel');
    const found = kernels.find((k) => k.exportName === want || k.kernel.name === want) ?? (want === undefined && kernels.length === 1 ? kernels[0] : undefined);
    if (!found) throw new Error(`lensc check: ${want ? `no kernel '${want}' in ${file}` : 'give --kernel NAME'}; found: ${kernels.map((k) => k.exportName).join(', ') || 'none'}`);
    const [target] = targetsOf(flags.get('target') ?? 'wgsl');
    const sizes = typeof flags.get('sizes') === 'string' ? parseSizes(flags.get('sizes') as string) : undefined;
    const inputsFile = typeof flags.get('inputs') === 'string' ? (flags.get('inputs') as string) : undefined;
    const seed = typeof flags.get('seed') === 'string' ? Number(flags.get('seed')) : undefined;
    const kernel = withPrecision(found.kernel, wgslPrecisionOf(flags.get('wgsl-precision')));
    const r = await checkKernel(kernel, { target: target!, ...(sizes ? { sizes } : {}), ...(inputsFile ? { inputsFile } : {}), ...(seed !== undefined ? { seed } : {}) });
    console.log(formatCheck(kernel, target!, r));
    const { shutdown } = await import('../../backends/js/runtime/index.js');
    await shutdown();
    return 0;
  }
  throw new Error(`lensc: unknown command '${cmd}'\n${HELP}`);
}

// Run when executed directly (npm run kernels, bin/lensc.js).
if (process.argv[1] && /cli\.ts$/.test(process.argv[1])) {
  main(process.argv.slice(2)).then((code) => process.exit(code), (e: Error) => { console.error(e.message); process.exit(1); });
}
