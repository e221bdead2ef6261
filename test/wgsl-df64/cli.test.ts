// Choosing df64 from the command line: `lensc build --wgsl-precision df64` and `lensc explain
// --wgsl-precision df64`, a kernel's own `precision`, the errors for a wrong value, and `lensc check` in df64.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { f64, kernel, mul, sum } from '../../dsl/index.ts';
import { planKernel, renderKernel } from '../../compiler/compile.ts';
import type { UnaryFn } from '../../compiler/ir/graph.ts';
import { UNARY_F64 } from '../../backends/common/math.js';
import { df64Dialect } from '../../backends/wgsl/df64/dialect.ts';
import { DF64_FUNCTIONS } from '../../backends/wgsl/df64/library.ts';
import { skipWgsl } from '../wgsl-runtime/gpu-setup.ts';

const lensc = (...args: string[]) =>
  execFileSync('node', ['bin/lensc.js', ...args], { encoding: 'utf8', stdio: 'pipe' });

describe('df64 from the CLI and the kernel declaration', () => {
  it('build --wgsl-precision df64 writes df64 WGSL modules (manifest and shaders say so)', () => {
    mkdirSync(path.join('test', '.generated'), { recursive: true });
    const dir = mkdtempSync(path.join('test', '.generated', 'cli-df64-'));
    try {
      lensc('build', 'std/w_tilde.ts', '--target', 'wgsl', '--wgsl-precision', 'df64', '--sources', '--out', dir);
      const m = JSON.parse(readFileSync(path.join(dir, 'wgsl', 'w_tilde.manifest.json'), 'utf8'));
      expect(m.precision.arithmetic).toBe('df64');
      expect(m.precision.storage).toMatch(/^df64/);
      const shader = readFileSync(path.join(dir, 'wgsl', 'w_tilde_s0.wgsl'), 'utf8');
      expect(shader).toMatch(/array<vec2<f32>>/);
      expect(shader).toMatch(/fn df_cos\(/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('explain --wgsl-precision df64 shows the df64 plan (f64 bytes, matmuls as df64 map-reductions)', () => {
    const out = lensc(
      'explain',
      'std/w_tilde.ts',
      '--kernel',
      'wTilde',
      '--target',
      'wgsl',
      '--wgsl-precision',
      'df64',
      '--loop-ir',
    );
    expect(out).toMatch(/precision df64/);
    expect(out).toMatch(/df64 map-reductions/);
  });

  it('a wrong precision is an error naming the flag or the parameter', () => {
    expect(() =>
      lensc('build', 'std/w_tilde.ts', '--target', 'wgsl', '--wgsl-precision', 'f16', '--out', 'test/.generated/nope'),
    ).toThrow(/--wgsl-precision: expected one of f32, df64, got 'f16'/);
    expect(() =>
      kernel({ name: 'bad', params: { x: f64(['N']) }, body: ({ x }) => sum(x, 0), precision: 'double' as never }),
    ).toThrow(/precision must be one of 'f32', 'df64', got "double"/);
  });

  it("a kernel's own precision: 'df64' keeps f64 through the WGSL pipeline; the default demotes to f32", () => {
    const mk = (precision?: 'df64') =>
      kernel({
        name: 'total',
        params: { x: f64(['N']) },
        body: ({ x }) => sum(x, 0),
        ...(precision ? { precision } : {}),
      });
    expect(planKernel(mk('df64'), 'wgsl').program.buffers.map((b) => b.dtype)).toEqual(['f64', 'f64']);
    expect(planKernel(mk(), 'wgsl').program.buffers.map((b) => b.dtype)).toEqual(['f32', 'f32']);
  });

  it('every unary function of the DSL has a df64 version; one without would be a compile error naming it', () => {
    const d = df64Dialect();
    for (const fn of Object.keys(UNARY_F64).filter((f) => f !== 'not') as UnaryFn[]) {
      const call = d.unary(fn, 'a', 'f64');
      const name = /^\(?(df_\w+)\(/.exec(call)?.[1];
      expect(DF64_FUNCTIONS, `${fn} → ${call}`).toContain(name);
    }
    expect(() => d.unary('gamma' as UnaryFn, 'a', 'f64')).toThrow(
      /the function 'gamma' on f64 values is not available in df64 precision on the WGSL target yet/,
    );
  });

  it("a finite constant beyond df64's range (f32's exponents) is a compile error, not a silent ±∞", () => {
    const d = df64Dialect();
    expect(() => d.literal(1e39, 'f64')).toThrow(/constant: 1e\+39 is beyond df64's range/);
    expect(() => d.literal(-1e300, 'f64')).toThrow(/constant: -1e\+300 is beyond df64's range/);
    // ±∞ written as such, NaN and the largest f32 stay constants
    for (const v of [Infinity, -Infinity, NaN, 3.4028234663852886e38]) expect(() => d.literal(v, 'f64')).not.toThrow();
    const scaled = (c: number) =>
      kernel({ name: 'scaled', params: { x: f64(['N']) }, body: ({ x }) => sum(mul(x, c), 0), precision: 'df64' });
    expect(() => renderKernel(planKernel(scaled(1e39), 'wgsl'), 'wgsl')).toThrow(/1e\+39 is beyond df64's range/);
    expect(() => renderKernel(planKernel(scaled(1e30), 'wgsl'), 'wgsl')).not.toThrow();
  });
});

describe.skipIf(skipWgsl)('lensc check --wgsl-precision df64', () => {
  it("measures the user's χ² in df64 within 1e-12 (data and model held exactly) and says which TwoProduct ran", () => {
    const N = 3000;
    let a = 12345;
    const rand = () => (a = (a * 1103515245 + 12345) % 2147483648) / 2147483648;
    const data = Array.from({ length: N }, () => 1e6 * (1 + rand()));
    const model = data.map((d) => d + 0.3 * (2 * rand() - 1));
    const dir = mkdtempSync(path.join(tmpdir(), 'lensc-check-df64-'));
    const inputs = path.join(dir, 'inputs.json');
    writeFileSync(inputs, JSON.stringify({ data, model, sigma: Array(N).fill(0.1) }));
    try {
      const check = (env: Record<string, string> = {}) =>
        execFileSync(
          'node',
          [
            'bin/lensc.js',
            'check',
            'test/aot/fixtures/chi2.ts',
            '--kernel',
            'chiSquared',
            '--target',
            'wgsl',
            '--wgsl-precision',
            'df64',
            '--inputs',
            inputs,
          ],
          { encoding: 'utf8', env: { ...process.env, ...env } },
        );
      const out = check();
      const m = /result \(1 elements\): relative Frobenius error ([-0-9.e+]+)/.exec(out);
      expect(m, out).not.toBeNull();
      expect(Number(m![1])).toBeLessThanOrEqual(1e-12);
      // llvmpipe (CI) has no fused fma; a device with one would say so
      expect(out).toMatch(
        /^ {2}df64 on .+: TwoProduct by (Dekker's splitting \(this device has no fused fma\)|fma \(this device's fma is fused\))$/m,
      );
      expect(check({ LENSC_WGSL_DF64_TWO_PRODUCT: 'dekker' })).toMatch(
        /TwoProduct by Dekker's splitting \(forced by LENSC_WGSL_DF64_TWO_PRODUCT\)/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
