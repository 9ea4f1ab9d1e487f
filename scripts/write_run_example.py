#!/usr/bin/env python3
"""Write one run into a VAEScope run store with nothing but Python's sqlite3 (and optionally NumPy).

Follows docs/schema.md: creates the store at schema version 1 if it is new, then inserts a run with a short
training curve, a few evaluated test sentences with their latents (little-endian float32 blobs), greedy
reconstructions, prior samples and a result row. `vaescope runs list --db FILE` then lists it.

Usage: python3 scripts/write_run_example.py runs.sqlite [run-name]
"""
import json
import math
import random
import sqlite3
import struct
import sys
import uuid
from datetime import datetime, timezone

SCHEMA_VERSION = 1
# The DDL of docs/schema.md, schema version 1 (verbatim).
SCHEMA_V1 = """
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


def f32(values):
    """A little-endian float32 blob (what numpy's arr.astype('<f4').tobytes() gives)."""
    return struct.pack("<%df" % len(values), *values)


def now():
    return datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]


def open_store(path):
    db = sqlite3.connect(path, timeout=5)
    db.execute("PRAGMA foreign_keys = ON")
    db.execute("PRAGMA journal_mode = WAL")
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version == 0:
        with db:
            db.executescript(SCHEMA_V1)
            db.execute("PRAGMA user_version = %d" % SCHEMA_VERSION)
    elif version != SCHEMA_VERSION:
        sys.exit("%s: schema version %d, this script writes %d" % (path, version, SCHEMA_VERSION))
    return db


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "runs.sqlite"
    name = sys.argv[2] if len(sys.argv) > 2 else "torch-example"
    rng = random.Random(0)
    db = open_store(path)
    config = {"objective": "klTarget", "klTarget": 15.0, "pooling": "max", "latentSize": 4, "trainer": "pytorch"}
    with db:  # one transaction: all or nothing
        cur = db.execute(
            "INSERT INTO runs (uuid, name, status, created_at, finished_at, config, corpus_name, corpus_hash,"
            " seed, tool_version) VALUES (?,?,?,?,?,?,?,?,?,?)",
            (str(uuid.uuid4()), name, "completed", now(), now(), json.dumps(config), "toy", "sha256:0", 42,
             "pytorch-example 1.0"))
        run = cur.lastrowid
        rows = []
        for step in range(1, 201):
            rows.append((run, step, step // 100, "train", "reconstruction", 60.0 * math.exp(-step / 80) + 30))
            rows.append((run, step, step // 100, "train", "kl", 15.0 * (1 - math.exp(-step / 50))))
        for epoch in (1, 2):
            rows.append((run, 100 * epoch, epoch, "valid", "reconstruction", 40.0 - epoch))
            rows.append((run, 100 * epoch, epoch, "valid", "kl", 14.0 + 0.4 * epoch))
        db.executemany("INSERT INTO scalars (run_id, step, epoch, split, key, value) VALUES (?,?,?,?,?,?)", rows)

        sentences = ["the cat sat", "a dog ran home", "prices fell sharply"]
        d, s, h = 4, 2, 3
        for i, text in enumerate(sentences):
            db.execute("INSERT INTO sentences VALUES (?,?,?,?,?)", (run, "test", i, text, len(text.split())))
            mu = [rng.gauss(0, 1) for _ in range(d)]
            logvar = [rng.gauss(-1, 0.1) for _ in range(d)]
            z = [rng.gauss(0, 1) for _ in range(s * d)]  # S samples of this sentence, sample-major (S, d)
            feat = [rng.gauss(0, 1) for _ in range(h)]
            db.execute("INSERT INTO latents VALUES (?,?,?,?,?,?,?,?,?,?)",
                       (run, "test", i, d, s, h, f32(mu), f32(logvar), f32(z), f32(feat)))
            db.execute("INSERT INTO decoded_texts (run_id, split, kind, scheme, parameter, z_index, source_index, text)"
                       " VALUES (?,?,?,?,?,?,?,?)", (run, "test", "reconstruction-mean", "greedy", None, i, i, text))
        for j, (scheme, p) in enumerate([("greedy", None), ("top-k", 5), ("nucleus", 0.9)]):
            db.execute("INSERT INTO decoded_texts (run_id, split, kind, scheme, parameter, z_index, text)"
                       " VALUES (?,?,?,?,?,?,?)", (run, "test", "prior-sample", scheme, p, 0, "a sample"))
        db.execute("INSERT INTO results VALUES (?,?,?,?,?,?)", (run, "test", "iw-nll", "", json.dumps({"K": 500}), 97.3))
    db.close()
    print("wrote run %r into %s" % (name, path))


if __name__ == "__main__":
    main()
