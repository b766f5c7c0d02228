"""Failure memory (issue 14): a second cold run (a header changed, so the answer cache misses)
whose failures are those of the first compiles in one round: the remembered failing entries
(optional constants, types, a struct and its field, a function), the fields asked another way
(a bit-field, a flexible array member) and the "link": false functions are left out of the main
unit (probe.c) and checked in a unit of their own (remembered.c), compiled by a compiler run of
its own at the same time: two invocations, each naming its source alone, overlapping in time,
and no recompile. Answers are those of a run without memory (--no-cache). A remembered failure
that compiles now is found and answered (never kept null); a field that is no longer a
bit-field is asked as a field again. A remembered unit whose compiler is killed asked nothing:
its entries are asked in the main unit, as without memory. Invocations are logged, with their
start and end times, by a wrapper given as --cc."""
import atexit
import json
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pptest  # noqa: E402
from pptest import check  # noqa: E402

WORK = tempfile.mkdtemp(prefix="pptest-memory-")
atexit.register(shutil.rmtree, WORK, True)

WRAP = os.path.join(WORK, "cc")
LOG = os.path.join(WORK, "cc.log")
with open(WRAP, "w") as f:
    f.write("#!/bin/bash\n"
            "case \"$PPTEST_KILL:$*\" in 1:*remembered.c*)\n"
            "  echo K >> '" + LOG + "'; kill -9 $$;; esac\n"
            "printf 'S %s %s %s\\n' $$ \"$(date +%s.%N)\" \"$*\" >> '" + LOG + "'\n"
            "case \"$PPTEST_SLOW:$*\" in 1:*remembered.c*) sleep 2;; esac\n"
            "gcc \"$@\"\nrc=$?\n"
            "printf 'E %s %s\\n' $$ \"$(date +%s.%N)\" >> '" + LOG + "'\nexit $rc\n")
os.chmod(WRAP, 0o755)
ENV = {"XDG_CACHE_HOME": os.path.join(WORK, "cache"), "HOME": WORK}

HEADER = os.path.join(WORK, "h.h")
BASE = "struct bits { unsigned a : 3; int b; };\nstruct fam { int n; char data[]; };\n"
SPEC = {"include_dirs": ["."], "headers": ["h.h", "errno.h"],
        "constants": ["EAGAIN", {"name": "NO_SUCH_X", "optional": True}],
        "types": [{"name": "no_such_t", "optional": True}, "int"],
        "structs": [{"name": "struct bits", "fields": ["a", "b"]},
                    {"name": "struct fam", "fields": ["n", "data"]},
                    {"name": "struct nope", "fields": ["x"], "optional": True}],
        "functions": [{"name": "no_such_fn", "optional": True},
                      {"name": "no_such_decl", "optional": True, "link": False},
                      {"name": "EAGAIN", "link": False}]}
SPEC_PATH = os.path.join(WORK, "spec.json")
with open(SPEC_PATH, "w") as f:
    json.dump(SPEC, f)


def write_header(text):
    with open(HEADER, "w") as f:
        f.write(text)


def invocations():
    """The compiler invocations the wrapper logged (but -dumpmachine's): each a dict of its
    sources (the .c words), start and end time."""
    runs = {}
    with open(LOG) if os.path.exists(LOG) else open(os.devnull) as f:
        for line in f:
            w = line.split()
            if w[0] == "K":
                runs["killed"] = {"sources": ["killed"], "start": 0, "end": 0}
            elif w[0] == "S" and w[3:4] != ["-dumpmachine"]:
                runs[w[1]] = {"sources": [os.path.basename(a) for a in w[3:] if a.endswith(".c")],
                              "start": float(w[2]), "end": None}
            elif w[0] == "E" and w[1] in runs:
                runs[w[1]]["end"] = float(w[2])
    return list(runs.values())


def probe(tag, extra=(), env=None):
    """Probes the spec through the logging wrapper; (document, compiler invocations)."""
    if os.path.exists(LOG):
        os.unlink(LOG)
    p = pptest.run(["probe", SPEC_PATH, "--cc", WRAP, *extra], env=dict(ENV, **(env or {})))
    runs = invocations()
    check(f"{tag}: probes", p.returncode == 0, p.stderr[-2000:])
    try:
        return json.loads(p.stdout), runs
    except ValueError:
        return None, runs


def units(runs, source):
    """The invocations that compile source and nothing else."""
    return [r for r in runs if r["sources"] == [source]]


def fresh(tag):
    """The same spec without cache or memory: what every run must answer."""
    doc, _ = probe(tag, ["--no-cache"])
    return doc


write_header(BASE)
first, runs1 = probe("first run")
check("first run: isolation needs more than one compile", len(runs1) > 1, repr(runs1))
write_header(BASE + "/* touched */\n")
# The remembered unit's compile is held 2 s (PPTEST_SLOW), so that "at the same time" does not
# hang on how fast platprobe renders the main unit (under valgrind a tiny remembered unit could
# end before the main one starts); run one after the other, they could not overlap.
second, runs2 = probe("second run, same failures", env={"PPTEST_SLOW": "1"})
main2, mem2 = units(runs2, "probe.c"), units(runs2, "remembered.c")
check("second run, same failures: one round: the main unit alone, the remembered one alone, "
      "no third", len(main2) == 1 and len(mem2) == 1 and len(runs2) == 2, repr(runs2))
check("... the two compile at the same time",
      len(main2) == 1 and len(mem2) == 1 and mem2[0]["end"] is not None and
      main2[0]["end"] is not None and mem2[0]["start"] < main2[0]["end"] and
      main2[0]["start"] < mem2[0]["end"], repr(runs2))
check("second run: the answers of a run without memory", second == fresh("no memory") and
      second == first, json.dumps(second)[:1500])
memfiles = [f for f in os.listdir(os.path.join(WORK, "cache", "platprobe")) if "failures" in f]
check("the memory lies beside the cache", len(memfiles) == 1, repr(memfiles))

# What failed compiles now: found and answered, not kept null.
write_header(BASE + "#define NO_SUCH_X 42\nstruct nope { long x; };\ntypedef short no_such_t;\n")
third, runs3 = probe("a remembered failure compiles now")
check("remembered failures that compile now are answered",
      third and third["constants"]["NO_SUCH_X"] == 42 and third["types"]["no_such_t"] is not None
      and third["structs"]["struct nope"] is not None, json.dumps(third)[:1500])
check("... as a run without memory answers them", third == fresh("no memory, changed"), "")
check("... at the cost of one more compile, not more (the remembered unit beside the first)",
      len(units(runs3, "remembered.c")) == 1 and len(units(runs3, "probe.c")) <= 2 and
      len(runs3) <= 3, repr(runs3))

# A bit-field that is no longer one is asked as a field again (never read as an image).
write_header("struct bits { unsigned a; int b; };\nstruct fam { int n; char data[]; };\n")
fourth, _ = probe("a remembered bit-field is a plain field now")
want = fresh("no memory, no bit-field")
check("the field is answered as a plain field, as without memory", fourth == want,
      json.dumps(fourth)[:800] + " vs " + json.dumps(want)[:800])

# The remembered unit's compiler dies of a signal: what it would have said is unknown, so its
# entries are asked in the main unit (isolation compiles it again), and the answers stay right.
write_header("struct bits { unsigned a; int b; };\nstruct fam { int n; char data[]; };\n"
             "/* touched */\n")
fifth, runs5 = probe("the remembered unit's compiler is killed", ["-v"], {"PPTEST_KILL": "1"})
check("... its entries are asked in the main unit, answered as without memory",
      fifth == want and units(runs5, "killed") and not units(runs5, "remembered.c") and
      len(units(runs5, "probe.c")) >= 2 and fifth["functions"]["no_such_decl"] is False,
      repr(runs5))
pptest.done()
