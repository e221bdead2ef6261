// Source positions of DSL calls and the compile-time error type that carries them.
// Every IR node remembers where the user wrote it, so errors point at the user's file:line:col.
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';

export interface SourceLoc {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

export function formatLoc(loc: SourceLoc | undefined): string {
  return loc ? `${loc.file}:${loc.line}:${loc.col}` : '<unknown>';
}

// Frames inside lensc's own DSL and compiler are skipped: the position we want is the user's call.
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const INTERNAL = [path.join(ROOT, 'dsl') + path.sep, path.join(ROOT, 'compiler') + path.sep];

function frameLoc(line: string): SourceLoc | undefined {
  const m = /\(?((?:file:\/\/)?[^()\s]+?):(\d+):(\d+)\)?\s*$/.exec(line);
  if (!m) return undefined;
  let file = m[1]!;
  if (file.startsWith('file://')) file = fileURLToPath(file);
  return { file, line: Number(m[2]), col: Number(m[3]) };
}

/** The first stack frame outside lensc's dsl/ and compiler/ folders. */
export function captureLoc(): SourceLoc | undefined {
  const stack = new Error().stack ?? '';
  for (const line of stack.split('\n').slice(1)) {
    const loc = frameLoc(line.trim());
    if (!loc || loc.file.startsWith('node:') || !path.isAbsolute(loc.file)) continue;
    if (INTERNAL.some((p) => loc.file.startsWith(p)) || loc.file.includes(`${path.sep}node_modules${path.sep}`))
      continue;
    return { ...loc, file: path.relative(process.cwd(), loc.file) || loc.file };
  }
  return undefined;
}

/** A compile-time error in the user's program: names the operation and where it was written. */
export class LenscError extends Error {
  constructor(
    readonly op: string,
    readonly detail: string,
    readonly loc?: SourceLoc,
  ) {
    super(`${formatLoc(loc)}: ${op}: ${detail}`);
    this.name = 'LenscError';
  }
}
