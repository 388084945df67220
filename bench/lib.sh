# shellcheck shell=bash
# bench/lib.sh: the prologue the bench/*/run.sh scripts share. Sourced, not
# run: `source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"`.
#
# Sets `here` (the sourcing script's directory) and `repo` (the repository
# root), turns on `set -euo pipefail`, and defines:
#   die MSG...                 "run.sh: MSG" on stderr, exit 2 (bad usage or environment)
#   bench_help_or_usage USAGE ARGS...
#                              -h/--help prints the script's header comment and
#                              exits 0; more than one argument dies with USAGE
#   bench_meshc [MESHC]        prints MESHC (default build/meshc) made absolute:
#                              relative to the current directory if it exists
#                              there, else to the repo root; a bare name is looked
#                              up on PATH. Dies unless it is executable.
#   bench_workspace_knobs      sets files records products seed (the workspace
#                              shape for bench/check/gen_workspace.py, from
#                              BENCH_FILES=1000 BENCH_RECORDS=10000
#                              BENCH_PRODUCTS=2000 BENCH_SEED=1), runs
#                              (BENCH_RUNS=5, at least 1) and max_seconds
#                              (BENCH_MAX_SECONDS, empty when unset)
#   bench_counts VALUE...      dies unless every VALUE is a non-negative integer
#                              (the BENCH_* knobs)
#   bench_timer TIMER          prints hyperfine or date for auto|hyperfine|date
#   bench_timer_desc TIMER     how the timer is described in a report
#   bench_measure NAME CMD TMP TIMER WARMUP RUNS
#                              times the shell command CMD (WARMUP warm-ups,
#                              then RUNS runs) and appends "NAME MEDIAN MIN"
#                              (seconds) to TMP/times; non-zero if a run fails
#   bench_median NAME TMP      the median bench_measure wrote for NAME
#   bench_verdict MEDIAN       "met" under 2 s (the targets of check and
#                              breaking), else "NOT met"
#   bench_max_seconds MEDIAN MAX
#                              exits 1 if MAX (BENCH_MAX_SECONDS) is set and
#                              MEDIAN exceeds it
set -euo pipefail

# shellcheck disable=SC2034 # used by the sourcing script
here="$(cd "$(dirname "${BASH_SOURCE[1]}")" && pwd)"
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

die() {
  echo "run.sh: $*" >&2
  exit 2
}

bench_help_or_usage() {
  local usage="$1"
  shift
  case "${1:-}" in
    -h | --help)
      awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"
      exit 0
      ;;
  esac
  [ $# -le 1 ] || die "$usage"
}

bench_meshc() {
  local meshc="${1:-build/meshc}"
  case "$meshc" in
    /*) ;;
    */*) if [ -e "$PWD/$meshc" ]; then meshc="$PWD/$meshc"; else meshc="$repo/$meshc"; fi ;;
    *) meshc="$(command -v "$meshc" || echo "$repo/$meshc")" ;;
  esac
  [ -x "$meshc" ] || die "no executable meshc at $meshc (build it first, or pass its path)"
  echo "$meshc"
}

bench_counts() {
  local v
  for v in "$@"; do
    [[ "$v" =~ ^[0-9]+$ ]] || die "BENCH_* values must be non-negative integers (got '$v')"
  done
}

# shellcheck disable=SC2034 # the knobs are the sourcing script's variables
bench_workspace_knobs() {
  files="${BENCH_FILES:-1000}"
  records="${BENCH_RECORDS:-10000}"
  products="${BENCH_PRODUCTS:-2000}"
  seed="${BENCH_SEED:-1}"
  runs="${BENCH_RUNS:-5}"
  max_seconds="${BENCH_MAX_SECONDS:-}"
  bench_counts "$files" "$records" "$products" "$seed" "$runs"
  [ "$runs" -ge 1 ] || die "BENCH_RUNS must be at least 1"
}

bench_timer() {
  local timer="$1"
  if [ "$timer" = auto ]; then
    if command -v hyperfine >/dev/null; then timer="hyperfine"; else timer="date"; fi
  fi
  case "$timer" in
    hyperfine) command -v hyperfine >/dev/null || die "BENCH_TIMER=hyperfine but hyperfine is not installed" ;;
    date) ;;
    *) die "BENCH_TIMER must be auto, hyperfine or date" ;;
  esac
  echo "$timer"
}

bench_timer_desc() {
  if [ "$1" = hyperfine ]; then
    echo "hyperfine $(hyperfine --version | awk '{print $2}')"
  else
    echo "bash date +%s.%N"
  fi
}

bench_measure() {
  local name="$1" cmd="$2" tmp="$3" timer="$4" warmup="$5" runs="$6" i t0 t1
  if [ "$timer" = hyperfine ]; then
    hyperfine --style none --warmup "$warmup" --runs "$runs" \
      --export-json "$tmp/$name.json" "$cmd" >/dev/null 2>"$tmp/$name.err" || return 1
    python3 - "$tmp/$name.json" "$name" >>"$tmp/times" <<'PY'
import json, statistics, sys
times = json.load(open(sys.argv[1]))["results"][0]["times"]
print(sys.argv[2], "%.6f" % statistics.median(times), "%.6f" % min(times))
PY
  else
    for ((i = 0; i < warmup; i++)); do
      bash -c "$cmd" >/dev/null 2>&1 || return 1
    done
    : >"$tmp/$name.samples"
    for ((i = 0; i < runs; i++)); do
      t0="$(date +%s.%N)"
      bash -c "$cmd" >/dev/null 2>&1 || return 1
      t1="$(date +%s.%N)"
      echo "$t0 $t1" | awk '{printf "%.6f\n", $2 - $1}' >>"$tmp/$name.samples"
    done
    sort -g "$tmp/$name.samples" | awk -v name="$name" '
      { v[NR] = $1 }
      END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
            printf "%s %.6f %.6f\n", name, m, v[1] }' >>"$tmp/times"
  fi
}

bench_median() { awk -v name="$1" '$1 == name {print $2}' "$2/times"; }

bench_verdict() { awk -v m="$1" 'BEGIN { print (m < 2.0) ? "met" : "NOT met" }'; }

bench_max_seconds() {
  if [ -n "$2" ] && awk -v m="$1" -v x="$2" 'BEGIN { exit !(m > x) }'; then
    echo "run.sh: median $1 s exceeds BENCH_MAX_SECONDS=$2" >&2
    exit 1
  fi
}
