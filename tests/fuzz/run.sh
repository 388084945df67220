#!/usr/bin/env bash
# run.sh: builds the libFuzzer targets with clang-14 (a CMake build of its own,
# -DMESH_FUZZ=ON) and runs each of them for SECONDS (default 60), one after
# another, under nice. Findings (crash-*, leak-*, timeout-*, oom-*) are
# written to the work directory; a finding stops its target and makes the
# script exit 1 after the others ran. The last lines of each log (executions,
# coverage) are printed.
# Usage: tests/fuzz/run.sh [SECONDS] [TARGET...]
#   TARGET: frontend frontend-tokens validator differential (default: all)
# Environment: MESH_FUZZ_BUILD (default build-fuzz/), MESH_FUZZ_WORK (default
# MESH_FUZZ_BUILD/fuzz-work), MESH_FUZZ_JOBS (parallel builds, default 2),
# MESH_FUZZ_ARGS (more libFuzzer flags), MESH_FUZZ_NO_BUILD=1 (run what is
# built: for two runs side by side, build once first).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
seconds="${1:-60}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(frontend frontend-tokens validator differential)
build="${MESH_FUZZ_BUILD:-$root/build-fuzz}"
work="${MESH_FUZZ_WORK:-$build/fuzz-work}"

launcher=()
if command -v ccache >/dev/null 2>&1; then
  launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_C_COMPILER_LAUNCHER=ccache)
fi
if [ -z "${MESH_FUZZ_NO_BUILD:-}" ]; then  # set it to run targets side by side on one build
  nice -n 19 cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMESH_FUZZ=ON \
    -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 "${launcher[@]}" >/dev/null
  nice -n 19 cmake --build "$build" --parallel "${MESH_FUZZ_JOBS:-2}" \
    --target "${targets[@]/#/fuzz-}" | grep -v '^ \|: note' || true
fi
for t in "${targets[@]}"; do
  [ -x "$build/tests/fuzz/fuzz-$t" ] || { echo "run.sh: fuzz-$t was not built" >&2; exit 2; }
done

# The leak checker runs at the end of every input; a hang is an input that
# takes more than 10 s (the largest legal inputs take milliseconds).
export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
# Leaks inside third-party libraries (each explained there) are not findings.
export LSAN_OPTIONS="suppressions=$root/tools/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
status=0
for t in "${targets[@]}"; do
  case "$t" in
    frontend|frontend-tokens) seeds=(frontend); dict="$here/mesh.dict"
      extra=("$root/examples/contracts" "$root/stdlib") ;;
    *) seeds=("$t"); dict="$here/json.dict"; extra=() ;;
  esac
  # A writable corpus per target (new inputs go there), then the checked-in
  # seeds and the kept findings, read only.
  corpus="$work/$t/corpus"
  mkdir -p "$corpus" "$work/$t/findings"
  log="$work/$t/fuzz.log"
  echo "run.sh: fuzz-$t for ${seconds}s (log: $log)"
  set +e
  (cd "$work/$t/findings" && nice -n 19 "$build/tests/fuzz/fuzz-$t" -max_total_time="$seconds" -timeout=10 \
     -rss_limit_mb=4096 -max_len=65536 -dict="$dict" -print_final_stats=1 ${MESH_FUZZ_ARGS:-} \
     "$corpus" "$here/corpus/${seeds[0]}" "$here/regressions/${seeds[0]}" "${extra[@]}") >"$log" 2>&1
  rc=$?
  set -e
  grep -E '^#[0-9]+ *(DONE|INITED)|stat::number_of_executed_units|cov: ' "$log" | tail -n 3
  if [ $rc -ne 0 ]; then
    echo "run.sh: fuzz-$t found something (exit $rc): see $log and $work/$t/findings" >&2
    grep -E 'ERROR|SUMMARY|fuzz-' "$log" | head -n 5 >&2 || true
    status=1
  fi
done
exit $status
