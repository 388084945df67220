#!/usr/bin/env bash
# run.sh: the validation benchmark, one run, one core: a corpus of realistic
# OrderEvent messages (about 250 bytes, 5% invalid) read by the generated
# validator, simdjson's bare On-Demand walk (the floor), nlohmann::json's parse,
# `meshc validate`, and ajv (compiled, JSON.parse per message) on node.
# usage: bench/validate/run.sh [MESSAGES] (default 1000000); MESHC=build/meshc, ROUNDS=3
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
n="${1:-1000000}"
meshc="${MESHC:-$repo/build/meshc}"
work="${BENCH_WORK:-$(mktemp -d)}"
mkdir -p "$work"
export MESH_NOW=2026-11-25T12:00:00Z

python3 "$here/gen_orders.py" "$n" "$work/orders.jsonl" >&2
"$meshc" build "$repo/examples/contracts" -o "$work/out" --target cpp --target jsonschema
cmake -S "$here" -B "$work/build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DGENERATED_DIR="$work/out/cpp" \
  -DMESHRT_SOURCE_DIR="$repo/runtime" > "$work/cmake.log" 2>&1 || { cat "$work/cmake.log"; exit 2; }
cmake --build "$work/build" > "$work/build.log" 2>&1 || { tail -50 "$work/build.log"; exit 2; }
[ -d "$repo/tests/differential/node_modules" ] || (cd "$repo/tests/differential" && npm ci --no-audit --no-fund >&2)

# The corpus just written is still being flushed: let that finish first.
sync
results="$work/results.txt"
# In-process readers: the fastest of ROUNDS passes each (ajv included, which
# also lets its JIT warm up); meshc validate: one run of the whole CLI.
rounds="${ROUNDS:-3}"
taskset -c 0 "$work/build/bench_main" "$work/orders.jsonl" "$rounds" > "$results"
taskset -c 0 node "$here/ajv_bench.js" "$work/out/jsonschema/sales.orders.OrderEvent.schema.json" "$work/orders.jsonl" "$rounds" >> "$results"
bytes=$(stat -c %s "$work/orders.jsonl")
start=$(date +%s.%N)
taskset -c 0 "$meshc" validate "$repo/examples/contracts" --product sales.orders.orders_placed "$work/orders.jsonl" > "$work/meshc.out" || true
end=$(date +%s.%N)
valid=$(grep -c '"valid":true' "$work/meshc.out" || true)
awk -v n="$n" -v b="$bytes" -v s="$(echo "$end - $start" | bc)" -v v="$valid" \
  'BEGIN { printf "meshc %.0f %.1f %d\n", n / s, b / s / 1e6, v }' >> "$results"

echo "| reader (one core) | messages/s | MB/s | valid |"
echo "|---|---:|---:|---:|"
awk '$1 != "#" { names["generated"]="generated parse-and-validate (meshc --target cpp)";
  names["simdjson"]="simdjson On-Demand walk, no validation (the floor)"; names["nlohmann"]="nlohmann::json::parse, no validation";
  names["meshc"]="meshc validate (reference evaluator, whole CLI)"; names["ajv"]="ajv compiled + JSON.parse (node)";
  printf "| %s | %\047d | %.1f | %d |\n", names[$1], $2, $3, $4; rate[$1] = $2 }
  END { printf "\ngenerated / ajv: %.1fx (goal >= 5x); generated / simdjson walk: %.2f (goal >= 0.5)\n", rate["generated"] / rate["ajv"], rate["generated"] / rate["simdjson"] }' "$results"
head -1 "$results" | sed 's/^# /corpus: /'
