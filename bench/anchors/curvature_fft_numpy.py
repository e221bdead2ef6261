"""Curvature matrix F = T^T W~ T by FFT convolution, numpy (the FFT method of PyAutoArray, written here for the
benchmark; not PyAutoArray's own code). W~ T column by column is the circular convolution, on the 2Ny x 2Nx grid,
of the flipped preload table P'[a, b] = P[-a, -b] with the column placed on the grid: rfft2 of P' once; per batch
of source pixels, scatter the columns onto the grid, rfft2, multiply, irfft2, read at the unmasked pixels (G),
then F[:, batch] = T^T G^T by a segment sum (np.add.at). Batch of columns: --batch (default 32: 32 x 512^2 f64
grids at N = 256 are 64 MiB, the spectra as much again).
Inputs: preload (2Ny,2Nx), nativeIndex (M,2) i32, pixIndexes (M,B) i32, pixWeights (M,B), sizes.S.
Output <dir>/curvature_fft_numpy.out.f64 (S,S).
"""
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common as c  # noqa: E402

case = c.setup()
import numpy as np  # noqa: E402

NAME = "curvature_fft_numpy"
BATCH = int(os.environ.get("LENSC_BENCH_FFT_BATCH", "32"))
P = case.array("preload")
nat = case.array("nativeIndex").astype(np.intp)
idx = case.array("pixIndexes").astype(np.intp)
wts = case.array("pixWeights")
S = int(case.sizes["S"])
M, B = idx.shape
two_ny, two_nx = P.shape
r, col = nat[:, 0], nat[:, 1]
used = idx >= 0
rows = np.broadcast_to(np.arange(M)[:, None], idx.shape)[used]
cols = idx[used]
vals = wts[used]
order = np.argsort(cols, kind="stable")  # entries grouped by source pixel, so each batch takes a slice
rows, cols, vals = rows[order], cols[order], vals[order]
bounds = np.searchsorted(cols, np.arange(0, S + BATCH, BATCH))


def f_fft():
    flipped = np.roll(P[::-1, ::-1], 1, axis=(0, 1))  # P'[a, b] = P[(-a) mod 2Ny, (-b) mod 2Nx]
    spectrum = np.fft.rfft2(flipped)
    F = np.zeros((S, S))
    for k, t0 in enumerate(range(0, S, BATCH)):
        nb = min(BATCH, S - t0)
        lo, hi = bounds[k], bounds[k + 1]
        grid = np.zeros((nb, two_ny, two_nx))
        np.add.at(grid, (cols[lo:hi] - t0, r[rows[lo:hi]], col[rows[lo:hi]]), vals[lo:hi])
        conv = np.fft.irfft2(np.fft.rfft2(grid) * spectrum, s=(two_ny, two_nx))
        g = conv[:, r, col]  # (nb, M): G[t, m] = (W~ T)[m, t]
        # F[s, t] += w[m, b] G[t, m] for s = idx[m, b]
        np.add.at(F[:, t0:t0 + nb], cols, vals[:, None] * g[:, rows].T)
    return F


times, F = c.timed(f_fft, case.repeats, case.warmup)
out = c.write_f64(case.out_path(NAME), F)
c.emit(NAME, times, out, {"sizes": {"M": M, "S": S, "B": B, "Ny": two_ny // 2, "Nx": two_nx // 2}, "batch": BATCH,
                          "threads": case.threads, "env": c.blas_info()})
