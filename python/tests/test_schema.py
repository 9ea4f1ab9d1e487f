"""The store the client makes or migrates is the store the Swift tool makes or migrates; newer ones are refused."""
import os
import re
import shutil
import sqlite3
import subprocess
import sys

import vaescope
from vaescope import schema

from helpers import REPO, ScratchTestCase, python_child, query, runs_list, schema_of, vaescope_cli


def swift_store(test, name="swift.sqlite"):
    """A new store made by the vaescope binary (`vaescope import` of a run with a config only)."""
    source = test.path("import-src")
    os.makedirs(source, exist_ok=True)
    with open(os.path.join(source, "config.json"), "w") as f:
        f.write('{"pooling": "max"}')
    db = test.path(name)
    vaescope_cli("import", "--db", db, "--name", "swift-made", source)
    return db


def v1_store(path, with_grdb_table):
    """A store at schema version 1: as an older VAEScope made it (grdb_migrations = v1), or as
    scripts/write_run_example.py makes it (no grdb_migrations)."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("BEGIN")
    if with_grdb_table:
        conn.execute(schema.GRDB_MIGRATIONS_DDL)
        conn.execute("INSERT INTO grdb_migrations VALUES ('v1')")
    for statement in schema.statements(schema.V1):
        conn.execute(statement)
    conn.execute("PRAGMA user_version = 1")
    conn.execute("INSERT INTO runs (uuid, name, status, created_at) VALUES "
                 "('00000000-0000-4000-8000-000000000001', 'old-run', 'completed', '2024-01-01 00:00:00.000')")
    conn.execute("COMMIT")
    conn.close()


class SchemaTests(ScratchTestCase):
    def test_new_store_equals_the_swift_tools(self):
        # Fails if the DDL, the migration bookkeeping or the version differ from what the binary writes.
        ours = self.path("python.sqlite")
        vaescope.run(ours, name="python-made").finish()
        theirs = swift_store(self)
        self.assertEqual(schema_of(ours), schema_of(theirs))
        self.assertEqual(schema_of(ours)["user_version"], schema.VERSION)
        self.assertEqual(schema_of(ours)["grdb_migrations"], ["v1", "v2"])
        self.assertEqual(query(ours, "PRAGMA journal_mode")[0][0], "wal")

    def test_ddl_is_docs_schema_md_verbatim(self):
        # Fails if python/vaescope/schema.py and docs/schema.md (the copy of Schema.swift) drift apart.
        doc_path = os.path.join(REPO, "docs", "schema.md")
        if not os.path.exists(doc_path):
            self.skipTest("docs/schema.md not found (tests run outside the repository)")
        with open(doc_path, encoding="utf-8") as f:
            doc = f.read()
        for version, ddl in ((1, schema.V1), (2, schema.V2)):
            section = doc.split("## DDL of version %d" % version)[1]
            block = re.search(r"```sql\n(.*?)```", section, re.S).group(1)
            block = re.sub(r"PRAGMA user_version = \d+;\n", "", block)
            self.assertEqual(schema.statements(ddl), schema.statements(block), "version %d" % version)

    def test_v1_store_of_the_example_script_is_migrated_as_swift_does(self):
        # scripts/write_run_example.py writes version 1 without grdb_migrations (adopted, then migrated to v2).
        example = os.path.join(REPO, "scripts", "write_run_example.py")
        if os.path.exists(example):
            old = self.path("v1.sqlite")
            subprocess.run([sys.executable, example, old, "from-example"], check=True, capture_output=True)
        else:
            old = self.path("v1.sqlite")
            v1_store(old, with_grdb_table=False)
        self.assertEqual(schema_of_pre(old), (1, None))
        self._check_migration(old)

    def test_v1_store_of_an_older_vaescope_is_migrated_as_swift_does(self):
        old = self.path("v1-grdb.sqlite")
        v1_store(old, with_grdb_table=True)
        self.assertEqual(schema_of_pre(old), (1, ["v1"]))
        self._check_migration(old)

    def _check_migration(self, old):
        by_python, by_swift = self.path("by-python.sqlite"), self.path("by-swift.sqlite")
        shutil.copy(old, by_python)
        shutil.copy(old, by_swift)
        runs_before = query(old, "SELECT uuid, name, status FROM runs ORDER BY id")
        with vaescope.run(by_python, name="after-migration") as run:
            run.log(1, kl=1.0)
        # A writing command of the binary migrates an older store (reading commands read it as it is): rename a
        # run there and back.
        name = runs_before[0][1]
        vaescope_cli("runs", "rename", name, name + "-renamed", "--db", by_swift)
        vaescope_cli("runs", "rename", name + "-renamed", name, "--db", by_swift)
        self.assertEqual(schema_of(by_python), schema_of(by_swift))
        self.assertEqual(schema_of(by_python)["grdb_migrations"], ["v1", "v2"])
        self.assertEqual(query(by_python, "SELECT uuid, name, status FROM runs WHERE name != 'after-migration' "
                                          "ORDER BY id"), runs_before)
        self.assertIn("after-migration", runs_list(by_python))

    def _newer_store(self, user_version, identifier):
        db = self.path("newer.sqlite")
        vaescope.run(db, name="existing").finish()
        conn = sqlite3.connect(db, isolation_level=None)
        conn.execute("BEGIN")
        conn.execute("CREATE TABLE from_the_future (x)")
        conn.execute("INSERT INTO grdb_migrations VALUES (?)", (identifier,))
        conn.execute("PRAGMA user_version = %d" % user_version)
        conn.execute("COMMIT")
        conn.close()   # the last connection checkpoints: the .sqlite file alone is the store
        return db

    def _assert_refused_unchanged(self, db):
        before = read_bytes(db)
        with self.assertRaises(vaescope.NewerSchemaError) as caught:
            vaescope.run(db, name="must-not-be-written", config={"a": 1})
        message = str(caught.exception)
        self.assertEqual(len(message.splitlines()), 1, message)
        self.assertIn("newer", message)
        self.assertIn(db, message)
        self.assertEqual(read_bytes(db), before, "the refused store was modified")
        self.assertEqual(query(db, "SELECT name FROM runs"), [("existing",)])

    def test_newer_version_is_refused_and_unchanged(self):
        db = self._newer_store(3, "v3")
        self._assert_refused_unchanged(db)
        status, _, err = vaescope_cli("runs", "list", "--db", db, check=False)   # the binary agrees
        self.assertNotEqual(status, 0)
        self.assertIn("newer", err)

    def test_unknown_migration_is_refused_and_unchanged(self):
        self._assert_refused_unchanged(self._newer_store(2, "v2-fork"))

    def test_not_a_store_is_refused_and_unchanged(self):
        db = self.path("notes.sqlite")
        with open(db, "w") as f:
            f.write("not a database\n")
        with self.assertRaises(vaescope.StoreError) as caught:
            vaescope.run(db, name="x")
        self.assertIn("not an SQLite database", str(caught.exception))
        self.assertEqual(read_bytes(db), b"not a database\n")

    def test_two_writers_creating_one_new_store_at_once(self):
        # Both must succeed: the second finds the schema the first made (no "table runs already exists").
        db = self.path("race.sqlite")
        script = "import sys, vaescope\nvaescope.run(sys.argv[1], name=sys.argv[2]).finish()"
        children = [python_child(script, db, "racer-%d" % i) for i in range(3)]
        for child in children:
            out, err = child.communicate(timeout=60)
            self.assertEqual(child.returncode, 0, err)
        self.assertEqual(sorted(r[0] for r in query(db, "SELECT name FROM runs")), ["racer-0", "racer-1", "racer-2"])
        self.assertEqual(schema_of(db)["grdb_migrations"], ["v1", "v2"])


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def schema_of_pre(db):
    """(user_version, grdb_migrations identifiers or None) before migration."""
    conn = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    try:
        return schema._schema_state(conn)
    finally:
        conn.close()
