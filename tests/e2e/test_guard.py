"""End-to-end: -f guard. The generated header compiles next to the real headers with gcc and clang
(-std=c11 -Wall -Wextra -pedantic -Werror); a wrong value (an offset, a size, a constant, a float,
a macro) written into it fails to compile, and so does the real header when a flag changes a
layout the guard saw."""
import atexit, json, os, shutil, subprocess, tempfile
import pptest
from pptest import check

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
WORK = tempfile.mkdtemp(prefix="pptest-guard-")
atexit.register(shutil.rmtree, WORK, True)
CCS = [c for c in ("gcc", "clang") if shutil.which(c)]
check("gcc and clang are installed", len(CCS) == 2, CCS)

HEADERS = ["sys/types.h", "sys/stat.h", "time.h", "stdio.h", "float.h", "limits.h", "errno.h",
           "math.h", "sys/mman.h", "stdint.h", "strmacros.h", "drift.h", "bitfields.h"]
with open(os.path.join(WORK, "drift.h"), "w") as f:
    f.write("struct drift { char c;\n#ifdef DRIFT_WIDE\n long long x;\n#else\n int x;\n#endif\n"
            " short s; };\n")
SPEC = {
    "headers": HEADERS,
    "defines": {"_GNU_SOURCE": "1"},
    "include_dirs": [DATA, WORK],
    "types": ["off_t", "size_t", "int8_t", "uint64_t", "void *", "char **", "long double",
              "struct timespec", "int[3]"],
    "structs": [{"name": "struct stat", "fields": ["st_size", "st_mode", "st_mtim.tv_nsec"]},
                {"name": "struct drift", "fields": ["c", "x", "s"]},
                {"name": "struct bf", "fields": ["tag", "a", "after"]}],
    "constants": ["EAGAIN", "INT_MIN", "ULLONG_MAX", "LLONG_MIN", "UINT_MAX", "DBL_MAX", "FLT_EPSILON",
                  "INFINITY", "NAN", "P_tmpdir", "STR_NUL", "MAP_FAILED", "-1"],
    "defined": ["__linux__", {"name": "NO_SUCH_MACRO_X", "optional": True}],
}
text = pptest.generate(SPEC, "guard", os.path.join(WORK, "guard.h"))


def compile_with(cc, header_text, *flags):
    with open(os.path.join(WORK, "g.h"), "w") as f:
        f.write(header_text)
    src = os.path.join(WORK, "use.c")
    with open(src, "w") as f:
        f.write("#define _GNU_SOURCE 1\n" + "".join(
            f'#include "{h}"\n' if h in ("strmacros.h", "drift.h", "bitfields.h") else f"#include <{h}>\n"
            for h in HEADERS) + '#include "g.h"\nint main(void) { return 0; }\n')
    return subprocess.run([cc, "-std=c11", "-Wall", "-Wextra", "-pedantic", "-Werror", "-I", DATA,
                           "-I", WORK, *flags, "-c", src, "-o", os.path.join(WORK, "use.o")],
                          capture_output=True, text=True)


for cc in CCS:
    r = compile_with(cc, text)
    check(f"the guard compiles next to the real headers with {cc}", r.returncode == 0, r.stderr[-1500:])
    r = compile_with(cc, text + text.replace("PLATPROBE_GUARD_H", "PLATPROBE_GUARD_H_AGAIN"))
    check(f"{cc}: two guards in one file (a second spec) do not clash", r.returncode == 0,
          r.stderr[-1500:])

check("the guard asserts a member offset", "offsetof(struct stat, st_mtim.tv_nsec) ==" in text, text[:500])
check("the guard asserts a type's signedness", "((size_t)-1 < 0) == 0" in text, text[:500])
check("bit-fields are named, not asserted", "/* a: bits 8, 3 wide" in text, text)

# Each change below makes one assertion false; each must stop the build, with our message
# (gcc and clang's _Static_assert) or the folded array's negative size (clang, floats).
off = next(l for l in text.splitlines() if "offsetof(struct stat, st_size)" in l)
num = off.split("== ")[1].split(",")[0].rstrip(")")
WRONG = [
    ("an offset", off, off.replace(f"== {num},", f"== {int(num) + 8},")),
    ("a struct size", "sizeof(struct timespec) == 16", "sizeof(struct timespec) == 24"),
    ("an alignment", "_Alignof(long double) == ", "_Alignof(long double) == 1 + "),
    ("a signedness", "((off_t)-1 < 0) == 1", "((off_t)-1 < 0) == 0"),
    ("an integer constant", "(EAGAIN) == ", "(EAGAIN) == 1 + "),
    ("ULLONG_MAX", "(ULLONG_MAX) == 18446744073709551615ULL", "(ULLONG_MAX) == 18446744073709551614ULL"),
    ("a float constant", "(DBL_MAX) == 1.7976931348623157e+308", "(DBL_MAX) == 1.7976931348623155e+308"),
    ("a string's size", "sizeof(P_tmpdir) == 5", "sizeof(P_tmpdir) == 6"),
    ("a macro that is not defined", "#ifdef NO_SUCH_MACRO_X", "#ifndef NO_SUCH_MACRO_X"),
]
for what, old, new in WRONG:
    if not check(f"the guard holds what {what} changes", old in text, old):
        continue
    for cc in CCS:
        r = compile_with(cc, text.replace(old, new, 1))
        check(f"{cc}: {what} made wrong fails to compile", r.returncode != 0 and
              ("platprobe guard" in r.stderr or "platprobe_guard" in r.stderr or
               "negative" in r.stderr), r.stderr[-800:])

# The default spec, probe/posix.json (__int128 and all), under -pedantic -Werror.
posix = json.load(open(os.path.join(pptest.TOP, "probe", "posix.json")))
ptext = pptest.generate(posix, "guard", os.path.join(WORK, "posix_guard.h"))
with open(os.path.join(WORK, "posix_use.c"), "w") as f:
    f.write("".join(f"#define {k} {v}\n" for k, v in posix.get("defines", {}).items()) +
            "".join(f"#include <{h}>\n" for h in posix["headers"]) + '#include "posix_guard.h"\n')
for cc in CCS:
    r = subprocess.run([cc, "-std=c11", "-Wall", "-Wextra", "-pedantic", "-Werror", "-c",
                        os.path.join(WORK, "posix_use.c"), "-o", os.path.join(WORK, "p.o")],
                       capture_output=True, text=True)
    check(f"{cc}: posix.json's guard compiles ({ptext.count('_Static_assert')} assertions)",
          r.returncode == 0, r.stderr[-1500:])

# The platform drifts: a flag changes a layout after the guard was made.
for cc in CCS:
    r = compile_with(cc, text, "-DDRIFT_WIDE")
    check(f"{cc}: a layout that drifted fails to compile",
          r.returncode != 0 and "offsetof(struct drift, s)" in r.stderr, r.stderr[-800:])

pptest.done()
