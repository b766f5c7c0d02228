"""Never a silent downgrade (issue 18): a struct asked with no "fields" whose debug information
cannot be read (a COFF object from mingw-w64, an ELF object from a compiler that wrote no DWARF)
says "fields_complete": false, stderr carries one warning naming the entry, the object format and
the reason (a cache hit too), and every output format treats it as opaque bytes of the size and
alignment that the compiler's own sizeof/_Alignof give (a C program here), never as an empty
struct: the header's SIZEOF/ALIGNOF, the guard compiled by gcc, the ctypes module imported, the
Rust module built by rustc. A struct with listed fields is not affected."""
import atexit
import ctypes
import importlib.util
import json
import os
import shutil
import subprocess
import tempfile

import pptest
from pptest import check

WORK = tempfile.mkdtemp(prefix="pptest-opaque-")
atexit.register(shutil.rmtree, WORK, True)

SPEC = {"defines": {"_GNU_SOURCE": "1"}, "headers": ["sys/stat.h", "time.h"],
        "structs": ["struct stat", "struct timespec", {"name": "struct tm", "fields": ["tm_sec"]}]}
OPAQUE = ["struct stat", "struct timespec"]

# A compiler that writes no debug information whatever it is asked.
NOG = os.path.join(WORK, "nog-gcc")
with open(NOG, "w") as f:
    f.write('#!/bin/sh\nexec gcc "$@" -g0\n')
os.chmod(NOG, 0o755)


def warnings(stderr: str) -> list:
    """The warning lines of a run."""
    return [ln for ln in stderr.splitlines() if ": warning: " in ln]


def opaque_run(label: str, args: list, fmt: str, reason: str) -> dict:
    """Probes SPEC with args; checks the JSON and the warnings; returns the result."""
    p, doc = pptest.probe(SPEC, args, tmpdir=WORK)
    if not check(f"{label}: exits 0", doc is not None, p.stderr[-1500:]):
        return {}
    st = doc["structs"]
    for i, s in enumerate(OPAQUE):
        r = st[s]
        check(f"{label}: {s} says \"fields_complete\": false and lists no fields",
              r.get("fields_complete") is False and "fields" not in r, json.dumps(r))
        w = [ln for ln in warnings(p.stderr) if f'structs[{i}] "{s}"' in ln]
        check(f"{label}: one warning for {s} naming the {fmt} output and why",
              len(w) == 1 and fmt in w[0] and reason in w[0], p.stderr[-1500:])
    check(f"{label}: struct tm, with listed fields, has no fields_complete and its field",
          "fields_complete" not in st["struct tm"] and
          [f["name"] for f in st["struct tm"]["fields"]] == ["tm_sec"], json.dumps(st["struct tm"]))
    check(f"{label}: exactly {len(OPAQUE)} warnings", len(warnings(p.stderr)) == len(OPAQUE),
          p.stderr[-1500:])
    return doc


opaque_run("mingw-w64 (COFF)", ["--target", "x86_64-w64-mingw32"], "COFF/PE", "only from ELF")
opaque_run("mingw-w64 (COFF), a cache hit", ["--target", "x86_64-w64-mingw32"],
                    "COFF/PE", "only from ELF")
doc = opaque_run("gcc -g0 (ELF, no DWARF)", ["--cc", NOG], "ELF", "no DWARF")

# --from: the saved result keeps its "fields_complete": false.
saved = os.path.join(WORK, "saved.json")
spec_path = os.path.join(WORK, "spec.json")
with open(saved, "w") as f:
    json.dump(doc, f)
p = pptest.run(["probe", spec_path, "--from", saved])
back = json.loads(p.stdout) if p.returncode == 0 else {}
check("--from keeps \"fields_complete\": false",
      all(back.get("structs", {}).get(s, {}).get("fields_complete") is False for s in OPAQUE),
      p.stderr[-1500:])

# The compiler's own answers, from a C program.
src = "#define _GNU_SOURCE 1\n#include <sys/stat.h>\n#include <time.h>\n#include <stdio.h>\n" \
      "int main(void) {\n" + "".join(
          f'printf("%zu %zu\\n", sizeof({s}), _Alignof({s}));\n' for s in OPAQUE) + "}\n"
want = {s: tuple(int(x) for x in ln.split())
        for s, ln in zip(OPAQUE, pptest.cc_run(src).splitlines())}
for s in OPAQUE:
    r = doc["structs"][s]
    check(f"-g0: {s} size and alignment are the compiler's", (r["size"], r["align"]) == want[s],
          f"{(r['size'], r['align'])} != {want[s]}")


def generate(fmt: str, ext: str) -> str:
    """Writes the -g0 probe's output in fmt; its path."""
    out = os.path.join(WORK, f"opaque_{fmt}.{ext}")
    p = pptest.run(["probe", spec_path, "--cc", NOG, "-f", fmt, "-o", out])
    check(f"-f {fmt} succeeds", p.returncode == 0, p.stderr[-1500:])
    return out


hdr = open(generate("header", "h")).read()
for s in OPAQUE:
    m = s.upper().replace(" ", "_")
    check(f"-f header: {s} has SIZEOF and ALIGNOF as the compiler's",
          f"#define SIZEOF_{m} {want[s][0]}\n" in hdr and
          f"#define ALIGNOF_{m} {want[s][1]}\n" in hdr,
          hdr[-1500:])

guard = generate("guard", "h")
c = subprocess.run(["gcc", "-std=c11", "-fsyntax-only", "-include", "sys/stat.h", "-include",
                    "time.h", "-D_GNU_SOURCE", "-x", "c", guard], capture_output=True, text=True)
g = open(guard).read()
check("-f guard compiles and asserts each opaque struct's sizeof and _Alignof",
      c.returncode == 0 and all(f"sizeof({s}) == {want[s][0]}" in g and
                                f"_Alignof({s}) == {want[s][1]}" in g for s in OPAQUE),
      c.stderr[-1500:])

py = generate("python", "py")
mod = None
try:
    sp = importlib.util.spec_from_file_location("opaque_py", py)
    mod = importlib.util.module_from_spec(sp)
    sp.loader.exec_module(mod)
except Exception as e:  # noqa: BLE001 - the import's failure is what the check reports
    check("-f python: the module imports (its layout checks pass)", False, repr(e))
if mod:
    for s, cls in (("struct stat", "stat"), ("struct timespec", "timespec")):
        k = getattr(mod, cls)
        check(f"-f python: {s} is opaque bytes of the compiler's size and alignment",
              (ctypes.sizeof(k), ctypes.alignment(k)) == want[s] and k._fields_,
              f"{(ctypes.sizeof(k), ctypes.alignment(k))} {k._fields_}")

rs = generate("rust", "rs")
rustc = shutil.which("rustc") or "/usr/bin/rustc"
c = subprocess.run([rustc, "--crate-type=lib", "--edition=2021", "-o",
                    os.path.join(WORK, "libopaque.rlib"), rs], capture_output=True, text=True)
r = open(rs).read()
RS = (("struct stat", "stat"), ("struct timespec", "timespec"))
check("-f rust builds with rustc, asserting each opaque struct's size and alignment",
      c.returncode == 0 and all(f"size_of::<{n}>() == {want[s][0]}" in r and
                                f"align_of::<{n}>() == {want[s][1]}" in r for s, n in RS),
      c.stderr[-1500:])
pptest.done()
