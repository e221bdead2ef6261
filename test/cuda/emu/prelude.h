// Host stand-ins for the CUDA built-ins generated kernels use, so a generated .cu compiles as plain
// C++ for the emulated tests (test/cuda/emu/emu.ts). One "thread" (gridDim = blockDim = 1) walks the
// whole grid-stride loop; the kernels never depend on the launch shape, so that is a valid schedule.
#include <cmath>
#include <cstring>
struct lensc_uint3 { unsigned int x, y, z; };
static const lensc_uint3 threadIdx = {0, 0, 0}, blockIdx = {0, 0, 0}, blockDim = {1, 1, 1}, gridDim = {1, 1, 1};
#define __global__
#define __device__
#define __forceinline__ inline
static inline double __longlong_as_double(long long x) { double d; std::memcpy(&d, &x, sizeof d); return d; }
static inline unsigned long long atomicMax(unsigned long long *p, unsigned long long v) {
  const unsigned long long old = *p;
  if (v > old) *p = v;
  return old;
}
