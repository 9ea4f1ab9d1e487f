# Sourced by the experiment scripts (long2019.sh, prokhorov2019.sh): `experiment_bin EXPDIR` builds the release
# binary and copies it to EXPDIR/bin/vaescope (with the commit in EXPDIR/bin/COMMIT) unless a copy is there, so that
# rebuilding the work tree never touches a running experiment; sets `bin` to the copy.
experiment_bin() {
  mkdir -p "$1/bin"
  if [ ! -x "$1/bin/vaescope" ]; then
    swift build -c release -q
    cp "$(swift build -c release --show-bin-path)/vaescope" "$1/bin/vaescope"
    git rev-parse HEAD > "$1/bin/COMMIT"
  fi
  bin="$1/bin/vaescope"
}
