"""Import TensorBoard scalar logs into a run store, with TensorBoard's own event reader.

    python -m vaescope.tensorboard LOGDIR --db runs.sqlite --name NAME [--mapping mapping.json]
    vaescope.tensorboard.import_logdir(LOGDIR, "runs.sqlite", "NAME", mapping=None)

Needs the `tensorboard` package (pip install tensorboard; TensorFlow is not needed). Reads every directory
under LOGDIR that holds event files (`events.out.tfevents.*`) with
`tensorboard.backend.event_processing.event_accumulator.EventAccumulator`: scalar summaries (tensorboardX,
torch.utils.tensorboard, TF1) and TF2-style tensor summaries of the `scalars` plugin.

Each (directory, tag) becomes a (split, key) of VAEScope's scalars:
1. `tags` of the mapping: an exact tag (or an fnmatch pattern: `*`, `?`, `[...]`) names its key, or
   {"key": ..., "split": ...}, or null to skip the tag. The first matching entry wins, exact tags first.
2. Otherwise the tag is split at `/`: a part that is a split name (`splits`: train, valid / validation / val
   / dev, test / eval) gives the split and is removed; the rest, joined by `/`, or else its last part, is looked
   up in `keys` (case-insensitive: `kld` -> `kl`, `Loss/recon` -> `reconstruction`); a tag found in neither
   is kept as it is (`timing/sec`). A tag without a split part takes the split of its directory's name
   (`logs/validation/...`) or `default_split` (train).
3. `skip`: fnmatch patterns of tags to leave out. `"unmapped": "skip"` keeps only tags matched by `tags`.
Two tags that map to the same split and key are an error (a log directory of several runs: import each).

A mapping file is JSON with any of these entries; they are added to (and override) the defaults:
    {"tags": {"Loss/KL": "kl", "Loss/ELBO/val": {"key": "elbo", "split": "valid"}, "timing/*": null},
     "keys": {"kl_loss": "kl"}, "splits": {"holdout": "valid"}, "skip": ["hparams/*"],
     "default_split": "train", "unmapped": "keep"}

The run is written in one transaction: status completed, created_at / finished_at the first and last wall
times, the TensorBoard step as step, epoch NULL, the mapping and the source in its config.
"""
import argparse
import fnmatch
import json
import math
import os
import sqlite3
import sys
import uuid

from . import schema
from . import writer
from .errors import RunError, StoreError, VAEScopeError

DEFAULT_MAPPING = {
    "tags": {},
    "splits": {"train": "train", "training": "train",
               "valid": "valid", "validation": "valid", "val": "valid", "dev": "valid",
               "test": "test", "eval": "test", "evaluation": "test"},
    "keys": {"loss": "loss", "total_loss": "loss", "elbo": "elbo", "nelbo": "loss",
             "kl": "kl", "kld": "kl", "kl_div": "kl", "kl_divergence": "kl", "kl_loss": "kl", "rate": "kl",
             "rec": "reconstruction", "recon": "reconstruction", "recon_loss": "reconstruction",
             "reconstruction": "reconstruction", "reconstruction_loss": "reconstruction", "nll": "reconstruction",
             "distortion": "reconstruction",
             "lr": "lr", "learning_rate": "lr", "beta": "beta", "kl_weight": "beta", "c": "C",
             "grad_norm": "grad_norm", "ppl": "ppl_bound", "perplexity": "ppl_bound",
             "active_units": "active_units", "au": "active_units", "mi": "mi"},
    "skip": [],
    "default_split": "train",
    "unmapped": "keep",
}


def load_mapping(path_or_dict=None):
    """The default mapping with the entries of a JSON file (path) or a dict added."""
    mapping = json.loads(json.dumps(DEFAULT_MAPPING))
    if path_or_dict is None:
        return mapping
    if isinstance(path_or_dict, dict):
        user = path_or_dict
    else:
        try:
            with open(path_or_dict, encoding="utf-8") as f:
                user = json.load(f)
        except (OSError, ValueError) as e:
            raise RunError("mapping file %s: %s" % (path_or_dict, e)) from None
        if not isinstance(user, dict):
            raise RunError("mapping file %s: not a JSON object" % path_or_dict)
    unknown = set(user) - set(DEFAULT_MAPPING)
    if unknown:
        raise RunError("mapping: unknown entries %s (known: %s)" % (", ".join(sorted(unknown)),
                                                                     ", ".join(DEFAULT_MAPPING)))
    for name in ("tags", "splits", "keys"):
        entries = user.get(name, {})
        if not isinstance(entries, dict):
            raise RunError("mapping: %r must be an object" % name)
        target = mapping[name]
        for k, v in entries.items():
            target[k.lower() if name != "tags" else k] = v
    if not isinstance(user.get("skip", []), list):
        raise RunError("mapping: 'skip' must be a list of tag patterns")
    mapping["skip"] += user.get("skip", [])
    if "default_split" in user:
        mapping["default_split"] = str(user["default_split"])
    if user.get("unmapped", "keep") not in ("keep", "skip"):
        raise RunError("mapping: 'unmapped' must be \"keep\" or \"skip\"")
    mapping["unmapped"] = user.get("unmapped", "keep")
    for tag, target in mapping["tags"].items():
        if target is not None and not isinstance(target, str) and not (isinstance(target, dict) and "key" in target):
            raise RunError("mapping: tag %r must map to a key, {\"key\": ..., \"split\": ...} or null" % tag)
    return mapping


def map_tag(tag, directory_split, mapping):
    """(split, key) of a tag, or None to skip it."""
    if any(fnmatch.fnmatchcase(tag, pattern) for pattern in mapping["skip"]):
        return None
    tags = mapping["tags"]
    target = tags[tag] if tag in tags else next(
        (t for pattern, t in tags.items() if fnmatch.fnmatchcase(tag, pattern)), False)
    fallback_split = directory_split or mapping["default_split"]
    if target is None:
        return None
    if isinstance(target, str):
        return fallback_split, target
    if isinstance(target, dict):
        return target.get("split", fallback_split), target["key"]
    if mapping["unmapped"] == "skip":
        return None
    parts = [p for p in tag.split("/") if p]
    split = None
    for i, part in enumerate(parts):
        if part.lower() in mapping["splits"] and len(parts) > 1:
            split = mapping["splits"][part.lower()]
            del parts[i]
            break
    rest = "/".join(parts)
    keys = mapping["keys"]
    key = keys.get(rest.lower()) or (keys.get(parts[-1].lower()) if parts else None) or rest
    return split or fallback_split, key


def _event_dirs(logdir):
    """Directories under logdir (itself included) that hold event files, sorted."""
    found = []
    for directory, _, files in os.walk(logdir):
        if any(".tfevents." in f for f in files):
            found.append(directory)
    return sorted(found)


def read_logdir(logdir, mapping=None):
    """Reads the scalars under `logdir`: ([(step, split, key, value)], first wall time, last wall time,
    {(directory, tag): (split, key)})."""
    try:
        from tensorboard.backend.event_processing import event_accumulator
        from tensorboard.util import tensor_util
    except ImportError:
        raise ImportError("vaescope.tensorboard needs the tensorboard package (pip install tensorboard)") from None
    mapping = load_mapping(mapping) if not isinstance(mapping, dict) or "unmapped" not in mapping else mapping
    if not os.path.isdir(logdir):
        raise RunError("%s: not a directory" % logdir)
    directories = _event_dirs(logdir)
    if not directories:
        raise RunError("%s: no TensorBoard event files (events.out.tfevents.*) in it or below it" % logdir)
    rows, used, times, claimed = [], {}, [], {}
    for directory in directories:
        relative = os.path.relpath(directory, logdir)
        directory_split = None
        if relative != ".":
            for part in reversed(relative.split(os.sep)):
                if part.lower() in mapping["splits"]:
                    directory_split = mapping["splits"][part.lower()]
                    break
        accumulator = event_accumulator.EventAccumulator(
            directory, size_guidance={event_accumulator.SCALARS: 0, event_accumulator.TENSORS: 0})
        accumulator.Reload()
        tags = accumulator.Tags()
        series = [(tag, [(e.step, e.wall_time, e.value) for e in accumulator.Scalars(tag)])
                  for tag in tags.get("scalars", [])]
        for tag in tags.get("tensors", []):   # TF2 / tensorboard.summary: scalars stored as 0-d tensors
            if accumulator.SummaryMetadata(tag).plugin_data.plugin_name != "scalars":
                continue
            series.append((tag, [(e.step, e.wall_time, float(tensor_util.make_ndarray(e.tensor_proto)))
                                 for e in accumulator.Tensors(tag)]))
        for tag, events in series:
            target = map_tag(tag, directory_split, mapping)
            if target is None or not events:
                continue
            source = tag if relative == "." else "%s/%s" % (relative, tag)
            if target in claimed:
                raise RunError("%s: %s and %s both map to %s/%s (one run per import: point at one run's directory,"
                               " or map one of them elsewhere in a mapping file)"
                               % (logdir, claimed[target], source, target[0], target[1]))
            claimed[target] = source
            used[(relative, tag)] = target
            for step, wall_time, value in events:
                rows.append((int(step), target[0], target[1], value if math.isfinite(value) else None))
                times.append(wall_time)
    if not rows:
        raise RunError("%s: no scalar events left after the mapping" % logdir)
    return rows, min(times), max(times), used


def import_logdir(logdir, store_path, name, mapping=None, config=None):
    """Makes run `name` in `store_path` from the scalar events under `logdir`; returns the number of scalars.

    Everything is read and mapped before anything is written; the run is written in one transaction."""
    writer.validate_name(name)
    mapping = load_mapping(mapping)
    rows, first, last, used = read_logdir(logdir, mapping)
    run_config = dict(config or {})
    run_config["importedFrom"] = {"tensorboard": os.path.abspath(logdir),
                                  "tags": {("%s:%s" % (d, t) if d != "." else t): "%s/%s" % st
                                           for (d, t), st in sorted(used.items())}}
    config_text = writer.config_json(run_config)
    conn = schema.open_store(store_path)
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            if conn.execute("SELECT 1 FROM runs WHERE name = ?", (name,)).fetchone():
                raise RunError("%s: a run named %r exists already" % (store_path, name))
            run_id = conn.execute(
                "INSERT INTO runs (uuid, name, status, created_at, finished_at, config, corpus_name, corpus_hash,"
                " seed, tool_version) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (str(uuid.uuid4()), name, "completed", writer.now_text(first), writer.now_text(last), config_text,
                 "", "", 0, "tensorboard import, %s" % writer.TOOL_VERSION)).lastrowid
            rows.sort(key=lambda r: (r[1], r[2], r[0]))
            writer.insert_scalars(conn, [v for step, split, key, value in rows
                                         for v in (run_id, step, None, split, key, value)])
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    except sqlite3.Error as e:
        raise StoreError("%s: importing %s: %s" % (store_path, logdir, e)) from None
    finally:
        conn.close()
    return len(rows), used


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m vaescope.tensorboard",
        description="Make a VAEScope run from the scalar events of a TensorBoard log directory.")
    parser.add_argument("logdir", help="directory of event files (searched recursively)")
    parser.add_argument("--db", required=True, help="run store (SQLite file; created if missing)")
    parser.add_argument("--name", required=True, help="name of the new run")
    parser.add_argument("--mapping", help="JSON mapping file (see python/README.md)")
    parser.add_argument("--config", help="JSON file with the run's configuration (stored with the run)")
    args = parser.parse_args(argv)
    try:
        config = None
        if args.config:
            with open(args.config, encoding="utf-8") as f:
                config = json.load(f)
        count, used = import_logdir(args.logdir, args.db, args.name, mapping=args.mapping, config=config)
    except (VAEScopeError, ImportError, OSError, ValueError) as e:
        print("error: %s" % e, file=sys.stderr)
        return 1
    print("imported run %r into %s: %d scalar points" % (args.name, args.db, count))
    for (directory, tag), (split, key) in sorted(used.items()):
        source = tag if directory == "." else "%s/%s" % (directory, tag)
        print("  %-40s -> %s/%s" % (source, split, key))
    return 0


if __name__ == "__main__":
    sys.exit(main())
