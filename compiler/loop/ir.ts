// The loop IR: what every backend renders. A kernel is a list of stages over named buffers.
//  - map:     for each point of `domain` (parallel), optionally reduce over `reduce` axes (sequential,
//             fixed order), then store one value per output (or accumulate into it).
//  - scatter: for each point of `domain`, add `value` into `target` at computed indices (entries with
//             an index of −1 skipped); `parallelAxis` is a domain axis whose variable is itself one of the
//             target indices, so splitting it across threads never makes two threads write one element.
//             Without one, `ownerSplit` (compiler/plan/owner_scatters.ts) splits the target's leading index
//             among tasks, or `copies` (compiler/plan/privatise_scatters.ts) gives the stage private copies
//             of its target: fixed shares of its first axis scatter into copies of their own in parallel.
//  - gemm:    C = alpha·op(A)·op(B) + (accumulate ? C : 0)  (row-major); syrk when A·Aᵀ.
//  - cholesky / triSolve: dense f64 linear algebra calls.
//  - fft:     2-D FFT of `batch` complex Ny×Nx images (re, im interleaved) from src into dst (a library call
//             per target: own Stockham/Bluestein on JS; see README "Complex values and the FFT").
//  - fftconv: the circular convolution of `batch` real Ny×Nx images (src) with a real Py×Px kernel on the
//             kernel's grid, read at the images' extent, into dst (the fftconv op; JS only: GPU targets get it
//             expanded into fft stages before lowering).
//  - fill:    set a buffer to a constant.
//  - chunk:   a sequential loop over one size symbol in pieces; inside, that symbol's axis of the
//             chunked buffers has extent `chunkSize` and the loop variable `offset` is the piece start.
//  - scan:    a sequential loop over the steps of a scan; its body is a sub-program (stages run in
//             order, each parallel inside) that sees the step's position along the scan axis as the
//             variable `step` (length−1 … 0 when reversed). Carries live in buffers the body updates.
// Expressions are DAGs (shared sub-expressions are the same object); renderers bind them once.
import type { BinaryFn, DType, ReduceFn, UnaryFn } from '../ir/graph.ts';
import type { Shape, Size } from '../ir/size.ts';
import type { SourceLoc } from '../ir/source.ts';

export type Expr =
  | { readonly k: 'const'; readonly value: number; readonly dtype: DType }
  | { readonly k: 'var'; readonly name: string }
  | { readonly k: 'size'; readonly size: Size }
  | { readonly k: 'scalar'; readonly name: string; readonly dtype: DType }
  | { readonly k: 'load'; readonly buf: string; readonly index: Expr; readonly dtype: DType }
  | { readonly k: 'unary'; readonly fn: UnaryFn; readonly a: Expr; readonly dtype: DType }
  | {
      readonly k: 'binary';
      readonly fn: BinaryFn;
      readonly a: Expr;
      readonly b: Expr;
      readonly dtype: DType; /* of the operands */
    }
  | { readonly k: 'select'; readonly c: Expr; readonly a: Expr; readonly b: Expr; readonly dtype: DType }
  | { readonly k: 'cast'; readonly a: Expr; readonly from: DType; readonly to: DType };

export type BufferRole = 'input' | 'output' | 'temp';

export interface BufferDecl {
  readonly name: string;
  readonly dtype: DType;
  /** Logical shape; inside a chunk loop the chunked symbol's axis has the chunk's extent. */
  readonly shape: Shape;
  readonly role: BufferRole;
  /** Set when the buffer only ever holds one chunk of `chunkedBy` (its size uses the chunk extent). */
  readonly chunkedBy?: string;
}

export interface Axis {
  readonly v: string;
  readonly extent: Size;
}

export interface MapStage {
  readonly kind: 'map';
  readonly name: string;
  readonly domain: readonly Axis[];
  readonly reduce?: { readonly fn: ReduceFn; readonly axes: readonly Axis[] };
  readonly outputs: readonly {
    readonly buf: string;
    readonly index: Expr;
    readonly value: Expr;
    readonly accumulate: boolean;
  }[];
  readonly loc?: SourceLoc;
}
export interface ScatterStage {
  readonly kind: 'scatter';
  readonly name: string;
  readonly domain: readonly Axis[];
  readonly target: string;
  readonly indices: readonly Expr[];
  readonly targetShape: Shape;
  readonly value: Expr;
  readonly parallelAxis: number | undefined;
  /**
   * Private copies of the target (only without a conflict-free axis): when the plan's size symbol `count` is
   * at least 2, share c of `count` fixed shares of domain axis 0 (rows ⌊c·n/count⌋ … ⌊(c+1)·n/count⌋ − 1)
   * scatters into copy c of `buf` (shape (count, …targetShape)), and a later stage adds the copies into the
   * target in copy order; when it is 0 (the copies do not fit the budget) the stage scatters into the target.
   */
  readonly copies?: { readonly buf: string; readonly count: string };
  /**
   * Owner computes (only without a conflict-free axis; compiler/plan/owner_scatters.ts): tasks split the target's
   * leading index range; each runs the whole domain and adds only the points whose leading index it owns, skipping
   * the loops below the level where that index is known. Every element gets its additions in the serial order.
   */
  readonly ownerSplit?: boolean;
  readonly loc?: SourceLoc;
}
export interface GemmStage {
  readonly kind: 'gemm';
  readonly name: string;
  readonly a: string;
  readonly b: string;
  readonly c: string;
  readonly transA: boolean;
  readonly transB: boolean;
  /** C is m×n, the contraction has length k; leading dimensions are the stored row lengths. */
  readonly m: Size;
  readonly n: Size;
  readonly k: Size;
  readonly lda: Size;
  readonly ldb: Size;
  readonly ldc: Size;
  /** A·Aᵀ (or Aᵀ·A): computed as a symmetric rank-k update. */
  readonly symmetric: boolean;
  readonly accumulate: boolean;
  readonly loc?: SourceLoc;
}
export interface CholeskyStage {
  readonly kind: 'cholesky';
  readonly name: string;
  readonly a: string;
  readonly out: string;
  readonly n: Size;
  readonly loc?: SourceLoc;
}
export interface TriSolveStage {
  readonly kind: 'triSolve';
  readonly name: string;
  readonly l: string;
  readonly b: string;
  readonly out: string;
  readonly n: Size;
  readonly cols: Size;
  readonly transpose: boolean;
  readonly loc?: SourceLoc;
}
export interface FftStage {
  readonly kind: 'fft';
  readonly name: string;
  readonly src: string;
  readonly dst: string;
  readonly batch: Size;
  readonly ny: Size;
  readonly nx: Size;
  readonly inverse: boolean;
  readonly loc?: SourceLoc;
}
export interface FftConvStage {
  readonly kind: 'fftconv';
  readonly name: string;
  readonly src: string;
  readonly kernel: string;
  /** Scratch of [2, py, px + 7, 2] f64: the kernel as complex values and its spectrum, then the spectrum in blocks. */
  readonly work: string;
  readonly dst: string;
  readonly batch: Size;
  readonly ny: Size;
  readonly nx: Size;
  readonly py: Size;
  readonly px: Size;
  readonly loc?: SourceLoc;
}
export interface FillStage {
  readonly kind: 'fill';
  readonly name: string;
  readonly buf: string;
  readonly value: number;
}
export interface ChunkStage {
  readonly kind: 'chunk';
  readonly name: string;
  /** The size symbol split into pieces, its piece-length symbol and the variable holding the piece start. */
  readonly symbol: string;
  readonly chunkSymbol: string;
  readonly offset: string;
  readonly body: readonly Stage[];
}

export interface ScanStage {
  readonly kind: 'scan';
  readonly name: string;
  /** Number of steps (may be 0). */
  readonly length: Size;
  readonly reverse: boolean;
  /** The integer variable that holds the step's position t along the scan axis inside the body. */
  readonly step: string;
  readonly body: readonly Stage[];
  /** The carry buffers the body updates, for describing the loop. */
  readonly carries: readonly string[];
  readonly loc?: SourceLoc;
}

export type Stage =
  | MapStage
  | ScatterStage
  | GemmStage
  | CholeskyStage
  | TriSolveStage
  | FftStage
  | FftConvStage
  | FillStage
  | ChunkStage
  | ScanStage;

export interface ChunkPlan {
  readonly symbol: string;
  readonly chunkSymbol: string;
  /** bytes of the chunked buffers per unit of the chunk extent (formula in the sizes). */
  readonly bytesPerUnit: Size;
}

/** A scatter's private copies (ScatterStage.copies): how many the run-time planner may choose and what they cost. */
export interface ScatterCopiesPlan {
  /** The size symbol holding the number of copies (0: the stage scatters into its target, one task). */
  readonly count: string;
  readonly stage: string;
  readonly target: string;
  readonly buf: string;
  /** At most this many copies (the target's limit, BuildCapabilities.maxScatterCopies). */
  readonly maxCopies: number;
  /** Elements of the target (the cost of one copy: zeroed once, added once). */
  readonly elements: Size;
  /** Points the scatter visits between the copies' zeroing and their sum (all chunks when the sum is after a chunk loop). */
  readonly work: Size;
}

export interface LoopProgram {
  readonly name: string;
  readonly buffers: readonly BufferDecl[];
  readonly stages: readonly Stage[];
  readonly inputs: readonly {
    readonly name: string;
    readonly buf?: string;
    readonly kind: 'array' | 'scalar' | 'sizes';
    readonly dtype?: DType;
    readonly shape?: Shape;
    readonly sizes?: readonly string[];
  }[];
  readonly outputs: readonly { readonly name: string; readonly buf: string }[];
  readonly singleOutput: boolean;
  readonly chunks: readonly ChunkPlan[];
  /** Scatters with private copies of their target, chosen at run time (backends/common/plan.js). */
  readonly scatterCopies?: readonly ScatterCopiesPlan[];
  /** Human-readable notes: what was fused, what was materialised and why. */
  readonly notes: readonly string[];
}
