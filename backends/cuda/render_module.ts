// Renders a planned loop program for the CUDA target: the .cu source (one kernel per map/scatter
// stage, after the prelude) and the ES module that drives it — the same exported function, inputs,
// outputs and options as the JS backend's module. The host side binds sizes (input errors exactly as
// on JS, before any device work), opens the device, resolves the plan with device memory as the
// budget, uploads, runs stages (kernels, cuBLAS, host linear algebra, chunk loops), and downloads.
import { renderChunkLoop } from '../clike/chunk_loop.ts';
import { renderScanLoop } from '../clike/scan_loop.ts';
import { generatedHeader, renderDriver, sizeJs as js, templateLiteral } from '../clike/host_driver.ts';
import type { Manifest } from '../../compiler/aot/manifest.ts';
import type { DType } from '../../compiler/ir/graph.ts';
import { DTYPE_BYTES } from '../../compiler/ir/graph.ts';
import { numel } from '../../compiler/ir/size.ts';
import type { BufferDecl, Expr, GemmStage, LoopProgram, MapStage, Stage } from '../../compiler/loop/ir.ts';
import { binaryE, sizeExpr, v } from '../../compiler/loop/expr.ts';
import { stageReads, stageWrites } from '../../compiler/loop/access.ts';
import { CUDA_PRELUDE } from './prelude.ts';
import {
  REDUCE_SLOTS,
  renderFillKernel,
  renderMapKernel,
  renderScatterKernel,
  type KernelParam,
  type RenderedKernel,
} from './render_kernels.ts';

export interface CudaModule {
  readonly js: string;
  readonly cu: string;
  readonly manifest: Manifest;
}

const PRECISION_NOTE =
  'Cholesky factorisations and triangular solves run on the host in f64 (backends/js/support/linalg.js); everything else on the GPU in f64.';

const usesLinalg = (ss: readonly Stage[]): boolean =>
  ss.some(
    (s) =>
      s.kind === 'cholesky' ||
      s.kind === 'triSolve' ||
      ((s.kind === 'chunk' || s.kind === 'scan') && usesLinalg(s.body)),
  );

/** The manifest of a CUDA module: says so when dense linear algebra runs on the host (in f64). Idempotent. */
export function cudaManifest(manifest: Manifest, p: LoopProgram): Manifest {
  return usesLinalg(p.stages) ? { ...manifest, precision: { ...manifest.precision, note: PRECISION_NOTE } } : manifest;
}

export function renderCudaModule(
  p: LoopProgram,
  manifest: Manifest,
  opts: { generatedFrom?: string } = {},
): CudaModule {
  const file = manifest.file;
  const decls = new Map(p.buffers.map((b) => [b.name, b]));
  const scalarTypes = new Map(
    p.inputs.filter((i) => i.kind === 'scalar').map((i) => [i.name, i.dtype ?? 'f64'] as [string, DType]),
  );
  const kernels = new Map<string, RenderedKernel>();
  /** second functions of a stage (a reduction's finish), by the key the module's `k` object uses */
  const fns = new Map<string, string>();
  const fills = new Set<DType>();
  const man = cudaManifest(manifest, p);

  const bytes = (b: BufferDecl, env = 's') => `${DTYPE_BYTES[b.dtype]} * ${js(numel(b.shape), env)}`;
  // what the support library appends itself (scatter error words, reduction partials) is not listed
  const args = (k: RenderedKernel, env: string): string =>
    k.params
      .filter((q) => q.kind !== 'err' && q.kind !== 'probe' && q.kind !== 'part')
      .map((q: KernelParam) => {
        switch (q.kind) {
          case 'size':
          case 'free':
            return `{ i64: ${env}.${q.name} }`;
          case 'scalar':
            return q.dtype === 'f64'
              ? `{ f64: p.${q.name} }`
              : q.dtype === 'f32'
                ? `{ f32: p.${q.name} }`
                : q.dtype === 'bool'
                  ? `{ i32: p.${q.name} ? 1 : 0 }`
                  : `{ i64: p.${q.name} }`;
          default:
            return `{ ptr: b.${q.name} }`;
        }
      })
      .join(', ');
  const count = (k: RenderedKernel, env: string): string =>
    k.extents.length === 0 ? 'null' : k.extents.map((e) => js(e, env)).join(' * ');

  // SYRK writes one triangle; C is symmetrized once, just before anything else touches it.
  const pending = new Map<string, GemmStage>();
  const syrkTargets = (ss: readonly Stage[]): GemmStage[] =>
    ss.flatMap((s) =>
      s.kind === 'gemm' && s.symmetric ? [s] : s.kind === 'chunk' || s.kind === 'scan' ? syrkTargets(s.body) : [],
    );
  const flush = (names: Iterable<string>, ind: string): string[] => {
    const out: string[] = [];
    for (const n of names) {
      const g = pending.get(n);
      if (!g) continue;
      pending.delete(n);
      out.push(`${ind}cs.symmetrize(cu, b.${g.c}, ${js(g.m)}, ${js(g.ldc)});`);
    }
    return out;
  };

  const stage = (s: Stage, env: string, ind: string): string[] => {
    if (s.kind !== 'chunk' && s.kind !== 'scan' && !(s.kind === 'gemm' && s.symmetric)) {
      const pre = flush([...stageReads(s), ...stageWrites(s)], ind);
      return [...pre, ...stageBody(s, env, ind)];
    }
    if (s.kind === 'gemm') {
      const pre = flush([s.a], ind);
      pending.set(s.c, s);
      return [...pre, ...stageBody(s, env, ind)];
    }
    // A chunk or scan body runs many times: what it leaves pending is pending again at its start.
    for (const g of syrkTargets(s.body)) pending.set(g.c, g);
    const lines = s.kind === 'scan' ? renderScanLoop(s, env, ind, stage) : renderChunkLoop(s, env, ind, stage);
    for (const g of syrkTargets(s.body)) pending.set(g.c, g);
    return lines;
  };

  const stageBody = (s: Exclude<Stage, { kind: 'chunk' | 'scan' }>, env: string, ind: string): string[] => {
    switch (s.kind) {
      case 'map': {
        const k = renderMapKernel(`${file}_${s.name}`, s, decls, scalarTypes);
        kernels.set(s.name, k);
        if (k.finish) {
          fns.set(`${s.name}_fin`, k.finish.name);
          return [
            `${ind}cs.reduce(cu, mem, k.${s.name}, k.${s.name}_fin, ${REDUCE_SLOTS}, [${args(k, env)}], ${k.params.filter((q) => q.kind === 'part').length}, [${k.finish.outputs.map((o) => `{ ptr: b.${o} }`).join(', ')}]);`,
          ];
        }
        return [`${ind}cs.launch(cu, k.${s.name}, ${count(k, env)}, [${args(k, env)}]);`];
      }
      case 'scatter': {
        // Private copies and owner splits are given only where BuildCapabilities allows them (not on cuda).
        if (s.copies || s.ownerSplit)
          throw new Error(
            `cuda: scatter ${s.name} has private copies or an owner split, which this target does not render`,
          );
        const k = renderScatterKernel(`${file}_${s.name}`, s, decls, scalarTypes);
        kernels.set(s.name, k);
        const dims = s.targetShape.map((d) => js(d, env)).join(', ');
        return [
          `${ind}cs.scatter(cu, mem, k.${s.name}, ${count(k, env)}, [${args(k, env)}], ${s.indices.length}, KERNEL, [${dims}]);`,
        ];
      }
      case 'gemm': {
        const beta = s.accumulate ? 1 : 0;
        const [m, n, kk] = [js(s.m, env), js(s.n, env), js(s.k, env)];
        const call = s.symmetric
          ? `cs.syrk(cu, { trans: ${s.transA}, n: ${m}, k: ${kk}, a: b.${s.a}, lda: ${js(s.lda, env)}, beta: ${beta}, c: b.${s.c}, ldc: ${js(s.ldc, env)} })`
          : `cs.gemm(cu, { transA: ${s.transA}, transB: ${s.transB}, m: ${m}, n: ${n}, k: ${kk}, a: b.${s.a}, lda: ${js(s.lda, env)}, b: b.${s.b}, ldb: ${js(s.ldb, env)}, beta: ${beta}, c: b.${s.c}, ldc: ${js(s.ldc, env)} })`;
        // An empty contraction still defines C (zero, or unchanged when accumulating).
        return [
          `${ind}if (${kk} > 0) ${call};`,
          ...(s.accumulate ? [] : [`${ind}else cu.memsetZero(b.${s.c}, ${bytes(decls.get(s.c)!, env)});`]),
        ];
      }
      case 'fill': {
        const d = decls.get(s.buf)!;
        if (s.value === 0) return [`${ind}cu.memsetZero(b.${s.buf}, ${bytes(d, env)});`];
        fills.add(d.dtype);
        return [
          `${ind}cs.fill(cu, k.fill_${d.dtype}, b.${s.buf}, ${js(numel(d.shape), env)}, ${s.value}, '${d.dtype}');`,
        ];
      }
      case 'fftconv':
        throw new Error(`cuda: stage ${s.name}: fftconv is expanded into fft stages before lowering (target.ts)`);
      case 'fft': {
        const d = decls.get(s.dst)!;
        const call = `${ind}cu.fft2('${d.dtype}', ${js(s.batch, env)}, ${js(s.ny, env)}, ${js(s.nx, env)}, b.${s.src}, b.${s.dst}, ${s.inverse});`;
        if (!s.inverse) return [call];
        // cuFFT's inverse is unnormalised: one generated kernel divides by Ny·Nx.
        const i = v('i0');
        const points: Expr = { k: 'cast', a: sizeExpr(s.ny.mul(s.nx)), from: 'i32', to: d.dtype };
        const value = binaryE('div', { k: 'load', buf: s.dst, index: i, dtype: d.dtype }, points, d.dtype);
        const scale: MapStage = {
          kind: 'map',
          name: `${s.name}_scale`,
          domain: [{ v: 'i0', extent: numel(d.shape) }],
          outputs: [{ buf: s.dst, index: i, value, accumulate: false }],
          loc: s.loc,
        };
        return [call, ...stageBody(scale, env, ind)];
      }
      case 'cholesky':
        return [`${ind}cs.hostCholesky(cu, b.${s.a}, b.${s.out}, ${js(s.n, env)}, KERNEL);`];
      case 'triSolve':
        return [
          `${ind}cs.hostTriSolve(cu, b.${s.l}, b.${s.b}, b.${s.out}, ${js(s.n, env)}, ${js(s.cols, env)}, ${s.transpose});`,
        ];
    }
  };

  const { body, uploads, outAllocs, scalars, result } = renderDriver(p, {
    commentIndent: '    ',
    indent: '    ',
    stage,
    comment: (s) =>
      s.kind === 'chunk'
        ? `chunk loop over ${s.symbol}`
        : s.kind === 'scan'
          ? `${s.name}: scan loop over ${s.length} steps`
          : `${s.name}: ${s.kind}${s.kind === 'gemm' && s.symmetric ? ' (syrk)' : ''}`,
    alloc: (b) => `b.${b.name} = mem.alloc(${bytes(b)});`,
    // a freed C needs no symmetrizing
    free: (b) => {
      pending.delete(b.name);
      return `mem.free(b.${b.name}); delete b.${b.name};`;
    },
    upload: (i) => `b.${i.buf} = mem.upload(inputs.${i.name});`,
    fetch: (d) =>
      d.shape.length === 0
        ? `cs.downloadScalar(cu, b.${d.name}, '${d.dtype}')`
        : `cs.download(cu, b.${d.name}, ${js(numel(d.shape))}, '${d.dtype}')`,
  });
  const tail = flush([...pending.keys()], '    ');
  const arrays = p.inputs.filter((i) => i.kind === 'array');
  const outputs = p.buffers.filter((b) => b.role === 'output');
  const ioBytes =
    [...arrays.map((i) => `inputs.${i.name}.byteLength`), ...outputs.map((b) => bytes(b))].join(' + ') || '0';

  for (const dt of fills)
    kernels.set(`fill_${dt}`, {
      name: `${file}_fill_${dt}`,
      params: [],
      source: renderFillKernel(`${file}_fill_${dt}`, dt),
      extents: [],
    });
  const cu = `${generatedHeader(p.name, 'cuda', opts.generatedFrom)}
// Device code of ${file}.js: f64 throughout; i32 index arithmetic in 64-bit; one thread per output element.
${CUDA_PRELUDE}
${[...kernels.values()].map((k) => k.source).join('\n')}`;

  const fname = p.name;
  const code = `${generatedHeader(fname, 'cuda', opts.generatedFrom)}
// The device code is SOURCE below (lensc build --sources also writes it as ${file}.cu); NVRTC compiles it on
// first use (cached on disk). Needs an NVIDIA driver, NVRTC and cuBLAS (CUDA 13), and koffi.
import { bindSizes, normalizeInputs, snapshotInputs, resolvePlan, budgetOption } from 'lensc/runtime/plan';
import * as cs from 'lensc/runtime/cuda-support';

export const manifest = ${JSON.stringify(man, null, 2)};
const KERNEL = manifest.kernel;
const SOURCE = ${templateLiteral(cu)};

/**
 * ${manifest.doc ?? fname}
 * @param {Record<string, unknown>} inputs
 * @param {{ threads?: number, memoryBudgetBytes?: number, onProgress?: (fraction: number, message: string) => void }} [options]
 */
export async function ${fname}(inputs, options = {}) {
  return run(inputs, options, cs.timer(false));
}

/** For benchmarks: the result and the wall milliseconds of each phase (setup, upload, compute, download), the GPU synchronised at each. */
export async function __profile(inputs, options = {}) {
  const t = cs.timer(true);
  const result = await run(inputs, options, t);
  return { result, ms: t.ms };
}

async function run(inputs, options, t) {
  const o = cs.checkOptions(KERNEL, options);
  inputs = normalizeInputs(KERNEL, manifest.params, inputs); // number arrays, { data, shape }
  const sizes = bindSizes(KERNEL, manifest.params, inputs);
  inputs = snapshotInputs(manifest.params, inputs); // taken now: the call reads them after awaiting the device
  const userBudget = budgetOption(KERNEL, o.memoryBudgetBytes, undefined);
  const cu = await cs.openDevice(KERNEL);
  t.attach(cu);
  const budget = userBudget ?? cs.deviceBudget(KERNEL, cu, ${ioBytes.replace(/\bs\./g, 'sizes.')});
  const plan = resolvePlan(KERNEL, manifest.plan, sizes, { budgetBytes: budget, preferredChunkBytes: Infinity });
  const s = plan.sizes;
  const progress = typeof o.onProgress === 'function' ? o.onProgress : () => {};
  const mod = await cu.compile(SOURCE, { name: '${file}.cu' });
  const k = { ${[...[...kernels.entries()].map(([n, kk]) => [n, kk.name]), ...fns.entries()].map(([n, c]) => `${n}: mod.fn('${c}')`).join(', ')} };
  const mem = new cs.Memory(cu);
  const b = {};
  const p = { ${scalars} };
  try {
    t.mark('setup');
${uploads.join('\n')}
${outAllocs.join('\n')}
    t.mark('upload');
${body.join('\n')}
${tail.join('\n')}
    t.mark('compute');
    const result = ${result};
    t.mark('download');
    return result;
  } finally {
    mem.freeAll();
  }
}
`;
  return { js: code, cu, manifest: man };
}
