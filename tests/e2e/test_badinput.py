#!/usr/bin/env python3
"""Bad-input and fault battery for `platprobe probe` (and a little of `show`).

Every failing case checks, besides its exit status and message (substrings from the CLI
contract):
  - stdout is empty;
  - an existing -o FILE is byte-for-byte untouched (same content, same inode: not replaced);
  - nothing else appeared in the -o directory (no leftover temp file of the atomic write);
  - $TMPDIR (a fresh empty directory per case) is empty afterwards;
  - for bad specs / bad usage (exit 2): the compiler was never run (a logging --cc wrapper).
Compiler and exec-wrapper faults use small fake shell scripts; hung children are identified
by unique command lines (sleep 1000.<unique digits>, script paths under this test's temp
directory) and must be gone when platprobe has exited.
Expected values come from the contract, from C's literal facts, from Python's errno/sys
modules, or from a hand-written C program (pptest.cc_run): never from platprobe itself.
"""
import atexit, errno, json, os, shlex, shutil, signal, stat, subprocess, sys, tempfile, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pptest  # noqa: E402
from pptest import check  # noqa: E402

PP = pptest.PLATPROBE
KNOWN = b'{"pptest": "sentinel: platprobe must leave this file exactly as it is"}\n'
ROOT = tempfile.mkdtemp(prefix="pptest-badinput-")
TOKEN = f"{os.getpid()}{int(time.time()) % 100000}"  # digits only: used in sleep arguments
_seq = [0]


def nonce():
    _seq[0] += 1
    return f"{TOKEN}{_seq[0]:04d}"


# ---------------------------------------------------------------- processes

def procs_matching(needle):
    """(pid, cmdline) of live processes whose command line contains NEEDLE (zombies have none)."""
    found = []
    nb = needle.encode()
    for pid in os.listdir("/proc"):
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmd = f.read()
        except OSError:
            continue
        if nb in cmd:
            found.append((int(pid), cmd.replace(b"\0", b" ").decode(errors="replace").strip()))
    return found


def wait_until(pred, secs):
    end = time.monotonic() + secs
    while True:
        v = pred()
        if v or time.monotonic() > end:
            return v
        time.sleep(0.1)


def gone(needle, secs=5):
    """True when no process with NEEDLE in its command line remains (polls up to SECS)."""
    return wait_until(lambda: not procs_matching(needle), secs)


def kill_leftovers():
    """Kill (by pid) processes this test started that platprobe failed to reap."""
    for needle in (ROOT, f".{TOKEN}"):
        for pid, _ in procs_matching(needle):
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass


_undo = []  # commands that give back what read_only() took, run at exit whatever happened


def cleanup():
    kill_leftovers()
    for cmd in _undo:
        subprocess.run(cmd, capture_output=True)
    for d, _, _ in os.walk(ROOT):
        try:
            os.chmod(d, 0o755)
        except OSError:
            pass
    shutil.rmtree(ROOT, ignore_errors=True)


atexit.register(cleanup)


def oneline(s, n=1500):
    if isinstance(s, bytes):
        s = s.decode(errors="backslashreplace")
    s = s[-n:] if len(s) > n else s
    return s.replace("\n", "\\n")


# ---------------------------------------------------------------- one case

class Result:
    def __init__(self, rc, out, err, elapsed):
        self.rc, self.out, self.err, self.elapsed = rc, out, err, elapsed


class Case:
    """A sandbox for one invocation: spec/, out/out.json (KNOWN), an empty TMPDIR, a HOME."""

    def __init__(self, name, out_exists=True):
        self.name = name
        _seq[0] += 1
        slug = "".join(ch if ch.isalnum() else "-" for ch in name)[:40].strip("-")
        self.dir = os.path.join(ROOT, f"{_seq[0]:04d}-{slug}")
        for sub in ("spec", "out", "tmp", "home", "bin"):
            os.makedirs(os.path.join(self.dir, sub))
        self.spec_dir = os.path.join(self.dir, "spec")
        self.out_dir = os.path.join(self.dir, "out")
        self.tmp = os.path.join(self.dir, "tmp")
        self.home = os.path.join(self.dir, "home")
        self.bin = os.path.join(self.dir, "bin")
        self.out = os.path.join(self.out_dir, "out.json")
        self.out_exists = out_exists
        if out_exists:
            with open(self.out, "wb") as f:
                f.write(KNOWN)
            self.out_ino = os.stat(self.out).st_ino
        self.cclog = os.path.join(self.dir, "cc.log")
        # A compiler that records every invocation, then is the real one.
        self.logcc = self.script("logcc", f'echo "$@" >> {shlex.quote(self.cclog)}\nexec cc "$@"\n')

    def spec(self, content, name="spec.json"):
        if isinstance(content, (dict, list)):
            data = json.dumps(content).encode()
        elif isinstance(content, str):
            data = content.encode()
        else:
            data = content
        path = os.path.join(self.spec_dir, name)
        with open(path, "wb") as f:
            f.write(data)
        return path

    def script(self, name, body):
        path = os.path.join(self.bin, name)
        with open(path, "w") as f:
            f.write("#!/bin/sh\n" + body)
        os.chmod(path, 0o755)
        return path

    def env(self, extra=None):
        e = dict(os.environ)
        e.update(TMPDIR=self.tmp, HOME=self.home, XDG_CACHE_HOME=os.path.join(self.home, ".cache"))
        if extra:
            e.update(extra)
        return e

    def start(self, args, env=None):
        self._fo = open(os.path.join(self.dir, "stdout"), "wb")
        self._fe = open(os.path.join(self.dir, "stderr"), "wb")
        self._t0 = time.monotonic()
        # Own session, so that a hung run can be killed with its whole group.
        return subprocess.Popen([PP] + list(args), stdin=subprocess.DEVNULL, stdout=self._fo,
                                stderr=self._fe, env=self.env(env), start_new_session=True)

    def finish(self, p, timeout):
        try:
            rc = p.wait(timeout)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except OSError:
                pass
            p.wait()
            rc = None
        elapsed = time.monotonic() - self._t0
        self._fo.close()
        self._fe.close()
        with open(os.path.join(self.dir, "stdout"), "rb") as f:
            out = f.read()
        with open(os.path.join(self.dir, "stderr"), "rb") as f:
            err = f.read().decode(errors="backslashreplace")
        return Result(rc, out, err, elapsed)

    def run(self, args, timeout=120, env=None):
        return self.finish(self.start(args, env), timeout)

    # ---- assertions

    def expect(self, r, rcs, msgs=(), cc_not_run=False, listing=None):
        n = self.name
        rcs = (rcs,) if isinstance(rcs, int) else tuple(rcs)
        why = "did not exit (killed by the test)" if r.rc is None else f"got {r.rc}"
        check(f"{n}: exit status {' or '.join(map(str, rcs))}", r.rc in rcs,
              f"{why}; stderr: {oneline(r.err)}")
        for m in msgs:
            alts = m if isinstance(m, tuple) else (m,)
            check(f"{n}: message has {' or '.join(repr(a) for a in alts)}",
                  any(a in r.err for a in alts), f"stderr: {oneline(r.err)}")
        if r.rc != 0:
            check(f"{n}: stdout empty", r.out == b"", f"stdout: {oneline(r.out, 300)}")
        self.expect_clean(cc_not_run, listing)

    def expect_clean(self, cc_not_run=False, listing=None):
        n = self.name
        if self.out_exists:
            try:
                st = os.lstat(self.out)
                with open(self.out, "rb") as f:
                    data = f.read()
                ok = stat.S_ISREG(st.st_mode) and data == KNOWN and st.st_ino == self.out_ino
                detail = f"regular={stat.S_ISREG(st.st_mode)} same_inode={st.st_ino == self.out_ino} content={oneline(data, 200)}"
            except OSError as e:
                ok, detail = False, str(e)
            check(f"{n}: -o file untouched", ok, detail)
        if listing is None:
            listing = ["out.json"] if self.out_exists else []
        have = sorted(os.listdir(self.out_dir))
        check(f"{n}: nothing else in the -o directory", have == sorted(listing), f"contains {have}")
        left = []
        for d, dirs, files in os.walk(self.tmp):
            left += [os.path.relpath(os.path.join(d, x), self.tmp) for x in dirs + files]
        check(f"{n}: TMPDIR left empty", not left, f"left behind: {left[:10]}")
        if cc_not_run:
            ran = os.path.exists(self.cclog) and os.path.getsize(self.cclog) > 0
            log = open(self.cclog).read() if ran else ""
            check(f"{n}: compiler never run", not ran, f"compiler was run: {oneline(log, 300)}")


def c_run(src):
    """pptest.cc_run, its scratch directory under ROOT (removed at exit): a hand-written C check."""
    tempfile.tempdir = ROOT
    try:
        return pptest.cc_run(src)
    finally:
        tempfile.tempdir = None


def base_spec(**extra):
    """A small valid spec, made unique (a nonce define) so that no cached answer applies."""
    s = {"headers": ["errno.h"], "defines": {"PPTEST_NONCE": nonce()}, "constants": ["EAGAIN"]}
    s.update(extra)
    return s


def linecol(data, off):
    line = data.count(b"\n", 0, off) + 1
    col = off - (data.rfind(b"\n", 0, off) + 1) + 1
    return line, col


# ---------------------------------------------------------------- controls

def controls():
    """The machinery of the battery works: the logging compiler logs, a valid spec passes."""
    c = Case("control: valid spec through the logging compiler")
    spec = c.spec(base_spec())
    r = c.run(["probe", spec, "-o", c.out, "--cc", c.logcc])
    check(f"{c.name}: exit status 0", r.rc == 0, f"got {r.rc}; stderr: {oneline(r.err)}")
    check(f"{c.name}: the logging compiler logged", os.path.exists(c.cclog) and os.path.getsize(c.cclog) > 0)
    try:
        with open(c.out, "rb") as f:
            doc = json.loads(f.read())
    except (OSError, ValueError) as e:
        doc = None
        check(f"{c.name}: -o file is JSON", False, str(e))
    if doc is not None:
        check(f"{c.name}: EAGAIN == errno.EAGAIN", doc.get("constants", {}).get("EAGAIN") == errno.EAGAIN,
              f"constants: {doc.get('constants')}")
    check(f"{c.name}: stdout empty with -o", r.out == b"", oneline(r.out, 300))
    check(f"{c.name}: TMPDIR left empty", os.listdir(c.tmp) == [], str(os.listdir(c.tmp)))
    check(f"{c.name}: only the output in the -o directory", os.listdir(c.out_dir) == ["out.json"],
          str(os.listdir(c.out_dir)))

    # A compiler whose path holds a blank: quoted as a shell would quote it, in --cc and in $CC.
    c = Case("control: a compiler path with a blank, quoted", out_exists=False)
    d = os.path.join(c.bin, "my cc")
    os.mkdir(d)
    shutil.copy(c.logcc, os.path.join(d, "gcc"))
    spec = c.spec(base_spec())
    for how, args, env in (("--cc '...'", ["--cc", f"'{d}/gcc' -O1"], None),
                           ('$CC "..."', [], {"CC": f'"{d}/gcc" -O1'}),
                           ("--cc with \\ ", ["--cc", d.replace(" ", "\\ ") + "/gcc"], None)):
        if os.path.exists(c.cclog):
            os.remove(c.cclog)
        r = c.run(["probe", spec, "--no-cache"] + args, env=env)
        check(f"{c.name}: {how}: exit 0", r.rc == 0, f"got {r.rc}; stderr: {oneline(r.err)}")
        check(f"{c.name}: {how}: that compiler ran", os.path.exists(c.cclog))
        check(f"{c.name}: {how}: EAGAIN == errno.EAGAIN", r.rc == 0 and
              json.loads(r.out).get("constants", {}).get("EAGAIN") == errno.EAGAIN)

    # Allowed constant expressions must not be rejected by the validator (literal C facts).
    c = Case("control: constant expressions")
    spec = c.spec({"defines": {"PPTEST_NONCE": nonce()},
                   "constants": ["-1", "0x80000000U", "(1ULL<<63)", "18446744073709551615ULL"]})
    r = c.run(["probe", spec])
    check(f"{c.name}: exit status 0", r.rc == 0, f"got {r.rc}; stderr: {oneline(r.err)}")
    try:
        got = json.loads(r.out).get("constants", {})
    except ValueError as e:
        got = {}
        check(f"{c.name}: stdout is JSON", False, str(e))
    want = {"-1": -1, "0x80000000U": 2147483648, "(1ULL<<63)": 9223372036854775808,
            "18446744073709551615ULL": 18446744073709551615}
    check(f"{c.name}: values", got == want, f"got {got}")


# ---------------------------------------------------------------- malformed JSON

def json_case(name, data, offsets):
    c = Case(f"malformed JSON: {name}")
    spec = c.spec(data)
    r = c.run(["probe", spec, "-o", c.out, "--cc", c.logcc])
    places = sorted({linecol(data, o) for o in offsets})
    alts = tuple(f"{spec}:{l}:{col}: error: invalid JSON" for l, col in places)
    c.expect(r, 2, cc_not_run=True)
    check(f"{c.name}: reports SPEC:{' or '.join(f'{l}:{col}' for l, col in places)}: error: invalid JSON",
          any(a in r.err for a in alts), f"stderr: {oneline(r.err)}")


def malformed_json():
    d = b'{\n  "headers": ["errno.h"]\n  "constants": ["EAGAIN"]\n}\n'
    json_case("missing comma between members", d, [d.index(b'"constants"')])
    d = b'{\n  "headers": ["errno.h"],\n  "constants": ["EAGAIN" "EINTR"]\n}\n'
    json_case("missing comma in array", d, [d.index(b'"EINTR"')])
    d = b'{\n  "headers": ["errno.h"],\n    @\n  "constants": ["EAGAIN"]\n}\n'
    assert linecol(d, d.index(b"@")) == (3, 5)
    json_case("stray token at 3:5", d, [d.index(b"@")])
    d = b'{"headers": ["errno.h"],\n "constants": [EAGAIN]}\n'
    json_case("bare word", d, [d.index(b"EAGAIN")])
    d = b'{"headers": ["errno.h"],\n "constants": ["EAGAIN",]}\n'
    json_case("trailing comma", d, [d.index(b",]") + 1])
    d = b'{"headers": ["errno.h"], "constants": ["EAGAIN"]}\n\n  xyz\n'
    json_case("trailing garbage", d, [d.index(b"xyz")])
    d = b'{"constants": ["EAGAIN"]} {}\n'
    json_case("second document", d, [d.index(b"{}")])
    # Unterminated string running to the end of the file: at its opening quote or at EOF.
    d = b'{\n  "headers": ["errno.h"],\n  "constants": ["EAG'
    json_case("unterminated string", d, [d.rindex(b'"'), len(d), len(d) - 1])
    # Truncated file: the error is at the end of input (EOF, or its last byte).
    d = b'{\n  "headers": ["errno.h"],\n  "constants": ["EAGAIN"'
    json_case("truncated file", d, [len(d), len(d) - 1])
    json_case("empty file", b"", [0])
    d = b"\n\n  "
    json_case("whitespace only", d, [len(d), len(d) - 1])


# ---------------------------------------------------------------- schema

def schema_case(name, data, msgs):
    c = Case(f"schema: {name}")
    spec = c.spec(data)
    r = c.run(["probe", spec, "-o", c.out, "--cc", c.logcc])
    c.expect(r, 2, [m.replace("SPEC", spec) for m in msgs], cc_not_run=True)


def schema():
    schema_case("types not an array", {"types": "int"}, ["SPEC: error: types: expected an array"])
    schema_case("structs[1].fields[0] a number",
                {"headers": ["sys/stat.h", "time.h"],
                 "structs": [{"name": "struct stat", "fields": ["st_size"]},
                             {"name": "struct timespec", "fields": [5]}]},
                ["SPEC: error: structs[1].fields[0]: expected a string"])
    schema_case("top level not an object", [], ["SPEC: error: ", "expected an object"])
    schema_case("unknown top-level key", {"headers": ["errno.h"], "frobs": []},
                ["SPEC: error: ", 'unknown key "frobs"'])
    schema_case("unknown key in an entry", {"types": [{"name": "int", "frob": True}]},
                ["SPEC: error: ", "types[0]", 'unknown key "frob"'])
    schema_case("unknown key in a struct entry",
                {"headers": ["sys/stat.h"], "structs": [{"name": "struct stat", "fields": [], "feilds": []}]},
                ["SPEC: error: ", "structs[0]", 'unknown key "feilds"'])
    schema_case("duplicate top-level key", '{"types": ["int"], "types": ["long"]}',
                ["SPEC: error: ", 'duplicate key "types"'])
    schema_case("duplicate key in an entry", '{"types": [{"name": "int", "name": "long"}]}',
                ["SPEC: error: ", "types[0]", 'duplicate key "name"'])
    schema_case("duplicate define", '{"defines": {"PPA": "1", "PPA": "2"}}',
                ["SPEC: error: ", 'duplicate key "PPA"'])
    schema_case("optional not a boolean", {"types": [{"name": "int", "optional": "yes"}]},
                ["SPEC: error: types[0].optional: expected a boolean"])
    schema_case("empty name", {"types": ["int", ""]}, ["SPEC: error: ", "types[1]", "empty name"])
    schema_case("empty name in an object", {"constants": [{"name": ""}]},
                ["SPEC: error: ", "constants[0]", "empty name"])
    schema_case("entry of the wrong type", {"types": [True]}, ["SPEC: error: ", "types[0]"])
    schema_case("entry object without a name", {"types": [{"optional": True}]},
                ["SPEC: error: ", "types[0]"])
    schema_case("name not a string", {"types": [{"name": 5}]},
                ["SPEC: error: types[0].name: expected a string"])
    schema_case("header not a string", {"headers": [1]}, ["SPEC: error: headers[0]: expected a string"])
    schema_case("defines not an object", {"defines": ["A"]}, ["SPEC: error: defines: expected an object"])


# ---------------------------------------------------------------- injection

def inj_case(name, spec_obj, msgs):
    c = Case(f"injection: {name}")
    spec = c.spec(spec_obj)
    r = c.run(["probe", spec, "-o", c.out, "--cc", c.logcc])
    msgs = [m.replace("SPEC", spec) for m in msgs]
    with open(spec, "rb") as f:
        data = f.read()
    if b"\\u0000" in data:
        # A NUL may be refused either as an entry ("constants[1]: not a C identifier ...") or
        # already by the JSON reader, then at the exact place of the \u0000 escape.
        l, col = linecol(data, data.index(b"\\u0000"))
        at_json = f"{spec}:{l}:{col}: error: invalid JSON"
        as_entry = all(m in r.err for m in msgs)
        check(f"{c.name}: names the entry or the place of the \\u0000 ({l}:{col})",
              as_entry or at_json in r.err, f"stderr: {oneline(r.err)}")
        msgs = []
    c.expect(r, 2, msgs, cc_not_run=True)


def injection():
    H = ["errno.h", "sys/stat.h", "stdio.h"]
    NOT_ID_OR_EXPR = "not a C identifier or constant expression"
    for i, bad in enumerate(['EAGAIN); system("x"); (', "EAGAIN\x00); system(\"x\"); (", "EAGAIN\n",
                             "EAGAIN\n#include <stdio.h>", "EAGAIN/**/", "EAGAIN // x", "#EAGAIN",
                             "EAGAIN \\", "sizeof(long)", '"abc"', "puts(0)", "'a'"]):
        inj_case(f"constant {bad!r}", {"headers": H, "constants": ["EINTR", bad]},
                 ["SPEC: error: ", "constants[1]", NOT_ID_OR_EXPR])
    for bad in ["int; int x", "int\x00", "int\n#define int long", "int /* x */", "int#", "int \\",
                "struct stat { int x; }"]:
        inj_case(f"type {bad!r}", {"headers": H, "types": ["long", bad]},
                 ["SPEC: error: ", "types[1]", "not a C type name"])
    inj_case("struct name 'struct stat; int x'",
             {"headers": H, "structs": [{"name": "struct stat; int x", "fields": ["st_size"]}]},
             ["SPEC: error: ", "structs[0]", "not a C type name"])
    for bad in ["a; }", "st_size\x00", "st_size\n", "st_size/*", "#st_size", "st_size)"]:
        inj_case(f"field {bad!r}",
                 {"headers": H, "structs": [{"name": "struct stat", "fields": ["st_mode", bad]}]},
                 ["SPEC: error: ", "structs[0].fields[1]"])
    for bad in ["x.h>\n#include <y.h", "errno.h\x00", "errno.h\n", "errno.h>"]:
        inj_case(f"header {bad!r}", {"headers": ["stdio.h", bad], "constants": ["EOF"]},
                 ["SPEC: error: ", "headers[1]"])
    for bad in ["A B", "X\x00Y", "X\n#include <stdio.h>", "#X", "X/**/"]:
        inj_case(f"define name {bad!r}", {"defines": {bad: "1"}, "headers": H, "constants": ["EAGAIN"]},
                 ["SPEC: error: ", "defines", "not a C identifier"])
    inj_case("define value with a newline",
             {"defines": {"PPX": "1\n#include </etc/passwd>"}, "headers": H, "constants": ["EAGAIN"]},
             ["SPEC: error: ", "defines"])
    for bad in ['puts); system("x"); (', "puts\x00", "puts\n#define puts x", "puts/**/"]:
        inj_case(f"function {bad!r}", {"headers": H, "functions": [bad]},
                 ["SPEC: error: ", "functions[0]", "not a C identifier"])
    for bad in ["X) || defined(Y", "X\x00", "X\n", "#X"]:
        inj_case(f"defined {bad!r}", {"headers": H, "defined": [bad]},
                 ["SPEC: error: ", "defined[0]", "not a C identifier"])

    # No shell between platprobe and the tools: metacharacters in flags, headers, pkg-config
    # names and CC words never run a command. (Whatever the outcome, no crash and no marker.)
    cases = [
        ("cflags", lambda m: (base_spec(cflags=[f"-DPPTEST_X=$(touch {m})"]), [])),
        ("header", lambda m: (base_spec(headers=["errno.h", f"$(touch {m}).h"]), [])),
        ("pkg-config", lambda m: (base_spec(**{"pkg-config": [f"zlib;touch {m}"]}), [])),
        ("CC words", lambda m: (base_spec(), ["--cc", f"cc;touch${{IFS}}{m}"])),
    ]
    for what, make in cases:
        c = Case(f"no shell: {what}")
        marker = os.path.join(c.dir, "PWNED")
        spec_obj, extra = make(marker)
        r = c.run(["probe", c.spec(spec_obj)] + extra)
        check(f"{c.name}: no command was run", not os.path.exists(marker), f"{marker} was created")
        check(f"{c.name}: no crash", r.rc in (0, 1, 2), f"got {r.rc}; stderr: {oneline(r.err)}")
        check(f"{c.name}: TMPDIR left empty", os.listdir(c.tmp) == [], str(os.listdir(c.tmp)))


# ---------------------------------------------------------------- size, depth, encoding

def big_inputs():
    for name, data in [
        ("10000 nested arrays", b'{"types": ' + b"[" * 10000 + b"]" * 10000 + b"}"),
        ("1000000 nested arrays", b"[" * 1000000 + b"]" * 1000000),
        ("100000 nested objects", b'{"a": ' * 100000 + b"1" + b"}" * 100000),
        ("1000000 unclosed arrays", b'{"types": ' + b"[" * 1000000),
    ]:
        c = Case(f"deep nesting: {name}")
        spec = c.spec(data)
        r = c.run(["probe", spec, "-o", c.out, "--cc", c.logcc], timeout=300)
        c.expect(r, 2, [f"{spec}:", "error"], cc_not_run=True)

    # 50 MB of whitespace around a small valid spec: either answered, or a clear error.
    c = Case("huge: 50 MB of whitespace")
    pad = b" \n\t" * (50 * 1024 * 1024 // 3)
    spec = c.spec(b"{" + pad + b'"headers": ["errno.h"], "constants": ["EAGAIN"]' + pad + b"}")
    r = c.run(["probe", spec, "-o", c.out], timeout=600)
    if r.rc == 0:
        c.out_exists = False  # it was answered: the output was (rightly) replaced
        with open(c.out, "rb") as f:
            doc = json.loads(f.read())
        check(f"{c.name}: answered EAGAIN == errno.EAGAIN", doc.get("constants", {}).get("EAGAIN") == errno.EAGAIN,
              str(doc.get("constants")))
        c.expect_clean(listing=["out.json"])
    else:
        c.expect(r, 2, ["error"])

    # 50 MB spec of 20000 valid constant expressions (whitespace between them).
    c = Case("huge: 50 MB of constants")
    n = 20000
    pad = b" " * 2600
    body = b",".join(pad + json.dumps(str(i)).encode() for i in range(n))
    spec = c.spec(b'{"constants": [' + body + b"]}")
    check(f"{c.name}: spec is at least 50 MB", os.path.getsize(spec) >= 50 * 1000 * 1000, str(os.path.getsize(spec)))
    r = c.run(["probe", spec, "-o", c.out], timeout=900)
    if r.rc == 0:
        c.out_exists = False
        with open(c.out, "rb") as f:
            got = json.loads(f.read()).get("constants", {})
        check(f"{c.name}: all {n} answered exactly", len(got) == n and all(got.get(str(i)) == i for i in range(n)),
              f"{len(got)} answered")
        c.expect_clean(listing=["out.json"])
    else:
        c.expect(r, (1, 2), ["error"])

    # A 1 MB identifier: a valid identifier naming nothing (exit 1), or refused as too long (2).
    c = Case("huge: 1 MB constant name")
    spec = c.spec({"headers": ["errno.h"], "constants": ["A" * (1 << 20)]})
    r = c.run(["probe", spec, "-o", c.out], timeout=600)
    c.expect(r, (1, 2), ["constants[0]"])

    # Invalid UTF-8 (JSON text must be UTF-8): exit 2 with a message, compiler never run.
    for name, data in [
        ("0xff in a constant", b'{"headers": ["errno.h"], "constants": ["EAG\xffAIN"]}'),
        ("overlong '/' in a header", b'{"headers": ["sys\xc0\xafstat.h"], "constants": ["EOF"]}'),
        ("truncated sequence in a type", b'{"types": ["int\xe2\x82"]}'),
        ("lone surrogate escape", b'{"headers": ["errno.h"], "constants": ["EAG\\ud800AIN"]}'),
        ("0xff in a key", b'{"head\xffers": ["errno.h"]}'),
    ]:
        c = Case(f"invalid UTF-8: {name}")
        spec = c.spec(data)
        r = c.run(["probe", spec, "-o", c.out, "--cc", c.logcc])
        c.expect(r, 2, [f"{spec}:"], cc_not_run=True)


# ---------------------------------------------------------------- empty spec

def empty_spec():
    facts = c_run('#include <stdio.h>\nint main(void) { printf("%d %d\\n", (int)sizeof(void *),'
                  ' (char)-1 < 0); return 0; }').split()
    ptr, char_signed = int(facts[0]), facts[1] == "1"
    c = Case("empty spec {}")
    spec = c.spec(b"{}\n")
    r = c.run(["probe", spec])
    check(f"{c.name}: exit status 0", r.rc == 0, f"got {r.rc}; stderr: {oneline(r.err)}")
    try:
        doc = json.loads(r.out)
    except ValueError as e:
        doc = {}
        check(f"{c.name}: stdout is JSON", False, f"{e}: {oneline(r.out, 300)}")
    check(f'{c.name}: "platprobe": 1', doc.get("platprobe") == 1, str(doc)[:300])
    t = doc.get("target") or {}
    keys = {"triple", "compiler", "compiler_version", "endian", "char_signed", "pointer_size", "data_model"}
    check(f"{c.name}: target block has {sorted(keys)}", keys <= set(t), f"target: {t}")
    check(f"{c.name}: pointer_size", t.get("pointer_size") == ptr, f"{t.get('pointer_size')} != {ptr}")
    check(f"{c.name}: endian", t.get("endian") == sys.byteorder, f"{t.get('endian')} != {sys.byteorder}")
    check(f"{c.name}: char_signed", t.get("char_signed") is char_signed, f"{t.get('char_signed')} != {char_signed}")
    check(f"{c.name}: TMPDIR left empty", os.listdir(c.tmp) == [], str(os.listdir(c.tmp)))
    # The same through -o: the old content is replaced by the same document.
    r2 = c.run(["probe", spec, "-o", c.out])
    check(f"{c.name} -o: exit status 0", r2.rc == 0, f"got {r2.rc}; stderr: {oneline(r2.err)}")
    try:
        with open(c.out, "rb") as f:
            doc2 = json.loads(f.read())
    except (OSError, ValueError) as e:
        doc2 = None
    check(f"{c.name} -o: file holds the result", doc2 is not None and doc2.get("platprobe") == 1
          and doc2.get("target") == t, str(doc2)[:300])
    check(f"{c.name} -o: only the output in its directory", os.listdir(c.out_dir) == ["out.json"],
          str(os.listdir(c.out_dir)))
    check(f"{c.name} -o: TMPDIR left empty", os.listdir(c.tmp) == [], str(os.listdir(c.tmp)))


# ---------------------------------------------------------------- compiler faults

# Shell snippet: sets $compile (1 when -c is among the arguments) and $out (the -o argument).
ARGSCAN = r'''compile=0; out=; prev=
for a in "$@"; do
  [ "$prev" = "-o" ] && out=$a
  case $a in -c) compile=1;; -o?*) out=${a#-o};; esac
  prev=$a
done
'''


def compiler_faults():
    c = Case("missing header")
    hdr = f"pptest_no_such_header_{nonce()}.h"
    spec = c.spec(base_spec(headers=["errno.h", hdr]))
    r = c.run(["probe", spec, "-o", c.out])
    c.expect(r, 1, ["No such file or directory", hdr])

    c = Case("compiler does not exist", out_exists=False)
    r = c.run(["probe", c.spec(base_spec()), "-o", c.out, "--cc", "/nonexistent/cc"])
    c.expect(r, 1, ["cannot run compiler", "/nonexistent/cc"])

    c = Case("$CC does not exist")
    r = c.run(["probe", c.spec(base_spec()), "-o", c.out], env={"CC": "/nonexistent/cc2"})
    c.expect(r, 1, ["cannot run compiler", "/nonexistent/cc2"])

    c = Case("compiler not executable")
    notexe = os.path.join(c.bin, "notexe")
    with open(notexe, "w") as f:
        f.write("#!/bin/sh\nexec cc \"$@\"\n")
    os.chmod(notexe, 0o644)  # no x bit: execve fails with EACCES, even for root
    r = c.run(["probe", c.spec(base_spec()), "-o", c.out, "--cc", notexe])
    c.expect(r, 1, ["cannot run compiler", notexe])

    sig = int(signal.SIGSEGV)
    c = Case("compiler crashes always")
    fake = c.script("crashcc", "kill -SEGV $$\n")
    r = c.run(["probe", c.spec(base_spec()), "-o", c.out, "--cc", fake])
    c.expect(r, 1, [f"killed by signal {sig}"])

    c = Case("compiler crashes when compiling")
    fake = c.script("crashcc", ARGSCAN + 'if [ $compile = 1 ]; then kill -SEGV $$; fi\nexec cc "$@"\n')
    r = c.run(["probe", c.spec(base_spec()), "-o", c.out, "--cc", fake])
    c.expect(r, 1, [f"killed by signal {sig}"])

    for when in ("always", "when compiling"):
        c = Case(f"compiler hangs {when}")
        secs = f"1000.{nonce()}"
        body = f"sleep {secs}\nexec cc \"$@\"\n"
        if when != "always":
            body = ARGSCAN + f'if [ $compile = 1 ]; then sleep {secs}; fi\nexec cc "$@"\n'
        fake = c.script("hangcc", body)
        r = c.run(["probe", c.spec(base_spec()), "-o", c.out, "--cc", fake, "--timeout", "2"], timeout=60)
        c.expect(r, 1, ["timed out"])
        check(f"{c.name}: exited within 20 s of a 2 s timeout", r.elapsed < 20, f"took {r.elapsed:.1f} s")
        check(f"{c.name}: the compiler's sleeping child is gone", gone(secs), str(procs_matching(secs)))
        check(f"{c.name}: the fake compiler is gone", gone(fake), str(procs_matching(fake)))
        kill_leftovers()

    c = Case("compiler fails silently")
    fake = c.script("failcc", ARGSCAN + 'if [ $compile = 1 ]; then exit 1; fi\nexec cc "$@"\n')
    r = c.run(["probe", c.spec(base_spec()), "-o", c.out, "--cc", fake])
    c.expect(r, 1, ["error"])

    objmsg = ("object", ".o", "magic", "no data", "No such file", "compiler's output")
    c = Case("compiler prints garbage, writes no object")
    fake = c.script("garbagecc", ARGSCAN + 'if [ $compile = 1 ]; then echo "@@@ garbage \\001\\377"; '
                    'echo "more garbage" >&2; exit 0; fi\nexec cc "$@"\n')
    r = c.run(["probe", c.spec(base_spec()), "-o", c.out, "--cc", fake])
    c.expect(r, 1, ["error", objmsg])

    c = Case("compiler is garbage for everything")
    fake = c.script("garbagecc", 'echo "@@@ garbage"; exit 0\n')
    r = c.run(["probe", c.spec(base_spec()), "-o", c.out, "--cc", fake])
    c.expect(r, 1, ["error"])

    c = Case("compiler writes an object without the magic")
    fake = c.script("emptyobjcc", ARGSCAN + 'if [ $compile = 1 ]; then [ -n "$out" ] || out=probe.o; '
                    'exec cc -c -x c /dev/null -o "$out"; fi\nexec cc "$@"\n')
    r = c.run(["probe", c.spec(base_spec()), "-o", c.out, "--cc", fake])
    c.expect(r, 1, ["error", objmsg])

    # Two answer tables in one object: the real one, then one from the same file compiled with
    # -funsigned-char (same entry count, other values). Guessing could give a wrong number.
    c = Case("compiler writes an object with two different answer tables")
    fake = c.script("twotablecc", ARGSCAN + 'if [ $compile = 1 ] && [ -n "$out" ]; then\n'
                    '  cc "$@" || exit; cp "$out" "$out.first"\n'
                    '  cc -funsigned-char "$@" || exit\n'
                    '  cat "$out.first" "$out" > "$out.both"; mv "$out.both" "$out"; rm -f "$out.first"; exit 0\n'
                    'fi\nexec cc "$@"\n')
    r = c.run(["probe", c.spec(base_spec()), "-o", c.out, "--cc", fake])
    c.expect(r, 1, ["two different valid-looking answer tables"])

    # Two identical tables (what some LTO or section-copying toolchains leave) are one answer.
    c = Case("compiler writes an object with the answer table twice", out_exists=False)
    fake = c.script("dupcc", ARGSCAN + 'if [ $compile = 1 ] && [ -n "$out" ]; then\n'
                    '  cc "$@" || exit; cat "$out" "$out" > "$out.both"; mv "$out.both" "$out"; exit 0\n'
                    'fi\nexec cc "$@"\n')
    r = c.run(["probe", c.spec(base_spec()), "-o", c.out, "--cc", fake])
    check(f"{c.name}: exit status 0", r.rc == 0, f"got {r.rc}; stderr: {oneline(r.err)}")
    check(f"{c.name}: EAGAIN == errno.EAGAIN", r.rc == 0 and
          json.load(open(c.out)).get("constants", {}).get("EAGAIN") == errno.EAGAIN)
    c.expect_clean(listing=["out.json"])

    c = Case("compiler writes random bytes as the object")
    fake = c.script("randobjcc", ARGSCAN + 'if [ $compile = 1 ]; then [ -n "$out" ] || out=probe.o; '
                    'head -c 65536 /dev/urandom > "$out"; exit 0; fi\nexec cc "$@"\n')
    r = c.run(["probe", c.spec(base_spec()), "-o", c.out, "--cc", fake])
    c.expect(r, 1, ["error", objmsg])


# ---------------------------------------------------------------- output path

def output_paths():
    c = Case("-o into a missing directory")
    target = os.path.join(c.out_dir, "missing", "sub", "out.json")
    r = c.run(["probe", c.spec(base_spec()), "-o", target])
    c.expect(r, (1, 2), [os.path.join(c.out_dir, "missing", "sub")])

    c = Case("-o below a regular file")
    target = os.path.join(c.out, "x.json")
    r = c.run(["probe", c.spec(base_spec()), "-o", target])
    c.expect(r, (1, 2), [c.out])

    c = Case("-o is a directory")
    os.mkdir(os.path.join(c.out_dir, "adir"))
    r = c.run(["probe", c.spec(base_spec()), "-o", os.path.join(c.out_dir, "adir")])
    c.expect(r, (1, 2), [os.path.join(c.out_dir, "adir")], listing=["adir", "out.json"])
    check(f"{c.name}: the directory is still empty", os.listdir(os.path.join(c.out_dir, "adir")) == [])

    # Unwritable even for root: a directory in /proc.
    c = Case("-o into an unwritable directory (/proc)")
    target = f"/proc/pptest-{nonce()}.json"
    r = c.run(["probe", c.spec(base_spec()), "-o", target])
    c.expect(r, (1, 2), [(target, os.path.basename(target))])
    check(f"{c.name}: nothing created", not os.path.exists(target))

    # A read-only directory holding the -o file: mode 555 for a user; root ignores modes, so for
    # root the directory is made immutable (chattr +i), or else a read-only tmpfs is mounted.
    c = Case("-o into a read-only directory")
    undo = read_only(c.out_dir)
    check(f"{c.name}: the directory is read-only", undo is not None and not writable(c.out_dir),
          "neither chmod, chattr +i nor a read-only mount made it so")
    if undo is not None:
        r = c.run(["probe", c.spec(base_spec()), "-o", c.out])
        undo()
        c.expect(r, (1, 2), [c.out_dir])

    # Success through symlinks: the final target gets the new content, links stay links,
    # the temp file is written beside the target (nothing left in either directory).
    c = Case("-o through a relative symlink", out_exists=False)
    os.mkdir(os.path.join(c.out_dir, "real"))
    tgt = os.path.join(c.out_dir, "real", "target.json")
    with open(tgt, "wb") as f:
        f.write(KNOWN)
    link = os.path.join(c.out_dir, "link.json")
    os.symlink("real/target.json", link)
    symlink_success(c, link, [(link, "real/target.json")], tgt, listing=["link.json", "real"])

    c = Case("-o through a symlink chain to another dir", out_exists=False)
    other = os.path.join(c.dir, "other")
    os.mkdir(other)
    tgt = os.path.join(other, "target.json")
    with open(tgt, "wb") as f:
        f.write(KNOWN)
    l2 = os.path.join(c.out_dir, "l2.json")
    l1 = os.path.join(c.out_dir, "l1.json")
    os.symlink(tgt, l2)
    os.symlink("l2.json", l1)
    symlink_success(c, l1, [(l1, "l2.json"), (l2, tgt)], tgt, listing=["l1.json", "l2.json"])
    check(f"{c.name}: nothing else beside the target", os.listdir(other) == ["target.json"], str(os.listdir(other)))

    # Failure through a symlink: target untouched, link untouched.
    c = Case("-o through a symlink, bad spec", out_exists=False)
    os.mkdir(os.path.join(c.out_dir, "real"))
    tgt = os.path.join(c.out_dir, "real", "target.json")
    with open(tgt, "wb") as f:
        f.write(KNOWN)
    link = os.path.join(c.out_dir, "link.json")
    os.symlink("real/target.json", link)
    r = c.run(["probe", c.spec(b'{"types": 1}'), "-o", link])
    c.expect(r, 2, listing=["link.json", "real"])
    check(f"{c.name}: link still a link", os.path.islink(link) and os.readlink(link) == "real/target.json")
    check(f"{c.name}: target untouched", open(tgt, "rb").read() == KNOWN)
    check(f"{c.name}: nothing beside the target", os.listdir(os.path.dirname(tgt)) == ["target.json"])


def writable(d):
    try:
        fd, p = tempfile.mkstemp(dir=d)
    except OSError:
        return False
    os.close(fd)
    os.remove(p)
    return True


def read_only(d):
    """Makes directory D unwritable for this process; returns how to undo it, or None."""
    if os.geteuid() != 0:
        os.chmod(d, 0o555)
        return lambda: os.chmod(d, 0o755)
    if subprocess.run(["chattr", "+i", d], capture_output=True).returncode == 0:
        _undo.append(["chattr", "-i", d])
        return lambda: subprocess.run(["chattr", "-i", d], capture_output=True)
    # A read-only tmpfs over D holding the same -o file.
    keep = {n: open(os.path.join(d, n), "rb").read() for n in os.listdir(d)}
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", d], capture_output=True).returncode:
        return None
    _undo.append(["umount", "-l", d])
    for n, data in keep.items():
        with open(os.path.join(d, n), "wb") as f:
            f.write(data)
    subprocess.run(["mount", "-o", "remount,ro", d], capture_output=True)
    return lambda: subprocess.run(["umount", "-l", d], capture_output=True)


def symlink_success(c, path, links, tgt, listing):
    r = c.run(["probe", c.spec(base_spec()), "-o", path])
    check(f"{c.name}: exit status 0", r.rc == 0, f"got {r.rc}; stderr: {oneline(r.err)}")
    for l, dest in links:
        check(f"{c.name}: {os.path.basename(l)} is still a symlink to {dest}",
              os.path.islink(l) and os.readlink(l) == dest,
              f"islink={os.path.islink(l)}")
    try:
        with open(tgt, "rb") as f:
            doc = json.loads(f.read())
    except (OSError, ValueError) as e:
        doc = None
    check(f"{c.name}: target holds the result", doc is not None and
          doc.get("constants", {}).get("EAGAIN") == errno.EAGAIN, str(doc)[:300])
    check(f"{c.name}: nothing beside the target", os.listdir(os.path.dirname(tgt)) == ["target.json"],
          str(os.listdir(os.path.dirname(tgt))))
    c.expect_clean(listing=listing)


# ---------------------------------------------------------------- signals

def signals():
    for sig, group in ((signal.SIGINT, False), (signal.SIGTERM, False), (signal.SIGHUP, False),
                       (signal.SIGINT, True)):
        sig = int(sig)
        c = Case(f"{signal.Signals(sig).name} to {'the process group' if group else 'platprobe'} mid-compile")
        secs = f"30.{nonce()}"
        fake = c.script("slowcc", f'sleep {secs}\nexec cc "$@"\n')
        p = c.start(["probe", c.spec(base_spec()), "-o", c.out, "--cc", fake])
        started = wait_until(lambda: procs_matching(secs), 30)
        check(f"{c.name}: the fake compiler started", bool(started))
        time.sleep(0.5)
        try:
            (os.killpg if group else os.kill)(p.pid, sig)
        except OSError as e:
            check(f"{c.name}: signal sent", False, str(e))
        r = c.finish(p, 20)
        check(f"{c.name}: killed by the signal (or exit {128 + sig})", r.rc in (-sig, 128 + sig),
              f"got {r.rc}; stderr: {oneline(r.err)}")
        check(f"{c.name}: stdout empty", r.out == b"", oneline(r.out, 300))
        c.expect_clean()
        check(f"{c.name}: the compiler's sleep is gone", gone(secs), str(procs_matching(secs)))
        check(f"{c.name}: the fake compiler is gone", gone(fake), str(procs_matching(fake)))
        kill_leftovers()


# ---------------------------------------------------------------- two runs at once

def concurrent_runs():
    """Runs writing the same -o file and the same cache at once (a make -j with a duplicated
    rule, two CI jobs sharing a cache): every run succeeds, the output is one whole answer, the
    cache holds no half-written entry, and nothing temporary is left in either place."""
    c = Case("concurrent: 6 runs, one -o file, one cache", out_exists=False)
    spec = c.spec(base_spec(types=["long", "off_t"], headers=["errno.h", "sys/types.h"]))
    # A compiler slow enough for the runs to overlap from compile to rename.
    slow = c.script("slowcc", f'echo "$@" >> {shlex.quote(c.cclog)}\nsleep 1\nexec cc "$@"\n')
    procs = [c.start(["probe", spec, "-o", c.out, "--cc", slow]) for _ in range(6)]
    # Case.start keeps one stdout/stderr pair: give each run its own instead.
    rcs = []
    for p in procs:
        try:
            rcs.append(p.wait(180))
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            rcs.append(None)
    c._fo.close()
    c._fe.close()
    check(f"{c.name}: every run exits 0", rcs == [0] * 6, f"{rcs}; stderr: "
          f"{oneline(open(os.path.join(c.dir, 'stderr'), 'rb').read())}")
    check(f"{c.name}: the runs overlapped (6 compiles)", open(c.cclog).read().count(" -c ") >= 6,
          oneline(open(c.cclog).read(), 400))
    try:
        with open(c.out, "rb") as f:
            first = f.read()
        doc = json.loads(first)
    except (OSError, ValueError) as e:
        first, doc = b"", {}
        check(f"{c.name}: -o holds one whole JSON document", False, str(e))
    check(f"{c.name}: the answer is right", doc.get("constants", {}).get("EAGAIN") == errno.EAGAIN
          and doc.get("types", {}).get("long", {}).get("size") == pptest_sizeof_long(),
          str(doc)[:300])
    c.expect_clean(listing=["out.json"])
    cache = os.path.join(c.home, ".cache", "platprobe")
    names = sorted(os.listdir(cache)) if os.path.isdir(cache) else []
    stray = [n for n in names if not (n.endswith(".json") or n.endswith(".obj"))]
    check(f"{c.name}: the cache holds entries and no temp file", names and not stray, str(names))
    # A later run is answered from that cache (no compile) with the same bytes.
    os.remove(c.cclog)
    r = c.run(["probe", spec, "-o", c.out, "--cc", slow])
    check(f"{c.name}: a later run exits 0", r.rc == 0, f"got {r.rc}; stderr: {oneline(r.err)}")
    check(f"{c.name}: a later run is answered from the cache (compiler not run for -c)",
          not os.path.exists(c.cclog) or " -c " not in open(c.cclog).read(),
          oneline(open(c.cclog).read() if os.path.exists(c.cclog) else "", 300))
    check(f"{c.name}: a later run writes the same bytes", open(c.out, "rb").read() == first)
    c.expect_clean(listing=["out.json"])


def pptest_sizeof_long():
    return int(c_run('#include <stdio.h>\nint main(void) { printf("%zu\\n", sizeof(long)); return 0; }'))


# ---------------------------------------------------------------- run mode

def run_mode():
    c = Case("run mode: working exec wrapper")
    wlog = os.path.join(c.dir, "wrapper.log")
    w = c.script("okwrap", f'echo "$@" >> {shlex.quote(wlog)}\nexec "$@"\n')
    r = c.run(["probe", c.spec(base_spec()), "-o", c.out, "--mode", "run", "--exec-wrapper", w])
    check(f"{c.name}: exit status 0", r.rc == 0, f"got {r.rc}; stderr: {oneline(r.err)}")
    check(f"{c.name}: the wrapper was used", os.path.exists(wlog))
    try:
        with open(c.out, "rb") as f:
            doc = json.loads(f.read())
    except (OSError, ValueError):
        doc = {}
    check(f"{c.name}: EAGAIN == errno.EAGAIN", doc.get("constants", {}).get("EAGAIN") == errno.EAGAIN, str(doc)[:300])
    check(f"{c.name}: TMPDIR left empty", os.listdir(c.tmp) == [], str(os.listdir(c.tmp)))

    c = Case("run mode: exec wrapper crashes")
    w = c.script("crashwrap", "kill -SEGV $$\n")
    r = c.run(["probe", c.spec(base_spec()), "-o", c.out, "--mode", "run", "--exec-wrapper", w])
    c.expect(r, 1, [f"killed by signal {int(signal.SIGSEGV)}"])

    c = Case("run mode: exec wrapper hangs")
    secs = f"1000.{nonce()}"
    w = c.script("hangwrap", f"sleep {secs}\n")
    r = c.run(["probe", c.spec(base_spec()), "-o", c.out, "--mode", "run", "--exec-wrapper", w,
               "--timeout", "5"], timeout=90)
    c.expect(r, 1, ["timed out"])
    check(f"{c.name}: exited within 30 s of a 5 s timeout", r.elapsed < 30, f"took {r.elapsed:.1f} s")
    check(f"{c.name}: the wrapper's sleep is gone", gone(secs), str(procs_matching(secs)))
    check(f"{c.name}: the wrapper is gone", gone(w), str(procs_matching(w)))
    kill_leftovers()

    # The probe program itself crashes or hangs: a header whose "constant" is a call.
    hostile = ("#include <signal.h>\n#include <unistd.h>\n"
               "static int pptest_boom(void) { raise(SIGSEGV); return 0; }\n"
               "static int pptest_hang(void) { for (;;) pause(); return 0; }\n"
               "#define PPTEST_BOOM (pptest_boom())\n#define PPTEST_HANG (pptest_hang())\n")
    for what, const, extra, msg in (
            ("crashes", "PPTEST_BOOM", [], f"killed by signal {int(signal.SIGSEGV)}"),
            ("hangs", "PPTEST_HANG", ["--timeout", "5"], "timed out")):
        c = Case(f"run mode: the probe program {what}")
        with open(os.path.join(c.spec_dir, "hostile.h"), "w") as f:
            f.write(hostile)
        spec = c.spec(base_spec(headers=["errno.h", "hostile.h"], include_dirs=["."],
                                constants=["EAGAIN", const]))
        r = c.run(["probe", spec, "-o", c.out, "--mode", "run"] + extra, timeout=90)
        c.expect(r, 1, [msg])
        check(f"{c.name}: exited within 30 s", r.elapsed < 30, f"took {r.elapsed:.1f} s")
        check(f"{c.name}: the program is gone", gone(c.tmp), str(procs_matching(c.tmp)))
        kill_leftovers()
        # Object mode never runs it: the same entry is refused as not a compile-time constant.
        r = c.run(["probe", spec, "-o", c.out])
        c.expect(r, 1, [const, "not a compile-time constant"])

    c = Case("run mode: exec wrapper does not exist")
    r = c.run(["probe", c.spec(base_spec()), "-o", c.out, "--mode", "run", "--exec-wrapper", "/nonexistent/wrapper"])
    c.expect(r, 1, ["/nonexistent/wrapper"])


# ---------------------------------------------------------------- usage

def usage():
    def u(name, argsf, msgs=()):
        c = Case(f"usage: {name}")
        spec = c.spec(base_spec())
        r = c.run(argsf(c, spec))
        c.expect(r, 2, list(msgs), cc_not_run=True)
        check(f"{c.name}: says something", r.err.strip() != "")

    u("no arguments", lambda c, s: [])
    u("unknown command", lambda c, s: ["frobnicate"], ["frobnicate"])
    u("missing spec argument", lambda c, s: ["probe", "-o", c.out, "--cc", c.logcc])
    u("unknown option", lambda c, s: ["probe", s, "-o", c.out, "--cc", c.logcc, "--frobnicate"], ["--frobnicate"])
    u("-f bogus", lambda c, s: ["probe", s, "-o", c.out, "--cc", c.logcc, "-f", "bogus"], ["bogus"])
    u("--mode bogus", lambda c, s: ["probe", s, "-o", c.out, "--cc", c.logcc, "--mode", "bogus"], ["bogus"])
    u("--timeout abc", lambda c, s: ["probe", s, "-o", c.out, "--cc", c.logcc, "--timeout", "abc"], ["abc"])
    u("--timeout -1", lambda c, s: ["probe", s, "-o", c.out, "--cc", c.logcc, "--timeout", "-1"], ["-1"])
    u("-o without its argument", lambda c, s: ["probe", s, "--cc", c.logcc, "-o"])
    u("two specs", lambda c, s: ["probe", s, s, "-o", c.out, "--cc", c.logcc])
    u("spec file missing", lambda c, s: ["probe", s + ".missing", "-o", c.out, "--cc", c.logcc],
      ["spec.json.missing", "No such file or directory"])
    u("spec is a directory", lambda c, s: ["probe", c.spec_dir, "-o", c.out, "--cc", c.logcc], [])
    u("show without names", lambda c, s: ["show", "--cc", c.logcc])


def main():
    check("platprobe exists", os.path.exists(PP), PP)
    controls()
    malformed_json()
    schema()
    injection()
    usage()
    empty_spec()
    compiler_faults()
    output_paths()
    signals()
    run_mode()
    concurrent_runs()
    big_inputs()
    pptest.done()


if __name__ == "__main__":
    main()
