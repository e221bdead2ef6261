"""Direct W~ loop as PyAutoArray's w_tilde_curvature_interferometer_from writes it, with prange over i.

W~[i,j] = sum_k sigma_k^-2 cos(2 pi ((x_i-x_j) u_k + (y_i-y_j) v_k)), j >= i, then mirrored.
Inputs: noiseReal (K), uv (K,2), grid (M,2) [y,x]. Output: W~ (M,M) -> <dir>/w_tilde_numba.out.f64.
Compilation happens on a 2-pixel/2-visibility slice before timing (compile_s); the full-size
warm-up run is optional (it costs as much as a timed run: use --no-warmup --repeats 1 for big cases).
"""
import os
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common as c  # noqa: E402

c.numba_python()
case = c.setup()
import numpy as np  # noqa: E402
from numba import njit, prange  # noqa: E402

NAME = "w_tilde_numba"


@njit(parallel=True, cache=False)
def w_tilde_curvature_interferometer_from(noise_map_real, uv_wavelengths, grid_radians_slim):
    n = grid_radians_slim.shape[0]
    w_tilde = np.zeros((n, n))
    for i in prange(n):
        for j in range(i, n):
            y_offset = grid_radians_slim[i, 0] - grid_radians_slim[j, 0]
            x_offset = grid_radians_slim[i, 1] - grid_radians_slim[j, 1]
            for k in range(uv_wavelengths.shape[0]):
                w_tilde[i, j] += noise_map_real[k] ** -2.0 * np.cos(
                    2.0 * np.pi * (x_offset * uv_wavelengths[k, 0] + y_offset * uv_wavelengths[k, 1])
                )
    for i in range(n):
        for j in range(i, n):
            w_tilde[j, i] = w_tilde[i, j]
    return w_tilde


noise = case.array("noiseReal")
uv = case.array("uv")
grid = case.array("grid")
t0 = time.perf_counter()
w_tilde_curvature_interferometer_from(noise[:2].copy(), uv[:2].copy(), grid[:2].copy())
compile_s = time.perf_counter() - t0

times, W = c.timed(lambda: w_tilde_curvature_interferometer_from(noise, uv, grid),
                   case.repeats, case.warmup)
out = c.write_f64(case.out_path(NAME), W)
c.emit(NAME, times, out, {"sizes": {"M": grid.shape[0], "K": uv.shape[0]}, "compile_s": compile_s,
                          "warmup": case.warmup, "threads": case.threads, "env": c.numba_info()})
