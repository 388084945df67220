#!/usr/bin/env bash
# demo.sh: sets up a fresh Debian machine, builds meshc and runs the main job
# on the example contracts: `meshc check examples/contracts`.
# Usage: bash tools/demo.sh [BUILD_DIR]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$root/build}"

bash "$root/tools/setup.sh"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$build" --parallel "$(nproc)"

cd "$root"
echo "== meshc check examples/contracts"
"$build/meshc" check examples/contracts
echo "== ok: the example contracts type-check and satisfy their product rules"
