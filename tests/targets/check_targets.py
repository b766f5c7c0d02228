"""The targets matrix (make check-targets, run once by .ci/run): for every ELF target whose cross
compiler Debian ships, platprobe reads whole layouts (struct stat, struct sigaction, siginfo_t,
struct msghdr, struct termios and this directory's targets.h) and an enum from the object's DWARF
with no elfutils machine backend; every size, alignment, offset, member type (as the result names
it) and enum value is checked by the target compiler's own _Static_assert, every bit-field's bits
by a program run under qemu-user, and --mode run under qemu must give the same document as object
mode. A compiler that .ci/deps
installs and is missing fails; others are reported missing."""
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from typing import Optional

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
import pptest  # noqa: E402
from pptest import check  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
WORK = tempfile.mkdtemp(prefix="pptest-targets-")

TARGETS = ["aarch64-linux-gnu", "arm-linux-gnueabi", "arm-linux-gnueabihf", "i686-linux-gnu",
           "x86_64-linux-gnux32", "mips-linux-gnu", "mipsel-linux-gnu", "mips64-linux-gnuabi64",
           "mips64el-linux-gnuabi64", "mipsisa32r6el-linux-gnu", "powerpc-linux-gnu",
           "powerpc64-linux-gnu", "powerpc64le-linux-gnu", "riscv64-linux-gnu", "s390x-linux-gnu",
           "sparc64-linux-gnu", "alpha-linux-gnu", "hppa-linux-gnu", "m68k-linux-gnu",
           "sh4-linux-gnu"]
# Targets whose programs qemu-user cannot run here (found by trying: see README, Cross-compiling).
NO_RUN = {
    "x86_64-linux-gnux32": "the x86_64 kernel here has no x32 system calls and qemu-user no x32 "
                           "mode (Exec format error)",
    "sh4-linux-gnu": "qemu-sh4 (7.2) crashes in the dynamic loader of any program (SIGSEGV), and "
                     "a static one never ends",
}
SCALARS = ["short", "int", "long", "long long", "double", "long double", "void *", "enum tgt_e"]
STRUCTS = ["struct stat", "struct sigaction", "siginfo_t", "struct msghdr", "struct termios",
           "struct tgt_bits", "struct tgt_packed", "struct tgt_mix"]
SPEC = {"defines": {"_GNU_SOURCE": "1"}, "include_dirs": [HERE],
        "headers": ["sys/stat.h", "signal.h", "sys/socket.h", "termios.h", "targets.h"],
        "types": SCALARS,
        "structs": [{"name": s, "fields": "*"} for s in STRUCTS], "enums": ["enum tgt_e"]}
PRELUDE = "#define _GNU_SOURCE 1\n" + "".join(
    f"#include <{h}>\n" for h in SPEC["headers"]) + "#include <stdio.h>\n#include <string.h>\n"


def promised() -> set:
    """The triples whose gcc .ci/deps installs."""
    with open(os.path.join(pptest.TOP, ".ci", "deps")) as f:
        return set(re.findall(r"\bgcc-([a-z0-9_]+-linux-[a-z0-9]+)", f.read()))


def members(fields: list):
    """Every member with a name, nested ones too (their names are paths offsetof takes)."""
    for f in fields:
        if f["name"]:
            yield f
        yield from members(f.get("fields", []))


def asserts(doc: dict) -> str:
    """_Static_asserts of every size, alignment, offset, member type and enum value in the
    result."""
    out = []
    for s, r in doc["structs"].items():
        out.append(f"_Static_assert(sizeof({s}) == {r['size']}, \"{s} size\");")
        out.append(f"_Static_assert(_Alignof({s}) == {r['align']}, \"{s} align\");")
        for f in members(r.get("fields", [])):
            if "bit_size" in f:
                continue
            n = f["name"]
            out.append(f"_Static_assert(offsetof({s}, {n}) == {f['offset']}, \"{s} {n}\");")
            if "<" not in f.get("type", "<"):
                out.append(f"_Static_assert(__builtin_types_compatible_p("
                           f"__typeof__((({s} *)0)->{n}), {f['type']}), \"{s} {n} type\");")
            if not f.get("flexible"):
                out.append(f"_Static_assert(sizeof((({s} *)0)->{n}) == {f['size']}, "
                           f"\"{s} {n} size\");")
    for t, r in doc["types"].items():
        out.append(f"_Static_assert(sizeof({t}) == {r['size']}, \"{t} size\");")
        out.append(f"_Static_assert(_Alignof({t}) == {r['align']}, \"{t} align\");")
    for e, r in doc["enums"].items():
        out.append(f"_Static_assert(sizeof({e}) == {r['size']}, \"{e} size\");")
        for k, v in r["values"].items():
            out.append(f"_Static_assert({k} == {v}, \"{k}\");")
    # Headers define some member names as macros (si_pid is _sifields._kill.si_pid, st_atime is
    # st_atim.tv_sec): the paths the result gives are the members themselves.
    words = sorted({w for r in doc["structs"].values() for f in members(r.get("fields", []))
                    for w in re.findall(r"[A-Za-z_]\w*", f["name"])})
    undefs = "".join(f"#undef {w}\n" for w in words)
    return PRELUDE + undefs + "\n".join(out) + "\n"


def bits_program(doc: dict) -> tuple:
    """A program printing, for each bit-field, the bytes of a zeroed struct with the field set to
    all ones; and the bytes that platprobe's bit_offset and bit_size predict for the target's bit
    order (big-endian: bit 0 is the first byte's most significant)."""
    big = doc["target"]["endian"] == "big"
    body, want = [], []
    for s, r in doc["structs"].items():
        size = r["size"]
        for f in members(r.get("fields", [])):
            if "bit_size" not in f:
                continue
            body.append(f"{{ {s} v; memset(&v, 0, sizeof v); v.{f['name']} = -1; "
                        f"unsigned char *b = (unsigned char *)&v; printf(\"{s}.{f['name']}\"); "
                        f"for (size_t i = 0; i < sizeof v; i++) printf(\" %02x\", b[i]); "
                        f"printf(\"\\n\"); }}")
            image = bytearray(size)
            for k in range(f["bit_offset"], f["bit_offset"] + f["bit_size"]):
                image[k // 8] |= 1 << (7 - k % 8 if big else k % 8)
            want.append(f"{s}.{f['name']}" + "".join(f" {x:02x}" for x in image))
    src = PRELUDE + "int main(void)\n{\n" + "\n".join(body) + "\nreturn 0;\n}\n"
    return src, want


def compile_c(cc: str, src: str, out: Optional[str], d: str) -> subprocess.CompletedProcess:
    """Compiles src with cc (only checks it when out is None)."""
    path = os.path.join(d, "check.c")
    with open(path, "w") as f:
        f.write(src)
    args = [cc, "-std=gnu11", "-w", "-I", HERE, path] + (["-o", out] if out else ["-fsyntax-only"])
    return subprocess.run(args, capture_output=True, text=True, timeout=300)


def wrapper(t: str) -> list:
    """qemu-user for target t, as platprobe picks it."""
    arch = {"powerpc": "ppc", "powerpc64": "ppc64", "powerpc64le": "ppc64le", "i686": "i386",
            "mipsisa32r6el": "mipsel"}.get(t.split("-")[0], t.split("-")[0])
    cpu = ["-cpu", "mips32r6-generic"] if t.startswith("mipsisa32r6") else []
    return [f"qemu-{arch}"] + cpu + ["-L", f"/usr/{t}"]


def peculiar(doc: dict) -> str:
    """Size/alignment of each scalar type, for the README's table."""
    return " ".join(f"{t['size']}/{t['align']}" for t in doc["types"].values())


def one(t: str) -> list:
    """Every check of target t: (name, ok, detail) rows and one summary line."""
    rows = []
    d = tempfile.mkdtemp(prefix=t + "-", dir=WORK)
    cc = f"{t}-gcc"
    p, doc = pptest.probe(SPEC, ["--target", t], tmpdir=d)
    rows.append((f"{t}: object mode reads every whole layout", doc is not None, p.stderr[-1500:]))
    if doc is None:
        return rows, None
    fc = [s for s, r in doc["structs"].items() if r.get("fields_complete") is not True]
    rows.append((f"{t}: fields_complete for all {len(STRUCTS)} structs", not fc, str(fc)))
    rows.append((f"{t}: no warning", not p.stderr.strip(), p.stderr[-1500:]))
    src = asserts(doc)
    c = compile_c(cc, src, None, d)
    rows.append((f"{t}: {src.count('_Static_assert')} sizes, alignments, offsets, member types, "
                 f"enum values agree with {cc}'s _Static_assert", c.returncode == 0,
                 c.stderr[-2000:]))
    if t in NO_RUN:
        rows.append((f"{t}: run mode", None, NO_RUN[t]))
        return rows, doc
    rp, rdoc = pptest.probe(SPEC, ["--target", t, "--mode", "run"], tmpdir=d)
    rows.append((f"{t}: --mode run under qemu gives the same document", rdoc == doc,
                 rp.stderr[-1500:] if rdoc is None else "documents differ"))
    src, want = bits_program(doc)
    exe = os.path.join(d, "bits.exe")
    c = compile_c(cc, src, exe, d)
    got = (subprocess.run(wrapper(t) + [exe], capture_output=True, text=True, timeout=300)
           .stdout.split("\n")[:-1] if c.returncode == 0 else [c.stderr])
    rows.append((f"{t}: {len(want)} bit-fields' bits agree with a program run under qemu",
                 got == want, "\n".join(f"got  {g}\nwant {w}" for g, w in zip(got, want)
                                        if g != w)[:2000]))
    return rows, doc


def main() -> None:
    """Runs the matrix, two targets at a time, and prints a summary table."""
    have = [t for t in TARGETS if shutil.which(f"{t}-gcc")]
    missing = [t for t in TARGETS if t not in have]
    must = promised()
    for t in missing:
        if t in must:
            check(f"{t}: its compiler, which .ci/deps installs", False, f"{t}-gcc not on PATH")
        else:
            print(f"MISSING {t}: {t}-gcc not installed (.ci/deps does not install it)")
    with ThreadPoolExecutor(max_workers=2) as ex:
        results = list(ex.map(one, have))
    summary = []
    for t, (rows, doc) in zip(have, results):
        for name, ok, detail in rows:
            if ok is None:
                pptest.skip(name, detail)
            else:
                check(name, ok, detail)
        if doc:
            tg = doc["target"]
            summary.append(f"{t:26} {tg['data_model']:6} {tg['endian']:6} {peculiar(doc)}")
    print(f"{'target':26} {'model':6} {'endian':6} size/align of " + ", ".join(SCALARS))
    print("\n".join(summary))
    print(f"checked {len(have)} targets; missing: {' '.join(missing) or 'none'}")
    shutil.rmtree(WORK, True)
    pptest.done()


if __name__ == "__main__":
    main()
