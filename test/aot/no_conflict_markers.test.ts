// No tracked file holds a merge's conflict markers (several people merge into main every day).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';

it('no tracked text file contains git conflict markers', () => {
  const files = execFileSync('git', ['ls-files'], { encoding: 'utf8' })
    .split('\n')
    .filter((f) => /\.(ts|js|mjs|json|md|py|sh|wgsl|cu|txt|yml|yaml)$/.test(f));
  const bad: string[] = [];
  for (const f of files) {
    let text: string;
    try {
      text = readFileSync(f, 'utf8');
    } catch {
      continue;
    }
    text.split('\n').forEach((line, i) => {
      if (/^(<<<<<<< |>>>>>>> |=======$)/.test(line)) bad.push(`${f}:${i + 1}: ${line.slice(0, 40)}`);
    });
  }
  expect(bad).toEqual([]);
});
