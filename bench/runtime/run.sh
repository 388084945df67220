#!/usr/bin/env bash
# run.sh: the runtime benchmark, one run on one broker: the generated typed
# producer against raw librdkafka producing the same bytes, and mesh-gate
# against a plain consume-and-produce passthrough of the same input topic,
# with the gate's peak RSS. Prints one markdown table.
# usage: bench/runtime/run.sh [EVENTS] (default 1000000)
# environment: BENCH_WORK=DIR (keep the corpus, builds and logs there),
#   MESHC=path/to/meshc, MESH_KAFKA_BOOTSTRAP=host:port (a broker of your own
#   instead of mesh-devkafka), BENCH_PARTITIONS (partitions of every topic, 32)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
usage="usage: bench/runtime/run.sh [EVENTS] (default 1000000)"
[ $# -le 1 ] || { echo "$usage" >&2; exit 2; }
n="${1:-1000000}"
[[ "$n" =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: EVENTS must be a positive whole number, not '$n'"$'\n'"$usage" >&2; exit 2; }
# Fewer events are over before a rate means anything (a batch is 500 events).
[ "$n" -ge 10000 ] || { echo "run.sh: EVENTS must be at least 10000, not $n" >&2; exit 2; }
partitions="${BENCH_PARTITIONS:-32}"
[[ "$partitions" =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: BENCH_PARTITIONS must be a positive whole number" >&2; exit 2; }
meshc="${MESHC:-$repo/build/meshc}"
devkafka="$repo/build/mesh-devkafka"
[ -x "$meshc" ] || { echo "run.sh: no meshc at '$meshc' (build the project or set MESHC)" >&2; exit 2; }
if [ -z "${MESH_KAFKA_BOOTSTRAP:-}" ] && [ ! -x "$devkafka" ]; then
  echo "run.sh: no mesh-devkafka at '$devkafka' (build the project or set MESH_KAFKA_BOOTSTRAP)" >&2; exit 2
fi
for tool in python3 cmake ninja taskset awk; do
  command -v "$tool" > /dev/null || { echo "run.sh: '$tool' is not installed" >&2; exit 2; }
done
# Two cores: the measured client on core 0, the broker (and the watcher,
# which only reads committed offsets every 20 ms) on core 1.
[ "$(nproc)" -ge 2 ] || { echo "run.sh: needs 2 cores (client and broker apart), found $(nproc)" >&2; exit 2; }
client_cpu=0
broker_cpu=1

if [ -n "${BENCH_WORK:-}" ]; then work="$BENCH_WORK"; keep=1; else work="$(mktemp -d)"; keep=0; fi
mkdir -p "$work"
# The gate reads the clock for `now()`; MESH_NOW would make it parse a
# timestamp per message instead, which a deployment does not do.
unset MESH_NOW

broker_pid=0
job=0
# Long steps run in the background and are waited for, so that a signal
# reaches the trap at once (bash runs traps only between commands); the trap
# stops them (runtime_bench stops what it started on SIGTERM).
step() {
  "$@" &
  job=$!
  local status=0
  wait "$job" || status=$?
  job=0
  return $status
}
cleanup() {
  local status=$?
  if [ "$job" -gt 0 ]; then
    kill "$job" 2> /dev/null || true
    wait "$job" 2> /dev/null || true
  fi
  if [ "$broker_pid" -gt 0 ]; then
    kill "$broker_pid" 2> /dev/null || true
    wait "$broker_pid" 2> /dev/null || true
  fi
  if [ $status -ne 0 ]; then
    for log in "$work"/passthrough.log "$work"/gate.log "$work"/broker.log; do
      if [ -s "$log" ]; then echo "--- the end of $log:" >&2; tail -5 "$log" >&2; fi
    done
    echo "run.sh: failed (exit $status); corpus, builds and logs in $work" >&2
  elif [ $keep -eq 0 ]; then
    rm -rf "$work"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
started=$(date +%s)
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"

# 1. The corpus: the validation benchmark's realistic OrderEvents, 5% invalid.
python3 "$repo/bench/validate/gen_orders.py" "$n" "$work/orders.jsonl" >&2

# What is measured: runtime/ as it is when built, and the code $meshc
# generates (the binary as it is now; its sources may have moved on).
source_state() {
  local state
  state="$(git -C "$repo" rev-parse --short HEAD 2> /dev/null || echo '?')"
  if ! git -C "$repo" diff --quiet HEAD -- runtime compiler 2> /dev/null; then
    state="$state + uncommitted changes in runtime/ or compiler/ (diff $(git -C "$repo" diff HEAD -- runtime compiler | sha1sum | cut -c1-8))"
  fi
  echo "$state"
}
commit="$(source_state)"
meshc_state="$meshc of $(date -u -r "$meshc" '+%Y-%m-%d %H:%M UTC')"

# 2. The generated code of the example contracts, built with this directory's
#    programs in Release (mesh-gate comes from the generated project).
"$meshc" build "$repo/examples/contracts" -o "$work/out" --target cpp
cmake -S "$here" -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DGENERATED_DIR="$work/out/cpp" \
  -DMESHRT_SOURCE_DIR="$repo/runtime" > "$work/cmake.log" 2>&1 || { cat "$work/cmake.log" >&2; exit 2; }
cmake --build "$work/build" > "$work/build.log" 2>&1 || { tail -50 "$work/build.log" >&2; exit 2; }
[ "$(source_state)" = "$commit" ] || commit="$commit, changed while building: now $(source_state)"
bench="$work/build/runtime_bench"
gate="$work/build/generated/mesh-gate"
passthrough="$work/build/passthrough"

# 3. The broker, with fresh topics (the typed producer's topic is fixed by the
#    contract: sales.orders.placed.v1).
run="bench-$(date +%s)-$$"
typed_topic=sales.orders.placed.v1
raw_topic="$run-raw"
input="$run-in"
gate_out="$run-gate-out"
gate_dlq="$run-gate-dlq"
pass_out="$run-pass-out"
topics=()
for t in "$typed_topic" "$raw_topic" "$input" "$gate_out" "$gate_dlq" "$pass_out"; do topics+=(--topic "$t:$partitions"); done
if [ -n "${MESH_KAFKA_BOOTSTRAP:-}" ]; then
  bootstrap="$MESH_KAFKA_BOOTSTRAP"
  broker="$bootstrap (MESH_KAFKA_BOOTSTRAP)"
  "$bench" create-topics --bootstrap "$bootstrap" "${topics[@]}"
else
  rm -f "$work/bootstrap"
  taskset -c $broker_cpu "$devkafka" --brokers 1 --bootstrap-file "$work/bootstrap" "${topics[@]}" \
    > "$work/broker.log" 2>&1 &
  broker_pid=$!
  for _ in $(seq 300); do
    [ -s "$work/bootstrap" ] && break
    kill -0 "$broker_pid" 2> /dev/null || { cat "$work/broker.log" >&2; echo "run.sh: mesh-devkafka did not start" >&2; exit 1; }
    sleep 0.1
  done
  [ -s "$work/bootstrap" ] || { echo "run.sh: mesh-devkafka wrote no bootstrap address in 30 s" >&2; exit 1; }
  bootstrap="$(cat "$work/bootstrap")"
  broker="mesh-devkafka, 1 broker, $bootstrap"
fi

results="$work/results.txt"
: > "$results"
# 4a. Producers: the valid events, raw librdkafka and the typed producer in
#     eight rounds of alternating order (more alternations for the same
#     events; the run-to-run spread on the 2-core machine stays large).
step taskset -c $client_cpu "$bench" producer --bootstrap "$bootstrap" --corpus "$work/orders.jsonl" \
  --raw-topic "$raw_topic" --broker-pid "$broker_pid" --linger-ms 5 --batch-size 1000000 --rounds 8 >> "$results"
valid=$(awk '$1 == "producer-typed" { print $2 }' "$results")

# 4b. The input topic, every corpus line as raw bytes keyed by order id
#     (untimed; lz4 so that mesh-devkafka, which keeps about 5 MB per
#     partition, keeps all of it), then the passthrough and the gate read it
#     in their own groups.
step "$bench" fill --bootstrap "$bootstrap" --corpus "$work/orders.jsonl" --topic "$input" --compression lz4
step taskset -c $broker_cpu "$bench" measure --label passthrough --bootstrap "$bootstrap" --group "$run-pass" \
  --input "$input" --expect "$n" --check "$pass_out=$n" --cpu $client_cpu --broker-pid "$broker_pid" \
  --log "$work/passthrough.log" -- \
  "$passthrough" --bootstrap "$bootstrap" --input "$input" --output "$pass_out" --group "$run-pass" >> "$results"
step taskset -c $broker_cpu "$bench" measure --label gate --bootstrap "$bootstrap" --group "$run-gate" \
  --input "$input" --expect "$n" --check "$gate_out=$valid" --check "$gate_dlq=$((n - valid))" --cpu $client_cpu \
  --broker-pid "$broker_pid" --log "$work/gate.log" -- "$gate" --product sales.orders.orders_placed --bootstrap "$bootstrap" \
  --input "$input" --output "$gate_out" --dlq "$gate_dlq" --group "$run-gate" >> "$results"

# 5. The table, from the result lines:
#   producer-raw|producer-typed EVENTS SECONDS CPU_S BROKER_CPU_S BYTES
#   producer-parts EVENTS VALIDATE_S TO_JSON_S NOW_S
#   passthrough|gate EVENTS FIRST_COMMIT_S STEADY_EVENTS STEADY_S TOTAL_S PEAK_KB RSS_KB CPU_S BROKER_CPU_S
echo "bench/runtime, $(date -u '+%Y-%m-%d %H:%M UTC'), tree at $commit, $meshc_state; $n events ($valid valid), $partitions partitions" \
  "per topic, $broker, librdkafka $(pkg-config --modversion rdkafka 2> /dev/null || echo '?'); client on core" \
  "$client_cpu, broker on core $broker_cpu; load average before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| measurement | events | events/s | client CPU µs/event | broker CPU s | timed s | peak RSS MB |"
echo "|---|---:|---:|---:|---:|---:|---:|"
awk -v elapsed="$(( $(date +%s) - started ))" '
  function commas(x,   s, out) { s = sprintf("%.0f", x); out = ""
    while (length(s) > 3) { out = "," substr(s, length(s) - 2) out; s = substr(s, 1, length(s) - 3) }
    return s out }
  function broker(s) { return s < 0 ? "n/a" : sprintf("%.2f", s) }
  $1 == "producer-raw" || $1 == "producer-typed" {
    name = $1 == "producer-raw" ? "raw librdkafka `rd_kafka_producev` (same bytes, key, headers)" \
                                : "generated `orders_placed_producer::publish` (validate, serialize, produce)"
    rate[$1] = $2 / $3; cpu[$1] = $4 / $2 * 1e6
    printf "| %s | %s | %s | %.2f | %s | %.2f | n/a |\n", name, commas($2), commas(rate[$1]), cpu[$1], broker($5), $3
  }
  $1 == "producer-parts" { part["validate"] = $3 / $2 * 1e6; part["to_json"] = $4 / $2 * 1e6; part["now"] = $5 / $2 * 1e6 }
  $1 == "passthrough" || $1 == "gate" {
    name = $1 == "gate" ? "`mesh-gate` (validate, forward or dead-letter, commit per 500)" \
                        : "plain passthrough (consume, produce, commit per 500)"
    rate[$1] = $4 / $5; peak[$1] = $7 / 1024; startup[$1] = $3
    printf "| %s | %s | %s | %.2f | %s | %.2f | %.0f |\n", name, commas($2), commas(rate[$1]), $9 / $2 * 1e6, broker($10), $5, peak[$1]
  }
  END {
    printf "\nvalidated publish overhead: %.1f%% over raw librdkafka (target < 10%%)\n", (rate["producer-raw"] / rate["producer-typed"] - 1) * 100
    printf "  client CPU: +%.2f µs/event; alone, without Kafka: validate %.2f, to_json %.2f, meshrt::nowMicros %.3f µs/event\n",
      cpu["producer-typed"] - cpu["producer-raw"], part["validate"], part["to_json"], part["now"]
    printf "gate throughput: %.2f of the passthrough (target >= 0.80)\n", rate["gate"] / rate["passthrough"]
    printf "gate peak RSS (VmHWM): %.0f MB over the run (passthrough: %.0f MB)\n", peak["gate"], peak["passthrough"]
    printf "start-up until the first commit, not in the rates: passthrough %.1f s, gate %.1f s\n", startup["passthrough"], startup["gate"]
    printf "whole run.sh: %d s\n", elapsed
  }' "$results"
