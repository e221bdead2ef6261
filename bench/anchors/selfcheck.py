"""Self-check of every anchor script on a tiny case against brute-force loops (pure Python + math).

usage: python3 bench/anchors/selfcheck.py [--only SCRIPT[,SCRIPT...]] [--keep DIR]
Prints one PASS/FAIL line per check and exits non-zero on any FAIL. Numba scripts run under
/usr/bin/python3 (Debian's python3-numba) when that is where Numba is.
"""
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # keep bench/anchors free of __pycache__
sys.path.insert(0, HERE)
import make_case as mc  # noqa: E402

RTOL = 1e-10
results = []


def check(label, got, want, rtol=RTOL):
    got, want = np.asarray(got, float), np.asarray(want, float)
    if got.shape != want.shape:
        ok, msg = False, "shape %s != %s" % (got.shape, want.shape)
    else:
        scale = max(np.max(np.abs(want)), 1e-300)
        err = np.max(np.abs(got - want)) / scale
        ok, msg = bool(err <= rtol), "max rel err %.2e" % err
    results.append(ok)
    print("%s  %-58s %s" % ("PASS" if ok else "FAIL", label, msg))
    sys.stdout.flush()


def python_for(script):
    if script.endswith("_numba"):
        try:
            import numba  # noqa: F401
            return sys.executable
        except ImportError:
            return "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable
    return sys.executable


def run(script, folder):
    cmd = [python_for(script), os.path.join(HERE, script + ".py"), folder, "--repeats", "1"]
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        results.append(False)
        print("FAIL  %-58s exit %d\n%s" % (script, p.returncode, p.stderr[-2000:]))
        return None
    rec = json.loads(p.stdout.strip().splitlines()[-1])
    for key in ("name", "median_s", "times_s", "output"):
        if key not in rec:
            results.append(False)
            print("FAIL  %-58s JSON line lacks %r" % (script, key))
            return None
    return rec


def load(path, shape):
    return np.fromfile(path, dtype="<f8").reshape(shape)


# ---------------- brute force (pure Python loops) ----------------
def brute_wtilde(noise, uv, grid):
    m = len(grid)
    w = [[0.0] * m for _ in range(m)]
    for i in range(m):
        for j in range(m):
            acc = 0.0
            for k in range(len(uv)):
                acc += math.cos(2 * math.pi * ((grid[i][1] - grid[j][1]) * uv[k][0]
                                               + (grid[i][0] - grid[j][0]) * uv[k][1])) / noise[k] ** 2
            w[i][j] = acc
    return np.array(w)


def brute_preload(noise, uv, ny, nx, dy, dx):
    p = np.zeros((2 * ny, 2 * nx))
    for a in range(2 * ny):
        for b in range(2 * nx):
            if a == ny or b == nx:
                continue
            dr = a if a < ny else a - 2 * ny
            dc = b if b < nx else b - 2 * nx
            acc = 0.0
            for k in range(len(uv)):
                acc += math.cos(2 * math.pi * (dc * dx * uv[k][0] - dr * dy * uv[k][1])) / noise[k] ** 2
            p[a, b] = acc
    return p


def brute_curvature(w, idx, wts, s):
    f = [[0.0] * s for _ in range(s)]
    m, b = idx.shape
    for i in range(m):
        for bi in range(b):
            if idx[i, bi] < 0:
                continue
            for j in range(m):
                for bj in range(b):
                    if idx[j, bj] < 0:
                        continue
                    f[idx[i, bi]][idx[j, bj]] += w[i, j] * wts[i, bi] * wts[j, bj]
    return np.array(f)


def brute_solve_logdet(a, rhs):
    """Gauss-Jordan elimination with partial pivoting: (solution, log|det|)."""
    n = len(a)
    m = [list(map(float, a[i])) + [float(rhs[i])] for i in range(n)]
    logdet = 0.0
    for col in range(n):
        piv = max(range(col, n), key=lambda r: abs(m[r][col]))
        m[col], m[piv] = m[piv], m[col]
        logdet += math.log(abs(m[col][col]))
        for r in range(n):
            if r != col:
                fct = m[r][col] / m[col][col]
                for cc in range(col, n + 1):
                    m[r][cc] -= fct * m[col][cc]
    return np.array([m[i][n] / m[i][i] for i in range(n)]), logdet


def brute_evidence(f, h, d, vis, nm):
    n = len(d)
    a = [[f[i][j] + h[i][j] for j in range(n)] for i in range(n)]
    s, logdet_a = brute_solve_logdet(a, d)
    _, logdet_h = brute_solve_logdet(h, d)
    sfs = sum(s[i] * f[i][j] * s[j] for i in range(n) for j in range(n))
    shs = sum(s[i] * h[i][j] * s[j] for i in range(n) for j in range(n))
    sd = sum(s[i] * d[i] for i in range(n))
    vv = sum((vis[k][0] / nm[k][0]) ** 2 + (vis[k][1] / nm[k][1]) ** 2 for k in range(len(vis)))
    chi2 = vv - 2 * sd + sfs
    nn = sum(math.log(2 * math.pi * nm[k][0] ** 2) + math.log(2 * math.pi * nm[k][1] ** 2)
             for k in range(len(vis)))
    ev = -0.5 * (chi2 + shs + logdet_a - logdet_h + nn)
    return np.array([chi2, shs, logdet_a, logdet_h, nn, ev]), s


# ---------------- the tiny case ----------------
def main(argv):
    only, keep = None, None
    while argv:
        a = argv.pop(0)
        if a == "--only":
            only = set(argv.pop(0).split(","))
        elif a == "--keep":
            keep = argv.pop(0)
        else:
            print(__doc__)
            return 2
    want = lambda s: only is None or s in only  # noqa: E731

    rng = np.random.default_rng(1234)
    n, k, s_pix, b = 8, 40, 16, 3
    d_y, d_x = 0.05 * mc.ARCSEC, 0.07 * mc.ARCSEC  # unequal scales catch a dy/dx swap
    native = mc.circular_mask(n)
    m = len(native)
    grid = mc.grid_from_native(native, n, n, d_y, d_x)
    uv = mc.random_uv(rng, k, min(d_y, d_x))
    noise = rng.uniform(0.5, 1.5, k)
    idx, wts = mc.random_mapping(rng, m, s_pix, b, unused_frac=0.4)
    idx[0, 1], wts[0, 1] = idx[0, 0], 0.3  # the same source pixel twice in one row
    print("tiny case: N=%d M=%d K=%d S=%d B=%d (brute force in pure Python)" % (n, m, k, s_pix, b))

    W = brute_wtilde(noise.tolist(), uv.tolist(), grid.tolist())
    P = brute_preload(noise.tolist(), uv.tolist(), n, n, d_y, d_x)
    check("identity: preload expansion == direct W~ (grid orientation)", mc.expand_preload(P, native), W)
    check("identity: make_case.preload_gemm == brute preload",
          mc.preload_gemm(noise, uv, n, n, d_y, d_x), P)

    # consistent evidence problem built from an explicit DFT: V = A T s_true + noise, sigma_re = sigma_im
    T = np.zeros((m, s_pix))
    for i in range(m):
        for bi in range(b):
            if idx[i, bi] >= 0:
                T[i, idx[i, bi]] += wts[i, bi]
    phase = 2 * np.pi * (np.outer(uv[:, 0], grid[:, 1]) + np.outer(uv[:, 1], grid[:, 0]))
    AT_re, AT_im = np.cos(phase) @ T, np.sin(phase) @ T
    sig = np.stack([noise, noise], axis=1)
    s_true = rng.normal(size=s_pix)
    vis = np.stack([AT_re @ s_true, AT_im @ s_true], axis=1) + rng.normal(size=(k, 2)) * sig
    w2 = 1.0 / noise**2
    F = AT_re.T @ (AT_re * w2[:, None]) + AT_im.T @ (AT_im * w2[:, None])
    D = AT_re.T @ (vis[:, 0] * w2) + AT_im.T @ (vis[:, 1] * w2)
    H = mc.regularization_matrix(s_pix, coefficient=0.7)
    check("identity: F from explicit DFT == brute T^T W~ T", F, brute_curvature(W, idx, wts, s_pix))

    folder = keep or tempfile.mkdtemp(prefix="anchors-selfcheck-")
    try:
        mc.write_case(folder, {
            "noiseReal": noise, "uv": uv, "grid": grid, "wTilde": W, "preload": P,
            "nativeIndex": native, "pixIndexes": idx, "pixWeights": wts,
            "F": F, "H": H, "D": D, "visibilities": vis, "noiseMap": sig,
        }, {"M": m, "K": k, "Ny": n, "Nx": n, "S": s_pix, "B": b},
            {"shape": [n, n], "pixelScales": [d_y, d_x]}, repeats=1)

        for script in ("w_tilde_numpy", "w_tilde_numba"):
            if want(script) and (rec := run(script, folder)):
                check(script + " vs brute W~", load(rec["output"], (m, m)), W)
        if want("preload_numpy") and (rec := run("preload_numpy", folder)):
            check("preload_numpy vs brute P", load(rec["output"], P.shape), P)
        if want("preload_numba") and (rec := run("preload_numba", folder)):
            check("preload_numba[quadrants] vs brute P", load(rec["output"], P.shape), P)
            comp = next(v for v in rec["variants"] if v["name"] == "compact")
            C = load(comp["output"], (n, 2 * n - 1))
            Pc = np.array([[P[dr, dc % (2 * n)] for dc in range(-(n - 1), n)] for dr in range(n)])
            check("preload_numba[compact] vs brute P (dr>=0 half)", C, Pc)
        Fb = brute_curvature(W, idx, wts, s_pix)
        for script in ("curvature_numpy", "curvature_numba"):
            if want(script) and (rec := run(script, folder)):
                names = [v["name"] for v in rec["variants"]]
                if len(names) < 2:
                    check(script + " ran all variants", [len(names)], [2 if script.endswith("py") else 3])
                for v in rec["variants"]:
                    check("%s[%s] vs brute F" % (script, v["name"]), load(v["output"], (s_pix, s_pix)), Fb)
        if want("log_evidence_numpy") and (rec := run("log_evidence_numpy", folder)):
            out = load(rec["output"], (6 + s_pix,))
            terms, s_b = brute_evidence(F.tolist(), H.tolist(), D.tolist(), vis.tolist(), sig.tolist())
            for t, name in enumerate(("chiSquared", "regularizationTerm", "logDetFH", "logDetH",
                                      "noiseNormalization", "logEvidence")):
                check("log_evidence_numpy %s vs brute" % name, out[t], terms[t], 1e-9)
            check("log_evidence_numpy reconstruction vs brute", out[6:], s_b, 1e-9)
            s = out[6:]
            chi2_explicit = np.sum(((vis[:, 0] - AT_re @ s) / sig[:, 0]) ** 2
                                   + ((vis[:, 1] - AT_im @ s) / sig[:, 1]) ** 2)
            check("log_evidence_numpy chi^2 == explicit DFT residual chi^2", out[0], chi2_explicit, 1e-9)
            vals = rec.get("values", {})
            check("log_evidence_numpy JSON values == file", [vals.get(t, np.nan) for t in
                  ("chiSquared", "regularizationTerm", "logDetFH", "logDetH", "noiseNormalization",
                   "logEvidence")], out[:6], 0.0)
    finally:
        if keep is None:
            shutil.rmtree(folder, ignore_errors=True)
    ok = all(results)
    print("%s: %d/%d checks passed" % ("PASS" if ok else "FAIL", sum(results), len(results)))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
