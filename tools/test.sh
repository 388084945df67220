#!/usr/bin/env bash
# test.sh: sets up a fresh Debian machine, builds meshc and runs every test.
# The output ends with ctest's summary. Usage: bash tools/test.sh [BUILD_DIR]
#
# When time allows, the sanitized suite follows (tools/test-sanitized.sh: the
# whole suite again in an ASan+UBSan build, generated C++ included), so that a
# memory error anywhere fails the run: on 8 cores or more, or whenever
# MESH_TEST_SANITIZED=1; MESH_TEST_SANITIZED=0 never. On the 2-core CI machine
# it would add 45 minutes or more (a second full build, a suite three times
# slower: docs/hardening.md has the figures), so there it is a job of its own.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$root/build}"
sanitized="${MESH_TEST_SANITIZED:-auto}"
if [ "$sanitized" = auto ]; then
  if [ "$(nproc)" -ge 8 ]; then sanitized=1; else sanitized=0; fi
  [ "$sanitized" = 1 ] || echo "test.sh: the sanitized suite is not run on $(nproc) cores" \
    "(MESH_TEST_SANITIZED=1 runs it after this one; or bash tools/test-sanitized.sh)"
fi
bash "$root/tools/build.sh" "$build"
cd "$build"
ctest --output-on-failure --parallel "$(nproc)"
if [ "$sanitized" = 1 ]; then
  bash "$root/tools/test-sanitized.sh" "$build-asan"
fi
