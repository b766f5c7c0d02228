"""End-to-end: an MSVC-style driver, Debian's clang-cl --target=x86_64-pc-windows-msvc, on headers
that need no Windows SDK (clang's freestanding headers and the test's own). platprobe tells the
dialect from the compiler's own behaviour (a wrapper script named mycc works alike), compiles with
/c /Fo /showIncludes, isolates failing entries from its FILE(LINE,COL): error: messages, writes
the depfile and caches from /showIncludes. Every answer is checked by the same compiler: a C file
of _Static_asserts over the result compiles with clang-cl (and fails with the host's gcc, so the
checks discriminate); bit-field positions come from the bytes clang-cl itself put in a COFF
object for initialised structs."""
import atexit, json, os, shutil, stat, struct, subprocess, sys, tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pptest  # noqa: E402
from pptest import check  # noqa: E402

WORK = tempfile.mkdtemp(prefix="pptest-clangcl-")
atexit.register(shutil.rmtree, WORK, True)
CLANG_CL = next((p for p in (shutil.which("clang-cl"), shutil.which("clang-cl-14"),
                             "/usr/lib/llvm-14/bin/clang-cl") if p and os.access(p, os.X_OK)), None)
if not check("clang-cl is installed (clang-tools-14, .ci/deps)", CLANG_CL, "no clang-cl"):
    pptest.done()
TARGET = "--target=x86_64-pc-windows-msvc"
CC = f"{CLANG_CL} {TARGET}"

with open(os.path.join(WORK, "msvc.h"), "w") as f:
    f.write("struct bits { char a : 4; int b : 4; };\n"          # MSVC: a new unit for b
            "struct bits2 { int a : 4; char b : 4; unsigned c : 3; };\n"
            "struct mixed { char c; long l; wchar_t w; double d; };\n"
            "#define MSVC_H_ANSWER (6 * 7)\n")
SPEC = {"headers": ["stddef.h", "stdint.h", "limits.h", "float.h", "msvc.h"],
        "include_dirs": [WORK],
        "types": ["long", "unsigned long", "wchar_t", "size_t", "long long", "void *",
                  "long double", "intptr_t", {"name": "no_such_type_t", "optional": True}],
        "structs": [{"name": "struct mixed", "fields": ["c", "l", "w", "d"]},
                    {"name": "struct bits", "fields": ["a", "b"]},
                    {"name": "struct bits2", "fields": ["a", "b", "c"]}],
        "constants": ["LONG_MAX", "ULONG_MAX", "WCHAR_MAX", "SIZE_MAX", "CHAR_BIT", "INT64_MIN",
                      "MSVC_H_ANSWER", {"name": "NO_SUCH_CONSTANT", "optional": True}],
        "defined": ["_MSC_VER", "_WIN64", {"name": "__linux__", "optional": True}]}
spec_path = os.path.join(WORK, "spec.json")
with open(spec_path, "w") as f:
    json.dump(SPEC, f)

cache = os.path.join(WORK, "cache")
out, dep = os.path.join(WORK, "out.json"), os.path.join(WORK, "out.d")
p = pptest.run(["probe", spec_path, "--cc", CC, "--cache-dir", cache, "-o", out,
                "--depfile", dep, "-v"])
check("clang-cl: the probe succeeds", p.returncode == 0, p.stderr[-3000:])
check("the dialect is told from the compiler, and /c /Fo /showIncludes used",
      "MSVC-style driver" in p.stderr and "/showIncludes" in p.stderr and " /c " in p.stderr
      and "/Fo" in p.stderr, p.stderr[-3000:])
doc = json.load(open(out)) if p.returncode == 0 else None
if not doc:
    pptest.done()
check("target: x86_64-pc-windows-msvc, LLP64", doc["target"]["triple"].startswith(
    "x86_64-pc-windows-msvc") and doc["target"]["data_model"] == "LLP64", doc["target"])
check("optional missing entries are null (isolated from clang-cl's messages)",
      doc["types"]["no_such_type_t"] is None and doc["constants"]["NO_SUCH_CONSTANT"] is None,
      json.dumps(doc["types"]))

# The compiler's own _Static_asserts over every answer.
asserts = ['#include <stddef.h>\n#include <stdint.h>\n#include <limits.h>\n#include <float.h>\n'
           '#include "msvc.h"\n#define SA(x) _Static_assert(x, #x)\n']
for t, a in doc["types"].items():
    if a is None:
        continue
    asserts.append(f"SA(sizeof({t}) == {a['size']});\nSA(_Alignof({t}) == {a['align']});\n")
    if "signed" in a:
        asserts.append(f"SA((({t})-1 < ({t})0) == {int(a['signed'])});\n")
for s, a in doc["structs"].items():
    asserts.append(f"SA(sizeof({s}) == {a['size']});\nSA(_Alignof({s}) == {a['align']});\n")
    for f in a["fields"]:
        if "bit_offset" not in f:
            asserts.append(f"SA(offsetof({s}, {f['name']}) == {f['offset']});\n"
                           f"SA(sizeof((({s} *)0)->{f['name']}) == {f['size']});\n")
for c, v in doc["constants"].items():
    if isinstance(v, int):
        lit = f"{v}ULL" if v > 2**63 - 1 else f"({v + 1}LL - 1)" if v < 0 else f"{v}LL"
        asserts.append(f"SA({c} == {lit});\n")
for m, v in doc["defined"].items():
    asserts.append(f"#if {'!' if v else ''}defined({m})\n#error {m}\n#endif\n")
src = os.path.join(WORK, "asserts.c")
with open(src, "w") as f:
    f.write("".join(asserts))
n = sum(a.count("SA(") for a in asserts)
r = subprocess.run([CLANG_CL, TARGET, "/nologo", "/c", "/I", WORK, src,
                    "/Fo" + os.path.join(WORK, "asserts.obj")], capture_output=True, text=True)
check(f"clang-cl's own _Static_asserts hold for every answer ({n} asserts)", r.returncode == 0,
      (r.stdout + r.stderr)[-3000:])
r = subprocess.run(["cc", "-c", "-I", WORK, src, "-o", os.path.join(WORK, "host.o")],
                   capture_output=True, text=True)
check("the same asserts fail with the host's cc (LP64): they discriminate", r.returncode != 0,
      "they passed")
check("long is 4 bytes, wchar_t unsigned 2 bytes", doc["types"]["long"]["size"] == 4 and
      doc["types"]["wchar_t"] == {"size": 2, "align": 2, "kind": "int", "signed": False},
      json.dumps(doc["types"]))


def coff_data(obj: str) -> bytes:
    """The raw bytes of the .data section of a COFF object."""
    with open(obj, "rb") as f:
        b = f.read()
    nsec, _, _, _, optsz = struct.unpack_from("<HIIIH", b, 2)
    for i in range(nsec):
        off = 20 + optsz + 40 * i
        name = b[off:off + 8].rstrip(b"\0")
        size, ptr = struct.unpack_from("<II", b, off + 16)
        if name == b".data":
            return b[ptr:ptr + size]
    return b""


# Bit-fields: clang-cl's own bytes for each field set to 1 alone (lowest set bit = bit_offset).
for s in ("struct bits", "struct bits2"):
    for f in doc["structs"][s]["fields"]:
        src = os.path.join(WORK, "bit.c")
        with open(src, "w") as fh:
            fh.write(f'#include <stddef.h>\n#include "msvc.h"\n{s} v = {{ .{f["name"]} = 1 }};\n')
        obj = os.path.join(WORK, "bit.obj")
        subprocess.run([CLANG_CL, TARGET, "/nologo", "/c", "/I", WORK, src, "/Fo" + obj],
                       check=True, capture_output=True)
        data = int.from_bytes(coff_data(obj)[:doc["structs"][s]["size"]], "little")
        bit = (data & -data).bit_length() - 1
        check(f"{s}.{f['name']}: bit_offset {f.get('bit_offset')} is where clang-cl puts it",
              f.get("bit_offset") == bit, f"clang-cl: bit {bit}")
check("MSVC bit-field layout: struct bits is 8 bytes, b in a unit of its own at bit 32",
      doc["structs"]["struct bits"]["size"] == 8 and
      doc["structs"]["struct bits"]["fields"][1]["bit_offset"] == 32, json.dumps(doc["structs"]))

# Depfile and cache from /showIncludes.
deptext = open(dep).read() if os.path.exists(dep) else ""
check("the depfile names the test header and clang's stddef.h",
      os.path.join(WORK, "msvc.h") in deptext and "stddef.h" in deptext, deptext)
p = pptest.run(["probe", spec_path, "--cc", CC, "--cache-dir", cache, "-v"])
check("the second run is a cache hit that runs no compiler",
      p.returncode == 0 and "cache: hit" in p.stderr and "run:" not in p.stderr, p.stderr[-2000:])
with open(os.path.join(WORK, "msvc.h"), "a") as f:
    f.write("/* changed */\n")
p = pptest.run(["probe", spec_path, "--cc", CC, "--cache-dir", cache, "-v"])
check("a changed header (from /showIncludes) is a cache miss", "a header changed" in p.stderr,
      p.stderr[-2000:])

# Required failures: named by entry with clang-cl's own message; the dialect comes from the
# compiler, not its name: a wrapper called mycc.
wrapper = os.path.join(WORK, "mycc")
with open(wrapper, "w") as f:
    f.write(f'#!/bin/sh\nexec {CLANG_CL} "$@"\n')
os.chmod(wrapper, os.stat(wrapper).st_mode | stat.S_IXUSR)
bad = dict(SPEC, types=["long", "no_such_type_t"], constants=["NO_SUCH_CONSTANT", "LONG_MAX"])
with open(spec_path, "w") as f:
    json.dump(bad, f)
p = pptest.run(["probe", spec_path, "--cc", f"{wrapper} {TARGET}", "--no-cache"])
check("required failures: exit 1, each named with clang-cl's message", p.returncode == 1 and
      'types[1] "no_such_type_t"' in p.stderr and 'constants[0] "NO_SUCH_CONSTANT"' in p.stderr
      and "undeclared identifier" in p.stderr, p.stderr[-2000:])
pptest.done()
