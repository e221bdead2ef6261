"""Write a random case folder in the anchor input format (README.md). For testing the anchors;
the TS harness writes its own cases.

usage: python3 make_case.py <dir> [--kind wtilde|preload|curvature|curvature_fft|evidence|all] [--N 32] [--K 8192]
                            [--S 256] [--B 3] [--repeats 5] [--seed 0] [--pixel-scale 0.05]
                            [--unused-frac 0.0] [--no-warmup]
Benchmark sizes: wtilde --N 32 --K 8192 (M = 812); preload --N 64 --K 32768; curvature --N 64 --S 256 --B 3
(M = 3228); evidence --S 256 / --S 1024.
"""
import json
import os
import sys

import numpy as np

ARCSEC = np.pi / (180.0 * 3600.0)


def circular_mask(n):
    """Pixels of an n x n grid whose centre lies within n/2 pixels of the grid centre (row-major order).
    n = 32 -> M = 812, n = 64 -> M = 3228."""
    cc = np.arange(n) - (n - 1) / 2.0
    yy, xx = np.meshgrid(cc, cc, indexing="ij")
    rr, cols = np.nonzero(yy**2 + xx**2 <= (n / 2.0) ** 2)
    return np.stack([rr, cols], axis=1).astype(np.int32)


def grid_from_native(native, n_y, n_x, d_y, d_x):
    """(y, x) in radians, PyAutoArray orientation: y decreases with row, x increases with column."""
    y = ((n_y - 1) / 2.0 - native[:, 0]) * d_y
    x = (native[:, 1] - (n_x - 1) / 2.0) * d_x
    return np.stack([y, x], axis=1)


def random_uv(rng, k, d):
    """Baselines inside |uv| < 0.45/d (below the grid's Nyquist), in wavelengths."""
    r = 0.45 / d * np.sqrt(rng.uniform(0.0, 1.0, k))
    t = rng.uniform(0.0, 2.0 * np.pi, k)
    return np.stack([r * np.cos(t), r * np.sin(t)], axis=1)


def preload_gemm(noise, uv, n_y, n_x, d_y, d_x):
    a = np.arange(2 * n_y)
    dr = np.where(a < n_y, a, a - 2 * n_y)
    b = np.arange(2 * n_x)
    dc = np.where(b < n_x, b, b - 2 * n_x)
    s = 1.0 / noise
    beta = 2.0 * np.pi * d_y * np.outer(dr, uv[:, 1])
    alpha = 2.0 * np.pi * d_x * np.outer(dc, uv[:, 0])
    p = (np.cos(beta) * s) @ (np.cos(alpha) * s).T + (np.sin(beta) * s) @ (np.sin(alpha) * s).T
    p[n_y, :] = 0.0
    p[:, n_x] = 0.0
    return p


def expand_preload(p, native):
    r, c = native[:, 0].astype(np.intp), native[:, 1].astype(np.intp)
    return p[(r[None, :] - r[:, None]) % p.shape[0], (c[None, :] - c[:, None]) % p.shape[1]]


def random_mapping(rng, m, s, b, unused_frac=0.0):
    """B distinct source pixels per image pixel with positive weights summing to 1 (barycentric-like);
    with unused_frac > 0 some trailing entries are -1 (weight 0)."""
    idx = np.empty((m, b), np.int32)
    for i in range(m):
        idx[i] = rng.choice(s, size=b, replace=False)
    w = rng.uniform(0.05, 1.0, (m, b))
    if unused_frac > 0:
        n_used = np.where(rng.uniform(size=m) < unused_frac, rng.integers(1, b + 1, m), b)
        drop = np.arange(b)[None, :] >= n_used[:, None]
        idx[drop] = -1
        w[drop] = 0.0
    w /= w.sum(axis=1, keepdims=True)
    return idx, w


def regularization_matrix(s, coefficient=1.0):
    """PyAutoArray's constant regularization on a near-square source grid: coef^2 * graph Laplacian
    of the 4-neighbour grid + 1e-8 I (positive definite)."""
    side = int(np.ceil(np.sqrt(s)))
    h = np.zeros((s, s))
    h[np.diag_indices(s)] = 1e-8
    c2 = coefficient**2
    for i in range(s):
        r, col = divmod(i, side)
        for rr, cc in ((r - 1, col), (r + 1, col), (r, col - 1), (r, col + 1)):
            j = rr * side + cc
            if 0 <= rr and 0 <= cc < side and j < s:
                h[i, i] += c2
                h[i, j] -= c2
    return h


def write_case(folder, arrays, sizes, params=None, repeats=5, warmup=True, threads=2):
    os.makedirs(folder, exist_ok=True)
    desc = {}
    for name, arr in arrays.items():
        arr = np.asarray(arr)
        if arr.dtype.kind in "iu":
            dt, npdt = "i32", "<i4"
        else:
            dt, npdt = "f64", "<f8"
        fname = name + "." + dt
        np.ascontiguousarray(arr, dtype=npdt).tofile(os.path.join(folder, fname))
        desc[name] = {"file": fname, "dtype": dt, "shape": list(arr.shape)}
    spec = {"sizes": sizes, "params": params or {}, "arrays": desc, "repeats": repeats,
            "warmup": warmup, "threads": threads}
    with open(os.path.join(folder, "inputs.json"), "w") as f:
        json.dump(spec, f, indent=1)
    return spec


def make(folder, kind="all", n=32, k=8192, s=256, b=3, repeats=5, seed=0, pixel_scale=0.05,
         unused_frac=0.0, warmup=True):
    rng = np.random.default_rng(seed)
    d = pixel_scale * ARCSEC
    native = circular_mask(n)
    m = native.shape[0]
    grid = grid_from_native(native, n, n, d, d)
    uv = random_uv(rng, k, d)
    noise = rng.uniform(0.5, 1.5, k)
    arrays, sizes = {}, {}
    params = {"shape": [n, n], "pixelScales": [d, d]}
    if kind in ("wtilde", "all"):
        arrays.update(noiseReal=noise, uv=uv, grid=grid)
        sizes.update(M=m, K=k)
    if kind in ("preload", "all"):
        arrays.update(noiseReal=noise, uv=uv)
        sizes.update(Ny=n, Nx=n, K=k)
    if kind in ("curvature", "all"):
        p = preload_gemm(noise, uv, n, n, d, d)
        idx, w = random_mapping(rng, m, s, b, unused_frac)
        arrays.update(preload=p, nativeIndex=native, pixIndexes=idx, pixWeights=w,
                      wTilde=expand_preload(p, native))
        sizes.update(M=m, S=s, B=b, Ny=n, Nx=n)
    if kind == "curvature_fft":
        # the FFT route's inputs only: at science size (N = 256) the dense W~ would be 21 GB
        p = preload_gemm(noise, uv, n, n, d, d)
        idx, w = random_mapping(rng, m, s, b, unused_frac)
        arrays.update(preload=p, nativeIndex=native, pixIndexes=idx, pixWeights=w)
        sizes.update(M=m, S=s, B=b, Ny=n, Nx=n)
    if kind in ("evidence", "all"):
        # A consistent linear problem, so chi^2 >= 0: visibilities (flattened re/im, 2K values) =
        # B s_true + noise, where the response B (S columns) touches only the first min(2K, 2S) values;
        # F = B^T Sigma^-1 B, D = B^T Sigma^-1 V.
        sig = np.stack([noise, noise], axis=1)
        sig_flat = sig.reshape(-1)
        rows = min(2 * k, 2 * s)
        resp = rng.normal(size=(rows, s)) / np.sqrt(s)
        v_flat = rng.normal(size=2 * k) * sig_flat
        v_flat[:rows] += resp @ rng.normal(size=s)
        wr = resp / sig_flat[:rows, None] ** 2
        arrays.update(F=resp.T @ wr, H=regularization_matrix(s), D=wr.T @ v_flat[:rows],
                      visibilities=v_flat.reshape(k, 2), noiseMap=sig)
        sizes.update(S=s, K=k)
    return write_case(folder, arrays, sizes, params, repeats, warmup)


def main(argv):
    if not argv or argv[0].startswith("-"):
        print(__doc__)
        return 2
    folder = argv.pop(0)
    opts = {"kind": "all", "N": 32, "K": 8192, "S": 256, "B": 3, "repeats": 5, "seed": 0,
            "pixel-scale": 0.05, "unused-frac": 0.0}
    warmup = True
    while argv:
        a = argv.pop(0)
        if a == "--no-warmup":
            warmup = False
            continue
        key = a.lstrip("-")
        if key not in opts:
            print("unknown option %s\n%s" % (a, __doc__))
            return 2
        val = argv.pop(0)
        opts[key] = val if key == "kind" else type(opts[key])(val)
    spec = make(folder, opts["kind"], opts["N"], opts["K"], opts["S"], opts["B"], opts["repeats"],
                opts["seed"], opts["pixel-scale"], opts["unused-frac"], warmup)
    print(json.dumps({"dir": os.path.abspath(folder), "sizes": spec["sizes"]}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
