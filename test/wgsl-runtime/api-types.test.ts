/**
 * The public types live in a hand-written index.d.ts; these assignments make `tsc --noEmit` fail when
 * the // @ts-check implementation drifts from it.
 */
import { expect, it } from 'vitest';
import type * as Api from '../../backends/wgsl/runtime/index.js';
import * as device from '../../backends/wgsl/runtime/device.js';
import * as gpu from '../../backends/wgsl/runtime/gpu.js';
import * as errors from '../../backends/wgsl/runtime/errors.js';
import * as validate from '../../backends/wgsl/runtime/validate.js';
import * as convert from '../../backends/wgsl/runtime/convert.js';
import * as limits from '../../backends/wgsl/runtime/limits.js';
import * as matmul from '../../backends/wgsl/runtime/routines/matmul.js';
import * as fft from '../../backends/wgsl/runtime/routines/fft.js';
import * as fftDf64 from '../../backends/wgsl/runtime/routines/fft-df64.js';

const impl = {
  getGpu: device.getGpu satisfies typeof Api.getGpu,
  Gpu: gpu.Gpu satisfies abstract new (...args: never[]) => Api.Gpu,
  GpuUnavailableError: errors.GpuUnavailableError satisfies typeof Api.GpuUnavailableError,
  WgslCompileError: errors.WgslCompileError satisfies typeof Api.WgslCompileError,
  GpuError: errors.GpuError satisfies typeof Api.GpuError,
  validateWgsl: validate.validateWgsl satisfies typeof Api.validateWgsl,
  f64ToF32: convert.f64ToF32 satisfies typeof Api.f64ToF32,
  f32ToF64: convert.f32ToF64 satisfies typeof Api.f32ToF64,
  f64ToDf64: convert.f64ToDf64 satisfies typeof Api.f64ToDf64,
  f64ToF64x3: convert.f64ToF64x3 satisfies typeof Api.f64ToF64x3,
  df64ToF64: convert.df64ToF64 satisfies typeof Api.df64ToF64,
  workgroupGrid: limits.workgroupGrid satisfies typeof Api.workgroupGrid,
  memoryBudgetGuess: limits.memoryBudgetGuess satisfies typeof Api.memoryBudgetGuess,
  matmulAccumulate: matmul.matmulAccumulate satisfies typeof Api.matmulAccumulate,
  readCompensated: matmul.readCompensated satisfies typeof Api.readCompensated,
  fft2Stockham: fft.fft2Stockham satisfies typeof Api.fft2Stockham,
  fft2StockhamDf64: fftDf64.fft2StockhamDf64 satisfies typeof Api.fft2StockhamDf64,
};

it('index.js exports what index.d.ts declares', async () => {
  const index = await import('../../backends/wgsl/runtime/index.js');
  for (const name of Object.keys(impl)) expect(index, name).toHaveProperty(name);
  expect(Object.keys(index).sort()).toEqual([...Object.keys(impl), 'BufferUsage'].sort());
});
