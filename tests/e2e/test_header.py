"""End-to-end: -f header. The generated header is included, together with the real headers, by a
C file this test writes from the spec; it _Static_assert's every macro against the real thing
(and checks floats and strings at run time), compiled with -std=c11 -Wall -Werror by gcc and clang."""
import atexit, json, os, re, shutil, subprocess, sys, tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pptest  # noqa: E402
from pptest import check  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data")
WORK = tempfile.mkdtemp(prefix="pptest-hdr-")
atexit.register(shutil.rmtree, WORK, True)
tempfile.tempdir = WORK

HEADERS = ["sys/types.h", "sys/stat.h", "errno.h", "limits.h", "float.h", "stdint.h", "unistd.h",
           "string.h", "time.h", "strmacros.h"]
TYPES = ["off_t", "size_t", "void *", "unsigned long long", "struct stat", "char **", "long double",
         "int"]
MISSING_TYPE = "no_such_type_t"
STRUCTS = [("struct stat", ["st_size", "st_mode", "st_mtim.tv_nsec"]),
           ("struct timespec", ["tv_sec", "tv_nsec"])]
MISSING_FIELD = ("struct stat", "st_nosuch")
INTS = ["EAGAIN", "ENOENT", "ULLONG_MAX", "LLONG_MIN", "LLONG_MAX", "INT_MIN", "UINT_MAX", "SIZE_MAX",
        "NUM_NEG", "NUM_HEX", "INT64_MIN", "UINT64_MAX"]
EXPRS = ["-1", "(1ULL<<63)", "0x80000000U"]          # not identifiers: no VALUE_ macro
FLOATS = ["DBL_MAX", "DBL_MIN", "DBL_TRUE_MIN", "FLT_EPSILON", "FLT_MAX", "NUM_FLOAT", "NUM_FLOATF"]
STRINGS = ["STR_PLAIN", "STR_ESC", "STR_NUL", "STR_HIGH", "STR_UTF8", "STR_EMPTY", "STR_CTRL",
           "STR_MIXED"]
MISSING_CONST = "NO_SUCH_CONST_X"
DEFINED = ["__linux__", "EAGAIN"]
MISSING_DEFINED = "NO_SUCH_MACRO_X"
FUNCTIONS = ["getpid", "strlen"]
MISSING_FUNCTION = "no_such_function_xyz"


def spec():
    return {
        "headers": HEADERS,
        "defines": {"_GNU_SOURCE": "1"},
        "include_dirs": [DATA],
        "types": TYPES + [{"name": MISSING_TYPE, "optional": True}],
        "structs": [{"name": s, "fields": f + ([{"name": MISSING_FIELD[1], "optional": True}]
                                              if s == MISSING_FIELD[0] else [])} for s, f in STRUCTS],
        "constants": INTS + EXPRS + FLOATS + STRINGS + [{"name": MISSING_CONST, "optional": True}],
        "defined": DEFINED + [{"name": MISSING_DEFINED, "optional": True}],
        "functions": FUNCTIONS + [{"name": MISSING_FUNCTION, "optional": True}],
    }


def mac(name):
    """autoconf's spelling, as the contract states it: upper case, '*' -> 'P', other non-alnum -> '_'."""
    return re.sub(r"[^A-Z0-9]", "_", name.upper().replace("*", "P"))


def assertion_file(P):
    """A C file asserting each macro of the header (prefix P) against the real thing."""
    L = ["#define _GNU_SOURCE 1", '#include "generated.h"']
    L += [f'#include "{h}"' if h == "strmacros.h" else f"#include <{h}>" for h in HEADERS]
    L += ["#include <stddef.h>", "#include <stdio.h>", "#include <string.h>", ""]
    sa = lambda cond: L.append(f'_Static_assert({cond}, "{cond.replace(chr(34), "")}");')  # noqa: E731
    for t in TYPES:
        sa(f"{P}SIZEOF_{mac(t)} == sizeof({t})")
        sa(f"{P}ALIGNOF_{mac(t)} == _Alignof({t})")
    sa(f"{P}SIZEOF_{mac(MISSING_TYPE)} == 0")
    for s, fields in STRUCTS:
        sa(f"{P}SIZEOF_{mac(s)} == sizeof({s})")
        sa(f"{P}ALIGNOF_{mac(s)} == _Alignof({s})")
        for f in fields:
            sa(f"{P}OFFSETOF_{mac(s)}_{mac(f)} == offsetof({s}, {f})")
            sa(f"{P}HAVE_{mac(s)}_{mac(f)} == 1")
    for m in (f"{P}HAVE_{mac(MISSING_FIELD[0])}_{mac(MISSING_FIELD[1])}",
              f"{P}OFFSETOF_{mac(MISSING_FIELD[0])}_{mac(MISSING_FIELD[1])}",
              f"{P}VALUE_{mac(MISSING_CONST)}", f"{P}HAVE_{mac(MISSING_FUNCTION)}"):
        L += [f"#ifdef {m}", f'#error "{m} should not be defined"', "#endif"]
    for c in INTS:
        sa(f"{P}VALUE_{c} == {c}")
        sa(f"({P}VALUE_{c} > 0) == ({c} > 0)")      # catches ULLONG_MAX written as -1
        sa(f"({P}VALUE_{c} < 0) == ({c} < 0)")
    for c in STRINGS:
        sa(f"sizeof({P}VALUE_{c}) == sizeof({c})")
    for d in DEFINED:
        sa(f"{P}HAVE_DECL_{mac(d)} == 1")
    sa(f"{P}HAVE_DECL_{mac(MISSING_DEFINED)} == 0")
    for fn in FUNCTIONS:
        L += [f"#if {P}HAVE_{mac(fn)} != 1", f'#error "{P}HAVE_{mac(fn)} should be 1"', "#endif"]
    L += ["", "int main(void) {", "    int bad = 0;"]
    for c in FLOATS:
        L.append(f'    if (!({P}VALUE_{c} == {c})) {{ printf("FLOAT %s\\n", "{c}"); bad = 1; }}')
    for c in STRINGS:
        L.append(f'    if (memcmp({P}VALUE_{c}, {c}, sizeof({c})) != 0) {{ printf("STRING %s\\n", "{c}"); bad = 1; }}')
    L += ['    if (!bad) printf("OK\\n");', "    return bad;", "}"]
    return "\n".join(L) + "\n"


def probe(extra):
    d = tempfile.mkdtemp(dir=WORK)
    p, _ = pptest.probe(spec(), ["-f", "header", *extra], tmpdir=d)
    return p


def compile_and_run(tag, header_text, P, cc):
    d = tempfile.mkdtemp(dir=WORK)
    with open(os.path.join(d, "generated.h"), "w") as f:
        f.write(header_text)
    with open(os.path.join(d, "assert.c"), "w") as f:
        f.write(assertion_file(P))
    exe = os.path.join(d, "assert")
    c = subprocess.run([cc, "-std=c11", "-Wall", "-Werror", "-I", d, "-I", DATA,
                        os.path.join(d, "assert.c"), "-o", exe], capture_output=True, text=True)
    if check(f"{tag}: assertion file compiles with {cc} -std=c11 -Wall -Werror", c.returncode == 0,
             c.stderr[-4000:] + "\n--- header ---\n" + header_text[:4000]):
        r = subprocess.run([exe], capture_output=True, text=True)
        check(f"{tag}: {cc}: float and string values match at run time",
              r.returncode == 0 and r.stdout.strip() == "OK", r.stdout)


def defines(text):
    return re.findall(r"^\s*#\s*define\s+([A-Za-z_][A-Za-z0-9_]*)", text, re.M)


def main():
    P = "PP_"
    p = probe(["--prefix", P])
    if check("prefix: exit 0", p.returncode == 0 and p.stdout, f"exit {p.returncode}: {p.stderr[-3000:]}"):
        text = p.stdout
        compile_and_run("prefix", text, P, "gcc")
        compile_and_run("prefix", text, P, "clang")
        names = defines(text)
        check("prefix: every macro carries the prefix", names and all(n.startswith(P) for n in names),
              repr([n for n in names if not n.startswith(P)]))
        values = sorted(n[len(P) + len("VALUE_"):] for n in names if n.startswith(P + "VALUE_"))
        check("prefix: exactly one VALUE_ macro per answered identifier constant (none for -1 etc.)",
              values == sorted(INTS + FLOATS + STRINGS), repr(values))
        check("prefix: missing function is written as #undef",
              re.search(rf"/\*\s*#\s*undef\s+{P}HAVE_{mac(MISSING_FUNCTION)}\s*\*/", text) is not None, text[-2000:])
        check("prefix: missing optional type gives SIZEOF 0",
              re.search(rf"^\s*#\s*define\s+{P}SIZEOF_{mac(MISSING_TYPE)}\s+0\s*$", text, re.M) is not None, text[:3000])
        check("prefix: no duplicate conflicting macros", all(
              len(set(re.findall(rf"^\s*#\s*define\s+{n}\b(.*)$", text, re.M))) == 1 for n in set(names)), "")

        # without --prefix: the same macros, without the prefix
        q = probe([])
        if check("no prefix: exit 0", q.returncode == 0 and q.stdout, q.stderr[-3000:]):
            check("no prefix: same macro names minus the prefix",
                  sorted(defines(q.stdout)) == sorted(n[len(P):] for n in names),
                  repr(sorted(set(defines(q.stdout)) ^ set(n[len(P):] for n in names))))
            compile_and_run("no prefix", q.stdout, "", "gcc")

        # -o FILE: same text as stdout, nothing on stdout, an existing file replaced
        d = tempfile.mkdtemp(dir=WORK)
        out = os.path.join(d, "config.h")
        with open(out, "w") as f:
            f.write("old content that must go\n" * 1000)
        r = probe(["--prefix", P, "-o", out])
        check("-o: exit 0", r.returncode == 0, r.stderr[-2000:])
        check("-o: nothing on stdout", r.stdout == "", r.stdout[:500])
        with open(out) as f:
            written = f.read()
        check("-o: file has the same text as stdout", written == text,
              f"file {len(written)} chars vs stdout {len(text)} chars")
        check("-o: no temp files left beside FILE", os.listdir(d) == ["config.h"], repr(os.listdir(d)))

    # A constant written as an expression gets a comment quoting it; "*/" in it must not end the
    # comment (an optional constant that fails still gets the comment). gcc -Werror judges.
    d = tempfile.mkdtemp(dir=WORK)
    sp = os.path.join(d, "expr.json")
    with open(sp, "w") as f:
        json.dump({"headers": ["stdio.h"], "constants": [{"name": "2 */ 1", "optional": True}]}, f)
    r = pptest.run(["probe", sp, "-f", "header", "-o", os.path.join(d, "expr.h")])
    if check("an expression with '*/': header written", r.returncode == 0, r.stderr[-2000:]):
        cc = subprocess.run(["cc", "-Wall", "-Werror", "-fsyntax-only", "-include",
                             os.path.join(d, "expr.h"), "-x", "c", os.devnull],
                            capture_output=True, text=True)
        check("an expression with '*/': the header compiles with -Werror", cc.returncode == 0,
              cc.stderr[-1500:])
    pptest.done()


if __name__ == "__main__":
    main()
