// Where a formula's text sits in the user's file, so nodes and errors point at the user's own
// line:col rather than at an offset in a string. We re-read the calling file and find the string
// literal that starts at or after the formula(...) call and whose value is the formula text (else
// the first such literal anywhere in the file, for `const W = \`…\`; formula(W, env)`).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { SourceLoc } from '../../compiler/ir/source.ts';

/** Maps an offset into the formula text (0 … text.length) to a position in the user's file. */
export type Locator = (offset: number) => SourceLoc;

interface FileText {
  readonly src: string;
  readonly lineStarts: readonly number[];
  readonly mtime: number;
}
const files = new Map<string, FileText | null>();

export function locateFormula(text: string, call: SourceLoc | undefined): Locator {
  const textLines = lineStarts(text);
  const inText = (offset: number): { line: number; col: number } => lineCol(textLines, offset);
  if (!call) return (offset) => ({ file: '<formula>', ...inText(offset) });
  const file = readFile(call.file);
  const lineStart = file?.lineStarts[call.line - 1];
  const from = lineStart !== undefined ? lineStart + call.col - 1 : undefined;
  // Usually the literal is the call's argument; failing that, a constant defined elsewhere in the file.
  const map =
    file && from !== undefined ? (findLiteral(file.src, from, text) ?? findLiteral(file.src, 0, text)) : undefined;
  if (file && map)
    return (offset) => ({
      file: call.file,
      ...lineCol(file.lineStarts, map[Math.max(0, Math.min(offset, text.length))]!),
    });
  // Text built at run time (or an unreadable file): the call's position, shifted by the position inside the text.
  return (offset) => {
    const p = inText(offset);
    return { file: call.file, line: call.line + p.line - 1, col: p.line === 1 ? call.col + p.col - 1 : p.col };
  };
}

function readFile(file: string): FileText | null {
  const abs = path.resolve(process.cwd(), file);
  let mtime: number;
  try {
    mtime = fs.statSync(abs).mtimeMs;
  } catch {
    return null;
  }
  const cached = files.get(abs);
  if (cached && cached.mtime === mtime) return cached;
  let res: FileText | null = null;
  try {
    const src = fs.readFileSync(abs, 'utf8');
    res = { src, lineStarts: lineStarts(src), mtime };
  } catch {
    /* unreadable: fall back to the call position */
  }
  files.set(abs, res);
  return res;
}

function lineStarts(s: string): number[] {
  const out = [0];
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\n' || (c === '\r' && s[i + 1] !== '\n')) out.push(i + 1);
  }
  return out;
}

/** 1-based line and column (UTF-16 units, as V8 reports them) of an offset. */
function lineCol(starts: readonly number[], offset: number): { line: number; col: number } {
  let lo = 0,
    hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, col: offset - starts[lo]! + 1 };
}

/** The first literal at or after `from` whose value is `text`: map[k] is the file offset of text[k] (map[text.length]: the closing quote). */
function findLiteral(src: string, from: number, text: string): number[] | undefined {
  for (let p = from; p < src.length; p++) {
    const c = src[p];
    if (c === '`' || c === "'" || c === '"') {
      const map = matchLiteral(src, p, text);
      if (map) return map;
    }
  }
  return undefined;
}

/** Reads the literal opening at src[p], comparing its cooked value with text as it goes (so a miss is cheap). */
function matchLiteral(src: string, p: number, text: string): number[] | undefined {
  const quote = src[p]!;
  const map: number[] = [];
  let k = 0;
  for (let i = p + 1; i < src.length;) {
    const c = src[i]!;
    if (c === quote) {
      if (k !== text.length) return undefined;
      map.push(i);
      return map;
    }
    if (quote === '`' && c === '$' && src[i + 1] === '{') return undefined; // substitutions: not a constant text
    if (quote !== '`' && (c === '\n' || c === '\r')) return undefined;
    let cooked: string, len: number;
    if (c === '\\') [cooked, len] = escape(src, i);
    else if (c === '\r')
      [cooked, len] = ['\n', src[i + 1] === '\n' ? 2 : 1]; // templates normalise line ends
    else [cooked, len] = [c, 1];
    for (const ch of cooked.split('')) {
      if (text[k] !== ch) return undefined;
      map[k++] = i;
    }
    i += len;
  }
  return undefined;
}

const SIMPLE: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', 0: '\0' };

/** The value and source length of the escape sequence at src[i] ('\\'). */
function escape(src: string, i: number): [string, number] {
  const n = src[i + 1] ?? '';
  if (n === '\r') return ['', src[i + 2] === '\n' ? 3 : 2]; // line continuation
  if (n === '\n' || n === '\u2028' || n === '\u2029') return ['', 2];
  if (n in SIMPLE) return [SIMPLE[n]!, 2];
  if (n === 'x') return [String.fromCharCode(parseInt(src.slice(i + 2, i + 4), 16)), 4];
  if (n === 'u') {
    if (src[i + 2] === '{') {
      const end = src.indexOf('}', i + 3);
      return [String.fromCodePoint(parseInt(src.slice(i + 3, end), 16)), end - i + 1];
    }
    return [String.fromCharCode(parseInt(src.slice(i + 2, i + 6), 16)), 6];
  }
  return [n, 2];
}
