/* A stand-in libcufft.so.12 for the runtime's tests: batched 1-D/2-D complex-to-complex transforms computed by
 * the DFT's definition on host memory (the fake libcuda's "device" pointers are host pointers). Prototypes
 * follow cufft.h (cuFFT API reference, CUDA 13) with cufftHandle, cufftType and cufftResult as int — the ABI
 * is the same — and complex pointers as double / float pairs. Argument checks mirror cuFFT's documented
 * errors (CUFFT_INVALID_PLAN, _INVALID_VALUE, _INVALID_SIZE, _INVALID_TYPE), so a runtime that mixed up the
 * plan layout, the direction or the precision fails here as it would on a GPU. Unnormalised, like cuFFT. */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

enum { CUFFT_SUCCESS = 0, CUFFT_INVALID_PLAN = 1, CUFFT_INVALID_TYPE = 3, CUFFT_INVALID_VALUE = 4, CUFFT_INVALID_SIZE = 8 };
enum { CUFFT_C2C = 0x29, CUFFT_Z2Z = 0x69 };

struct plan { int used, rank, n[2], batch, type; };
static struct plan plans[64];
int fake_cufft_execs = 0, fake_cufft_plans = 0;

int cufftPlanMany(int *plan, int rank, int *n, int *inembed, int istride, int idist, int *onembed, int ostride,
                  int odist, int type, int batch) {
  if (!plan || !n || (rank != 1 && rank != 2)) return CUFFT_INVALID_VALUE;
  if (type != CUFFT_C2C && type != CUFFT_Z2Z) return CUFFT_INVALID_TYPE;
  long total = 1;
  for (int d = 0; d < rank; d++) { if (n[d] < 1) return CUFFT_INVALID_SIZE; total *= n[d]; }
  if (batch < 1) return CUFFT_INVALID_SIZE;
  /* the fake knows only the default layout: NULL embeds (then strides and distances are ignored by cuFFT,
   * but the runtime passes the contiguous ones; check them so a wrong call is noticed) */
  if (inembed || onembed || istride != 1 || ostride != 1 || idist != total || odist != total) return CUFFT_INVALID_VALUE;
  for (int h = 0; h < 64; h++) {
    if (plans[h].used) continue;
    plans[h] = (struct plan){ 1, rank, { rank == 2 ? n[0] : 1, rank == 2 ? n[1] : n[0] }, batch, type }; /* rank 1: one row */
    *plan = h + 1; /* 0 stays invalid */
    fake_cufft_plans++;
    return CUFFT_SUCCESS;
  }
  return CUFFT_INVALID_VALUE;
}

static struct plan *find(int h) { return h >= 1 && h <= 64 && plans[h - 1].used ? &plans[h - 1] : NULL; }

int cufftSetStream(int plan, void *stream) { return !find(plan) ? CUFFT_INVALID_PLAN : stream ? CUFFT_INVALID_VALUE : CUFFT_SUCCESS; }
int cufftDestroy(int plan) { struct plan *p = find(plan); if (!p) return CUFFT_INVALID_PLAN; p->used = 0; return CUFFT_SUCCESS; }

/* lines of n points, `step` apart, in place on a complex double array (re, im interleaved) */
static void dft_lines(double *x, long lines, const long *starts, int n, long step, int sign) {
  double *t = malloc(sizeof(double) * 2 * (size_t)n);
  for (long l = 0; l < lines; l++) {
    double *b = x + 2 * starts[l];
    for (long k = 0; k < n; k++) {
      double sr = 0, si = 0;
      for (long j = 0; j < n; j++) {
        double a = sign * 2 * M_PI * (double)((j * k) % n) / n, re = b[2 * j * step], im = b[2 * j * step + 1];
        sr += re * cos(a) - im * sin(a); si += re * sin(a) + im * cos(a);
      }
      t[2 * k] = sr; t[2 * k + 1] = si;
    }
    for (long k = 0; k < n; k++) { b[2 * k * step] = t[2 * k]; b[2 * k * step + 1] = t[2 * k + 1]; }
  }
  free(t);
}

/* the transform in double whatever the precision: `single` converts floats in and out */
static int exec(struct plan *p, void *in, void *out, int dir, int single) {
  if (dir != -1 && dir != 1) return CUFFT_INVALID_VALUE;
  if (!in || !out) return CUFFT_INVALID_VALUE;
  int ny = p->n[0], nx = p->n[1];
  long img = (long)ny * nx, total = img * p->batch;
  double *x = malloc(sizeof(double) * 2 * (size_t)total);
  for (long i = 0; i < 2 * total; i++) x[i] = single ? ((float *)in)[i] : ((double *)in)[i];
  long *starts = calloc((size_t)(p->batch * (ny > nx ? ny : nx)), sizeof(long));
  if (!x || !starts) { free(x); free(starts); return 2; /* CUFFT_ALLOC_FAILED */ }
  long c = 0;
  for (long b = 0; b < p->batch; b++) for (long y = 0; y < ny; y++) starts[c++] = b * img + y * nx;
  dft_lines(x, c, starts, nx, 1, dir);
  if (p->rank == 2) {
    c = 0;
    for (long b = 0; b < p->batch; b++) for (long xx = 0; xx < nx; xx++) starts[c++] = b * img + xx;
    dft_lines(x, c, starts, ny, nx, dir);
  }
  for (long i = 0; i < 2 * total; i++) { if (single) ((float *)out)[i] = (float)x[i]; else ((double *)out)[i] = x[i]; }
  free(starts); free(x);
  fake_cufft_execs++;
  return CUFFT_SUCCESS;
}

int cufftExecZ2Z(int plan, double *idata, double *odata, int direction) {
  struct plan *p = find(plan);
  if (!p) return CUFFT_INVALID_PLAN;
  if (p->type != CUFFT_Z2Z) return CUFFT_INVALID_TYPE;
  return exec(p, idata, odata, direction, 0);
}
int cufftExecC2C(int plan, float *idata, float *odata, int direction) {
  struct plan *p = find(plan);
  if (!p) return CUFFT_INVALID_PLAN;
  if (p->type != CUFFT_C2C) return CUFFT_INVALID_TYPE;
  return exec(p, idata, odata, direction, 1);
}
