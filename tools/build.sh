#!/usr/bin/env bash
# build.sh: installs what is missing (tools/setup.sh) and builds meshc with
# CMake and Ninja. Usage: bash tools/build.sh [BUILD_DIR] (default: build/)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$root/build}"
bash "$root/tools/setup.sh"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
cmake --build "$build" --parallel "$(nproc)"
