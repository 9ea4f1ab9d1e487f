#!/usr/bin/env python3
"""Prints "EPOCHS PID" for one run store, read-only: the epoch ends the run reached (its validation split is logged
at each; epochs count from 0 in the store) and the pid of the trainer holding the run's lease on this host while
the run is training (0 otherwise). Used by scripts/long2019_stop.sh and scripts/long2019_site.sh.

Usage: scripts/run_state.py STORE.sqlite
"""
import socket
import sqlite3
import sys

db = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True, timeout=30)
(epoch,) = db.execute("select max(epoch) from scalars where split = 'valid'").fetchone()
pid = 0
for host, p, status in db.execute("select l.host, l.pid, r.status from run_leases l join runs r on r.id = l.run_id"):
    try:
        cmd = open(f"/proc/{p}/cmdline", "rb").read().split(b"\0")
    except OSError:
        continue
    if host == socket.gethostname() and status == "running" and b"train" in cmd:
        pid = p
print(0 if epoch is None else epoch + 1, pid)
