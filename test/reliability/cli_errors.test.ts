// cli_errors.test.ts — everything the lensc command cannot act on is an error with exit status ≠ 0 that says what
// was expected: unknown options (with the nearest known one), options without their value, switches given a
// value, stray arguments, --sizes missing a size, an unreadable --budget, two kernels written to one file. And
// -h / --help / --version, and `lensc build` reporting each kernel as it is compiled.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const lensc = (...args: string[]) => {
  const r = spawnSync(process.execPath, ['bin/lensc.js', ...args], { encoding: 'utf8', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

const ERRORS: [string, string[], RegExp][] = [
  [
    'an unknown option',
    ['build', 'std/w_tilde.ts', '--taget', 'wgsl'],
    /lensc build: unknown option '--taget' \(did you mean --target\?/,
  ],
  [
    'an option missing its value (next is a flag)',
    ['build', 'std/w_tilde.ts', '--out', '--target', 'js'],
    /lensc build: --out needs a value \(the output directory\)/,
  ],
  [
    'an option missing its value (last)',
    ['explain', 'std/w_tilde.ts', '--kernel'],
    /lensc explain: --kernel needs a value \(a kernel name\)/,
  ],
  ['a switch given a value', ['build', 'std/w_tilde.ts', '--sources=yes'], /--sources is a switch and takes no value/],
  [
    'a second module',
    ['build', 'std/w_tilde.ts', 'std/preload.ts'],
    /lensc build: unexpected argument 'std\/preload\.ts'/,
  ],
  ['an unknown command', ['bild', 'std/w_tilde.ts'], /lensc: unknown command 'bild' \(commands: build, explain/],
  [
    '--sizes without K',
    ['explain', 'std/w_tilde.ts', '--kernel', 'wTilde', '--sizes', 'M=812'],
    /lensc explain --sizes: give K too \(kernel wTilde has sizes/,
  ],
  [
    '--sizes with a size the kernel lacks',
    ['explain', 'std/w_tilde.ts', '--kernel', 'wTilde', '--sizes', 'M=8,K=9,Q=3'],
    /kernel wTilde has no size Q/,
  ],
  [
    '--budget 1.2.3',
    ['explain', 'std/w_tilde.ts', '--kernel', 'wTilde', '--sizes', 'M=8,K=9', '--budget', '1.2.3'],
    /lensc explain --budget: cannot read '1\.2\.3' as a byte count/,
  ],
  [
    '--budget 0',
    ['explain', 'std/w_tilde.ts', '--kernel', 'wTilde', '--sizes', 'M=8,K=9', '--budget', '0'],
    /it must be at least 1 byte/,
  ],
];

describe('lensc: errors exit ≠ 0 and say what was expected', () => {
  it.each(ERRORS)('%s', (_what, args, message) => {
    const r = lensc(...args);
    expect(r.code).not.toBe(0);
    expect(r.code).not.toBeNull();
    expect(r.stderr).toMatch(message);
    expect(r.stdout).not.toMatch(/NaN/);
  });

  it('two kernels whose names map to one file', () => {
    mkdirSync(path.join('test', '.generated'), { recursive: true });
    const dir = mkdtempSync(path.join('test', '.generated', 'collide-'));
    try {
      writeFileSync(
        path.join(dir, 'k.ts'),
        `import { f64, kernel, mul } from '../../../dsl/index.ts';
export const aBc = kernel({ name: 'aBc', params: { x: f64(['N']) }, body: ({ x }) => mul(x, 2) });
export const aBC = kernel({ name: 'aBC', params: { x: f64(['N']) }, body: ({ x }) => mul(x, 3) });
`,
      );
      const r = lensc('build', path.join(dir, 'k.ts'), '--out', path.join(dir, 'out'));
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        /kernels 'aBc' \(export aBc\) and 'aBC' \(export aBC\) would both be written to a_bc\.js; rename one/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('lensc: help, version, progress', () => {
  it('-h and --help print the usage and exit 0; no command prints it and exits 1', () => {
    for (const flag of ['-h', '--help']) {
      const r = lensc(flag);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Usage:\n {2}lensc build MODULE\.ts/);
    }
    expect(lensc('build', '-h').stdout).toMatch(/Usage:/);
    const none = lensc();
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/Usage:/);
  });
  it('--version prints the package version', () => {
    const r = lensc('--version');
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toMatch(/^lensc \d+\.\d+\.\d+$/);
  });
  it('build reports each kernel as it is compiled, before writing', () => {
    mkdirSync(path.join('test', '.generated'), { recursive: true });
    const dir = mkdtempSync(path.join('test', '.generated', 'progress-'));
    try {
      const r = lensc('build', 'std/w_tilde.ts', '--target', 'js,cuda', '--out', dir);
      expect(r.code).toBe(0);
      const lines = r.stdout.trim().split('\n');
      const compiled = lines.filter((l) => l.startsWith('compiled '));
      expect(compiled.map((l) => l.split(' (')[0])).toEqual([
        'compiled wTilde [js] → js/w_tilde.js',
        'compiled wTilde [cuda] → cuda/w_tilde.js',
        'compiled wTildeDirect [js] → js/w_tilde_direct.js',
        'compiled wTildeDirect [cuda] → cuda/w_tilde_direct.js',
      ]);
      expect(lines.findIndex((l) => l.startsWith('wrote '))).toBeGreaterThan(lines.lastIndexOf(compiled[3]!));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
