// The loop IR as `lensc explain --loop-ir` prints it, pinned as inline snapshots for a few small
// kernels: elementwise work fused into one map, a reduction, sibling maps merged (shared phase bound
// once), a matmul operand chunked by the planner with its contraction accumulating, a scatter, and
// what each loop pass changes (--after-each).
import { describe, expect, it } from 'vitest';
import { planKernel } from '../../compiler/compile.ts';
import { printLoopProgram } from '../../compiler/loop/print.ts';
import { LOOP_PASSES } from '../../compiler/pipeline.ts';
import { TARGET_RECORDS } from '../../compiler/targets.ts';
import { add, cos, div, f64, i32, kernel, matmul, mul, scatterAdd, sin, sum, transpose } from '../../dsl/index.ts';

const tiny = kernel({
  name: 'tiny',
  params: { x: f64(['N', 'C']), y: f64(['N', 'C']) },
  body: ({ x, y }) => ({ s: add(x, y), rows: sum(x, 1), total: sum(mul(x, y)) }),
});

// cos and sin of one phase, both contracted over K: the shape of W̃ = C·Cᵀ + S·Sᵀ
const gram = kernel({
  name: 'gram',
  params: { a: f64(['M', 'K']), w: f64(['K']) },
  body: ({ a, w }) => {
    const c = div(cos(a), w),
      s = div(sin(a), w);
    return add(matmul(c, transpose(c)), matmul(s, transpose(s)));
  },
});

const hist = kernel({
  name: 'hist',
  params: { idx: i32(['N']), v: f64(['N']) },
  body: ({ idx, v }) => scatterAdd([8], [idx], v),
});

describe('loop-IR printer', () => {
  it('prints domains, reductions and fused expressions', () => {
    expect(printLoopProgram(planKernel(tiny, 'js').program, { locations: false })).toMatchInlineSnapshot(`
      "loop program tiny(x, y)
      buffers:
        input  x: f64(N, C)
        input  y: f64(N, C)
        output out_s: f64(N, C)
        output out_rows: f64(N)
        output out_total: f64()
      stages:
        s0: map parallel (i0 < N, i1 < C)
            let %0 = i0 * C + i1
            out_s[%0] = x[%0] + y[%0]
        s1: map parallel (i0 < N) sum over (i1 < C)
            out_rows[i0] = x[i0 * C + i1]
        s2: map parallel () sum over (i0 < N, i1 < C)
            let %0 = i0 * C + i1
            out_total[0] = x[%0] * y[%0]
      outputs: s = out_s, rows = out_rows, total = out_total
      notes:
        fused into sum out_rows: (N, C) → (N) (the (N, C) operand is never materialised)
        fused into sum out_total: (N, C) → () (the (N, C) operand is never materialised)"
    `);
  });
  it('prints merged siblings with their shared phase bound once, and a chunk loop', () => {
    expect(printLoopProgram(planKernel(gram, 'js').program, { locations: false })).toMatchInlineSnapshot(`
      "loop program gram(a, w)
      buffers:
        input  a: f64(M, K)
        input  w: f64(K)
        temp   t0_t1: f64(M, 2*K_chunk)  (one chunk of K)
        output out_result: f64(M, M)
      stages:
        s2az: fill out_result = 0
        chunk_K: chunk K in pieces of K_chunk, offset off_K {
          s0: map parallel (i0 < M, i1 < K_chunk)
              t0_t1[i0 * (2*K_chunk) + i1] = cos(a[i0 * K + (i1 + off_K)]) / w[i1 + off_K]
              t0_t1[i0 * (2*K_chunk) + (i1 + K_chunk)] = sin(a[i0 * K + (i1 + off_K)]) / w[i1 + off_K]
          s2a: syrk out_result += t0_t1 · t0_t1ᵀ  m=M n=M k=(2*K_chunk) lda=(2*K_chunk) ldb=(2*K_chunk) ldc=M
        }
      outputs: result = out_result
      chunk plan: K in pieces of K_chunk, 16*M bytes per unit
      notes:
        materialised t0 f64(M, K) for binary used by transpose, matmul
        materialised t1 f64(M, K) for binary used by transpose, matmul
        chunked K: t0, t1 hold K_chunk of K at a time; 2 matmul(s) accumulate across chunks
        one syrk over the panel t0_t1 = [t0 t1] (k doubled) instead of t0·t0ᵀ + t1·t1ᵀ"
    `);
  });
  it('prints a scatter', () => {
    expect(printLoopProgram(planKernel(hist, 'js').program, { locations: false })).toMatchInlineSnapshot(`
      "loop program hist(idx, v)
      buffers:
        input  idx: i32(N)
        input  v: f64(N)
        output out_result: f64(8)
        temp   priv_s0: f64(copies_s0, 8)
      stages:
        s0z: fill out_result = 0
        s0_zero: fill priv_s0 = 0
        s0: scatter over (i0 < N) parallel over copies_s0 shares of i0 into copies priv_s0 (sequential when copies_s0 = 0)
            out_result[idx[i0]] += v[i0]   (index −1 skips)
        s0_sum: map parallel (elt0_ < 8) sum over (copy_ < copies_s0)
            out_result[elt0_] += priv_s0[copy_ * 8 + elt0_]
      outputs: result = out_result
      notes:
        private copies for s0: the scatter into out_result has no conflict-free axis; up to 16 copies (priv_s0, copies_s0 of them, chosen from the budget at run time) take fixed shares of its N rows in parallel and are summed into out_result in copy order"
    `);
  });
});

describe('the loop pipeline', () => {
  it("runs lowering, the listed loop passes, then the target's own, printing the IR after each", () => {
    for (const t of TARGET_RECORDS) {
      const steps: string[] = [];
      planKernel(gram, t.name, {
        onPass: (name, _text, layer) => {
          if (layer === 'loop') steps.push(name);
        },
      });
      expect(steps).toEqual([
        'lower',
        ...LOOP_PASSES.map((p) => p.name),
        ...(t.loopPasses?.(gram) ?? []).map((p) => p.name),
      ]);
    }
  });
  it('the last loop dump is the program the target renders', () => {
    let last = '';
    const c = planKernel(gram, 'wgsl', {
      onPass: (_name, text, layer) => {
        if (layer === 'loop') last = text;
      },
    });
    expect(last).toBe(printLoopProgram(c.program));
  });
});
