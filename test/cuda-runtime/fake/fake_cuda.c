/* A stand-in libcuda.so.1 for testing the runtime's bindings on machines without a GPU.
 * It includes the real <cuda.h>, so every definition below must match the driver's prototypes:
 * a wrong signature in the fake is a compile error, which is what keeps the JS bindings honest.
 * "Device" memory is host memory; kernels are host functions looked up by name (the cubin handed
 * to cuModuleLoadData is only checked to be an ELF file). Env: FAKE_CUDA_DEVICES (default 1),
 * FAKE_CUDA_MEM (bytes the fake device has, default 256 MiB). It also runs the kernels of
 * bench/gpu/checks, so the GPU self-test can be smoke-run here (LENSC_SELFTEST_SCALE=small). */
#include <cuda.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int initialized = 0;
static size_t mem_total = 256u << 20, mem_used = 0;
static const CUcontext FAKE_CTX = (CUcontext)(uintptr_t)0xC0DE;
static CUcontext current = NULL;

/* last launch, read by tests through the getters at the end */
static unsigned fake_last_shared = 0, fake_last_grid[3], fake_last_block[3];
static int fake_func_max_dyn_shared = 0;

typedef void (*host_kernel)(void **params, unsigned total_threads);
struct fake_func { const char *name; host_kernel run; };

static void axpy(void **p, unsigned total) { /* (double *y, const double *x, double a, int n) */
  double *y = *(double **)p[0]; const double *x = *(const double **)p[1];
  double a = *(double *)p[2]; int n = *(int *)p[3];
  for (unsigned i = 0; i < total && (int)i < n; i++) y[i] += a * x[i];
}
static void symmetrize(void **p, unsigned total) { /* (double *C, int n, int ldc, int lower) */
  (void)total;
  double *C = *(double **)p[0]; int n = *(int *)p[1], ldc = *(int *)p[2], lower = *(int *)p[3];
  for (long j = 0; j < n; j++)
    for (long i = 0; i < n; i++)
      if (lower ? i > j : i < j) C[j + i * (long)ldc] = C[i + j * (long)ldc];
}
static void int_kinds(void **p, unsigned total) { /* (long long *out, int a, unsigned b, long long c, float d) */
  (void)total;
  long long *out = *(long long **)p[0];
  out[0] = *(int *)p[1]; out[1] = *(unsigned *)p[2]; out[2] = *(long long *)p[3]; out[3] = (long long)(*(float *)p[4] * 4);
}
/* the kernels of bench/gpu/checks, so the GPU self-test can be smoke-run on this fake */
static void selftest_axpy_cos(void **p, unsigned total) { /* (double *y, const double *x, double a, double u, int n) */
  double *y = *(double **)p[0]; const double *x = *(const double **)p[1];
  double a = *(double *)p[2], u = *(double *)p[3]; int n = *(int *)p[4];
  for (unsigned i = 0; i < total && (int)i < n; i++) y[i] += a * cos(u * x[i]);
}
static double hash01(unsigned long long i, unsigned long long seed) {
  unsigned long long z = i + seed * 0x9E3779B97F4A7C15ull;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  z = z ^ (z >> 31);
  return (double)(z >> 11) * 0x1.0p-53 - 0.5;
}
static void selftest_fill(void **p, unsigned total) { /* (double *a, long long n, long long seed): grid-stride */
  (void)total;
  double *a = *(double **)p[0]; long long n = *(long long *)p[1], seed = *(long long *)p[2];
  for (long long i = 0; i < n; i++) a[i] = hash01((unsigned long long)i, (unsigned long long)seed);
}
static struct fake_func funcs[] = {
  {"axpy", axpy}, {"lensc_symmetrize", symmetrize}, {"int_kinds", int_kinds},
  {"lensc_selftest_axpy_cos", selftest_axpy_cos}, {"lensc_selftest_fill", selftest_fill}, {NULL, NULL}};

static const char *names[][2] = {
  {"CUDA_SUCCESS", "no error"}, {"CUDA_ERROR_INVALID_VALUE", "invalid argument"},
  {"CUDA_ERROR_OUT_OF_MEMORY", "out of memory"}, {"CUDA_ERROR_NOT_INITIALIZED", "initialization error"}};
static int name_index(CUresult e) {
  switch (e) { case 0: return 0; case 1: return 1; case 2: return 2; case 3: return 3; default: return -1; }
}
CUresult CUDAAPI cuGetErrorName(CUresult e, const char **s) {
  if (e == CUDA_ERROR_NO_DEVICE) { *s = "CUDA_ERROR_NO_DEVICE"; return CUDA_SUCCESS; }
  if (e == CUDA_ERROR_INVALID_IMAGE) { *s = "CUDA_ERROR_INVALID_IMAGE"; return CUDA_SUCCESS; }
  if (e == CUDA_ERROR_NOT_FOUND) { *s = "CUDA_ERROR_NOT_FOUND"; return CUDA_SUCCESS; }
  int i = name_index(e); if (i < 0) { *s = NULL; return CUDA_ERROR_INVALID_VALUE; }
  *s = names[i][0]; return CUDA_SUCCESS;
}
CUresult CUDAAPI cuGetErrorString(CUresult e, const char **s) {
  int i = name_index(e); if (i < 0) { *s = NULL; return CUDA_ERROR_INVALID_VALUE; }
  *s = names[i][1]; return CUDA_SUCCESS;
}

CUresult CUDAAPI cuInit(unsigned int flags) {
  const char *n = getenv("FAKE_CUDA_DEVICES"), *m = getenv("FAKE_CUDA_MEM");
  if (flags != 0) return CUDA_ERROR_INVALID_VALUE;
  if (n && atoi(n) == 0) return CUDA_ERROR_NO_DEVICE;
  if (m) mem_total = (size_t)strtoull(m, NULL, 10);
  initialized = 1; return CUDA_SUCCESS;
}
CUresult CUDAAPI cuDriverGetVersion(int *v) { *v = 13000; return CUDA_SUCCESS; }
CUresult CUDAAPI cuDeviceGetCount(int *c) { if (!initialized) return CUDA_ERROR_NOT_INITIALIZED; *c = 1; return CUDA_SUCCESS; }
CUresult CUDAAPI cuDeviceGet(CUdevice *d, int ordinal) { if (ordinal != 0) return CUDA_ERROR_INVALID_VALUE; *d = 0; return CUDA_SUCCESS; }
CUresult CUDAAPI cuDeviceGetName(char *name, int len, CUdevice d) {
  (void)d; strncpy(name, "Fake GPU (lensc test)", (size_t)len); name[len - 1] = 0; return CUDA_SUCCESS;
}
CUresult CUDAAPI cuDeviceTotalMem_v2(size_t *b, CUdevice d) { (void)d; *b = mem_total; return CUDA_SUCCESS; }
CUresult CUDAAPI cuDeviceGetAttribute(int *pi, CUdevice_attribute a, CUdevice d) {
  (void)d;
  switch ((int)a) {
    case 1: case 2: case 3: *pi = 1024; break;
    case 4: *pi = 64; break;
    case 5: *pi = 2147483647; break;
    case 6: case 7: *pi = 65535; break;
    case 8: *pi = 49152; break;
    case 16: *pi = 132; break;
    case 75: *pi = 9; break;
    case 76: *pi = 0; break;
    case 97: *pi = 232448; break;
    default: return CUDA_ERROR_INVALID_VALUE;
  }
  return CUDA_SUCCESS;
}
CUresult CUDAAPI cuDevicePrimaryCtxRetain(CUcontext *c, CUdevice d) { (void)d; *c = FAKE_CTX; return CUDA_SUCCESS; }
CUresult CUDAAPI cuCtxSetCurrent(CUcontext c) { if (c != FAKE_CTX) return CUDA_ERROR_INVALID_VALUE; current = c; return CUDA_SUCCESS; }
CUresult CUDAAPI cuCtxSynchronize(void) { return current ? CUDA_SUCCESS : CUDA_ERROR_INVALID_VALUE; }

CUresult CUDAAPI cuModuleLoadData(CUmodule *m, const void *image) {
  const unsigned char *b = image;
  if (!current) return CUDA_ERROR_INVALID_VALUE;
  if (!(b[0] == 0x7f && b[1] == 'E' && b[2] == 'L' && b[3] == 'F')) return CUDA_ERROR_INVALID_IMAGE;
  *m = (CUmodule)malloc(1); return CUDA_SUCCESS;
}
CUresult CUDAAPI cuModuleUnload(CUmodule m) { free(m); return CUDA_SUCCESS; }
CUresult CUDAAPI cuModuleGetFunction(CUfunction *f, CUmodule m, const char *name) {
  if (!m) return CUDA_ERROR_INVALID_VALUE;
  for (struct fake_func *p = funcs; p->name; p++)
    if (strcmp(p->name, name) == 0) { *f = (CUfunction)p; return CUDA_SUCCESS; }
  return CUDA_ERROR_NOT_FOUND;
}
CUresult CUDAAPI cuFuncSetAttribute(CUfunction f, CUfunction_attribute a, int v) {
  (void)f; if ((int)a == 8) fake_func_max_dyn_shared = v; return CUDA_SUCCESS;
}
CUresult CUDAAPI cuLaunchKernel(CUfunction f, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by,
                                unsigned bz, unsigned shared, CUstream s, void **params, void **extra) {
  if (!current || s != NULL || extra != NULL || params == NULL) return CUDA_ERROR_INVALID_VALUE;
  if (shared > 49152 && (int)shared > fake_func_max_dyn_shared) return CUDA_ERROR_INVALID_VALUE;
  fake_last_shared = shared;
  fake_last_grid[0] = gx; fake_last_grid[1] = gy; fake_last_grid[2] = gz;
  fake_last_block[0] = bx; fake_last_block[1] = by; fake_last_block[2] = bz;
  ((struct fake_func *)f)->run(params, gx * gy * gz * bx * by * bz);
  return CUDA_SUCCESS;
}

/* allocations carry their size in a 16-byte header, so cuMemFree can account for them */
CUresult CUDAAPI cuMemAlloc_v2(CUdeviceptr *p, size_t n) {
  if (!current) return CUDA_ERROR_INVALID_VALUE;
  if (n == 0) return CUDA_ERROR_INVALID_VALUE;
  if (n > mem_total - mem_used) return CUDA_ERROR_OUT_OF_MEMORY;
  char *b = malloc(n + 16); if (!b) return CUDA_ERROR_OUT_OF_MEMORY;
  *(size_t *)b = n; mem_used += n; *p = (CUdeviceptr)(uintptr_t)(b + 16); return CUDA_SUCCESS;
}
CUresult CUDAAPI cuMemFree_v2(CUdeviceptr p) {
  char *b = (char *)(uintptr_t)p - 16; mem_used -= *(size_t *)b; free(b); return CUDA_SUCCESS;
}
CUresult CUDAAPI cuMemcpyHtoD_v2(CUdeviceptr d, const void *s, size_t n) { memcpy((void *)(uintptr_t)d, s, n); return CUDA_SUCCESS; }
CUresult CUDAAPI cuMemcpyDtoH_v2(void *d, CUdeviceptr s, size_t n) { memcpy(d, (void *)(uintptr_t)s, n); return CUDA_SUCCESS; }
CUresult CUDAAPI cuMemsetD8_v2(CUdeviceptr d, unsigned char v, size_t n) { memset((void *)(uintptr_t)d, v, n); return CUDA_SUCCESS; }
CUresult CUDAAPI cuMemGetInfo_v2(size_t *f, size_t *t) { *f = mem_total - mem_used; *t = mem_total; return CUDA_SUCCESS; }

struct fake_event { struct timespec t; };
CUresult CUDAAPI cuEventCreate(CUevent *e, unsigned int flags) { (void)flags; *e = (CUevent)calloc(1, sizeof(struct fake_event)); return CUDA_SUCCESS; }
CUresult CUDAAPI cuEventRecord(CUevent e, CUstream s) {
  if (s != NULL) return CUDA_ERROR_INVALID_VALUE;
  clock_gettime(CLOCK_MONOTONIC, &((struct fake_event *)e)->t); return CUDA_SUCCESS;
}
CUresult CUDAAPI cuEventSynchronize(CUevent e) { return e ? CUDA_SUCCESS : CUDA_ERROR_INVALID_VALUE; }
CUresult CUDAAPI cuEventElapsedTime_v2(float *ms, CUevent a, CUevent b) {
  struct timespec *x = &((struct fake_event *)a)->t, *y = &((struct fake_event *)b)->t;
  *ms = (float)((y->tv_sec - x->tv_sec) * 1e3 + (y->tv_nsec - x->tv_nsec) / 1e6); return CUDA_SUCCESS;
}
CUresult CUDAAPI cuEventDestroy_v2(CUevent e) { free(e); return CUDA_SUCCESS; }

/* test hooks (not part of the driver API) */
unsigned fake_last_launch(int what) {
  return what < 3 ? fake_last_grid[what] : what < 6 ? fake_last_block[what - 3] : fake_last_shared;
}
int fake_max_dynamic_shared(void) { return fake_func_max_dyn_shared; }
