"""The run store's schema: the DDL of each migration, and opening a store as VAEScope's Swift side does.

This file is the Python package's ONE copy of the DDL. It is Sources/RunStore/Schema.swift verbatim (and
docs/schema.md); python/tests/test_schema.py compares a store made here with one made by the `vaescope`
binary (sqlite_master, `PRAGMA user_version`, `grdb_migrations`) and these strings with docs/schema.md.

Versioning, as the Swift side (GRDB's DatabaseMigrator) does it:
- version N means migrations v1 ... vN have run; N is also `PRAGMA user_version`;
- each applied migration has a row in `grdb_migrations` (identifier 'v1', 'v2', ...);
- a store with user_version N > 0 and no `grdb_migrations` (written by another language) is adopted as having
  run v1 ... vN; a new file gets `grdb_migrations` first, then every migration;
- a store with a higher user_version, or a `grdb_migrations` identifier not listed here, is refused, and is
  not modified (it is inspected read-only before any write).
"""
import os
import sqlite3
import time
from urllib.parse import quote

from .errors import NewerSchemaError, StoreError

V1 = """\
CREATE TABLE runs (
  id           INTEGER PRIMARY KEY,
  uuid         TEXT NOT NULL UNIQUE,
  name         TEXT NOT NULL UNIQUE,
  status       TEXT NOT NULL CHECK (status IN ('running','completed','failed','diverged','interrupted')),
  created_at   TEXT NOT NULL,
  finished_at  TEXT,
  config       TEXT NOT NULL DEFAULT '{}',
  corpus_name  TEXT NOT NULL DEFAULT '',
  corpus_hash  TEXT NOT NULL DEFAULT '',
  seed         INTEGER NOT NULL DEFAULT 0,
  tool_version TEXT NOT NULL DEFAULT ''
);
CREATE TABLE scalars (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  step   INTEGER NOT NULL,
  epoch  INTEGER,
  split  TEXT NOT NULL,
  key    TEXT NOT NULL,
  value  REAL
);
CREATE INDEX scalars_by_run_key ON scalars(run_id, key, step);
CREATE TABLE sentences (
  run_id         INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  split          TEXT NOT NULL,
  sentence_index INTEGER NOT NULL,
  text           TEXT NOT NULL,
  token_count    INTEGER NOT NULL,
  PRIMARY KEY (run_id, split, sentence_index)
);
CREATE TABLE latents (
  run_id         INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  split          TEXT NOT NULL,
  sentence_index INTEGER NOT NULL,
  latent_dim     INTEGER NOT NULL,
  samples        INTEGER NOT NULL,
  feature_dim    INTEGER NOT NULL,
  mu             BLOB,
  logvar         BLOB,
  z              BLOB,
  h              BLOB,
  PRIMARY KEY (run_id, split, sentence_index)
);
CREATE TABLE decoded_texts (
  id           INTEGER PRIMARY KEY,
  run_id       INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  split        TEXT NOT NULL,
  kind         TEXT NOT NULL CHECK (kind IN
                 ('reconstruction-mean','reconstruction-sample','prior-sample','interpolation')),
  scheme       TEXT NOT NULL,
  parameter    REAL,
  z_index      INTEGER NOT NULL,
  pair_index   INTEGER,
  point_index  INTEGER,
  source_index INTEGER,
  text         TEXT NOT NULL
);
CREATE INDEX decoded_texts_by_run ON decoded_texts(run_id, split, kind);
CREATE TABLE checkpoints (
  run_id          INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  tag             TEXT NOT NULL,
  step            INTEGER NOT NULL,
  epoch           INTEGER NOT NULL,
  created_at      TEXT NOT NULL,
  weights         BLOB NOT NULL,
  optimizer_state BLOB NOT NULL,
  rng_state       BLOB NOT NULL,
  extra           TEXT NOT NULL DEFAULT '{}',
  PRIMARY KEY (run_id, tag)
);
CREATE TABLE metrics (
  run_id      INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  metric      TEXT NOT NULL,
  variant     TEXT NOT NULL DEFAULT '',
  split       TEXT NOT NULL,
  bucket      TEXT NOT NULL DEFAULT 'all',
  value       REAL,
  inputs_hash TEXT NOT NULL,
  PRIMARY KEY (run_id, metric, variant, split, bucket)
);
CREATE TABLE results (
  run_id     INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  split      TEXT NOT NULL,
  name       TEXT NOT NULL,
  variant    TEXT NOT NULL DEFAULT '',
  parameters TEXT NOT NULL DEFAULT '{}',
  value      REAL,
  PRIMARY KEY (run_id, split, name, variant, parameters)
);
"""

V2 = """\
CREATE TABLE run_leases (
  run_id       INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
  host         TEXT NOT NULL,
  pid          INTEGER NOT NULL,
  acquired_at  TEXT NOT NULL,
  heartbeat_at TEXT NOT NULL
);
"""

# (identifier, DDL) in order; version = len(MIGRATIONS). Append only, never edit.
MIGRATIONS = (("v1", V1), ("v2", V2))
MIGRATION_IDS = tuple(identifier for identifier, _ in MIGRATIONS)
VERSION = len(MIGRATIONS)

# The table GRDB's DatabaseMigrator keeps (as sqlite_master shows it in a store made by the Swift tool).
GRDB_MIGRATIONS_DDL = "CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)"

SQLITE_MAGIC = b"SQLite format 3\x00"


def statements(script):
    """Splits a DDL script into single statements (sqlite3's executescript would COMMIT first)."""
    out, current = [], ""
    for line in script.splitlines(keepends=True):
        current += line
        if sqlite3.complete_statement(current):
            out.append(current.strip().rstrip(";").strip())
            current = ""
    if current.strip():
        raise ValueError("incomplete SQL statement: %r" % current.strip()[:60])
    return out


def _schema_state(conn):
    """(user_version, applied migration identifiers or None when there is no grdb_migrations table)."""
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    has_table = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'grdb_migrations'").fetchone()
    if not has_table:
        return version, None
    return version, [row[0] for row in conn.execute("SELECT identifier FROM grdb_migrations")]


def check_supported(path, version, applied):
    """Raises NewerSchemaError for a store this client must not write (newer version or unknown migration)."""
    unknown = [m for m in (applied or []) if m not in MIGRATION_IDS]
    if version > VERSION or unknown:
        found = max(version, len(applied or []))
        detail = " (unknown migration %s)" % ", ".join(repr(m) for m in unknown) if unknown else ""
        raise NewerSchemaError(
            "%s: run store schema version %d is newer than this vaescope client's (%d)%s; "
            "upgrade the client (pip install -U ./python from a newer VAEScope)" % (path, found, VERSION, detail))


def inspect_read_only(path, timeout=5.0):
    """(user_version, applied identifiers or None) of an existing store, opened read-only."""
    uri = "file:%s?mode=ro" % quote(os.path.abspath(path))
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=timeout)
    except sqlite3.Error as e:
        raise StoreError("%s: cannot open: %s" % (path, e)) from None
    try:
        return _schema_state(conn)
    except sqlite3.DatabaseError as e:
        raise StoreError("%s: cannot read the schema version: %s" % (path, e)) from None
    finally:
        conn.close()


def check_file(path):
    """Fails fast unless `path` is missing, empty, or an SQLite file. True if it holds data."""
    if os.path.isdir(path):
        raise StoreError("%s: is a directory, not a run store" % path)
    if not os.path.exists(path):
        parent = os.path.dirname(path)
        if parent and not os.path.isdir(parent):
            raise StoreError("%s: directory %s does not exist" % (path, parent))
        return False
    with open(path, "rb") as f:
        head = f.read(16)
    if not head:
        return False
    if head != SQLITE_MAGIC:
        raise StoreError("%s: not an SQLite database (not a run store)" % path)
    return True


def connect(path, timeout=5.0, check_same_thread=True):
    """A connection in autocommit mode (transactions are explicit) with the store's per-connection settings."""
    conn = sqlite3.connect(path, timeout=timeout, isolation_level=None, check_same_thread=check_same_thread)
    conn.execute("PRAGMA foreign_keys = ON")
    # GRDB's DatabasePool uses the same: durable against a killed process, fsync only at checkpoints.
    conn.execute("PRAGMA synchronous = NORMAL")
    return conn


def _retry_busy(action, timeout):
    """Runs `action` until it does not fail with "database is locked/busy" or `timeout` has passed."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return action()
        except sqlite3.OperationalError as e:
            text = str(e)
            if ("locked" not in text and "busy" not in text) or time.monotonic() >= deadline:
                raise
            time.sleep(0.05)


def migrate(conn, path):
    """Brings the store of `conn` to VERSION in one transaction (nothing to do when it is there already)."""
    version, applied = _schema_state(conn)
    check_supported(path, version, applied)
    if applied is not None and list(applied) == list(MIGRATION_IDS) and version == VERSION:
        return
    conn.execute("BEGIN IMMEDIATE")
    try:
        version, applied = _schema_state(conn)  # again, under the write lock: another writer may have migrated
        check_supported(path, version, applied)
        if applied is None:
            conn.execute(GRDB_MIGRATIONS_DDL)
            applied = list(MIGRATION_IDS[:version])  # adopt a store written by another language at version N
            conn.executemany("INSERT INTO grdb_migrations (identifier) VALUES (?)", [(m,) for m in applied])
        for number, (identifier, ddl) in enumerate(MIGRATIONS, start=1):
            if identifier in applied:
                continue
            for statement in statements(ddl):
                conn.execute(statement)
            conn.execute("PRAGMA user_version = %d" % number)
            conn.execute("INSERT INTO grdb_migrations (identifier) VALUES (?)", (identifier,))
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def open_store(path, timeout=5.0, check_same_thread=True):
    """Opens (creating or migrating if needed) the run store at `path` for writing.

    An existing store is first inspected read-only: one that is newer than this client is refused with
    NewerSchemaError before anything is written to it.
    """
    path = os.fspath(path)
    if check_file(path):
        check_supported(path, *inspect_read_only(path, timeout))
    try:
        conn = connect(path, timeout, check_same_thread)
    except sqlite3.Error as e:
        raise StoreError("%s: cannot open: %s" % (path, e)) from None
    try:
        # Switching to WAL reports "locked" without waiting when another process is creating the store.
        mode = _retry_busy(lambda: conn.execute("PRAGMA journal_mode = WAL").fetchone()[0], timeout)
        if mode.lower() != "wal":
            raise StoreError("%s: cannot switch to WAL journal mode (got %s)" % (path, mode))
        _retry_busy(lambda: migrate(conn, path), timeout)
    except sqlite3.DatabaseError as e:
        conn.close()
        raise StoreError("%s: %s" % (path, e)) from None
    except BaseException:
        conn.close()
        raise
    return conn
