// Where a token of a formula literal sits in a test file, found by plain text search (independent of
// dsl/notation/locate.ts), so location tests state the user's line:col without hard-coding numbers.
import { readFileSync } from 'node:fs';
import type { SourceLoc } from '../../compiler/ir/source.ts';

/**
 * The file:line:col of the `nth` occurrence of `token` inside the template literal `\`${literal}\`` in
 * `file` (relative to the working directory, as captureLoc reports it); the first such literal counts.
 */
export function positionOf(file: string, literal: string, token: string, nth = 0): SourceLoc {
  const src = readFileSync(file, 'utf8');
  const quoted = '`' + literal + '`';
  const at = src.indexOf(quoted);
  if (at < 0) throw new Error(`literal ${quoted} is not in ${file}`);
  let k = -1;
  for (let n = 0; n <= nth; n++) {
    k = literal.indexOf(token, k + 1);
    if (k < 0) throw new Error(`token '${token}' #${nth} not in ${quoted}`);
  }
  const off = at + 1 + k;
  const before = src.slice(0, off);
  const line = before.split('\n').length;
  return { file, line, col: off - before.lastIndexOf('\n') };
}

/** The 1-based line of the only line of `file` that ends with `marker` (a comment such as "// @here"). */
export function lineOf(file: string, marker: string): number {
  const lines = readFileSync(file, 'utf8').split('\n');
  const hits = lines.flatMap((l, i) => (l.trimEnd().endsWith(marker) ? [i + 1] : []));
  if (hits.length !== 1) throw new Error(`marker ${marker} must occur once in ${file}, found ${hits.length}`);
  return hits[0]!;
}
