#!/usr/bin/env bash
# Install test: `make install` with DESTDIR for two prefixes, then the installed pieces are
# checked: files in place, pkg-config (with a sysroot) gives working flags, a program calling
# pp_version() links against the installed static and shared libraries and runs, and the
# installed binary (not a libtool wrapper, no rpath into the build tree) runs and probes a
# spec from outside the source tree (it needs no data files).
# Prints one PASS/FAIL line per check; exits non-zero if any failed.
set -u
TOP=${TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
CC=${CC:-cc}
fails=0
pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; fails=$((fails + 1)); }
# ok NAME CMD...: PASS when CMD succeeds, FAIL (with its output) otherwise.
ok() {
  local name=$1 out
  shift
  if out=$("$@" 2>&1); then pass "$name"; else fail "$name" "$(echo "\`$*\` failed: $out" | tail -c 1500 | tr '\n' ' ')"; fi
}

work=$(mktemp -d "${TMPDIR:-/tmp}/pptest-install-XXXXXX")
trap 'rm -rf "$work"' EXIT

eagain=$(python3 -c 'import errno; print(errno.EAGAIN)')
cat >"$work/t.c" <<'EOF'
#include <platprobe.h>
#include <platprobe.h> /* twice: the header has include guards */
#include <stdio.h>
int main(void)
{
    const char *v = pp_version();
    if (v == NULL || *v == '\0')
        return 1;
    printf("%s\n", v);
    return 0;
}
EOF
printf '{"headers": ["errno.h"], "constants": ["EAGAIN"]}\n' >"$work/spec.json"

# Things that must not appear outside DESTDIR (remember what exists already).
outside="/usr/local/bin/platprobe /usr/local/lib/libplatprobe.a /usr/local/include/platprobe.h /opt/x"
pre_existing=""
for f in $outside; do [ -e "$f" ] && pre_existing="$pre_existing $f"; done

check_install() {
  local prefix=$1 dest=$2 tag="install $1"
  local log="$work/install${prefix//\//_}.log"
  if make -C "$TOP" install SANITIZE=0 B="$dest.build" PREFIX="$prefix" DESTDIR="$dest" >"$log" 2>&1; then
    pass "$tag: make install PREFIX=$prefix DESTDIR=..."
  else
    fail "$tag: make install PREFIX=$prefix DESTDIR=..." "$(tail -c 1500 "$log" | tr '\n' ' ')"
    return
  fi
  local bin=$dest$prefix/bin/platprobe lib=$dest$prefix/lib inc=$dest$prefix/include
  local pc=$dest$prefix/lib/pkgconfig/platprobe.pc
  for f in "$bin" "$lib/libplatprobe.a" "$inc/platprobe.h" "$pc"; do
    if [ -f "$f" ]; then pass "$tag: ${f#"$dest"} installed"; else fail "$tag: ${f#"$dest"} installed" "missing"; fi
  done
  local sos
  # shellcheck disable=SC2012
  sos=$(ls "$lib"/libplatprobe.so* 2>/dev/null | tr '\n' ' ')
  if [ -n "$sos" ] && [ -e "$lib/libplatprobe.so" ]; then
    pass "$tag: ${lib#"$dest"}/libplatprobe.so* installed"
  else
    fail "$tag: ${lib#"$dest"}/libplatprobe.so* installed" "found: ${sos:-nothing}"
  fi
  if readelf -d "$lib/libplatprobe.so" 2>/dev/null | grep -q 'SONAME.*libplatprobe\.so\.'; then
    pass "$tag: shared library has a versioned SONAME"
  else
    fail "$tag: shared library has a versioned SONAME" "$(readelf -d "$lib/libplatprobe.so" 2>&1 | grep -i soname)"
  fi
  if [ -f "$lib/libplatprobe.la" ]; then
    if grep -q "^libdir='$prefix/lib'" "$lib/libplatprobe.la"; then
      pass "$tag: installed .la names libdir $prefix/lib"
    else
      fail "$tag: installed .la names libdir $prefix/lib" "$(grep '^libdir=' "$lib/libplatprobe.la")"
    fi
  fi
  local other
  for other in /usr/local /opt/x; do
    [ "$other" = "$prefix" ] && continue
    if [ -e "$dest$other" ]; then
      fail "$tag: nothing under DESTDIR$other" "$(cd "$dest" && find ".$other" | head -5 | tr '\n' ' ')"
    else
      pass "$tag: nothing under DESTDIR$other"
    fi
  done

  # pkg-config with a sysroot
  local pcenv=(env PKG_CONFIG_SYSROOT_DIR="$dest" PKG_CONFIG_PATH="$lib/pkgconfig")
  local flags sflags
  if flags=$("${pcenv[@]}" pkg-config --cflags --libs platprobe 2>&1); then
    pass "$tag: pkg-config --cflags --libs platprobe"
  else
    fail "$tag: pkg-config --cflags --libs platprobe" "$flags"
  fi
  case " $flags " in
    *" -I$inc "*) pass "$tag: pkg-config cflags point into DESTDIR" ;;
    *) fail "$tag: pkg-config cflags point into DESTDIR" "flags: $flags (want -I$inc)" ;;
  esac
  case " $flags " in
    *" -L$lib "*"-lplatprobe "*) pass "$tag: pkg-config libs point into DESTDIR" ;;
    *) fail "$tag: pkg-config libs point into DESTDIR" "flags: $flags (want -L$lib ... -lplatprobe)" ;;
  esac
  local version
  version=$(PKG_CONFIG_PATH="$lib/pkgconfig" pkg-config --modversion platprobe 2>&1)
  sflags=$("${pcenv[@]}" pkg-config --static --libs platprobe 2>&1)

  # The public header compiles on its own, warning-free.
  # shellcheck disable=SC2086
  ok "$tag: platprobe.h compiles cleanly (-Wall -Wextra -Werror)" \
    $CC -Wall -Wextra -Werror -I"$inc" -c "$work/t.c" -o "$work/t.o"

  # Shared: flags from pkg-config, run through LD_LIBRARY_PATH.
  local exe=$work/t_shared${prefix//\//_}
  # shellcheck disable=SC2086
  ok "$tag: link against the shared library" $CC "$work/t.c" $flags -o "$exe"
  local got libversion=""
  if got=$(LD_LIBRARY_PATH=$lib "$exe" 2>&1); then
    pass "$tag: shared program runs"
    libversion=$got
  else
    fail "$tag: shared program runs" "$got"
  fi
  if LD_LIBRARY_PATH=$lib ldd "$exe" 2>/dev/null | grep -q "=> $lib/libplatprobe\.so"; then
    pass "$tag: shared program loads the installed library"
  else
    fail "$tag: shared program loads the installed library" "$(LD_LIBRARY_PATH=$lib ldd "$exe" 2>&1 | grep -i platprobe)"
  fi
  if [ -n "$libversion" ] && [ "$libversion" = "$version" ]; then
    pass "$tag: pp_version() matches the .pc Version"
  else
    fail "$tag: pp_version() matches the .pc Version" "pp_version()='$libversion' pc='$version'"
  fi

  # Static: the installed archive plus the private libraries from pkg-config --static.
  exe=$work/t_static${prefix//\//_}
  local slibs
  slibs=$(echo " $sflags " | sed 's/ -lplatprobe / /g')
  # shellcheck disable=SC2086
  ok "$tag: link against the static library" $CC -I"$inc" "$work/t.c" "$lib/libplatprobe.a" $slibs -o "$exe"
  if readelf -d "$exe" 2>/dev/null | grep -q 'NEEDED.*libplatprobe'; then
    fail "$tag: static program does not need libplatprobe.so" "$(readelf -d "$exe" | grep NEEDED | tr '\n' ' ')"
  else
    pass "$tag: static program does not need libplatprobe.so"
  fi
  if got=$("$exe" 2>&1) && [ -n "$got" ] && [ "$got" = "${libversion:-$version}" ]; then
    pass "$tag: static program runs and prints the same version"
  else
    fail "$tag: static program runs and prints the same version" "got '$got', want '${libversion:-$version}'"
  fi

  # The installed program.
  if [ "$(head -c 4 "$bin" 2>/dev/null | od -An -c | tr -d ' ')" = '177ELF' ]; then
    pass "$tag: installed platprobe is an ELF program, not a libtool wrapper"
  else
    fail "$tag: installed platprobe is an ELF program, not a libtool wrapper" "$(head -c 60 "$bin" 2>&1 | tr '\n' ' ')"
  fi
  local rp
  rp=$(readelf -d "$bin" 2>/dev/null | grep -E 'RPATH|RUNPATH')
  case "$rp" in
    *"$TOP"*|*"/.libs"*) fail "$tag: no rpath into the build tree" "$rp" ;;
    *) pass "$tag: no rpath into the build tree" ;;
  esac
  # An rpath, if any, names this installation's libdir (not the PREFIX of an earlier build).
  case "$rp" in
    "" | *"[$prefix/lib]"*) pass "$tag: rpath (if any) is $prefix/lib" ;;
    *) fail "$tag: rpath (if any) is $prefix/lib" "$rp" ;;
  esac
  if grep -Eq "^prefix=$prefix\$|^prefix=\\$\{pcfiledir\}" "$pc"; then
    pass "$tag: platprobe.pc has prefix=$prefix"
  else
    fail "$tag: platprobe.pc has prefix=$prefix" "$(grep '^prefix=' "$pc")"
  fi
  if got=$(cd / && LD_LIBRARY_PATH=$lib "$bin" --version 2>&1); then
    pass "$tag: installed platprobe --version runs"
  else
    fail "$tag: installed platprobe --version runs" "$got"
  fi
  case "$got" in
    *"$libversion"*) pass "$tag: --version shows the library's version" ;;
    *) fail "$tag: --version shows the library's version" "--version: '$got', pp_version(): '$libversion'" ;;
  esac
  local res
  if res=$(cd / && env TMPDIR="$work" LD_LIBRARY_PATH="$lib" "$bin" probe "$work/spec.json" 2>&1) &&
    [ "$(printf '%s' "$res" | python3 -c 'import json,sys; print(json.load(sys.stdin)["constants"]["EAGAIN"])' 2>&1)" = "$eagain" ]; then
    pass "$tag: installed platprobe probes EAGAIN = $eagain from /"
  else
    fail "$tag: installed platprobe probes EAGAIN = $eagain from /" "$(echo "$res" | tail -c 800 | tr '\n' ' ')"
  fi

  # The Python package, beside the program: found without $PLATPROBE or PATH, and a
  # ctypes_configure-era class answered through the installed program.
  local pyinit pydir
  pyinit=$(find "$dest$prefix/lib" -path '*-packages/platprobe/__init__.py' 2>/dev/null | head -1)
  pydir=$(dirname "$(dirname "$pyinit")")
  if [ -n "$pyinit" ] && [ -f "$pydir/platprobe/ctypes_configure/configure.py" ]; then
    pass "$tag: the Python package installed (${pydir#"$dest"})"
  else
    fail "$tag: the Python package installed" "no platprobe/__init__.py under $prefix/lib"
  fi
  # Byte-compiled as pip and Debian leave a package (else each run compiles the sources again,
  # ~10-15 ms): python3's own importlib finds a valid .pyc for every module, naming the
  # installed path (without DESTDIR) in its tracebacks.
  got=$(python3 - "$pydir/platprobe" "$dest" <<'EOF' 2>&1
import importlib.util, marshal, os, sys
root, dest = sys.argv[1], sys.argv[2]
bad = []
for d, _, names in os.walk(root):
    for n in (n for n in names if n.endswith(".py")):
        src = os.path.join(d, n)
        pyc = importlib.util.cache_from_source(src)
        try:
            with open(pyc, "rb") as f:
                head = f.read(16)
                code = marshal.loads(f.read())
        except OSError as e:
            bad.append("%s: %s" % (n, e))
            continue
        st = os.stat(src)
        ok = (head[:4] == importlib.util.MAGIC_NUMBER and head[4:8] == bytes(4)
              and int.from_bytes(head[8:12], "little") == int(st.st_mtime) & 0xFFFFFFFF
              and int.from_bytes(head[12:16], "little") == st.st_size & 0xFFFFFFFF)
        if not ok or code.co_filename != src[len(dest):]:
            bad.append("%s: stale or names %s" % (n, code.co_filename))
print("; ".join(bad) if bad else "ok")
EOF
  )
  if [ "$got" = ok ]; then pass "$tag: the Python package is byte-compiled for python3"; else fail "$tag: the Python package is byte-compiled for python3" "$got"; fi
  cat >"$work/cc.py" <<'EOF'
import ctypes, errno, sys
import platprobe
from platprobe.ctypes_configure import configure
class CConfig:
    _compilation_info_ = configure.ExternalCompilationInfo(includes=["errno.h", "time.h"])
    EAGAIN = configure.ConstantInteger("EAGAIN")
    timespec = configure.Struct("struct timespec", [("tv_nsec", ctypes.c_int)])
res = configure.configure(CConfig)
assert res["EAGAIN"] == errno.EAGAIN, res
assert ctypes.sizeof(res["timespec"]) == 2 * ctypes.sizeof(ctypes.c_long), res
print(platprobe.find_engine())
EOF
  if got=$(cd / && env -u PLATPROBE PATH=/usr/bin:/bin PYTHONPATH="$pydir" XDG_CACHE_HOME="$work/cache" \
      LD_LIBRARY_PATH="$lib" python3 "$work/cc.py" 2>&1) && [ "$(realpath "$got")" = "$(realpath "$bin")" ]; then
    pass "$tag: import platprobe finds the installed program beside it; ctypes_configure answers"
  else
    fail "$tag: import platprobe finds the installed program beside it; ctypes_configure answers" "$(echo "$got" | tail -c 800 | tr '\n' ' ')"
  fi

  # The man pages and bash completion (where bash-completion's loader finds it).
  local share=$dest$prefix/share
  for f in man/man1/platprobe.1 man/man5/platprobe-spec.5 bash-completion/completions/platprobe \
    zsh/site-functions/_platprobe; do
    if [ -f "$share/$f" ]; then pass "$tag: share/$f installed"; else fail "$tag: share/$f installed" "missing"; fi
  done
  got=$(XDG_DATA_DIRS=$share bash -c '. /usr/share/bash-completion/bash_completion &&
    __load_completion platprobe && complete -p platprobe' 2>&1)
  case "$got" in
    *"-F _platprobe platprobe"*) pass "$tag: bash-completion loads the installed completion" ;;
    *) fail "$tag: bash-completion loads the installed completion" "$got" ;;
  esac

  # Installing again over an existing installation works.
  ok "$tag: make install again over it" make -C "$TOP" install SANITIZE=0 B="$dest.build" PREFIX="$prefix" DESTDIR="$dest"
  # make uninstall leaves no file (directories may stay).
  ok "$tag: make uninstall" make -C "$TOP" uninstall SANITIZE=0 B="$dest.build" PREFIX="$prefix" DESTDIR="$dest"
  got=$(find "$dest" \( -type f -o -type l \) | head -5)
  if [ -z "$got" ]; then pass "$tag: make uninstall leaves no file"; else fail "$tag: make uninstall leaves no file" "$got"; fi
}

check_install /opt/x "$work/dest-opt"
check_install /usr/local "$work/dest-local"

for f in $outside; do
  case " $pre_existing " in *" $f "*) continue ;; esac
  if [ -e "$f" ]; then fail "DESTDIR respected: $f not created" "it exists now"; else pass "DESTDIR respected: $f not created"; fi
done

# The in-tree program the quick start runs is the real binary (issue 14), not libtool's wrapper
# script (about 40 ms of sh, sed and ls on every run).
BUILD=${BUILD:-$TOP/build}
if [ "$(head -c 2 "$BUILD/platprobe")" = "#!" ]; then
  fail "in-tree platprobe is a binary" "$BUILD/platprobe is a script"
elif "$BUILD/platprobe" --version >/dev/null; then
  pass "in-tree platprobe is a binary that runs"
else
  fail "in-tree platprobe is a binary" "it does not run"
fi

[ "$fails" -eq 0 ]
