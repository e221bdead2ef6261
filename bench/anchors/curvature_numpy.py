"""Curvature matrix F = T^T (W~ T), dense (numpy). Two variants, both timed:
  * "dense_wtilde" (primary): W~ (M,M) given; build dense T (M,S) from pixIndexes/pixWeights, F = T.T @ (W~ @ T).
    Output <dir>/curvature_numpy.out.f64 (S,S).
  * "dense_from_preload": first expand W~[i,j] = P[(r_j - r_i) mod 2Ny, (c_j - c_i) mod 2Nx] from the preload
    table (nativeIndex = (row, col) per pixel), then as above. Output <dir>/curvature_numpy.preload.out.f64.
T[m, pixIndexes[m,b]] += pixWeights[m,b] for pixIndexes[m,b] >= 0 (-1 = unused). Building T (and the
expansion) is inside the timed region.
Inputs: pixIndexes (M,B) i32, pixWeights (M,B), sizes.S, and wTilde (M,M) for variant 1,
preload (2Ny,2Nx) + nativeIndex (M,2) i32 for variant 2 (each variant runs only if its inputs exist).
"""
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common as c  # noqa: E402

case = c.setup()
import numpy as np  # noqa: E402

NAME = "curvature_numpy"
idx = case.array("pixIndexes").astype(np.intp)
wts = case.array("pixWeights")
S = int(case.sizes["S"])
M, B = idx.shape
used = idx >= 0
rows = np.broadcast_to(np.arange(M)[:, None], idx.shape)[used]
cols = idx[used]
vals = wts[used]


def mapping_matrix():
    t = np.zeros((M, S))
    np.add.at(t, (rows, cols), vals)  # add.at: two entries of one row may hit the same source pixel
    return t


variants = []
primary = None
if case.has("wTilde"):
    W = case.array("wTilde")

    def f_dense():
        t = mapping_matrix()
        return t.T @ (W @ t)

    times, F = c.timed(f_dense, case.repeats, case.warmup)
    out = c.write_f64(case.out_path(NAME), F)
    variants.append(c.variant("dense_wtilde", times, out))
    primary = (times, out)
    del W

if case.has("preload"):
    P = case.array("preload")
    nat = case.array("nativeIndex").astype(np.intp)
    two_ny, two_nx = P.shape
    r, col = nat[:, 0], nat[:, 1]

    def f_preload():
        w = P[(r[None, :] - r[:, None]) % two_ny, (col[None, :] - col[:, None]) % two_nx]
        t = mapping_matrix()
        return t.T @ (w @ t)

    times, F = c.timed(f_preload, case.repeats, case.warmup)
    out = c.write_f64(case.out_path(NAME + ".preload"), F)
    variants.append(c.variant("dense_from_preload", times, out))
    if primary is None:
        primary = (times, out)

if primary is None:
    c.die("need wTilde and/or preload+nativeIndex")
c.emit(NAME, primary[0], primary[1], {"sizes": {"M": M, "S": S, "B": B}, "threads": case.threads,
                                      "env": c.blas_info()}, variants)
