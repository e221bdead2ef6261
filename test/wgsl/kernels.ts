// The std kernels as the WGSL conformance suite and the benchmark call them: inputs built from one
// interferometer case (test/helpers/interferometer.ts generators), the committed f64 JS module as the
// reference, the committed WGSL module under test.
import {
  ARCSEC,
  circularMask,
  irregularMask,
  maskedGrid,
  preloadRef,
  randomMapping,
  randomVisibilities,
  type Mapping,
  type MaskedGrid,
  type Visibilities,
} from '../helpers/interferometer.ts';

export interface InterferometerCase {
  label: string;
  g: MaskedGrid;
  v: Visibilities;
  map: Mapping;
  preload: Float64Array;
  dirty?: Float64Array;
}

const d = 0.05 * ARCSEC;

/** N×N grid, a circular (radius) or irregular (keep fraction) mask, K random visibilities, S = 37, B = 3. */
export function makeCase(
  N: number,
  mask: { radius: number } | { keep: number },
  K: number,
  seed: number,
): InterferometerCase {
  const m = 'radius' in mask ? circularMask(N, N, mask.radius) : irregularMask(N, N, mask.keep, seed);
  const g = maskedGrid(N, N, d, d, m);
  const v = randomVisibilities(K, d, d, seed);
  const label = `N = ${N}, M = ${g.M}, K = ${K}`;
  return {
    label,
    g,
    v,
    map: randomMapping(g.M, 37, 3, seed + 100),
    preload: preloadRef(v.noiseReal, v.uv, N, N, d, d),
  };
}

type Module = Record<
  string,
  (inputs: Record<string, unknown>, options?: Record<string, unknown>) => Promise<Float64Array>
>;
export interface KernelCase {
  readonly file: string;
  readonly name: string;
  inputs(c: InterferometerCase): Record<string, unknown>;
}

const wInputs = ({ g, v }: InterferometerCase) => ({ noiseReal: v.noiseReal, uv: v.uv, grid: g.grid });

/** Every std kernel that runs on the GPU (the f64-required ones are tested apart). */
export const GPU_KERNELS: readonly KernelCase[] = [
  { file: 'w_tilde', name: 'wTilde', inputs: wInputs },
  { file: 'w_tilde_direct', name: 'wTildeDirect', inputs: wInputs },
  { file: 'w_tilde_scan', name: 'wTildeScan', inputs: wInputs },
  {
    file: 'w_tilde_preload_gemm',
    name: 'wTildePreloadGemm',
    inputs: ({ g, v }) => ({
      noiseReal: v.noiseReal,
      uv: v.uv,
      shape: [g.Ny, g.Nx],
      pixelScales: Float64Array.of(g.dy, g.dx),
    }),
  },
  {
    file: 'w_tilde_from_pixels',
    name: 'wTildeFromPixels',
    inputs: ({ g, v }) => ({
      noiseReal: v.noiseReal,
      uv: v.uv,
      shape: [g.Ny, g.Nx],
      pixelScales: Float64Array.of(g.dy, g.dx),
      nativeIndex: g.nativeIndex,
    }),
  },
  {
    file: 'w_tilde_from_preload',
    name: 'wTildeFromPreload',
    inputs: ({ g, preload }) => ({ preload, shape: [g.Ny, g.Nx], nativeIndex: g.nativeIndex }),
  },
  {
    file: 'curvature_matrix_sparse',
    name: 'curvatureMatrixSparse',
    inputs: ({ g, map, preload }) => ({
      preload,
      shape: [g.Ny, g.Nx],
      nativeIndex: g.nativeIndex,
      pixIndexes: map.pixIndexes,
      pixWeights: map.pixWeights,
      sourcePixels: map.S,
    }),
  },
  {
    file: 'curvature_matrix_fft',
    name: 'curvatureMatrixFft',
    inputs: ({ g, map, preload }) => ({
      preload,
      shape: [g.Ny, g.Nx],
      nativeIndex: g.nativeIndex,
      pixIndexes: map.pixIndexes,
      pixWeights: map.pixWeights,
      sourcePixels: map.S,
    }),
  },
  {
    file: 'dirty_image',
    name: 'dirtyImage',
    inputs: ({ g, v }) => ({ visibilities: v.visibilities, noiseMap: v.noiseMap, uv: v.uv, grid: g.grid }),
  },
  {
    file: 'data_vector',
    name: 'dataVector',
    // The data vector of the case's own dirty image (f64, from the JS kernel: see dirtyOf).
    inputs: ({ map, dirty }) => ({
      dirtyImage: dirty!,
      pixIndexes: map.pixIndexes,
      pixWeights: map.pixWeights,
      sourcePixels: map.S,
    }),
  },
];

const modules = new Map<string, Promise<Module>>();
/** The committed module kernels/<target>/<file>.js. */
export function load(target: 'js' | 'wgsl', k: Pick<KernelCase, 'file' | 'name'>): Promise<Module[string]> {
  const key = `${target}/${k.file}`;
  let m = modules.get(key);
  if (!m) {
    m = import(`../../kernels/${target}/${k.file}.js`) as Promise<Module>;
    modules.set(key, m);
  }
  return m.then((mod) => mod[k.name]!);
}

/** Gives the case its f64 dirty image (the data vector's input). */
export async function withDirty(c: InterferometerCase): Promise<InterferometerCase> {
  const dirty = await (
    await load('js', { file: 'dirty_image', name: 'dirtyImage' })
  )({ visibilities: c.v.visibilities, noiseMap: c.v.noiseMap, uv: c.v.uv, grid: c.g.grid });
  return { ...c, dirty };
}

/**
 * The preload by type-1 NUFFT, checked by the f32 conformance suite apart from GPU_KERNELS (which the df64 suite,
 * the benchmark and the measured-bound check also iterate; the df64 suite lists it itself): f32 spreading (a
 * scatter with no conflict-free axis: one invocation), the f32 Stockham FFT of the 4N_y × 4N_x grid, the
 * deconvolution. Its f32 error is far from its f64 accuracy parameter ε = 1e-12: precision.ts states what it is.
 */
export const NUFFT_KERNEL: KernelCase = {
  file: 'w_tilde_preload_nufft',
  name: 'wTildePreloadNufft',
  inputs: ({ g, v }) => ({
    noiseReal: v.noiseReal,
    uv: v.uv,
    shape: [g.Ny, g.Nx],
    pixelScales: Float64Array.of(g.dy, g.dx),
  }),
};
