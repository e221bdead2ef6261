// kernels/ is committed: it must be exactly what `npm run kernels` generates from std/ today — every
// generated file present and equal, and no file the build no longer writes.
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { generate } from '../../compiler/aot/build.ts';
import { TARGETS } from '../../compiler/aot/cli.ts';

describe('committed kernels', () => {
  it('are up to date with std/ (run `npm run kernels` if this fails)', async () => {
    const files = await generate('std/index.ts', TARGETS);
    expect(files.size).toBeGreaterThan(0);
    const stale: string[] = [];
    for (const [rel, text] of files) {
      const p = path.join('kernels', rel);
      if (!existsSync(p) || readFileSync(p, 'utf8') !== text) stale.push(p);
    }
    expect(stale).toEqual([]);
    const leftover = TARGETS.flatMap((t) => readdirSync(path.join('kernels', t)).map((f) => path.join(t, f))).filter(
      (rel) => !files.has(rel),
    );
    expect(leftover, 'files in kernels/ that npm run kernels no longer writes').toEqual([]);
  });
});
