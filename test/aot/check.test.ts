// Precision statements that are true: a WGSL manifest states a measured bound only for kernel content
// that was measured (a std kernel), never for a user kernel — even one named like a std kernel — and
// `lensc check` measures any kernel beside the f64 JS kernel on sample or user inputs.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { planKernel } from '../../compiler/compile.ts';
import { isKernel, type Kernel } from '../../dsl/index.ts';
import * as std from '../../std/index.ts';
import { chiSquared, wTilde as fakeWTilde } from './fixtures/chi2.ts';
import { GPU_KERNELS } from '../wgsl/kernels.ts';
import { skipWgsl } from '../wgsl-runtime/gpu-setup.ts';

const bound = (k: Kernel) => planKernel(k, 'wgsl').manifest.precision.errorBound ?? '';

describe('WGSL precision statements', () => {
  it('a user kernel states no bound, and says how to measure one', () => {
    expect(bound(chiSquared)).toMatch(/^unmeasured for this kernel's content/);
    expect(bound(chiSquared)).toContain('lensc check FILE.ts --kernel chiSquared --target wgsl');
    expect(bound(chiSquared)).not.toMatch(/≤|measured \d/);
  });
  it("a user kernel named wTilde does not inherit the std kernel's measured bound", () => {
    expect(bound(std.wTilde)).toMatch(/worst measured 2\.3e-7/);
    expect(bound(fakeWTilde)).toMatch(/^unmeasured/);
  });
  it("every std GPU kernel's current content was measured (else re-run test/wgsl/conformance and update backends/wgsl/precision.ts)", () => {
    const all = Object.values(std).filter(isKernel) as Kernel[];
    for (const { name } of GPU_KERNELS)
      expect(bound(all.find((k) => k.name === name)!), name).toMatch(/worst measured/);
  });
});

describe.skipIf(skipWgsl)('lensc check', () => {
  it("measures the χ² kernel on WGSL on the user's inputs: the f32 error a contract would have hidden", () => {
    const N = 3000;
    let a = 12345;
    const rand = () => (a = (a * 1103515245 + 12345) % 2147483648) / 2147483648;
    const data = Array.from({ length: N }, () => 1e6 * (1 + rand()));
    const model = data.map((d) => d + 0.3 * (2 * rand() - 1));
    const inputs = path.join(mkdtempSync(path.join(tmpdir(), 'lensc-check-')), 'inputs.json');
    writeFileSync(inputs, JSON.stringify({ data, model, sigma: Array(N).fill(0.1) }));
    const out = execFileSync(
      'node',
      [
        'bin/lensc.js',
        'check',
        'test/aot/fixtures/chi2.ts',
        '--kernel',
        'chiSquared',
        '--target',
        'wgsl',
        '--inputs',
        inputs,
      ],
      { encoding: 'utf8' },
    );
    expect(out).toMatch(/^lensc check chiSquared on wgsl against the f64 JS kernel, the inputs in .*inputs\.json:$/m);
    const m = /result \(1 elements\): relative Frobenius error ([-0-9.e+]+)/.exec(out);
    expect(m, out).not.toBeNull();
    // residuals of 0.3 on values of 10⁶: f32 keeps them to ~0.06, so the sum of squares is percent-level off
    expect(Number(m![1])).toBeGreaterThan(1e-3);
  });
  it('sample inputs at given sizes when the user gives none', () => {
    const out = execFileSync(
      'node',
      [
        'bin/lensc.js',
        'check',
        'std/w_tilde.ts',
        '--kernel',
        'wTildeDirect',
        '--target',
        'wgsl',
        '--sizes',
        'M=20,K=300',
      ],
      { encoding: 'utf8' },
    );
    expect(out).toMatch(/sample inputs \(uniform in \[−1, 1\), i32 in \[0, 3\); (?=.*M = 20)(?=.*K = 300).*seed 1\)/);
    const m = /result \(400 elements\): relative Frobenius error ([-0-9.e+]+)/.exec(out);
    expect(Number(m![1])).toBeLessThan(1e-4);
  });
});
