#!/usr/bin/env python3
"""Kill test (issue 20): SIGKILLs `vaescope train`, `eval`, `import` and `report` at random moments and checks
that nothing written before is lost.

After every kill: the store passes `PRAGMA integrity_check`; every scalar row at or before the run's last
checkpoint is still there; an evaluation is either complete or absent (never half written); an import left the
run whole or not at all; the previous site is intact (or the new one complete) and the next build succeeds.
At the end the killed-and-resumed run is completed and its curves equal those of an uninterrupted run.

Usage: scripts/kill_test.py VAESCOPE_BIN [--n N] [--seed S] [--keep]
Prints one line per kill and a closing "N passed, M failed"; exit status 1 if any check failed.
"""
import argparse
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

WORDS = "the cat dog sat on a mat ran to house big red blue small old new".split()
CONFIG = ["--set", "embeddingSize=8", "--set", "encoderHiddenSize=16", "--set", "decoderHiddenSize=16",
          "--set", "latentSize=4", "--set", "batchSize=8", "--set", "logEvery=2", "--set", "annealSteps=20",
          "--set", "epochs=150", "--set", "evaluateAtEnd=false", "--set", "threads=1"]
EVAL = ["--iw-samples", "40", "--latent-samples", "2", "--prior-samples", "5", "--interpolation-pairs", "2"]


def corpus(directory, rng):
    os.makedirs(directory, exist_ok=True)
    for split, n in (("train", 64), ("valid", 16), ("test", 16)):
        with open(os.path.join(directory, split + ".txt"), "w") as f:
            for _ in range(n):
                f.write(" ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 9))) + "\n")


def run(bin_, *args, check=True):
    p = subprocess.run([bin_, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if check and p.returncode != 0:
        raise RuntimeError(f"{' '.join(args[:2])} failed ({p.returncode}): {p.stderr.strip()[-300:]}")
    return p


def killed(bin_, args, delay):
    """Starts the command, SIGKILLs it after `delay` seconds (if still running); True if it was killed."""
    p = subprocess.Popen([bin_, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        p.wait(timeout=delay)
        return False
    except subprocess.TimeoutExpired:
        p.send_signal(signal.SIGKILL)
        p.wait()
        return True


def connect(path):
    # A writer killed mid-transaction with the rollback journal (VAESCOPE_JOURNAL=delete) leaves PATH-journal,
    # which only a connection that may write can roll back; vaescope does that at its next open, so do the same.
    if os.path.exists(path + "-journal"):
        sqlite3.connect(path).execute("SELECT count(*) FROM sqlite_master").fetchone()
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    return db


def integrity(path):
    if not os.path.exists(path):
        return "ok"   # killed before the store existed: nothing was written, nothing can be lost
    db = connect(path)
    try:
        return db.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        db.close()


def curve(path, name):
    if not os.path.exists(path):
        return []
    db = connect(path)
    try:
        rows = db.execute("""SELECT s.split, s.step, s.key, s.value FROM scalars s JOIN runs r ON r.id = s.run_id
                             WHERE r.name = ? AND s.key NOT IN ('tokens_per_s', 'train_seconds') AND s.key NOT LIKE 'eval.%'""", (name,)).fetchall()
    except sqlite3.OperationalError:
        rows = []   # killed while the new store was being made: no tables yet, nothing logged
    finally:
        db.close()
    return sorted(rows, key=lambda r: (r[0], r[1], r[2], -1e300 if r[3] is None else r[3]))


def checkpoint_step(path, name):
    db = connect(path)
    try:
        row = db.execute("""SELECT c.step FROM checkpoints c JOIN runs r ON r.id = c.run_id
                            WHERE r.name = ? AND c.tag = 'last'""", (name,)).fetchone()
        return row[0] if row else None
    except sqlite3.OperationalError:
        return None
    finally:
        db.close()


def status(path, name):
    if not os.path.exists(path):
        return None
    db = connect(path)
    try:
        row = db.execute("SELECT status FROM runs WHERE name = ?", (name,)).fetchone()
        return row[0] if row else None
    except sqlite3.OperationalError:
        return None
    finally:
        db.close()


def eval_state(path, name, split="test"):
    """'absent' or 'complete' when consistent; anything else is a half-written evaluation."""
    db = connect(path)
    try:
        rid = db.execute("SELECT id FROM runs WHERE name = ?", (name,)).fetchone()[0]
        count = lambda sql: db.execute(sql, (rid, split)).fetchone()[0]
        sentences = count("SELECT COUNT(*) FROM sentences WHERE run_id = ? AND split = ?")
        latents = count("SELECT COUNT(*) FROM latents WHERE run_id = ? AND split = ?")
        texts = count("SELECT COUNT(*) FROM decoded_texts WHERE run_id = ? AND split = ?")
        results = count("SELECT COUNT(*) FROM results WHERE run_id = ? AND split = ?")
    finally:
        db.close()
    if sentences == latents == texts == results == 0:
        return "absent"
    if sentences > 0 and latents == sentences and texts > 0 and results > 0:
        return "complete"
    return f"half: {sentences} sentences, {latents} latents, {texts} texts, {results} results"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("bin")
    ap.add_argument("--n", type=int, default=50)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--keep", action="store_true")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    work = tempfile.mkdtemp(prefix="vaescope-kill-")
    passed = failed = 0

    def verdict(what, problems):
        nonlocal passed, failed
        if problems:
            failed += 1
            print(f"FAIL {what}: " + "; ".join(problems))
        else:
            passed += 1
            print(f"ok   {what}")

    try:
        data = os.path.join(work, "corpus")
        corpus(data, rng)
        ref = os.path.join(work, "ref.sqlite")
        run(a.bin, "train", "--corpus", data, "--db", ref, "--name", "r", *CONFIG, "--quiet")
        run(a.bin, "eval", "r", "--db", ref, *EVAL)
        export = os.path.join(work, "export")
        run(a.bin, "runs", "export", "r", "--db", ref, "--out", export)
        site = os.path.join(work, "site")
        run(a.bin, "report", "--db", ref, "--out", site)
        reference_curve = curve(ref, "r")
        store = os.path.join(work, "killed.sqlite")
        imports = 0
        generation = 0   # training kills go to run r0, then (once it completes) r1, …: all equal to the reference
        for i in range(a.n):
            target = rng.choice(["train", "train", "eval", "import", "report"])
            delay = rng.uniform(0.005, 0.3)
            problems = []
            if target == "train":
                if status(store, f"r{generation}") == "completed":
                    generation += 1
                name = f"r{generation}"
                st = status(store, name)
                if True:
                    before_ckpt = checkpoint_step(store, name) if st else None
                    kept = [row for row in curve(store, name) if before_ckpt is not None and row[1] <= before_ckpt] if st else []
                    args = (["train", "--resume", name, "--db", store, "--quiet"] if st else
                            ["train", "--corpus", data, "--db", store, "--name", name, *CONFIG, "--quiet"])
                    was_killed = killed(a.bin, args, delay)
                    if integrity(store) != "ok":
                        problems.append("integrity_check failed")
                    after = set(curve(store, name))
                    lost = [row for row in kept if row not in after]
                    if lost:
                        problems.append(f"{len(lost)} rows up to the checkpoint lost")
                    verdict(f"#{i + 1} train {name} {'killed' if was_killed else 'finished'} after {delay:.2f}s", problems)
                    continue
            if target == "eval":
                name = f"r{generation}"
                if status(store, name) is None or checkpoint_step(store, name) is None:
                    target = "report"
                else:
                    was_killed = killed(a.bin, ["eval", name, "--db", store, "--checkpoint", "last", *EVAL], delay)
                    if integrity(store) != "ok":
                        problems.append("integrity_check failed")
                    state = eval_state(store, name)
                    if state not in ("absent", "complete"):
                        problems.append(state)
                    verdict(f"#{i + 1} eval {'killed' if was_killed else 'finished'} after {delay:.2f}s ({state})", problems)
                    continue
            if target == "import":
                imports += 1
                dest = os.path.join(work, "import.sqlite")
                name = f"imp{imports}"
                was_killed = killed(a.bin, ["import", "--db", dest, "--name", name, export], delay / 3)
                if os.path.exists(dest):
                    if integrity(dest) != "ok":
                        problems.append("integrity_check failed")
                    rows = curve(dest, name)
                    if rows and len(rows) != len(curve(ref, "r")):
                        problems.append(f"half an import: {len(rows)} scalar rows")
                verdict(f"#{i + 1} import {'killed' if was_killed else 'finished'} after {delay:.2f}s", problems)
                continue
            # report: the previous site stays whole (or the new one is complete), and the next build works.
            delay = rng.uniform(0.005, 0.2)   # a build of this site takes ~0.2 s
            was_killed = killed(a.bin, ["report", "--db", ref, "--out", site], delay)
            if not os.path.exists(os.path.join(site, "index.html")):
                problems.append("no site/index.html after the kill")
            p = run(a.bin, "report", "--db", ref, "--out", site, check=False)
            if p.returncode != 0:
                problems.append("the next build failed: " + p.stderr.strip()[-200:])
            leftovers = [e for e in os.listdir(work) if e.startswith(".site.")]
            if leftovers:
                problems.append(f"leftovers {leftovers}")
            verdict(f"#{i + 1} report {'killed' if was_killed else 'finished'} after {delay:.2f}s", problems)
        # Finish the killed runs and compare each with the uninterrupted one.
        problems = []
        for g in range(generation + 1):
            name = f"r{g}"
            for _ in range(20):
                st = status(store, name)
                if st == "completed":
                    break
                args = (["train", "--resume", name, "--db", store, "--quiet"] if st else
                        ["train", "--corpus", data, "--db", store, "--name", name, *CONFIG, "--quiet"])
                run(a.bin, *args)
            if status(store, name) != "completed":
                problems.append(f"{name} not completed: {status(store, name)}")
            elif curve(store, name) != reference_curve:
                problems.append(f"{name}: resumed curves differ from the uninterrupted run's")
        verdict(f"{generation + 1} killed-and-resumed runs equal the uninterrupted run", problems)
    finally:
        if a.keep:
            print("work directory:", work)
        else:
            shutil.rmtree(work, ignore_errors=True)
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
