// The `grain` a map or scatter stage passes to parallelFor so that tiny stages run on the calling thread:
// a round trip to a worker costs tens of microseconds on an idle machine and milliseconds on a loaded one,
// more than a stage of a few hundred thousand operations takes (log evidence at S = 256 is all such stages).
// parallelFor runs a range inline when it holds fewer than two grains, so the grain is the number of
// parallel indices that together do INLINE_WORK operations. Sizes only: the bits do not depend on it.
import type { MapStage, ScatterStage } from '../../compiler/loop/ir.ts';
import { children, forEachNode } from '../../compiler/loop/walk.ts';
import type { Size } from '../../compiler/ir/size.ts';

/** Operations (expression nodes × loop points) below which a whole stage runs on the calling thread. */
export const INLINE_WORK = 1 << 18;

export const opsOf = (e: Parameters<typeof children>[0]): number => {
  let n = 0;
  forEachNode(e, (x) => {
    if (children(x).length > 0) n++;
  });
  return Math.max(1, n);
};

/** `, { grain: … }` for the parallelFor call of stage s (parallel over `parallel`, an index of s.domain). */
export function grainOption(
  s: MapStage | ScatterStage,
  parallel: number,
  env: string,
  js: (s: Size, env: string) => string,
): string {
  const ops = s.kind === 'map' ? s.outputs.reduce((n, o) => n + opsOf(o.value), 0) : opsOf(s.value);
  const inner = [...s.domain.filter((_, i) => i !== parallel), ...(s.kind === 'map' ? (s.reduce?.axes ?? []) : [])];
  const perIndex = [String(ops), ...inner.map((a) => js(a.extent, env))].join(' * ');
  return `, { grain: Math.ceil(${INLINE_WORK} / Math.max(1, ${perIndex})) }`;
}
