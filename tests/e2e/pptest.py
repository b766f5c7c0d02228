"""Tiny test harness shared by the end-to-end tests: one PASS/FAIL line per check (see tests/run.sh)."""
import json, os, subprocess, sys, tempfile

TOP = os.environ.get("TOP") or os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PLATPROBE = os.environ.get("PLATPROBE") or os.path.join(TOP, "build", "platprobe")
failures = 0


def check(name, cond, detail=""):
    """Record one assertion; the detail is printed only when it fails."""
    global failures
    if cond:
        print(f"PASS {name}")
    else:
        failures += 1
        print(f"FAIL {name}: {detail}")
    sys.stdout.flush()
    return bool(cond)


def skip(name, why):
    print(f"SKIP {name}: {why}")


def run(args, env=None, timeout=600, **kw):
    """Run platprobe with ARGS; returns CompletedProcess with text stdout/stderr."""
    e = dict(os.environ)
    if env:
        e.update(env)
    return subprocess.run([PLATPROBE] + list(args), capture_output=True, text=True,
                          env=e, timeout=timeout, **kw)


def probe(spec, extra=(), env=None, tmpdir=None):
    """Write SPEC (a dict) to a file, probe it; returns (CompletedProcess, parsed JSON or None)."""
    d = tmpdir or tempfile.mkdtemp(prefix="pptest-")
    path = os.path.join(d, "spec.json")
    with open(path, "w") as f:
        json.dump(spec, f)
    p = run(["probe", path] + list(extra), env=env)
    try:
        doc = json.loads(p.stdout) if p.returncode == 0 else None
    except ValueError:
        doc = None
    return p, doc


def generate(spec, fmt, path):
    """Probe SPEC with -f FMT into PATH (a check of its own); the text, or stop the test."""
    p, _ = probe(spec, ["-f", fmt, "-o", path], tmpdir=os.path.dirname(path))
    if not check(f"-f {fmt} succeeds", p.returncode == 0, p.stderr[-2000:]):
        done()
    with open(path) as f:
        return f.read()


def cc_run(source, cflags=(), libs=(), cc="cc", wrapper=None):
    """Compile and run a hand-written C check program (under WRAPPER, a command list such as
    qemu or wine, for a cross compiler); returns its stdout."""
    with tempfile.TemporaryDirectory(prefix="ppcheck-") as d:
        src = os.path.join(d, "check.c")
        exe = os.path.join(d, "check.exe")
        with open(src, "w") as f:
            f.write(source)
        subprocess.run([cc, *cflags, src, "-o", exe, *libs], check=True)
        out = subprocess.run(list(wrapper or []) + [exe], capture_output=True, check=True).stdout
        return out.decode("utf-8", "surrogateescape").replace("\r\n", "\n")


# What debug information adds to a field (issue 4): other tests check these; a test of the core
# contract compares the rest.
DWARF_KEYS = {"type", "dims", "element", "flexible", "hole_after", "bit_hole_after", "padding",
              "bit_padding", "fields"}


def core(field):
    """A field's facts without what debug information adds (type names, dims, holes, members)."""
    if not isinstance(field, dict):
        return field
    return {k: v for k, v in field.items() if k not in DWARF_KEYS}


def done():
    sys.exit(1 if failures else 0)


def bindings(label, spec, result, fmt_args, out, model):
    """From a saved result: write SPEC's binding (FMT_ARGS, e.g. ["-f", "go"]) to OUT and the data
    tree (--model) to MODEL, one check for both; the tree as a dict, or None."""
    p = run(["probe", spec, "--from", result] + list(fmt_args) + ["-o", out])
    q = run(["probe", spec, "--from", result, "--model", "-o", model])
    if not check("%s: %s and --model" % (label, " ".join(fmt_args)),
                 p.returncode == 0 and q.returncode == 0, p.stderr[-1500:] + q.stderr[-1500:]):
        return None
    with open(model) as f:
        return json.load(f)


def field_offsets(entry):
    """Name -> offset of every member of a result's struct entry, with those of its anonymous
    structs and unions and in-place members (their "fields"), offsets from the outer start."""
    out = {}
    todo = list((entry or {}).get("fields", []))
    while todo:
        f = todo.pop()
        if f["name"]:
            out.setdefault(f["name"], f["offset"])
        todo.extend(f.get("fields", []))
    return out
