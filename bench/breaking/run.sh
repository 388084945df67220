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
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
gen="$repo/bench/check/gen_workspace.py"
mutate="$here/mutate_workspace.py"

rate="${BENCH_RATE:-0.04}"
warmup="${BENCH_WARMUP:-1}"

bench_help_or_usage "usage: bench/breaking/run.sh [MESHC]" "$@"
meshc="$(bench_meshc "${1:-}")"
command -v python3 >/dev/null || die "python3 is needed to generate the workspace"
command -v git >/dev/null || die "git is needed for the git:HEAD row"
bench_workspace_knobs
bench_counts "$warmup"
timer="$(bench_timer "${BENCH_TIMER:-auto}")"

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

# measure NAME CMD: bench_measure of the shell command CMD, whose exit 0 or
# 1 both count as success (breaking exits 1 when it finds breaking changes).
measure() { bench_measure "$1" "$2 >/dev/null 2>&1; test \$? -le 1" "$tmp" "$timer" "$warmup" "$runs"; }

measure check "$check_cmd" || { echo "run.sh: meshc check failed during the timed runs" >&2; exit 1; }
measure breaking "$breaking_cmd" || { echo "run.sh: meshc breaking failed during the timed runs" >&2; exit 1; }
measure git "$git_cmd" || { echo "run.sh: meshc breaking --against git:HEAD failed during the timed runs" >&2; exit 1; }

# ---------------------------------------------------------------- report

row() { awk -v label="$1" -v name="$2" '$1 == name { printf "| %s | %.3f | %.3f |\n", label, $2, $3 }' "$tmp/times"; }
timer_desc="$(bench_timer_desc "$timer")"
breaking_median="$(bench_median breaking "$tmp")"
check_median="$(bench_median check "$tmp")"

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
verdict="$(bench_verdict "$breaking_median")"
ratio="$(awk -v b="$breaking_median" -v c="$check_median" 'BEGIN { printf "%.2f", (c > 0 ? b / c : 0) }')"
# shellcheck disable=SC2016 # backquotes are Markdown
printf 'target: `meshc breaking` median under 2 s: %s (%.3f s, %sx `meshc check`)\n' "$verdict" "$breaking_median" "$ratio"

bench_max_seconds "$breaking_median" "$max_seconds"
