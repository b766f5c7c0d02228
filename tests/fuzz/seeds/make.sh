#!/usr/bin/env bash
# Regenerates the seeds of tests/fuzz/corpus/ that come from a compiler: the object files of
# seeds/scan.json for four targets (ELF little- and big-endian, COFF) and a run's table, their
# truncated and doubled copies, saved results of one and of several targets, and a real depfile.
# Run from the top of the tree after make; the hand-written seeds stay as they are.
#   bash tests/fuzz/seeds/make.sh
set -euo pipefail
top=$(cd "$(dirname "$0")/../../.." && pwd)
cd "$top"
pp=$top/build/platprobe
spec=tests/fuzz/seeds/scan.json
corpus=tests/fuzz/corpus
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The object of one probe, kept with --keep-temps; debug information stripped (the scan never
# reads it) so each seed is a few KB. Its compiler writes none either (nog drops -g): platprobe
# then asks the constants' questions in slots (constant.c), so the table holds every answer
# itself, as the cache stores it, rather than leaving them to the object's DWARF.
nog=$work/nog
printf '#!/bin/bash\nreal=$1; shift\nargs=()\nfor a in "$@"; do [ "$a" = -g ] || args+=("$a"); done\nexec $real "${args[@]}"\n' > "$nog"
chmod +x "$nog"
object() { # TRIPLE STRIP CC [platprobe options]
  local triple=$1 strip=$2 cc=$3; shift 3
  TMPDIR=$work "$pp" probe "$spec" --no-cache --keep-temps --cc "$nog $cc" "$@" \
    -o "$work/$triple.json" 2>/dev/null
  local dir
  dir=$(ls -dt "$work"/platprobe-* | head -1)
  "$strip" -g -o "$work/$triple.o" "$dir/probe.o"
  rm -rf "$dir"
}
object x86_64-linux-gnu strip cc
object aarch64-linux-gnu aarch64-linux-gnu-strip aarch64-linux-gnu-gcc
object s390x-linux-gnu s390x-linux-gnu-strip s390x-linux-gnu-gcc
object x86_64-w64-mingw32 x86_64-w64-mingw32-strip x86_64-w64-mingw32-gcc

# fuzz_scan's input: a byte (0: the slot count scan.json needs; 0x80: run mode), then the bytes.
seed() { # NAME BYTE FILE...
  local name=$1 byte=$2; shift 2
  { printf "\\x$byte"; cat "$@"; } > "$corpus/scan/$name"
}
for t in x86_64-linux-gnu aarch64-linux-gnu s390x-linux-gnu x86_64-w64-mingw32; do
  seed "$t.o" 00 "$work/$t.o"
done
seed s390x-run-mode.o 80 "$work/s390x-linux-gnu.o"
# Two identical tables (accepted), a table cut short (refused), the magic alone, a wrong count.
seed doubled.o 00 "$work/x86_64-linux-gnu.o" "$work/x86_64-linux-gnu.o"
head -c 3000 "$work/x86_64-linux-gnu.o" > "$work/cut.o"
seed truncated.o 00 "$work/cut.o"
seed count-5.o 05 "$work/aarch64-linux-gnu.o"
printf '\x89PLATPROBE\r\n\x1a\n\x00\x01' > "$work/magic"
seed magic-only 00 "$work/magic" "$work/magic"

# A run's table: the program prints it in hex; the scan reads the decoded bytes.
TMPDIR=$work "$pp" probe "$spec" --no-cache --keep-temps --mode run -o /dev/null 2>/dev/null
dir=$(ls -dt "$work"/platprobe-* | head -1)
"$dir/probe-run.exe" | python3 -c 'import sys; sys.stdout.buffer.write(bytes.fromhex(sys.stdin.read()))' \
  > "$work/run.bin"
rm -rf "$dir"
seed run-table.bin 80 "$work/run.bin"

# Results: one target, and three in one document (little- and big-endian).
cp "$work/x86_64-linux-gnu.json" "$corpus/result/scan-native.json"
"$pp" probe "$spec" --no-cache --target aarch64-linux-gnu --target s390x-linux-gnu \
  --target x86_64-w64-mingw32 -o "$corpus/result/scan-three-targets.json"
"$pp" probe tests/fuzz/seeds/layout.json --no-cache -o "$corpus/result/layout-native.json"
"$pp" show -f json -i sys/stat.h -i errno.h 'struct timespec' EAGAIN stat S_ISREG \
  > "$corpus/result/show.json"

# Cache entries of scan.json (fuzz_cache): object and run mode, three targets, a truncated one and
# one of format 1 (no sum), as an older platprobe wrote it.
mkdir -p "$corpus/cache"
entry() { # NAME [platprobe options]
  local name=$1; shift
  rm -rf "$work/cache"
  "$pp" probe "$spec" --cache-dir "$work/cache" "$@" -o /dev/null
  local e
  for e in "$work/cache"/*.json; do
    case $e in *.failures.json) ;; *) cp "$e" "$corpus/cache/$name.json" ;; esac
  done
}
entry native
entry native-run --mode run
entry aarch64 --target aarch64-linux-gnu
entry s390x --target s390x-linux-gnu
entry mingw --target x86_64-w64-mingw32
head -c 2000 "$corpus/cache/native.json" > "$corpus/cache/truncated"
python3 -c 'import sys; t = open(sys.argv[1]).read().replace("\"format\": 2", "\"format\": 1")
sys.stdout.write(t[:t.rindex(",\n \"sum\"")] + "}\n")' "$corpus/cache/aarch64.json" > "$corpus/cache/format-1"

# A depfile as gcc writes it, for a header behind a path with a blank, a '#' and a '$'.
mkdir -p "$work/inc dir#1\$x"
echo '#define X 1' > "$work/inc dir#1\$x/h.h"
echo '#include "h.h"' > "$work/t.c"
(cd "$work" && gcc -MD -MP -MF t.d -I "inc dir#1\$x" -c t.c -o t.o)
sed "s|$work|/src|g" "$work/t.d" > "$corpus/dep/gcc-escaped.d"
echo "seeds written under $corpus"
