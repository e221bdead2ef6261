// `lensc explain --target js` says what this machine's dense linear algebra runs on (the native OpenBLAS with
// its path and version, or the WebAssembly kernels and why), for kernels that have such stages only.
import { describe, expect, it } from 'vitest';
import { explainKernel } from '../../compiler/aot/explain.ts';
import { blasInfo, useNativeBlas } from '../../backends/js/runtime/index.js';
import { logEvidence } from '../../std/log_evidence.ts';
import { dirtyImage } from '../../std/dirty_image.ts';

describe('explain: the dense linear algebra backend', () => {
  it('names the library, version and kernels, or the WebAssembly fallback and why', () => {
    const info = blasInfo();
    const text = explainKernel(logEvidence, { target: 'js' });
    if (info.backend === 'openblas')
      expect(text).toContain(
        `dense linear algebra here: OpenBLAS (${info.config}; ${info.core} kernels; ${info.symbols === 'lp64' ? '32-bit integers' : `64-bit integers, ${info.symbols} symbols`}) from ${info.library}`,
      );
    useNativeBlas(false);
    try {
      expect(explainKernel(logEvidence, { target: 'js' })).toMatch(
        /dense linear algebra here: WebAssembly kernels \((relaxed SIMD, fused multiply-add|SIMD, multiply then add)\); no native BLAS: useNativeBlas\(false\)/,
      );
    } finally {
      useNativeBlas(true);
    }
  });

  it('says nothing of it for a kernel without matmuls or factorisations', () => {
    expect(explainKernel(dirtyImage, { target: 'js' })).not.toContain('dense linear algebra');
  });
});
