// What the CUDA renderer writes for a tiny kernel (an elementwise add and a sum reduction), pinned
// as inline snapshots: a grid-stride loop over a 64-bit flat id, index arithmetic in long long, the
// reduction sequential inside one thread, a reduction to rank 0 as fixed-order partials and a finishing
// kernel; and the host calls.
import { describe, expect, it } from 'vitest';
import { planKernel, renderKernel } from '../../compiler/compile.ts';
import { add, f64, kernel, mul, sum } from '../../dsl/index.ts';

const tiny = kernel({
  name: 'tiny',
  params: { x: f64(['N', 'C']), y: f64(['N', 'C']) },
  body: ({ x, y }) => ({ s: add(x, y), rows: sum(x, 1), total: sum(mul(x, y)) }),
});

const c = planKernel(tiny, 'cuda');
const { code, extra } = renderKernel(c, 'cuda');
const cu = extra!['tiny.cu']!;

describe('CUDA rendering of a tiny kernel', () => {
  it('writes one extern "C" kernel per stage after the prelude', () => {
    expect(cu.slice(cu.indexOf('extern "C" __global__'))).toMatchInlineSnapshot(`
      "extern "C" __global__ void tiny_s0(const long long sz_C, const long long sz_N, double* __restrict__ b_out_s, const double* __restrict__ b_x, const double* __restrict__ b_y) {
        const long long lensc_n = (sz_N) * (sz_C);
        const long long lensc_stride = (long long)gridDim.x * blockDim.x;
        for (long long lensc_id = (long long)blockIdx.x * blockDim.x + threadIdx.x; lensc_id < lensc_n; lensc_id += lensc_stride) {
          long long lensc_rest = lensc_id, lensc_q;
          const long long i1 = lensc_divmod(lensc_rest, (sz_C), &lensc_q);
          lensc_rest = lensc_q;
          const long long i0 = lensc_rest;
          const long long v0 = (i0 * (sz_C));
          const long long v1 = (v0 + i1);
          const double v2 = b_x[v1];
          const double v3 = b_y[v1];
          const double v4 = (v2 + v3);
          b_out_s[v1] = v4;
        }
      }

      extern "C" __global__ void tiny_s1(const long long sz_C, const long long sz_N, double* __restrict__ b_out_rows, const double* __restrict__ b_x) {
        const long long lensc_n = (sz_N);
        const long long lensc_stride = (long long)gridDim.x * blockDim.x;
        for (long long lensc_id = (long long)blockIdx.x * blockDim.x + threadIdx.x; lensc_id < lensc_n; lensc_id += lensc_stride) {
          const long long i0 = lensc_id;
          double acc0 = 0.0;
          const long long v0 = (i0 * (sz_C));
          for (long long i1 = 0; i1 < (sz_C); i1++) {
            const long long v1 = (v0 + i1);
            const double v2 = b_x[v1];
            acc0 += v2;
          }
          b_out_rows[i0] = acc0;
        }
      }

      extern "C" __global__ void tiny_s2(const long long sz_C, const long long sz_N, const double* __restrict__ b_x, const double* __restrict__ b_y, double* __restrict__ lensc_part0) {
        const long long lensc_n = (sz_N) * (sz_C);
        for (long long lensc_slot = (long long)blockIdx.x * blockDim.x + threadIdx.x; lensc_slot < 16384; lensc_slot += (long long)gridDim.x * blockDim.x) {
          double lensc_acc0 = 0.0;
          for (long long lensc_id = lensc_slot; lensc_id < lensc_n; lensc_id += 16384) {
            long long lensc_rest = lensc_id, lensc_q;
            const long long i1 = lensc_divmod(lensc_rest, (sz_C), &lensc_q);
            lensc_rest = lensc_q;
            const long long i0 = lensc_rest;
            const long long v0 = (i0 * (sz_C));
            const long long v1 = (v0 + i1);
            const double v2 = b_x[v1];
            const double v3 = b_y[v1];
            const double v4 = (v2 * v3);
            lensc_acc0 += v4;
          }
          lensc_part0[lensc_slot] = lensc_acc0;
        }
      }

      extern "C" __global__ void tiny_s2_fin(const double* __restrict__ lensc_part0, double* __restrict__ b_out_total) {
        if (blockIdx.x != 0 || threadIdx.x != 0) return;
        double lensc_acc0 = lensc_part0[0];
        for (int t = 1; t < 16384; t++) { lensc_acc0 += lensc_part0[t]; }
        b_out_total[0] = lensc_acc0;
      }
      "
    `);
  });

  it('drives the stages from the module: uploads, launches with tagged arguments, downloads', () => {
    expect(code.slice(code.indexOf('  try {'), code.indexOf('  } finally {'))).toMatchInlineSnapshot(`
      "  try {
          t.mark('setup');
          b.x = mem.upload(inputs.x);
          b.y = mem.upload(inputs.y);
          b.out_s = mem.alloc(8 * (s.C*s.N));
          b.out_rows = mem.alloc(8 * (s.N));
          b.out_total = mem.alloc(8 * (1));
          t.mark('upload');
          // s0: map
          cs.launch(cu, k.s0, (s.N) * (s.C), [{ i64: s.C }, { i64: s.N }, { ptr: b.out_s }, { ptr: b.x }, { ptr: b.y }]);
          // s1: map
          cs.launch(cu, k.s1, (s.N), [{ i64: s.C }, { i64: s.N }, { ptr: b.out_rows }, { ptr: b.x }]);
          // s2: map
          cs.reduce(cu, mem, k.s2, k.s2_fin, 16384, [{ i64: s.C }, { i64: s.N }, { ptr: b.x }, { ptr: b.y }], 1, [{ ptr: b.out_total }]);

          t.mark('compute');
          const result = { "s": cs.download(cu, b.out_s, (s.C*s.N), 'f64'), "rows": cs.download(cu, b.out_rows, (s.N), 'f64'), "total": cs.downloadScalar(cu, b.out_total, 'f64') };
          t.mark('download');
          return result;
      "
    `);
  });
});
