"""Warm equals cold (issue 19): every catalogue spec, the tests' own header specs and a corpus of
optional failures of every kind, natively and on every cross target the tests cover, in object and
run mode, probed twice with one cache directory. The second run must write the same bytes and run
no compiler at all: each compiler is reached through a logging shim on PATH, so the count comes
from outside platprobe. Damaged cache entries (truncated, bit flips, another format, another
spec's entry) are misses: logged with -v, rewritten, the same answers, exit 0."""
import json
import os
import shutil
import stat
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pptest
from pptest import check

WORK = tempfile.mkdtemp(prefix="pptest-warm-")
DATA = os.path.join(pptest.TOP, "tests", "e2e", "data")
LOG = os.path.join(WORK, "cc.log")
SHIMS = os.path.join(WORK, "shims")
os.mkdir(SHIMS)
os.environ["WINEPREFIX"] = os.path.join(WORK, "wine")
os.environ["WINEDEBUG"] = "-all"

CROSS = {
    "aarch64-linux-gnu": None, "arm-linux-gnueabihf": None, "s390x-linux-gnu": None,
    "x86_64-w64-mingw32": "/usr/lib/wine/wine64",
}
# A shim per compiler: logs that it ran, then runs the real one.
for name in ["cc", "gcc"] + [f"{t}-gcc" for t in CROSS]:
    real = shutil.which(name)
    check(f"{name} installed", real is not None, "install it in .ci/deps")
    if not real:
        continue
    path = os.path.join(SHIMS, name)
    with open(path, "w") as f:
        f.write(f'#!/bin/sh\necho "{name} $*" >> "{LOG}"\nexec "{real}" "$@"\n')
    os.chmod(path, stat.S_IRWXU)
ENV = {"PATH": SHIMS + os.pathsep + os.environ["PATH"]}


def write(name, text):
    path = os.path.join(WORK, name)
    with open(path, "w") as f:
        f.write(text)
    return path


# Optional failures of every kind, next to answers that hold.
write("fail.h", """extern int pp_v;
extern double pp_d;
extern int pp_nolink(void);
#define PP_ADDR ((long)&pp_v)
#define PP_FNONC (pp_d * 2.0)
#define PP_FNAN ((double)0/0)
#define PP_FINF (1.0/0.0)
#define PP_OK 7
""")
OPT = lambda n: {"name": n, "optional": True}  # noqa: E731
FAIL_SPEC = {
    "include_dirs": ["."], "headers": ["signal.h", "time.h", "fail.h"],
    "types": ["int", OPT("no_such_t"), OPT("struct no_such_tag")],
    "structs": [{"name": "struct timespec", "fields": ["tv_sec", OPT("no_such_field")]},
                OPT("struct no_such_struct")],
    "enums": [OPT("enum no_such_enum")],
    "constants": ["1", "PP_OK", OPT("NO_SUCH_NAME"), OPT("PP_ADDR"), OPT("SIGRTMIN"),
                  OPT("PP_FNONC"), OPT("PP_FNAN"), OPT("PP_FINF")],
    "defined": [OPT("NO_SUCH_MACRO"), "PP_OK"],
    "functions": [OPT("nanosleep"), OPT("pp_nolink"), OPT("no_such_fn")],
}
with open(os.path.join(WORK, "failures.json"), "w") as f:
    json.dump(FAIL_SPEC, f)
with open(os.path.join(WORK, "failures-mingw.json"), "w") as f:
    json.dump(dict(FAIL_SPEC, constants=[c for c in FAIL_SPEC["constants"]
                                         if c not in (OPT("PP_ADDR"), OPT("PP_FNONC"))]), f)
HARD_STRUCTS = ["struct hard", "struct hard_aligned", "struct hard_bits", "struct hard_empty_tail",
                "struct hard_nest", "struct hard_pack1", "struct hard_pack2",
                "struct hard_packed_member", "struct hard_types", "struct hard_unit_edges",
                "union hard_union"]
with open(os.path.join(WORK, "hard.json"), "w") as f:
    json.dump({"include_dirs": [DATA], "headers": ["layouts_hard.h"],
               "structs": [OPT(s) for s in HARD_STRUCTS],
               "enums": [OPT(e) for e in ("enum hard_e", "enum hard_u", "enum hard_l",
                                          "enum hard_ll", "enum hard_ul")]}, f)
with open(os.path.join(WORK, "strings.json"), "w") as f:
    json.dump({"include_dirs": [DATA], "headers": ["strmacros.h"],
               "constants": ["STR_PLAIN", "STR_ESC", "STR_NUL", "STR_HIGH", "STR_UTF8",
                             "STR_EMPTY", "STR_CONCAT", "STR_CTRL", "STR_MIXED", "NUM_NEG",
                             "NUM_HEX", "NUM_FLOAT", "NUM_FLOATF"]}, f)
CATALOGUE = sorted(os.path.join(pptest.TOP, "probe", n) for n in os.listdir(
    os.path.join(pptest.TOP, "probe")) if n.endswith(".json"))
OWN = [os.path.join(WORK, n) for n in ("failures.json", "hard.json", "strings.json")]
POSIX = os.path.join(pptest.TOP, "probe", "posix.json")


def compiles():
    try:
        with open(LOG) as f:
            return len(f.read().splitlines())
    except FileNotFoundError:
        return 0


def twice(label, spec, args, want=0, env=None):
    """Probes SPEC twice with one fresh cache: the same bytes, and no compiler the second time."""
    cache = tempfile.mkdtemp(prefix="cache-", dir=WORK)
    e = dict(ENV, **(env or {}))
    full = ["probe", spec, "--cache-dir", cache] + args
    cold = pptest.run(full, env=e, timeout=900)
    if not check(f"{label}: cold exit {want}", cold.returncode == want, cold.stderr[-1500:]):
        return
    before = compiles()
    warm = pptest.run(full + ["-v"], env=e, timeout=900)
    ran = compiles() - before
    check(f"{label}: warm exit {want}", warm.returncode == want, warm.stderr[-1500:])
    check(f"{label}: warm output byte-identical", warm.stdout == cold.stdout,
          f"cold {len(cold.stdout)} bytes, warm {len(warm.stdout)}")
    check(f"{label}: warm ran no compiler", ran == 0 and "cache: hit" in warm.stderr,
          f"{ran} compiler runs; {warm.stderr[-800:]}")


# ---------------------------------------------------------------- issue 19's report, exactly
write("a.h", "extern int v;\n#define ADDR ((long)&v)\n")
s19 = write("s.json", '{"include_dirs": ["."], "headers": ["a.h"], '
                      '"constants": ["1", {"name": "ADDR", "optional": true}]}')
twice("issue 19: an address constant answered null", s19, [])
p, _ = pptest.probe({}, [])  # keeps the harness's own helpers exercised on an empty spec
check("an empty spec probes", p.returncode == 0, p.stderr)

# ---------------------------------------------------------------- the corpus, every target
for mode in ("object", "run"):
    for spec in CATALOGUE + OWN:
        twice(f"native --mode {mode} {os.path.basename(spec)}", spec, ["--mode", mode])
m32inc = os.path.join(WORK, "m32-include")
os.makedirs(m32inc)
os.symlink("/usr/include/x86_64-linux-gnu/asm", os.path.join(m32inc, "asm"))
# layouts_hard.h has __int128 members: 64-bit targets only.
OWN32 = [s for s in OWN if not s.endswith("hard.json")]
for mode in ("object", "run"):
    for spec in (POSIX, *OWN32):
        twice(f"-m32 --mode {mode} {os.path.basename(spec)}", spec, ["--mode", mode],
              env={"CFLAGS": f"-m32 -idirafter {m32inc}"})
for triple, wrapper in CROSS.items():
    own = OWN32 if triple.startswith("arm-") else OWN
    specs = own if triple.endswith("mingw32") else (POSIX, *own)
    for mode in ("object", "run"):
        extra = ["--exec-wrapper", wrapper] if wrapper and mode == "run" else []
        for spec in specs:
            if triple.endswith("mingw32") and mode == "run" and spec.endswith("failures.json"):
                # mingw's linker names no line or function for an undefined object reached
                # through a .refptr: platprobe cannot tell which entry to drop (README: Cache).
                spec = os.path.join(WORK, "failures-mingw.json")
            twice(f"{triple} --mode {mode} {os.path.basename(spec)}", spec,
                  ["--target", triple, "--mode", mode] + extra)

# ---------------------------------------------------------------- damaged entries are misses
spec = os.path.join(WORK, "failures.json")
cache = tempfile.mkdtemp(prefix="damage-", dir=WORK)
ref = pptest.run(["probe", spec, "--cache-dir", cache], env=ENV)
check("damage: the reference run", ref.returncode == 0, ref.stderr[-800:])
entry = [n for n in os.listdir(cache) if n.endswith(".json") and not n.endswith(".failures.json")]
check("damage: one entry stored", len(entry) == 1, str(os.listdir(cache)))
entry_path = os.path.join(cache, entry[0]) if entry else os.devnull
with open(entry_path, "rb") as f:
    good = f.read()
other_cache = tempfile.mkdtemp(prefix="other-", dir=WORK)
other_spec = os.path.join(WORK, "strings.json")
pptest.run(["probe", other_spec, "--cache-dir", other_cache], env=ENV)
other = [os.path.join(other_cache, n) for n in os.listdir(other_cache)
         if n.endswith(".json") and not n.endswith(".failures.json")]
with open(other[0], "rb") as f:
    other_bytes = f.read()


def flip(data, at):
    b = bytearray(data)
    b[at] ^= 0x01
    return bytes(b)


table_at = good.index(b'"table": "') + 12
damages = [
    ("truncated to half", good[: len(good) // 2]),
    ("truncated by one byte", good[:-1]),
    ("a bit flipped in the answer table", flip(good, table_at)),
    ("a bit flipped in an item's state", flip(good, good.index(b'"items": [') + 14)),
    ("a bit flipped in the sum", flip(good, len(good) - 6)),
    ("another version's layout (format 1, no sum)",
     good.replace(b'"format": 2', b'"format": 1').split(b',\n "sum"')[0] + b"}\n"),
    ("another spec's entry under this key", other_bytes),
    ("empty", b""),
]
for what, data in damages:
    with open(entry_path, "wb") as f:
        f.write(data)
    before = compiles()
    r = pptest.run(["probe", spec, "--cache-dir", cache, "-v"], env=ENV)
    check(f"damage: {what}: exit 0, same answers", r.returncode == 0 and r.stdout == ref.stdout,
          r.stderr[-800:])
    check(f"damage: {what}: a miss, logged, probed afresh",
          "cache: miss" in r.stderr and compiles() > before, r.stderr[-800:])
    with open(entry_path, "rb") as f:
        again = f.read()
    r2 = pptest.run(["probe", spec, "--cache-dir", cache, "-v"], env=ENV)
    check(f"damage: {what}: rewritten whole, the next run hits",
          again.startswith(b'{"format": 2') and b'"sum": "' in again and r2.returncode == 0 and
          r2.stdout == ref.stdout and "cache: hit" in r2.stderr, r2.stderr[-800:])
obj = [os.path.join(cache, n) for n in os.listdir(cache) if n.endswith(".obj")]
if obj:
    with open(obj[0], "rb") as f:
        good_obj = f.read()
    with open(obj[0], "wb") as f:
        f.write(flip(good_obj, len(good_obj) // 2))
    r = pptest.run(["probe", spec, "--cache-dir", cache, "-v"], env=ENV)
    check("damage: a bit flipped in the cached object: a miss, same answers",
          r.returncode == 0 and r.stdout == ref.stdout and "cache: miss" in r.stderr,
          r.stderr[-800:])

shutil.rmtree(WORK, ignore_errors=True)
pptest.done()
