// The host-side scan loop every module driver emits (the JS, WGSL and CUDA drivers are all JavaScript):
// one pass of the body's stages per step, the step's position along the scan axis (counting down for
// a reversed scan) bound in the size environment the body's stages read their free variables from.
import type { ScanStage, Stage } from '../../compiler/loop/ir.ts';

/** Lines of a scan loop; `body` renders the inner stages with the step's size environment. */
export function renderScanLoop(
  s: ScanStage,
  env: string,
  ind: string,
  body: (stage: Stage, env: string, ind: string) => string[],
): string[] {
  const inner = `s_${s.name}`,
    it = `it_${s.name}`,
    len = `len_${s.name}`;
  return [
    `${ind}const ${len} = ${s.length.toJs(env)};`,
    `${ind}for (let ${it} = 0; ${it} < ${len}; ${it}++) {`,
    `${ind}  const ${inner} = { ...${env}, ${s.step}: ${s.reverse ? `${len} - 1 - ${it}` : it} };`,
    ...s.body.flatMap((b) => body(b, inner, ind + '  ')),
    `${ind}}`,
  ];
}
