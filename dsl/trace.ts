// Node construction for the DSL: every call captures the user's source position and is
// type-checked immediately, so a mistake is reported at the line that made it.
import { Node, type DType, type Op } from '../compiler/ir/graph.ts';
import { inferResult } from '../compiler/ir/infer.ts';
import type { Shape } from '../compiler/ir/size.ts';
import { captureLoc, type SourceLoc } from '../compiler/ir/source.ts';

/** Explicit position override: the index-notation parser passes positions inside the formula text. */
let locOverride: SourceLoc | undefined;

export function withLoc<T>(loc: SourceLoc | undefined, fn: () => T): T {
  const prev = locOverride;
  locOverride = loc;
  try {
    return fn();
  } finally {
    locOverride = prev;
  }
}

export function currentLoc(): SourceLoc | undefined {
  return locOverride ?? captureLoc();
}

export function makeNode(op: Op, inputs: readonly Node[], shapeAttr?: Shape): Node {
  const loc = currentLoc();
  const { shape, dtype } = inferResult(op, inputs, shapeAttr, loc);
  return new Node(op, inputs, shape, dtype, loc);
}

/** For ops typed by their constructor (param, const, iota, cast, size, scan, result). */
export function rawNode(op: Op, inputs: readonly Node[], shape: Shape, dtype: DType): Node {
  return new Node(op, inputs, shape, dtype, currentLoc());
}
