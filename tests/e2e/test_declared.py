"""functions entries with "link": false: whether NAME compiles as a statement (NAME;),
with no link and no prototype, as ctypes_configure's Has asked. Each expected answer is what cc
says of a hand-written unit using the name so; a declared function that no library provides is
the case that tells declared from linked. They are asked in a unit of their own (remembered.c),
compiled by a compiler run of its own at the same time as the main unit (probe.c): one round of
compiling, each run naming its source alone, never a recompile; if that run is killed they are
asked in the main unit."""
import json
import os
import subprocess
import tempfile

from pptest import check, done, probe, run

WORK = tempfile.mkdtemp(prefix="pptest-declared-")
ENV = {"XDG_CACHE_HOME": os.path.join(WORK, "cache")}
HEADER = """#include <stdio.h>
#include <stddef.h>
#include <unistd.h>
int pp_nolink_fn(void);
extern int pp_nolink_var;
extern char **environ;
enum pp_decl_e { PP_DECL_ENUM = 3 };
#define PP_DECL_EMPTY
#define PP_DECL_FNLIKE(x) (x)
typedef int pp_decl_t;
"""
NAMES = ["write", "pp_nolink_fn", "pp_nolink_var", "NULL", "EOF", "PP_DECL_ENUM", "environ",
         "PP_DECL_EMPTY", "PP_DECL_FNLIKE", "pp_decl_t", "size_t", "xxxwrite"]

with open(os.path.join(WORK, "decl.h"), "w") as f:
    f.write(HEADER)


def sources(stderr: str) -> list:
    """The sources of each compiler run -v logs ("platprobe: run: ..."), by base name, sorted."""
    return sorted([os.path.basename(w) for w in line.split() if w.endswith(".c")]
                  for line in stderr.splitlines() if line.startswith("platprobe: run: "))


def c_compiles(name: str) -> bool:
    """Whether cc compiles (no link) a function whose body is the statement name; after the
    header (what ctypes_configure's Has compiled)."""
    src = os.path.join(WORK, "c_%s.c" % name)
    with open(src, "w") as f:
        f.write('#include "decl.h"\nvoid f(void) { %s; }\n' % name)
    return subprocess.run(["cc", "-I", WORK, "-c", src, "-o", src + ".o"],
                          capture_output=True).returncode == 0


def c_links_ref(name: str) -> bool:
    """Whether cc links a program that takes name's address (what a linked entry asks)."""
    src = os.path.join(WORK, "l_%s.c" % name)
    with open(src, "w") as f:
        f.write('#include "decl.h"\nint main(void) { void *volatile p = (void *)&%s; return p == 0; }\n' % name)
    return subprocess.run(["cc", "-I", WORK, src, "-o", src + ".exe"],
                          capture_output=True).returncode == 0


expect = {n: c_compiles(n) for n in NAMES}
check("declared: the compiler's own answers cover both sides",
      expect["pp_nolink_fn"] and expect["NULL"] and expect["PP_DECL_ENUM"] and
      not expect["xxxwrite"] and not c_links_ref("pp_nolink_fn"), str(expect))


def spec(link=False, names=NAMES, extra=()):
    return {"headers": ["decl.h"], "include_dirs": [WORK],
            "functions": [{"name": n, "link": link, "optional": True} for n in names] +
            list(extra)}


def spec_dir(name):
    d = os.path.join(WORK, name)
    os.makedirs(d, exist_ok=True)
    return d


# Object mode: the answers, no link at all, no prototypes.
p, res = probe(spec(extra=["getpid"]), ["-v"], env=ENV, tmpdir=spec_dir("obj"))
if not check("declared: probes", res is not None, p.stderr[-2000:]):
    done()
got = {n: res["functions"][n] for n in NAMES}
check("declared: answers as the compiler compiles NAME; in a function", got == expect,
      "%s != %s" % (got, expect))
check("declared: no prototype for a \"link\": false entry, one for a linked one",
      all(res["prototypes"][n] is None for n in NAMES) and res["prototypes"]["getpid"],
      json.dumps(res["prototypes"])[:500])
p2, _ = probe(spec(), ["-v", "--no-cache"], env=ENV, tmpdir=spec_dir("nolink"))
runs = [l for l in p2.stderr.splitlines() if l.startswith("platprobe: run: ")]
check("declared: no link is run for \"link\": false entries (compiles only)",
      p2.returncode == 0 and runs and all(" -c " in l for l in runs), "\n".join(runs))
# Asked in a unit of their own, compiled beside the main one by a run of its own: an undeclared
# name (xxxwrite) is answered by its unit's error, with no second compile.
check("declared: one round, though a name is undeclared (the main unit, a unit beside it)",
      sources(p2.stderr) == [["probe.c"], ["remembered.c"]], "\n".join(runs))
p3, t3 = probe(spec(names=["xxxwrite", "write"], extra=["getpid"]) | {
    "constants": ["EOF"]}, ["-v", "--no-cache"], env=ENV, tmpdir=spec_dir("mixed"))
check("declared: beside constants and a linked function, still one round and one link",
      t3 is not None and t3["functions"]["xxxwrite"] is False and t3["functions"]["write"] is True
      and t3["constants"]["EOF"] == -1 and
      sources(p3.stderr) == [["link-early.c"], ["probe.c"], ["remembered.c"]], p3.stderr[-2000:])

# Their unit's compiler killed by a signal: it said nothing, so they are asked in the main unit
# (its isolation), never taken as compiling for want of errors.
killer = os.path.join(WORK, "cc-kill")
with open(killer, "w") as f:
    f.write('#!/bin/sh\ncase "$*" in *remembered.c*) kill -9 $$;; esac\nexec cc "$@"\n')
os.chmod(killer, 0o755)
p, k = probe(spec(), ["-v", "--no-cache", "--cc", killer], env=ENV, tmpdir=spec_dir("killed"))
check("declared: their unit's compiler killed: asked in the main unit, the same answers",
      k is not None and {n: k["functions"][n] for n in NAMES} == expect and
      sources(p.stderr).count(["probe.c"]) >= 2, p.stderr[-2000:])

# Run mode links and runs its program: a declared function no library provides must not stop it.
p, rres = probe(spec(), ["--mode", "run", "--no-cache"], env=ENV, tmpdir=spec_dir("run"))
check("declared: run mode gives the same answers",
      rres is not None and {n: rres["functions"][n] for n in NAMES} == expect,
      p.stderr[-2000:] if rres is None else str(rres["functions"]))

# The cache: a hit answers the same; "link" is part of the key (linked, pp_nolink_fn is false).
p, again = probe(spec(extra=["getpid"]), ["-v"], env=ENV, tmpdir=spec_dir("obj"))
check("declared: a cache hit gives the same answers",
      again is not None and "cache: hit" in p.stderr and again["functions"] == res["functions"]
      and again["prototypes"] == res["prototypes"], p.stderr[-2000:])
# Failure memory: a cold run after one that failed entries leaves them out and checks them in
# a unit of their own; the answers stay the same.
with open(os.path.join(WORK, "decl.h"), "a") as f:
    f.write("/* touched: a cache miss */\n")
p, cold = probe(spec(extra=["getpid"]), ["-v"], env=ENV, tmpdir=spec_dir("obj"))
check("declared: remembered failures give the same answers, in one round",
      cold is not None and "cache: miss" in p.stderr and
      sources(p.stderr) == [["link-early.c"], ["probe.c"], ["remembered.c"]] and
      cold["functions"] == res["functions"], p.stderr[-2000:])

p, linked = probe(spec(link=True, names=["pp_nolink_fn", "write"]), ["-v"], env=ENV,
                  tmpdir=spec_dir("linked"))
check("declared: the same name linked is another question (not a cache hit of it)",
      linked is not None and linked["functions"] == {"pp_nolink_fn": False, "write": True},
      p.stderr[-2000:] if linked is None else str(linked["functions"]))

# --from reads the answers back, and no prototype for a "link": false entry.
path = os.path.join(spec_dir("obj"), "spec.json")
saved = os.path.join(WORK, "saved.json")
with open(saved, "w") as f:
    json.dump(res, f)
p = run(["probe", path, "--from", saved], env=ENV)
back = json.loads(p.stdout) if p.returncode == 0 else None
check("declared: --from gives the same functions and prototypes",
      back is not None and back["functions"] == res["functions"] and
      back["prototypes"] == res["prototypes"], p.stderr[-2000:])

# Required and undeclared: an error naming the entry; a bad "link" is refused before any compile.
p, _ = probe({"headers": ["decl.h"], "include_dirs": [WORK],
              "functions": ["getpid", {"name": "xxxwrite", "link": False}]}, env=ENV,
             tmpdir=spec_dir("req"))
check("declared: a required undeclared name fails, the entry named",
      p.returncode == 1 and 'functions[1] "xxxwrite": not found' in p.stderr, p.stderr[-2000:])
for bad in ("1", '"no"', "null"):
    d = spec_dir("bad")
    with open(os.path.join(d, "spec.json"), "w") as f:
        f.write('{"headers": ["stdio.h"],\n "functions": [{"name": "EOF", "link": %s}]}\n' % bad)
    p = run(["probe", os.path.join(d, "spec.json")], env=ENV)
    check("declared: \"link\": %s is refused, the key named" % bad,
          p.returncode == 2 and "spec.json: error: functions[0].link: expected a boolean" in p.stderr,
          p.stderr[-2000:])
d = spec_dir("badsec")
with open(os.path.join(d, "spec.json"), "w") as f:
    f.write('{"headers": ["stdio.h"], "constants": [{"name": "EOF", "link": false}]}\n')
p = run(["probe", os.path.join(d, "spec.json")], env=ENV)
check("declared: \"link\" only in functions", p.returncode == 2 and "constants[0]" in p.stderr,
      p.stderr[-2000:])
done()
