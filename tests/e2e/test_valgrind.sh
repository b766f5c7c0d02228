#!/usr/bin/env bash
# valgrind memcheck over the library's main paths: a probe in both modes (whole layouts and enums
# from DWARF too), a failing probe, show, header and binding outputs, libraries, a bad spec, check,
# --from, --depfile and a missing package. Any invalid access or leak fails the check.
set -u
top=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${BUILD:-$top/build}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The program links the library statically: no libtool wrapper script stands in valgrind's way.
bin=$build/platprobe
case "$build" in *asan*) echo "PASS valgrind: not run on the sanitizer build (ASan covers it)"; exit 0 ;; esac
cat > "$work/spec.json" <<'JSON'
{"headers": ["sys/stat.h", "errno.h", "float.h", "stdio.h", "netinet/tcp.h", "signal.h", "sys/time.h"],
 "enums": ["enum __itimer_which"],
 "types": ["off_t", "void (*)(int)", {"name": "no_such_t", "optional": true}],
 "structs": [{"name": "struct stat", "fields": ["st_size", "st_mtim.tv_nsec", {"name": "st_nope", "optional": true}]},
             {"name": "struct tcphdr", "fields": ["th_off", "th_sport"]}, "siginfo_t"],
 "constants": ["EAGAIN", "DBL_MAX", "P_tmpdir", "-1", {"name": "SIGRTMIN", "optional": true}],
 "defined": ["EINTR"], "functions": ["stat", {"name": "no_such_fn", "optional": true}],
 "libraries": ["m", {"name": "no_such_lib_xyz", "optional": true}]}
JSON
echo '{"constants": ["EAGAIN", "NOPE"], "headers": ["errno.h"]}' > "$work/bad.json"
echo '{"types": [1], "frob": 2}' > "$work/schema.json"
vg() {
  local name=$1 want=$2; shift 2
  valgrind -q --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect \
    --errors-for-leak-kinds=definite,indirect "$bin" "$@" >"$work/out" 2>"$work/err"
  local rc=$?
  if [ "$rc" -eq "$want" ]; then
    echo "PASS valgrind $name: exit $rc, no errors or leaks"
  else
    echo "FAIL valgrind $name: exit $rc (want $want): $(grep -m5 '==' "$work/err" | tr '\n' ' ')"
  fi
}
vg "probe object" 0 probe "$work/spec.json"
vg "probe run" 0 probe "$work/spec.json" --mode run
vg "probe header -o" 0 probe "$work/spec.json" -f header -o "$work/out.h"
for f in python rust guard; do
  vg "probe -f $f" 0 probe "$work/spec.json" -f "$f"
done
echo '{"libraries": ["no_such_lib_xyz"]}' > "$work/badlib.json"
vg "probe a missing library" 1 probe "$work/badlib.json"
vg "probe failing entry" 1 probe "$work/bad.json"
vg "bad spec" 2 probe "$work/schema.json"
vg "show" 0 show -i sys/stat.h -i errno.h 'struct stat' EAGAIN stat
vg "show -f json" 0 show -f json -i sys/stat.h -i errno.h 'struct stat' EAGAIN stat
# check, --from and --depfile: results read back through pp_jdom, depfiles read and written
vg "probe --depfile" 0 probe "$work/spec.json" -o "$work/base.json" --depfile "$work/base.d" --pkg zlib
vg "check same" 0 check "$work/spec.json" "$work/base.json"
sed 's/"size": 8/"size": 4/' "$work/base.json" > "$work/changed.json"
vg "check differs" 1 check "$work/spec.json" "$work/changed.json" -f json --ignore-compiler-version
vg "from header" 0 probe "$work/spec.json" --from "$work/base.json" -f header --depfile "$work/f.d" -o "$work/f.h"
vg "from missing entry" 2 probe "$work/bad.json" --from "$work/base.json"
vg "missing package" 1 probe "$work/spec.json" --pkg no-such-package-xyz
