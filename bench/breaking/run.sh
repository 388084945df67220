#!/usr/bin/env bash
# run.sh: time `meshc breaking` on the synthetic workspace of bench/check
# (10,000 records, 2,000 products) against a changed copy of it, next to
# `meshc check` of the same changed workspace in the same run, and with the
# baseline read from git (`--against git:HEAD`).
#
# usage: bench/breaking/run.sh [MESHC]      (default MESHC: build/meshc in the repo)
#
# Environment (all optional):
#   BENCH_FILES=1000 BENCH_RECORDS=10000 BENCH_PRODUCTS=2000 BENCH_SEED=1
#                          workspace shape, passed to bench/check/gen_workspace.py
#   BENCH_RATE=0.04        change rate, passed to mutate_workspace.py
#   BENCH_RUNS=5           timed runs per command (after BENCH_WARMUP=1 warm-up)
#   BENCH_TIMER=auto       auto (hyperfine if installed) | hyperfine | date
#   BENCH_MAX_SECONDS=     if set, exit 1 when breaking's median exceeds it
#
# Exit status: 0 done; 1 a command failed or the median exceeded
# BENCH_MAX_SECONDS; 2 bad usage or environment.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
gen="$repo/bench/check/gen_workspace.py"
mutate="$here/mutate_workspace.py"

files="${BENCH_FILES:-1000}"
records="${BENCH_RECORDS:-10000}"
products="${BENCH_PRODUCTS:-2000}"
seed="${BENCH_SEED:-1}"
rate="${BENCH_RATE:-0.04}"
runs="${BENCH_RUNS:-5}"
warmup="${BENCH_WARMUP:-1}"
timer="${BENCH_TIMER:-auto}"
max_seconds="${BENCH_MAX_SECONDS:-}"

die() { echo "run.sh: $*" >&2; exit 2; }

case "${1:-}" in
  -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
esac
[ $# -le 1 ] || die "usage: bench/breaking/run.sh [MESHC]"
meshc="${1:-build/meshc}"
case "$meshc" in
  /*) ;;
  */*) if [ -e "$PWD/$meshc" ]; then meshc="$PWD/$meshc"; else meshc="$repo/$meshc"; fi ;;
  *) meshc="$(command -v "$meshc" || echo "$repo/$meshc")" ;;
esac
[ -x "$meshc" ] || die "no executable meshc at $meshc (build it first, or pass its path)"
command -v python3 >/dev/null || die "python3 is needed to generate the workspace"
command -v git >/dev/null || die "git is needed for the git:HEAD row"
for v in "$files" "$records" "$products" "$seed" "$runs" "$warmup"; do
  [[ "$v" =~ ^[0-9]+$ ]] || die "BENCH_* values must be non-negative integers (got '$v')"
done
[ "$runs" -ge 1 ] || die "BENCH_RUNS must be at least 1"
if [ "$timer" = auto ]; then
  if command -v hyperfine >/dev/null; then timer=hyperfine; else timer=date; fi
fi
case "$timer" in
  hyperfine) command -v hyperfine >/dev/null || die "BENCH_TIMER=hyperfine but hyperfine is not installed" ;;
  date) ;;
  *) die "BENCH_TIMER must be auto, hyperfine or date" ;;
esac

tmp="$(mktemp -d "${TMPDIR:-/tmp}/meshc-bench-breaking.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

# ---------------------------------------------------------------- workspaces

python3 "$gen" --files "$files" --records "$records" --products "$products" --seed "$seed" --out "$tmp/base" >&2
python3 "$mutate" "$tmp/base" "$tmp/changed" --seed "$seed" --rate "$rate" 2>"$tmp/mutate.log"
cat "$tmp/mutate.log" >&2

# A git repository whose HEAD is the base and whose work tree is the changed copy.
mkdir -p "$tmp/repo"
cp -r "$tmp/base" "$tmp/repo/contracts"
git -C "$tmp/repo" init -q
git -C "$tmp/repo" add -A
git -C "$tmp/repo" -c user.name=bench -c user.email=bench@example.com commit -q -m base
rm -rf "$tmp/repo/contracts"
cp -r "$tmp/changed" "$tmp/repo/contracts"

q() { printf '%q' "$1"; }
check_cmd="$(q "$meshc") check $(q "$tmp/changed")"
breaking_cmd="$(q "$meshc") breaking $(q "$tmp/changed") --against $(q "$tmp/base")"
git_cmd="cd $(q "$tmp/repo") && $(q "$meshc") breaking contracts --against git:HEAD"

# Checked runs first: check must pass, breaking must find (exit 1), not fail (2).
bash -c "$check_cmd" >"$tmp/check.out" 2>&1 || { echo "run.sh: meshc check failed on the changed workspace:" >&2; head -n 20 "$tmp/check.out" >&2; exit 1; }
set +e
bash -c "$(q "$meshc") breaking --format json $(q "$tmp/changed") --against $(q "$tmp/base")" >"$tmp/findings.json" 2>"$tmp/breaking.err"
rc=$?
bash -c "$git_cmd --format json" >"$tmp/findings-git.json" 2>"$tmp/git.err"
rc_git=$?
set -e
[ "$rc" -le 1 ] || { echo "run.sh: meshc breaking failed (exit $rc):" >&2; head -n 20 "$tmp/breaking.err" >&2; exit 1; }
[ "$rc_git" -le 1 ] || { echo "run.sh: meshc breaking --against git:HEAD failed (exit $rc_git):" >&2; head -n 20 "$tmp/git.err" >&2; exit 1; }
findings="$(python3 - "$tmp/findings.json" <<'PY'
import collections, json, sys
c = collections.Counter(json.loads(l)["severity"] for l in open(sys.argv[1]))
print(f"{sum(c.values())} findings: {c['error']} errors, {c['warning']} warnings, {c['note']} notes")
PY
)"
same_git="$(python3 - "$tmp/findings.json" "$tmp/findings-git.json" <<'PY'
import json, sys
key = lambda d: (d["code"], d["severity"], d["line"], d["column"], d["message"])
a = sorted(key(json.loads(l)) for l in open(sys.argv[1]))
b = sorted(key(json.loads(l)) for l in open(sys.argv[2]))
print("same findings" if a == b else "DIFFERENT findings")
PY
)"

# ---------------------------------------------------------------- timing

# measure NAME CMD: warm-up, then $runs timed runs of the shell command CMD
# (exit 0 or 1 allowed: breaking exits 1 when it finds breaking changes);
# appends "NAME MEDIAN MIN" to $tmp/times.
measure() {
  local name="$1" cmd="$2" i t0 t1
  cmd="$cmd >/dev/null 2>&1; test \$? -le 1"
  if [ "$timer" = hyperfine ]; then
    hyperfine --style none --warmup "$warmup" --runs "$runs" \
      --export-json "$tmp/$name.json" "$cmd" >/dev/null 2>"$tmp/$name.err" || return 1
    python3 - "$tmp/$name.json" "$name" >>"$tmp/times" <<'PY'
import json, statistics, sys
times = json.load(open(sys.argv[1]))["results"][0]["times"]
print(sys.argv[2], "%.6f" % statistics.median(times), "%.6f" % min(times))
PY
  else
    for ((i = 0; i < warmup; i++)); do bash -c "$cmd" || return 1; done
    : >"$tmp/$name.samples"
    for ((i = 0; i < runs; i++)); do
      t0="$(date +%s.%N)"
      bash -c "$cmd" || return 1
      t1="$(date +%s.%N)"
      echo "$t0 $t1" | awk '{printf "%.6f\n", $2 - $1}' >>"$tmp/$name.samples"
    done
    sort -g "$tmp/$name.samples" | awk -v name="$name" '
      { v[NR] = $1 }
      END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
            printf "%s %.6f %.6f\n", name, m, v[1] }' >>"$tmp/times"
  fi
}

measure check "$check_cmd" || { echo "run.sh: meshc check failed during the timed runs" >&2; exit 1; }
measure breaking "$breaking_cmd" || { echo "run.sh: meshc breaking failed during the timed runs" >&2; exit 1; }
measure git "$git_cmd" || { echo "run.sh: meshc breaking --against git:HEAD failed during the timed runs" >&2; exit 1; }

# ---------------------------------------------------------------- report

row() { awk -v label="$1" -v name="$2" '$1 == name { printf "| %s | %.3f | %.3f |\n", label, $2, $3 }' "$tmp/times"; }
if [ "$timer" = hyperfine ]; then timer_desc="hyperfine $(hyperfine --version | awk '{print $2}')"; else timer_desc="bash date +%s.%N"; fi
breaking_median="$(awk '$1 == "breaking" {print $2}' "$tmp/times")"
check_median="$(awk '$1 == "check" {print $2}' "$tmp/times")"

echo
echo "## meshc breaking benchmark"
echo
echo "- machine: $(nproc) cores, $(uname -sm), load average $(cut -d' ' -f1-3 /proc/loadavg) at the end"
echo "- meshc: $meshc"
echo "- workspace: $files files, $records records, $products products, seed $seed; $(sed 's/^mutate_workspace: //' "$tmp/mutate.log")"
echo "- breaking: $findings (git:HEAD baseline: $same_git)"
echo "- timing: $timer_desc, $warmup warm-up + $runs runs per command"
echo
echo "| command | median (s) | min (s) |"
echo "|---|---:|---:|"
row "\`meshc check\` (changed workspace)" check
row "\`meshc breaking\` changed \`--against\` base directory" breaking
row "\`meshc breaking\` \`--against git:HEAD\` (same change)" git
echo
verdict="$(awk -v m="$breaking_median" 'BEGIN { print (m < 2.0) ? "met" : "NOT met" }')"
ratio="$(awk -v b="$breaking_median" -v c="$check_median" 'BEGIN { printf "%.2f", (c > 0 ? b / c : 0) }')"
# shellcheck disable=SC2016 # backquotes are Markdown
printf 'target: `meshc breaking` median under 2 s: %s (%.3f s, %sx `meshc check`)\n' "$verdict" "$breaking_median" "$ratio"

if [ -n "$max_seconds" ] && awk -v m="$breaking_median" -v x="$max_seconds" 'BEGIN { exit !(m > x) }'; then
  echo "run.sh: median ${breaking_median} s exceeds BENCH_MAX_SECONDS=$max_seconds" >&2
  exit 1
fi
