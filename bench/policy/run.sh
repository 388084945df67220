#!/usr/bin/env bash
# run.sh: time `meshc check` on the 10,000-record synthetic workspace with the
# standard policies (std.policy.baseline and std.policy.gdpr, imported by the
# workspace's platform package, which adds five policies of its own) against
# the same contracts with no policy at all, in one run on this machine.
#
# usage: bench/policy/run.sh [MESHC]      (default MESHC: build/meshc in the repo)
#
# Environment (all optional):
#   BENCH_FILES=1000 BENCH_RECORDS=10000 BENCH_PRODUCTS=2000 BENCH_SEED=1
#                          workspace shape, passed to bench/check/gen_workspace.py
#   BENCH_RUNS=5           timed runs per workspace (after one warm-up each),
#                          interleaved so both see the same machine load
#   BENCH_MAX_SECONDS=     if set, exit 1 when the median with policies exceeds it
#   MESHC_ARGS=            extra arguments for `meshc check` (e.g. "-j 2")
#
# Exit status: 0 done; 1 a workspace did not check cleanly (its first 20
# lines are shown) or the median exceeded BENCH_MAX_SECONDS; 2 bad usage.
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
gen="$repo/bench/check/gen_workspace.py"

read -r -a meshc_args <<<"${MESHC_ARGS:-}"

bench_help_or_usage "usage: bench/policy/run.sh [MESHC]" "$@"
meshc="$(bench_meshc "${1:-}")"
bench_workspace_knobs

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
for mode in std none; do
  /usr/bin/python3 "$gen" --files "$files" --records "$records" --products "$products" --seed "$seed" \
    --policies "$mode" --out "$work/$mode" >/dev/null
done

# Both must check with no diagnostic at all: a policy that fails or a
# waived note would time something else.
export MESH_TODAY="${MESH_TODAY:-2026-11-25}"
for mode in std none; do
  if ! "$meshc" check "${meshc_args[@]}" "$work/$mode" >"$work/$mode.out" 2>&1 || [ -s "$work/$mode.out" ]; then
    echo "run.sh: meshc check on the '$mode' workspace is not clean:" >&2
    head -20 "$work/$mode.out" >&2
    exit 1
  fi
done

now() { date +%s.%N; }
: >"$work/std.times"
: >"$work/none.times"
for mode in std none; do "$meshc" check "${meshc_args[@]}" "$work/$mode" >/dev/null 2>&1; done  # warm-up
for _ in $(seq "$runs"); do
  for mode in none std; do
    start="$(now)"
    "$meshc" check "${meshc_args[@]}" "$work/$mode" >/dev/null 2>&1
    end="$(now)"
    echo "$start $end" | awk '{ printf "%.4f\n", $2 - $1 }' >>"$work/$mode.times"
  done
done
# The policy phase alone, as meshc measures it (--stats).
phase="$("$meshc" check "${meshc_args[@]}" --stats "$work/std" 2>&1 | sed -n 's/.*policies \([0-9.]*\) ms.*/\1/p')"
policies="$(grep -c '^policy ' "$repo/stdlib/std/policy/baseline.mesh" "$repo/stdlib/std/policy/gdpr.mesh" \
  "$work/std/platform/gov/policies.mesh" | awk -F: '{ n += $2 } END { print n }')"

/usr/bin/python3 - "$work" "$phase" "$policies" "$max_seconds" "$records" "$products" <<'PY'
import statistics, sys
work, phase, policies, max_seconds, records, products = sys.argv[1:7]
t = {m: [float(x) for x in open(f"{work}/{m}.times")] for m in ("none", "std")}
med = {m: statistics.median(v) for m, v in t.items()}
print(f"`meshc check`, {records} records, {products} products, median of {len(t['std'])} interleaved runs\n")
print("| workspace | policies | median (s) | min (s) |")
print("|---|---:|---:|---:|")
print(f"| no policy | 0 | {med['none']:.3f} | {min(t['none']):.3f} |")
print(f"| std.policy.baseline + std.policy.gdpr + platform.gov | {policies} | {med['std']:.3f} | {min(t['std']):.3f} |")
print(f"\npolicies cost {med['std'] - med['none']:+.3f} s of median wall time; "
      f"the policy phase alone (--stats): {phase} ms")
target = 2.0
print(f"target: `meshc check` with the standard policies under {target:.0f} s: "
      + ("met" if med["std"] < target else "NOT met") + f" ({med['std']:.3f} s)")
if max_seconds and med["std"] > float(max_seconds):
    print(f"run.sh: median {med['std']:.3f} s is above BENCH_MAX_SECONDS={max_seconds}", file=sys.stderr)
    sys.exit(1)
PY
