"""W~ = C C^T + S S^T, A = 2*pi*(x u^T + y v^T), C = cos(A)/sigma, S = sin(A)/sigma (numpy).

Inputs: noiseReal (K), uv (K,2) [u,v], grid (M,2) [y,x]. Output: W~ (M,M) -> <dir>/w_tilde_numpy.out.f64.
Trig is inside the timed region. K is chunked only when one (M, Kc) block would exceed 256 MB.
"""
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common as c  # noqa: E402  (must precede numpy: fixes threads / OpenBLAS env)

case = c.setup()
import numpy as np  # noqa: E402

NAME = "w_tilde_numpy"
noise = case.array("noiseReal")
uv = case.array("uv")
grid = case.array("grid")
M, K = grid.shape[0], uv.shape[0]
y, x = grid[:, 0], grid[:, 1]
u, v = uv[:, 0], uv[:, 1]
inv_sigma = 1.0 / noise
chunk = max(1, min(K, (256 * 2**20) // (8 * M)))


def w_tilde():
    w = np.zeros((M, M))
    for k0 in range(0, K, chunk):
        k1 = min(K, k0 + chunk)
        a = 2.0 * np.pi * (np.outer(x, u[k0:k1]) + np.outer(y, v[k0:k1]))
        cm = np.cos(a) * inv_sigma[k0:k1]
        sm = np.sin(a) * inv_sigma[k0:k1]
        w += cm @ cm.T  # numpy uses syrk for X @ X.T
        w += sm @ sm.T
    return w


times, W = c.timed(w_tilde, case.repeats, case.warmup)
out = c.write_f64(case.out_path(NAME), W)
c.emit(NAME, times, out, {"sizes": {"M": M, "K": K}, "k_chunk": chunk, "threads": case.threads,
                          "env": c.blas_info()})
