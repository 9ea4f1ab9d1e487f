"""TensorBoard import: event files written by tensorboardX (scalar summaries) and by tensorboard's own writer
(TF2-style tensor summaries), read with TensorBoard's EventAccumulator."""
import json
import os
import subprocess
import sys
import unittest

import vaescope
from vaescope import tensorboard as tb_import

from helpers import ScratchTestCase, child_env, query, runs_list

try:
    import tensorboard.summary as tb_summary
    from tensorboardX import SummaryWriter
    MISSING = None
except ImportError as e:   # tensorboard / tensorboardX are optional: the test script installs them
    MISSING = "SKIP TensorBoard import tests: %s (pip install tensorboard tensorboardX)" % e


@unittest.skipIf(MISSING, MISSING)
class TensorBoardImportTests(ScratchTestCase):
    def setUp(self):
        super().setUp()
        self.logdir = self.path("tb")
        train = SummaryWriter(os.path.join(self.logdir, "train"))   # the layout Keras and many scripts use
        for step in range(1, 11):
            train.add_scalar("loss/kld", 10.0 - step / 2, step)
            train.add_scalar("loss/recon", 80.0 - step, step)
            train.add_scalar("Beta", min(1.0, step / 5), step)
            train.add_scalar("timing/seconds", 0.5, step)
        train.close()
        valid = SummaryWriter(os.path.join(self.logdir, "validation"))
        for step in (5, 10):
            valid.add_scalar("loss/kld", 6.0 if step == 5 else 5.5, step)
            valid.add_scalar("loss/recon", 72.0, step)
        valid.close()
        tf2 = tb_summary.Writer(os.path.join(self.logdir, "tf2"))   # scalars as 0-d tensors (plugin "scalars")
        tf2.add_scalar("test/elbo", -90.5, step=10)
        tf2.flush()
        tf2.close()
        self.db = self.path("runs.sqlite")

    def scalars(self, name="tb-run"):
        return query(self.db, "SELECT s.split, s.key, COUNT(*), MAX(s.step) FROM scalars s JOIN runs r "
                              "ON r.id = s.run_id WHERE r.name = ? GROUP BY s.split, s.key ORDER BY 1, 2", (name,))

    def test_default_mapping(self):
        count, _ = tb_import.import_logdir(self.logdir, self.db, "tb-run")
        self.assertEqual(count, 10 * 4 + 2 * 2 + 1)
        self.assertEqual(self.scalars(), [
            ("test", "elbo", 1, 10),
            ("train", "beta", 10, 10), ("train", "kl", 10, 10), ("train", "reconstruction", 10, 10),
            ("train", "timing/seconds", 10, 10),
            ("valid", "kl", 2, 10), ("valid", "reconstruction", 2, 10)])
        self.assertEqual(query(self.db, "SELECT value FROM scalars WHERE key = 'elbo'"), [(-90.5,)])
        listed = runs_list(self.db)["tb-run"]
        self.assertEqual((listed["status"], listed["lastKL"], listed["steps"]), ("completed", 5.5, 10))
        config = json.loads(query(self.db, "SELECT config FROM runs")[0][0])
        self.assertEqual(config["importedFrom"]["tags"]["train:loss/kld"], "train/kl")

    def test_mapping_file_through_the_command_line(self):
        mapping = self.path("mapping.json")
        with open(mapping, "w") as f:
            json.dump({"tags": {"Beta": {"key": "beta", "split": "train"}, "tf2:*": None},
                       "skip": ["timing/*"], "keys": {"kld": "kl_term"}}, f)
        done = subprocess.run([sys.executable, "-m", "vaescope.tensorboard", self.logdir, "--db", self.db,
                               "--name", "tb-run", "--mapping", mapping], env=child_env(), capture_output=True,
                              text=True, timeout=120)
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertIn("imported run 'tb-run'", done.stdout)
        keys = [(split, key) for split, key, _, _ in self.scalars()]
        self.assertIn(("train", "kl_term"), keys)
        self.assertNotIn(("train", "timing/seconds"), keys)
        self.assertIn(("test", "elbo"), keys)   # "tf2:*" is not a tag pattern (tags have no directory)

    def test_unmapped_skip_and_conflicts(self):
        tb_import.import_logdir(self.logdir, self.db, "only-mapped",
                                mapping={"tags": {"loss/kld": "kl"}, "unmapped": "skip"})
        self.assertEqual([(s, k) for s, k, _, _ in self.scalars("only-mapped")], [("train", "kl"), ("valid", "kl")])
        with self.assertRaises(vaescope.RunError) as caught:   # two tags onto train/kl
            tb_import.import_logdir(self.logdir, self.db, "clash", mapping={"tags": {"Beta": "kl"}})
        self.assertIn("both map to train/kl", str(caught.exception))
        self.assertEqual(query(self.db, "SELECT COUNT(*) FROM runs WHERE name = 'clash'"), [(0,)])

    def test_errors(self):
        with self.assertRaises(vaescope.RunError):
            tb_import.import_logdir(self.path("nowhere"), self.db, "x")
        os.makedirs(self.path("empty"))
        with self.assertRaises(vaescope.RunError):
            tb_import.import_logdir(self.path("empty"), self.db, "x")
        with self.assertRaises(vaescope.RunError):
            tb_import.load_mapping({"tagz": {}})
        self.assertFalse(os.path.exists(self.db))   # nothing is written before everything is read


class MappingTests(unittest.TestCase):
    """The tag -> (split, key) rules alone (no TensorBoard needed)."""

    def test_rules(self):
        m = tb_import.load_mapping({"tags": {"custom/*": {"key": "x", "split": "test"}, "drop": None}})
        self.assertEqual(tb_import.map_tag("train/loss", None, m), ("train", "loss"))
        self.assertEqual(tb_import.map_tag("Loss/Val/KL", None, m), ("valid", "kl"))
        self.assertEqual(tb_import.map_tag("kl_divergence", "valid", m), ("valid", "kl"))
        self.assertEqual(tb_import.map_tag("epoch_loss", None, m), ("train", "epoch_loss"))
        self.assertEqual(tb_import.map_tag("custom/a", None, m), ("test", "x"))
        self.assertIsNone(tb_import.map_tag("drop", None, m))
        self.assertEqual(tb_import.map_tag("train", None, m), ("train", "train"))   # a lone split word is a key
