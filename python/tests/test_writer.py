"""Writing a run: what lands in the store, and that the vaescope binary reads it (runs, metrics, report)."""
import json
import math
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import unittest
from datetime import datetime, timezone

import vaescope

from helpers import ScratchTestCase, query, runs_list, vaescope_cli

try:
    import numpy as np
except ImportError:
    np = None

SENTENCES = ["the cat sat on the mat", "a dog ran home", "prices fell sharply today", "she said no",
             "the market rose", "we went to the sea", "it was cold", "he reads books at night"]
CONFIG = {"objective": {"kind": "klTarget", "klTarget": 15.0}, "pooling": "max", "latentSize": 4,
          "nested": {"lr": 1e-3, "layers": [1, 2]}}


class FakeTensor:
    """Looks like a torch.Tensor to the client (detach / cpu / numpy), without torch."""

    def __init__(self, array):
        self.array, self.calls = array, []

    def detach(self):
        self.calls.append("detach")
        return self

    def cpu(self):
        self.calls.append("cpu")
        return self

    def numpy(self):
        self.calls.append("numpy")
        return self.array


class FakeScalarTensor:
    """A 0-d tensor: float() works (torch calls .item())."""

    def __init__(self, value):
        self.value = value

    def __float__(self):
        return float(self.value)


@unittest.skipIf(np is None, "NumPy not installed (pip install numpy): latents need it")
class FullRunTests(ScratchTestCase):
    """One run with scalars, latents and texts, read back from SQL and through the binary."""

    def setUp(self):
        super().setUp()
        rng = np.random.default_rng(0)
        n, d, s, h = len(SENTENCES), 4, 3, 5
        self.mu = rng.normal(size=(n, d))
        self.logvar = rng.normal(-1, 0.1, size=(n, d))
        self.z = self.mu[None] + rng.normal(size=(s, n, d)) * 0.1    # (S, N, d)
        self.h = rng.normal(size=(n, h))
        self.db = self.path("runs.sqlite")
        with vaescope.run(self.db, name="py-full", config=CONFIG, corpus_name="toy", corpus_hash="sha256:0",
                          seed=2 ** 64 - 1) as run:
            for step in range(1, 201):
                run.log(step, split="train", epoch=(step - 1) // 100 + 1, loss=60.0 - step * 0.1,
                        kl=15.0 * (1 - math.exp(-step / 50)), reconstruction=45.0 - step * 0.1, lr=1e-3)
            run.log(100, split="valid", epoch=1, kl=14.0, reconstruction=40.0, elbo=-54.0)
            run.log(200, split="valid", epoch=2, kl=14.5, reconstruction=39.0, elbo=-53.5)
            run.log(201, split="train", kl=float("nan"))
            run.log_latents(FakeTensor(self.mu), self.logvar, z=self.z, features=self.h, sentences=SENTENCES)
            run.log_texts("reconstruction", SENTENCES[:-1] + ["he reads at night"])
            run.log_texts("prior-sample", ["a b c", "the the the"], scheme="greedy")
            run.log_texts("prior-sample", ["x y", "z w"], scheme="top-k", parameter=5)
            run.log_texts("interpolation", [["a b", "a c", "c d"], [["e"], ["f"], ["g"]]])
            self.uuid = run.uuid

    def test_rows_in_the_store(self):
        # Fails if a table's layout differs from docs/schema.md (blob order, NULL for NaN, indices, seeds).
        db = self.db
        row = query(db, "SELECT status, finished_at, config, corpus_name, seed, tool_version FROM runs")[0]
        self.assertEqual(row[0], "completed")
        self.assertIsNotNone(row[1])
        self.assertEqual(json.loads(row[2]), CONFIG)
        self.assertEqual(row[3], "toy")
        self.assertEqual(row[4], -1)   # 2**64 - 1 as its signed 64-bit pattern
        self.assertEqual(query(db, "SELECT COUNT(*) FROM scalars WHERE split = 'train' AND key = 'kl'")[0][0], 201)
        self.assertEqual(query(db, "SELECT value, epoch FROM scalars WHERE step = 201")[0], (None, None))
        self.assertEqual(query(db, "SELECT epoch FROM scalars WHERE step = 150 AND key = 'kl'")[0][0], 2)
        self.assertEqual(query(db, "SELECT COUNT(*) FROM run_leases")[0][0], 0)
        n, d = self.mu.shape
        latents = query(db, "SELECT sentence_index, latent_dim, samples, feature_dim, mu, logvar, z, h FROM latents "
                            "ORDER BY sentence_index")
        self.assertEqual(len(latents), n)
        for i, (index, dim, samples, fdim, mu, logvar, z, h) in enumerate(latents):
            self.assertEqual((index, dim, samples, fdim), (i, d, 3, 5))
            self.assertEqual(mu, self.mu[i].astype("<f4").tobytes())
            self.assertEqual(logvar, self.logvar[i].astype("<f4").tobytes())
            self.assertEqual(z, self.z[:, i, :].astype("<f4").tobytes())   # sentence i's (S, d), sample-major
            self.assertEqual(h, self.h[i].astype("<f4").tobytes())
        self.assertEqual(query(db, "SELECT text, token_count FROM sentences WHERE sentence_index = 1")[0],
                         ("a dog ran home", 4))
        texts = query(db, "SELECT kind, scheme, parameter, z_index, pair_index, point_index, source_index, text "
                          "FROM decoded_texts ORDER BY id")
        self.assertEqual(texts[1], ("reconstruction-mean", "greedy", None, 1, None, None, 1, "a dog ran home"))
        self.assertIn(("prior-sample", "top-k", 5.0, 1, None, None, None, "z w"), texts)
        self.assertIn(("interpolation", "greedy", None, 5, 1, 2, None, "g"), texts)   # z_index = pair·P + point

    def test_runs_list_and_show(self):
        runs = runs_list(self.db)
        self.assertEqual(set(runs), {"py-full"})
        r = runs["py-full"]
        self.assertEqual((r["status"], r["stale"], r["uuid"], r["objective"], r["pooling"], r["klTarget"]),
                         ("completed", False, self.uuid, "klTarget", "max", 15.0))
        self.assertEqual(r["lastKL"], 14.5)   # valid preferred over train
        self.assertEqual(r["steps"], 201)
        _, out, _ = vaescope_cli("runs", "show", "py-full", "--db", self.db)
        self.assertRegex(out, r"latents\s+test: N=8 d=4 S=3 H=5")
        self.assertRegex(out, r"decoded texts interpolation: 6")

    def test_latents_export_back_unchanged(self):
        # The binary's own reader assembles (N, d), (S, N, d), (N, H) from the blobs.
        out = self.path("export")
        vaescope_cli("runs", "export", "py-full", "--db", self.db, "--out", out)
        for name, expected in (("mu", self.mu), ("logvar", self.logvar), ("z", self.z), ("features", self.h)):
            got = np.load(os.path.join(out, name + ".npy"))
            np.testing.assert_array_equal(got.reshape(expected.shape), expected.astype("<f4"), err_msg=name)
        with open(os.path.join(out, "sentences.txt")) as f:
            self.assertEqual(f.read().splitlines(), SENTENCES)

    def test_metrics_and_report(self):
        _, out, _ = vaescope_cli("metrics", "--db", self.db, "--run", "py-full", "--format", "json")
        metrics = json.loads(out)
        text = json.dumps(metrics)
        for needle in ("BLEU", "MI", "AU"):
            self.assertIn(needle, text)
        site = self.path("site")
        vaescope_cli("report", "--db", self.db, "--out", site)
        with open(os.path.join(site, "index.html"), encoding="utf-8") as f:
            self.assertIn("py-full", f.read())
        pages = [p for p in os.listdir(os.path.join(site, "runs"))]
        self.assertTrue(pages, "no run page")


class WriterTests(ScratchTestCase):
    def test_run_row_config_and_lease_written_at_start(self):
        # Fails if the config waits for the end (lost on a crash) or the lease is missing / not this process's.
        db = self.path("runs.sqlite")
        run = vaescope.run(db, name="started", config=CONFIG, corpus_name="ptb", seed=7)
        try:
            (status, finished, config, created), = query(
                db, "SELECT status, finished_at, config, created_at FROM runs WHERE name = 'started'")
            self.assertEqual((status, finished, json.loads(config)), ("running", None, CONFIG))
            self.assertRegex(created, r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$")
            created_at = datetime.strptime(created, "%Y-%m-%d %H:%M:%S.%f").replace(tzinfo=timezone.utc)
            self.assertLess(abs((datetime.now(timezone.utc) - created_at).total_seconds()), 60)
            (host, pid, acquired, beat), = query(db, "SELECT host, pid, acquired_at, heartbeat_at FROM run_leases")
            self.assertEqual((host, pid), (socket.gethostname(), os.getpid()))
            listed = runs_list(db)["started"]
            self.assertEqual((listed["status"], listed["stale"]), ("running", False))
            self.assertEqual(listed["writer"]["pid"], os.getpid())
        finally:
            run.finish()
        self.assertEqual(query(db, "SELECT status FROM runs")[0][0], "completed")

    def test_heartbeat_and_time_flush(self):
        db = self.path("runs.sqlite")
        with vaescope.run(db, name="beat", heartbeat_interval=0.2, flush_interval=0.1, flush_rows=10 ** 6) as run:
            first = query(db, "SELECT heartbeat_at FROM run_leases")[0][0]
            run.log(1, kl=1.0, reconstruction=2.0)
            deadline = time.time() + 10
            while time.time() < deadline and (query(db, "SELECT heartbeat_at FROM run_leases")[0][0] == first
                                              or query(db, "SELECT COUNT(*) FROM scalars")[0][0] < 2):
                time.sleep(0.05)
            self.assertGreater(query(db, "SELECT heartbeat_at FROM run_leases")[0][0], first, "no heartbeat")
            self.assertEqual(query(db, "SELECT COUNT(*) FROM scalars")[0][0], 2, "buffer not flushed by time")

    def test_size_flush_one_transaction_each(self):
        db = self.path("runs.sqlite")
        with vaescope.run(db, name="sized", flush_rows=10, flush_interval=3600) as run:
            for step in range(25):
                run.log(step, kl=float(step))
            self.assertEqual(query(db, "SELECT COUNT(*) FROM scalars")[0][0], 20)
            self.assertEqual(run.rows_written, 20)
        self.assertEqual(query(db, "SELECT COUNT(*) FROM scalars")[0][0], 25)

    def test_exception_marks_failed_and_keeps_what_was_logged(self):
        db = self.path("runs.sqlite")
        with self.assertRaises(ZeroDivisionError):
            with vaescope.run(db, name="crashes") as run:
                run.log(1, kl=1.0)
                1 / 0
        self.assertEqual(query(db, "SELECT status, finished_at IS NOT NULL FROM runs")[0], ("failed", 1))
        self.assertEqual(query(db, "SELECT COUNT(*) FROM scalars")[0][0], 1)
        self.assertEqual(query(db, "SELECT COUNT(*) FROM run_leases")[0][0], 0)
        self.assertEqual(runs_list(db)["crashes"]["status"], "failed")

    def test_explicit_finish_and_no_logging_after(self):
        db = self.path("runs.sqlite")
        run = vaescope.run(db, name="diverges")
        run.log(3, loss=float("inf"))
        run.finish("diverged")
        run.finish("completed")   # a second finish does nothing
        self.assertEqual(query(db, "SELECT status FROM runs")[0][0], "diverged")
        with self.assertRaises(vaescope.RunError):
            run.log(4, loss=1.0)
        with self.assertRaises(ValueError):
            vaescope.run(db, name="other").finish("running")

    def test_names_checked(self):
        db = self.path("runs.sqlite")
        vaescope.run(db, name="taken").finish()
        with self.assertRaises(vaescope.RunError) as caught:
            vaescope.run(db, name="taken")
        self.assertIn("exists already", str(caught.exception))
        for bad in ("", " lead", "a/b", "tab\there"):
            with self.assertRaises(vaescope.RunError):
                vaescope.run(db, name=bad)
        self.assertEqual(query(db, "SELECT COUNT(*) FROM runs")[0][0], 1)

    def test_scalar_types(self):
        db = self.path("runs.sqlite")
        with vaescope.run(db, name="types") as run:
            run.log(1, a=1, b=FakeScalarTensor(2.5), c=None, d=True)
            if np is not None:
                run.log(np.int64(2), epoch=np.int32(1), e=np.float32(0.5), f=np.float64(0.25))
            with self.assertRaises(vaescope.RunError):
                run.log(3, g="not a number")
        values = dict(query(db, "SELECT key, value FROM scalars"))
        self.assertEqual((values["a"], values["b"], values["c"], values["d"]), (1.0, 2.5, None, 1.0))
        if np is not None:
            self.assertEqual((values["e"], values["f"]), (0.5, 0.25))

    @unittest.skipIf(np is None, "NumPy not installed")
    def test_tensor_like_objects_accepted_without_torch(self):
        db = self.path("runs.sqlite")
        mu = FakeTensor(np.arange(6, dtype=np.float64).reshape(3, 2))
        z = FakeTensor(np.ones((3, 2), dtype=np.float32))   # (N, d): one sample
        with vaescope.run(db, name="tensors") as run:
            run.log_latents(mu, FakeTensor(np.zeros((3, 2))), z=z, sentences=[["a", "b"], ["c"], ["d", "e", "f"]])
        self.assertEqual(mu.calls, ["detach", "cpu", "numpy"])
        rows = query(db, "SELECT samples, feature_dim, mu, h FROM latents ORDER BY sentence_index")
        self.assertEqual(rows[2], (1, 0, np.array([4.0, 5.0], "<f4").tobytes(), None))
        self.assertEqual(query(db, "SELECT text, token_count FROM sentences ORDER BY sentence_index")[2], ("d e f", 3))
        # The client never imports torch itself (another test may have: tensorboardX does when torch is there).
        probe = subprocess.run([sys.executable, "-c", "import sys, vaescope, vaescope.arrays, vaescope.writer; "
                                "print('torch' in sys.modules)"], capture_output=True, text=True, check=True)
        self.assertEqual(probe.stdout.strip(), "False")

    @unittest.skipIf(np is None, "NumPy not installed")
    def test_latent_shapes_checked(self):
        db = self.path("runs.sqlite")
        with vaescope.run(db, name="shapes") as run:
            with self.assertRaises(vaescope.RunError):
                run.log_latents(np.zeros((3, 2)), np.zeros((3, 3)))
            with self.assertRaises(vaescope.RunError):
                run.log_latents(np.zeros((3, 2)), z=np.zeros((2, 4, 2)))
            with self.assertRaises(vaescope.RunError):
                run.log_latents(np.zeros((3, 2)), sentences=["one"])
            with self.assertRaises(vaescope.RunError):
                run.log_texts("prior-sample", ["x"], scheme="nucleus")   # p missing
        self.assertEqual(query(db, "SELECT COUNT(*) FROM latents")[0][0], 0)

    def test_signal_handlers_restored_and_chained(self):
        # The previous SIGTERM handler is called after the run is marked interrupted, and is back afterwards.
        db = self.path("runs.sqlite")
        seen = []
        previous = signal.signal(signal.SIGTERM, lambda signum, frame: seen.append(signum))
        self.addCleanup(signal.signal, signal.SIGTERM, previous)
        mine = signal.getsignal(signal.SIGTERM)
        run = vaescope.run(db, name="chained")
        self.assertIsNot(signal.getsignal(signal.SIGTERM), mine)
        run.log(1, kl=1.0)
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(0.1)   # the handler runs between bytecodes of this thread
        self.assertEqual(seen, [signal.SIGTERM])
        self.assertIs(signal.getsignal(signal.SIGTERM), mine)
        self.assertEqual(query(db, "SELECT status FROM runs")[0][0], "interrupted")
        self.assertEqual(query(db, "SELECT COUNT(*) FROM scalars")[0][0], 1)
