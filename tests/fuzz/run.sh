#!/usr/bin/env bash
# make fuzz: runs each libFuzzer target (build-fuzz/fuzz_TARGET) for FUZZ_TIME seconds, FUZZ_JOBS
# of them at once, on a working corpus in build-fuzz/corpus/TARGET that starts from the committed
# seeds and regression inputs (libFuzzer writes new inputs only into its first directory, so
# tests/ is never written). Fails when any target finds a crash, a leak, a timeout or a broken
# property, and says where the input is and how to keep it as a regression test.
#   FZ=build-fuzz FUZZ_TIME=60 FUZZ_JOBS=2 bash tests/fuzz/run.sh TARGET...
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
: "${FZ:=build-fuzz}" "${FUZZ_TIME:=60}" "${FUZZ_JOBS:=2}"
[ $# -gt 0 ] || set -- spec scan result dep cache

one() {
  local t=$1
  # Findings of an earlier run were reported then; this run reports its own.
  rm -rf "$FZ/crashes/$t"
  mkdir -p "$FZ/corpus/$t" "$FZ/crashes/$t"
  local dirs=("$FZ/corpus/$t" "tests/fuzz/corpus/$t")
  [ -d "tests/fuzz/regress/$t" ] && dirs+=("tests/fuzz/regress/$t")
  local dict=()
  [ -f "tests/fuzz/$t.dict" ] && dict=("-dict=tests/fuzz/$t.dict")
  # -timeout: one input running this long is a hang; -rss_limit_mb: a blow-up of memory.
  "$FZ/fuzz_$t" -max_total_time="$FUZZ_TIME" -timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$FZ/crashes/$t/" "${dict[@]}" "${dirs[@]}" >"$FZ/$t.log" 2>&1
  echo $? >"$FZ/$t.rc"
}

rm -f "$FZ"/*.rc
echo "fuzzing ${*} for ${FUZZ_TIME} s each, ${FUZZ_JOBS} at a time (logs in $FZ/TARGET.log)"
running=0
for t in "$@"; do
  if [ "$running" -ge "$FUZZ_JOBS" ]; then
    wait -n
    running=$((running - 1))
  fi
  one "$t" &
  running=$((running + 1))
done
wait

failed=0
for t in "$@"; do
  rc=$(cat "$FZ/$t.rc" 2>/dev/null || echo "?")
  # libFuzzer's last status line and its final statistics.
  done_line=$(grep -a -E '^#[0-9]+[[:space:]]+(DONE|INITED)' "$FZ/$t.log" | tail -1)
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$FZ/$t.log")
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$FZ/$t.log")
  rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$FZ/$t.log")
  printf '%-7s %s  (%s runs, %s exec/s, peak %s MB)\n' "$t" "${done_line:-no status line}" \
    "${execs:-?}" "${speed:-?}" "${rss:-?}"
  found=$(ls "$FZ/crashes/$t" 2>/dev/null | head -5)
  if [ "$rc" != 0 ] || [ -n "$found" ]; then
    failed=1
    echo "FAIL $t: libFuzzer exited $rc; the end of $FZ/$t.log:"
    grep -a -v -E '^#[0-9]+' "$FZ/$t.log" | tail -40 | sed 's/^/    /'
    for f in $found; do
      echo "  input: $FZ/crashes/$t/$f"
      echo "  reproduce: $FZ/fuzz_$t $FZ/crashes/$t/$f   (or build/tests/unit_fuzz_$t FILE)"
      echo "  once fixed, keep it: cp $FZ/crashes/$t/$f tests/fuzz/regress/$t/WHAT-IT-WAS"
    done
  fi
done
[ "$failed" -eq 0 ]
