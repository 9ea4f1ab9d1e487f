"""A run being written by a Python trainer: `vaescope.run(...)` and the methods that log into it.

Guarantees (docs: python/README.md):
- the run row, with its full config JSON and status `running`, is committed by `run(...)`, before training;
- the run holds its lease in `run_leases` (host, pid) and a daemon thread renews `heartbeat_at` every
  HEARTBEAT_INTERVAL s, so that a writer killed by SIGKILL leaves a run that `vaescope runs list` shows as
  `running (stale)` (same host and dead pid, or heartbeat older than 300 s);
- scalars are buffered as plain tuples and written with executemany, one transaction per flush: when
  FLUSH_ROWS are buffered, at least every FLUSH_INTERVAL s (from the same thread), and at the end;
- the end: `completed` (normal exit), `failed` (an exception leaves the `with` block), `interrupted` (SIGINT or
  SIGTERM while the run is open: the handlers are installed by `run(...)` and restored by `finish`; the
  signal then goes on to the previous handler: KeyboardInterrupt, or exit status 143 for SIGTERM).
  A run that was never finished is finished at interpreter exit (completed, or failed / interrupted after an
  uncaught exception / KeyboardInterrupt).
Every write is one SQLite transaction in a WAL-mode store, so a kill loses at most the batch in flight.
"""
import atexit
import dataclasses
import json
import math
import os
import signal
import socket
import sqlite3
import sys
import threading
import time
import unicodedata
import uuid
import warnings
from collections.abc import Mapping

from . import arrays, schema
from ._version import __version__
from .errors import RunError, StoreError

HEARTBEAT_INTERVAL = 5.0   # s; the Swift side asks for at least every 10 s (RunLease.heartbeatInterval)
FLUSH_INTERVAL = 2.0       # s; buffered scalars are written at least this often
FLUSH_ROWS = 20000         # buffered scalars that trigger a flush from log()

TOOL_VERSION = "python-client (%s)" % __version__
END_STATUSES = ("completed", "failed", "diverged", "interrupted")
TEXT_KINDS = {
    "reconstruction": "reconstruction-mean", "reconstruction-mean": "reconstruction-mean",
    "reconstruction-sample": "reconstruction-sample",
    "prior-sample": "prior-sample", "sample": "prior-sample",
    "interpolation": "interpolation",
}
SCHEMES = ("greedy", "top-k", "nucleus")
INSERT_SCALAR = "INSERT INTO scalars (run_id, step, epoch, split, key, value) VALUES (?,?,?,?,?,?)"
SCALAR_FIELDS = 6


def _rows_per_statement():
    """Rows of one multi-row INSERT: as many as SQLite's host-parameter limit allows, at most 500."""
    limit = 999 if sqlite3.sqlite_version_info < (3, 32, 0) else 32766   # SQLITE_MAX_VARIABLE_NUMBER defaults
    if hasattr(sqlite3.Connection, "getlimit"):   # Python >= 3.11: the library's actual limit
        conn = sqlite3.connect(":memory:")
        limit = conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        conn.close()
    return max(1, min(500, limit // SCALAR_FIELDS))


ROWS_PER_STATEMENT = _rows_per_statement()
INSERT_SCALARS_MULTI = ("INSERT INTO scalars (run_id, step, epoch, split, key, value) VALUES "
                        + ",".join(["(?,?,?,?,?,?)"] * ROWS_PER_STATEMENT))


def insert_scalars(conn, flat):
    """Inserts scalar rows given flat, 6 values per row (run_id, step, epoch, split, key, value), in the
    current transaction: ROWS_PER_STATEMENT rows per execution of a multi-row INSERT (about a third faster
    than one execution per row), the rest one row per execution."""
    chunk = ROWS_PER_STATEMENT * SCALAR_FIELDS
    whole = len(flat) - len(flat) % chunk
    if whole:
        conn.executemany(INSERT_SCALARS_MULTI, (flat[i:i + chunk] for i in range(0, whole, chunk)))
    if whole < len(flat):
        rest = iter(flat[whole:])
        conn.executemany(INSERT_SCALAR, zip(*[rest] * SCALAR_FIELDS))

_open_runs = set()   # runs of this process not yet finished (finished at interpreter exit)


def now_text(seconds=None):
    """UTC time as GRDB writes dates: 'YYYY-MM-DD HH:MM:SS.SSS'."""
    t = time.time() if seconds is None else seconds
    whole = math.floor(t)
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(whole)) + ".%03d" % min(999, int((t - whole) * 1000))


def validate_name(name):
    """Run names as the Swift side accepts them: non-empty, no '/', no control characters, no outer spaces."""
    if (not isinstance(name, str) or not name or name != name.strip() or "/" in name
            or any(unicodedata.category(c) == "Cc" for c in name)):
        raise RunError("invalid run name %r: non-empty, no '/', no control characters, no leading or trailing "
                       "spaces" % (name,))


def _plain(value):
    """`value` as JSON-able plain data: mappings, sequences, numbers (non-finite -> null), strings."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_plain(v) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, (int, str)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if hasattr(value, "item") and callable(value.item):   # NumPy scalars, 0-d tensors
        try:
            return _plain(value.item())
        except (TypeError, ValueError):
            pass
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _plain(dataclasses.asdict(value))
    if hasattr(value, "__dict__") and type(value).__name__ == "Namespace":   # argparse.Namespace
        return _plain(vars(value))
    return str(value)


def config_json(config):
    """The config as the text of a JSON object (a mapping, a dataclass, an argparse.Namespace, or JSON text)."""
    if config is None:
        return "{}"
    if isinstance(config, str):
        try:
            parsed = json.loads(config)
        except ValueError as e:
            raise RunError("config is not JSON: %s" % e) from None
        if not isinstance(parsed, dict):
            raise RunError("config must be a JSON object, not %s" % type(parsed).__name__)
        return config
    plain = _plain(config)
    if not isinstance(plain, dict):
        raise RunError("config must be a mapping (or dataclass / argparse.Namespace), not %s"
                       % type(config).__name__)
    return json.dumps(plain, ensure_ascii=False, allow_nan=False)


def _scalar(value, key):
    """A logged value as float (NaN and None are stored as NULL)."""
    if value is None:
        return None
    try:
        return float(value)   # ints, NumPy scalars, 0-d tensors (float() calls .item())
    except (TypeError, ValueError):
        raise RunError("scalar %r: %r is not a number" % (key, value)) from None


def _texts(items, what):
    """Decoded or evaluated sentences: strings, or sequences of tokens joined by single spaces."""
    out = []
    for i, t in enumerate(items):
        if isinstance(t, str):
            out.append(t)
        elif isinstance(t, (list, tuple)) and all(isinstance(w, str) for w in t):
            out.append(" ".join(t))
        else:
            raise RunError("%s %d is neither a string nor a list of tokens: %r" % (what, i, t))
    return out


class Run:
    """One run in a run store, open for writing. Use `vaescope.run(...)`; see the module's doc."""

    def __init__(self, path, name=None, config=None, corpus_name="", corpus_hash="", seed=0,
                 tool_version=TOOL_VERSION, flush_rows=FLUSH_ROWS, flush_interval=FLUSH_INTERVAL,
                 heartbeat_interval=HEARTBEAT_INTERVAL, handle_signals=True, timeout=5.0):
        self.path = os.fspath(path)
        self.name = name if name is not None else time.strftime("python-%Y%m%d-%H%M%S-") + uuid.uuid4().hex[:6]
        validate_name(self.name)
        config_text = config_json(config)
        seed = int(seed)
        if not -2 ** 63 <= seed < 2 ** 64:
            raise RunError("seed %d is outside 64 bits" % seed)
        if seed >= 2 ** 63:
            seed -= 2 ** 64   # stored as its signed two's-complement pattern (docs/schema.md)
        if flush_rows < 1 or flush_interval <= 0 or not 0 < heartbeat_interval <= 10:
            raise RunError("flush_rows must be >= 1, flush_interval > 0, 0 < heartbeat_interval <= 10")
        self.uuid = str(uuid.uuid4())
        self.status = "running"
        self.rows_written = 0             # scalars committed so far
        self._flush_values = int(flush_rows) * SCALAR_FIELDS
        self._buffer = []                 # flat: run_id, step, epoch, split, key, value, run_id, ...; only
                                          # extended at the end, 6 values at a time
        self._lock = threading.Lock()     # the connection and the buffer's head
        self._host = socket.gethostname()   # = Foundation's ProcessInfo.hostName on Linux (checked by a test)
        self._pid = os.getpid()
        self._main = threading.current_thread() is threading.main_thread()
        self._critical = 0                # >0 while the main thread is writing: a signal waits until it is done
        self._pending_signal = None
        self._previous_handlers = {}
        self._conn = schema.open_store(self.path, timeout, check_same_thread=False)
        try:
            self.id = self._create(config_text, corpus_name, corpus_hash, seed, tool_version)
        except BaseException:
            self._conn.close()
            raise
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._background, args=(flush_interval, heartbeat_interval),
                                        name="vaescope-writer %s" % self.name, daemon=True)
        self._thread.start()
        _open_runs.add(self)
        if handle_signals and self._main:
            self._install_handlers()

    def __repr__(self):
        return "<vaescope.Run %r in %s, %s>" % (self.name, self.path, self.status)

    # -- the run's row and its lease ----------------------------------------------------------------------

    def _transaction(self, body):
        """Runs body(conn) in one write transaction (the caller holds the lock)."""
        conn = self._conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            result = body(conn)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        return result

    def _create(self, config_text, corpus_name, corpus_hash, seed, tool_version):
        def create(conn):
            if conn.execute("SELECT 1 FROM runs WHERE name = ?", (self.name,)).fetchone():
                raise RunError("%s: a run named %r exists already (choose another name, or delete it: vaescope "
                               "runs delete %s --db %s)" % (self.path, self.name, self.name, self.path))
            now = now_text()
            run_id = conn.execute(
                "INSERT INTO runs (uuid, name, status, created_at, finished_at, config, corpus_name, corpus_hash,"
                " seed, tool_version) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (self.uuid, self.name, "running", now, None, config_text, str(corpus_name), str(corpus_hash),
                 seed, str(tool_version))).lastrowid
            conn.execute("INSERT INTO run_leases (run_id, host, pid, acquired_at, heartbeat_at) VALUES (?,?,?,?,?)",
                         (run_id, self._host, self._pid, now, now))
            return run_id
        try:
            with self._lock:
                return self._transaction(create)
        except sqlite3.Error as e:
            raise StoreError("%s: creating run %r: %s" % (self.path, self.name, e)) from None

    def _background(self, flush_interval, heartbeat_interval):
        """Flushes buffered scalars every `flush_interval` s and renews the lease every `heartbeat_interval` s."""
        next_beat = time.monotonic() + heartbeat_interval
        warned = False
        while not self._stop.wait(min(flush_interval, heartbeat_interval)):
            try:
                with self._lock:
                    if self.status != "running":
                        return
                    self._flush_locked()
                    if time.monotonic() >= next_beat:
                        self._transaction(lambda conn: conn.execute(
                            "UPDATE run_leases SET heartbeat_at = ? WHERE run_id = ? AND host = ? AND pid = ?",
                            (now_text(), self.id, self._host, self._pid)))
                        next_beat = time.monotonic() + heartbeat_interval
            except sqlite3.Error as e:   # e.g. another process holds the store's write lock: try again later
                if not warned:
                    warnings.warn("vaescope: %s: background write of run %r failed (will retry): %s"
                                  % (self.path, self.name, e), RuntimeWarning)
                    warned = True

    # -- logging ------------------------------------------------------------------------------------------

    def log(self, step, split="train", epoch=None, **scalars):
        """Buffers one value per keyword (`kl=4.2, reconstruction=88.1`) at `step` of `split`.

        Values are floats (or ints, NumPy scalars, 0-d tensors); NaN and None are stored as NULL.
        """
        buffer = self._buffer
        if buffer is None:
            raise RunError("run %r is finished (%s): nothing more can be logged" % (self.name, self.status))
        if step.__class__ is not int:
            step = int(step)
        if epoch is not None and epoch.__class__ is not int:
            epoch = int(epoch)
        run_id = self.id
        for key, value in scalars.items():
            if value.__class__ is not float:
                value = _scalar(value, key)
            buffer += (run_id, step, epoch, split, key, value)
        if len(buffer) >= self._flush_values:
            self.flush()

    def flush(self):
        """Writes the buffered scalars now, in one transaction."""
        self._enter_critical()
        try:
            with self._lock:
                self._flush_locked()
        finally:
            self._leave_critical()

    def _flush_locked(self):
        buffer = self._buffer
        if not buffer:
            return
        n = len(buffer)     # a multiple of 6: log() extends by whole rows
        values = buffer[:n]  # log() may extend meanwhile (from another thread): that stays for the next flush
        self._transaction(lambda conn: insert_scalars(conn, values))
        del buffer[:n]
        self.rows_written += n // SCALAR_FIELDS

    def log_latents(self, mu, logvar=None, z=None, features=None, sentences=None, split="test"):
        """Replaces the latent records of `split`: μ and log σ² (N, d), z (N, d) or (S, N, d), pooled encoder
        features h (N, H), and, if given, the N evaluated sentences (strings or token lists). NumPy arrays,
        PyTorch tensors or nested lists; stored as little-endian float32 blobs (docs/schema.md)."""
        mu = arrays.to_array(mu, "mu")
        if mu.ndim != 2:
            raise RunError("mu must be (N, d), got shape %s" % (mu.shape,))
        n, d = mu.shape
        if logvar is not None:
            logvar = arrays.to_array(logvar, "logvar")
            if logvar.shape != (n, d):
                raise RunError("logvar must have mu's shape %s, got %s" % ((n, d), logvar.shape))
        samples = 0
        if z is not None:
            z = arrays.to_array(z, "z")
            if z.ndim == 2:
                z = z[None]
            if z.ndim != 3 or z.shape[1:] != (n, d):
                raise RunError("z must be (N, d) or (S, N, d) with N, d = %d, %d, got %s" % (n, d, z.shape))
            samples = z.shape[0]
            z = z.transpose(1, 0, 2)   # (N, S, d): each sentence's S samples, sample-major
        feature_dim = 0
        if features is not None:
            features = arrays.to_array(features, "features")
            if features.ndim != 2 or features.shape[0] != n:
                raise RunError("features must be (N, H) with N = %d, got %s" % (n, features.shape))
            feature_dim = features.shape[1]
        texts = None
        if sentences is not None:
            texts = _texts(sentences, "sentence")
            if len(texts) != n:
                raise RunError("%d sentences for %d latent rows" % (len(texts), n))
        blob = lambda a: arrays.to_blobs(a, n) if a is not None else [None] * n
        rows = list(zip([self.id] * n, [split] * n, range(n), [d] * n, [samples] * n, [feature_dim] * n,
                        blob(mu), blob(logvar), blob(z), blob(features)))

        def write(conn):
            conn.execute("DELETE FROM latents WHERE run_id = ? AND split = ?", (self.id, split))
            conn.executemany("INSERT INTO latents (run_id, split, sentence_index, latent_dim, samples, feature_dim,"
                             " mu, logvar, z, h) VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
            if texts is not None:
                self._write_sentences(conn, texts, split)
        self._write(write)

    def log_sentences(self, sentences, split="test"):
        """Replaces the evaluated sentences of `split` (strings or token lists, sentence i = index i)."""
        texts = _texts(sentences, "sentence")
        self._write(lambda conn: self._write_sentences(conn, texts, split))

    def _write_sentences(self, conn, texts, split):
        conn.execute("DELETE FROM sentences WHERE run_id = ? AND split = ?", (self.id, split))
        conn.executemany("INSERT INTO sentences (run_id, split, sentence_index, text, token_count) VALUES (?,?,?,?,?)",
                         [(self.id, split, i, t, len(t.split())) for i, t in enumerate(texts)])

    def log_texts(self, kind, texts, scheme="greedy", split="test", parameter=None, indices=None):
        """Appends decoded texts of one kind and decoding scheme.

        kind: "reconstruction" (= "reconstruction-mean", decoded from z = μ), "reconstruction-sample",
        "prior-sample" (or "sample") or "interpolation". scheme: "greedy", "top-k" (parameter k) or
        "nucleus" (parameter p). texts: strings or token lists; text i belongs to sentence `indices[i]`
        (reconstructions) or prior draw `indices[i]` (samples), `indices` defaulting to 0, 1, 2, ...
        For "interpolation", texts is a list of paths (one list of P texts per pair of endpoints, both ends
        included): pair p, point j, z_index p·P + j, as VAEScope's evaluator writes them.
        """
        if kind not in TEXT_KINDS:
            raise RunError("text kind %r is not one of %s" % (kind, ", ".join(sorted(TEXT_KINDS))))
        kind = TEXT_KINDS[kind]
        if scheme not in SCHEMES:
            raise RunError("decoding scheme %r is not one of %s" % (scheme, ", ".join(SCHEMES)))
        if scheme != "greedy" and parameter is None:
            raise RunError("scheme %r needs its parameter (k for top-k, p for nucleus)" % scheme)
        parameter = None if parameter is None else float(parameter)
        run_id = self.id
        if kind == "interpolation":
            paths = [_texts(path, "interpolation point") for path in texts]
            rows = []
            for p, path in enumerate(paths):
                points = len(path)
                rows += [(run_id, split, kind, scheme, parameter, p * points + j, p, j, None, t)
                         for j, t in enumerate(path)]
        else:
            flat = _texts(texts, "text")
            index = list(range(len(flat))) if indices is None else [int(i) for i in indices]
            if len(index) != len(flat):
                raise RunError("%d indices for %d texts" % (len(index), len(flat)))
            source = index if kind.startswith("reconstruction") else [None] * len(flat)
            rows = [(run_id, split, kind, scheme, parameter, i, None, None, s, t)
                    for i, s, t in zip(index, source, flat)]
        self._write(lambda conn: conn.executemany(
            "INSERT INTO decoded_texts (run_id, split, kind, scheme, parameter, z_index, pair_index, point_index,"
            " source_index, text) VALUES (?,?,?,?,?,?,?,?,?,?)", rows))

    def _write(self, body):
        """One transaction of the main thread (a signal arriving meanwhile is handled after it)."""
        if self._buffer is None:
            raise RunError("run %r is finished (%s): nothing more can be logged" % (self.name, self.status))
        self._enter_critical()
        try:
            with self._lock:
                self._transaction(body)
        finally:
            self._leave_critical()

    # -- the end ------------------------------------------------------------------------------------------

    def finish(self, status="completed"):
        """Writes what is buffered, sets the status (`completed`, `failed`, `diverged`, `interrupted`) and
        finished_at, and gives up the lease. A second call does nothing."""
        if status not in END_STATUSES:
            raise ValueError("status %r is not one of %s" % (status, ", ".join(END_STATUSES)))
        if os.getpid() != self._pid:   # a forked child (e.g. a DataLoader worker) does not own the run
            return
        self._enter_critical()
        try:
            with self._lock:
                if self.status != "running":
                    return
                try:
                    self._flush_locked()
                finally:
                    self._transaction(lambda conn: (
                        conn.execute("UPDATE runs SET status = ?, finished_at = ? WHERE id = ?",
                                     (status, now_text(), self.id)),
                        conn.execute("DELETE FROM run_leases WHERE run_id = ? AND host = ? AND pid = ?",
                                     (self.id, self._host, self._pid))))
                    self.status = status
                    self._buffer = None
        finally:
            if self.status != "running":
                self._close()
            self._leave_critical()

    def _close(self):
        self._stop.set()
        if self._thread is not threading.current_thread():
            self._thread.join()
        self._restore_handlers()
        _open_runs.discard(self)
        try:   # as the Swift writers do: fold the WAL into the main file, so that the .sqlite file alone is the store
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error:
            pass   # a reader holds it open: SQLite checkpoints later
        try:
            self._conn.close()
        except sqlite3.Error:
            pass

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            status = "completed"
        elif issubclass(exc_type, KeyboardInterrupt):
            status = "interrupted"
        elif issubclass(exc_type, SystemExit):
            code = exc.code if exc is not None else None
            status = ("completed" if code in (0, None)
                      else "interrupted" if code in (128 + signal.SIGINT, 128 + signal.SIGTERM) else "failed")
        else:
            status = "failed"
        if exc_type is None:
            self.finish(status)
        else:
            try:
                self.finish(status)
            except Exception as e:   # keep the exception that left the block
                warnings.warn("vaescope: could not mark run %r %s: %s" % (self.name, status, e), RuntimeWarning)
        return False

    # -- signals --------------------------------------------------------------------------------------------

    def _install_handlers(self):
        for signum in (signal.SIGINT, signal.SIGTERM):
            previous = signal.getsignal(signum)
            if previous == signal.SIG_IGN or previous is None:   # ignored (nohup, background job) or not Python's
                continue
            self._previous_handlers[signum] = previous
            signal.signal(signum, self._on_signal)

    def _restore_handlers(self):
        if not self._main or threading.current_thread() is not threading.main_thread():
            return
        for signum, previous in self._previous_handlers.items():
            if signal.getsignal(signum) == self._on_signal:   # not replaced by someone after us
                signal.signal(signum, previous)

    def _enter_critical(self):
        if threading.current_thread() is threading.main_thread():
            self._critical += 1

    def _leave_critical(self):
        if threading.current_thread() is not threading.main_thread():
            return
        self._critical -= 1
        if self._critical == 0 and self._pending_signal is not None:
            signum, frame = self._pending_signal
            self._pending_signal = None
            self._interrupt(signum, frame)

    def _on_signal(self, signum, frame):
        if self._critical:   # in the middle of a write: finish it first
            self._pending_signal = (signum, frame)
            return
        self._interrupt(signum, frame)

    def _interrupt(self, signum, frame):
        """Marks the run interrupted, then hands the signal on as if this handler had not been there."""
        previous = self._previous_handlers.get(signum, signal.SIG_DFL)
        if self.status == "running" and os.getpid() == self._pid:
            try:
                self.finish("interrupted")
            except Exception as e:
                warnings.warn("vaescope: could not mark run %r interrupted: %s" % (self.name, e), RuntimeWarning)
        if callable(previous):
            return previous(signum, frame)   # signal.default_int_handler raises KeyboardInterrupt
        if signum == signal.SIGINT:
            raise KeyboardInterrupt
        raise SystemExit(128 + signum)       # SIGTERM: exit status 143, after finally blocks and atexit


def run(path, name=None, config=None, corpus_name="", corpus_hash="", seed=0, **options):
    """Creates a run in the store at `path` (created or migrated if needed) and returns it, open for logging.

    Use it as a context manager (`with vaescope.run(...) as run:`) or call `finish()` yourself. The run row,
    with `config` (a mapping, dataclass, argparse.Namespace or JSON text), is committed before this returns.
    Options: tool_version, flush_rows, flush_interval, heartbeat_interval, handle_signals, timeout.
    """
    return Run(path, name=name, config=config, corpus_name=corpus_name, corpus_hash=corpus_hash, seed=seed,
               **options)


def _finish_at_exit():
    """Finishes the runs a script left open: completed, or failed / interrupted after an uncaught exception."""
    last = getattr(sys, "last_value", None)
    if isinstance(last, KeyboardInterrupt):
        status = "interrupted"
    elif last is not None and not (isinstance(last, SystemExit) and last.code in (0, None)):
        status = "failed"
    else:
        status = "completed"
    for open_run in list(_open_runs):
        try:
            open_run.finish(status)
        except Exception as e:
            sys.stderr.write("vaescope: could not finish run %r: %s\n" % (open_run.name, e))


atexit.register(_finish_at_exit)
