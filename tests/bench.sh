#!/usr/bin/env bash
# make bench: platprobe against autoconf, CMake, Meson and one bare cc -c, then at scale; then
# against one typed initializer of the same answers (tests/bench_speed.py, issue 14); then the
# Python package on ctypes_configure's doc sample (tests/bench_python.py).
#   bash tests/bench.sh [WORKLOAD.json]     (default tests/bench/workload.json; see tests/bench.py)
#   PYTHON=/usr/bin/python3 bash tests/bench.sh    (the interpreter of the Python figures)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
: "${PLATPROBE:=$top/build/platprobe}"
: "${BUILD:=$top/build}"
export PLATPROBE BUILD TOP="$top"
rc=0
python3 "$top/tests/bench.py" "$@" || rc=$?
echo
python3 "$top/tests/bench_speed.py" || rc=$?
echo
# The Python figures with the interpreter the package is installed for (make bench PYTHON=...).
"${PYTHON:-python3}" "$top/tests/bench_python.py" || rc=$?
exit $rc
