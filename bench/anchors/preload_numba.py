"""Preload table computed directly with Numba loops (one cos-sum over K per table entry).

Two variants, both timed, both with prange over table rows:
  * "quadrants" (primary): PyAutoArray's w_tilde_curvature_preload_interferometer_from structure -- four
    quadrant loops filling the full (2Ny, 2Nx) table (offsets dr in (-Ny, Ny), dc in (-Nx, Nx); row Ny and
    column Nx stay 0), i.e. (2Ny-1)(2Nx-1) sums. Output <dir>/preload_numba.out.f64 (2Ny, 2Nx), = P.
  * "compact": uses P(-dr,-dc) = P(dr,dc) and computes only dr in [0, Ny), dc in (-Nx, Nx):
    table C of shape (Ny, 2Nx-1), C[dr, dc + Nx - 1]; Ny(2Nx-1) sums, half the work.
    Output <dir>/preload_numba.compact.out.f64.
Entry value: sum_k sigma_k^-2 cos(2 pi (dc dx u_k - dr dy v_k)) (PyAutoArray's grid offsets:
y_offset = dr*dy, x_offset = -dc*dx, phase 2 pi (x_offset u + y_offset v), same cos).
Inputs: noiseReal (K), uv (K,2), params.shape [Ny,Nx], params.pixelScales [dy,dx].
Compilation on a tiny input first (compile_s, not timed).
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

NAME = "preload_numba"


@njit(inline="always")
def _entry(noise_map_real, uv_wavelengths, x_offset, y_offset):
    acc = 0.0
    for k in range(uv_wavelengths.shape[0]):
        acc += noise_map_real[k] ** -2.0 * np.cos(
            2.0 * np.pi * (x_offset * uv_wavelengths[k, 0] + y_offset * uv_wavelengths[k, 1]))
    return acc


@njit(parallel=True, cache=False)
def preload_quadrants(noise_map_real, uv_wavelengths, y_shape, x_shape, dy, dx):
    p = np.zeros((2 * y_shape, 2 * x_shape))
    # quadrant 1: dr = i >= 0, dc = j >= 0
    for i in prange(y_shape):
        for j in range(x_shape):
            p[i, j] = _entry(noise_map_real, uv_wavelengths, -j * dx, i * dy)
    # quadrant 2: dr = i >= 0, dc = -j < 0  -> column 2Nx - j
    for i in prange(y_shape):
        for j in range(1, x_shape):
            p[i, 2 * x_shape - j] = _entry(noise_map_real, uv_wavelengths, j * dx, i * dy)
    # quadrant 3: dr = -i < 0, dc = j >= 0 -> row 2Ny - i
    for i in prange(1, y_shape):
        for j in range(x_shape):
            p[2 * y_shape - i, j] = _entry(noise_map_real, uv_wavelengths, -j * dx, -i * dy)
    # quadrant 4: dr = -i, dc = -j
    for i in prange(1, y_shape):
        for j in range(1, x_shape):
            p[2 * y_shape - i, 2 * x_shape - j] = _entry(noise_map_real, uv_wavelengths, j * dx, -i * dy)
    return p


@njit(parallel=True, cache=False)
def preload_compact(noise_map_real, uv_wavelengths, y_shape, x_shape, dy, dx):
    p = np.zeros((y_shape, 2 * x_shape - 1))
    for i in prange(y_shape):
        for jj in range(2 * x_shape - 1):
            dc = jj - (x_shape - 1)
            p[i, jj] = _entry(noise_map_real, uv_wavelengths, -dc * dx, i * dy)
    return p


noise = case.array("noiseReal")
uv = case.array("uv")
ny, nx = (int(s) for s in case.param("shape"))
dy, dx = (float(s) for s in case.param("pixelScales"))
t0 = time.perf_counter()
preload_quadrants(noise[:2].copy(), uv[:2].copy(), 2, 2, dy, dx)
preload_compact(noise[:2].copy(), uv[:2].copy(), 2, 2, dy, dx)
compile_s = time.perf_counter() - t0

tq, Pq = c.timed(lambda: preload_quadrants(noise, uv, ny, nx, dy, dx), case.repeats, case.warmup)
out_q = c.write_f64(case.out_path(NAME), Pq)
tc, Pc = c.timed(lambda: preload_compact(noise, uv, ny, nx, dy, dx), case.repeats, case.warmup)
out_c = c.write_f64(case.out_path(NAME + ".compact"), Pc)
variants = [c.variant("quadrants", tq, out_q, shape=list(Pq.shape)),
            c.variant("compact", tc, out_c, shape=list(Pc.shape))]
c.emit(NAME, tq, out_q, {"sizes": {"Ny": ny, "Nx": nx, "K": uv.shape[0]}, "compile_s": compile_s,
                         "warmup": case.warmup, "threads": case.threads, "env": c.numba_info()},
       variants)
