#!/usr/bin/env bash
# make bench: compiler invocations and wall time of platprobe against one bare cc -c.
#   bash tests/bench.sh [SPEC.json]     (default probe/posix.json; see tests/bench.py)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
: "${PLATPROBE:=$top/build/platprobe}"
: "${BUILD:=$top/build}"
export PLATPROBE BUILD TOP="$top"
exec python3 "$top/tests/bench.py" "$@"
