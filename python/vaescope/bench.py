"""Benchmark: logging N scalars through the client vs a bare executemany of the same rows.

    python -m vaescope.bench [--scalars 100000] [--per-call 4] [--repeats 7]

Both sides write into a fresh store of the same schema (made by this package, WAL, synchronous=NORMAL,
foreign keys on) holding one run row, in the same process, alternating, and the medians are compared.
- bare:   rows = [(run_id, step, None, "train", key, value), ...] built beforehand (not timed); timed:
          BEGIN; executemany(INSERT, rows); COMMIT.
- bare multi-row: the same rows through the client's statement (insert_scalars), for comparison: the client
          is faster than a per-row executemany because it inserts ROWS_PER_STATEMENT rows per execution.
- client: timed: the run.log(step, key1=..., key2=..., ...) calls (--per-call keys per call) and the final
          run.flush(); run(...) and finish() (row creation, thread start/stop) are timed separately.
The issue's bar: client / bare <= 1.2.
"""
import argparse
import os
import statistics
import sys
import tempfile
import time

from . import writer as run_module
from . import schema

KEYS = ("loss", "kl", "reconstruction", "lr", "beta", "grad_norm", "kl_target_gap", "tokens_per_s")


def _fresh(directory, name):
    path = os.path.join(directory, name)
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(path + suffix):
            os.remove(path + suffix)
    return path


def bare(directory, steps, keys, multi=False):
    path = _fresh(directory, "bare.sqlite")
    schema.open_store(path).close()
    conn = schema.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    run_id = conn.execute("INSERT INTO runs (uuid, name, status, created_at) VALUES ('b', 'bare', 'running', ?)",
                          (run_module.now_text(),)).lastrowid
    rows = [(run_id, step, None, "train", key, step * 0.001 + i) for step in range(1, steps + 1)
            for i, key in enumerate(keys)]
    wall, cpu = time.perf_counter(), time.process_time()
    conn.execute("BEGIN IMMEDIATE")
    if multi:   # the client's own statement, without the client
        run_module.insert_scalars(conn, [v for row in rows for v in row])
    else:
        conn.executemany(run_module.INSERT_SCALAR, rows)
    conn.execute("COMMIT")
    elapsed = time.perf_counter() - wall, time.process_time() - cpu
    conn.close()
    return elapsed


def client(directory, steps, keys):
    path = _fresh(directory, "client.sqlite")
    schema.open_store(path).close()   # as for bare: the store exists, the run does not
    t0 = time.perf_counter()
    run = run_module.run(path, name="client")
    t1 = time.perf_counter()
    log = run.log
    wall, cpu = time.perf_counter(), time.process_time()
    if len(keys) == 1:
        k0, = keys
        for step in range(1, steps + 1):
            log(step, **{k0: step * 0.001})
    else:
        for step in range(1, steps + 1):
            log(step, **{key: step * 0.001 + i for i, key in enumerate(keys)})
    run.flush()
    elapsed = time.perf_counter() - wall, time.process_time() - cpu
    t2 = time.perf_counter()
    run.finish()
    t3 = time.perf_counter()
    return elapsed, (t1 - t0) + (t3 - t2)


def _dict_cost(steps, keys):
    """Time to build the keyword dicts alone (the caller's cost, included in the client's time)."""
    start = time.perf_counter()
    for step in range(1, steps + 1):
        {key: step * 0.001 + i for i, key in enumerate(keys)}
    return time.perf_counter() - start


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m vaescope.bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--scalars", type=int, default=100_000)
    parser.add_argument("--per-call", type=int, default=4, help="scalars per run.log call (1..%d)" % len(KEYS))
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--max-ratio", type=float, default=None, help="exit 1 if client/bare exceeds this")
    args = parser.parse_args(argv)
    keys = KEYS[:max(1, min(args.per_call, len(KEYS)))]
    steps = args.scalars // len(keys)
    bares, clients, overheads, multis = [], [], [], []
    with tempfile.TemporaryDirectory(prefix="vaescope-bench-") as directory:
        for i in range(args.repeats):
            if i % 2 == 0:
                bares.append(bare(directory, steps, keys))
                c, o = client(directory, steps, keys)
            else:
                c, o = client(directory, steps, keys)
                bares.append(bare(directory, steps, keys))
            clients.append(c)
            overheads.append(o)
            multis.append(bare(directory, steps, keys, multi=True))
    med = lambda xs, i: statistics.median(x[i] for x in xs)
    b, c = med(bares, 0), med(clients, 0)
    bc, cc = med(bares, 1), med(clients, 1)
    o = statistics.median(overheads)
    m, mc = med(multis, 0), med(multis, 1)
    n = steps * len(keys)
    print("%d scalars (%d log calls x %d keys), %d repeats, medians (wall / CPU of this process):"
          % (n, steps, len(keys), args.repeats))
    print("  bare executemany       %7.1f ms / %7.1f ms" % (b * 1e3, bc * 1e3))
    print("  client log + flush     %7.1f ms / %7.1f ms   (the caller's keyword dicts alone: %.1f ms)"
          % (c * 1e3, cc * 1e3, _dict_cost(steps, keys) * 1e3))
    print("  bare multi-row INSERT  %7.1f ms / %7.1f ms   (the client's statement, %d rows each, flattening"
          " timed)" % (m * 1e3, mc * 1e3, run_module.ROWS_PER_STATEMENT))
    print("  client run() + finish()  %.1f ms wall, once per run, not included" % (o * 1e3))
    print("ratio client/bare: wall %.3f, CPU %.3f" % (c / b, cc / bc))
    print("(client / bare multi-row INSERT: wall %.3f, CPU %.3f)" % (c / m, cc / mc))
    if args.max_ratio is not None and c / b > args.max_ratio:
        print("FAIL: wall ratio above %.2f" % args.max_ratio)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
