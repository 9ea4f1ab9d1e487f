import GRDB

/// The versioned schema. Version N means migrations v1 … vN have run; it is also written to
/// `PRAGMA user_version` so that other languages can read it. Stores are never migrated down: a store whose
/// version (or whose GRDB migration list) is newer than this VAEScope's is refused.
///
/// Rule for changes: never edit a registered migration; add `vN+1` that alters the tables, and document it in
/// docs/schema.md.
enum Schema {
    /// Identifiers of the migrations, in order. `version` is their count.
    static let migrationIDs = ["v1", "v2"]
    static var version: Int { migrationIDs.count }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: v1)
            try db.execute(sql: "PRAGMA user_version = 1")
        }
        migrator.registerMigration("v2") { db in
            try db.execute(sql: v2)
            try db.execute(sql: "PRAGMA user_version = 2")
        }
        return migrator
    }

    /// Schema version 2: one writer per run. A writer (the trainer, the Python client) holds its run's lease
    /// row while it writes and renews `heartbeat_at` at least every `RunLease.heartbeatInterval`; a lease whose
    /// process is gone (same host, no such pid) or whose heartbeat is older than `RunLease.staleAfter` is stale.
    /// Times are GRDB's text dates (UTC, "YYYY-MM-DD HH:MM:SS.SSS"). Copied verbatim into docs/schema.md.
    static let v2 = """
    CREATE TABLE run_leases (
      run_id       INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,
      host         TEXT NOT NULL,
      pid          INTEGER NOT NULL,
      acquired_at  TEXT NOT NULL,
      heartbeat_at TEXT NOT NULL
    );
    """

    /// Schema version 1. Copied verbatim into docs/schema.md.
    static let v1 = """
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
}
