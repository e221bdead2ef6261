// The lensc command as a user runs it.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../../compiler/aot/cli.ts';

const lensc = (...args: string[]) => execFileSync('node', ['bin/lensc.js', ...args], { encoding: 'utf8' });

describe('lensc CLI', () => {
  it('prints help', () => {
    expect(lensc('--help')).toMatch(/lensc build MODULE\.ts/);
  });
  it('explain --ir --no-rewrites prints the literal graph IR with source positions', () => {
    const out = lensc('explain', 'std/w_tilde.ts', '--kernel', 'wTildeDirect', '--ir', '--no-rewrites');
    expect(out).toMatch(/kernel wTildeDirect\(noiseReal: f64\(K\), uv: f64\(K, 2\), grid: f64\(M, 2\)\)/);
    expect(out).toMatch(/reduce sum axes=\[2\] .* : f64\(M, M\)\s+@ std\/w_tilde\.ts:\d+:\d+/);
  });
  it('explain says what the separable rewrite did; --rewrites none and all switch it', async () => {
    const on = lensc('explain', 'std/w_tilde.ts', '--kernel', 'wTildeDirect', '--rewrites', 'all');
    expect(on).toMatch(/separable: the sum over K at std\/w_tilde\.ts:\d+:\d+ became 2 symmetric contraction/);
    expect(on).toMatch(/syrk {5}out_result\(M, M\) \+= t0_t1·t0_t1ᵀ  \(m=M, n=M, k=2\*K_chunk\)/);
    expect(on).toContain('one syrk over the panel t0_t1 = [t0 t1]');
    const off = lensc('explain', 'std/w_tilde.ts', '--kernel', 'wTildeDirect', '--rewrites', 'none');
    expect(off).toContain('separable: switched off for this kernel');
    expect(off).toMatch(/map {6}out_result\(M, M\) = sum over K/);
    // in-process: the flag is checked before anything is compiled
    await expect(main(['explain', 'std/w_tilde.ts', '--rewrites', 'bogus'])).rejects.toThrow(
      /--rewrites: unknown rewrite 'bogus'/,
    );
  }, 300_000);
  it('explain --after-each --code prints every step from the traced graph to the generated module', () => {
    const out = lensc('explain', 'std/w_tilde.ts', '--kernel', 'wTilde', '--after-each', '--code', '--target', 'wgsl');
    const steps = [...out.matchAll(/^--- (?:after )?(\S+) ---$/gm)].map((m) => m[1]);
    expect(steps).toEqual([
      'traced',
      'typecheck',
      'simplify',
      'scan-to-reduce',
      'simplify',
      'offset-table',
      'factor-separable',
      'simplify',
      'cse',
      'neg-into-sum',
      'typecheck',
      'to-f32',
      'lower',
      'hoist-invariants',
      'merge-siblings',
      'merge-sibling-reductions',
      'plan-memory',
      'owner-scatters',
      'privatise-scatters',
      'reduce-phases',
      'w_tilde.js',
      'w_tilde.d.ts',
      'w_tilde_s0.wgsl',
    ]);
    expect(out).toMatch(/chunk_K: chunk K in pieces of K_chunk, offset off_K \{/);
    expect(out).toMatch(/@compute @workgroup_size/);
  });
  it('explain --loop-ir prints the planned loop IR', () => {
    const out = lensc('explain', 'std/w_tilde.ts', '--kernel', 'wTildeDirect', '--loop-ir', '--no-rewrites');
    expect(out).toMatch(/^loop program wTildeDirect\(noiseReal, uv, grid\)$/m);
    expect(out).toMatch(/map parallel \(i0 < M, i1 < M\) sum over \(i2 < K\)/);
  });
  it('explain --sizes --budget evaluates the plan', () => {
    const out = lensc(
      'explain',
      'std/w_tilde.ts',
      '--kernel',
      'wTilde',
      '--sizes',
      'M=812,K=8192',
      '--budget',
      '64MiB',
    );
    expect(out).toMatch(/K is chunked in pieces of \d+/);
    expect(out).toMatch(/peak intermediates: /);
  });
  it('build writes a module and a .d.ts per kernel; --sources also the copies for reading', async () => {
    // its own folder: this file must pass alone on a fresh checkout, whatever other tests created
    mkdirSync(path.join('test', '.generated'), { recursive: true });
    const dir = mkdtempSync(path.join('test', '.generated', 'cli-'));
    try {
      lensc('build', 'std/w_tilde.ts', '--target', 'js', '--out', dir);
      expect(readdirSync(path.join(dir, 'js')).sort()).toEqual([
        'w_tilde.d.ts',
        'w_tilde.js',
        'w_tilde_direct.d.ts',
        'w_tilde_direct.js',
      ]);
      // --sources adds the copies for reading: the manifest, and the device code the module embeds
      lensc('build', 'std/w_tilde.ts', '--target', 'cuda', '--out', dir, '--sources');
      expect(readdirSync(path.join(dir, 'cuda')).sort()).toEqual([
        'w_tilde.cu',
        'w_tilde.d.ts',
        'w_tilde.js',
        'w_tilde.manifest.json',
        'w_tilde_direct.cu',
        'w_tilde_direct.d.ts',
        'w_tilde_direct.js',
        'w_tilde_direct.manifest.json',
      ]);
      // ... which are copies: the module embeds the same manifest and the same device code
      const mod = (await import(pathToFileURL(path.join(dir, 'cuda', 'w_tilde.js')).href)) as { manifest: unknown };
      expect(mod.manifest).toEqual(JSON.parse(readFileSync(path.join(dir, 'cuda', 'w_tilde.manifest.json'), 'utf8')));
      const js = readFileSync(path.join(dir, 'cuda', 'w_tilde.js'), 'utf8');
      const kernelsInCu = readFileSync(path.join(dir, 'cuda', 'w_tilde.cu'), 'utf8')
        .split('\n')
        .filter((l) => l.startsWith('extern "C" __global__'));
      expect(kernelsInCu.length).toBeGreaterThan(0);
      for (const l of kernelsInCu) expect(js).toContain(l);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('fails with a clear message for an unknown kernel', () => {
    expect(() =>
      execFileSync('node', ['bin/lensc.js', 'explain', 'std/w_tilde.ts', '--kernel', 'nope'], {
        encoding: 'utf8',
        stdio: 'pipe',
      }),
    ).toThrow(/no kernel 'nope'.*found: wTilde, wTildeDirect/s);
  });
});
