"""Shared plumbing for the anchor scripts (see README.md for the input contract).

Import this module *before* numpy / numba: `setup()` fixes the thread count and removes
OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE from the environment before any BLAS is loaded.
"""

import json
import os
import sys
import time

_UNSET = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
_THREAD_VARS = (
    "OPENBLAS_NUM_THREADS",
    "OMP_NUM_THREADS",
    "MKL_NUM_THREADS",
    "NUMBA_NUM_THREADS",
)


class Case:
    """A case folder: inputs.json plus raw little-endian arrays."""

    def __init__(self, folder, spec, repeats, warmup, threads):
        self.dir = folder
        self.spec = spec
        self.sizes = spec.get("sizes", {})
        self.params = spec.get("params", {})
        self.repeats = repeats
        self.warmup = warmup
        self.threads = threads

    def has(self, name):
        return name in self.spec.get("arrays", {})

    def array(self, name):
        import numpy as np

        try:
            desc = self.spec["arrays"][name]
        except KeyError:
            die("inputs.json has no array %r (arrays present: %s)"
                % (name, sorted(self.spec.get("arrays", {}))))
        dtype = {"f64": "<f8", "i32": "<i4"}.get(desc.get("dtype"))
        if dtype is None:
            die("array %r: dtype must be 'f64' or 'i32', got %r" % (name, desc.get("dtype")))
        shape = tuple(int(s) for s in desc["shape"])
        path = os.path.join(self.dir, desc["file"])
        data = np.fromfile(path, dtype=dtype)
        expected = 1
        for s in shape:
            expected *= s
        if data.size != expected:
            die("array %r: %s holds %d elements of %s, shape %s needs %d"
                % (name, path, data.size, desc["dtype"], list(shape), expected))
        # native-endian, C-contiguous copies so numpy/numba see ordinary arrays
        return np.ascontiguousarray(data.reshape(shape).astype(dtype[1:]))

    def param(self, name):
        if name not in self.params:
            die("inputs.json has no params.%s" % name)
        return self.params[name]

    def out_path(self, name):
        return os.path.join(self.dir, name + ".out.f64")


def die(msg):
    sys.stderr.write("anchor error: %s\n" % msg)
    sys.exit(2)


def setup(argv=None):
    """Parse `<dir> [--repeats N] [--no-warmup] [--threads T]`, read inputs.json, fix env."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0].startswith("-"):
        die("usage: %s <case-dir> [--repeats N] [--no-warmup] [--threads T]" % sys.argv[0])
    folder = argv.pop(0)
    repeats = warmup = threads = None
    while argv:
        a = argv.pop(0)
        if a == "--repeats":
            repeats = int(argv.pop(0))
        elif a == "--no-warmup":
            warmup = False
        elif a == "--threads":
            threads = int(argv.pop(0))
        else:
            die("unknown argument %r" % a)
    spec_path = os.path.join(folder, "inputs.json")
    try:
        with open(spec_path) as f:
            spec = json.load(f)
    except OSError as e:
        die("cannot read %s: %s" % (spec_path, e))
    if repeats is None:
        repeats = int(spec.get("repeats", 5))
    if warmup is None:
        warmup = bool(spec.get("warmup", True))
    if threads is None:
        threads = int(spec.get("threads", 2))
    for v in _UNSET:
        os.environ.pop(v, None)
    for v in _THREAD_VARS:
        os.environ[v] = str(threads)
    return Case(folder, spec, max(1, repeats), warmup, threads)


def timed(fn, repeats, warmup):
    """Optional warm-up call, then `repeats` timed calls. Returns (times, last result)."""
    if warmup:
        fn()
    times = []
    result = None
    for _ in range(repeats):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return times, result


def median(xs):
    s = sorted(xs)
    n = len(s)
    return s[n // 2] if n % 2 else 0.5 * (s[n // 2 - 1] + s[n // 2])


def write_f64(path, arr):
    import numpy as np

    np.ascontiguousarray(arr, dtype="<f8").tofile(path)
    return path


def blas_info():
    """Which BLAS numpy uses, and the OpenBLAS core/thread count when it is OpenBLAS."""
    import numpy as np

    info = {"numpy": np.__version__}
    try:
        cfg = np.show_config(mode="dicts")  # numpy >= 1.25
        blas = cfg["Build Dependencies"]["blas"]
        info["blas"] = "%s %s" % (blas.get("name"), blas.get("version"))
    except Exception:  # older numpy: no dict mode
        pass
    try:
        import ctypes
        import glob

        libdir = os.path.join(os.path.dirname(np.__file__), os.pardir, "numpy.libs")
        libs = glob.glob(os.path.join(libdir, "*openblas*"))
        if libs:
            lib = ctypes.CDLL(libs[0])
            for prefix, suffix in (("scipy_openblas_", "64_"), ("openblas_", "64_"), ("openblas_", "")):
                try:
                    core = getattr(lib, prefix + "get_corename" + suffix)
                    conf = getattr(lib, prefix + "get_config" + suffix)
                    nthr = getattr(lib, prefix + "get_num_threads" + suffix)
                except AttributeError:
                    continue
                core.restype = conf.restype = ctypes.c_char_p
                info["openblas_core"] = core().decode()
                info["openblas_config"] = conf().decode()
                info["openblas_threads"] = int(nthr())
                break
    except Exception as e:  # informational only
        info["blas_probe_error"] = str(e)
    return info


def emit(name, times, output, extra=None, variants=None):
    """Print the one JSON result line on stdout."""
    rec = {
        "name": name,
        "median_s": median(times),
        "times_s": times,
        "output": os.path.abspath(output) if output else None,
    }
    if variants:
        rec["variants"] = variants
    if extra:
        rec.update(extra)
    try:
        rec["loadavg_1m"] = os.getloadavg()[0]  # the machine may be shared: judge timings with it
    except OSError:
        pass
    sys.stdout.write(json.dumps(rec) + "\n")
    sys.stdout.flush()


def variant(name, times, output, **extra):
    rec = {"name": name, "median_s": median(times), "times_s": times,
           "output": os.path.abspath(output) if output else None}
    rec.update(extra)
    return rec


def numba_python():
    """Re-exec under a Python that has Numba (Debian's /usr/bin/python3) if this one lacks it."""
    import importlib.util

    # find_spec, not import: numba must be imported only after setup() has fixed NUMBA_NUM_THREADS
    if importlib.util.find_spec("numba") is not None:
        return
    alt = "/usr/bin/python3"
    if os.path.exists(alt) and os.path.realpath(sys.executable) != os.path.realpath(alt) \
            and not os.environ.get("LENSC_ANCHOR_REEXEC"):
        os.environ["LENSC_ANCHOR_REEXEC"] = "1"
        os.execv(alt, [alt] + sys.argv)
    die("numba is not importable from %s (apt-get install python3-numba, use /usr/bin/python3)"
        % sys.executable)


def numba_info():
    import numba
    import numpy as np

    return {"numba": numba.__version__, "numpy": np.__version__,
            "numba_threads": numba.get_num_threads(),
            "threading_layer": _threading_layer()}


def _threading_layer():
    try:
        import numba

        return numba.threading_layer()
    except Exception:
        return None


def pix_sizes(pix_indexes):
    """Number of used entries per row of pixIndexes (-1 marks unused; used entries come first)."""
    import numpy as np

    used = pix_indexes >= 0
    sizes = used.sum(axis=1).astype(np.int64)
    # enforce "used entries first" so loops over range(size) see exactly the used ones
    B = pix_indexes.shape[1]
    if not np.array_equal(used, np.arange(B)[None, :] < sizes[:, None]):
        die("pixIndexes: -1 entries must come after the used ones in each row")
    return sizes
