"""examples/torch_vae.py: valid Python; runs and reaches a site where PyTorch is installed, says SKIP where not."""
import importlib.util
import os
import py_compile
import subprocess
import sys
import unittest

from helpers import REPO, ScratchTestCase, child_env, runs_list, vaescope_cli

EXAMPLE = os.path.join(REPO, "examples", "torch_vae.py")


@unittest.skipUnless(os.path.exists(EXAMPLE), "examples/torch_vae.py not found (tests run outside the repository)")
class TorchExampleTests(ScratchTestCase):
    def test_compiles(self):
        py_compile.compile(EXAMPLE, cfile=self.path("torch_vae.pyc"), doraise=True)

    def test_runs_or_says_skip(self):
        db = self.path("runs.sqlite")
        done = subprocess.run([sys.executable, EXAMPLE, "--db", db, "--name", "torch-tiny", "--steps", "40",
                               "--eval-every", "20", "--hidden", "32", "--embedding", "16", "--latent", "4"],
                              env=child_env(), capture_output=True, text=True, timeout=600)
        self.assertEqual(done.returncode, 0, done.stderr)
        if importlib.util.find_spec("torch") is None:
            self.assertIn("SKIP", done.stderr)
            self.assertFalse(os.path.exists(db))
            self.skipTest("PyTorch not installed: the example said SKIP (pip install torch to run it)")
        run = runs_list(db)["torch-tiny"]
        self.assertEqual((run["status"], run["steps"]), ("completed", 40))
        site = self.path("site")
        vaescope_cli("report", "--db", db, "--out", site)
        with open(os.path.join(site, "index.html"), encoding="utf-8") as f:
            self.assertIn("torch-tiny", f.read())
