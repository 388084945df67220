#!/usr/bin/env bash
# demo.sh: sets up a fresh Debian machine, builds meshc and runs the main job
# on the example contracts: check them, build their C++ validators and JSON
# Schemas, and validate the seed article's orders with both the reference
# evaluator and the generated validator. Usage: bash tools/demo.sh [BUILD_DIR]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$root/build}"
bash "$root/tools/build.sh" "$build"
meshc="$build/meshc"
out="$build/demo"
cd "$root"

echo "== meshc check examples/contracts"
"$meshc" check examples/contracts

echo "== meshc build examples/contracts -o $out (C++ validators, JSON Schemas)"
"$meshc" build examples/contracts -o "$out"
cmake -S "$out/cpp" -B "$out/cpp-build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DMESHRT_SOURCE_DIR="$root/runtime" > /dev/null
cmake --build "$out/cpp-build" --target mesh-validate > /dev/null
ls "$out/cpp" "$out/jsonschema"

echo "== the seed article's 100 orders, three of them broken"
python3 - "$out/orders.jsonl" <<'PY'
import json, sys
with open(sys.argv[1], "w") as f:
    for i in range(1, 101):
        order = {"order_id": f"ORD-{i}", "customer_id": f"CUST-{i % 10}", "amount": round(i * 1.23, 2),
                 "currency": "USD", "placed_at": "2026-11-25T10:00:00Z",
                 "items": [{"sku": "ABC-%04d" % i, "qty": 1, "unit_price": round(i * 1.23, 2)}], "attributes": {}}
        if i == 13: order["amount"] = -1
        if i == 42: order["currency"] = "XYZ"
        if i == 77: del order["items"]
        f.write(json.dumps(order) + "\n")
PY
export MESH_NOW=2026-11-25T12:00:00Z
"$meshc" validate examples/contracts --product sales.orders.orders_placed "$out/orders.jsonl" > "$out/meshc.out" || true
"$out/cpp-build/mesh-validate" --product sales.orders.orders_placed "$out/orders.jsonl" > "$out/generated.out" || true
grep -v '"valid":true' "$out/meshc.out"
cmp "$out/meshc.out" "$out/generated.out"
echo "== ok: $(grep -c '"valid":true' "$out/meshc.out") of 100 valid; meshc validate and the generated mesh-validate agree byte for byte"
