// The public DSL: what a user imports to write kernels (`import { kernel, f64, cos, sum } from 'lensc'`).
export { Tensor, type TensorLike } from './tensor.ts';
export * from './ops.ts';
export { scan, type ScanOptions } from './scan.ts';
export { fft2, ifft2, fftconv2, complex, real, imag, cmul } from './fourier.ts';
export {
  kernel,
  isKernel,
  f64,
  f32,
  i32,
  scalar,
  sizes,
  type Kernel,
  type KernelSpec,
  type ParamSpec,
  type WgslPrecision,
} from './kernel.ts';
export { routes, isRoutedKernel, type RoutedKernel, type RoutesSpec } from './routes.ts';
export { formula } from './notation/formula.ts';
export { LenscError } from '../compiler/ir/source.ts';
