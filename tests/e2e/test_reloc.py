"""Debug relocations applied by platprobe itself (src/pp_reloc.c, issue 18), in make check: whole
layouts read from objects of three kinds of relocation, each checked by that compiler's own
_Static_assert: big-endian o32 MIPS (REL, addend in place), mips64el n64 (RELA, three types packed
in r_info) and riscv64 (RELA with add/subtract pairs, from the header's function, which the
probe compiles). The full
matrix of 20 targets is make check-targets. And an object whose debug section has a relocation
type platprobe does not know (a compiler wrapper rewrites one) is never read wrong: the struct
says "fields_complete": false and the warning names the type, the machine and the section."""
import atexit
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile

import pptest
from pptest import check

WORK = tempfile.mkdtemp(prefix="pptest-reloc-")
atexit.register(shutil.rmtree, WORK, True)
HDR = os.path.join(WORK, "reloc.h")
with open(HDR, "w") as f:
    f.write("struct rl { char c; long l; short s[3]; unsigned b : 5; void *p; };\n"
            "int rl_f(int x) { return x * 3 + 1; }\n"
            "enum rl_e { RL_NEG = -7, RL_BIG = 0x7fffffff };\n")
SPEC = {"include_dirs": [WORK], "headers": ["time.h", "reloc.h"],
        "structs": ["struct rl", "struct timespec"], "enums": ["enum rl_e"]}
# .ci/deps installs these three.
TARGETS = ["mips-linux-gnu", "mips64el-linux-gnuabi64", "riscv64-linux-gnu"]


def asserts(doc: dict) -> str:
    """The result's sizes, offsets and enum values as _Static_asserts."""
    out = ["#include <stddef.h>", "#include <time.h>", '#include "reloc.h"']
    for s, r in doc["structs"].items():
        out.append(f"_Static_assert(sizeof({s}) == {r['size']}, \"\");")
        out.append(f"_Static_assert(_Alignof({s}) == {r['align']}, \"\");")
        for fl in r.get("fields", []):
            if "bit_size" not in fl:
                out.append(f"_Static_assert(offsetof({s}, {fl['name']}) == {fl['offset']}, \"\");")
    for k, v in doc["enums"]["enum rl_e"]["values"].items():
        out.append(f"_Static_assert({k} == {v}, \"\");")
    return "\n".join(out) + "\n"


for t in TARGETS:
    cc = f"{t}-gcc"
    if not check(f"{t}: {cc} is installed (.ci/deps)", shutil.which(cc), "not on PATH"):
        continue
    p, doc = pptest.probe(SPEC, ["--target", t], tmpdir=WORK)
    if not check(f"{t}: whole layouts and enum values read", doc is not None, p.stderr[-1500:]):
        continue
    st = doc["structs"]
    check(f"{t}: fields_complete, every member, no warning",
          all(r.get("fields_complete") is True for r in st.values()) and not p.stderr.strip() and
          [f["name"] for f in st["struct rl"]["fields"]] == ["c", "l", "s", "b", "p"],
          p.stderr[-1500:] + str(st["struct rl"]))
    src = os.path.join(WORK, f"check-{t}.c")
    with open(src, "w") as f:
        f.write(asserts(doc))
    c = subprocess.run([cc, "-fsyntax-only", "-I", WORK, src], capture_output=True, text=True)
    check(f"{t}: every offset, size and value agrees with {cc}'s _Static_assert",
          c.returncode == 0, c.stderr[-1500:])

# An unknown relocation type: a wrapper compiles, then rewrites the type of the first relocation
# of .rela.debug_info (x86_64: r_info's low 32 bits) to 250.
PATCH = os.path.join(WORK, "patch.py")
with open(PATCH, "w") as f:
    f.write(r'''import struct, sys
p = sys.argv[1]
b = bytearray(open(p, "rb").read())
shoff, = struct.unpack_from("<Q", b, 0x28)
shentsize, shnum, shstrndx = struct.unpack_from("<HHH", b, 0x3a)
def sh(i):
    return struct.unpack_from("<IIQQQQIIQQ", b, shoff + i * shentsize)
stroff = sh(shstrndx)[4]
for i in range(shnum):
    h = sh(i)
    name = b[stroff + h[0]:b.index(0, stroff + h[0])].decode()
    if name == ".rela.debug_info":
        struct.pack_into("<I", b, h[4] + 8, 250)
        break
open(p, "wb").write(b)
''')
WRAP = os.path.join(WORK, "patch-gcc")
with open(WRAP, "w") as f:
    f.write(f'#!/bin/sh\ngcc "$@" || exit $?\nout=\nwhile [ $# -gt 0 ]; do [ "$1" = -o ] && '
            f'out=$2; shift; done\ncase "$out" in *.o) "{sys.executable}" "{PATCH}" "$out";; '
            'esac\n')
os.chmod(WRAP, 0o755)
p, doc = pptest.probe({"headers": ["time.h"], "structs": ["struct timespec"]}, ["--cc", WRAP],
                      tmpdir=WORK)
r = (doc or {}).get("structs", {}).get("struct timespec", {})
check("an unknown relocation type: fields_complete false, size and alignment only",
      r.get("fields_complete") is False and "fields" not in r and r.get("size") == 16,
      p.stderr[-1500:] + str(r))
check("an unknown relocation type: the warning names type, machine and section",
      re.search(r"warning: .*relocation type 250 \(machine 62\) in \.debug_info is not one "
                r"platprobe applies", p.stderr) is not None, p.stderr[-1500:])
pptest.done()
