/* A stand-in libcublas.so.13 for the runtime's tests: naive column-major DGEMM / DSYRK on host memory
 * (the fake libcuda's "device" pointers are host pointers). Prototypes follow cublas_api.h (CUDA 13),
 * with enums as int — the ABI is the same. Argument checks mirror cuBLAS's INVALID_VALUE cases, so a
 * runtime that swapped lda/ldb or m/n fails here as it would on a GPU. */
#include <stddef.h>
#include <stdint.h>

typedef void *cublasHandle_t;
static int the_handle;
int fake_cublas_calls = 0;

int cublasCreate_v2(cublasHandle_t *h) { *h = &the_handle; return 0; }
int cublasDestroy_v2(cublasHandle_t h) { (void)h; return 0; }
int cublasSetStream_v2(cublasHandle_t h, void *stream) { return h == &the_handle && stream == NULL ? 0 : 7; }
const char *cublasGetStatusName(int s) { return s == 0 ? "CUBLAS_STATUS_SUCCESS" : s == 7 ? "CUBLAS_STATUS_INVALID_VALUE" : "CUBLAS_STATUS_UNKNOWN"; }

static int max1(int a) { return a > 1 ? a : 1; }

int cublasDgemm_v2(cublasHandle_t h, int ta, int tb, int m, int n, int k, const double *alpha, const double *A,
                   int lda, const double *B, int ldb, const double *beta, double *C, int ldc) {
  if (h != &the_handle || m < 0 || n < 0 || k < 0) return 7;
  if (lda < max1(ta ? k : m) || ldb < max1(tb ? n : k) || ldc < max1(m)) return 7;
  fake_cublas_calls++;
  for (long j = 0; j < n; j++)
    for (long i = 0; i < m; i++) {
      double s = 0;
      for (long l = 0; l < k; l++) {
        double a = ta ? A[l + i * (long)lda] : A[i + l * (long)lda];
        double b = tb ? B[j + l * (long)ldb] : B[l + j * (long)ldb];
        s += a * b;
      }
      double *c = &C[i + j * (long)ldc];
      *c = *beta == 0 ? *alpha * s : *alpha * s + *beta * *c;
    }
  return 0;
}

int cublasDsyrk_v2(cublasHandle_t h, int uplo, int trans, int n, int k, const double *alpha, const double *A,
                   int lda, const double *beta, double *C, int ldc) {
  if (h != &the_handle || n < 0 || k < 0 || (uplo != 0 && uplo != 1)) return 7;
  if (lda < max1(trans ? k : n) || ldc < max1(n)) return 7;
  fake_cublas_calls++;
  for (long j = 0; j < n; j++)
    for (long i = 0; i < n; i++) {
      if (uplo == 0 ? i < j : i > j) continue; /* only the requested triangle, like cuBLAS */
      double s = 0;
      for (long l = 0; l < k; l++) {
        double a = trans ? A[l + i * (long)lda] : A[i + l * (long)lda];
        double b = trans ? A[l + j * (long)lda] : A[j + l * (long)lda];
        s += a * b;
      }
      double *c = &C[i + j * (long)ldc];
      *c = *beta == 0 ? *alpha * s : *alpha * s + *beta * *c;
    }
  return 0;
}
