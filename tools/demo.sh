#!/usr/bin/env bash
# demo.sh: sets up a fresh Debian machine, builds meshc and runs the main job,
# end to end on the embedded Kafka broker:
#   1. meshc checks the example contracts and builds their C++ validators,
#      producers, gate and JSON Schemas;
#   2. mesh-devkafka starts a 3-broker cluster (librdkafka's mock cluster);
#   3. mesh-gate holds sales.orders.placed.v1 to its contract, with metrics;
#   4. a C++ producer publishes the seed article's 100 orders through the
#      generated producer (3 broken ones are refused before sending), and
#      kcat injects raw invalid events straight into the topic;
#   5. what reached the output topic, the dead-letter topic and the metrics.
# Usage: bash tools/demo.sh [BUILD_DIR]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$root/build}"
bash "$root/tools/build.sh" "$build"
meshc="$build/meshc"
out="$build/demo"
cd "$root"

echo "== meshc check examples/contracts"
"$meshc" check examples/contracts

echo "== meshc build examples/contracts -o $out"
rm -rf "$out"
"$meshc" build examples/contracts -o "$out"
cp examples/demo/publish_orders.cpp "$out/cpp/"
cat >> "$out/cpp/CMakeLists.txt" <<'CMAKE'
add_executable(publish_orders publish_orders.cpp)
target_link_libraries(publish_orders PRIVATE mesh_contracts)
CMAKE
cmake -S "$out/cpp" -B "$out/cpp-build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DMESHRT_SOURCE_DIR="$root/runtime" > /dev/null
cmake --build "$out/cpp-build" > /dev/null
ls "$out/cpp" "$out/jsonschema" | head -20

topic=sales.orders.placed.v1
"$build/mesh-devkafka" --brokers 3 --topic $topic:12 --topic $topic.valid:12 --topic $topic.dlq:12 \
  --bootstrap-file "$out/bootstrap.txt" > /dev/null &
broker=$!
gate=""
trap 'kill $gate $broker 2>/dev/null || true; wait 2>/dev/null || true' EXIT
for _ in $(seq 100); do [ -s "$out/bootstrap.txt" ] && break; sleep 0.05; done
bootstrap=$(cat "$out/bootstrap.txt")
echo "== embedded Kafka cluster: $bootstrap"

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$out/cpp-build/mesh-gate" --product sales.orders.orders_placed --bootstrap "$bootstrap" --input $topic \
  --output $topic.valid --dlq $topic.dlq --group demo-gate --metrics-port "$port" &
gate=$!

echo "== the C++ producer publishes the seed article's 100 orders (13, 42 and 77 are broken)"
"$out/cpp-build/publish_orders" "$bootstrap"
echo "== kcat injects three raw events that bypass the producer"
printf '%s\n' 'ORD-901:{"order_id":"ORD-901","amount":"12.00"}' 'ORD-902:not json at all' \
  'ORD-903:{"order_id":"ORD-903","customer_id":"CUST-1","amount":"5.00","currency":"USD","placed_at":"2026-11-25T10:00:00","items":[{"sku":"ABC-1234","qty":1,"unit_price":"5.00"}],"attributes":{}}' |
  kcat -b "$bootstrap" -P -t $topic -K:

count() { kcat -b "$bootstrap" -C -t "$1" -e -q -f '%k\n' 2>/dev/null | grep -c . || true; }
for _ in $(seq 60); do
  [ "$(count $topic.valid)" -ge 97 ] && [ "$(count $topic.dlq)" -ge 3 ] && break
  sleep 1
done
echo "== output topic $topic.valid: $(count $topic.valid) messages"
echo "== dead-letter topic $topic.dlq: $(count $topic.dlq) messages, with their violations"
kcat -b "$bootstrap" -C -t $topic.dlq -e -q -f '%k  %h\n'
echo "== the gate's metrics"
python3 -c "import urllib.request; print(urllib.request.urlopen('http://127.0.0.1:$port/metrics').read().decode())" |
  grep '^mesh_' | grep -v '_bucket'
kill -TERM $gate; wait $gate
echo "== ok: 97 valid orders forwarded, 3 refused by the producer, 3 raw invalid events dead-lettered"
