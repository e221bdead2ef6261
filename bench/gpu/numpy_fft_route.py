"""The curvature case of jax_bench.py in numpy on the host CPU: the fallback when JAX cannot be imported there.

F = T^T W~ T by the FFT route (PyAutoArray's method: columns of T on the 2N x 2N grid, rfft2, times rfft2 of the
flipped preload, irfft2, gather at the mask, segment sum), the same inputs and batches as jax_bench.py's
`curvature` case. This is a CPU time, NOT the GPU anchor G4 asks for (JAX's FFT route on the H200): run.sh runs it
only when `import jax` fails, and summary.mjs does not put it in the JAX column. With --check it also compares the
route with F = T^T W~ T summed densely from a physical preload table (small N; the self-test of the route that
jax_bench.py's JAX version follows line for line).
Writes $OUT/numpy-fft-route.json. Usage: python3 bench/gpu/numpy_fft_route.py [--check]
(NUMPY_ROUTE_SCALE=small for N = 16, S = 40.)
"""
import json
import os
import statistics
import sys
import time

import numpy as np

SMALL = os.environ.get("NUMPY_ROUTE_SCALE") == "small"
OUT = os.environ.get("OUT") or os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "out", "gpu")


def curvature_fft(preload, rows, cols, idx, w, N, S, batch):
    spectrum = np.fft.rfft2(np.roll(preload[::-1, ::-1], 1, axis=(0, 1)))
    M, B = idx.shape
    F = np.zeros((S, S))
    for t0 in range(0, S, batch):
        nb = min(batch, S - t0)
        grid = np.zeros((nb, 2 * N, 2 * N))
        local = idx - t0
        ok = (local >= 0) & (local < nb)
        m, b = np.nonzero(ok)
        np.add.at(grid, (local[m, b], rows[m], cols[m]), w[m, b])
        conv = np.fft.irfft2(np.fft.rfft2(grid) * spectrum, s=(2 * N, 2 * N))
        g = conv[:, rows, cols]  # (nb, M)
        block = np.zeros((S, nb))
        np.add.at(block, idx.ravel(), (w[:, :, None] * g.T[:, None, :]).reshape(M * B, nb))
        F[:, t0 : t0 + nb] = block
    return F


def case(N, S, B, seed):
    r = np.random.default_rng(seed)
    rr, cc = np.meshgrid(np.arange(N), np.arange(N), indexing="ij")
    inside = (rr - (N - 1) / 2) ** 2 + (cc - (N - 1) / 2) ** 2 <= (N / 2) ** 2
    rows, cols = rr[inside], cc[inside]
    idx, w = r.integers(0, S, (rows.size, B)).astype(np.int32), r.random((rows.size, B))
    return rows, cols, idx, w


def physical_preload(N, K, seed):
    """P[a, b] = sum_k cos(2 pi (dc u_k d - dr v_k d)) / sigma_k^2, dr = a (a < N) or a - 2N, likewise dc."""
    r = np.random.default_rng(seed)
    d = 0.05 * np.pi / (180 * 3600)
    uv = (r.random((K, 2)) - 0.5) / d
    sigma = 0.5 + r.random(K)
    off = np.where(np.arange(2 * N) < N, np.arange(2 * N), np.arange(2 * N) - 2 * N)
    phase = 2 * np.pi * d * (off[None, :, None] * uv[:, 0][None, None, :] - off[:, None, None] * uv[:, 1][None, None, :])
    return (np.cos(phase) / sigma**2).sum(axis=2)


def check():
    N, S, B = 12, 23, 3
    rows, cols, idx, w = case(N, S, B, 7)
    P = physical_preload(N, 500, 8)
    M = rows.size
    W = P[(rows[:, None] - rows[None, :]) % (2 * N), (cols[:, None] - cols[None, :]) % (2 * N)]
    T = np.zeros((M, S))
    np.add.at(T, (np.repeat(np.arange(M), B), idx.ravel()), w.ravel())
    want = T.T @ W @ T
    got = curvature_fft(P, rows, cols, idx, w, N, S, 5)
    err = np.linalg.norm(got - want) / np.linalg.norm(want)
    print(f"{'PASS' if err < 1e-12 else 'FAIL'} numpy fft route vs dense T^T W~ T (N={N} M={M} S={S}): rel. Frobenius {err:.2e}")
    return err < 1e-12


def main():
    ok = check() if "--check" in sys.argv else True
    N, S, B = (16, 40, 3) if SMALL else (256, 1000, 3)
    rows, cols, idx, w = case(N, S, B, 5)
    preload = np.random.default_rng(6).random((2 * N, 2 * N)) - 0.5
    batch = 8 if SMALL else 50
    runs = []
    for _ in range(2 if SMALL else 3):
        t0 = time.perf_counter()
        curvature_fft(preload, rows, cols, idx, w, N, S, batch)
        runs.append((time.perf_counter() - t0) * 1e3)
    label = f"curvature numpy fft route on the host CPU (no JAX) N={N} M={rows.size} S={S} B={B} batch={batch}"
    print(f"PASS {label}: {statistics.median(runs):.1f} ms (runs {', '.join(f'{x:.0f}' for x in runs)})", flush=True)
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "numpy-fft-route.json"), "w") as f:
        json.dump({"numpy": np.__version__, "case": label, "ms": statistics.median(runs), "runs_ms": runs}, f, indent=2)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
