// The per-kernel switch of the algebraic rewrites (kernel({ rewrites: false | [...names] }) and
// `lensc build|explain --rewrites`): tests and users who want the literal evaluation turn them off.
import type { Graph, RewriteSwitch } from '../ir/graph.ts';
import { LenscError } from '../ir/source.ts';

/** Every rewrite a kernel can name; each lives in one pass of compiler/passes/. */
export const REWRITE_NAMES = ['separable', 'offset-table'] as const;

export function rewriteEnabled(g: Graph, name: string): boolean {
  const s = g.rewrites;
  return s === undefined || s === true || (Array.isArray(s) && s.includes(name));
}

/** Checks a switch written by a user (kernel spec or command line). */
export function checkRewriteSwitch(s: unknown, where: string): RewriteSwitch {
  if (typeof s === 'boolean') return s;
  if (Array.isArray(s) && s.every((x) => typeof x === 'string')) {
    for (const x of s) {
      if (!(REWRITE_NAMES as readonly string[]).includes(x))
        throw new LenscError('rewrites', `${where}: unknown rewrite '${x}' (known: ${REWRITE_NAMES.join(', ')})`);
    }
    return s as readonly string[];
  }
  throw new LenscError(
    'rewrites',
    `${where}: expected true, false or a list of rewrite names (${REWRITE_NAMES.join(', ')}), got ${JSON.stringify(s)}`,
  );
}
