#!/usr/bin/env bash
# test.sh: sets up a fresh Debian machine, builds meshc and runs every test.
# The output ends with ctest's summary. Usage: bash tools/test.sh [BUILD_DIR]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$root/build}"
bash "$root/tools/build.sh" "$build"
cd "$build"
ctest --output-on-failure --parallel "$(nproc)"
