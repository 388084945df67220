#!/usr/bin/env bash
# run.sh: time `meshc check` on generated workspaces of several sizes, cold
# (no cache of results) at -j 1 and on every core, warm (nothing changed:
# the cache of results, docs/cache.md) and after one edited file, and
# compare it with reading the same files (`cat`) and with a peer compiler
# (`protoc` on the same records written as .proto), on this machine.
#
# usage: bench/check/run.sh [MESHC]      (default MESHC: build/meshc in the repo)
#
# Environment (all optional):
#   BENCH_SIZES="1000 10000 100000"
#                          records per workspace; each has records/10 files and
#                          records/5 products (the shape of the 10,000-record
#                          default of earlier versions)
#   BENCH_SEED=1           passed to gen_workspace.py
#   BENCH_RUNS=5           timed runs per command (after BENCH_WARMUP=1 warm-up)
#   BENCH_CACHE=1          keep the workspaces in bench/check/.cache and reuse
#                          them while the shape and the generator are unchanged;
#                          0: generate into a temporary directory, removed at exit
#   BENCH_TIMER=auto       auto (hyperfine if installed) | hyperfine | date
#   BENCH_MAX_SECONDS=     if set, exit 1 when meshc's cold median at 10,000
#                          records (or the largest size below it) exceeds it
#   MESHC_ARGS=            extra arguments for `meshc check`
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

sizes="${BENCH_SIZES:-1000 10000 100000}"
read -r -a size_list <<<"$sizes"
[ "${#size_list[@]}" -ge 1 ] || die "BENCH_SIZES names no size"
bench_counts "${size_list[@]}"
gen_hash="$(sha256sum "$gen" | cut -c1-16)"

# workspace KIND(mesh|proto) RECORDS: prints the directory holding that
# workspace, generating it unless a cached one has the same shape and
# generator.
workspace() {
  local kind="$1" n="$2" extra=() stamp dir staging gen_args
  gen_args=(--files "$((n / 10))" --records "$n" --products "$((n / 5))" --seed "$seed")
  [ "$kind" = proto ] && extra=(--proto)
  stamp="kind=$kind ${gen_args[*]} gen=$gen_hash"
  if [ "$use_cache" = 1 ]; then
    dir="$here/.cache/$kind-$n"
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
    dir="$tmp/$kind-$n"
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

# The file the "one file edited" rows append a comment to, restored at exit.
edited=""
restore() {
  [ -n "$edited" ] && [ -f "$tmp/edited.orig" ] && cp "$tmp/edited.orig" "$edited"
  rm -rf "$tmp"
}
trap restore EXIT

# measure_edit NAME FILE COMMAND: times COMMAND, FILE gaining a comment
# before each run, and restores FILE.
measure_edit() {
  edited="$2"
  cp "$edited" "$tmp/edited.orig"
  measure "$1" "printf '// edited %s\n' \"\$(date +%s%N)\" >> $(q "$edited") && $3" ||
    die "meshc check failed during the timed runs"
  cp "$tmp/edited.orig" "$edited"
  edited=""
}

# ---------------------------------------------------------------- one size

# bench_size RECORDS: every row of one workspace size into $tmp/times
# (names suffixed with the size), its shape into $tmp/shape-RECORDS.
bench_size() {
  local n="$1" ws ws_files ws_bytes base first cmd rc pws p_files p_bytes protoc_cmd
  ws="$(workspace mesh "$n")"
  ws_files="$(count_files "$ws" mesh)"
  ws_bytes="$(count_bytes "$ws" mesh)"
  base="env MESH_CACHE_DIR=$(q "$tmp/cache-$n") $(q "$meshc") check"
  for a in "${meshc_args[@]}"; do base+=" $(q "$a")"; done

  # One checked run first: it must succeed before anything is timed.
  set +e
  bash -c "$base --no-cache $(q "$ws")" >"$tmp/meshc.out" 2>&1
  rc=$?
  set -e
  if [ "$rc" -ne 0 ]; then
    echo "run.sh: \`meshc check\` failed with exit code $rc on $ws; its first 20 lines:" >&2
    head -n 20 "$tmp/meshc.out" >&2
    exit 1
  fi
  echo "$ws_files $ws_bytes $(wc -l <"$tmp/meshc.out" | tr -d ' ')" >"$tmp/shape-$n"

  measure "cold1-$n" "$base -j 1 --no-cache $(q "$ws")" || die "meshc check failed during the timed runs"
  measure "cold-$n" "$base --no-cache $(q "$ws")" || die "meshc check failed during the timed runs"
  # The first run on an empty cache: it keeps the result and every tree.
  first="rm -rf $(q "$tmp/first-$n") && env MESH_CACHE_DIR=$(q "$tmp/first-$n") $(q "$meshc") check"
  for a in "${meshc_args[@]}"; do first+=" $(q "$a")"; done
  measure "first-$n" "$first $(q "$ws")" || die "meshc check failed during the timed runs"
  measure "warm-$n" "$base $(q "$ws")" || die "meshc check failed during the timed runs"
  # A file gains a comment before each run: the first file (a domain's
  # meta package, which most packages see), then a file of the last data
  # package (which no other package imports).
  measure_edit "edit-$n" "$(find "$ws" -type f -name '*.mesh' | sort | sed -n 1p)" "$base $(q "$ws")"
  measure_edit "leaf-$n" "$(find "$ws" -path '*/p*/part_*.mesh' | sed 's|.*/p\([0-9]*\)/.*|\1 &|' | sort -n |
    tail -n 1 | cut -d' ' -f2-)" "$base $(q "$ws")"
  measure "cat-$n" "find $(q "$ws") -type f -name '*.mesh' -print0 | xargs -0 cat >/dev/null" ||
    die "reading the workspace with cat failed"

  if command -v "$protoc" >/dev/null; then
    pws="$(workspace proto "$n")"
    p_files="$(count_files "$pws" proto)"
    p_bytes="$(count_bytes "$pws" proto)"
    protoc_cmd="$(q "$protoc") -I $(q "$pws") --descriptor_set_out=/dev/null"
    while IFS= read -r f; do protoc_cmd+=" $(q "$f")"; done < <(find "$pws" -type f -name '*.proto' | sort)
    if bash -c "$protoc_cmd" >"$tmp/protoc.out" 2>&1 && measure "protoc-$n" "$protoc_cmd"; then
      echo "$p_files $p_bytes" >"$tmp/pshape-$n"
    else
      echo "run.sh: protoc failed on $pws (not counted); first lines:" >&2
      head -n 5 "$tmp/protoc.out" >&2
    fi
  fi
}

for n in "${size_list[@]}"; do bench_size "$n"; done

# ---------------------------------------------------------------- report

median() { awk -v name="$1" '$1 == name { print $2 }' "$tmp/times"; }

row() { # row LABEL NAME FILES BYTES
  awk -v label="$1" -v name="$2" -v files="$3" -v bytes="$4" '
    $1 == name {
      mb = bytes / 1e6
      printf "| %s | %d | %.2f | %.3f | %.3f | %.1f |\n", label, files, mb, $2, $3, ($2 > 0 ? mb / $2 : 0)
    }' "$tmp/times"
}

echo
echo "## meshc check benchmark"
echo
echo "- machine: $(nproc) cores, $(uname -sm)"
echo "- meshc: $meshc"
echo "- workspaces: $sizes records (records/10 files, records/5 products), seed $seed"
echo "- timing: $(bench_timer_desc "$timer"), $warmup warm-up + $runs runs per command; MB = 10^6 bytes"
echo "- cold: \`--no-cache\`; empty cache: the first run, which fills the cache (docs/cache.md);"
echo "  nothing changed: the cache holds this run's result; one file edited: a comment appended"
echo "  to one file before each run (the result misses, the other files' trees are read back,"
echo "  the packages that can see the file are checked again)"
for n in "${size_list[@]}"; do
  read -r ws_files ws_bytes out_lines <"$tmp/shape-$n"
  echo
  echo "### $n records"
  echo
  echo "| command | files | MB | median (s) | min (s) | MB/s (median) |"
  echo "|---|---:|---:|---:|---:|---:|"
  row "\`meshc check -j 1\`, cold" "cold1-$n" "$ws_files" "$ws_bytes"
  row "\`meshc check\`, cold ($(nproc) cores)" "cold-$n" "$ws_files" "$ws_bytes"
  row "\`meshc check\`, empty cache (keeps the result and every tree)" "first-$n" "$ws_files" "$ws_bytes"
  row "\`meshc check\`, nothing changed" "warm-$n" "$ws_files" "$ws_bytes"
  row "\`meshc check\`, one file edited (most packages see it)" "edit-$n" "$ws_files" "$ws_bytes"
  row "\`meshc check\`, one file edited (no other package sees it)" "leaf-$n" "$ws_files" "$ws_bytes"
  row "\`cat\` (read the same files)" "cat-$n" "$ws_files" "$ws_bytes"
  if [ -f "$tmp/pshape-$n" ]; then
    read -r p_files p_bytes <"$tmp/pshape-$n"
    row "\`protoc --descriptor_set_out=/dev/null\` (same records as .proto)" "protoc-$n" "$p_files" "$p_bytes"
  else
    echo "| \`protoc\` (same records as .proto) | not installed or failed | | | | |"
  fi
  if [ "$out_lines" -gt 0 ]; then
    echo
    echo "note: \`meshc check\` exited 0 but printed $out_lines line(s) (warnings?)"
  fi
done
echo
for n in "${size_list[@]}"; do
  cold1="$(median "cold1-$n")" warm="$(median "warm-$n")" cold="$(median "cold-$n")" p="$(median "protoc-$n")"
  awk -v n="$n" -v c1="$cold1" -v c="$cold" -v w="$warm" -v p="$p" 'BEGIN {
    printf "%s records: cold -j 1 %.3f s", n, c1
    if (p != "") printf " = %.2f x protoc (%.3f s; goal at 10,000 records: at most 1.00)", c1 / p, p
    printf "; nothing changed %.3f s = %.1f%% of cold (goal at 10,000 records: under 10%%)\n", w, 100 * w / c
  }'
done

gate="$(median "cold-10000")"
[ -n "$gate" ] || gate="$(median "cold-${size_list[0]}")"
bench_max_seconds "$gate" "$max_seconds"
