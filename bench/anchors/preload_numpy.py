"""Preload table P (2Ny, 2Nx) in two-GEMM form (numpy).

P[a,b] = sum_k cos(2 pi (dc*dx*u_k - dr*dy*v_k)) / sigma_k^2,
dr = a if a < Ny else a - 2Ny, dc = b if b < Nx else b - 2Nx; row Ny and column Nx are 0.
cos(alpha - beta) = cos(alpha)cos(beta) + sin(alpha)sin(beta) with alpha = 2 pi dc dx u (per column b),
beta = 2 pi dr dy v (per row a): P = Cr Cc^T + Sr Sc^T, Cr = cos(beta)/sigma (2Ny,K), Cc = cos(alpha)/sigma (2Nx,K).
Inputs: noiseReal (K), uv (K,2), params.shape [Ny,Nx], params.pixelScales [dy,dx].
Output: P (2Ny,2Nx) -> <dir>/preload_numpy.out.f64. Trig inside the timed region.
"""
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common as c  # noqa: E402

case = c.setup()
import numpy as np  # noqa: E402

NAME = "preload_numpy"
noise = case.array("noiseReal")
uv = case.array("uv")
ny, nx = (int(s) for s in case.param("shape"))
dy, dx = (float(s) for s in case.param("pixelScales"))
K = uv.shape[0]
u, v = uv[:, 0], uv[:, 1]
inv_sigma = 1.0 / noise
a = np.arange(2 * ny)
dr = np.where(a < ny, a, a - 2 * ny).astype(np.float64)
b = np.arange(2 * nx)
dcol = np.where(b < nx, b, b - 2 * nx).astype(np.float64)
chunk = max(1, min(K, (256 * 2**20) // (8 * 2 * max(ny, nx))))


def preload():
    p = np.zeros((2 * ny, 2 * nx))
    for k0 in range(0, K, chunk):
        k1 = min(K, k0 + chunk)
        s = inv_sigma[k0:k1]
        beta = np.outer(dr, (2.0 * np.pi * dy) * v[k0:k1])
        alpha = np.outer(dcol, (2.0 * np.pi * dx) * u[k0:k1])
        p += (np.cos(beta) * s) @ (np.cos(alpha) * s).T
        p += (np.sin(beta) * s) @ (np.sin(alpha) * s).T
    p[ny, :] = 0.0
    p[:, nx] = 0.0
    return p


times, P = c.timed(preload, case.repeats, case.warmup)
out = c.write_f64(case.out_path(NAME), P)
c.emit(NAME, times, out, {"sizes": {"Ny": ny, "Nx": nx, "K": K}, "k_chunk": chunk,
                          "threads": case.threads, "env": c.blas_info()})
