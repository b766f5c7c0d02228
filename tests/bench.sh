#!/usr/bin/env bash
# make bench: platprobe against autoconf, CMake, Meson and one bare cc -c, then at scale; then
# against one typed initializer of the same answers (tests/bench_speed.py, issue 14).
#   bash tests/bench.sh [WORKLOAD.json]     (default tests/bench/workload.json; see tests/bench.py)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
: "${PLATPROBE:=$top/build/platprobe}"
: "${BUILD:=$top/build}"
export PLATPROBE BUILD TOP="$top"
python3 "$top/tests/bench.py" "$@"
# issue 14: against one typed initializer of the same answers
exec python3 "$top/tests/bench_speed.py"
