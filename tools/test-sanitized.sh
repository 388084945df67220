#!/usr/bin/env bash
# test-sanitized.sh: builds meshc and its tests with AddressSanitizer and
# UBSan (-DMESH_SANITIZE=ON) into build-asan/ and runs the whole ctest suite
# there. Any sanitizer report aborts the process that made it (ASan
# halt_on_error, LeakSanitizer on, UBSan compiled -fno-sanitize-recover=all),
# so a report fails its test. The generated C++ that the tests build (codegen,
# differential, integration, install) is built with the same flags: ctest
# passes them in MESH_SANITIZE_FLAGS. docs/hardening.md describes it.
# Usage: bash tools/test-sanitized.sh [BUILD_DIR] [ctest arguments...]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$root/build-asan}"
shift || true
bash "$root/tools/setup.sh"
launcher=()
if command -v ccache >/dev/null 2>&1; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
fi
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMESH_SANITIZE=ON "${launcher[@]}"
cmake --build "$build" --parallel "$(nproc)"
# The options hold for every sanitized process the tests start, including the
# generated validators, producers and gates; the suppressions file lists the
# third-party leaks LeakSanitizer is told to ignore, each with its reason.
export ASAN_OPTIONS="halt_on_error=1:detect_leaks=1:abort_on_error=1:detect_stack_use_after_return=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
export LSAN_OPTIONS="suppressions=$root/tools/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
cd "$build"
ctest --output-on-failure --parallel "$(nproc)" "$@"
