#!/usr/bin/env python3
"""NumPy reference timings for the latent metrics `vaescope bench metrics` measures, on arrays of the same
shapes (N x d latents, N x D features): full-split mixture MI (He et al. 2019 calc_mi over the whole split,
with the same GEMM expansion of the quadratic form and a float64 logsumexp in row blocks), plus AU, log-det
covariance and the closed-form mean pairwise cosine. metrics_ref.py (shared) has no MI; this fills the gap.

    /tmp/vaescope-bench-venv/bin/python scripts/latent_ref.py [--n 10000] [--d 64] [--D 512] [--threads 1]
One JSON line per measurement (median wall and process-CPU seconds of --repeat runs).
"""
import argparse
import json
import math
import statistics
import time

import numpy as np


def mi_full_split(mu, lv, z, block=256):
    n, d = mu.shape
    shift = mu.mean(axis=0)
    m, zc = mu - shift, z - shift
    w = np.exp(-lv)
    B = np.concatenate([w, -2 * m * w], axis=1)                  # (n, 2d)
    c = (m * m * w).sum(1) + lv.sum(1)                           # (n,)
    neg_ent = (-0.5 * (1 + lv).sum(1)).mean()
    total = 0.0
    for s in range(0, n, block):
        A = np.concatenate([zc[s:s + block] ** 2, zc[s:s + block]], axis=1)
        L = -0.5 * (A @ B.T + c[None, :])
        mx = L.max(axis=1, keepdims=True)
        total += float((mx[:, 0] + np.log(np.exp(L - mx).sum(axis=1))).sum())
    return float(neg_ent - (total / n - math.log(n)))


def timed(fn, repeat):
    walls, cpus, val = [], [], None
    while len(walls) < repeat or sum(walls) < 0.5:
        c0, t0 = time.process_time(), time.perf_counter()
        val = fn()
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    return val, statistics.median(walls), statistics.median(cpus), len(walls)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=10000)
    ap.add_argument("--d", type=int, default=64)
    ap.add_argument("--D", type=int, default=512)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    from threadpoolctl import threadpool_limits
    threadpool_limits(limits=a.threads)
    rng = np.random.default_rng(0)
    d, n = a.d, a.n
    scale = np.where(np.arange(d) < int(0.6 * d), 1.0, 0.05)
    mu = (rng.standard_normal((n, d)) * scale + 0.1).astype(np.float32)
    lv = rng.uniform(-3, 0, (n, d)).astype(np.float32)
    z = (mu + np.exp(0.5 * lv) * rng.standard_normal((n, d))).astype(np.float32)
    h = (rng.standard_normal((n, a.D)) + 0.2).astype(np.float32)
    m64, l64, z64 = mu.astype(np.float64), lv.astype(np.float64), z.astype(np.float64)

    def au():
        return int((mu.astype(np.float64).var(axis=0, ddof=1) >= 0.01).sum())

    def logdet():
        x = mu.astype(np.float64)
        xc = x - x.mean(0)
        L = np.linalg.cholesky(xc.T @ xc / (n - 1))
        return float(2 * np.log(np.diag(L)).sum())

    def cos():
        x = h.astype(np.float64)
        x /= np.linalg.norm(x, axis=1, keepdims=True)
        s = x.sum(0)
        return float((s @ s - n) / (n * (n - 1)))

    for name, fn in (("active_units", au), ("logdet_cov_cholesky", logdet),
                     ("mi_full_split", lambda: mi_full_split(m64, l64, z64)),
                     ("mean_pairwise_cosine_closed_form", cos)):
        val, wall, cpu, runs = timed(fn, a.repeat)
        print(json.dumps(dict(bench="latent_ref", metric=name, value=val, seconds=wall, cpu_seconds=cpu, runs=runs,
                              N=n, d=d, D=a.D, blas_threads=a.threads, numpy=np.__version__)), flush=True)


if __name__ == "__main__":
    main()
