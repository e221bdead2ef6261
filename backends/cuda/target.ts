// The CUDA target's record (compiler/targets.ts): one .cu file of kernels compiled by NVRTC at first
// use, driven from JS; f64 throughout. The budget defaults to free device memory, known only at run time.
import { CUDA_COST } from './cost.ts';
import type { TargetRecord } from '../../compiler/target.ts';
import { cudaManifest, renderCudaModule } from './render_module.ts';
import { expandFftConv, hasFftConv } from '../../compiler/passes/expand_fftconv.ts';

export const cudaTarget: TargetRecord<'cuda'> = {
  name: 'cuda',
  summary: 'CUDA C compiled by NVRTC at first use, cuBLAS, f64',
  // fftconv2 becomes fft2/ifft2 stages (cuFFT) before lowering.
  graphPasses: (k) => (hasFftConv(k.graph()) ? [{ name: 'expand-fftconv', run: expandFftConv }] : []),
  manifest: (m, { program }) => cudaManifest(m, program),
  render: (c) => {
    const m = renderCudaModule(c.program, c.manifest, { generatedFrom: c.manifest.source });
    const cu = `${c.manifest.file}.cu`;
    return { code: m.js, extra: { [cu]: m.cu }, embedded: [cu] };
  },
  // what the generated module passes to resolvePlan (render_module.ts); the default budget is the device's
  build: { maxBindingsPerKernel: Infinity, maxScatterCopies: 0, ownerScatters: false },
  capabilities: () => ({
    memoryBytes: undefined,
    preferredChunkBytes: Infinity,
    source: 'default budget: free device memory less inputs and outputs, read at run time',
  }),
  cost: CUDA_COST,
  runtime: ['lensc/runtime/plan', 'lensc/runtime/cuda-support'],
};
