#!/usr/bin/env bash
# run.sh: time `meshc check` on a generated workspace and compare it with
# reading the same files (`cat`) and with a peer compiler (`protoc` on the
# same records written as .proto), on this machine.
#
# usage: bench/check/run.sh [MESHC]      (default MESHC: build/meshc in the repo)
#
# Environment (all optional):
#   BENCH_FILES=1000 BENCH_RECORDS=10000 BENCH_PRODUCTS=2000 BENCH_SEED=1
#                          workspace shape, passed to gen_workspace.py
#   BENCH_RUNS=5           timed runs per command (after BENCH_WARMUP=1 warm-up)
#   BENCH_CACHE=1          keep the workspaces in bench/check/.cache and reuse
#                          them while the shape and the generator are unchanged;
#                          0: generate into a temporary directory, removed at exit
#   BENCH_TIMER=auto       auto (hyperfine if installed) | hyperfine | date
#   BENCH_MAX_SECONDS=     if set, exit 1 when meshc's median exceeds it
#   MESHC_ARGS=            extra arguments for `meshc check` (e.g. "-j 2")
#   PROTOC=protoc          the peer compiler to time (skipped if not found)
#
# Exit status: 0 done; 1 `meshc check` failed (its first 20 lines are shown)
# or the median exceeded BENCH_MAX_SECONDS; 2 bad usage or environment.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
gen="$here/gen_workspace.py"

files="${BENCH_FILES:-1000}"
records="${BENCH_RECORDS:-10000}"
products="${BENCH_PRODUCTS:-2000}"
seed="${BENCH_SEED:-1}"
runs="${BENCH_RUNS:-5}"
warmup="${BENCH_WARMUP:-1}"
use_cache="${BENCH_CACHE:-1}"
timer="${BENCH_TIMER:-auto}"
max_seconds="${BENCH_MAX_SECONDS:-}"
protoc="${PROTOC:-protoc}"
read -r -a meshc_args <<<"${MESHC_ARGS:-}"

die() { echo "run.sh: $*" >&2; exit 2; }

case "${1:-}" in
  -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
esac
[ $# -le 1 ] || die "usage: bench/check/run.sh [MESHC]"

# Resolve MESHC: absolute; relative to the current directory if it exists
# there, else to the repo root; a bare name is looked up on PATH.
meshc="${1:-build/meshc}"
case "$meshc" in
  /*) ;;
  */*) if [ -e "$PWD/$meshc" ]; then meshc="$PWD/$meshc"; else meshc="$repo/$meshc"; fi ;;
  *) meshc="$(command -v "$meshc" || echo "$repo/$meshc")" ;;
esac
[ -x "$meshc" ] || die "no executable meshc at $meshc (build it first, or pass its path)"
command -v python3 >/dev/null || die "python3 is needed to generate the workspace"
for v in "$files" "$records" "$products" "$seed" "$runs" "$warmup"; do
  [[ "$v" =~ ^[0-9]+$ ]] || die "BENCH_* values must be non-negative integers (got '$v')"
done
[ "$runs" -ge 1 ] || die "BENCH_RUNS must be at least 1"

if [ "$timer" = auto ]; then
  if command -v hyperfine >/dev/null; then timer="hyperfine"; else timer="date"; fi
fi
case "$timer" in
  hyperfine) command -v hyperfine >/dev/null || die "BENCH_TIMER=hyperfine but hyperfine is not installed" ;;
  date) ;;
  *) die "BENCH_TIMER must be auto, hyperfine or date" ;;
esac

tmp="$(mktemp -d "${TMPDIR:-/tmp}/meshc-bench.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

# ---------------------------------------------------------------- workspaces

gen_args=(--files "$files" --records "$records" --products "$products" --seed "$seed")
gen_hash="$(sha256sum "$gen" | cut -c1-16)"

# workspace KIND(mesh|proto): prints the directory holding that workspace,
# generating it unless a cached one has the same shape and generator.
workspace() {
  local kind="$1" extra=() stamp dir staging
  [ "$kind" = proto ] && extra=(--proto)
  stamp="kind=$kind ${gen_args[*]} gen=$gen_hash"
  if [ "$use_cache" = 1 ]; then
    dir="$here/.cache/$kind"
    if [ -d "$dir" ] && [ "$(cat "$dir.stamp" 2>/dev/null)" = "$stamp" ]; then
      echo "$dir"; return
    fi
    mkdir -p "$here/.cache"
    staging="$(mktemp -d "$here/.cache/.new-$kind.XXXXXX")"
    python3 "$gen" "${gen_args[@]}" "${extra[@]}" --force --out "$staging" >&2
    rm -rf "$dir" "$dir.stamp"
    chmod 755 "$staging"
    mv "$staging" "$dir"
    echo "$stamp" >"$dir.stamp"
    echo "$dir"
  else
    dir="$tmp/$kind"
    python3 "$gen" "${gen_args[@]}" "${extra[@]}" --out "$dir" >&2
    echo "$dir"
  fi
}

# count_files DIR EXT / count_bytes DIR EXT
count_files() { find "$1" -type f -name "*.$2" | wc -l | tr -d ' '; }
count_bytes() { find "$1" -type f -name "*.$2" -printf '%s\n' | awk '{s += $1} END {print s + 0}'; }

# ---------------------------------------------------------------- timing

# measure NAME CMD: runs the shell command CMD (warm-up, then $runs times)
# and appends "NAME MEDIAN MIN" (seconds) to $tmp/times. Returns non-zero if
# a run of CMD fails.
measure() {
  local name="$1" cmd="$2" i t0 t1
  if [ "$timer" = hyperfine ]; then
    hyperfine --style none --warmup "$warmup" --runs "$runs" \
      --export-json "$tmp/$name.json" "$cmd" >/dev/null 2>"$tmp/$name.err" || return 1
    python3 - "$tmp/$name.json" "$name" >>"$tmp/times" <<'EOF'
import json, statistics, sys
times = json.load(open(sys.argv[1]))["results"][0]["times"]
print(sys.argv[2], "%.6f" % statistics.median(times), "%.6f" % min(times))
EOF
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

q() { printf '%q' "$1"; }

# ---------------------------------------------------------------- meshc

ws="$(workspace mesh)"
ws_files="$(count_files "$ws" mesh)"
ws_bytes="$(count_bytes "$ws" mesh)"

meshc_cmd="$(q "$meshc") check"
for a in "${meshc_args[@]}"; do meshc_cmd+=" $(q "$a")"; done
meshc_cmd+=" $(q "$ws")"

# One checked run first: it must succeed before anything is timed.
set +e
bash -c "$meshc_cmd" >"$tmp/meshc.out" 2>&1
rc=$?
set -e
if [ "$rc" -ne 0 ]; then
  echo "run.sh: \`meshc check\` failed with exit code $rc on $ws; its first 20 lines:" >&2
  head -n 20 "$tmp/meshc.out" >&2
  exit 1
fi
out_lines="$(wc -l <"$tmp/meshc.out" | tr -d ' ')"

measure meshc "$meshc_cmd" || {
  echo "run.sh: \`meshc check\` failed during the timed runs" >&2
  exit 1
}

# ---------------------------------------------------------------- cat

measure cat "find $(q "$ws") -type f -name '*.mesh' -print0 | xargs -0 cat >/dev/null" ||
  die "reading the workspace with cat failed"

# ---------------------------------------------------------------- protoc

protoc_status="not installed"
if command -v "$protoc" >/dev/null; then
  pws="$(workspace proto)"
  p_files="$(count_files "$pws" proto)"
  p_bytes="$(count_bytes "$pws" proto)"
  protoc_cmd="$(q "$protoc") -I $(q "$pws") --descriptor_set_out=/dev/null"
  while IFS= read -r f; do protoc_cmd+=" $(q "$f")"; done < <(find "$pws" -type f -name '*.proto' | sort)
  if bash -c "$protoc_cmd" >"$tmp/protoc.out" 2>&1 && measure protoc "$protoc_cmd"; then
    protoc_status="ok"
  else
    protoc_status="failed"
    echo "run.sh: protoc failed on $pws (not counted); first lines:" >&2
    head -n 5 "$tmp/protoc.out" >&2
  fi
fi

# ---------------------------------------------------------------- report

row() { # row LABEL NAME FILES BYTES
  awk -v label="$1" -v name="$2" -v files="$3" -v bytes="$4" '
    $1 == name {
      mb = bytes / 1e6
      printf "| %s | %d | %.2f | %.3f | %.3f | %.1f |\n", label, files, mb, $2, $3, ($2 > 0 ? mb / $2 : 0)
    }' "$tmp/times"
}

if [ "$timer" = hyperfine ]; then
  timer_desc="hyperfine $(hyperfine --version | awk '{print $2}')"
else
  timer_desc="bash date +%s.%N"
fi
meshc_median="$(awk '$1 == "meshc" {print $2}' "$tmp/times")"

echo
echo "## meshc check benchmark"
echo
echo "- machine: $(nproc) cores, $(uname -sm)"
echo "- meshc: $meshc"
echo "- workspace: $ws_files files, $records records, $products products, seed $seed ($ws)"
echo "- timing: $timer_desc, $warmup warm-up + $runs runs per command; MB = 10^6 bytes"
echo
echo "| command | files | MB | median (s) | min (s) | MB/s (median) |"
echo "|---|---:|---:|---:|---:|---:|"
row "\`meshc check\`" meshc "$ws_files" "$ws_bytes"
row "\`cat\` (read the same files)" cat "$ws_files" "$ws_bytes"
case "$protoc_status" in
  ok) row "\`protoc --descriptor_set_out=/dev/null\` (same records as .proto)" protoc "$p_files" "$p_bytes" ;;
  *) echo "| \`protoc\` (same records as .proto) | $protoc_status | | | | |" ;;
esac
echo
if [ "$out_lines" -gt 0 ]; then
  echo "note: \`meshc check\` exited 0 but printed $out_lines line(s) (warnings?); first 5:"
  head -n 5 "$tmp/meshc.out" | sed 's/^/    /'
  echo
fi
verdict="$(awk -v m="$meshc_median" 'BEGIN { print (m < 2.0) ? "met" : "NOT met" }')"
# shellcheck disable=SC2016 # backquotes are Markdown
printf 'target: `meshc check` median under 2 s on a 2-core machine: %s (%.3f s)\n' "$verdict" "$meshc_median"

if [ -n "$max_seconds" ] && awk -v m="$meshc_median" -v x="$max_seconds" 'BEGIN { exit !(m > x) }'; then
  echo "run.sh: median ${meshc_median} s exceeds BENCH_MAX_SECONDS=$max_seconds" >&2
  exit 1
fi
