// Graph pass for the GPU targets (WGSL, CUDA): each fftconv node becomes the transforms it stands for —
// x zero-padded to the kernel's Py×Px grid as complex values, fft2, the product with fft2(kernel), ifft2, and the
// real part read at x's extent (the definition in compiler/ir/graph.ts). Their FFT libraries then do the work; only
// the JS target keeps fftconv as one stage (backends/js/runtime/fftconv.js), where the fused form pays.
// The padding is a gather under a mask (a map over the batch axis first), so the memory planner can still chunk
// the padded images over the batch (compiler/plan/chunk_batch.ts).
import { topoOrder, type Graph, type Node } from '../ir/graph.ts';
import type { Size } from '../ir/size.ts';
import { and, constant, gather, iota, lt, maximum, minimum, mul, add, size, sub, where } from '../../dsl/ops.ts';
import { cmul, complex, fft2, ifft2, real } from '../../dsl/fourier.ts';
import { Tensor } from '../../dsl/tensor.ts';
import { withLoc } from '../../dsl/trace.ts';
import { rewriteGraph } from './rewrite.ts';
import { typecheck } from './typecheck.ts';

/** The run-time value of a size formula as an i32 scalar: Σ c·Π symbols. */
function sizeValue(s: Size): Tensor {
  let acc: Tensor = constant(0, 'i32');
  for (const [c, ...syms] of s.toTerms()) {
    let term: Tensor = constant(c as number, 'i32');
    for (const sym of syms) term = mul(term, size(sym as string));
    acc = add(acc, term);
  }
  return acc;
}

function expand(n: Node): Node {
  const [xn, kn] = n.inputs as [Node, Node];
  return withLoc(n.loc, () => {
    const x = xn.rank === 3 ? new Tensor(xn) : new Tensor(xn).reshape([1, ...xn.shape]);
    const k = new Tensor(kn);
    const [B, Ny, Nx] = x.shape as [Size, Size, Size];
    const [Py, Px] = k.shape as [Size, Size];
    const grid = [B, Py, Px];
    const b = iota(grid, 0),
      y = iota(grid, 1),
      c = iota(grid, 2);
    const ny = sizeValue(Ny),
      nx = sizeValue(Nx);
    // Clamped indices keep the masked-off loads inside x.
    const clamp = (i: Tensor, n: Tensor) => maximum(minimum(i, sub(n, 1)), 0);
    const padded = where(and(lt(y, ny), lt(c, nx)), gather(x, [b, clamp(y, ny), clamp(c, nx)]), 0);
    const zero = constant(0, x.dtype, grid);
    const spectrum = fft2(complex(k, constant(0, k.dtype, [Py, Px])));
    const conv = ifft2(cmul(fft2(complex(padded, zero)), spectrum.reshape([1, Py, Px, 2])));
    const out = gather(real(conv), [iota([B, Ny, Nx], 0), iota([B, Ny, Nx], 1), iota([B, Ny, Nx], 2)]);
    return (xn.rank === 3 ? out : out.reshape(xn.shape)).node;
  });
}

/** Whether the graph (scan bodies included) has an fftconv node: the targets list the pass only then. */
export function hasFftConv(g: Graph): boolean {
  return topoOrder(g.outputs.map((o) => o.node)).some(
    (n) => n.op.kind === 'fftconv' || (n.op.kind === 'scan' && hasFftConv(n.op.body)),
  );
}

/** The graph with every fftconv node replaced by its fft2 / ifft2 form; typechecked. */
export function expandFftConv(g: Graph): Graph {
  let found = false;
  const r = rewriteGraph(g, (n) => {
    if (n.op.kind !== 'fftconv') return undefined;
    found = true;
    return expand(n);
  });
  return found ? typecheck({ ...r, notes: [...(r.notes ?? []), 'fftconv2 expanded into fft2 / ifft2'] }) : g;
}
