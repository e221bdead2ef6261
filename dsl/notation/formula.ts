// formula(text, env): the index-notation surface of the DSL. Parses the text (parser.ts), resolves
// indices and sizes (resolve.ts) and lowers each statement into the same graph IR the TypeScript API
// builds (lower.ts), with every node and error located in the user's file (locate.ts).
import { captureLoc, LenscError } from '../../compiler/ir/source.ts';
import { Tensor } from '../tensor.ts';
import { locateFormula } from './locate.ts';
import { lowerStatement } from './lower.ts';
import { parse } from './parser.ts';
import { resolve } from './resolve.ts';

/**
 * Builds the tensor a formula such as `W[i,j] = sum(k) cos(x[i]*u[k] - x[j]*u[k]) / s[k]^2` defines.
 * `env` names the arrays (Tensors) and scalars (Tensors of rank 0 or numbers) the formula uses.
 * Several statements (separated by ';' or line breaks) may follow one another; later ones can use
 * earlier left-hand sides as arrays, and the last one's tensor is returned. Grammar: GRAMMAR.md.
 */
export function formula(text: string, env: Record<string, Tensor | number>): Tensor {
  const call = captureLoc();
  if (typeof text !== 'string')
    throw new LenscError('formula', `expected the formula text as a string, got ${typeof text}`, call);
  const at = locateFormula(text, call);
  const names = new Map<string, Tensor | number>();
  for (const [name, v] of Object.entries(env ?? {})) {
    if (!(v instanceof Tensor) && typeof v !== 'number')
      throw new LenscError(
        'formula',
        `env['${name}'] must be a Tensor or a number, got ${v === null ? 'null' : typeof v}`,
        call,
      );
    names.set(name, v);
  }
  const parsed = parse(text);
  if (!parsed.ok) throw new LenscError('formula', parsed.message, at(parsed.offset));
  let result: Tensor | undefined;
  for (const stmt of parsed.statements) {
    result = lowerStatement(stmt, names, resolve(stmt, names, at), at);
    names.set(stmt.target.name, result);
  }
  return result!;
}
