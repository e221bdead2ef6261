"""Which BLAS numpy runs here, as one JSON line: threadpoolctl's view when it recognises the library, else
OpenBLAS's own answers through ctypes (numpy >= 2 wheels ship "scipy_openblas", whose prefixed symbols the
threadpoolctl 3.1 of Debian does not know). Run with the anchors' environment (OPENBLAS_CORETYPE unset)."""

import ctypes
import glob
import json
import os
import sys

for var in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
    os.environ.pop(var, None)
os.environ.setdefault("OPENBLAS_NUM_THREADS", sys.argv[1] if len(sys.argv) > 1 else "2")

import numpy as np  # noqa: E402

info = {"numpy": np.__version__}
np.ones((64, 64)) @ np.ones((64, 64))  # load the BLAS
try:
    sys.path.append("/usr/lib/python3/dist-packages")  # Debian's python3-threadpoolctl, after numpy's own path
    import threadpoolctl

    info["threadpoolctl"] = threadpoolctl.threadpool_info()
except ImportError:
    info["threadpoolctl"] = "not installed"
libs = glob.glob(os.path.join(os.path.dirname(np.__path__[0]), "numpy.libs", "libscipy_openblas*.so*"))
if libs:
    lib = ctypes.CDLL(libs[0])
    for key, sym in (("config", "scipy_openblas_get_config64_"), ("core", "scipy_openblas_get_corename64_")):
        f = getattr(lib, sym, None)
        if f is not None:
            f.restype = ctypes.c_char_p
            info[key] = f().decode()
    f = getattr(lib, "scipy_openblas_get_num_threads64_", None)
    if f is not None:
        f.restype = ctypes.c_int
        info["threads"] = f()
    info["library"] = libs[0]
print(json.dumps(info))
