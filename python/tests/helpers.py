"""Shared by the tests: the vaescope binary, scratch directories, child Python processes."""
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import unittest

import vaescope

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# The directory that holds the vaescope package under test (installed, or python/ of the work tree).
PACKAGE_PARENT = os.path.dirname(os.path.dirname(os.path.abspath(vaescope.__file__)))


def binary():
    """The vaescope binary: $VAESCOPE_BIN, else `vaescope` on PATH. Tests that need it fail without it."""
    path = os.environ.get("VAESCOPE_BIN") or shutil.which("vaescope")
    if not path or not os.access(path, os.X_OK):
        raise AssertionError("set VAESCOPE_BIN to the vaescope binary (e.g. .build/release/vaescope); got %r"
                             % os.environ.get("VAESCOPE_BIN"))
    return path


def vaescope_cli(*args, check=True):
    """Runs the binary; returns (exit status, stdout, stderr)."""
    done = subprocess.run([binary(), *args], capture_output=True, text=True, timeout=300)
    if check and done.returncode != 0:
        raise AssertionError("vaescope %s: exit %d\n%s%s" % (" ".join(args), done.returncode, done.stdout,
                                                                done.stderr))
    return done.returncode, done.stdout, done.stderr


def runs_list(db):
    """`vaescope runs list --format json` as a dict by run name."""
    _, out, _ = vaescope_cli("runs", "list", "--db", db, "--format", "json")
    return {r["name"]: r for r in json.loads(out)}


def child_env():
    """Environment for a child Python that imports the same vaescope package as this process."""
    env = dict(os.environ)
    env["PYTHONPATH"] = PACKAGE_PARENT + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


def python_child(script, *args, **popen):
    """Starts `python -c script args...` with line-buffered output."""
    return subprocess.Popen([sys.executable, "-u", "-c", script, *args], env=child_env(), text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **popen)


def query(db, sql, args=()):
    conn = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


def schema_of(db):
    """What must be the same in two stores: sqlite_master entries, user_version, grdb_migrations rows."""
    return {
        "master": sorted(query(db, "SELECT type, name, tbl_name, sql FROM sqlite_master"), key=repr),
        "user_version": query(db, "PRAGMA user_version")[0][0],
        "grdb_migrations": [r[0] for r in query(db, "SELECT identifier FROM grdb_migrations ORDER BY rowid")],
    }


class ScratchTestCase(unittest.TestCase):
    """A test with its own scratch directory, removed afterwards."""

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="vaescope-pytest-")
        self.addCleanup(shutil.rmtree, self.dir, True)

    def path(self, name):
        return os.path.join(self.dir, name)
