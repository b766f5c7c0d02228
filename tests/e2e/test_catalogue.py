"""The spec catalogue in probe/ (besides posix.json, which test_posix_spec.py covers): each spec is
probed and its answers checked against a C program compiled from the spec's names (ccheck.verify)
and against Python's own modules (select, os, time, socket, termios, zlib). zlib is found through
pkg-config, and its C check program links with pkg-config's libs. No expected value comes from
platprobe's own output."""
import json
import os
import select
import shlex
import socket
import subprocess
import sys
import tempfile
import termios
import time
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pptest
from pptest import check
from ccheck import nm, verify

WORK = tempfile.mkdtemp(prefix="pptest-catalogue-")
tempfile.tempdir = WORK
PROBE = os.path.join(pptest.TOP, "probe")


def load(name):
    with open(os.path.join(PROBE, name)) as f:
        return json.load(f)


def probe(label, path, extra=()):
    p = pptest.run(["probe", path] + list(extra))
    check(f"{label}: exit 0", p.returncode == 0, p.stderr[-2000:])
    return json.loads(p.stdout) if p.returncode == 0 else None


def against_python(label, doc, module_values):
    """Every constant that Python also has must have Python's value."""
    bad, n = [], 0
    for name, want in module_values.items():
        got = doc["constants"].get(name)
        if got is None:
            continue
        n += 1
        if got != want:
            bad.append(f"{name} platprobe {got!r} Python {want!r}")
    check(f"{label}: {n} constants match Python's modules", n >= 5 and not bad,
          "; ".join(bad[:20]) or f"only {n} compared")


def python_ints(module, names):
    return {n: int(getattr(module, n)) for n in names if isinstance(getattr(module, n, None), int)}


def pkg(args):
    return shlex.split(subprocess.run(["pkg-config"] + args, capture_output=True, text=True,
                                      check=True).stdout)


specs = sorted(f for f in os.listdir(PROBE) if f.endswith(".json") and f != "posix.json")
check("catalogue: linux, sockets, termios and zlib specs are there",
      {"linux.json", "sockets.json", "termios.json", "zlib.json"} <= set(specs), str(specs))

for name in specs:
    spec = load(name)
    label = name[:-5]
    cflags, libs = [], []
    if spec.get("pkg-config"):
        cflags, libs = pkg(["--cflags"] + spec["pkg-config"]), pkg(["--libs"] + spec["pkg-config"])
    doc = probe(label, os.path.join(PROBE, name))
    if doc is None:
        continue
    verify(label, spec, doc, ["cc"] + cflags, libs=libs)
    names = [nm(c) for c in spec.get("constants", [])]
    if label == "linux":
        vals = python_ints(select, names)
        vals.update(python_ints(os, names))
        vals.update(python_ints(time, names))
        against_python(label, doc, vals)
    elif label == "sockets":
        against_python(label, doc, python_ints(socket, names))
    elif label == "termios":
        against_python(label, doc, python_ints(termios, names))
    elif label == "zlib":
        vals = python_ints(zlib, names)
        vals["Z_DEFLATED"] = zlib.DEFLATED
        # the library the C program links is the one the headers belong to (one Debian version)
        vals["ZLIB_VERSION"] = zlib.ZLIB_RUNTIME_VERSION
        against_python(label, doc, vals)
        check("zlib: found through pkg-config (its libs name -lz)", "-lz" in libs, str(libs))

# ---------------------------------------------------------------- io_uring where the header is missing
spec = load("linux.json")
uring = [h for h in spec["headers"] if isinstance(h, dict) and h["name"] == "linux/io_uring.h"]
check("linux: linux/io_uring.h is an optional header", bool(uring) and uring[0].get("optional"),
      str(spec["headers"]))
for h in spec["headers"]:
    if isinstance(h, dict) and h["name"] == "linux/io_uring.h":
        h["name"] = "linux/no_such_io_uring.h"
path = os.path.join(WORK, "linux-no-uring.json")
with open(path, "w") as f:
    json.dump(spec, f)
doc = probe("linux without io_uring.h", path)
if doc:
    io_structs = [s["name"] for s in spec["structs"] if "io_" in s["name"]]
    io_consts = [nm(c) for c in spec["constants"] if "IORING" in nm(c) or "io_uring" in nm(c)]
    io_consts = [c for c in io_consts if not c.startswith("__NR_")]  # from sys/syscall.h
    check("linux without io_uring.h: its structs are null",
          io_structs and all(doc["structs"][s] is None for s in io_structs),
          str({s: doc["structs"][s] for s in io_structs}))
    check("linux without io_uring.h: its constants are null",
          io_consts and all(doc["constants"][c] is None for c in io_consts),
          str({c: doc["constants"][c] for c in io_consts if doc["constants"][c] is not None}))
    check("linux without io_uring.h: the rest is answered",
          doc["constants"]["EPOLLIN"] == select.EPOLLIN and
          doc["structs"]["struct epoll_event"] is not None, "")
    verify("linux without io_uring.h", spec, doc, ["cc"])

pptest.done()
