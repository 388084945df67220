#!/usr/bin/env bash
# run.sh: `meshc build --target cpp` against `protoc --cpp_out` on the same
# records (bench/check/gen_workspace.py writes both from one model), and
# meshc's scaling from 10,000 to 100,000 records (wall and CPU time, peak
# RSS, output size, -j 1 against -j 2, a no-op rebuild, all default targets).
# Prints one markdown table on stdout, progress on stderr.
#
# usage: bench/compile/run.sh [MESHC]      (default MESHC: build/meshc in the repo)
#
# Environment (all optional):
#   BENCH_SIZES="10000 100000"  record counts (10 records a file, a product per
#                          5 records); the smallest is the protoc comparison
#   BENCH_RUNS=3           runs per command up to 10,000 records (median wall)
#   BENCH_RUNS_LARGE=1     runs per command above 10,000 records
#   BENCH_PROTOC_LARGE=1   0: protoc only at the smallest size (it takes
#                          minutes at 100,000 records)
#   BENCH_PROTO_FILES=1    0: skip the row of protoc on one .proto per .mesh file
#   BENCH_JOBS="1 2"       the -j values meshc is timed with
#   BENCH_NICE=0           run every timed command under `nice -n N` (19 on a
#                          machine shared with other work)
#   BENCH_SEED=1           workspace seed
#   BENCH_WORK=bench/compile/.cache   where workspaces (kept and reused while
#                          the generator is unchanged) and outputs go
#   PROTOC=protoc          the protoc to time (apt-get install protobuf-compiler)
#
# Exit status: 0 done; 1 a command failed or a no-op rebuild wrote files;
# 2 bad usage or environment.
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"
bench_help_or_usage "usage: bench/compile/run.sh [MESHC]" "$@"
meshc="$(bench_meshc "${1:-}")"
exec /usr/bin/python3 "$here/bench.py" "$meshc"
