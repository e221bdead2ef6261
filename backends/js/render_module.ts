// Renders a planned loop program to an ES module for the JS backend: the exported async kernel
// function (binding sizes, resolving the memory plan, allocating buffers for their live ranges,
// driving stages and chunk loops, returning plain typed arrays) and the task functions its
// worker pool runs. The module imports only the lensc runtime, never the compiler.
import { renderChunkLoop } from '../clike/chunk_loop.ts';
import { renderScanLoop } from '../clike/scan_loop.ts';
import { generatedHeader, renderDriver, sizeJs as js } from '../clike/host_driver.ts';
import type { Manifest } from '../../compiler/aot/manifest.ts';
import type { BufferDecl, LoopProgram, Stage } from '../../compiler/loop/ir.ts';
import { numel } from '../../compiler/ir/size.ts';
import {
  renderMapTask,
  renderOwnerScatterTask,
  renderScatterTask,
  renderSerialScatterTask,
  renderSharesScatterTask,
  sharesTaskName,
} from './render_tasks.ts';
import { INLINE_WORK, grainOption, opsOf } from './inline_grain.ts';
import { deferredMirrors } from './deferred_mirror.ts';

const ARENA_DTYPE: Record<string, string> = { f64: 'f64', f32: 'f32', i32: 'i32', bool: 'i32' };

export interface RenderOptions {
  readonly generatedFrom?: string;
}

export function renderJsModule(p: LoopProgram, manifest: Manifest, opts: RenderOptions = {}): string {
  const decls = new Map(p.buffers.map((b) => [b.name, b]));
  const tasks: string[] = [];
  const mirrors = deferredMirrors(p.stages);
  // Exactly the elements the shape says (an empty output, e.g. of a zero size or the ys of a scan of length 0,
  // is empty): an output never carries arena memory the call did not write.
  const alloc = (b: BufferDecl) => `b.${b.name} = A.alloc(${js(numel(b.shape))}, '${ARENA_DTYPE[b.dtype]}');`;

  const stage = (s: Stage, env: string, ind: string): string[] => {
    switch (s.kind) {
      case 'map': {
        tasks.push(renderMapTask(s, decls));
        const hi = s.domain.length ? js(s.domain[0]!.extent, env) : '1';
        const opts = s.domain.length ? grainOption(s, 0, env, js) : '';
        if (hi === '1')
          return [`${ind}await rt.parallelFor(import.meta.url, '${s.name}', 0, 1, { s: ${env}, b, p }${opts});`];
        return [
          `${ind}await support.timedFor(rt, import.meta.url, '${s.name}', 0, ${hi}, { s: ${env}, b, p }, o.onProgress, ${env}.progressRange${opts});`,
        ];
      }
      case 'scatter': {
        if (s.ownerSplit) {
          // Owner computes (compiler/plan/owner_scatters.ts): tasks over the target's leading index; each runs the
          // whole domain, so a piece is worth splitting off only when the stage's work is several grains.
          tasks.push(renderOwnerScatterTask(s, decls));
          const rows = js(s.targetShape[0]!, env);
          const points = s.domain.map((a) => js(a.extent, env)).join(' * ');
          return [
            `${ind}await rt.parallelFor(import.meta.url, '${s.name}', 0, ${rows}, { s: ${env}, b, p }, { grain: Math.ceil((${INLINE_WORK} * ${rows}) / Math.max(1, ${opsOf(s.value)} * ${points})) });`,
          ];
        }
        if (s.copies) {
          // Private copies (compiler/plan/privatise_scatters.ts): the shares in parallel when the plan chose
          // copies, else the serial scatter into the target. One grain's work per parallel index, as for maps.
          tasks.push(renderSerialScatterTask(s, decls), renderSharesScatterTask(s, decls));
          const count = `${env}.${s.copies.count}`;
          const points = s.domain.map((a) => js(a.extent, env)).join(' * ');
          const grain = `{ grain: Math.ceil(${INLINE_WORK} / Math.max(1, (${opsOf(s.value)} * ${points}) / ${count})) }`;
          return [
            `${ind}if (${count} > 0) await rt.parallelFor(import.meta.url, '${sharesTaskName(s)}', 0, ${count}, { s: ${env}, b, p }, ${grain});`,
            `${ind}else await rt.parallelFor(import.meta.url, '${s.name}', 0, 1, { s: ${env}, b, p });`,
          ];
        }
        tasks.push(renderScatterTask(s, decls));
        const hi = s.parallelAxis !== undefined ? js(s.domain[s.parallelAxis]!.extent, env) : '1';
        const opts = s.parallelAxis !== undefined ? grainOption(s, s.parallelAxis, env, js) : '';
        // Only a conflict-free parallel axis may be cut into slices (each slice writes its own outputs).
        if (s.parallelAxis === undefined)
          return [`${ind}await rt.parallelFor(import.meta.url, '${s.name}', 0, ${hi}, { s: ${env}, b, p }${opts});`];
        return [
          `${ind}await support.timedFor(rt, import.meta.url, '${s.name}', 0, ${hi}, { s: ${env}, b, p }, o.onProgress, ${env}.progressRange${opts});`,
        ];
      }
      case 'gemm': {
        const beta = s.accumulate ? 1 : 0;
        const [m, n, k] = [js(s.m, env), js(s.n, env), js(s.k, env)];
        const call = s.symmetric
          ? `rt.syrk({ trans: ${s.transA}, n: ${m}, k: ${k}, alpha: 1, a: b.${s.a}.offset, lda: ${js(s.lda, env)}, beta: ${beta}, c: b.${s.c}.offset, ldc: ${js(s.ldc, env)}${mirrors.lowerOnly.has(s) ? ', lowerOnly: true' : ''} })`
          : `rt.gemm({ transA: ${s.transA}, transB: ${s.transB}, m: ${m}, n: ${n}, k: ${k}, alpha: 1, a: b.${s.a}.offset, lda: ${js(s.lda, env)}, b: b.${s.b}.offset, ldb: ${js(s.ldb, env)}, beta: ${beta}, c: b.${s.c}.offset, ldc: ${js(s.ldc, env)} })`;
        // An empty contraction still defines C (zero, or unchanged when accumulating).
        return [
          `${ind}if (${k} > 0) await ${call};`,
          ...(s.accumulate ? [] : [`${ind}else A.view(b.${s.c}).fill(0);`]),
        ];
      }
      case 'fill':
        return [`${ind}A.view(b.${s.buf}).fill(${s.value});`];
      case 'fft':
        return [
          `${ind}await rt.fft2({ src: b.${s.src}, dst: b.${s.dst}, batch: ${js(s.batch, env)}, ny: ${js(s.ny, env)}, nx: ${js(s.nx, env)}, inverse: ${s.inverse} });`,
        ];
      case 'fftconv':
        return [
          `${ind}await rt.fftconv2({ src: b.${s.src}, kernel: b.${s.kernel}, work: b.${s.work}, dst: b.${s.dst}, batch: ${js(s.batch, env)}, ny: ${js(s.ny, env)}, nx: ${js(s.nx, env)}, py: ${js(s.py, env)}, px: ${js(s.px, env)} });`,
        ];
      case 'cholesky':
        return [
          `${ind}await support.choleskyBlocked({ arena: A, syrk: (q) => rt.syrk(q), inline: await getRuntime(1) }, b.${s.a}, b.${s.out}, ${js(s.n, env)}, manifest.kernel);`,
        ];
      case 'triSolve':
        return [
          `${ind}support.triSolve(A.view(b.${s.l}), A.view(b.${s.b}), A.view(b.${s.out}), ${js(s.n, env)}, ${js(s.cols, env)}, ${s.transpose});`,
        ];
      case 'chunk':
        // SYRKs in the loop wrote only the lower triangle of these: mirrored once here (deferred_mirror.ts).
        return [
          ...renderChunkLoop(s, env, ind, stage),
          ...(mirrors.after.get(s) ?? []).map(
            (d) => `${ind}support.mirrorLower(A.view(b.${d.buf}), ${js(d.syrk.m, env)}, ${js(d.syrk.ldc, env)});`,
          ),
        ];
      case 'scan':
        return renderScanLoop(s, env, ind, stage);
    }
  };

  const { body, uploads, outAllocs, scalars, result } = renderDriver(p, {
    commentIndent: '    ',
    indent: '      ',
    stage,
    alloc,
    free: (b) => `A.free(b.${b.name}); delete b.${b.name};`,
    upload: (i) => `b.${i.buf} = A.upload(inputs.${i.name}, '${ARENA_DTYPE[i.dtype!]}');`,
    // Rank-0 outputs come back as plain numbers; arrays as fresh (non-shared) typed arrays.
    fetch: (b) => (b.shape.length === 0 ? `A.view(b.${b.name})[0]` : `A.download(b.${b.name})`),
  });
  // Factorisations turn a NaN or ±Infinity input into "not positive definite" or a silent NaN result: kernels
  // that factor check their float inputs first (O(n²) beside the O(n³) factorisation) and name the bad one.
  const floats = p.inputs
    .filter((i) => i.kind === 'array' && (i.dtype === 'f64' || i.dtype === 'f32'))
    .map((i) => `['${i.name}', A.view(b.${i.buf})]`);
  const finiteCheck =
    p.stages.some(function factors(s: Stage): boolean {
      return s.kind === 'cholesky' || ((s.kind === 'chunk' || s.kind === 'scan') && s.body.some(factors));
    }) && floats.length
      ? `\n    support.checkFiniteInputs(manifest.kernel, [${floats.join(', ')}]);`
      : '';
  const fname = p.name;
  return `${generatedHeader(fname, 'js', opts.generatedFrom)}
import { getArena, getRuntime } from 'lensc/runtime/js';
import { bindSizes, normalizeInputs, resolvePlan, budgetOption } from 'lensc/runtime/plan';
import * as support from 'lensc/runtime/js-support';${tasks.some((t) => t.includes('lm.')) ? "\nimport * as lm from 'lensc/runtime/math';" : ''}

export const manifest = ${JSON.stringify(manifest, null, 2)};
const KERNEL = manifest.kernel;

/**
 * ${manifest.doc ?? fname}
 * @param {Record<string, unknown>} inputs
 * @param {{ threads?: number, memoryBudgetBytes?: number, onProgress?: (fraction: number, message: string) => void }} [options]
 */
export async function ${fname}(inputs, options = {}) {
  const o = support.checkOptions(manifest.kernel, options);
  inputs = normalizeInputs(manifest.kernel, manifest.params, inputs); // number arrays, { data, shape }
  const sizes = bindSizes(manifest.kernel, manifest.params, inputs);
  const caps = support.jsCapabilities();
  const budget = budgetOption(manifest.kernel, o.memoryBudgetBytes, caps.memoryBytes);
  const plan = resolvePlan(manifest.kernel, manifest.plan, sizes, { budgetBytes: budget, preferredChunkBytes: caps.preferredChunkBytes });
  const s = plan.sizes;
  const progress = typeof o.onProgress === 'function' ? o.onProgress : () => {};
  const p = { ${scalars} };
  const A = getArena();
  const b = {};
  try {
    // The inputs are copied into the arena now, before the first await: the call uses the values they had
    // when it was made, whatever the caller does with them while it waits its turn.
${uploads.map((l) => l.slice(2)).join('\n')}${finiteCheck}
    const rt = await getRuntime(o.threads);
    return await rt.exclusive(async () => {
${outAllocs.join('\n')}
${body.join('\n')}
      return ${result};
    });
  } finally {
    for (const ref of Object.values(b)) A.free(ref);
  }
}

export const __tasks = {
  ${tasks.join(',\n  ')}
};
`;
}
