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
  export PP_VG_LOGS=$(mktemp -d) PP_VG_LIBDIR=$BUILD/.libs PP_VG_BIN=$BUILD/platprobe PLATPROBE=$top/tests/vg-platprobe
  vg=(valgrind -q --log-file="$PP_VG_LOGS/unit-%p.log" --error-exitcode=99 --leak-check=full
      --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect)
fi
# PP_SANITIZE=1 (the build-asan/ run): every ASan, LeakSanitizer and UBSan report goes to a file
# of its own and fails the run, even where the test expected the exit status the report gave
# (sanitizers exit 1 by default, which is also platprobe's "an entry failed").
if [ "${PP_SANITIZE:-}" = 1 ]; then
  export PP_SAN_LOGS=$(mktemp -d)
  export ASAN_OPTIONS="log_path=$PP_SAN_LOGS/asan:exitcode=99:detect_leaks=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
  export UBSAN_OPTIONS="log_path=$PP_SAN_LOGS/ubsan:exitcode=99:print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
  export LSAN_OPTIONS="exitcode=99${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
fi
trap 'rm -rf "$log" "$XDG_CACHE_HOME" ${PP_VG_LOGS:+"$PP_VG_LOGS"} ${PP_SAN_LOGS:+"$PP_SAN_LOGS"}' EXIT
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
# Fails the run on every non-empty report file in DIR (one per process); NAME says which tool.
# want_some: the tool must have written at least one (empty) file, i.e. it really ran.
logs_clean() {
  local name=$1 dir=$2 want_some=$3 f bad runs
  echo "== $name reports"
  runs=$(find "$dir" -type f | wc -l)
  bad=$(find "$dir" -type f -size +0 | sort)
  for f in $bad; do
    echo "FAIL $name $(basename "$f"): $(head -c 3000 "$f" | tr '\n' ' ')"; fail=$((fail + 1))
  done
  if [ -z "$bad" ] && { [ "$want_some" = 0 ] || [ "$runs" -gt 0 ]; }; then
    echo "PASS $name: no error or leak reported ($runs report files, all empty)"; pass=$((pass + 1))
  elif [ "$want_some" = 1 ] && [ "$runs" -eq 0 ]; then
    echo "FAIL $name: no process ran under it"; fail=$((fail + 1))
  fi
}
[ -n "${PP_VG_LOGS:-}" ] && logs_clean valgrind "$PP_VG_LOGS" 1
[ -n "${PP_SAN_LOGS:-}" ] && logs_clean sanitizers "$PP_SAN_LOGS" 0
echo
if [ "$skip" -gt 0 ]; then echo "$pass passed, $fail failed, $skip skipped"; else echo "$pass passed, $fail failed"; fi
[ "$fail" -eq 0 ]
