"""Run every anchor at the benchmark sizes and print a summary (what bench/anchors/README.md reports).

usage: python3 bench/anchors/run_sizes.py [--dir DIR] [--repeats 5] [--wtilde-numba-repeats 1]
                                         [--skip SCRIPT,...] [--only SCRIPT,...] [--wait-quiet 300]
                                         [--attempts 1]
--wait-quiet S: before each script wait (up to S seconds) until the CPUs are >= 90% idle over 1 s, since
other work on a shared 2-core machine distorts the timings. Each result records how many cores other
processes used while the script ran (other_cores_during); rerun anything where that is not near 0.
--attempts A: run each script up to A times and keep the attempt with the least interference.
"""
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # keep bench/anchors free of __pycache__
sys.path.insert(0, HERE)
import make_case as mc  # noqa: E402
from selfcheck import python_for  # noqa: E402

CASES = {  # name: (make_case kwargs)
    "wtilde": dict(kind="wtilde", n=32, k=8192),
    "preload": dict(kind="preload", n=64, k=32768),
    "curvature": dict(kind="curvature", n=64, k=8192, s=256, b=3),
    "evidence256": dict(kind="evidence", s=256, k=8192),
    "evidence1024": dict(kind="evidence", s=1024, k=8192),
}
RUNS = [  # (script, case, extra args)
    ("w_tilde_numpy", "wtilde", []),
    ("preload_numpy", "preload", []),
    ("preload_numba", "preload", []),
    ("curvature_numpy", "curvature", []),
    ("curvature_numba", "curvature", []),
    ("log_evidence_numpy", "evidence256", []),
    ("log_evidence_numpy", "evidence1024", []),
    ("w_tilde_numba", "wtilde", ["--no-warmup"]),
]


def idle_fraction(dt=1.0):
    def snap():
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:]]
        return v[3] + v[4], sum(v)
    i0, t0 = snap()
    time.sleep(dt)
    i1, t1 = snap()
    return (i1 - i0) / max(1, t1 - t0)


def cpu_busy_s():
    """Busy CPU seconds of the whole machine so far (from /proc/stat)."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    return (sum(v) - v[3] - v[4]) / os.sysconf("SC_CLK_TCK")


def children_cpu_s():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def main(argv):
    folder, repeats, wt_numba_repeats, skip, wait, attempts, only = None, 5, 1, set(), 0.0, 1, None
    while argv:
        a = argv.pop(0)
        if a == "--dir":
            folder = argv.pop(0)
        elif a == "--repeats":
            repeats = int(argv.pop(0))
        elif a == "--wtilde-numba-repeats":
            wt_numba_repeats = int(argv.pop(0))
        elif a == "--only":
            only = set(argv.pop(0).split(","))
        elif a == "--skip":
            skip |= set(argv.pop(0).split(","))
        elif a == "--attempts":
            attempts = int(argv.pop(0))
        elif a == "--wait-quiet":
            wait = float(argv.pop(0))
        else:
            print(__doc__)
            return 2
    folder = folder or tempfile.mkdtemp(prefix="anchors-bench-")
    for name, kw in CASES.items():
        if not os.path.exists(os.path.join(folder, name, "inputs.json")):
            mc.make(os.path.join(folder, name), repeats=repeats, **kw)
    env = dict(os.environ)
    env.pop("OPENBLAS_CORETYPE", None)
    env.pop("OPENBLAS_L2_SIZE", None)
    rows = []
    for script, case, extra in RUNS:
        if script in skip or (only is not None and script not in only):
            continue
        reps = wt_numba_repeats if script == "w_tilde_numba" else repeats
        best = None
        for attempt in range(attempts):
            idle = idle_fraction()
            t_end = time.time() + wait
            while idle < 0.9 and time.time() < t_end:
                time.sleep(5)
                idle = idle_fraction()
            cmd = [python_for(script), os.path.join(HERE, script + ".py"), os.path.join(folder, case),
                   "--repeats", str(reps)] + extra
            b0, c0, w0 = cpu_busy_s(), children_cpu_s(), time.time()
            p = subprocess.run(cmd, capture_output=True, text=True, env=env)
            # CPU that other processes used while the script ran, in cores (0 = machine was ours alone)
            others = max(0.0, (cpu_busy_s() - b0) - (children_cpu_s() - c0)) / max(1e-9, time.time() - w0)
            if p.returncode != 0:
                print("%s on %s failed:\n%s" % (script, case, p.stderr[-2000:]))
                break
            rec = json.loads(p.stdout.strip().splitlines()[-1])
            if best is None or others < best[2]:
                best = (rec, idle, others)
            if others < 0.05:
                break
        if best is None:
            continue
        rec, idle, others = best
        rows.append((script, case, rec, idle, others))
        print(json.dumps({"script": script, "case": case, "idle_before": round(idle, 3),
                          "other_cores_during": round(others, 2), "result": rec}))
        sys.stdout.flush()
    print("\n%-20s %-13s %-22s %10s  %s" % ("script", "case", "variant", "median_s", "times_s"))
    for script, case, rec, idle, others in rows:
        for v in rec.get("variants") or [rec]:
            print("%-20s %-13s %-22s %10.4f  %s  (other processes used %.2f cores meanwhile)" % (
                script, case, v["name"] if "variants" in rec else "-", v["median_s"],
                " ".join("%.4f" % t for t in v["times_s"]), others))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
