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
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
gen="$here/gen_workspace.py"

warmup="${BENCH_WARMUP:-1}"
use_cache="${BENCH_CACHE:-1}"
protoc="${PROTOC:-protoc}"
read -r -a meshc_args <<<"${MESHC_ARGS:-}"

bench_help_or_usage "usage: bench/check/run.sh [MESHC]" "$@"
meshc="$(bench_meshc "${1:-}")"
command -v python3 >/dev/null || die "python3 is needed to generate the workspace"
bench_workspace_knobs
bench_counts "$warmup"
timer="$(bench_timer "${BENCH_TIMER:-auto}")"

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

# measure NAME CMD: bench_measure of the shell command CMD.
measure() { bench_measure "$1" "$2" "$tmp" "$timer" "$warmup" "$runs"; }

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

timer_desc="$(bench_timer_desc "$timer")"
meshc_median="$(bench_median meshc "$tmp")"

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
verdict="$(bench_verdict "$meshc_median")"
# shellcheck disable=SC2016 # backquotes are Markdown
printf 'target: `meshc check` median under 2 s on a 2-core machine: %s (%.3f s)\n' "$verdict" "$meshc_median"

bench_max_seconds "$meshc_median" "$max_seconds"
