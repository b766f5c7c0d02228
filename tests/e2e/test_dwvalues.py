"""Constants answered from debug information (constant_dw.c, pp_dwvalues.c): where the object is
ELF and platprobe reads DWARF, a constant's class, sign, size and place come from its member's
DWARF, and the compiler is asked only whether it is a constant. Each target's answers must be
byte for byte those of the other way (every question asked of the compiler in slots), which a
compiler that writes no debug information forces: a wrapper that drops -g makes the DWARF read
fail, and platprobe compiles again with the questions. Values are checked against what a
hand-written C program prints (the compiler's own word), run natively, -m32 and under qemu."""
import atexit
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pptest  # noqa: E402
from pptest import check  # noqa: E402

WORK = tempfile.mkdtemp(prefix="pptest-dwvalues-")
atexit.register(shutil.rmtree, WORK, True)

HEADER = r"""enum e { NEG = -1, A0 };
enum u { U1 = 1 };
extern int gx;
typedef char gchar;
#define CI 1
#define CU 0x80000000U
#define UC ((unsigned char)200)
#define SC ((signed char)-5)
#define SH ((short)-3)
#define USH ((unsigned short)65535)
#define BO ((_Bool)1)
#define CH 'a'
#define PC ((char)-1)
#define FL 1.5
#define FF 1.5f
#define LD ((long double)1.25)
#define NANV (0.0/0)
#define STR "abc"
#define GSTR ((const gchar *)"g")
#define WSTR L"ab"
#define NP ((void*)0)
#define EN ((enum e)-1)
#define EU ((enum u)1)
#define CPLX (2.0 * 1.0i)
#define ADDR ((long)&gx)
#define SV ((struct { int a; }){1})
#define BIGU 18446744073709551615ULL
#define NEGL (-9223372036854775807LL-1)
"""
NAMES = ("CI CU UC SC SH USH BO CH PC FL FF LD NANV STR GSTR WSTR NP EN EU CPLX ADDR SV BIGU "
         "NEGL").split()
# The integers, as the compiler prints them: value and whether the type is signed.
INTS = ("CI CU UC SC SH USH BO CH PC EN EU BIGU NEGL").split()
CHECK_C = HEADER + r"""#include <stdio.h>
#define SIGNED(X) ((__typeof__(X))-1 < 0)
#define P(X) (SIGNED(X) ? printf(#X " %lld 1 %zu\n", (long long)(X), sizeof(X)) \
                        : printf(#X " %llu 0 %zu\n", (unsigned long long)(X), sizeof(X)))
int main(void)
{
""" + "".join(f"\tP({n});\n" for n in INTS) + "\treturn 0;\n}\n"

with open(os.path.join(WORK, "h.h"), "w") as f:
    f.write(HEADER)
SPEC = os.path.join(WORK, "spec.json")
with open(SPEC, "w") as f:
    json.dump({"include_dirs": ["."], "headers": ["h.h"],
               "constants": [{"name": n, "optional": True} for n in NAMES]}, f)

# A compiler that writes no debug information: the DWARF read fails and platprobe must ask again.
NOG = os.path.join(WORK, "nog")
with open(NOG, "w") as f:
    f.write('#!/bin/bash\nreal=$1; shift\nargs=()\nfor a in "$@"; do [ "$a" = -g ] || args+=("$a")'
            '; done\nexec $real "${args[@]}"\n')
os.chmod(NOG, 0o755)


def have(cmd):
    return shutil.which(cmd) is not None


TARGETS = [("native", "cc", [], None)]
TARGETS.append(("-m32", "gcc -m32", ["-m32"], None))
TARGETS.append(("aarch64", "aarch64-linux-gnu-gcc", [],
                ["qemu-aarch64", "-L", "/usr/aarch64-linux-gnu"]))
TARGETS.append(("s390x", "s390x-linux-gnu-gcc", [], ["qemu-s390x", "-L", "/usr/s390x-linux-gnu"]))

for label, cc, cflags, wrapper in TARGETS:
    words = cc.split()
    out_a = os.path.join(WORK, label + "-dw.json")
    out_b = os.path.join(WORK, label + "-slots.json")
    env = {"XDG_CACHE_HOME": os.path.join(WORK, "cache-" + label)}
    a = pptest.run(["probe", SPEC, "--cc", cc, "--no-cache", "-v", "--keep-temps", "-o", out_a],
                   env=env, cwd=WORK)
    if not check(f"{label}: probes", a.returncode == 0, a.stderr[-2000:]):
        continue
    keep = [ln.split(" in ", 1)[1] for ln in a.stderr.splitlines() if "keeping temp files in" in ln]
    src = ""
    if keep:
        with open(os.path.join(keep[0], "probe.c")) as f:
            src = f.read()
        shutil.rmtree(keep[0], True)
    check(f"{label}: the constants are asked only whether they are constants (DWARF gives the rest)",
          "__builtin_constant_p(CU) << 11" in src and "PP_CINFO(PP_VALUE_OF" not in src and
          "compiling again" not in a.stderr, a.stderr[-1500:])
    b = pptest.run(["probe", SPEC, "--cc", f"{NOG} {cc}", "--no-cache", "-v", "-o", out_b],
                   env=env, cwd=WORK)
    check(f"{label}: without debug information it compiles again with the questions",
          b.returncode == 0 and "compiling again with their questions" in b.stderr,
          b.stderr[-2000:])
    with open(out_a) as f:
        da = json.load(f)
    with open(out_b) as f:
        db = json.load(f)
    for k in ("constants", "constant_types"):
        check(f"{label}: {k} identical both ways", da[k] == db[k],
              json.dumps(da[k]) + "\n" + json.dumps(db[k]))
    # The compiler's own word on every integer.
    try:
        printed = pptest.cc_run(CHECK_C, cflags=cflags + ["-I", WORK], cc=words[0],
                                wrapper=wrapper)
    except (subprocess.CalledProcessError, OSError) as e:
        check(f"{label}: the C check program runs", False, str(e))
        continue
    for line in printed.splitlines():
        name, value, signed, size = line.split()
        ct = da["constant_types"][name]
        check(f"{label}: {name} = {value}, signed {signed}, size {size}",
              da["constants"][name] == int(value) and ct["signed"] == (signed == "1") and
              ct["size"] == int(size), f"{da['constants'][name]} {ct}")
    c = da["constants"]
    ct = da["constant_types"]
    check(f"{label}: floats", c["FL"] == 1.5 and c["FF"] == 1.5 and c["LD"] == 1.25 and
          c["NANV"] == "nan" and ct["FF"]["size"] == 4, json.dumps(c))
    check(f"{label}: strings: plain char arrays only", c["STR"] == "abc" and
          ct["STR"]["kind"] == "array" and c["WSTR"] is None, json.dumps(c))
    check(f"{label}: pointers", c["NP"] == 0 and ct["NP"]["kind"] == "pointer" and
          ct["GSTR"]["kind"] == "pointer", json.dumps(ct))
    check(f"{label}: a complex number, an address and a struct are refused",
          c["CPLX"] is None and c["ADDR"] is None and c["SV"] is None, json.dumps(c))

pptest.done()
