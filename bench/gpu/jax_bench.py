"""JAX (f64) timings of the cases bench/gpu/timings.mjs times for lensc, on the same GPU.

  wtilde   W~ = C.C^T + S.S^T chunked over K (lax.fori_loop over K chunks) at N = 128 full grid
           (M = 16384), K = 65536
  preload  the preload table by two GEMMs at N = 128, K = 65536, alone and with the expansion to
           M x M; the table alone at N = 300, K = 10^6 (when it fits)
  scan     the talk's lax.scan W~ (M x M carry, one visibility per step) at M = 1024, K = 8192
  curvature  F = T^T W~ T by the FFT route (PyAutoArray's method, written here in JAX: columns of T on the
           2N x 2N grid, rfft2, times rfft2 of the flipped preload, irfft2, gather, segment sum), in batches of
           columns under lax.map, at N = 256 circular mask, S = 1000, B = 3

Inputs follow the same layout as timings.mjs (same sizes, not the same random values: timing only).
Each case: compile + one warm-up, then the median of REPS runs, block_until_ready() around each.
Writes $OUT/jax-timings.json. Usage: python3 bench/gpu/jax_bench.py [case ...]
(JAX_BENCH_SCALE=small for a smoke run on a CPU.)
"""
import json
import os
import statistics
import sys
import time

os.environ.setdefault("XLA_PYTHON_CLIENT_PREALLOCATE", "false")  # lensc runs in another process before
import numpy as np  # noqa: E402
import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
from jax import lax  # noqa: E402

jax.config.update("jax_enable_x64", True)

SMALL = os.environ.get("JAX_BENCH_SCALE") == "small"
REPS = 2 if SMALL else 3
OUT = os.environ.get("OUT") or os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "out", "gpu")
ARCSEC = np.pi / (180 * 3600)
results = []


def problem(N, K, seed):
    r = np.random.default_rng(seed)
    d = 0.05 * ARCSEC
    rows, cols = np.meshgrid(np.arange(N), np.arange(N), indexing="ij")
    rows, cols = rows.ravel(), cols.ravel()
    grid = np.stack([((N - 1) / 2 - rows) * d, (cols - (N - 1) / 2) * d], axis=1)
    uv = (r.random((K, 2)) - 0.5) / d
    sigma = 0.5 + r.random(K)
    return dict(N=N, K=K, M=N * N, d=d, grid=grid, rows=rows, cols=cols, uv=uv, sigma=sigma)


def timed(label, fn, *args):
    row = {"case": label, "status": "FAIL"}
    try:
        t0 = time.perf_counter()
        jax.block_until_ready(fn(*args))  # compile + warm-up
        row["warmup_ms"] = (time.perf_counter() - t0) * 1e3
        runs = []
        for _ in range(REPS):
            t0 = time.perf_counter()
            jax.block_until_ready(fn(*args))
            runs.append((time.perf_counter() - t0) * 1e3)
        row["ms"] = statistics.median(runs)
        row["runs_ms"] = runs
        row["status"] = "PASS"
        print(f"PASS {label}: {row['ms']:.2f} ms (runs {', '.join(f'{x:.1f}' for x in runs)})", flush=True)
    except Exception as e:  # an OOM on one case must not stop the others
        row["detail"] = f"{type(e).__name__}: {str(e)[:300]}"
        print(f"FAIL {label}: {row['detail']}", flush=True)
    results.append(row)
    return row


def wtilde_chunked(chunk):
    @jax.jit
    def f(grid, uv, sigma):
        y, x = grid[:, 0], grid[:, 1]
        K = uv.shape[0]
        n = K // chunk

        def body(c, W):
            u = lax.dynamic_slice_in_dim(uv[:, 0], c * chunk, chunk)
            v = lax.dynamic_slice_in_dim(uv[:, 1], c * chunk, chunk)
            s = lax.dynamic_slice_in_dim(sigma, c * chunk, chunk)
            A = 2 * jnp.pi * (x[:, None] * u[None, :] + y[:, None] * v[None, :])
            C, S = jnp.cos(A) / s, jnp.sin(A) / s
            return W + C @ C.T + S @ S.T

        return lax.fori_loop(0, n, body, jnp.zeros((x.shape[0], x.shape[0]), jnp.float64))

    return f


def preload_table(N, d):
    @jax.jit
    def f(uv, sigma):
        a = jnp.arange(2 * N)
        off = jnp.where(a < N, a, a - 2 * N).astype(jnp.float64)
        beta = 2 * jnp.pi * (off * d)[:, None] * uv[None, :, 1]
        alpha = 2 * jnp.pi * (off * d)[:, None] * uv[None, :, 0]
        table = (jnp.cos(beta) / sigma) @ (jnp.cos(alpha) / sigma).T + (jnp.sin(beta) / sigma) @ (jnp.sin(alpha) / sigma).T
        return table.at[N, :].set(0).at[:, N].set(0)

    return f


def expand(N):
    @jax.jit
    def f(table, rows, cols):
        dr = (rows[None, :] - rows[:, None]) % (2 * N)
        dc = (cols[None, :] - cols[:, None]) % (2 * N)
        return table[dr, dc]

    return f


def scan_wtilde():
    @jax.jit
    def f(grid, uv, sigma):
        y, x = grid[:, 0], grid[:, 1]
        dx, dy = x[:, None] - x[None, :], y[:, None] - y[None, :]

        def body(W, t):
            u, v, s = t
            return W + jnp.cos(2 * jnp.pi * (dx * u + dy * v)) / s**2, None

        W, _ = lax.scan(body, jnp.zeros_like(dx), (uv[:, 0], uv[:, 1], sigma))
        return W

    return f


def curvature_fft(N, S, batch):
    @jax.jit
    def f(preload, rows, cols, idx, w):
        spectrum = jnp.fft.rfft2(jnp.roll(preload[::-1, ::-1], 1, axis=(0, 1)))
        M, B = idx.shape
        r, c = rows[:, None].repeat(B, 1), cols[:, None].repeat(B, 1)

        def one_batch(t0):
            local = idx - t0
            ok = (local >= 0) & (local < batch)
            grid = jnp.zeros((batch, 2 * N, 2 * N)).at[jnp.where(ok, local, batch), r, c].add(w, mode="drop")
            conv = jnp.fft.irfft2(jnp.fft.rfft2(grid) * spectrum, s=(2 * N, 2 * N))
            g = conv[:, rows, cols]  # (batch, M)
            # F[s, t0 + j] = sum over (m, b) with idx = s of w[m, b] * g[j, m]
            return jnp.zeros((S, batch)).at[idx.ravel()].add((w[:, :, None] * g.T[:, None, :]).reshape(M * B, batch), mode="drop")

        starts = jnp.arange(0, S, batch)
        blocks = lax.map(one_batch, starts)  # (nb, S, batch): columns t0 .. t0 + batch of F
        return blocks.transpose(1, 0, 2).reshape(S, -1)[:, :S]
    return f


def main():
    want = sys.argv[1:]
    on = lambda c: not want or c in want  # noqa: E731
    dev = jax.devices()[0]
    print(f"== JAX {jax.__version__} f64 timings on {dev.device_kind} ({dev.platform}), median of {REPS} after a warm-up", flush=True)
    if on("wtilde"):
        p = problem(12 if SMALL else 128, 4096 if SMALL else 65536, 1)
        g, uv, s = jnp.asarray(p["grid"]), jnp.asarray(p["uv"]), jnp.asarray(p["sigma"])
        chunk = 1024 if SMALL else 8192
        timed(f"wtilde chunked C.C^T+S.S^T M={p['M']} K={p['K']} chunk={chunk}", wtilde_chunked(chunk), g, uv, s)
    if on("preload"):
        p = problem(12 if SMALL else 128, 4096 if SMALL else 65536, 2)
        uv, s = jnp.asarray(p["uv"]), jnp.asarray(p["sigma"])
        tab = preload_table(p["N"], p["d"])
        ex = expand(p["N"])
        rows, cols = jnp.asarray(p["rows"]), jnp.asarray(p["cols"])
        timed(f"preload table N={p['N']} K={p['K']}", tab, uv, s)
        both = jax.jit(lambda uv, s, rows, cols: ex(tab(uv, s), rows, cols))
        timed(f"preload table+expansion N={p['N']} K={p['K']} M={p['M']}", both, uv, s, rows, cols)
        q = problem(20 if SMALL else 300, 20000 if SMALL else 1_000_000, 3)
        timed(f"preload table N={q['N']} K={q['K']}", preload_table(q["N"], q["d"]), jnp.asarray(q["uv"]), jnp.asarray(q["sigma"]))
    if on("scan"):
        p = problem(8 if SMALL else 32, 1024 if SMALL else 8192, 4)
        timed(f"scan lax.scan M={p['M']} K={p['K']}", scan_wtilde(), jnp.asarray(p["grid"]), jnp.asarray(p["uv"]), jnp.asarray(p["sigma"]))
    if on("curvature"):
        N, S, B = (16, 40, 3) if SMALL else (256, 1000, 3)
        r = np.random.default_rng(5)
        rr, cc = np.meshgrid(np.arange(N), np.arange(N), indexing="ij")
        inside = (rr - (N - 1) / 2) ** 2 + (cc - (N - 1) / 2) ** 2 <= (N / 2) ** 2
        rows, cols = rr[inside], cc[inside]
        M = rows.size
        idx, w = r.integers(0, S, (M, B)).astype(np.int32), r.random((M, B))
        batch = 8 if SMALL else 50
        timed(f"curvature fft route N={N} M={M} S={S} B={B} batch={batch}", curvature_fft(N, S, batch),
              jnp.asarray(r.random((2 * N, 2 * N)) - 0.5), jnp.asarray(rows), jnp.asarray(cols), jnp.asarray(idx), jnp.asarray(w))
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "jax-timings.json"), "w") as f:
        json.dump({"jax": jax.__version__, "device": dev.device_kind, "reps": REPS, "results": results}, f, indent=2)
    failed = sum(r["status"] != "PASS" for r in results)
    print(f"jax timings: {len(results) - failed} passed, {failed} failed", flush=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
