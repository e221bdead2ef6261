// The manifest every generated module exports (and writes beside itself as JSON): parameters with
// dtypes and symbolic shapes, outputs, precision, and the memory plan with its byte formulas.
import { paramInfo } from '../ir/bind.ts';
import type { Graph } from '../ir/graph.ts';
import { Size, numel } from '../ir/size.ts';
import type { LoopProgram } from '../loop/ir.ts';
import { describeStages } from '../plan/describe.ts';
import { bufferBytes, liveRanges } from '../loop/access.ts';

export interface Manifest {
  readonly lensc: string;
  readonly kernel: string;
  readonly file: string;
  readonly target: string;
  readonly source?: string;
  readonly doc?: string;
  readonly params: ReturnType<typeof paramInfo>;
  readonly outputs: { name: string; dtype: string; shape: (number | string)[][][]; shapeText: string; buf: string }[];
  readonly singleOutput: boolean;
  readonly precision: {
    storage: string;
    accumulator: string;
    note?: string;
    errorBound?: string;
    /** What a measured bound is keyed by: a hash of the kernel's optimized graph (not its name). */ contentHash?: string;
    /** 'df64': the WGSL module computes f64 values as df64 pairs */ arithmetic?: 'df64';
  };
  readonly plan: {
    temps: {
      name: string;
      dtype: string;
      shape: string;
      bytes: (number | string)[][];
      bytesText: string;
      live: [number, number];
      chunkedBy?: string;
    }[];
    chunks: {
      symbol: string;
      chunkSymbol: string;
      bytesPerUnit: (number | string)[][];
      bytesPerUnitText: string;
      stage: number;
    }[];
    /** Scatters with private copies of their target: the number of copies is chosen at run time (plan.js). */
    scatterCopies?: {
      count: string;
      stage: string;
      target: string;
      buf: string;
      maxCopies: number;
      elements: (number | string)[][];
      work: (number | string)[][];
    }[];
    stages: string[];
    notes: string[];
    peakBytesFormula: string;
    /** Arena scratch a stage takes while it runs (JS: BLAS packing, backends/js/blas_scratch.ts): at top-level
     *  stage `stage`, min(bytes, cap) + tiles bytes; resolvePlan counts the largest at each stage. */
    scratch?: {
      stage: number;
      name: string;
      bytes: (number | string)[][];
      cap: (number | string)[][];
      tiles: (number | string)[][];
      bytesText: string;
    }[];
  };
}

export const snakeCase = (name: string): string => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

export function buildManifest(
  g: Graph,
  p: LoopProgram,
  target: string,
  source?: string,
  precision?: Manifest['precision'],
): Manifest {
  const live = liveRanges(p);
  const temps = p.buffers
    .filter((b) => b.role === 'temp')
    .map((b) => {
      const bytes = bufferBytes(b);
      return {
        name: b.name,
        dtype: b.dtype,
        shape: `(${b.shape.join(', ')})`,
        bytes: bytes.toTerms(),
        bytesText: bytes.toString(),
        live: live.get(b.name) ?? ([0, 0] as [number, number]),
        ...(b.chunkedBy ? { chunkedBy: b.chunkedBy } : {}),
      };
    });
  const chunks = p.chunks.map((c) => ({
    symbol: c.symbol,
    chunkSymbol: c.chunkSymbol,
    bytesPerUnit: c.bytesPerUnit.toTerms(),
    bytesPerUnitText: c.bytesPerUnit.toString(),
    stage: p.stages.findIndex((s) => s.kind === 'chunk' && s.symbol === c.symbol),
  }));
  // Peak formula: the largest sum of simultaneously live temporaries.
  const points = new Set(temps.map((t) => t.live[0]));
  const sums = [...points].map((i) =>
    temps
      .filter((t) => t.live[0] <= i && i <= t.live[1])
      .reduce((s, t) => s.add(Size.parse(t.bytesText === '0' ? '0' : t.bytesText.replace(/ /g, ''))), Size.const(0))
      .toString(),
  );
  const uniq = [...new Set(sums)];
  const outDecl = new Map(p.buffers.map((b) => [b.name, b]));
  return {
    lensc: '0.1.0',
    kernel: g.name,
    file: snakeCase(g.name),
    target,
    source,
    doc: undefined,
    params: paramInfo(g),
    outputs: p.outputs.map((o) => {
      const b = outDecl.get(o.buf)!;
      return {
        name: o.name,
        dtype: b.dtype,
        shape: b.shape.map((d) => d.toTerms()),
        shapeText: `(${b.shape.join(', ')})`,
        buf: o.buf,
        elements: numel(b.shape).toTerms(),
      };
    }),
    singleOutput: p.singleOutput,
    precision: precision ?? { storage: 'f64', accumulator: 'f64' },
    plan: {
      temps,
      chunks,
      ...(p.scatterCopies?.length
        ? {
            scatterCopies: p.scatterCopies.map((c) => ({
              count: c.count,
              stage: c.stage,
              target: c.target,
              buf: c.buf,
              maxCopies: c.maxCopies,
              elements: c.elements.toTerms(),
              work: c.work.toTerms(),
            })),
          }
        : {}),
      stages: describeStages(p),
      notes: [...p.notes],
      peakBytesFormula: uniq.length === 0 ? '0' : uniq.length === 1 ? uniq[0]! : `max(${uniq.join(', ')})`,
    },
  };
}
