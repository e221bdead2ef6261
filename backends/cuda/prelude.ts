// The helpers every generated .cu file starts with: the JS backend's integer and float semantics in
// CUDA C (Python-style floor division and modulo, JS ToInt32 casts, NaN-propagating min/max), the
// 32-bit fast path of the flat-index division, and error recording for scatters. All `__device__`,
// so the file builds with nvcc as well as NVRTC (whose -default-device would not be needed).
export const CUDA_PRELUDE = String.raw`#define LENSC_INF __longlong_as_double(0x7ff0000000000000LL)
#define LENSC_NAN __longlong_as_double(0x7ff8000000000000LL)

// floor division and modulo (the result of mod has the divisor's sign); x / 0 and x mod 0 give 0,
// as the JS backend's (Math.floor(a / 0) | 0) does. 32-bit division when both operands fit: 64-bit
// division is a long software sequence on the GPU.
__device__ __forceinline__ long long lensc_floordiv(long long a, long long b) {
  if (b == 0) return 0;
  const long long q = (a == (int)a && b == (int)b && b != -1) ? (long long)((int)a / (int)b) : a / b;
  return (q * b != a && ((a < 0) != (b < 0))) ? q - 1 : q;
}
__device__ __forceinline__ long long lensc_floormod(long long a, long long b) {
  if (b == 0) return 0;
  const long long r = (a == (int)a && b == (int)b && b != -1) ? (long long)((int)a % (int)b) : a % b;
  return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;
}
// JS ToInt32(Math.trunc(x)): NaN and infinities give 0, others wrap modulo 2^32
__device__ __forceinline__ long long lensc_to_i32(double x) {
  if (x > -2147483649.0 && x < 2147483648.0) return (long long)x;
  if (x - x != 0.0) return 0;
  double m = fmod(trunc(x), 4294967296.0);
  if (m < 0.0) m += 4294967296.0;
  if (m >= 2147483648.0) m -= 4294967296.0;
  return (long long)m;
}
__device__ __forceinline__ long long lensc_iabs(long long a) { return a < 0 ? -a : a; }
__device__ __forceinline__ long long lensc_isign(long long a) { return (a > 0) - (a < 0); }
// Math.sign: ±0 and NaN come back as they are
__device__ __forceinline__ double lensc_sign(double x) { return x > 0.0 ? 1.0 : (x < 0.0 ? -1.0 : x); }
__device__ __forceinline__ long long lensc_imin(long long a, long long b) { return a < b ? a : b; }
__device__ __forceinline__ long long lensc_imax(long long a, long long b) { return a > b ? a : b; }
// Math.min / Math.max: a NaN operand gives NaN (fmin / fmax would return the other operand)
__device__ __forceinline__ double lensc_fmin(double a, double b) { return (a < b || a != a) ? a : b; }
__device__ __forceinline__ double lensc_fmax(double a, double b) { return (a > b || a != a) ? a : b; }
__device__ __forceinline__ float lensc_fmin(float a, float b) { return (a < b || a != a) ? a : b; }
__device__ __forceinline__ float lensc_fmax(float a, float b) { return (a > b || a != a) ? a : b; }
// q = a / b, returns a % b, for a, b >= 0; 32-bit division when both fit (64-bit division is slow)
__device__ __forceinline__ long long lensc_divmod(long long a, long long b, long long* q) {
  if (((a | b) >> 32) == 0) {
    const unsigned int ua = (unsigned int)a, ub = (unsigned int)b, uq = ua / ub;
    *q = uq;
    return ua - uq * ub;
  }
  *q = a / b;
  return a - *q * b;
}
// A scatter index out of range: remember the smallest failing point (deterministically: atomicMax of
// its complement into a zeroed word); a second launch in probe mode reads that point's indices.
__device__ __forceinline__ void lensc_scatter_fail(unsigned long long* err, unsigned long long point) {
  atomicMax(err, ~point);
}
`;
