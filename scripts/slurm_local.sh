#!/usr/bin/env bash
# Starts and stops a real single-node Slurm cluster on this machine (Debian's slurm-wlm and munge), for tests.
# Usage: scripts/slurm_local.sh start DIR    install what is missing, start munged, slurmctld and slurmd with
#                                            everything (config, key, state, spool, logs, pid files) under DIR,
#                                            wait until the node is idle, print `export SLURM_CONF=DIR/slurm.conf`
#        scripts/slurm_local.sh stop DIR     cancel the cluster's jobs, stop the three daemons (by their pid files)
#        scripts/slurm_local.sh status DIR   exit 0 and print sinfo when the cluster in DIR answers, exit 1 if not
# Callers reach the cluster with `eval "$(scripts/slurm_local.sh start DIR)"`: Slurm's commands (sbatch, squeue,
# scontrol, ...) read SLURM_CONF, so /etc/slurm/slurm.conf is neither needed nor written, and munged uses its own
# key and socket in DIR (slurm.conf's AuthInfo names the socket), so /etc/munge and a munged of the machine's own
# are left alone. Jobs run as root, on one node named after `hostname -s`, in partition debug; no accounting (sacct).
# `start` clears the job state of an earlier cluster in DIR (slurmctld -c); on a cluster already running in DIR it
# only prints the exports. Exit 3 means Slurm cannot run here (not root and no sudo, no package, a daemon that won't
# start, a node that doesn't come up in time): one line says why on stderr, and callers treat it as "skip".
# Environment: SLURM_LOCAL_MAX_ARRAY (MaxArraySize, default 1001), SLURM_LOCAL_CTLD_PORT (6817),
#              SLURM_LOCAL_SLURMD_PORT (6818), SLURM_LOCAL_TIMEOUT (seconds to wait for an idle node, 60),
#              SLURM_LOCAL_CRED_EXPIRE (AuthInfo cred_expire, 10: a requeued job waits cred_expire+1 s before it
#              may start again; Slurm's default is 120 s).
# Only one cluster at a time per port pair; DIR's absolute path must stay under ~90 characters (munge's socket).
set -euo pipefail

usage() { echo "usage: scripts/slurm_local.sh start|stop|status DIR" >&2; exit 64; }
[ "$#" -eq 2 ] || usage
cmd=$1
if [ "$cmd" = start ]; then mkdir -p "$2"; fi
if [ ! -d "$2" ]; then
  [ "$cmd" = status ] && { echo "slurm_local: no cluster in $2" >&2; exit 1; }
  exit 0
fi
dir=$(cd "$2" && pwd)
conf="$dir/slurm.conf"
export SLURM_CONF="$conf"
node=$(hostname -s 2>/dev/null || true)
[ -n "$node" ] || node=localhost

skip() { echo "slurm_local: $*" >&2; exit 3; }

sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo -n)

# Is process $1 running (a zombie is not: a killed daemon's zombie may linger until pid 1 reaps it)?
running() { kill -0 "$1" 2>/dev/null && [ "$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1)" != Z ]; }
# Is the process in pid file $1 running?
alive() { [ -s "$1" ] && running "$(cat "$1")"; }
# $@ and all their descendants.
descendants() {
  local p kids
  for p in "$@"; do
    echo "$p"
    mapfile -t kids < <(pgrep -P "$p" || true)
    [ "${#kids[@]}" -eq 0 ] || descendants "${kids[@]}"
  done
}
# Does process $1 have its working directory or an open file under DIR?
uses_dir() {
  local f
  for f in "/proc/$1/cwd" "/proc/$1/fd/"*; do
    case "$(readlink "$f" 2>/dev/null)" in "$dir"/*) return 0 ;; esac
  done
  return 1
}

# Does the cluster in DIR answer with an idle (or allocated/mixed) node?
node_state() { timeout 10 sinfo -h -n "$node" -o %t 2>/dev/null | head -n1 || true; }

stop_pids() { # pid files: TERM them all at once, KILL what is still running after 10 s
  local pidfile pids=() pid left
  for pidfile in "$@"; do
    if alive "$pidfile"; then pids+=("$(cat "$pidfile")"); fi
  done
  if [ "${#pids[@]}" -gt 0 ]; then
    "${sudo_cmd[@]}" kill -TERM "${pids[@]}" 2>/dev/null || true
    for _ in $(seq 1 100); do
      left=()
      for pid in "${pids[@]}"; do if running "$pid"; then left+=("$pid"); fi; done
      [ "${#left[@]}" -gt 0 ] || break
      sleep 0.1
    done
    for pid in "${pids[@]}"; do
      if running "$pid"; then "${sudo_cmd[@]}" kill -KILL "$pid" 2>/dev/null || true; fi
    done
  fi
  rm -f "$@"
}

do_stop() {
  if [ -f "$conf" ] && alive "$dir/run/slurmctld.pid"; then
    # Cancel what is still queued or running, so that no slurmstepd outlives slurmd.
    if [ -n "$(timeout 10 squeue -h -o %i 2>/dev/null || true)" ]; then
      timeout 10 scancel --quiet --partition=debug 2>/dev/null || true
      for _ in $(seq 1 50); do
        [ -z "$(timeout 5 squeue -h -o %i 2>/dev/null || true)" ] && break
        sleep 0.2
      done
    fi
  fi
  stop_pids "$dir/run/slurmd.pid" "$dir/run/slurmctld.pid" "$dir/run/munged.pid"
  # A slurmstepd left behind (slurmctld or slurmd died before the jobs were cancelled) keeps DIR/log/slurmd.log
  # open and its working directory in DIR/log, and a job's processes have SLURM_CONF=DIR/slurm.conf and
  # SLURM_JOB_ID in their environment (they may have lost their slurmstepd already): end them all.
  local strays=() p
  for p in $(pgrep -x slurmstepd || true); do
    if uses_dir "$p"; then mapfile -t -O "${#strays[@]}" strays < <(descendants "$p"); fi
  done
  for p in /proc/[0-9]*; do
    p=${p#/proc/}
    [ "$p" != $$ ] || continue
    if grep -qzxF "SLURM_CONF=$conf" "/proc/$p/environ" 2>/dev/null && grep -qz '^SLURM_JOB_ID=' "/proc/$p/environ" 2>/dev/null; then
      strays+=("$p")
    fi
  done
  if [ "${#strays[@]}" -gt 0 ]; then "${sudo_cmd[@]}" kill -KILL "${strays[@]}" 2>/dev/null || true; fi
}

do_start() {
  if [ -f "$conf" ] && alive "$dir/run/slurmctld.pid" && alive "$dir/run/slurmd.pid" && alive "$dir/run/munged.pid"; then
    echo "export SLURM_CONF=$conf"
    return 0
  fi
  if [ "$(id -u)" -ne 0 ] && ! sudo -n true 2>/dev/null; then skip "not root and no passwordless sudo"; fi

  local packages=(slurm-wlm munge) missing=() p
  for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    echo "slurm_local: installing ${missing[*]}" >&2
    "${sudo_cmd[@]}" apt-get update -qq -o DPkg::Lock::Timeout=300 >/dev/null 2>&1 || true
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends \
      -o DPkg::Lock::Timeout=300 "${missing[@]}" \
      >/dev/null 2>&1 || skip "apt-get install ${missing[*]} failed"
  fi
  for p in munged slurmctld slurmd sinfo; do
    command -v "$p" >/dev/null 2>&1 || [ -x "/usr/sbin/$p" ] || skip "$p not found after installing"
  done

  # Whatever ran here before goes first, then a fresh tree (the state of an earlier cluster is dropped).
  do_stop
  # Another cluster (or anything else) on our ports would answer sinfo in our place.
  for p in "${SLURM_LOCAL_CTLD_PORT:-6817}" "${SLURM_LOCAL_SLURMD_PORT:-6818}"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      skip "port $p is in use (another cluster? stop it, or set SLURM_LOCAL_CTLD_PORT/SLURM_LOCAL_SLURMD_PORT)"
    fi
  done
  rm -rf "$dir/state" "$dir/spool"
  mkdir -p "$dir/munge" "$dir/state" "$dir/spool" "$dir/log" "$dir/run"
  chmod 755 "$dir/munge"
  local sock="$dir/munge/munge.socket"
  [ "${#sock}" -lt 100 ] || skip "DIR $dir is too long for munge's socket path"

  # munged: our own key, socket, pid, log and seed files, so the machine's munge (if any) is not touched.
  if [ ! -s "$dir/munge/munge.key" ]; then
    (umask 077; dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none)
  fi
  chmod 400 "$dir/munge/munge.key"
  "${sudo_cmd[@]}" /usr/sbin/munged --force --key-file="$dir/munge/munge.key" --socket="$sock" \
    --pid-file="$dir/run/munged.pid" --log-file="$dir/log/munged.log" --seed-file="$dir/munge/munge.seed" \
    >>"$dir/log/munged.log" 2>&1 || skip "munged did not start (see $dir/log/munged.log)"

  # The node as slurmd sees it (sockets, cores, threads, memory); fall back to nproc and /proc/meminfo.
  local hw cpus mem
  hw=$(/usr/sbin/slurmd -C 2>/dev/null | head -n1 | sed -n 's/^NodeName=[^ ]* \(.*\)$/\1/p' | sed 's/ *UpTime=.*//')
  cpus=$(nproc)
  mem=$(awk '/^MemTotal:/ {print int($2/1024)}' /proc/meminfo)
  [ -n "$hw" ] || hw="CPUs=$cpus RealMemory=$mem"
  # Leave a little memory unclaimed so the node is never drained for "low RealMemory".
  hw=$(echo "$hw" | awk '{for (i = 1; i <= NF; i++) if ($i ~ /^RealMemory=/) { split($i, a, "="); $i = "RealMemory=" int(a[2] * 0.95) } print}')

  cat >"$conf" <<EOF
# Written by scripts/slurm_local.sh for a throwaway single-node test cluster in $dir.
ClusterName=vaescope-local
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=${SLURM_LOCAL_CTLD_PORT:-6817}
SlurmdPort=${SLURM_LOCAL_SLURMD_PORT:-6818}
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$sock,cred_expire=${SLURM_LOCAL_CRED_EXPIRE:-10}
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/run/slurmctld.pid
SlurmdPidFile=$dir/run/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
MailProg=/bin/true
SwitchType=switch/none
SchedulerType=sched/backfill
# Look at pending jobs every 2 s (default 60 s, backfill 30 s), so a requeued job starts soon after it is eligible.
SchedulerParameters=sched_interval=2,bf_interval=2
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
PropagateResourceLimits=NONE
ReturnToService=2
JobRequeue=1
MaxArraySize=${SLURM_LOCAL_MAX_ARRAY:-1001}
# Finished jobs stay visible to squeue/scontrol for 300 s (there is no accounting, so no sacct).
MinJobAge=300
SlurmdTimeout=60
InactiveLimit=0
KillWait=5
NodeName=$node NodeAddr=127.0.0.1 NodeHostname=$node $hw State=UNKNOWN
PartitionName=debug Nodes=$node Default=YES MaxTime=INFINITE State=UP OverSubscribe=NO
EOF

  "${sudo_cmd[@]}" env SLURM_CONF="$conf" /usr/sbin/slurmctld -c -f "$conf" >>"$dir/log/slurmctld.log" 2>&1 \
    || { do_stop; skip "slurmctld did not start (see $dir/log/slurmctld.log)"; }
  "${sudo_cmd[@]}" env SLURM_CONF="$conf" /usr/sbin/slurmd -f "$conf" -N "$node" >>"$dir/log/slurmd.log" 2>&1 \
    || { do_stop; skip "slurmd did not start (see $dir/log/slurmd.log)"; }

  local deadline=$((SECONDS + ${SLURM_LOCAL_TIMEOUT:-60})) state=""
  while [ "$SECONDS" -lt "$deadline" ]; do
    state=$(node_state)
    case "$state" in idle|mix|mixed|alloc|allocated) break ;; esac
    sleep 0.5
  done
  case "$state" in
    idle|mix|mixed|alloc|allocated) ;;
    *) do_stop; skip "node $node not idle after ${SLURM_LOCAL_TIMEOUT:-60} s (state '${state:-none}'; logs in $dir/log)" ;;
  esac
  echo "export SLURM_CONF=$conf"
}

case "$cmd" in
  start) do_start ;;
  stop) do_stop ;;
  status)
    [ -f "$conf" ] || { echo "slurm_local: no cluster in $dir" >&2; exit 1; }
    timeout 10 sinfo 2>/dev/null || { echo "slurm_local: the cluster in $dir does not answer" >&2; exit 1; } ;;
  *) usage ;;
esac
