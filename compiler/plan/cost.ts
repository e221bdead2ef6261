// The cost model: how much work a planned kernel does, as formulas in its size symbols, by kind of work — what a
// routed kernel (dsl/routes.ts) compares between its routes at call time. Counted from the loop IR after
// planning, so it sees exactly what runs: every element of a map or scatter stage costs its expression's
// arithmetic, transcendental functions and loads plus one store; a matmul its multiply-adds; an FFT
// n·log₂n per transform (an FFT convolution its line transforms). Stages inside a chunk loop are counted for the whole extent of the chunked symbol (the
// work does not depend on the piece size), stages inside a scan once per step. The seconds each unit takes are
// per target (TargetRecord.cost), measured on a machine (bench/routes.ts): the estimate is the sum of units ×
// seconds per unit, an estimate to choose between routes, not a timing promise.
import { Size } from '../ir/size.ts';
import type { Expr, LoopProgram, Stage } from '../loop/ir.ts';
import { forEachNode } from '../loop/walk.ts';

/** The kinds of work the model counts (one constant per target each). */
export type CostUnit = 'op' | 'transcendental' | 'load' | 'store' | 'madd' | 'fft';

/**
 * count × coef units of work; with log2, times log₂ of that size (an FFT's n log n). `serial`: the work runs on
 * one thread or lane of the target (a scatter with no conflict-free axis, no owner split and no private copies —
 * the GPU targets run such stages as one task), charged `serialSlowdown` times the parallel rate.
 */
export interface CostTerm {
  readonly unit: CostUnit;
  readonly coef: number;
  readonly count: Size;
  readonly log2?: Size;
  readonly serial?: boolean;
}

/**
 * Seconds per unit of work on a target, and where the numbers come from. `serialSlowdown`: how many times longer
 * a unit of work takes in a stage that runs on one thread or lane than in the parallel stages the seconds were
 * fitted on (the target's parallel width, roughly), and where that number comes from.
 */
export interface CostConstants {
  readonly seconds: Readonly<Record<CostUnit, number>>;
  readonly source: string;
  readonly serialSlowdown: number;
  readonly serialSource: string;
}

/** Cheap unary functions: one op; every other unary function (cos, exp, erf, …) and pow are transcendental. */
const CHEAP_UNARY = new Set(['neg', 'abs', 'floor', 'ceil', 'round', 'trunc', 'sign']);

/** Per element of an expression DAG: its distinct loads, arithmetic ops and transcendental calls. */
function exprWork(roots: readonly Expr[]): { op: number; transcendental: number; load: number } {
  const w = { op: 0, transcendental: 0, load: 0 };
  const seen = new Set<Expr>();
  for (const r of roots) {
    forEachNode(
      r,
      (e) => {
        if (e.k === 'load') w.load++;
        else if (e.k === 'unary') {
          if (CHEAP_UNARY.has(e.fn)) w.op++;
          else w.transcendental++;
        } else if (e.k === 'binary') {
          if (e.fn === 'pow') w.transcendental++;
          else w.op++;
        } else if (e.k === 'select' || e.k === 'cast') w.op++;
      },
      seen,
    );
  }
  return w;
}

const product = (sizes: readonly Size[]): Size => sizes.reduce((a, b) => a.mul(b), Size.const(1));

/** s with the symbol `from` replaced by `to` (a chunk's piece-size symbol by the whole extent). */
function substitute(s: Size, from: string, to: Size): Size {
  let out = Size.const(0);
  for (const [c, ...syms] of s.toTerms()) {
    let t = Size.const(c as number);
    for (const x of syms) t = t.mul(x === from ? to : Size.sym(x as string));
    out = out.add(t);
  }
  return out;
}

function stageTerms(s: Stage): CostTerm[] {
  switch (s.kind) {
    case 'map':
    case 'scatter': {
      const points = product([...s.domain, ...(s.kind === 'map' ? (s.reduce?.axes ?? []) : [])].map((a) => a.extent));
      const exprs = s.kind === 'map' ? s.outputs.map((o) => o.value) : [s.value, ...s.indices];
      const w = exprWork(exprs);
      // one store per output element (a reduction stores once per domain point, a scatter once per point)
      const stores = s.kind === 'map' ? product(s.domain.map((a) => a.extent)).mul(s.outputs.length) : points;
      const terms: CostTerm[] = [
        { unit: 'op', coef: w.op, count: points },
        { unit: 'transcendental', coef: w.transcendental, count: points },
        { unit: 'load', coef: w.load, count: points },
        { unit: 'store', coef: 1, count: stores },
      ];
      const serial = s.kind === 'scatter' && s.parallelAxis === undefined && !s.ownerSplit && !s.copies;
      return serial ? terms.map((t) => ({ ...t, serial: true })) : terms;
    }
    case 'gemm':
      return [{ unit: 'madd', coef: s.symmetric ? 0.5 : 1, count: s.m.mul(s.n).mul(s.k) }];
    case 'cholesky':
      return [{ unit: 'madd', coef: 1 / 6, count: s.n.mul(s.n).mul(s.n) }];
    case 'triSolve':
      return [{ unit: 'madd', coef: 0.5, count: s.n.mul(s.n).mul(s.cols) }];
    case 'fft': {
      const points = s.ny.mul(s.nx);
      return [{ unit: 'fft', coef: 1, count: s.batch.mul(points), log2: points }];
    }
    case 'fftconv': {
      // as the JS runtime computes it (backends/js/runtime/fftconv-tasks.js, two images per complex transform):
      // per image half of a pair's N_y row transforms of P_x points forward and N_y back, P_x column transforms of
      // P_y points forward and P_x back, the product with the spectrum; and the kernel's spectrum once. The GPU
      // targets expand the stage into fft stages before lowering, so it reaches this count on JS only.
      const grid = s.py.mul(s.px);
      return [
        { unit: 'fft', coef: 1, count: s.batch.mul(s.ny).mul(s.px), log2: s.px },
        { unit: 'fft', coef: 1, count: s.batch.mul(grid), log2: s.py },
        { unit: 'op', coef: 3, count: s.batch.mul(grid) },
        { unit: 'load', coef: 1, count: s.batch.mul(s.ny).mul(s.nx) },
        { unit: 'store', coef: 1, count: s.batch.mul(s.ny).mul(s.nx) },
        { unit: 'fft', coef: 1, count: grid, log2: grid },
      ];
    }
    case 'fill':
      return [];
    case 'chunk':
      return s.body.flatMap(stageTerms).map((t) => ({
        ...t,
        count: substitute(t.count, s.chunkSymbol, Size.sym(s.symbol)),
        ...(t.log2 ? { log2: substitute(t.log2, s.chunkSymbol, Size.sym(s.symbol)) } : {}),
      }));
    case 'scan':
      return s.body.flatMap(stageTerms).map((t) => ({ ...t, count: t.count.mul(s.length) }));
  }
}

/** The work of a planned program: like terms merged, zero terms dropped. */
export function estimateCost(p: LoopProgram): CostTerm[] {
  const merged = new Map<string, CostTerm>();
  for (const t of p.stages.flatMap(stageTerms)) {
    if (t.coef === 0) continue;
    // terms of one unit with the same log factor add as polynomials when their coefficients are integers
    const key = `${t.unit}|${t.serial ? 'serial' : ''}|${t.log2?.toString() ?? ''}|${t.count.toString()}`;
    const prev = merged.get(key);
    merged.set(key, prev ? { ...prev, coef: prev.coef + t.coef } : t);
  }
  return [...merged.values()];
}

/** The terms as text, e.g. `23·(B*M*M) load + 2·(K*Nx) transcendental + (4*Nx*Ny)·log₂(4*Nx*Ny) fft`. */
export function costText(terms: readonly CostTerm[]): string {
  if (terms.length === 0) return '0';
  return terms
    .map((t) => {
      const c = t.coef === 1 ? '' : `${+t.coef.toPrecision(4)}·`;
      return `${c}(${t.count})${t.log2 ? `·log₂(${t.log2})` : ''} ${t.unit}${t.serial ? ' (serial)' : ''}`;
    })
    .join(' + ');
}

/** The terms as JSON for the manifest (evaluated at run time by backends/common/routes.js). */
export function costTermsJson(terms: readonly CostTerm[]) {
  return terms.map((t) => ({
    unit: t.unit,
    coef: t.coef,
    count: t.count.toTerms(),
    ...(t.log2 ? { log2: t.log2.toTerms() } : {}),
    ...(t.serial ? { serial: true } : {}),
  }));
}
