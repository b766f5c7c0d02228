"""Cross targets: aarch64 (LP64), armhf (ILP32), s390x (big endian) and mingw-w64 (LLP64, COFF).
For each, object mode (no run) must equal run mode under the emulator (qemu-user, wine), and the
answers must equal a C check program compiled for the target and run under the emulator. The
toolchains are CI's to install (.ci/deps): a missing one fails, it is never skipped."""
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pptest
from pptest import check
import ccheck

WORK = tempfile.mkdtemp(prefix="pptest-cross-")
tempfile.tempdir = WORK
os.environ["WINEPREFIX"] = os.path.join(WORK, "wine")  # a throwaway prefix, made on first use
os.environ["WINEDEBUG"] = "-all"
SPEC = os.path.join(pptest.TOP, "probe", "posix.json")
posix = json.load(open(SPEC))

TARGETS = {
    "aarch64-linux-gnu": ["qemu-aarch64", "-L", "/usr/aarch64-linux-gnu"],
    "arm-linux-gnueabihf": ["qemu-arm", "-L", "/usr/arm-linux-gnueabihf"],
    "s390x-linux-gnu": ["qemu-s390x", "-L", "/usr/s390x-linux-gnu"],
    "x86_64-w64-mingw32": ["/usr/lib/wine/wine64"],
}
MINGW = "x86_64-w64-mingw32"
# mingw's printf knows %jd and %zu only with its own stdio.
MINGW_EXTRA = "#define __USE_MINGW_ANSI_STDIO 1\n"


def write_spec(name, spec):
    path = os.path.join(WORK, name)
    with open(path, "w") as f:
        json.dump(spec, f)
    return path


def probe(args, label, want=0):
    p = pptest.run(args, timeout=900)
    check(f"{label}: exit {want}", p.returncode == want, f"exit {p.returncode}: {p.stderr[-2500:]}")
    try:
        return json.loads(p.stdout) if p.returncode == 0 else None
    except ValueError as e:
        check(f"{label}: JSON output", False, str(e))
        return None


def c_facts(triple, wrapper, body, includes, flags=()):
    """Runs a tiny hand-written C program for TRIPLE under WRAPPER; returns its output lines."""
    src = "".join(f"#include <{h}>\n" for h in includes) + "#include <stdio.h>\nint main(void) {\n" \
        + body + "\nreturn 0;\n}\n"
    return pptest.cc_run(src, cflags=list(flags), cc=f"{triple}-gcc", wrapper=wrapper).split()


def strip_target(doc):
    """A result without its target block: what two ways of probing one target must share."""
    return {k: v for k, v in doc.items() if k != "target"}


# ---------------------------------------------------------------- toolchains present
have = {}
for t, w in TARGETS.items():
    gcc = shutil.which(f"{t}-gcc")
    emu = shutil.which(w[0])
    check(f"{t}: cross compiler {t}-gcc installed", gcc is not None, "install it in .ci/deps")
    check(f"{t}: emulator {w[0]} installed", emu is not None, "install it in .ci/deps")
    have[t] = gcc is not None and emu is not None

# The part of posix.json that mingw has: the headers it ships, every entry optional.
def mingw_has(h):
    p = subprocess.run([f"{MINGW}-gcc", "-E", "-x", "c", "-", "-o", os.devnull],
                       input=f"#include <{h}>\n", capture_output=True, text=True)
    return p.returncode == 0


def all_optional(spec, headers):
    out = {k: v for k, v in spec.items() if k not in ("types", "structs", "constants", "defined",
                                                    "functions", "headers")}
    out["headers"] = headers
    for sec in ("types", "constants", "defined", "functions"):
        out[sec] = [{"name": ccheck.nm(e), "optional": True} for e in spec.get(sec, [])]
    out["structs"] = [{"name": s["name"], "optional": True,
                       "fields": [{"name": ccheck.nm(f), "optional": True} for f in s.get("fields", [])]}
                      for s in spec.get("structs", [])]
    return out


portable = None
if have.get(MINGW):
    heads = [h for h in posix["headers"] if mingw_has(h)]
    check(f"mingw: some of posix.json's headers exist ({len(heads)})", len(heads) >= 8, str(heads))
    portable = all_optional(posix, heads)
PORTABLE = write_spec("portable.json", portable) if portable else None

# ---------------------------------------------------------------- each target alone
results = {}
for t, wrapper in TARGETS.items():
    if not have[t]:
        continue
    spec_path = PORTABLE if t == MINGW else SPEC
    spec = portable if t == MINGW else posix
    obj = probe(["probe", spec_path, "--target", t], f"{t}: object mode")
    run = probe(["probe", spec_path, "--target", t, "--mode", "run"], f"{t}: run mode (default wrapper)")
    if not obj or not run:
        continue
    results[t] = obj
    check(f"{t}: object mode and run mode under {wrapper[0]} agree", obj == run,
          "; ".join(f"{k}" for k in obj if obj[k] != run.get(k)))
    check(f"{t}: target triple is the compiler's", obj["target"]["triple"] == t, obj["target"]["triple"])
    extra = MINGW_EXTRA if t == MINGW else ""
    ccheck.verify(f"{t}", spec, obj, [f"{t}-gcc"], wrapper=wrapper, extra=extra)
    # the target block, from a program run on the target
    f = c_facts(t, wrapper, 'union { unsigned u; unsigned char c[4]; } e = { 1 };\n'
                'printf("%d %d %d %d\\n", e.c[0] ? 0 : 1, (int)sizeof(void *), (char)-1 < 0, '
                '(int)sizeof(long));', [])
    check(f"{t}: endian, pointer size, char signedness as run on the target",
          [obj["target"]["endian"] == "big", obj["target"]["pointer_size"], obj["target"]["char_signed"]]
          == [f[0] == "1", int(f[1]), f[2] == "1"], f"{obj['target']} vs {f}")

aarch = "aarch64-linux-gnu"
if have[aarch]:
    w = " ".join(TARGETS[aarch])
    run = probe(["probe", SPEC, "--target", aarch, "--mode", "run", "--exec-wrapper", w],
                f"{aarch}: run mode with --exec-wrapper '{w}'")
    check(f"{aarch}: explicit wrapper gives the same answers", run == results.get(aarch), "")
    run = probe(["probe", SPEC, "--cc", f"{aarch}-gcc", "--mode", "run", "--exec-wrapper", w],
                f"{aarch}: --cc {aarch}-gcc")
    check(f"{aarch}: --cc gives the same answers as --target", run == results.get(aarch), "")

# ---------------------------------------------------------------- the known facts
arm = "arm-linux-gnueabihf"
if arm in results:
    f = c_facts(arm, TARGETS[arm], 'printf("%d\\n", (int)sizeof(long));', [])
    check(f"{arm}: long is {f[0]} bytes as run under qemu, and 4",
          results[arm]["types"]["long"]["size"] == int(f[0]) == 4, str(results[arm]["types"]["long"]))
    st = {"headers": ["sys/stat.h"], "types": ["struct stat", "off_t"]}
    sizes = {}
    for label, flags in (("default", []), ("_FILE_OFFSET_BITS=64", ["-D_FILE_OFFSET_BITS=64"])):
        doc = probe(["probe", write_spec(f"stat-{len(sizes)}.json", dict(st, cflags=flags)),
                     "--target", arm], f"{arm}: struct stat, {label}")
        c = c_facts(arm, TARGETS[arm], 'printf("%d %d\\n", (int)sizeof(struct stat), (int)sizeof(off_t));',
                    ["sys/stat.h"], flags)
        if doc:
            got = [doc["types"]["struct stat"]["size"], doc["types"]["off_t"]["size"]]
            check(f"{arm}: sizeof(struct stat), sizeof(off_t) with {label} as run under qemu: {c}",
                  got == [int(x) for x in c], f"platprobe {got}")
            sizes[label] = got
    if len(sizes) == 2:
        check(f"{arm}: -D_FILE_OFFSET_BITS=64 changes struct stat and off_t",
              sizes["default"][0] != sizes["_FILE_OFFSET_BITS=64"][0]
              and sizes["default"][1] == 4 and sizes["_FILE_OFFSET_BITS=64"][1] == 8, str(sizes))

s390 = "s390x-linux-gnu"
if s390 in results:
    check(f"{s390}: the table was read big-endian", results[s390]["target"]["endian"] == "big",
          str(results[s390]["target"]))
    c = c_facts(s390, TARGETS[s390], 'printf("%d %d\\n", EAGAIN, O_NONBLOCK);', ["errno.h", "fcntl.h"])
    got = [results[s390]["constants"]["EAGAIN"], results[s390]["constants"]["O_NONBLOCK"]]
    check(f"{s390}: EAGAIN, O_NONBLOCK as run under qemu: {c}", got == [int(x) for x in c], str(got))

if MINGW in results:
    doc = results[MINGW]
    f = c_facts(MINGW, TARGETS[MINGW], 'printf("%d ", (int)sizeof(long));\n#ifdef O_NONBLOCK\n'
                'printf("1\\n");\n#else\nprintf("0\\n");\n#endif', ["fcntl.h"])
    check(f"{MINGW}: long is {f[0]} bytes as run under wine, and 4",
          doc["types"]["long"]["size"] == int(f[0]) == 4, str(doc["types"].get("long")))
    check(f"{MINGW}: O_NONBLOCK absent (wine run says defined={f[1]})",
          doc["constants"]["O_NONBLOCK"] is None and f[1] == "0", repr(doc["constants"].get("O_NONBLOCK")))
    check(f"{MINGW}: data model LLP64", doc["target"]["data_model"] == "LLP64", str(doc["target"]))

# ---------------------------------------------------------------- four targets in one call
if PORTABLE and all(have.values()):
    single = {}
    for t in TARGETS:
        single[t] = probe(["probe", PORTABLE, "--target", t], f"portable spec alone for {t}")
    outdir = os.path.join(WORK, "multi")
    os.mkdir(outdir)
    args = ["probe", PORTABLE] + sum((["--target", t] for t in TARGETS), [])
    p = pptest.run(args + ["-o", os.path.join(outdir, "{triple}.json")], timeout=900)
    check("four targets, one file each: exit 0, nothing on stdout", p.returncode == 0 and not p.stdout,
          p.stderr[-1500:])
    files = sorted(os.listdir(outdir))
    check("four targets: one file per triple", files == sorted(f"{t}.json" for t in TARGETS), str(files))
    for t in TARGETS:
        path = os.path.join(outdir, f"{t}.json")
        if os.path.exists(path):
            check(f"four targets: {t}.json equals probing {t} alone",
                  json.load(open(path)) == single[t], "")
    merged = probe(args, "four targets, one document")
    if merged:
        got = [r["target"]["triple"] for r in merged.get("results", [])]
        check("one document: a result per target, in order", got == list(TARGETS), str(got))
        check("one document: each result equals probing alone",
              all(r == single[r["target"]["triple"]] for r in merged["results"]), "")
    in_spec = write_spec("targets.json", dict(portable, targets=list(TARGETS)))
    listed = probe(["probe", in_spec], "the spec's \"targets\" list")
    if listed and merged:
        check("the spec's targets list gives the same document as --target",
              [strip_target(r) for r in listed["results"]] == [strip_target(r) for r in merged["results"]], "")

# ---------------------------------------------------------------- diff
def py_diff(a, b, path=""):
    """What differs, by path, written independently of platprobe's diff (field lists by name)."""
    out = set()
    if isinstance(a, dict) and isinstance(b, dict):
        for k in set(a) | set(b):
            p = f"{path}.{k}" if path else k
            if k not in a or k not in b:
                out.add(p)
            else:
                out |= py_diff(a[k], b[k], p)
    elif isinstance(a, list) and isinstance(b, list) and all(isinstance(x, dict) and "name" in x for x in a + b):
        da, db = {x["name"]: x for x in a}, {x["name"]: x for x in b}
        for k in set(da) | set(db):
            p = f"{path}.{k}"
            out |= {p} if k not in da or k not in db else py_diff(da[k], db[k], p)
    elif isinstance(a, list) and isinstance(b, list):  # other lists (a prototype's params): by position
        for i in range(max(len(a), len(b))):
            p = f"{path}[{i}]"
            out |= {p} if i >= len(a) or i >= len(b) else py_diff(a[i], b[i], p)
    elif a != b or type(a) != type(b):
        out.add(path)
    return out


if aarch in results and arm in results:
    pa, pb = write_spec("a64.json", results[aarch]), write_spec("armhf.json", results[arm])
    p = pptest.run(["diff", pa, pb, "-f", "json"])
    check("diff of two targets: exit 1", p.returncode == 1, p.stderr)
    try:
        d = json.loads(p.stdout)
        unq = lambda s: s.replace('"', "")
        got = {unq(x["path"]) for x in d["differences"]}
        want = py_diff(results[aarch], results[arm])
        check(f"diff -f json: the {len(want)} differing paths found independently", got == want,
              f"missing {sorted(want - got)[:8]} extra {sorted(got - want)[:8]}")
        check("diff -f json: same is false", d["same"] is False, "")
        some = next(x for x in d["differences"] if unq(x["path"]) == "types.long.size")
        check("diff: types.long.size 8 -> 4", some["a"] == 8 and some["b"] == 4, str(some))
    except (ValueError, KeyError, StopIteration) as e:
        check("diff -f json parses", False, f"{e}: {p.stdout[:500]}")
    p = pptest.run(["diff", pa, pb])
    check("diff (text): a line per difference", p.returncode == 1 and
          "types.long.size: 8 -> 4" in p.stdout.splitlines(), p.stdout[:800])
    p = pptest.run(["diff", pa, pa])
    check("diff of a result with itself: exit 0, nothing printed", p.returncode == 0 and p.stdout == "",
          p.stdout + p.stderr)
    p = pptest.run(["diff", pa, SPEC])
    check("diff of a result and a non-result: exit 2", p.returncode == 2 and "not a platprobe result" in p.stderr,
          p.stderr)

# ---------------------------------------------------------------- user flags
for t in ("native", aarch):
    if t != "native" and not have[t]:
        continue
    tgt = [] if t == "native" else ["--target", t]
    cc = ["cc"] if t == "native" else [f"{t}-gcc"]
    wrapper = None if t == "native" else TARGETS[t]
    base = probe(["probe", SPEC] + tgt, f"{t}: plain flags")
    for flags in ("-flto -O2", "-g -O3 -ffunction-sections -fdata-sections", "-flto -ffat-lto-objects"):
        p = pptest.run(["probe", SPEC] + tgt, env={"CFLAGS": flags}, timeout=900)
        check(f"{t}: CFLAGS='{flags}' exit 0", p.returncode == 0, p.stderr[-1500:])
        if p.returncode == 0 and base:
            check(f"{t}: CFLAGS='{flags}' gives the same answers",
                  strip_target(json.loads(p.stdout)) == strip_target(base), "")
    for flags in ("-fshort-enums -funsigned-char",):
        p = pptest.run(["probe", SPEC] + tgt, env={"CFLAGS": flags}, timeout=900)
        check(f"{t}: CFLAGS='{flags}' exit 0", p.returncode == 0, p.stderr[-1500:])
        if p.returncode == 0:
            os.environ["CFLAGS"] = flags  # the C check program is built with the same flags
            ccheck.verify(f"{t} CFLAGS='{flags}'", posix, json.loads(p.stdout), cc, wrapper=wrapper)
            del os.environ["CFLAGS"]
            check(f"{t}: -funsigned-char makes char unsigned",
                  json.loads(p.stdout)["types"]["char"]["signed"] is False, "")

# -m32 on x86_64 (Debian's libc6-dev-i386 + lib32gcc, from .ci/deps): the answers of the 32-bit
# ABI, checked by a C program built with -m32 and run here, in both modes; and the triple gcc
# itself names for those flags (-print-multiarch), not its configured x86_64 one.
if os.uname().machine == "x86_64":
    want_triple = subprocess.run(["cc", "-m32", "-print-multiarch"], capture_output=True,
                                 text=True).stdout.strip()
    # gcc-multilib's one file is the link /usr/include/asm -> x86_64-linux-gnu/asm (the kernel's
    # x86 headers serve both ABIs); that package conflicts with the cross gcc, so the same link
    # is given here, in a directory searched last.
    m32inc = os.path.join(WORK, "m32-include")
    os.makedirs(m32inc, exist_ok=True)
    os.symlink("/usr/include/x86_64-linux-gnu/asm", os.path.join(m32inc, "asm"))
    m32 = f"-m32 -idirafter {m32inc}"
    for mode in ("object", "run"):
        p = pptest.run(["probe", SPEC, "--mode", mode], env={"CFLAGS": m32}, timeout=900)
        check(f"native: CFLAGS=-m32 --mode {mode} exit 0", p.returncode == 0, p.stderr[-1500:])
        if p.returncode != 0:
            continue
        doc = json.loads(p.stdout)
        os.environ["CFLAGS"] = m32
        ccheck.verify(f"native CFLAGS=-m32 --mode {mode}", posix, doc, ["cc"])
        del os.environ["CFLAGS"]
        tg = doc["target"]
        check(f"native: CFLAGS=-m32 --mode {mode}: target is {want_triple}, ILP32",
              want_triple != "" and tg["triple"] == want_triple and tg["pointer_size"] == 4
              and tg["data_model"] == "ILP32", f"{tg}")

# ---------------------------------------------------------------- usage
p = pptest.run(["probe", SPEC, "--target", "nosuch-unknown-triple"], env={"PATH": "/usr/bin:/bin"})
check("unknown target: exit 1 naming it", p.returncode == 1 and "nosuch-unknown-triple" in p.stderr, p.stderr)
p = pptest.run(["probe", SPEC, "--target", aarch, "--cc", "gcc"])
check("--target with --cc: exit 2", p.returncode == 2 and "--target" in p.stderr, p.stderr)
p = pptest.run(["probe", SPEC, "--target", aarch, "--sysroot", "/usr/aarch64-linux-gnu", "-v"])
runs = [ln for ln in p.stderr.splitlines() if ln.startswith("platprobe: run:") and f"{aarch}-gcc" in ln]
check("--sysroot reaches every compiler run", runs and
      all("--sysroot=/usr/aarch64-linux-gnu" in ln for ln in runs), p.stderr[-800:])
if p.returncode != 0:  # that sysroot has no crt files: the linker's own words must be quoted
    check("a failed link quotes the linker", "cannot find" in p.stderr, p.stderr[-800:])
p = pptest.run(["probe", SPEC, "--target", aarch, "--target", arm, "-f", "header"])
check("several targets as one header: exit 2", p.returncode == 2 and "{triple}" in p.stderr, p.stderr)

shutil.rmtree(WORK, ignore_errors=True)
pptest.done()
