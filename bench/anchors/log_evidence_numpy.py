"""Log evidence of the linear inversion (numpy, no scipy).

A = F + H; L = cholesky(A), L_H = cholesky(H); s = A^-1 D (np.linalg.solve: one LU, cheaper than two
general solves on the triangular factor since numpy has no triangular solver);
chiSquared = sum(V_re^2/sig_re^2 + V_im^2/sig_im^2) - 2 s.D + s.F s; regularizationTerm = s.H s;
logDetFH = 2 sum log diag L; logDetH = 2 sum log diag L_H;
noiseNormalization = sum[ln(2 pi sig_re^2) + ln(2 pi sig_im^2)];
logEvidence = -1/2 (chiSquared + regularizationTerm + logDetFH - logDetH + noiseNormalization).
Inputs: F (S,S), H (S,S), D (S), visibilities (K,2) [re,im], noiseMap (K,2) [sig_re, sig_im].
Output <dir>/log_evidence_numpy.out.f64 = [chiSquared, regularizationTerm, logDetFH, logDetH,
noiseNormalization, logEvidence, s_0 .. s_{S-1}] (6 + S values); the 6 numbers are also in the JSON line.
Everything (both Choleskys, solve, all terms) is inside the timed region.
"""
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common as c  # noqa: E402

case = c.setup()
import numpy as np  # noqa: E402

NAME = "log_evidence_numpy"
F = case.array("F")
H = case.array("H")
D = case.array("D")
V = case.array("visibilities")
N = case.array("noiseMap")
TERMS = ["chiSquared", "regularizationTerm", "logDetFH", "logDetH", "noiseNormalization", "logEvidence"]


def log_evidence():
    A = F + H
    L = np.linalg.cholesky(A)
    LH = np.linalg.cholesky(H)
    s = np.linalg.solve(A, D)
    chi2 = np.sum((V[:, 0] / N[:, 0]) ** 2 + (V[:, 1] / N[:, 1]) ** 2) - 2.0 * (s @ D) + s @ (F @ s)
    reg = s @ (H @ s)
    logdet_a = 2.0 * np.sum(np.log(np.diag(L)))
    logdet_h = 2.0 * np.sum(np.log(np.diag(LH)))
    noise_norm = np.sum(np.log(2.0 * np.pi * N[:, 0] ** 2) + np.log(2.0 * np.pi * N[:, 1] ** 2))
    ev = -0.5 * (chi2 + reg + logdet_a - logdet_h + noise_norm)
    return np.concatenate([[chi2, reg, logdet_a, logdet_h, noise_norm, ev], s])


times, R = c.timed(log_evidence, case.repeats, case.warmup)
out = c.write_f64(case.out_path(NAME), R)
c.emit(NAME, times, out, {"sizes": {"S": F.shape[0], "K": V.shape[0]},
                          "values": dict(zip(TERMS, (float(x) for x in R[:6]))),
                          "threads": case.threads, "env": c.blas_info()})
