"""Four answers that failed or were wrong before issue 13 (section 4), each against the compiler
or Python's ctypes: a float constant that is not a number (object and run mode, every format);
a listed flexible array member (struct cmsghdr's __cmsg_data); member paths that a macro hides
(every path a whole layout of siginfo_t and struct sigaction reports, asked exactly, gets the
layout's answer and offsetof's, while si_pid and st_atime keep their C meaning); a struct-typed
member in -f python is its ctypes class."""
import atexit
import ctypes
import importlib.util
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pptest  # noqa: E402
from pptest import check  # noqa: E402

WORK = tempfile.mkdtemp(prefix="pptest-edges-")
atexit.register(shutil.rmtree, WORK, True)

DEFINES = {"_GNU_SOURCE": "1", "FNAN": "((double)0/0)", "FINF": "(1.0/0.0)",
           "FNINF": "(-1.0/0.0)", "FNANF": "(0.0f/0.0f)"}
HEADERS = ["sys/socket.h", "signal.h", "sys/stat.h", "time.h"]
PRELUDE = "".join(f"#define {k} {v}\n" for k, v in DEFINES.items()) + \
    "".join(f"#include <{h}>\n" for h in HEADERS) + "#include <stddef.h>\n#include <stdio.h>\n" \
    "#include <math.h>\n"


def c_lines(body):
    """Runs a C program made of PRELUDE and BODY (statements in main); its output lines."""
    return pptest.cc_run(PRELUDE + "int main(void) {\n" + body + "\nreturn 0;\n}\n",
                         ["-w"]).splitlines()


def load_module(path, name):
    """Imports the generated Python module at PATH."""
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def spec_file(spec, name):
    path = os.path.join(WORK, name)
    with open(path, "w") as f:
        json.dump(spec, f)
    return path


def gen(spec_path, fmt, out, extra=()):
    p = pptest.run(["probe", spec_path, "-f", fmt, "-o", out, "--no-cache", *extra])
    check(f"-f {fmt} {' '.join(extra)} succeeds", p.returncode == 0, p.stderr[-2000:])
    return p.returncode == 0


def compile_c(tag, source):
    src = os.path.join(WORK, "use.c")
    with open(src, "w") as f:
        f.write(source)
    p = subprocess.run(["cc", "-Wall", "-Werror", f"-I{WORK}", "-c", src, "-o", src + ".o"],
                       capture_output=True, text=True)
    check(tag, p.returncode == 0, p.stderr[-2000:])


# ---- 1. floats that are not numbers ----
FLOATS = ["FNAN", "FINF", "FNINF", "FNANF"]
cvals = {}
for line in c_lines("".join(f'printf("{c} %d %d %d\\n", isnan({c}) != 0, isinf({c}) != 0, '
                            f'signbit({c}) != 0);\n' for c in FLOATS)):
    name, nan, inf, neg = line.split()
    cvals[name] = "nan" if nan == "1" else ("-inf" if neg == "1" else "inf") if inf == "1" else "?"
fspec = spec_file({"defines": DEFINES, "headers": HEADERS, "constants": FLOATS}, "floats.json")
for mode in ("object", "run"):
    p = pptest.run(["probe", fspec, "--no-cache", "--mode", mode])
    doc = json.loads(p.stdout) if p.returncode == 0 else None
    if check(f"floats: {mode} mode answers", doc, p.stderr[-2000:]):
        check(f"floats: {mode} mode values as C's isnan/isinf say", doc["constants"] == cvals,
              f"{doc['constants']} vs {cvals}")
if gen(fspec, "python", os.path.join(WORK, "floats_mod.py")):
    mod = load_module(os.path.join(WORK, "floats_mod.py"), "floats_mod")
    got = {c: "nan" if math.isnan(getattr(mod, c)) else "inf" if getattr(mod, c) > 0 else "-inf"
           for c in FLOATS}
    check("floats: -f python values", got == cvals, f"{got} vs {cvals}")
if gen(fspec, "header", os.path.join(WORK, "floats.h")):
    out = pptest.cc_run(PRELUDE + f'#include "{WORK}/floats.h"\nint main(void) {{\n' + "".join(
        f'printf("%d\\n", isnan(VALUE_{c}) == isnan({c}) && isinf(VALUE_{c}) == isinf({c}) && '
        f'signbit(VALUE_{c}) == signbit({c}));\n' for c in FLOATS) + "return 0;\n}\n", ["-w"])
    check("floats: -f header values as C's isnan/isinf/signbit say", out.split() == ["1"] * 4, out)
if gen(fspec, "guard", os.path.join(WORK, "floats_guard.h")):
    compile_c("floats: -f guard compiles", PRELUDE + '#include "floats_guard.h"\n')
if gen(fspec, "rust", os.path.join(WORK, "floats.rs")):
    rs = open(os.path.join(WORK, "floats.rs")).read()
    check("floats: -f rust spells them", all(f"pub const {c}: f64 = f64::{w};" in rs for c, w in
                                            (("FNAN", "NAN"), ("FINF", "INFINITY"),
                                             ("FNINF", "NEG_INFINITY"), ("FNANF", "NAN"))), rs[-800:])
# not a constant, still refused in object mode
p, _ = pptest.probe({"headers": ["signal.h"], "constants": ["SIGRTMIN"]}, ["--no-cache"])
check("floats: SIGRTMIN still refused in object mode",
      p.returncode != 0 and "not a compile-time constant" in p.stderr, p.stderr[-1000:])

# ---- 2. a listed flexible array member ----
off, esz = map(int, c_lines('printf("%zu %zu\\n", offsetof(struct cmsghdr, __cmsg_data), '
                            'sizeof(((struct cmsghdr *)0)->__cmsg_data[0]));')[0].split())
flex_spec = {"defines": DEFINES, "headers": HEADERS,
             "structs": [{"name": "struct cmsghdr", "fields": ["cmsg_len", "__cmsg_data"]}]}
fxpath = spec_file(flex_spec, "flex.json")
for mode in ("object", "run"):
    p = pptest.run(["probe", fxpath, "--no-cache", "--mode", mode])
    doc = json.loads(p.stdout) if p.returncode == 0 else None
    if check(f"flexible: {mode} mode answers __cmsg_data", doc, p.stderr[-2000:]):
        f = [x for x in doc["structs"]["struct cmsghdr"]["fields"] if x["name"] == "__cmsg_data"][0]
        check(f"flexible: {mode} mode offset, count 0, element as offsetof/sizeof say",
              (f["offset"], f["size"], f["kind"], f["count"], f["element"]["size"], f["flexible"])
              == (off, 0, "array", 0, esz, True), repr(f))
if gen(fxpath, "python", os.path.join(WORK, "flex_mod.py")):
    mod = load_module(os.path.join(WORK, "flex_mod.py"), "flex_mod")
    check("flexible: -f python member at offsetof's offset",
          (mod.cmsghdr.__cmsg_data.offset, mod.cmsghdr.__cmsg_data.size) == (off, 0),
          repr(mod.cmsghdr.__cmsg_data))
if gen(fxpath, "guard", os.path.join(WORK, "flex_guard.h")):
    compile_c("flexible: -f guard compiles", PRELUDE + '#include "flex_guard.h"\n')
if gen(fxpath, "rust", os.path.join(WORK, "flex.rs")):
    p = subprocess.run(["rustc", "--crate-type", "lib", os.path.join(WORK, "flex.rs"),
                        "-o", os.path.join(WORK, "libflex.rlib")], capture_output=True, text=True)
    check("flexible: -f rust builds (its layout assertions hold)", p.returncode == 0, p.stderr[-2000:])

# ---- 3. member paths a macro hides ----
WHOLE = ["siginfo_t", "struct sigaction"]
p, doc = pptest.probe({"defines": DEFINES, "headers": HEADERS, "structs": WHOLE}, ["--no-cache"])
paths = {}


def walk(sname, fields):
    for f in fields:
        if f["name"] and "bit_size" not in f:
            paths.setdefault(sname, {})[f["name"]] = (f["offset"], f["size"])
        walk(sname, f.get("fields", []))


if check("macro paths: whole layouts answered", doc, p.stderr[-2000:]):
    for s in WHOLE:
        walk(s, doc["structs"][s]["fields"])
hidden = [(s, n) for s in paths for n in paths[s] if n.endswith((".si_pid", ".sa_handler"))]
check("macro paths: the layouts report _sifields._kill.si_pid and __sigaction_handler.sa_handler",
      ("siginfo_t", "_sifields._kill.si_pid") in hidden and
      ("struct sigaction", "__sigaction_handler.sa_handler") in hidden, repr(hidden))
C_MEANING = [("siginfo_t", "si_pid"), ("siginfo_t", "si_value.sival_int"),
             ("struct sigaction", "sa_handler"), ("struct stat", "st_atime")]
asked = {"defines": DEFINES, "headers": HEADERS,
         "structs": [{"name": s, "fields": sorted(paths.get(s, {}))} for s in WHOLE] +
         [{"name": "struct stat", "fields": ["st_atime"]}]}
for s, n in C_MEANING[:3]:
    asked["structs"][WHOLE.index(s)]["fields"].append(n)
# offsetof in C, each hidden path with its member names kept from macro expansion by hand
body = ""
for s, n in hidden:
    names = sorted({x.split("[")[0] for x in n.split(".")[1:]})
    body += "".join(f'#pragma push_macro("{x}")\n#undef {x}\n' for x in names)
    body += f'printf("{n}\\t%zu\\t%zu\\n", offsetof({s}, {n}), sizeof((({s} *)0)->{n}));\n'
    body += "".join(f'#pragma pop_macro("{x}")\n' for x in names)
for s, n in C_MEANING:
    body += f'printf("{n}\\t%zu\\t%zu\\n", offsetof({s}, {n}), sizeof((({s} *)0)->{n}));\n'
cfacts = {ln.split("\t")[0]: tuple(map(int, ln.split("\t")[1:])) for ln in c_lines(body)}
for mode in ("object", "run"):
    p = pptest.run(["probe", spec_file(asked, "paths.json"), "--no-cache", "--mode", mode])
    got = json.loads(p.stdout) if p.returncode == 0 else None
    if not check(f"macro paths: {mode} mode answers every path a whole layout reports", got,
                 p.stderr[-2000:]):
        continue
    listed = {(s, f["name"]): (f["offset"], f["size"]) for s in got["structs"]
              for f in got["structs"][s]["fields"]}
    bad = [(s, n, listed.get((s, n)), paths[s][n]) for s in paths for n in paths[s]
           if listed.get((s, n)) != paths[s][n]]
    check(f"macro paths: {mode} mode, each listed path as its whole layout says ({len(listed)})",
          not bad, repr(bad[:5]))
    bad = [(n, listed.get((s, n)), cfacts[n]) for s, n in hidden + C_MEANING
           if listed.get((s, n)) != cfacts[n]]
    check(f"macro paths: {mode} mode, hidden paths and C-meaning paths as offsetof says",
          not bad, repr(bad))
if gen(spec_file(asked, "paths.json"), "guard", os.path.join(WORK, "paths_guard.h")):
    compile_c("macro paths: -f guard compiles", PRELUDE + '#include "paths_guard.h"\n')
# A path that compiles only as C reads it (sin6_addr.s6_addr: s6_addr is a macro), from a fresh
# probe and from the cache: the guard must spell it the way it was answered.
cpath = spec_file({"defines": DEFINES, "headers": HEADERS + ["netinet/in.h"],
                   "structs": [{"name": "struct sockaddr_in6", "fields": ["sin6_addr.s6_addr"]},
                               {"name": "struct in6_addr", "fields": ["s6_addr"]}]}, "cpath.json")
for run_no in (1, 2):
    out = os.path.join(WORK, f"cpath_guard{run_no}.h")
    p = pptest.run(["probe", cpath, "-f", "guard", "-o", out, "--cache-dir",
                    os.path.join(WORK, "cpath-cache")])
    if check(f"C-meaning path: guard, run {run_no} ({'cached' if run_no == 2 else 'fresh'})",
             p.returncode == 0, p.stderr[-1500:]):
        compile_c(f"C-meaning path: guard of run {run_no} compiles",
                  PRELUDE + "#include <netinet/in.h>\n" + f'#include "cpath_guard{run_no}.h"\n')

# ---- 4. a struct-typed member in -f python is its ctypes class ----
nspec = {"defines": DEFINES, "headers": HEADERS,
         "structs": [{"name": "struct stat", "fields": ["st_size", "st_atim", "st_mtim"]},
                     {"name": "struct timespec", "fields": ["tv_sec", "tv_nsec"]}]}
if gen(spec_file(nspec, "nested.json"), "python", os.path.join(WORK, "nested_mod.py")):
    mod = load_module(os.path.join(WORK, "nested_mod.py"), "nested_mod")
    types = dict(mod.stat._fields_)
    check("nested: st_atim and st_mtim are the timespec class",
          types.get("st_atim") is mod.timespec and types.get("st_mtim") is mod.timespec, repr(types))
    c = c_lines('printf("%zu %zu %zu\\n", offsetof(struct stat, st_atim), '
                'offsetof(struct stat, st_atim.tv_nsec), sizeof(struct timespec));')[0].split()
    check("nested: offsets through the class as C's offsetof",
          (mod.stat.st_atim.offset, mod.stat.st_atim.offset + mod.timespec.tv_nsec.offset,
           ctypes.sizeof(mod.timespec)) == tuple(map(int, c)), repr(c))
    s = mod.stat()
    s.st_atim.tv_nsec = 123
    check("nested: a member set through the class reads back", s.st_atim.tv_nsec == 123, "")
if gen(spec_file(nspec, "nested.json"), "rust", os.path.join(WORK, "nested.rs")):
    p = subprocess.run(["rustc", "--crate-type", "lib", os.path.join(WORK, "nested.rs"),
                        "-o", os.path.join(WORK, "libnested.rlib")], capture_output=True, text=True)
    rs = open(os.path.join(WORK, "nested.rs")).read()
    check("nested: -f rust builds with the member as its struct",
          p.returncode == 0 and "pub st_atim: timespec" in rs, p.stderr[-2000:])
pptest.done()
