// Human-readable plan: the stage list with what each stage fuses, for `lensc explain` and manifests.
import { shapeToString } from '../ir/size.ts';
import { formatLoc } from '../ir/source.ts';
import type { Expr, LoopProgram, Stage } from '../loop/ir.ts';
import { children, forEachNode } from '../loop/walk.ts';

/** Operations in an expression DAG: every distinct node that computes something (loads included). */
function countOps(e: Expr): number {
  let n = 0;
  forEachNode(e, (x) => {
    if (children(x).length > 0) n++;
  });
  return n;
}

export function describeStages(p: LoopProgram): string[] {
  const decl = new Map(p.buffers.map((b) => [b.name, b]));
  const shp = (b: string) => shapeToString(decl.get(b)!.shape);
  const at = (s: { loc?: { file: string; line: number; col: number } }) => (s.loc ? `   @ ${formatLoc(s.loc)}` : '');
  const line = (s: Stage, ind: string): string[] => {
    switch (s.kind) {
      case 'map': {
        const outs = [...new Set(s.outputs.map((o) => o.buf))].map((b) => `${b}${shp(b)}`).join(', ');
        const ops = s.outputs.reduce((n, o) => n + countOps(o.value), 0);
        const red = s.reduce
          ? ` ${s.reduce.fn} over ${s.reduce.axes.map((a) => a.extent.toString()).join('×')} of`
          : '';
        const acc = s.outputs.some((o) => o.accumulate) ? ' +=' : ' =';
        return [
          `${ind}${s.name}  map      ${outs}${acc}${red} a fused expression (${ops} ops), parallel over ${s.domain.map((a) => a.extent.toString()).join('×') || 'nothing (one task)'}${at(s)}`,
        ];
      }
      case 'scatter':
        return [
          `${ind}${s.name}  scatter  ${s.target}${shp(s.target)} += over ${s.domain.map((a) => a.extent.toString()).join('×')} (${countOps(s.value)} ops), ${s.parallelAxis !== undefined ? `parallel over axis ${s.parallelAxis}` : s.ownerSplit ? `parallel over the ${s.targetShape[0]} rows of ${s.target} (owner computes)` : s.copies ? `parallel over ${s.copies.count} shares of axis 0 into private copies ${s.copies.buf} (one task when ${s.copies.count} = 0)` : 'one task (no conflict-free axis)'}${at(s)}`,
        ];
      case 'gemm': {
        const op = s.symmetric ? 'syrk' : 'gemm';
        const a = `${s.a}${s.transA ? 'ᵀ' : ''}`,
          b = `${s.b}${s.transB ? 'ᵀ' : ''}`;
        return [
          `${ind}${s.name}  ${op}     ${s.c}${shp(s.c)} ${s.accumulate ? '+=' : '='} ${a}·${b}  (m=${s.m}, n=${s.n}, k=${s.k})${at(s)}`,
        ];
      }
      case 'cholesky':
        return [`${ind}${s.name}  cholesky ${s.out} = chol(${s.a})  (n=${s.n})${at(s)}`];
      case 'triSolve':
        return [`${ind}${s.name}  trisolve ${s.out} = ${s.l}${s.transpose ? 'ᵀ' : ''}⁻¹·${s.b}${at(s)}`];
      case 'fft':
        return [
          `${ind}${s.name}  ${s.inverse ? 'ifft2' : 'fft2 '}    ${s.dst}${shp(s.dst)} = ${s.inverse ? 'ifft2' : 'fft2'}(${s.src})  (${s.batch} × ${s.ny}×${s.nx} complex)${at(s)}`,
        ];
      case 'fftconv':
        return [
          `${ind}${s.name}  fftconv  ${s.dst}${shp(s.dst)} = fftconv2(${s.src}, ${s.kernel})  (${s.batch} × ${s.ny}×${s.nx} real images, on the ${s.py}×${s.px} grid)${at(s)}`,
        ];
      case 'fill':
        return [`${ind}${s.name}  fill     ${s.buf} = ${s.value}`];
      case 'scan': {
        const carries = s.carries.map((c) => `${c}${shp(c)}`).join(', ') || 'none';
        return [
          `${ind}${s.name}  scan     ${s.length} steps (t = ${s.reverse ? `${s.length}−1 … 0` : `0 … ${s.length}−1`}), carries ${carries}, one pass of the body per step:${at(s)}`,
          ...s.body.flatMap((b) => line(b, ind + '  ')),
        ];
      }
      case 'chunk':
        return [
          `${ind}chunk ${s.symbol} in pieces of ${s.chunkSymbol} (offset ${s.offset}):`,
          ...s.body.flatMap((b) => line(b, ind + '  ')),
        ];
    }
  };
  return p.stages.flatMap((s) => line(s, ''));
}
