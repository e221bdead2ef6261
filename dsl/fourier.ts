// The Fourier primitive and the complex-value helpers around it. Complex values are (re, im) pairs along a
// trailing axis of size 2 (README "Complex values"): the data stay plain f64/f32 arrays, interleaved as
// numpy's complex128 and cuFFT's cufftDoubleComplex lay them out, so elementwise ops, gathers and scatters
// work on them unchanged and no complex dtype runs through the compiler.
import { LenscError } from '../compiler/ir/source.ts';
import { shapeToString } from '../compiler/ir/size.ts';
import { concat, reshape, slice, add, sub, mul } from './ops.ts';
import { Tensor } from './tensor.ts';
import { currentLoc, makeNode } from './trace.ts';

/**
 * 2-D discrete Fourier transform over the two axes before the trailing (re, im) axis of x: [Ny, Nx, 2] or
 * [B, Ny, Nx, 2] (B transforms). X[ky, kx] = Σ_{y,x} x[y, x]·e^{−2πi(ky·y/Ny + kx·x/Nx)}. Any sizes.
 */
export function fft2(x: Tensor): Tensor {
  return new Tensor(makeNode({ kind: 'fft', inverse: false }, [x.node]));
}

/** Inverse of fft2: the + sign and the 1/(Ny·Nx) factor, so ifft2(fft2(x)) = x (numpy's convention). */
export function ifft2(x: Tensor): Tensor {
  return new Tensor(makeNode({ kind: 'fft', inverse: true }, [x.node]));
}

/**
 * 2-D circular convolution of real images with a real kernel on the kernel's grid, read at the images' extent:
 * x [Ny, Nx] or [B, Ny, Nx], kernel [Py, Px] (Py ≥ Ny, Px ≥ Nx) → like x, with
 * out[b, y, x] = Σ_{y' < Ny, x' < Nx} kernel[(y − y') mod Py, (x − x') mod Px]·x[b, y', x'].
 * The same as real(ifft2(fft2(x zero-padded to Py×Px) · fft2(kernel)))[:, :Ny, :Nx] (numpy's `s=` padding and a
 * crop), but one primitive so that the JS target can run it without the padded intermediates: two images per
 * complex transform (the kernel is real), the zero rows and the cropped lines skipped, the product fused into
 * the column pass (backends/js/runtime/fftconv.js). GPU targets expand it into fft2/ifft2 (compiler/passes/
 * expand_fftconv.ts). With Py ≥ 2·Ny − 1 and Px ≥ 2·Nx − 1 nothing wraps: it is the linear convolution.
 */
export function fftconv2(x: Tensor, kernel: Tensor): Tensor {
  return new Tensor(makeNode({ kind: 'fftconv' }, [x.node, kernel.node]));
}

/** Complex values from real and imaginary parts of one shape: [...shape, 2]. */
export function complex(re: Tensor, im: Tensor): Tensor {
  if (re.dtype !== im.dtype || re.rank !== im.rank || re.shape.some((d, i) => !d.equals(im.shape[i]!))) {
    throw new LenscError(
      'complex',
      `re and im must have one shape and dtype, got ${re.dtype}${shapeToString(re.shape)} and ${im.dtype}${shapeToString(im.shape)}`,
      currentLoc(),
    );
  }
  const s = [...re.shape, 1];
  return concat([reshape(re, s), reshape(im, s)], re.rank);
}

function part(z: Tensor, which: 0 | 1, what: string): Tensor {
  if (z.rank < 1 || z.shape[z.rank - 1]!.constValue() !== 2) {
    throw new LenscError(
      what,
      `expected complex values (a trailing axis of 2), got ${z.dtype}${shapeToString(z.shape)}`,
      currentLoc(),
    );
  }
  const ranges = z.shape.map((_, i) => (i === z.rank - 1 ? ([which, which + 1] as const) : null));
  return reshape(slice(z, ranges), z.shape.slice(0, -1));
}

/** The real parts of complex values [..., 2] → [...]. */
export const real = (z: Tensor): Tensor => part(z, 0, 'real');
/** The imaginary parts of complex values [..., 2] → [...]. */
export const imag = (z: Tensor): Tensor => part(z, 1, 'imag');

/** Elementwise complex product (broadcasting like mul over the leading axes). */
export function cmul(a: Tensor, b: Tensor): Tensor {
  const ar = real(a),
    ai = imag(a),
    br = real(b),
    bi = imag(b);
  return complex(sub(mul(ar, br), mul(ai, bi)), add(mul(ar, bi), mul(ai, br)));
}
