// The target registry (compiler/targets.ts): every record's runtime packages are what its committed
// generated modules import and are exports of package.json; `lensc explain` evaluates a plan with the
// target's own capability record, not the JS one.
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { explainKernel } from '../../compiler/aot/explain.ts';
import { TARGET_RECORDS, TARGETS } from '../../compiler/targets.ts';
import { wTilde } from '../../std/w_tilde.ts';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { exports: Record<string, string> };

describe('target registry', () => {
  it('lists each target once', () => {
    expect(new Set(TARGETS).size).toBe(TARGET_RECORDS.length);
    expect(TARGETS).toEqual(['js', 'wgsl', 'cuda']);
  });

  it.each(TARGET_RECORDS.map((t) => [t.name, t] as const))(
    "%s: generated modules import only the record's runtime packages",
    (name, t) => {
      for (const r of t.runtime) expect(pkg.exports, r).toHaveProperty(r.replace(/^lensc/, '.'));
      const files = readdirSync(path.join('kernels', name)).filter((f) => f.endsWith('.js'));
      expect(files.length).toBeGreaterThan(0);
      const used = new Set<string>();
      for (const f of files) {
        const code = readFileSync(path.join('kernels', name, f), 'utf8');
        for (const m of code.matchAll(/^import .* from '([^']+)';$/gm)) {
          // a routed kernel's module imports its routes' modules, which are beside it in the same folder
          if (m[1]!.startsWith('./')) expect(files, `${f} imports ${m[1]}`).toContain(m[1]!.slice(2));
          else used.add(m[1]!);
        }
      }
      expect([...used].sort()).toEqual([...t.runtime].sort());
    },
  );
});

describe("explain uses the target's capability record", () => {
  const sizes = { M: 812, K: 8192 };
  it('wgsl: the budget a device with default limits gets, and its buffer limit', () => {
    const out = explainKernel(wTilde, { target: 'wgsl', sizes });
    expect(out).toMatch(/and a budget of 1\.00 GiB \(a device with WebGPU's default limits/);
    // t0 and t1 are f32 (M, K_chunk): with one buffer at most 128 MiB, K fits in one chunk here
    expect(out).toMatch(/K is chunked in pieces of 8192 \(1 chunks\)/);
  });
  it("cuda: the default budget is the device's, so --sizes without --budget says what to give", () => {
    expect(() => explainKernel(wTilde, { target: 'cuda', sizes })).toThrow(
      /give --budget \(default budget: free device memory/,
    );
    expect(explainKernel(wTilde, { target: 'cuda', sizes, budgetBytes: 8 * 2 ** 20 })).toMatch(
      /K is chunked in pieces of \d+ \(\d+ chunks\)/,
    );
  });
});
