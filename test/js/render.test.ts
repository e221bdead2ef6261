// What the JS renderer writes for small kernels, pinned as inline snapshots (as test/wgsl and
// test/cuda do for theirs): the exported function's body (sizes, plan, live-range allocation, stage
// calls, results) and the worker tasks — a fused map, a reduction, a chunk loop with accumulating
// syrk, a scatter. The manifest JSON at the top is left out (the manifest tests cover it).
import { describe, expect, it } from 'vitest';
import { planKernel, renderKernel } from '../../compiler/compile.ts';
import { add, cos, div, f64, i32, kernel, matmul, mul, scatterAdd, sin, sum, transpose } from '../../dsl/index.ts';

const tiny = kernel({
  name: 'tiny',
  params: { x: f64(['N', 'C']), y: f64(['N', 'C']) },
  body: ({ x, y }) => ({ s: add(x, y), rows: sum(x, 1), total: sum(mul(x, y)) }),
});
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

/** The generated module from the kernel function on (after the manifest). */
const body = (k: typeof tiny): string => {
  const code = renderKernel(planKernel(k, 'js'), 'js').code;
  return code.slice(code.indexOf('const KERNEL'));
};

describe('JS rendering', () => {
  it('a fused elementwise map, a row sum and a total sum', () => {
    expect(body(tiny)).toMatchInlineSnapshot(`
      "const KERNEL = manifest.kernel;

      /**
       * tiny
       * @param {Record<string, unknown>} inputs
       * @param {{ threads?: number, memoryBudgetBytes?: number, onProgress?: (fraction: number, message: string) => void }} [options]
       */
      export async function tiny(inputs, options = {}) {
        const o = support.checkOptions(manifest.kernel, options);
        inputs = normalizeInputs(manifest.kernel, manifest.params, inputs); // number arrays, { data, shape }
        const sizes = bindSizes(manifest.kernel, manifest.params, inputs);
        const caps = support.jsCapabilities();
        const budget = budgetOption(manifest.kernel, o.memoryBudgetBytes, caps.memoryBytes);
        const plan = resolvePlan(manifest.kernel, manifest.plan, sizes, { budgetBytes: budget, preferredChunkBytes: caps.preferredChunkBytes });
        const s = plan.sizes;
        const progress = typeof o.onProgress === 'function' ? o.onProgress : () => {};
        const p = {  };
        const A = getArena();
        const b = {};
        try {
          // The inputs are copied into the arena now, before the first await: the call uses the values they had
          // when it was made, whatever the caller does with them while it waits its turn.
          b.x = A.upload(inputs.x, 'f64');
          b.y = A.upload(inputs.y, 'f64');
          const rt = await getRuntime(o.threads);
          return await rt.exclusive(async () => {
            b.out_s = A.alloc((s.C*s.N), 'f64');
            b.out_rows = A.alloc((s.N), 'f64');
            b.out_total = A.alloc((1), 'f64');
          // s0: map
            await support.timedFor(rt, import.meta.url, 's0', 0, (s.N), { s: s, b, p }, o.onProgress, s.progressRange, { grain: Math.ceil(262144 / Math.max(1, 7 * (s.C))) });
          // s1: map
            await support.timedFor(rt, import.meta.url, 's1', 0, (s.N), { s: s, b, p }, o.onProgress, s.progressRange, { grain: Math.ceil(262144 / Math.max(1, 3 * (s.C))) });
          // s2: map
            await rt.parallelFor(import.meta.url, 's2', 0, 1, { s: s, b, p });
            return { "s": A.download(b.out_s), "rows": A.download(b.out_rows), "total": A.view(b.out_total)[0] };
          });
        } finally {
          for (const ref of Object.values(b)) A.free(ref);
        }
      }

      export const __tasks = {
        s0(ctx, a, lo, hi) {
          const C = a.s.C;
          const N = a.s.N;
          const b_out_s = ctx.f64(a.b.out_s);
          const b_x = ctx.f64(a.b.x);
          const b_y = ctx.f64(a.b.y);
          for (let i0 = lo; i0 < hi; i0++) {
            const v0 = Math.imul(i0, (C));
            for (let i1 = 0; i1 < (C); i1++) {
              const v1 = ((v0 + i1) | 0);
              const v2 = b_x[v1];
              const v3 = b_y[v1];
              const v4 = (v2 + v3);
              b_out_s[v1] = v4;
            }
          }
        },
        s1(ctx, a, lo, hi) {
          const C = a.s.C;
          const N = a.s.N;
          const b_out_rows = ctx.f64(a.b.out_rows);
          const b_x = ctx.f64(a.b.x);
          for (let i0 = lo; i0 < hi; i0++) {
            let acc0 = 0;
            const v0 = Math.imul(i0, (C));
            for (let i1 = 0; i1 < (C); i1++) {
              const v1 = ((v0 + i1) | 0);
              const v2 = b_x[v1];
              acc0 += v2;
            }
            b_out_rows[i0] = acc0;
          }
        },
        s2(ctx, a, lo, hi) {
          const C = a.s.C;
          const N = a.s.N;
          const b_out_total = ctx.f64(a.b.out_total);
          const b_x = ctx.f64(a.b.x);
          const b_y = ctx.f64(a.b.y);
          if (lo > 0) return;
          let acc0 = 0;
          for (let i0 = 0; i0 < (N); i0++) {
            const v0 = Math.imul(i0, (C));
            for (let i1 = 0; i1 < (C); i1++) {
              const v1 = ((v0 + i1) | 0);
              const v2 = b_x[v1];
              const v3 = b_y[v1];
              const v4 = (v2 * v3);
              acc0 += v4;
            }
          }
          b_out_total[0] = acc0;
        }
      };
      "
    `);
  });
  it('a chunk loop: merged cos/sin producer writing one [C S] panel, one lower-only syrk, one mirror after the loop', () => {
    expect(body(gram)).toMatchInlineSnapshot(`
      "const KERNEL = manifest.kernel;

      /**
       * gram
       * @param {Record<string, unknown>} inputs
       * @param {{ threads?: number, memoryBudgetBytes?: number, onProgress?: (fraction: number, message: string) => void }} [options]
       */
      export async function gram(inputs, options = {}) {
        const o = support.checkOptions(manifest.kernel, options);
        inputs = normalizeInputs(manifest.kernel, manifest.params, inputs); // number arrays, { data, shape }
        const sizes = bindSizes(manifest.kernel, manifest.params, inputs);
        const caps = support.jsCapabilities();
        const budget = budgetOption(manifest.kernel, o.memoryBudgetBytes, caps.memoryBytes);
        const plan = resolvePlan(manifest.kernel, manifest.plan, sizes, { budgetBytes: budget, preferredChunkBytes: caps.preferredChunkBytes });
        const s = plan.sizes;
        const progress = typeof o.onProgress === 'function' ? o.onProgress : () => {};
        const p = {  };
        const A = getArena();
        const b = {};
        try {
          // The inputs are copied into the arena now, before the first await: the call uses the values they had
          // when it was made, whatever the caller does with them while it waits its turn.
          b.a = A.upload(inputs.a, 'f64');
          b.w = A.upload(inputs.w, 'f64');
          const rt = await getRuntime(o.threads);
          return await rt.exclusive(async () => {
            b.out_result = A.alloc((s.M*s.M), 'f64');
          // s2az: fill
            A.view(b.out_result).fill(0);
          // chunk loop over K
            b.t0_t1 = A.alloc((2*s.K_chunk*s.M), 'f64');
            for (let off = 0; off < s.K; off += s.K_chunk) {
              const s_K = { ...s, K_chunk: Math.min(s.K_chunk, s.K - off), off_K: off, progressRange: [off / s.K, Math.min(1, (off + s.K_chunk) / s.K)] };
              await support.timedFor(rt, import.meta.url, 's0', 0, (s_K.M), { s: s_K, b, p }, o.onProgress, s_K.progressRange, { grain: Math.ceil(262144 / Math.max(1, 14 * (s_K.K_chunk))) });
              if ((2*s_K.K_chunk) > 0) await rt.syrk({ trans: false, n: (s_K.M), k: (2*s_K.K_chunk), alpha: 1, a: b.t0_t1.offset, lda: (2*s_K.K_chunk), beta: 1, c: b.out_result.offset, ldc: (s_K.M), lowerOnly: true });
              progress(Math.min(1, (off + s.K_chunk) / s.K), \`K chunk \${off / s.K_chunk + 1} of \${Math.ceil(s.K / s.K_chunk)}\`);
            }
            support.mirrorLower(A.view(b.out_result), (s.M), (s.M));
            A.free(b.t0_t1); delete b.t0_t1;
            return A.download(b.out_result);
          });
        } finally {
          for (const ref of Object.values(b)) A.free(ref);
        }
      }

      export const __tasks = {
        s0(ctx, a, lo, hi) {
          const K = a.s.K;
          const K_chunk = a.s.K_chunk;
          const M = a.s.M;
          const off_K = a.s.off_K;
          const b_a = ctx.f64(a.b.a);
          const b_t0_t1 = ctx.f64(a.b.t0_t1);
          const b_w = ctx.f64(a.b.w);
          for (let i0 = lo; i0 < hi; i0++) {
            const v0 = Math.imul(i0, (K));
            const v9 = Math.imul(i0, (2 * K_chunk));
            for (let i1 = 0; i1 < (K_chunk); i1++) {
              const v1 = ((i1 + off_K) | 0);
              const v2 = ((v0 + v1) | 0);
              const v3 = b_a[v2];
              const v4 = Math.cos(v3);
              const v5 = b_w[v1];
              const v6 = (v4 / v5);
              const v7 = Math.sin(v3);
              const v8 = (v7 / v5);
              const v10 = ((v9 + i1) | 0);
              const v11 = ((i1 + (K_chunk)) | 0);
              const v12 = ((v9 + v11) | 0);
              b_t0_t1[v10] = v6;
              b_t0_t1[v12] = v8;
            }
          }
        }
      };
      "
    `);
  });
  it('a scatter', () => {
    expect(body(hist)).toMatchInlineSnapshot(`
      "const KERNEL = manifest.kernel;

      /**
       * hist
       * @param {Record<string, unknown>} inputs
       * @param {{ threads?: number, memoryBudgetBytes?: number, onProgress?: (fraction: number, message: string) => void }} [options]
       */
      export async function hist(inputs, options = {}) {
        const o = support.checkOptions(manifest.kernel, options);
        inputs = normalizeInputs(manifest.kernel, manifest.params, inputs); // number arrays, { data, shape }
        const sizes = bindSizes(manifest.kernel, manifest.params, inputs);
        const caps = support.jsCapabilities();
        const budget = budgetOption(manifest.kernel, o.memoryBudgetBytes, caps.memoryBytes);
        const plan = resolvePlan(manifest.kernel, manifest.plan, sizes, { budgetBytes: budget, preferredChunkBytes: caps.preferredChunkBytes });
        const s = plan.sizes;
        const progress = typeof o.onProgress === 'function' ? o.onProgress : () => {};
        const p = {  };
        const A = getArena();
        const b = {};
        try {
          // The inputs are copied into the arena now, before the first await: the call uses the values they had
          // when it was made, whatever the caller does with them while it waits its turn.
          b.idx = A.upload(inputs.idx, 'i32');
          b.v = A.upload(inputs.v, 'f64');
          const rt = await getRuntime(o.threads);
          return await rt.exclusive(async () => {
            b.out_result = A.alloc((8), 'f64');
          // s0z: fill
            A.view(b.out_result).fill(0);
          // s0_zero: fill
            b.priv_s0 = A.alloc((8*s.copies_s0), 'f64');
            A.view(b.priv_s0).fill(0);
          // s0: scatter
            if (s.copies_s0 > 0) await rt.parallelFor(import.meta.url, 's0_shares', 0, s.copies_s0, { s: s, b, p }, { grain: Math.ceil(262144 / Math.max(1, (1 * (s.N)) / s.copies_s0)) });
            else await rt.parallelFor(import.meta.url, 's0', 0, 1, { s: s, b, p });
          // s0_sum: map
            await support.timedFor(rt, import.meta.url, 's0_sum', 0, (8), { s: s, b, p }, o.onProgress, s.progressRange, { grain: Math.ceil(262144 / Math.max(1, 3 * (s.copies_s0))) });
            A.free(b.priv_s0); delete b.priv_s0;
            return A.download(b.out_result);
          });
        } finally {
          for (const ref of Object.values(b)) A.free(ref);
        }
      }

      export const __tasks = {
        s0(ctx, a, lo, hi) {
          const N = a.s.N;
          const b_idx = ctx.i32(a.b.idx);
          const b_out_result = ctx.f64(a.b.out_result);
          const b_v = ctx.f64(a.b.v);
          if (lo > 0) return;
          for (let i0 = 0; i0 < (N); i0++) {
            const v0 = b_idx[i0];
            const v1 = b_v[i0];
            if (!(v0 == (-1))) {
              if (v0 < 0 || v0 >= 8) {
                throw new RangeError(\`\${KERNEL}: scatterAdd index (\${[v0].join(', ')}) is outside the target shape (\${[8].join(', ')})\`);
              }
              b_out_result[v0] += v1;
            }
          }
        },
        s0_shares(ctx, a, lo, hi) {
          const N = a.s.N;
          const copies_s0 = a.s.copies_s0;
          const b_idx = ctx.i32(a.b.idx);
          const b_priv_s0 = ctx.f64(a.b.priv_s0);
          const b_v = ctx.f64(a.b.v);
          for (let share_ = lo; share_ < hi; share_++) {
            const rowLo_ = Math.floor((share_ * (N)) / (copies_s0)), rowHi_ = Math.floor(((share_ + 1) * (N)) / (copies_s0));
            const copyOff_ = share_ * 8;
            for (let i0 = rowLo_; i0 < rowHi_; i0++) {
              const v0 = b_idx[i0];
              const v1 = b_v[i0];
              if (!(v0 == (-1))) {
                if (v0 < 0 || v0 >= 8) {
                  throw new RangeError(\`\${KERNEL}: scatterAdd index (\${[v0].join(', ')}) is outside the target shape (\${[8].join(', ')})\`);
                }
                b_priv_s0[copyOff_ + v0] += v1;
              }
            }
          }
        },
        s0_sum(ctx, a, lo, hi) {
          const copies_s0 = a.s.copies_s0;
          const b_out_result = ctx.f64(a.b.out_result);
          const b_priv_s0 = ctx.f64(a.b.priv_s0);
          for (let elt0_ = lo; elt0_ < hi; elt0_++) {
            let acc0 = 0;
            for (let copy_ = 0; copy_ < (copies_s0); copy_++) {
              const v0 = Math.imul(copy_, 8);
              const v1 = ((v0 + elt0_) | 0);
              const v2 = b_priv_s0[v1];
              acc0 += v2;
            }
            b_out_result[elt0_] += acc0;
          }
        }
      };
      "
    `);
  });
});
