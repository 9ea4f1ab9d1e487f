"""Writers that end abnormally: SIGKILL mid-flush, SIGTERM, SIGINT, with and without the `with` block."""
import os
import signal
import time

from helpers import ScratchTestCase, python_child, query, runs_list, vaescope_cli

# Logs scalars in flushes of 5000 rows (multi-row INSERTs of 500 rows: 10 statements per flush). In the third
# flush, after 5 of its statements, it says "mid-flush" and sleeps inside the open transaction, to be killed.
KILLED_WRITER = r"""
import sys, time, vaescope
run = vaescope.run(sys.argv[1], name="killed", config={"pooling": "mean"}, flush_rows=5000, flush_interval=3600)
statements = 0
def trace(sql):
    global statements
    if sql.startswith("INSERT INTO scalars"):
        statements += 1
        if statements == 26:
            print("mid-flush", run.rows_written, flush=True)
            time.sleep(120)
run._conn.set_trace_callback(trace)
print("pid-lease", flush=True)
step = 0
while True:
    step += 1
    run.log(step, kl=1.0 / step, reconstruction=float(step))
"""

# Opens a run (in a `with` block or not), logs 1000 scalars, says "ready" and waits for a signal.
WAITING_WRITER = r"""
import signal, sys, time, vaescope
signal.signal(signal.SIGINT, signal.default_int_handler)   # as in an interactive shell, even if started in background
def body(run):
    for step in range(1, 1001):
        run.log(step, kl=1.0)
    print("ready", flush=True)
    time.sleep(60)
if sys.argv[2] == "with":
    with vaescope.run(sys.argv[1], name="waiting") as run:
        body(run)
else:
    body(vaescope.run(sys.argv[1], name="waiting"))
"""


class SignalTests(ScratchTestCase):
    def _wait_for(self, child, word):
        line = child.stdout.readline()
        if not line.startswith(word):
            child.kill()
            _, err = child.communicate()
            self.fail("child said %r, not %r; stderr:\n%s" % (line, word, err))
        return line

    def test_sigkill_mid_flush_leaves_an_intact_store_and_a_stale_run(self):
        db = self.path("runs.sqlite")
        child = python_child(KILLED_WRITER, db)
        self._wait_for(child, "pid-lease")
        line = self._wait_for(child, "mid-flush")
        committed = int(line.split()[1])
        self.assertEqual(committed, 10000)   # two flushes of 5000 rows, the third one is open
        os.kill(child.pid, signal.SIGKILL)
        child.communicate(timeout=30)
        self.assertEqual(child.returncode, -signal.SIGKILL)
        self.assertEqual(query(db, "PRAGMA integrity_check"), [("ok",)])
        self.assertEqual(query(db, "SELECT COUNT(*), MIN(step), MAX(step) FROM scalars"), [(10000, 1, 5000)])
        self.assertEqual(query(db, "SELECT status, finished_at FROM runs"), [("running", None)])
        self.assertEqual(query(db, "SELECT pid FROM run_leases"), [(child.pid,)])
        listed = runs_list(db)["killed"]
        self.assertEqual((listed["status"], listed["stale"]), ("running", True))
        _, table, _ = vaescope_cli("runs", "list", "--db", db)
        self.assertRegex(table, r"killed\s+running \(stale\)")

    def _signalled(self, mode, signum):
        db = self.path("runs.sqlite")
        child = python_child(WAITING_WRITER, db, mode)
        self._wait_for(child, "ready")
        os.kill(child.pid, signum)
        _, err = child.communicate(timeout=60)
        self.assertEqual(query(db, "SELECT status, finished_at IS NOT NULL FROM runs"), [("interrupted", 1)], err)
        self.assertEqual(query(db, "SELECT COUNT(*) FROM scalars"), [(1000,)])
        self.assertEqual(query(db, "SELECT COUNT(*) FROM run_leases"), [(0,)])
        self.assertEqual(runs_list(db)["waiting"]["status"], "interrupted")
        return child.returncode, err

    def test_sigterm_marks_interrupted_and_exits_143(self):
        status, err = self._signalled("with", signal.SIGTERM)
        self.assertEqual(status, 143, err)

    def test_sigterm_without_with_block(self):
        status, err = self._signalled("plain", signal.SIGTERM)
        self.assertEqual(status, 143, err)

    def test_sigint_marks_interrupted_and_raises_keyboard_interrupt(self):
        status, err = self._signalled("with", signal.SIGINT)
        self.assertIn("KeyboardInterrupt", err)
        self.assertEqual(status, -signal.SIGINT, err)   # Python re-raises SIGINT after an uncaught KeyboardInterrupt

    def test_uncaught_exception_without_with_block_marks_failed(self):
        db = self.path("runs.sqlite")
        child = python_child("import sys, vaescope\nrun = vaescope.run(sys.argv[1], name='plain')\n"
                             "run.log(1, kl=2.0)\nraise RuntimeError('boom')", db)
        _, err = child.communicate(timeout=60)
        self.assertEqual(child.returncode, 1)
        self.assertIn("boom", err)
        self.assertEqual(query(db, "SELECT status FROM runs"), [("failed",)])
        self.assertEqual(query(db, "SELECT COUNT(*) FROM scalars"), [(1,)])

    def test_script_end_without_finish_marks_completed(self):
        db = self.path("runs.sqlite")
        child = python_child("import sys, vaescope\nrun = vaescope.run(sys.argv[1], name='plain')\n"
                             "run.log(1, kl=2.0)", db)
        _, err = child.communicate(timeout=60)
        self.assertEqual(child.returncode, 0, err)
        self.assertEqual(query(db, "SELECT status FROM runs"), [("completed",)])
        self.assertEqual(query(db, "SELECT COUNT(*) FROM scalars"), [(1,)])
