// The index-notation parser (chevrotain, embedded actions): tokens → syntax tree (ast.ts).
// Grammar and precedence are documented in GRAMMAR.md; keep the two in step.
import { EmbeddedActionsParser, EOF, tokenMatcher, type IToken, type TokenType } from 'chevrotain';
import type { BinaryOp, CallFn, Expr, Ident, Statement } from './ast.ts';
import {
  AddOp,
  allTokens,
  Assign,
  Caret,
  Comma,
  CompareOp,
  Identifier,
  LBracket,
  LParen,
  Max,
  Min,
  Minus,
  MulOp,
  Newline,
  NumberLit,
  Pi,
  RBracket,
  RParen,
  Sep,
  Sum,
  tokenize,
  UnaryFunc,
  Where,
  expectedLabels,
} from './lexer.ts';

const ident = (t: IToken): Ident => ({ name: t.image, pos: t.startOffset });
const binary = (t: IToken, lhs: Expr, rhs: Expr): Expr => ({
  kind: 'binary',
  op: t.image as BinaryOp,
  lhs,
  rhs,
  pos: t.startOffset,
  start: lhs?.start,
});

/** Tokens that can begin an operand: after `max(k)` one of these means a reduction body follows. */
const OPERAND_START: ReadonlySet<TokenType> = new Set([NumberLit, Pi, Identifier, LParen, Sum, Max, Min, Where]);

class NotationParser extends EmbeddedActionsParser {
  constructor() {
    super(allTokens, { maxLookahead: 2 });
    this.performSelfAnalysis();
  }

  formula = this.RULE('formula', (): Statement[] => {
    const out = [this.SUBRULE(this.statement)];
    this.MANY(() => {
      this.CONSUME(Sep);
      out.push(this.SUBRULE2(this.statement));
    });
    return out;
  });

  statement = this.RULE('statement', (): Statement => {
    const target = ident(this.CONSUME(Identifier));
    const indices: Ident[] = [];
    this.OPTION(() => {
      this.CONSUME(LBracket);
      this.AT_LEAST_ONE_SEP({
        SEP: Comma,
        DEF: () => {
          indices.push(ident(this.CONSUME2(Identifier)));
        },
      });
      this.CONSUME(RBracket);
    });
    this.CONSUME(Assign);
    return { target, indices, rhs: this.SUBRULE(this.expression) };
  });

  // Comparisons do not chain: `a < b < c` is a syntax error.
  expression = this.RULE('expression', (): Expr => {
    let res = this.SUBRULE(this.additive);
    this.OPTION(() => {
      const t = this.CONSUME(CompareOp);
      res = binary(t, res, this.SUBRULE2(this.additive));
    });
    return res;
  });

  additive = this.RULE('additive', (): Expr => {
    let res = this.SUBRULE(this.multiplicative);
    this.MANY(() => {
      const t = this.CONSUME(AddOp);
      res = binary(t, res, this.SUBRULE2(this.multiplicative));
    });
    return res;
  });

  multiplicative = this.RULE('multiplicative', (): Expr => {
    let res = this.SUBRULE(this.unary);
    this.MANY(() => {
      const t = this.CONSUME(MulOp);
      res = binary(t, res, this.SUBRULE2(this.unary));
    });
    return res;
  });

  // Unary minus binds looser than '^' (-x^2 = -(x^2)) and tighter than '*'.
  unary = this.RULE('unary', (): Expr =>
    this.OR([
      {
        ALT: () => {
          const t = this.CONSUME(Minus);
          const arg = this.SUBRULE(this.unary);
          return { kind: 'neg', arg, pos: t.startOffset, start: t.startOffset } as Expr;
        },
      },
      { ALT: () => this.SUBRULE(this.power) },
    ]),
  );

  // Right-associative: the exponent is a unary, which may itself contain '^' (2^3^2 = 2^(3^2)) or a minus (2^-1).
  power = this.RULE('power', (): Expr => {
    let res = this.SUBRULE(this.primary);
    this.OPTION(() => {
      const t = this.CONSUME(Caret);
      res = binary(t, res, this.SUBRULE(this.unary));
    });
    return res;
  });

  primary = this.RULE('primary', (): Expr =>
    this.OR([
      {
        ALT: () => {
          const t = this.CONSUME(NumberLit);
          return { kind: 'num', value: Number(t.image), pos: t.startOffset, start: t.startOffset } as Expr;
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(Pi);
          return { kind: 'num', value: Math.PI, pos: t.startOffset, start: t.startOffset } as Expr;
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(LParen);
          const e = this.SUBRULE(this.expression);
          this.CONSUME(RParen);
          return this.ACTION(() => ({ ...e, start: t.startOffset }));
        },
      },
      { ALT: () => this.SUBRULE(this.sumReduction) },
      { ALT: () => this.SUBRULE(this.maxForm) },
      {
        ALT: () => {
          const t = this.OR2([
            { ALT: () => this.CONSUME(UnaryFunc) },
            { ALT: () => this.CONSUME(Min) },
            { ALT: () => this.CONSUME(Where) },
          ]);
          const args = this.SUBRULE(this.argList);
          return { kind: 'call', fn: t.image as CallFn, args, pos: t.startOffset, start: t.startOffset } as Expr;
        },
      },
      {
        ALT: () => {
          const t = this.CONSUME(Identifier);
          let res: Expr = { kind: 'name', name: t.image, pos: t.startOffset, start: t.startOffset };
          this.OPTION(() =>
            this.OR3([
              {
                ALT: () => {
                  this.CONSUME(LBracket);
                  const subs: Expr[] = [];
                  this.AT_LEAST_ONE_SEP({
                    SEP: Comma,
                    DEF: () => {
                      subs.push(this.SUBRULE2(this.expression));
                    },
                  });
                  this.CONSUME(RBracket);
                  res = { kind: 'access', name: t.image, subs, pos: t.startOffset, start: t.startOffset };
                },
              },
              // name(args): a function that is not a keyword (tan, atan2, erf, …); resolve.ts checks it exists.
              {
                ALT: () => {
                  const args = this.SUBRULE2(this.argList);
                  res = { kind: 'call', fn: t.image, args, pos: t.startOffset, start: t.startOffset };
                },
              },
            ]),
          );
          return res;
        },
      },
    ]),
  );

  argList = this.RULE('argList', (): Expr[] => {
    const args: Expr[] = [];
    this.CONSUME(LParen);
    this.AT_LEAST_ONE_SEP({
      SEP: Comma,
      DEF: () => {
        args.push(this.SUBRULE(this.expression));
      },
    });
    this.CONSUME(RParen);
    return args;
  });

  // sum(k, l) body: the body extends as far right as possible, like a big Σ.
  sumReduction = this.RULE('sumReduction', (): Expr => {
    const t = this.CONSUME(Sum);
    const indices: Ident[] = [];
    this.CONSUME(LParen);
    this.AT_LEAST_ONE_SEP({
      SEP: Comma,
      DEF: () => {
        indices.push(ident(this.CONSUME(Identifier)));
      },
    });
    this.CONSUME(RParen);
    const body = this.SUBRULE(this.expression);
    return { kind: 'reduce', fn: 'sum', indices, body, pos: t.startOffset, start: t.startOffset };
  });

  // `max(a, b)` is the elementwise function; `max(k) body` the reduction. It is a reduction when every
  // argument is a bare name and an operand follows the ')' (or a '-' after a single argument, since the
  // function needs two).
  maxForm = this.RULE('maxForm', (): Expr => {
    const t = this.CONSUME(Max);
    const args = this.SUBRULE(this.argList);
    let res: Expr = { kind: 'call', fn: 'max', args, pos: t.startOffset, start: t.startOffset };
    this.OPTION({
      GATE: () =>
        args.every((a) => a.kind === 'name') &&
        (OPERAND_START.has(this.LA(1).tokenType) ||
          tokenMatcher(this.LA(1), UnaryFunc) ||
          (args.length === 1 && this.LA(1).tokenType === Minus)),
      DEF: () => {
        const body = this.SUBRULE(this.expression);
        const indices = this.ACTION(() => args.map((a) => ({ name: (a as { name: string }).name, pos: a.pos })));
        res = { kind: 'reduce', fn: 'max', indices, body, pos: t.startOffset, start: t.startOffset };
      },
    });
    return res;
  });
}

const parser = new NotationParser();

export type ParseResult =
  | { readonly ok: true; readonly statements: Statement[] }
  | { readonly ok: false; readonly offset: number; readonly message: string };

/** Parses formula text; syntax errors come back as an offset into the text and a message. */
export function parse(text: string): ParseResult {
  const { tokens, problem } = tokenize(text);
  if (problem) return { ok: false, ...problem };
  if (tokens.length === 0)
    return { ok: false, offset: 0, message: 'empty formula; expected a statement such as W[i] = x[i]' };
  parser.input = tokens;
  const statements = parser.formula();
  const err = parser.errors[0];
  if (!err) return { ok: true, statements };
  return { ok: false, ...describe(tokens, err.token, err.name === 'NotAllInputParsedException') };
}

/** "unexpected X; expected A, B or C", the expected tokens computed from the grammar at that point. */
function describe(tokens: readonly IToken[], tok: IToken, complete: boolean): { offset: number; message: string } {
  const atEnd = tok.tokenType === EOF;
  const index = atEnd ? tokens.length : tokens.indexOf(tok);
  const last = tokens[tokens.length - 1];
  const offset = atEnd ? (last ? (last.endOffset ?? last.startOffset) + 1 : 0) : tok.startOffset;
  const found = atEnd ? 'end of formula' : tok.tokenType === Newline ? 'line break' : `'${tok.image}'`;
  const labels = expectedLabels(
    parser.computeContentAssist('formula', tokens.slice(0, index)).map((p) => p.nextTokenType),
  );
  if (complete) labels.push('the end of the formula');
  const expected = labels.length <= 1 ? (labels[0] ?? 'nothing more') : `one of ${labels.join(', ')}`;
  return { offset, message: `unexpected ${found}; expected ${expected}` };
}
