// The package as a user gets it: `npm pack`, installed into a fresh `npm init -y` project (npm 11 writes
// "type": "commonjs") in a temp folder, then the README's kernel built with the installed `lensc` command,
// imported from an .mjs and from a .cjs, type-checked from TypeScript with `tsc --strict` (plus the strictest
// optional flags, skipLibCheck off) without any lensc-specific compiler option, and a std kernel and
// `lensc/reference` used from there. Values are checked against the W̃ sum written out as loops.
// The install is offline-capable (--prefer-offline: the packages come from npm's cache, warm after `npm ci`).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = path.resolve(import.meta.dirname, '..', '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
let dir = '';
let app = '';
const run = (cmd: string, args: string[], cwd = app) =>
  execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: 'pipe', env: { ...process.env, LENSC_USE_DIST: '' } });

/** The README's first ```ts block: the kernel a new user copies. */
function readmeKernel(): string {
  const m = /## Writing a kernel[\s\S]*?```ts\n([\s\S]*?)```/.exec(readFileSync(path.join(repo, 'README.md'), 'utf8'));
  if (!m) throw new Error('README.md has no ```ts block under "## Writing a kernel"');
  return m[1]!;
}

// Brute-force W̃[i,j] = Σ_k cos(2π((x_i−x_j)u_k + (y_i−y_j)v_k)) / σ_k², grid rows are (y, x), uv rows (u, v).
const USE_MJS = `
import { wTilde } from './generated/js/w_tilde.js';
import { wTildeDirect } from 'lensc/kernels/js/w_tilde_direct.js';
import { runReference } from 'lensc/reference';
import { kernel, f64, mul, add } from 'lensc';
const K = 37, M = 5;
const noiseReal = Float64Array.from({ length: K }, (_, i) => 0.5 + ((i * 7) % 11) / 10);
const uv = Float64Array.from({ length: 2 * K }, (_, i) => 3 * Math.sin(1.3 * i + 0.2));
const grid = Float64Array.from({ length: 2 * M }, (_, i) => 0.4 * Math.cos(2.1 * i));
const expected = new Float64Array(M * M);
for (let i = 0; i < M; i++) for (let j = 0; j < M; j++) {
  let s = 0;
  for (let k = 0; k < K; k++) {
    const phase = 2 * Math.PI * ((grid[2 * i + 1] - grid[2 * j + 1]) * uv[2 * k] + (grid[2 * i] - grid[2 * j]) * uv[2 * k + 1]);
    s += Math.cos(phase) / noiseReal[k] ** 2;
  }
  expected[i * M + j] = s;
}
const built = await wTilde({ noiseReal, uv, grid }, { threads: 2, memoryBudgetBytes: 1 << 20 });
const std = await wTildeDirect({ noiseReal, uv, grid });
const axpy = kernel({ name: 'axpy', params: { x: f64(['N']), y: f64(['N']) }, body: ({ x, y }) => add(mul(2, x), y) });
const ref = runReference(axpy, { x: Float64Array.of(1, 2, 3), y: Float64Array.of(10, 20, 30) });
const err = (a) => Math.max(...Array.from(a, (v, i) => Math.abs(v - expected[i])));
console.log(JSON.stringify({ built: err(built), std: err(std), scale: Math.max(...expected), ref: Array.from(ref) }));
`;

const USE_CJS = `
import('./generated/js/w_tilde.js').then(async ({ wTilde }) => {
  const W = await wTilde({ noiseReal: Float64Array.of(1), uv: Float64Array.of(0, 0), grid: Float64Array.of(0, 0) });
  console.log(JSON.stringify(Array.from(W)));
});
`;

const CONSUMER_MTS = `
import { kernel, f64, mul, LenscError, type Kernel } from 'lensc';
import { runReference } from 'lensc/reference';
import { wTilde, type WTildeInputs } from './generated/js/w_tilde.js';
import { curvatureMatrix } from 'lensc/kernels/js/curvature_matrix.js';
import { logEvidence } from 'lensc/kernels/wgsl/log_evidence.js';
import { dirtyImage } from 'lensc/kernels/cuda/dirty_image.js';
const k: Kernel = kernel({ name: 'twice', params: { x: f64(['N']) }, body: ({ x }) => mul(2, x) });
const r = runReference(k, { x: Float64Array.of(1, 2) });
const inputs: WTildeInputs = { noiseReal: new Float64Array(1), uv: new Float64Array(2), grid: new Float64Array(2) };
const W: Float64Array = await wTilde(inputs);
export { r, W, curvatureMatrix, logEvidence, dirtyImage, LenscError };
`;

const TSCONFIG = JSON.stringify({
  compilerOptions: {
    strict: true,
    noEmit: true,
    module: 'nodenext',
    moduleResolution: 'nodenext',
    target: 'es2022',
    lib: ['es2022'],
    types: [],
    noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true,
    noImplicitOverride: true,
    skipLibCheck: false,
  },
  files: ['consumer.mts'],
});

describe('the npm package', () => {
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'lensc-pack-'));
    // `npm pack` runs `prepare`, which compiles dist/.
    const tgz = run(npm, ['pack', '--silent', '--pack-destination', dir], repo).trim().split('\n').pop()!;
    app = path.join(dir, 'app');
    execFileSync('mkdir', [app]);
    run(npm, ['init', '-y']);
    run(npm, ['install', path.join(dir, tgz), '--prefer-offline', '--no-audit', '--no-fund']);
  }, 300_000);
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('installs only what the compiler and runtimes import', () => {
    const installed = readdirSync(path.join(app, 'node_modules'));
    for (const dev of ['vitest', 'typescript', 'tsx', 'pngjs', 'webgpu', 'koffi', '@types', 'wabt'])
      expect(installed).not.toContain(dev);
    expect(installed).toEqual(expect.arrayContaining(['lensc', 'chevrotain', 'ts-morph', 'esbuild']));
    const pkg = path.join(app, 'node_modules', 'lensc');
    for (const unpublished of ['test', 'bench', '.ci', 'demo', 'std', 'compiler', 'dsl'])
      expect(existsSync(path.join(pkg, unpublished))).toBe(false);
    expect(JSON.parse(readFileSync(path.join(app, 'package.json'), 'utf8')).type ?? 'commonjs').toBe('commonjs');
  });

  it('builds the README kernel in a CommonJS project and runs it from .mjs, .cjs, a std kernel and lensc/reference', () => {
    writeFileSync(path.join(app, 'terms.ts'), readmeKernel());
    const out = run(process.execPath, [
      path.join('node_modules', '.bin', 'lensc'),
      'build',
      'terms.ts',
      '--target',
      'js',
      '--out',
      'generated',
    ]);
    expect(out).toMatch(/wrote generated\/js\/w_tilde\.js/);
    writeFileSync(path.join(app, 'use.mjs'), USE_MJS);
    const r = JSON.parse(run(process.execPath, ['use.mjs']));
    expect(r.built).toBeLessThan(1e-10 * r.scale);
    expect(r.std).toBeLessThan(1e-10 * r.scale);
    expect(r.ref).toEqual([12, 24, 36]);
    writeFileSync(path.join(app, 'use.cjs'), USE_CJS);
    expect(JSON.parse(run(process.execPath, ['use.cjs']))).toEqual([1]);
  });

  it("points DSL errors at the user's .ts line and column", () => {
    writeFileSync(
      path.join(app, 'bad.ts'),
      `import { kernel, f64, add } from 'lensc';\n\nexport const bad = kernel({ name: 'bad', params: { x: f64(['N']), y: f64(['M']) }, body: ({ x, y }) => add(x, y) });\n`,
    );
    let message = '';
    try {
      run(process.execPath, [path.join('node_modules', '.bin', 'lensc'), 'build', 'bad.ts', '--out', 'generated']);
    } catch (e) {
      message = String((e as { stderr?: string }).stderr);
    }
    expect(message).toMatch(/(^|\s)bad\.ts:3:\d+: add: shape mismatch/m);
  });

  it('type-checks for a TypeScript consumer with tsc --strict and no lensc-specific options', () => {
    writeFileSync(path.join(app, 'tsconfig.json'), TSCONFIG);
    writeFileSync(path.join(app, 'consumer.mts'), CONSUMER_MTS);
    const tsc = path.join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
    expect(() => run(process.execPath, [tsc, '-p', '.'])).not.toThrow();
  });
});
