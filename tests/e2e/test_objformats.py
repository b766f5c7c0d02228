"""Object formats and byte orders: the answer table is found with no format parser in Mach-O
(arm64, x86_64), COFF (MSVC ABI), and big- and little-endian 32- and 64-bit ELF, all made by
clang without system headers. Every answer is then checked by the same compiler: a file of
_Static_asserts built from platprobe's answers must compile for that target (and a wrong one must
not), and the object's own header says which format was scanned."""
import json
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pptest
from pptest import check

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
TARGETS = {  # clang triple: (object format, big endian)
    "arm64-apple-macos11": ("macho", False),
    "x86_64-apple-macos10.15": ("macho", False),
    "x86_64-pc-windows-msvc": ("coff", False),
    "i386-pc-windows-msvc": ("coff", False),
    "powerpc-linux-gnu": ("elf", True),
    "mips-linux-gnu": ("elf", True),
    "s390x-linux-gnu": ("elf", True),
    "i386-linux-gnu": ("elf", False),
    "riscv64-linux-gnu": ("elf", False),
}
TYPES = ["char", "signed char", "unsigned short", "int", "long", "long long", "unsigned long long",
         "void *", "float", "double", "long double", "union pp_u", "int (*)(int)", "char[7]"]
CONSTS = {"-1": None, "(1ULL<<63)": None, "-2147483647-1": None, "0x80000000U": None,
          "1.5": None, "(-9223372036854775807LL-1)": None}
spec = {"include_dirs": [DATA], "headers": ["nolibc.h"], "types": TYPES,
        "structs": [{"name": "struct pp_s", "fields": ["c", "d", "s", "s[2]", "ll", "p", "bits", "sbits"]}],
        "constants": list(CONSTS)}


def c_literal(v):
    if isinstance(v, float):
        return repr(v)
    if v == -2**63:
        return "(-9223372036854775807LL-1)"
    return f"({v}LL)" if v < 0 else f"{v}ULL"


def asserts(doc):
    """_Static_asserts stating every answer, for the compiler to judge."""
    a = ['#include "nolibc.h"', "#define A(c) _Static_assert(c, #c)"]
    for t, r in doc["types"].items():
        a.append(f"A(sizeof({t}) == {r['size']} && _Alignof({t}) == {r['align']});")
        a.append(f"A(__alignof__({t}) == {r.get('preferred_align', r['align'])});")
        if "signed" in r:
            a.append(f"A((({t})-1 < 0) == {int(r['signed'])});")
        if r["kind"] == "array":
            a.append(f"A(sizeof({t}) / sizeof(((__typeof__({t}) *)0)[0][0]) == {r['count']});")
    for s, r in doc["structs"].items():
        a.append(f"A(sizeof({s}) == {r['size']} && _Alignof({s}) == {r['align']});")
        for f in r["fields"]:
            if "bit_size" in f:
                continue  # checked below by setting the bits
            a.append(f"A(__builtin_offsetof({s}, {f['name']}) == {f['offset']});")
            a.append(f"A(sizeof((({s} *)0)->{f['name']}) == {f['size']});")
    for i, (c, v) in enumerate(doc["constants"].items()):
        if isinstance(v, float):  # not an integer constant expression: divide by the comparison
            a.append(f"static const int float_ok_{i} = 1 / (({c}) == {c_literal(v)});")
        else:
            a.append(f"A(({c}) == {c_literal(v)});")
    return "\n".join(a) + "\n"


def compiles(triple, src, obj=None):
    """Whether SRC compiles (-c) for TRIPLE; and clang's messages."""
    with tempfile.TemporaryDirectory() as d:
        c = os.path.join(d, "a.c")
        with open(c, "w") as fh:
            fh.write(src)
        p = subprocess.run(["clang", f"--target={triple}", "-I", DATA, "-c", c, "-o",
                            obj or os.path.join(d, "a.o")], capture_output=True, text=True)
        return p.returncode == 0, p.stderr


def object_kind(path):
    with open(path, "rb") as f:
        h = f.read(6)
    if h[:4] == b"\x7fELF":
        return "elf", h[5] == 2
    if h[:4] in (b"\xcf\xfa\xed\xfe", b"\xce\xfa\xed\xfe"):
        return "macho", False
    if h[:2] in (b"\x64\x86", b"\x4c\x01", b"\x64\xaa"):
        return "coff", False
    return "?", None


with tempfile.TemporaryDirectory(prefix="pptest-objfmt-") as work:
    os.environ["TMPDIR"] = work
    path = os.path.join(work, "spec.json")
    with open(path, "w") as f:
        json.dump(spec, f)
    for triple, (fmt, big) in TARGETS.items():
        cc = f"clang --target={triple}"
        p = pptest.run(["probe", path, "--cc", cc, "--keep-temps"])
        kept = [ln.split()[-1] for ln in p.stderr.splitlines() if "keeping temp files" in ln]
        if not check(f"{triple}: probe exit 0", p.returncode == 0, p.stderr[-1500:]):
            continue
        doc = json.loads(p.stdout)
        got = object_kind(os.path.join(kept[0], "probe.o")) if kept else ("?", None)
        check(f"{triple}: the scanned object is {fmt}{' big-endian' if big else ''}",
              got[0] == fmt and (fmt != "elf" or got[1] == big), str(got))
        check(f"{triple}: target endian {'big' if big else 'little'}",
              doc["target"]["endian"] == ("big" if big else "little"), str(doc["target"]))
        src = asserts(doc)
        ok, err = compiles(triple, src)
        check(f"{triple}: the compiler agrees with every answer ({src.count('A(') - 1} asserts)", ok, err[-1500:])
        wrong = src + f"A(sizeof(long) == {doc['types']['long']['size'] + 1});\n"
        check(f"{triple}: control: a wrong answer fails to compile", not compiles(triple, wrong)[0], "")
        # Bitfields: the declaration fixes their widths, and "unsigned bits : 5; int sbits : 3;"
        # share one unit, so sbits starts where bits ends (bit numbers from the struct's start,
        # counted from the most significant end on big-endian targets, as DWARF counts them).
        bf = {f["name"]: f for f in doc["structs"]["struct pp_s"]["fields"] if "bit_size" in f}
        check(f"{triple}: bitfield widths 5 and 3", [bf.get("bits", {}).get("bit_size"),
              bf.get("sbits", {}).get("bit_size")] == [5, 3], str(bf))
        if len(bf) == 2:
            check(f"{triple}: sbits follows bits in the same unit",
                  bf["sbits"]["bit_offset"] == bf["bits"]["bit_offset"] + 5, str(bf))
            ll_end = next(f for f in doc["structs"]["struct pp_s"]["fields"] if f["name"] == "p")
            check(f"{triple}: the bitfields come after p",
                  bf["bits"]["bit_offset"] >= 8 * (ll_end["offset"] + ll_end["size"]), str(bf))
        for k in kept:
            subprocess.run(["rm", "-rf", k])
pptest.done()
