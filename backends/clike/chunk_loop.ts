// The host-side chunk loop every module driver emits (JS, WGSL, CUDA drivers are all JavaScript):
// pieces of the chunked size symbol, the piece's extent and offset bound for the body, progress after each.
import type { ChunkStage, Stage } from '../../compiler/loop/ir.ts';

/** Lines of a chunk loop; `body` renders the inner stages with the piece's size environment. */
export function renderChunkLoop(
  s: ChunkStage,
  env: string,
  ind: string,
  body: (stage: Stage, env: string, ind: string) => string[],
): string[] {
  const inner = `s_${s.symbol}`;
  return [
    `${ind}for (let off = 0; off < s.${s.symbol}; off += s.${s.chunkSymbol}) {`,
    // progressRange: the kernel's progress fraction over this piece, for stages that report inside it (JS timedFor).
    `${ind}  const ${inner} = { ...${env}, ${s.chunkSymbol}: Math.min(s.${s.chunkSymbol}, s.${s.symbol} - off), ${s.offset}: off, progressRange: [off / s.${s.symbol}, Math.min(1, (off + s.${s.chunkSymbol}) / s.${s.symbol})] };`,
    ...s.body.flatMap((b) => body(b, inner, ind + '  ')),
    `${ind}  progress(Math.min(1, (off + s.${s.chunkSymbol}) / s.${s.symbol}), \`${s.symbol} chunk \${off / s.${s.chunkSymbol} + 1} of \${Math.ceil(s.${s.symbol} / s.${s.chunkSymbol})}\`);`,
    `${ind}}`,
  ];
}
