// Renders a planned loop program to an ES module for the JS backend: the exported async kernel
// function (binding sizes, resolving the memory plan, allocating buffers for their live ranges,
// driving stages and chunk loops, returning plain typed arrays) and the task functions its
// worker pool runs. The module imports only the lensc runtime, never the compiler.
import type { Manifest } from '../../compiler/aot/manifest.ts';
import type { BufferDecl, LoopProgram, Stage } from '../../compiler/loop/ir.ts';
import { liveRanges } from '../../compiler/plan/plan_memory.ts';
import type { Size } from '../../compiler/ir/size.ts';
import { numel } from '../../compiler/ir/size.ts';
import { renderMapTask, renderScatterTask } from './render_tasks.ts';

const ARENA_DTYPE: Record<string, string> = { f64: 'f64', f32: 'f32', i32: 'i32', bool: 'i32' };
const js = (s: Size, env = 's'): string => `(${s.toJs(env)})`;

export interface RenderOptions { readonly generatedFrom?: string }

export function renderJsModule(p: LoopProgram, manifest: Manifest, opts: RenderOptions = {}): string {
  const decls = new Map(p.buffers.map((b) => [b.name, b]));
  const tasks: string[] = [];
  const live = liveRanges(p);
  const usesLinalg = JSON.stringify(p.stages.map((s) => s.kind)).match(/cholesky|triSolve/) !== null || p.stages.some((s) => s.kind === 'chunk' && s.body.some((b) => b.kind === 'cholesky' || b.kind === 'triSolve'));
  const alloc = (b: BufferDecl) => `b.${b.name} = A.alloc(Math.max(1, ${js(numel(b.shape))}), '${ARENA_DTYPE[b.dtype]}');`;

  const stage = (s: Stage, env: string, ind: string): string[] => {
    switch (s.kind) {
      case 'map': {
        tasks.push(renderMapTask(s, decls));
        const hi = s.domain.length ? js(s.domain[0]!.extent, env) : '1';
        return [`${ind}await rt.parallelFor(import.meta.url, '${s.name}', 0, ${hi}, { s: ${env}, b, p });`];
      }
      case 'scatter': {
        tasks.push(renderScatterTask(s, decls));
        const hi = s.parallelAxis !== undefined ? js(s.domain[s.parallelAxis]!.extent, env) : '1';
        return [`${ind}await rt.parallelFor(import.meta.url, '${s.name}', 0, ${hi}, { s: ${env}, b, p });`];
      }
      case 'gemm': {
        const beta = s.accumulate ? 1 : 0;
        const [m, n, k] = [js(s.m, env), js(s.n, env), js(s.k, env)];
        const call = s.symmetric
          ? `rt.syrk({ trans: ${s.transA}, n: ${m}, k: ${k}, alpha: 1, a: b.${s.a}.offset, lda: ${js(s.lda, env)}, beta: ${beta}, c: b.${s.c}.offset, ldc: ${js(s.ldc, env)} })`
          : `rt.gemm({ transA: ${s.transA}, transB: ${s.transB}, m: ${m}, n: ${n}, k: ${k}, alpha: 1, a: b.${s.a}.offset, lda: ${js(s.lda, env)}, b: b.${s.b}.offset, ldb: ${js(s.ldb, env)}, beta: ${beta}, c: b.${s.c}.offset, ldc: ${js(s.ldc, env)} })`;
        // An empty contraction still defines C (zero, or unchanged when accumulating).
        return [`${ind}if (${k} > 0) await ${call};`, ...(s.accumulate ? [] : [`${ind}else A.view(b.${s.c}).fill(0);`])];
      }
      case 'fill': return [`${ind}A.view(b.${s.buf}).fill(${s.value});`];
      case 'cholesky': return [`${ind}await support.choleskyBlocked({ arena: A, syrk: (q) => rt.syrk(q), inline: await getRuntime(1) }, b.${s.a}, b.${s.out}, ${js(s.n, env)}, manifest.kernel);`];
      case 'triSolve': return [`${ind}support.triSolve(A.view(b.${s.l}), A.view(b.${s.b}), A.view(b.${s.out}), ${js(s.n, env)}, ${js(s.cols, env)}, ${s.transpose});`];
      case 'chunk': {
        const inner = `s_${s.symbol}`;
        return [
          `${ind}for (let off = 0; off < s.${s.symbol}; off += s.${s.chunkSymbol}) {`,
          `${ind}  const ${inner} = { ...${env}, ${s.chunkSymbol}: Math.min(s.${s.chunkSymbol}, s.${s.symbol} - off), ${s.offset}: off };`,
          ...s.body.flatMap((b) => stage(b, inner, ind + '  ')),
          `${ind}  progress(Math.min(1, (off + s.${s.chunkSymbol}) / s.${s.symbol}), \`${s.symbol} chunk \${off / s.${s.chunkSymbol} + 1} of \${Math.ceil(s.${s.symbol} / s.${s.chunkSymbol})}\`);`,
          `${ind}}`,
        ];
      }
    }
  };

  const body: string[] = [];
  p.stages.forEach((s, i) => {
    body.push(`    // ${s.kind === 'chunk' ? `chunk loop over ${s.symbol}` : `${s.name}: ${s.kind}`}`);
    for (const b of p.buffers) if (b.role === 'temp' && live.get(b.name)?.[0] === i) body.push(`      ${alloc(b)}`);
    body.push(...stage(s, 's', '      '));
    for (const b of p.buffers) if (b.role === 'temp' && live.get(b.name)?.[1] === i) body.push(`      A.free(b.${b.name}); delete b.${b.name};`);
  });

  const uploads = p.inputs.filter((i) => i.kind === 'array').map((i) => `      b.${i.buf} = A.upload(inputs.${i.name}, '${ARENA_DTYPE[i.dtype!]}');`);
  const scalars = p.inputs.filter((i) => i.kind === 'scalar').map((i) => `${i.name}: inputs.${i.name}`);
  const outAllocs = p.buffers.filter((b) => b.role === 'output').map((b) => `      ${alloc(b)}`);
  // Rank-0 outputs come back as plain numbers; arrays as fresh (non-shared) typed arrays.
  const fetch = (buf: string) => (decls.get(buf)!.shape.length === 0 ? `A.view(b.${buf})[0]` : `A.download(b.${buf})`);
  const result = p.singleOutput
    ? fetch(p.outputs[0]!.buf)
    : `{ ${p.outputs.map((o) => `${JSON.stringify(o.name)}: ${fetch(o.buf)}`).join(', ')} }`;
  const fname = p.name;
  return `// Generated by lensc${opts.generatedFrom ? ` from ${opts.generatedFrom}` : ''} (kernel ${fname}, target js). Do not edit: run \`npm run kernels\`.
import { getRuntime } from 'lensc/runtime/js';
import { bindSizes, resolvePlan, budgetOption } from 'lensc/runtime/plan';
import * as support from 'lensc/runtime/js-support';

export const manifest = ${JSON.stringify(manifest, null, 2)};
const KERNEL = manifest.kernel;

/**
 * ${manifest.doc ?? fname}
 * @param {Record<string, unknown>} inputs
 * @param {{ threads?: number, memoryBudgetBytes?: number, onProgress?: (fraction: number, message: string) => void }} [options]
 */
export async function ${fname}(inputs, options = {}) {
  const o = support.checkOptions(manifest.kernel, options);
  const sizes = bindSizes(manifest.kernel, manifest.params, inputs);
  const caps = support.jsCapabilities();
  const budget = budgetOption(manifest.kernel, o.memoryBudgetBytes, caps.memoryBytes);
  const plan = resolvePlan(manifest.kernel, manifest.plan, sizes, { budgetBytes: budget, preferredChunkBytes: caps.preferredChunkBytes });
  const s = plan.sizes;
  const progress = typeof o.onProgress === 'function' ? o.onProgress : () => {};
  const rt = await getRuntime(o.threads);
  return rt.exclusive(async () => {
    const A = rt.arena;
    const b = {};
    const p = { ${scalars.join(', ')} };
    try {
${uploads.join('\n')}
${outAllocs.join('\n')}
${body.join('\n')}${usesLinalg ? '' : ''}
      return ${result};
    } finally {
      for (const ref of Object.values(b)) A.free(ref);
    }
  });
}

export const __tasks = {
  ${tasks.join(',\n  ')}
};
`;
}
