// Renders a planned (f32) loop program for the WGSL target: one compute shader per map/scatter stage
// (render_shaders.ts) and the ES module that drives them — the same exported function, inputs,
// outputs and options as the JS backend's module, plus `device` (a GPUDevice of the caller's) and an
// exported prepare() that compiles the pipelines ahead of the first call. The driver binds sizes
// (input errors exactly as on JS, before any GPU work), opens the device, resolves the plan against
// the device's binding limit, uploads (f64 → f32), runs stages (shaders, the runtime's compensated
// matmul, chunk loops), reads back (f32 → f64) and frees every buffer it made.
import { renderChunkLoop } from '../clike/chunk_loop.ts';
import { renderScanLoop } from '../clike/scan_loop.ts';
import { generatedHeader, renderDriver, sizeJs as js, templateLiteral } from '../clike/host_driver.ts';
import type { Manifest } from '../../compiler/aot/manifest.ts';
import type { DType } from '../../compiler/ir/graph.ts';
import { LenscError } from '../../compiler/ir/source.ts';
import type { Size } from '../../compiler/ir/size.ts';
import { numel } from '../../compiler/ir/size.ts';
import type { BufferDecl, LoopProgram, Stage } from '../../compiler/loop/ir.ts';
import type { WgslPrecision } from '../../dsl/kernel.ts';
import { exactInputs } from './df64/exact_inputs.ts';
import { fftStageShaderDf64 } from './df64/fft_shader.ts';
import { choleskyShaders, triSolveShader } from './df64/linalg_shaders.ts';
import { SPLIT_LEN, SPLIT_OFF, renderMapShader, renderScatterShader, type RenderedShader } from './render_shaders.ts';

export interface WgslModule {
  readonly js: string;
  readonly shaders: Readonly<Record<string, string>>;
}

const fn = (s: Size): string => `(s) => ${js(s)}`;

function stageTable(sh: RenderedShader, target?: { shape: readonly Size[] }): string {
  const count = sh.extents.length ? sh.extents.map((e) => js(e)).join(' * ') : '1';
  const parts = [
    `wgsl: SHADERS.${sh.stage}`,
    `buffers: ${JSON.stringify(sh.buffers.map((b) => b.name))}`,
    `error: ${sh.errorBuffer}`,
    `uniforms: ${JSON.stringify(sh.uniforms.map((f) => [f.name, f.type]))}`,
    `count: (s) => ${count}`,
    ...(sh.split ? [`split: { total: ${fn(sh.split.total)}, cost: ${fn(sh.split.stepCost)} }`] : []),
    ...(target ? [`dims: (s) => [${target.shape.map((d) => js(d)).join(', ')}]`] : []),
  ];
  return `  ${sh.stage}: {\n    ${parts.join(',\n    ')},\n  }`;
}

function checkReservedSizes(p: LoopProgram): void {
  for (const b of p.buffers)
    for (const d of b.shape)
      for (const n of d.symbols()) {
        if (n === SPLIT_LEN || n === SPLIT_OFF)
          throw new LenscError('kernel', `the size name '${n}' is reserved by the WGSL backend; rename it`);
      }
}

export function renderWgslModule(
  p: LoopProgram,
  manifest: Manifest,
  opts: { generatedFrom?: string; precision?: WgslPrecision } = {},
): WgslModule {
  const precision = opts.precision ?? 'f32';
  checkReservedSizes(p);
  const file = manifest.file;
  const decls = new Map(p.buffers.map((b) => [b.name, b]));
  const scalarTypes = new Map(
    p.inputs.filter((i) => i.kind === 'scalar').map((i) => [i.name, i.dtype ?? 'f32'] as [string, DType]),
  );
  // df64: the f64 inputs uploaded exactly as three f32 (df64/exact_inputs.ts)
  const exact = precision === 'df64' ? exactInputs(p) : new Set<string>();
  const shaders: RenderedShader[] = [];
  const tables: string[] = [];
  const title = (s: Stage) =>
    `lensc ${p.name} stage ${s.name} (${s.kind})${'loc' in s && s.loc ? ` @ ${s.loc.file}:${s.loc.line}:${s.loc.col}` : ''}`;
  const elements = (b: BufferDecl, env = 's') => `Math.max(1, ${js(numel(b.shape), env)})`;

  const stage = (s: Stage, env: string, ind: string): string[] => {
    switch (s.kind) {
      case 'map': {
        const sh = renderMapShader(title(s), s, decls, scalarTypes, precision, exact);
        shaders.push(sh);
        tables.push(stageTable(sh));
        return [`${ind}run.stage('${s.name}', ${env});`];
      }
      case 'scatter': {
        // Private copies and owner splits are given only where BuildCapabilities allows them (not on wgsl).
        if (s.copies || s.ownerSplit)
          throw new Error(
            `wgsl: scatter ${s.name} has private copies or an owner split, which this target does not render`,
          );
        const sh = renderScatterShader(title(s), s, decls, scalarTypes, precision, exact);
        shaders.push(sh);
        tables.push(stageTable(sh, { shape: s.targetShape }));
        return [`${ind}run.stage('${s.name}', ${env});`];
      }
      case 'gemm': {
        // The runtime's matmul computes C += op(A)·op(B) into a C apart from A and B.
        if (s.c === s.a || s.c === s.b)
          throw new LenscError('matmul', `stage ${s.name}: the wgsl matmul cannot write one of its operands`, s.loc);
        const e = (x: Size) => js(x, env);
        return [
          `${ind}await run.gemm({ a: '${s.a}', b: '${s.b}', c: '${s.c}', transA: ${s.transA}, transB: ${s.transB}, m: ${e(s.m)}, n: ${e(s.n)}, k: ${e(s.k)}, lda: ${e(s.lda)}, ldb: ${e(s.ldb)}, ldc: ${e(s.ldc)}, accumulate: ${s.accumulate} });`,
        ];
      }
      case 'fill': {
        const d = decls.get(s.buf)!;
        return [`${ind}await run.fill('${s.buf}', ${js(numel(d.shape), env)}, ${s.value}, '${d.dtype}');`];
      }
      case 'fftconv':
        throw new Error(`wgsl: stage ${s.name}: fftconv is expanded into fft stages before lowering (target.ts)`);
      case 'fft': {
        const call = `${ind}await run.fft({ src: '${s.src}', dst: '${s.dst}', batch: ${js(s.batch, env)}, ny: ${js(s.ny, env)}, nx: ${js(s.nx, env)}, inverse: ${s.inverse}`;
        if (decls.get(s.src)!.dtype !== 'f64' && decls.get(s.dst)!.dtype !== 'f64') return [`${call} });`];
        // A df64 kernel's complex f64 buffers hold df64 pairs: the runtime drives the df64 stage shader the
        // module carries (the table's buffers name the stage's bindings: source, destination, roots).
        if (decls.get(s.src)!.dtype !== 'f64' || decls.get(s.dst)!.dtype !== 'f64')
          throw new LenscError('fft', `stage ${s.name}: internal: fft between f64 and f32 buffers`, s.loc);
        shaders.push({
          stage: s.name,
          source: fftStageShaderDf64(title(s)),
          buffers: [s.src, s.dst, `${s.name}_roots`].map((name) => ({ name, written: false })),
          errorBuffer: false,
          uniforms: [],
          extents: [],
        });
        tables.push(
          `  ${s.name}: { wgsl: SHADERS.${s.name}, buffers: ${JSON.stringify([s.src, s.dst, `${s.name}_roots`])}, error: false, uniforms: [], count: () => 0 }`,
        );
        return [`${call}, df64Stage: '${s.name}' });`];
      }
      case 'cholesky':
      case 'triSolve': {
        if (precision !== 'df64')
          throw new LenscError(
            s.kind,
            `stage ${s.name}: ${s.kind} needs f64, which WGSL lacks in f32; declare the kernel with precision: 'df64' (df64 on the GPU) or requiresF64: true (its WGSL module then runs the f64 JS kernel)`,
            s.loc,
          );
        const e = (x: Size) => js(x, env);
        // df64 linear algebra: host loops of small dispatches (wgsl-support Run.cholesky / Run.triSolve).
        const linalg = (name: string, source: string, buffers: string[], error: boolean) => {
          shaders.push({
            stage: name,
            source,
            buffers: buffers.map((b) => ({ name: b, written: false })),
            errorBuffer: error,
            uniforms: [],
            extents: [],
          });
          tables.push(
            `  ${name}: { wgsl: SHADERS.${name}, buffers: ${JSON.stringify(buffers)}, error: ${error}, uniforms: [], count: () => 0 }`,
          );
        };
        if (s.kind === 'cholesky') {
          const sh = choleskyShaders(title(s));
          linalg(`${s.name}_diag`, sh.diag, [s.a, s.out], true);
          linalg(`${s.name}_col`, sh.col, [s.a, s.out], true);
          return [`${ind}await run.cholesky('${s.name}', '${s.a}', '${s.out}', ${e(s.n)});`];
        }
        linalg(s.name, triSolveShader(title(s), s.transpose), [s.l, s.b, s.out], false);
        return [
          `${ind}run.triSolve('${s.name}', '${s.l}', '${s.b}', '${s.out}', ${e(s.n)}, ${e(s.cols)}, ${s.transpose});`,
        ];
      }
      case 'chunk':
        return renderChunkLoop(s, env, ind, stage);
      case 'scan':
        return renderScanLoop(s, env, ind, stage);
    }
  };

  const { body, uploads, outAllocs, scalars, result } = renderDriver(p, {
    commentIndent: '      ',
    indent: '      ',
    stage,
    alloc: (b) => `run.alloc('${b.name}', ${elements(b)}${b.dtype === 'f64' ? ", 'f64'" : ''});`,
    free: (b) => `run.free('${b.name}');`,
    upload: (i, b) => `run.upload('${i.buf}', inputs.${i.name}, '${exact.has(b.name) ? 'f64x3' : b.dtype}');`,
    fetch: (b) => `await run.download('${b.name}', ${js(numel(b.shape))}, '${b.dtype}', ${b.shape.length === 0})`,
  });
  const hasScatter = shaders.some((s) => s.errorBuffer);
  const fname = p.name;
  const shaderFiles = Object.fromEntries(shaders.map((s) => [`${file}_${s.stage}.wgsl`, s.source]));

  const code = `${generatedHeader(fname, 'wgsl', opts.generatedFrom)}
${
  precision === 'df64'
    ? `// WebGPU compute shaders in df64 (SHADERS below; lensc build --sources also writes them as ${file}_<stage>.wgsl):
// every f64 value is a pair of f32 (hi + lo, ~48 bits), split on upload and recombined on download (inputs
// added, subtracted or compared with each other travel exactly, as three f32: see the plan notes). The`
    : `// WebGPU compute shaders in f32 (SHADERS below; lensc build --sources also writes them as ${file}_<stage>.wgsl),
// driven from JS: f64 inputs are rounded to f32 on upload, results widened to f64 on download. The`
}
// manifest's precision states the error bound. WebGPU comes from navigator.gpu or, in Node, the
// \`webgpu\` package (Dawn); options.device uses a GPUDevice of your own.
import { bindSizes, normalizeInputs, snapshotInputs, resolvePlan, budgetOption } from 'lensc/runtime/plan';
import * as ws from 'lensc/runtime/wgsl-support';

export const manifest = ${JSON.stringify(manifest, null, 2)};
const KERNEL = manifest.kernel;

const SHADERS = {
${shaders.map((s) => `  ${s.stage}: ${templateLiteral(s.source)},`).join('\n')}
};

/** The GPU stages: shader, storage buffers in binding order (uniforms next), uniform fields, invocations. */
const STAGES = {
${tables.join(',\n')}
};

/**
 * Opens the device and compiles every pipeline now rather than at the first call.
 * @param {{ device?: GPUDevice }} [options]
 */
export async function prepare(options = {}) {
  const o = ws.checkOptions(KERNEL, options);
  const gpu = await ws.openGpu(KERNEL, o);
  await ws.pipelines(gpu, KERNEL, STAGES);${
    precision === 'df64'
      ? `
  // which TwoProduct the df64 shaders use on this device ('fma' where its fma is fused, else 'dekker')
  return ws.df64Info(gpu);`
      : ''
  }
}

/**
 * ${manifest.doc ?? fname}
 * @param {Record<string, unknown>} inputs
 * @param {{ threads?: number, memoryBudgetBytes?: number, onProgress?: (fraction: number, message: string) => void, device?: GPUDevice }} [options]
 */
export async function ${fname}(inputs, options = {}) {
  const o = ws.checkOptions(KERNEL, options);
  inputs = normalizeInputs(KERNEL, manifest.params, inputs); // number arrays, { data, shape }
  const sizes = bindSizes(KERNEL, manifest.params, inputs);
  inputs = snapshotInputs(manifest.params, inputs); // taken now: the call reads them after awaiting the device
  const gpu = await ws.openGpu(KERNEL, o);
  const lim = ws.deviceLimits(gpu);
  const budget = budgetOption(KERNEL, o.memoryBudgetBytes, lim.memoryBytes);
  const plan = resolvePlan(KERNEL, manifest.plan, sizes, { budgetBytes: budget, preferredChunkBytes: Infinity, maxBufferBytes: lim.planBufferBytes });
  const s = plan.sizes;
  const progress = typeof o.onProgress === 'function' ? o.onProgress : () => {};
  const run = new ws.Run(gpu, KERNEL, STAGES, await ws.pipelines(gpu, KERNEL, STAGES), lim, { ${scalars} });
  try {
${uploads.join('\n')}
${outAllocs.join('\n')}
${body.join('\n')}
      const result = ${result};${hasScatter ? '\n      await run.checkScatters();' : ''}
      return result;
  } finally {
    run.destroy();
  }
}
`;
  return { js: code, shaders: shaderFiles };
}
