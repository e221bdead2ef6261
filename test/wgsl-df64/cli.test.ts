// Choosing df64 from the command line: `lensc build --wgsl-precision df64` and `lensc explain
// --wgsl-precision df64`, a kernel's own `precision`, and the errors for a wrong value.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { erf, f64, kernel, sum } from '../../dsl/index.ts';
import { planKernel, renderKernel } from '../../compiler/compile.ts';

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

  it('an f64 function df64 lacks (erf) is a compile error naming it, never an f32 evaluation', () => {
    const k = kernel({ name: 'gauss', params: { x: f64(['N']) }, body: ({ x }) => erf(x), precision: 'df64' });
    expect(() => renderKernel(planKernel(k, 'wgsl'), 'wgsl')).toThrow(
      /the function 'erf' on f64 values is not available in df64 precision on the WGSL target yet/,
    );
  });
});
