"""The shipped default spec probe/posix.json: its size, and platprobe's answers for it checked
against independent sources (a C program compiled from the spec's names that prints sizeof,
_Alignof, offsetof and the constants' values, and Python's errno/signal/socket/os/select/...
modules). No expected value comes from platprobe's own output."""
import concurrent.futures
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile

import errno
import mmap
import resource
import select
import signal
import socket
import stat
import termios
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pptest
from pptest import check
from ccheck import nm, optional, summary, verify

SPEC = os.path.join(pptest.TOP, "probe", "posix.json")

# Every temp dir (pptest.probe, pptest.cc_run and ours) goes under one directory removed at the end.
WORK = tempfile.mkdtemp(prefix="pptest-posix-")
tempfile.tempdir = WORK


with open(SPEC) as f:
    spec = json.load(f)

# ---------------------------------------------------------------- the spec itself
types = spec.get("types", [])
structs = spec.get("structs", [])
constants = spec.get("constants", [])
defined = spec.get("defined", [])
functions = spec.get("functions", [])
check("spec: >= 30 types", len(types) >= 30, f"{len(types)} types")
check("spec: >= 20 structs", len(structs) >= 20, f"{len(structs)} structs")
check("spec: >= 200 constants", len(constants) >= 200, f"{len(constants)} constants")
check("spec: >= 20 functions", len(functions) >= 20, f"{len(functions)} functions")
check("spec: has defined entries", len(defined) >= 3, f"{len(defined)} defined")
need_headers = ["errno.h", "fcntl.h", "signal.h", "sys/socket.h", "netinet/in.h", "poll.h",
                "termios.h", "sys/stat.h", "limits.h", "float.h", "stdint.h"]
missing = [h for h in need_headers if h not in spec.get("headers", [])]
check("spec: all required headers listed", not missing, f"missing {missing}")
cnames = [nm(c) for c in constants]
hard = ["ULLONG_MAX", "LLONG_MIN", "LLONG_MAX", "UINT64_MAX", "INT64_MIN", "SIZE_MAX", "DBL_MAX",
        "DBL_MIN", "DBL_EPSILON", "FLT_MAX", "LDBL_DIG", "RLIM_INFINITY", "MAP_FAILED", "SIG_DFL",
        "SIG_IGN", "SIG_ERR", "INADDR_ANY", "INADDR_BROADCAST", "P_tmpdir"]
req_c = {nm(c) for c in constants if not optional(c)}
check("spec: hard constants are required entries", set(hard) <= req_c,
      f"missing {sorted(set(hard) - req_c)}")
banned = {"SIGRTMIN", "SIGRTMAX", "LDBL_MAX", "LDBL_MIN", "LDBL_EPSILON"} & set(cnames)
check("spec: no run-time-only or too-wide constants", not banned, f"found {sorted(banned)}")
for sec, lst in (("types", types), ("constants", constants), ("defined", defined),
                 ("functions", functions), ("structs", structs)):
    names = [nm(e) for e in lst]
    dup = sorted({n for n in names if names.count(n) > 1})
    check(f"spec: no duplicate {sec}", not dup, f"duplicates {dup}")
lin = [e for e in defined if nm(e) == "__linux__"]
check("spec: __linux__ is optional", lin and optional(lin[0]), repr(lin))

def probe_mode(label, extra):
    p = pptest.run(["probe", SPEC] + extra)
    check(f"{label}: exit 0", p.returncode == 0, f"exit {p.returncode}: {p.stderr[-3000:]}")
    try:
        return json.loads(p.stdout) if p.returncode == 0 else None
    except ValueError as ex:
        check(f"{label}: output is JSON", False, str(ex))
        return None


def check_order(label, doc):
    for sec, lst in (("types", types), ("structs", structs), ("constants", constants),
                     ("defined", defined), ("functions", functions)):
        want = [nm(e) for e in lst]
        got = list(doc.get(sec, {}))
        check(f"{label}: {sec} in spec order", got == want,
              f"first difference at {next((i for i, (a, b) in enumerate(zip(got, want)) if a != b), min(len(got), len(want)))}")


def check_python(label, doc):
    """Constants Python also knows (its own build of the same C library)."""
    mods = [errno, signal, socket, os, select, stat, termios, mmap, resource, time]
    n, bad = 0, []
    for name, got in doc["constants"].items():
        if got is None:
            continue
        for m in mods:
            pv = getattr(m, name, None)
            if pv is None or callable(pv) and not isinstance(pv, int):
                continue
            try:
                pv = int(pv)
            except (TypeError, ValueError):
                continue
            n += 1
            if m is resource:
                # Python turns rlim_t into a signed long long: RLIM_INFINITY is -1 there
                ok = isinstance(got, int) and (got - pv) % 2**64 == 0
            else:
                ok = got == pv
            if not ok:
                bad.append(f"{name} platprobe {got!r} Python {m.__name__} {pv!r}")
    summary(label, "constants equal Python's errno/signal/socket/os/select/stat/termios/mmap/"
            "resource/time values", n, bad)
    check(f"{label}: Python cross-checked many constants", n >= 150, f"only {n}")
    fi = sys.float_info
    for cname, pv in (("DBL_MAX", fi.max), ("DBL_MIN", fi.min), ("DBL_EPSILON", fi.epsilon),
                      ("DBL_DIG", fi.dig), ("DBL_MANT_DIG", fi.mant_dig),
                      ("DBL_MAX_EXP", fi.max_exp), ("DBL_MIN_EXP", fi.min_exp),
                      ("DBL_MAX_10_EXP", fi.max_10_exp), ("DBL_MIN_10_EXP", fi.min_10_exp),
                      ("FLT_RADIX", fi.radix)):
        if cname in doc["constants"]:
            got = doc["constants"][cname]
            check(f"{label}: {cname} equals sys.float_info", got == pv and type(got) is type(pv),
                  f"platprobe {got!r} Python {pv!r}")
    # literal facts of C (exact-width integer limits) and of POSIX (netinet/in.h, unistd.h)
    c = doc["constants"]
    for k, v in (("INT8_MIN", -2**7), ("INT8_MAX", 2**7 - 1), ("UINT8_MAX", 2**8 - 1),
                 ("INT16_MIN", -2**15), ("INT16_MAX", 2**15 - 1), ("UINT16_MAX", 2**16 - 1),
                 ("INT32_MIN", -2**31), ("INT32_MAX", 2**31 - 1), ("UINT32_MAX", 2**32 - 1),
                 ("INT64_MIN", -2**63), ("INT64_MAX", 2**63 - 1), ("UINT64_MAX", 2**64 - 1),
                 ("INADDR_ANY", 0), ("INADDR_BROADCAST", 0xffffffff), ("STDIN_FILENO", 0),
                 ("STDERR_FILENO", 2)):
        if k in c:
            check(f"{label}: {k} is {v}", c[k] == v, f"platprobe {c[k]!r}")


try:
    cc_default = shlex.split(os.environ.get("CC") or "cc")
    obj = probe_mode("posix.json object mode", [])
    run = probe_mode("posix.json run mode", ["--mode", "run"])
    if obj is not None and run is not None:
        diff = [f"{sec}.{k}" for sec in ("target", "types", "structs", "constants", "defined",
                                         "functions")
                for k in set(obj.get(sec, {})) | set(run.get(sec, {}))
                if obj.get(sec, {}).get(k) != run.get(sec, {}).get(k)]
        check("posix.json: object and run mode give identical results", obj == run and not diff,
              f"differ in {diff[:20]}")
    if obj is not None:
        check_order("posix.json", obj)
        verify("posix.json", spec, obj, cc_default)
        check_python("posix.json", obj)
    clang = probe_mode("posix.json with --cc clang", ["--cc", "clang"])
    if clang is not None:
        verify("posix.json clang", spec, clang, ["clang"])
        check_python("posix.json clang", clang)
finally:
    tempfile.tempdir = None
    shutil.rmtree(WORK, ignore_errors=True)
pptest.done()
