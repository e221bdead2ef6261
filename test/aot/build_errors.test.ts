// `lensc build` reports every kernel that fails to compile at once (with each one's message and the
// user's file:line:col), not only the first, and writes nothing then.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BuildError, generate } from '../../compiler/aot/build.ts';

const MODULE = 'test/aot/fixtures/two_broken.ts';

describe('lensc build with failing kernels', () => {
  it('generate() throws one BuildError naming every failing kernel × target', async () => {
    const e = await generate(MODULE, ['js', 'cuda']).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(BuildError);
    const failures = (e as BuildError).failures.map((f) => `${f.kernel} ${f.target}`);
    expect(failures).toEqual(['badAdd js', 'badAdd cuda', 'badMatmul js', 'badMatmul cuda']);
    expect((e as BuildError).message).toMatch(
      /^lensc build: 2 kernels failed to compile \(4 kernel × targets\); nothing was written:/,
    );
    expect((e as BuildError).message).toMatch(
      /badAdd \[js\]: test\/aot\/fixtures\/two_broken\.ts:6:\d+: add: shape mismatch/,
    );
    expect((e as BuildError).message).toMatch(/badMatmul \[cuda\]: test\/aot\/fixtures\/two_broken\.ts:7:\d+: matmul/);
  });
  it('the command exits 1 with all of them and writes nothing', () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'lensc-build-errors-')), 'out');
    let stderr = '';
    let code = 0;
    try {
      execFileSync('node', ['bin/lensc.js', 'build', MODULE, '--target', 'js', '--out', out], {
        encoding: 'utf8',
        stdio: 'pipe',
      });
    } catch (e) {
      code = (e as { status: number }).status;
      stderr = (e as { stderr: string }).stderr;
    }
    expect(code).toBe(1);
    expect(stderr).toMatch(/badAdd \[js\]/);
    expect(stderr).toMatch(/badMatmul \[js\]/);
    expect(existsSync(out)).toBe(false);
  });
});
