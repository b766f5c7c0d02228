#!/usr/bin/env bash
# Runs every test program (unit binaries, end-to-end scripts) and sums their PASS/FAIL/SKIP lines.
# Each test program prints one line per check: "PASS name", "FAIL name: why" or "SKIP name: why".
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
: "${PLATPROBE:=$top/build/platprobe}"
: "${BUILD:=$top/build}"
export PLATPROBE BUILD TOP="$top"
# A cache of this run's own: nothing from earlier runs (or the user's) may answer for the tests.
export XDG_CACHE_HOME=$(mktemp -d)
pass=0 fail=0 skip=0
log=$(mktemp)
# PP_VALGRIND=1: every platprobe run (through tests/vg-platprobe) and every unit program under
# valgrind memcheck; each process logs to its own file, and any non-empty log is a failure.
vg=()
if [ "${PP_VALGRIND:-}" = 1 ]; then
  export PP_VG_LOGS=$(mktemp -d) PP_VG_LIBDIR=$BUILD/.libs PLATPROBE=$top/tests/vg-platprobe
  vg=(valgrind -q --log-file="$PP_VG_LOGS/unit-%p.log" --error-exitcode=99 --leak-check=full
      --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect)
fi
trap 'rm -rf "$log" "$XDG_CACHE_HOME" ${PP_VG_LOGS:+"$PP_VG_LOGS"}' EXIT
run_one() {
  local name=$1; shift
  echo "== $name"
  "$@" >"$log" 2>&1
  local rc=$?
  cat "$log"
  local p f s
  p=$(grep -c '^PASS ' "$log"); f=$(grep -c '^FAIL ' "$log"); s=$(grep -c '^SKIP ' "$log")
  pass=$((pass + p)); fail=$((fail + f)); skip=$((skip + s))
  if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    echo "FAIL $name: exited $rc with no FAIL line"; fail=$((fail + 1))
  fi
  if [ "$p" -eq 0 ] && [ "$f" -eq 0 ] && [ "$rc" -eq 0 ]; then
    echo "FAIL $name: asserted nothing"; fail=$((fail + 1))
  fi
}
for t in "$BUILD"/tests/unit_*; do
  [ -x "$t" ] && run_one "$(basename "$t")" "${vg[@]}" "$t"
done
for t in "$top"/tests/e2e/test_*.py; do
  [ -f "$t" ] && run_one "$(basename "$t")" python3 "$t"
done
for t in "$top"/tests/e2e/test_*.sh; do
  [ -f "$t" ] && run_one "$(basename "$t")" bash "$t"
done
if [ -n "${PP_VG_LOGS:-}" ]; then
  echo "== valgrind logs"
  runs=$(find "$PP_VG_LOGS" -name '*.log' | wc -l)
  bad=$(find "$PP_VG_LOGS" -name '*.log' -size +0 | sort)
  if [ -z "$bad" ] && [ "$runs" -gt 0 ]; then
    echo "PASS valgrind: $runs processes, no errors or leaks"; pass=$((pass + 1))
  else
    for f in $bad; do
      echo "FAIL valgrind $(basename "$f"): $(head -c 3000 "$f" | tr '\n' ' ')"; fail=$((fail + 1))
    done
    [ "$runs" -gt 0 ] || { echo "FAIL valgrind: no process ran under it"; fail=$((fail + 1)); }
  fi
fi
echo
if [ "$skip" -gt 0 ]; then echo "$pass passed, $fail failed, $skip skipped"; else echo "$pass passed, $fail failed"; fi
[ "$fail" -eq 0 ]
