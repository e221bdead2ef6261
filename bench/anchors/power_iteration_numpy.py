"""40 steps of power iteration, v <- A v / |A v|, stacking the Rayleigh quotients v.(A v) (numpy).

Inputs: a (N,N), v0 (N). Output: the 40 Rayleigh quotients -> <dir>/power_iteration_numpy.out.f64.
The same loop as the lensc kernel powerIteration (test/scan/cases.ts), v0 normalised first.
"""
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common as c  # noqa: E402  (must precede numpy: fixes threads / OpenBLAS env)

case = c.setup()
import numpy as np  # noqa: E402

NAME = "power_iteration_numpy"
a = case.array("a")
v0 = case.array("v0")
STEPS = 40


def power():
    v = v0 / np.sqrt(v0 @ v0)
    lam = np.empty(STEPS)
    for t in range(STEPS):
        w = a @ v
        lam[t] = v @ w
        v = w / np.sqrt(w @ w)
    return lam


times, lam = c.timed(power, case.repeats, case.warmup)
out = c.write_f64(case.out_path(NAME), lam)
c.emit(NAME, times, out, {"sizes": {"N": a.shape[0]}, "threads": case.threads, "env": c.blas_info()})
