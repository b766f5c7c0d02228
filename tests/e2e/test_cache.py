"""The answer cache: an unchanged spec, compiler, flags and headers run no compiler at all (counted
by a logging compiler wrapper); any change to one of them is seen; corrupt entries are ignored and
rewritten; concurrent runs are safe; --no-cache and --cache-dir do what they say."""
import concurrent.futures
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pptest
from pptest import check

WORK = tempfile.mkdtemp(prefix="pptest-cache-")
CACHE = os.path.join(WORK, "cache")
LOG = os.path.join(WORK, "cc.log")
HDR = os.path.join(WORK, "inc")
os.mkdir(HDR)


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


def make_cc(name, extra=""):
    """A compiler that logs each call, then is gcc."""
    path = os.path.join(WORK, name)
    write(path, f"#!/bin/sh\n{extra}echo \"$*\" >> {LOG}\nexec gcc \"$@\"\n")
    os.chmod(path, 0o755)
    return path


CC = make_cc("logcc")
write(os.path.join(HDR, "mine.h"), "#define MINE_VALUE 41\nstruct mine { char c; long l; };\n")
SPEC = {"include_dirs": [HDR], "headers": ["mine.h", "errno.h", "stdio.h"],
        "types": ["struct mine", "long"], "structs": [{"name": "struct mine", "fields": ["c", "l"]}],
        "constants": ["MINE_VALUE", "EAGAIN", {"name": "NOT_THERE", "optional": True}],
        "functions": ["printf"]}
spec_path = os.path.join(WORK, "spec.json")
write(spec_path, json.dumps(SPEC))


def calls():
    """Compiler invocations logged since the last call (and forget them)."""
    if not os.path.exists(LOG):
        return 0
    with open(LOG) as f:
        n = len(f.read().splitlines())
    os.remove(LOG)
    return n


def probe(*extra, cc=CC, env=None, spec=spec_path):
    calls()
    p = pptest.run(["probe", spec, "--cc", cc, "--cache-dir", CACHE] + list(extra), env=env)
    return p, calls()


cold, n_cold = probe()
check("cold run: exit 0", cold.returncode == 0, cold.stderr[-1500:])
check(f"cold run compiles (invocations: {n_cold})", n_cold >= 2, str(n_cold))
warm, n_warm = probe()
check("warm run: no compiler at all", n_warm == 0, f"{n_warm} invocations")
check("warm run: the same output, byte for byte", warm.stdout == cold.stdout, "")
def entries(d):
    """The cache's entries: KEY.json, each with at most its KEY.obj (the object, for DWARF);
    MKEY.failures.json, the failure memory of a compiler and flags, is not an entry."""
    names = [n for n in os.listdir(d) if not n.endswith(".failures.json")]
    js = [n for n in names if n.endswith(".json")]
    stray = [n for n in names if not n.endswith(".json") and not (n.endswith(".obj") and n[:-4] + ".json" in names)]
    return js, stray


js, stray = entries(CACHE)
check("one cache entry, a .json (and its object)", len(js) == 1 and not stray, str(os.listdir(CACHE)))

# run mode has entries of its own and is cached too
r1, n1 = probe("--mode", "run")
r2, n2 = probe("--mode", "run")
check("run mode: cached separately, then no compiler", n1 >= 1 and n2 == 0, f"{n1}, {n2}")
check("run mode: cached answers equal fresh ones", r1.stdout == r2.stdout, "")

# a header's content is part of the key; its mtime alone is not
hdr = os.path.join(HDR, "mine.h")
os.utime(hdr, (time.time() + 5, time.time() + 5))
_, n = probe()
check("touching a header without changing it: still no compiler", n == 0, str(n))
write(hdr, "#define MINE_VALUE 42\nstruct mine { char c; long l; };\n")
p, n = probe()
check("a changed header recompiles", n >= 1, str(n))
check("... and gives the header's new value 42", p.returncode == 0 and
      json.loads(p.stdout)["constants"]["MINE_VALUE"] == 42, p.stdout[-300:])
write(hdr, "#define MINE_VALUE 42\nstruct mine { char c; long l; long more[3]; };\n")
p, n = probe()
size = int(pptest.cc_run(f'#include "{hdr}"\n#include <stdio.h>\n'
                         'int main(void) { printf("%zu", sizeof(struct mine)); return 0; }'))
check(f"a changed struct recompiles with its new size {size}", n >= 1 and p.returncode == 0 and
      json.loads(p.stdout)["types"]["struct mine"]["size"] == size, f"{n} {p.stdout[-200:]}")
_, n = probe()
check("and then is cached again", n == 0, str(n))

# flags, spec and compiler are part of the key
_, n = probe(env={"CFLAGS": "-DSOMETHING=1"})
check("different CFLAGS: recompiles", n >= 1, str(n))
spec2 = dict(SPEC, constants=SPEC["constants"] + ["EINTR"])
write(os.path.join(WORK, "spec2.json"), json.dumps(spec2))
_, n = probe(spec=os.path.join(WORK, "spec2.json"))
check("a spec with one entry more: recompiles", n >= 1, str(n))
other = make_cc("logcc2")
_, n = probe(cc=other)
check("another compiler: recompiles", n >= 1, str(n))
_, n = probe(cc=other)
check("... then cached for it", n == 0, str(n))
make_cc("logcc2", extra="# a new build of the compiler\n")
_, n = probe(cc=other)
check("the compiler changed on disk: recompiles", n >= 1, str(n))


def mangled_is_a_miss(what, names, mangle):
    """Each cache file in names rewritten as mangle makes it: the next run recompiles and
    answers right, and the one after it hits the rewritten entry."""
    for name in names:
        path = os.path.join(CACHE, name)
        with open(path, "rb") as f:
            data = f.read()
        with open(path, "wb") as f:
            f.write(mangle(data))
    p, n = probe()
    check(f"{what}: ignored, recompiled, right answer", p.returncode == 0 and n >= 1 and
          json.loads(p.stdout)["constants"]["MINE_VALUE"] == 42, p.stderr[-500:])
    _, n = probe()
    check(f"{what}: rewritten (next run hits)", n == 0, str(n))


# corrupt entries are ignored and rewritten
probe()
for what, mangle in (("truncated", lambda b: b[: len(b) // 2]), ("garbage", lambda b: b"\x00\xffnot json"),
                     ("bad table", lambda b: b.replace(b'"table": "', b'"table": "zz', 1)),
                     ("empty", lambda b: b"")):
    mangled_is_a_miss(f"{what} entry", entries(CACHE)[0], mangle)

# the cached object (for DWARF layouts) damaged, or cut short as a crash may leave a file that
# was renamed into place unsynced: a miss, recompiled, rewritten
objs = [n for n in os.listdir(CACHE) if n.endswith(".obj")]
check("the cache has objects to damage", len(objs) >= 1, repr(os.listdir(CACHE)))
for what, mangle in (("damaged", lambda b: b"\x7fELF broken"), ("cut short", lambda b: b[: len(b) // 2])):
    mangled_is_a_miss(f"{what} cached object", objs, mangle)

# an include directory with a blank in its name: cached like any other (its directory is no
# "program" of the compiler's, though -v lists it indented like one)
blank = os.path.join(WORK, "a dir")
os.mkdir(blank)
write(os.path.join(blank, "b.h"), "#define B_VALUE 7\n")
bspec = os.path.join(WORK, "blank.json")
write(bspec, json.dumps({"include_dirs": [blank], "headers": ["b.h"], "constants": ["B_VALUE"]}))
p, n1 = probe(spec=bspec)
_, n2 = probe(spec=bspec)
check("include dir with a blank: answered, then cached", p.returncode == 0 and
      json.loads(p.stdout)["constants"]["B_VALUE"] == 7 and n1 >= 1 and n2 == 0, f"{n1} {n2}")
write(os.path.join(blank, "unrelated.h"), "/* a new file in that directory */\n")
_, n3 = probe(spec=bspec)
check("a new, unread file in an include directory does not invalidate", n3 == 0, str(n3))

# a failing spec is not cached
bad = os.path.join(WORK, "bad.json")
write(bad, json.dumps({"headers": ["errno.h"], "constants": ["EAGAIN", "NO_SUCH_NAME"]}))
for i in range(2):
    p, n = probe(spec=bad)
    check(f"failing spec, run {i + 1}: exit 1 and compiled", p.returncode == 1 and n >= 1, str(n))

# --no-cache reads and writes nothing
nocache = os.path.join(WORK, "nocache")
calls()
p = pptest.run(["probe", spec_path, "--cc", CC, "--no-cache"], env={"XDG_CACHE_HOME": nocache})
check("--no-cache: compiles", p.returncode == 0 and calls() >= 1, p.stderr[-300:])
check("--no-cache: writes no cache", not os.path.exists(nocache), str(os.listdir(WORK)))
# the default place is $XDG_CACHE_HOME/platprobe
xdg = os.path.join(WORK, "xdg")
p = pptest.run(["probe", spec_path, "--cc", CC], env={"XDG_CACHE_HOME": xdg})
check("default cache: $XDG_CACHE_HOME/platprobe", p.returncode == 0 and
      len(entries(os.path.join(xdg, "platprobe"))[0]) == 1, p.stderr[-300:])

# concurrent runs share a cache safely
conc = os.path.join(WORK, "conc")
def one(_):
    return pptest.run(["probe", spec_path, "--cc", "gcc", "--cache-dir", conc])
with concurrent.futures.ThreadPoolExecutor(6) as ex:
    runs = list(ex.map(one, range(12)))
check("12 concurrent runs: all exit 0", all(r.returncode == 0 for r in runs),
      "; ".join(r.stderr[-200:] for r in runs if r.returncode))
check("12 concurrent runs: all the same answers", len({r.stdout for r in runs}) == 1, "")
left, stray = entries(conc)
check("12 concurrent runs: one entry, no temp files", len(left) == 1 and not stray, str(os.listdir(conc)))
try:
    with open(os.path.join(conc, left[0])) as f:
        entry = json.load(f)
    whole = entry.get("format") == 2 and len(entry.get("sum", "")) == 32 and len(entry.get("table", "")) > 0 and entry.get("headers")
except (ValueError, IndexError, OSError) as e:
    whole = False
check("12 concurrent runs: the entry left is whole", whole, "")
r = pptest.run(["probe", spec_path, "--cc", "gcc", "--cache-dir", conc, "-v"])
check("and the next run hits it", r.returncode == 0 and "cache: hit" in r.stderr and r.stdout == runs[0].stdout,
      r.stderr[-300:])

# An entry whose header list names a device or a FIFO (corrupt, or written by someone else) is a
# miss, rewritten: not a read of /dev/zero that never ends, nor an open of a FIFO that waits.
fifo = os.path.join(WORK, "fifo")
os.mkfifo(fifo)
for bad_header in ("/dev/zero", fifo):
    path = os.path.join(conc, left[0])
    with open(path) as f:
        entry = json.load(f)
    entry["headers"][0][0] = bad_header
    with open(path, "w") as f:
        json.dump(entry, f)
    r = pptest.run(["probe", spec_path, "--cc", "gcc", "--cache-dir", conc, "-v"], timeout=60)
    check(f"an entry naming {bad_header} as a header: a miss, same answers", r.returncode == 0
          and "cache: miss" in r.stderr and r.stdout == runs[0].stdout, r.stderr[-300:])
    r = pptest.run(["probe", spec_path, "--cc", "gcc", "--cache-dir", conc, "-v"], timeout=60)
    check(f"an entry naming {bad_header}: rewritten, the next run hits", r.returncode == 0
          and "cache: hit" in r.stderr, r.stderr[-300:])

shutil.rmtree(WORK, ignore_errors=True)
pptest.done()
