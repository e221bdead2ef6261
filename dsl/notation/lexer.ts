// Tokens of the index notation and the lexer. Line breaks are tokens here so that they can separate
// statements; `tokenize` keeps only those that do (see GRAMMAR.md "Statements") and drops the rest.
import { createToken, Lexer, type IToken, type TokenType } from 'chevrotain';

export const Identifier = createToken({ name: 'Identifier', pattern: /[A-Za-z_][A-Za-z0-9_]*/, label: 'a name' });
// Keywords fall back to Identifier when longer ('cosine', 'sum2'), so they only reserve the exact words.
const keyword = (word: string, categories: TokenType[] = []): TokenType =>
  createToken({
    name: word[0]!.toUpperCase() + word.slice(1),
    pattern: new RegExp(word),
    longer_alt: Identifier,
    categories,
    label: `'${word}'`,
  });

export const UnaryFunc = createToken({
  name: 'UnaryFunc',
  pattern: Lexer.NA,
  label: 'a function (cos, sin, exp, log, sqrt, abs, floor)',
});
export const Sum = keyword('sum');
export const Max = keyword('max');
export const Min = keyword('min');
export const Where = keyword('where');
export const Pi = keyword('pi');
const unaryFuncs = ['cos', 'sin', 'exp', 'log', 'sqrt', 'abs', 'floor'].map((w) => keyword(w, [UnaryFunc]));

export const NumberLit = createToken({
  name: 'NumberLit',
  pattern: /(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/,
  label: 'a number',
});

/** Statement separators: ';' and the line breaks that tokenize() keeps. */
export const Sep = createToken({ name: 'Sep', pattern: Lexer.NA, label: "';' or a line break" });
export const Semicolon = createToken({ name: 'Semicolon', pattern: /;/, categories: [Sep], label: "';'" });
export const Newline = createToken({
  name: 'Newline',
  pattern: /\r\n|\r|\n/,
  line_breaks: true,
  categories: [Sep],
  label: 'a line break',
});
const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t]+/, group: Lexer.SKIPPED });

const op = (name: string, text: string, categories: TokenType[] = []): TokenType =>
  createToken({ name, pattern: text, categories, label: `'${text}'` });
export const CompareOp = createToken({ name: 'CompareOp', pattern: Lexer.NA, label: 'a comparison' });
export const AddOp = createToken({ name: 'AddOp', pattern: Lexer.NA, label: "'+' or '-'" });
export const MulOp = createToken({ name: 'MulOp', pattern: Lexer.NA, label: "'*', '/' or '%'" });
// Two-character operators come before their one-character prefixes.
const compareOps = [
  op('Le', '<=', [CompareOp]),
  op('Ge', '>=', [CompareOp]),
  op('EqEq', '==', [CompareOp]),
  op('Ne', '!=', [CompareOp]),
  op('Lt', '<', [CompareOp]),
  op('Gt', '>', [CompareOp]),
];
export const Assign = op('Assign', '=');
export const Plus = op('Plus', '+', [AddOp]);
export const Minus = op('Minus', '-', [AddOp]);
export const Star = op('Star', '*', [MulOp]);
export const Slash = op('Slash', '/', [MulOp]);
export const Percent = op('Percent', '%', [MulOp]);
export const Caret = op('Caret', '^');
export const LParen = op('LParen', '(');
export const RParen = op('RParen', ')');
export const LBracket = op('LBracket', '[');
export const RBracket = op('RBracket', ']');
export const Comma = op('Comma', ',');

export const allTokens: TokenType[] = [
  WhiteSpace,
  Newline,
  Semicolon,
  NumberLit,
  Sum,
  Max,
  Min,
  Where,
  Pi,
  ...unaryFuncs,
  Identifier,
  ...compareOps,
  Assign,
  Plus,
  Minus,
  Star,
  Slash,
  Percent,
  Caret,
  LParen,
  RParen,
  LBracket,
  RBracket,
  Comma,
  UnaryFunc,
  CompareOp,
  AddOp,
  MulOp,
  Sep,
];

/** Category tokens spelled out as their members, in the order error messages list expected tokens. */
const MEMBERS = new Map<TokenType, TokenType[]>([
  [CompareOp, compareOps],
  [AddOp, [Plus, Minus]],
  [MulOp, [Star, Slash, Percent]],
]);
const DISPLAY_ORDER: TokenType[] = [
  RParen,
  RBracket,
  Comma,
  LBracket,
  Assign,
  Caret,
  Star,
  Slash,
  Percent,
  Plus,
  Minus,
  ...[4, 0, 5, 1, 2, 3].map((i) => compareOps[i]!),
  NumberLit,
  Pi,
  Identifier,
  LParen,
  Sum,
  Max,
  Min,
  Where,
  UnaryFunc,
  Sep,
];
/** Labels of the given (possibly category) tokens, members expanded, deduplicated, in a fixed order. */
export function expectedLabels(types: Iterable<TokenType>): string[] {
  const set = new Set<TokenType>();
  for (const t of types) for (const m of MEMBERS.get(t) ?? [t]) set.add(m);
  const rank = (t: TokenType): number => {
    const i = DISPLAY_ORDER.indexOf(t);
    return i < 0 ? DISPLAY_ORDER.length : i;
  };
  return [...set].sort((a, b) => rank(a) - rank(b)).map((t) => t.LABEL ?? t.name);
}

const lexer = new Lexer(allTokens, { positionTracking: 'onlyOffset', ensureOptimizations: false });

export interface LexProblem {
  readonly offset: number;
  readonly message: string;
}

/**
 * Tokens of `text`, statement separators normalised: a line break separates statements only outside
 * brackets and when the next tokens start a statement (`name =` or `name[…] =`); repeated, leading
 * and trailing separators are dropped, so the parser sees `statement (Sep statement)*`.
 */
export function tokenize(text: string): { tokens: IToken[]; problem?: LexProblem } {
  const res = lexer.tokenize(text);
  if (res.errors.length > 0) {
    const e = res.errors[0]!;
    return { tokens: [], problem: { offset: e.offset, message: `unexpected character '${text.substr(e.offset, 1)}'` } };
  }
  const raw = res.tokens;
  const out: IToken[] = [];
  let depth = 0;
  raw.forEach((tok, i) => {
    const t = tok.tokenType;
    if (t === LParen || t === LBracket) depth++;
    else if ((t === RParen || t === RBracket) && depth > 0) depth--;
    if (t === Newline && (depth > 0 || !startsStatement(raw, i + 1))) return;
    if ((t === Newline || t === Semicolon) && (out.length === 0 || isSep(out[out.length - 1]!))) return;
    out.push(tok);
  });
  while (out.length > 0 && isSep(out[out.length - 1]!)) out.pop();
  return { tokens: out };
}

const isSep = (tok: IToken): boolean => tok.tokenType === Newline || tok.tokenType === Semicolon;

/** Whether raw[i…] reads `name =` or `name[ … ] =` (skipping line breaks inside the brackets). */
function startsStatement(raw: readonly IToken[], i: number): boolean {
  if (raw[i]?.tokenType !== Identifier) return false;
  let j = i + 1;
  if (raw[j]?.tokenType === LBracket) {
    let depth = 0;
    for (; j < raw.length; j++) {
      const t = raw[j]!.tokenType;
      if (t === LBracket) depth++;
      else if (t === RBracket && --depth === 0) break;
    }
    j++;
  }
  return raw[j]?.tokenType === Assign;
}
