/* The emulated CUDA driver of test/cuda: the fake libcuda.so.1 of test/cuda-runtime/fake (host memory,
 * naive cuBLAS) plus real kernels — each generated .cu compiled as host C++ (prelude.h) into a shared
 * library that exports lensc_emu_<kernel>(void **params). This library is linked against the fake, so
 * every driver call it does not define resolves there; it defines only cuModuleGetFunction (look the
 * kernel up in LENSC_EMU_KERNELS, a ':'-separated list of those libraries, re-read when it changes, else
 * ask the fake) and
 * cuLaunchKernel (run an emulated kernel once, or hand the launch to the fake). */
#define _GNU_SOURCE
#include <cuda.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef void (*emu_kernel)(void **params);
static struct { emu_kernel run; } table[65536];
static int ntable = 0;
static void *libs[8192];
static char *paths[8192];
static int nlibs = 0;

/* (Re)reads LENSC_EMU_KERNELS whenever it changed, opening the libraries not opened yet, so a process
 * may add kernels after its first launch (the fuzzer compiles programs one by one). */
static void load_libs(void) {
  static char *seen = NULL;
  const char *env = getenv("LENSC_EMU_KERNELS");
  if (!env || (seen && strcmp(env, seen) == 0)) return;
  free(seen);
  seen = strdup(env);
  char *copy = strdup(env), *save = NULL;
  for (char *t = strtok_r(copy, ":", &save); t && nlibs < 8192; t = strtok_r(NULL, ":", &save)) {
    int known = 0;
    for (int i = 0; i < nlibs; i++) if (strcmp(paths[i], t) == 0) known = 1;
    if (known) continue;
    void *h = dlopen(t, RTLD_NOW | RTLD_LOCAL);
    if (h) { paths[nlibs] = strdup(t); libs[nlibs++] = h; } else fprintf(stderr, "emu_driver: %s\n", dlerror());
  }
  free(copy);
}

static void *fake(const char *name) {
  static void *h = NULL;
  if (!h) h = dlopen(getenv("LENSC_EMU_FAKE_DRIVER"), RTLD_NOW | RTLD_NOLOAD);
  return h ? dlsym(h, name) : NULL;
}

CUresult CUDAAPI cuModuleGetFunction(CUfunction *f, CUmodule m, const char *name) {
  char sym[512];
  load_libs();
  snprintf(sym, sizeof sym, "lensc_emu_%s", name);
  for (int i = 0; i < nlibs; i++) {
    void *p = dlsym(libs[i], sym);
    if (p && ntable < 65536) { table[ntable].run = (emu_kernel)p; *f = (CUfunction)&table[ntable++]; return CUDA_SUCCESS; }
  }
  CUresult (*next)(CUfunction *, CUmodule, const char *) = (CUresult (*)(CUfunction *, CUmodule, const char *))fake("cuModuleGetFunction");
  return next ? next(f, m, name) : CUDA_ERROR_NOT_FOUND;
}

CUresult CUDAAPI cuLaunchKernel(CUfunction f, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by,
                                unsigned bz, unsigned shared, CUstream s, void **params, void **extra) {
  char *p = (char *)f;
  if (p >= (char *)table && p < (char *)(table + 65536)) {
    if (params == NULL || extra != NULL || gx == 0 || bx == 0) return CUDA_ERROR_INVALID_VALUE;
    ((__typeof__(&table[0]))p)->run(params);
    return CUDA_SUCCESS;
  }
  CUresult (*next)(CUfunction, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned, CUstream, void **, void **) =
    (CUresult (*)(CUfunction, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned, CUstream, void **, void **))fake("cuLaunchKernel");
  return next ? next(f, gx, gy, gz, bx, by, bz, shared, s, params, extra) : CUDA_ERROR_INVALID_VALUE;
}
