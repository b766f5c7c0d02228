"""End-to-end: failing entries are isolated. Required failures: exit 1, every one named by its
spec path with the compiler's own message, stdout empty. Optional failures: null/false, the good
entries still right (checked against a hand-written C program and Python's errno). Compiler
invocations are counted with a logging wrapper used as --cc."""
import atexit, errno, json, os, random, re, shutil, stat, subprocess, sys, tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pptest  # noqa: E402
from pptest import check  # noqa: E402

WORK = tempfile.mkdtemp(prefix="pptest-iso-")
atexit.register(shutil.rmtree, WORK, True)
tempfile.tempdir = WORK

HEADERS = ["stdio.h", "string.h", "sys/types.h", "sys/stat.h", "time.h", "errno.h", "unistd.h"]


def opt(name, on=True, **kw):
    return dict({"name": name, "optional": True}, **kw) if on else (dict({"name": name}, **kw) if kw else name)


def spec_with_failures(optional):
    o = optional
    return {
        "headers": HEADERS,
        "types": ["int", opt("size_tt", o), "off_t"],
        "structs": [
            {"name": "struct stat", "fields": ["st_size", opt("st_nosuch", o), "st_mode"]},
            opt("struct no_such_struct", o, fields=["x"]),
            {"name": "struct timespec", "fields": ["tv_nsec", "tv_sec"]},
        ],
        "constants": ["EAGAIN", opt("NO_SUCH_CONSTANT", o), "ENOENT"],
        "defined": ["EAGAIN", opt("NO_SUCH_MACRO_XYZ", o)],
        "functions": ["strlen", opt("no_such_function_xyz", o)],
    }


# spec path label -> words one of which the compiler's (or platprobe's) text must contain
FAILURES = [
    ('types[1] "size_tt"', ["unknown type name", "undeclared", "storage size", "expected", "incomplete"]),
    ('structs[0] "struct stat" field "st_nosuch"', ["no member named"]),
    ('structs[1] "struct no_such_struct"', ["incomplete", "storage size", "invalid application", "unknown"]),
    ('constants[1] "NO_SUCH_CONSTANT"', ["undeclared"]),
    ('defined[1] "NO_SUCH_MACRO_XYZ"', ["not defined"]),
    ('functions[1] "no_such_function_xyz"', ["not found", "undefined reference", "implicit declaration"]),
]
GOOD_LABELS = ['types[0]', 'types[2]', 'structs[2]', 'constants[0]', 'constants[2]', 'defined[0]',
               'functions[0]', '"st_size"', '"st_mode"']


def c_expected():
    """Sizes and layouts of the good entries, from a hand-written C program."""
    src = "\n".join(f"#include <{h}>" for h in HEADERS) + r"""
#include <stddef.h>
#define SGN(x) (int)((__typeof__(x))-1 < (__typeof__(x))0)
int main(void) {
    struct stat st; struct timespec ts;
    printf("%zu %zu %zu %zu\n", sizeof(int), _Alignof(int), sizeof(off_t), _Alignof(off_t));
    printf("%zu %zu %zu %zu %d %zu %zu %d\n", sizeof(struct stat), _Alignof(struct stat),
           offsetof(struct stat, st_size), sizeof st.st_size, SGN(st.st_size),
           offsetof(struct stat, st_mode), sizeof st.st_mode, SGN(st.st_mode));
    printf("%zu %zu %zu %zu %d %zu %zu %d\n", sizeof(struct timespec), _Alignof(struct timespec),
           offsetof(struct timespec, tv_sec), sizeof ts.tv_sec, SGN(ts.tv_sec),
           offsetof(struct timespec, tv_nsec), sizeof ts.tv_nsec, SGN(ts.tv_nsec));
    printf("%d %d\n", SGN((off_t)0), SGN((int)0));
    return 0;
}
"""
    a, b, c, d = [list(map(int, line.split())) for line in pptest.cc_run(src).splitlines()]
    types = {"int": {"size": a[0], "align": a[1], "kind": "int", "signed": bool(d[1])},
             "off_t": {"size": a[2], "align": a[3], "kind": "int", "signed": bool(d[0])}}
    structs = {
        "struct stat": {"size": b[0], "align": b[1], "fields": [
            {"name": "st_size", "offset": b[2], "size": b[3], "kind": "int", "signed": bool(b[4])},
            {"name": "st_mode", "offset": b[5], "size": b[6], "kind": "int", "signed": bool(b[7])}]},
        "struct timespec": {"size": c[0], "align": c[1], "fields": [
            {"name": "tv_sec", "offset": c[2], "size": c[3], "kind": "int", "signed": bool(c[4])},
            {"name": "tv_nsec", "offset": c[5], "size": c[6], "kind": "int", "signed": bool(c[7])}]},
    }
    for s in structs.values():
        s["fields"].sort(key=lambda f: f["offset"])
    return types, structs


def write_spec(sp):
    d = tempfile.mkdtemp(dir=WORK)
    path = os.path.join(d, "spec.json")
    with open(path, "w") as f:
        json.dump(sp, f)
    return path


def run_probe(sp, extra=(), env=None):
    e = dict(os.environ)
    e.update(env or {})
    p = subprocess.run([pptest.PLATPROBE, "probe", write_spec(sp), *extra], capture_output=True,
                       text=True, env=e, timeout=600)
    doc = None
    if p.returncode == 0:
        try:
            doc = json.loads(p.stdout)
        except ValueError:
            pass
    return p, doc


def segment_after(err, label):
    """The text platprobe printed for LABEL: from the label to the next entry label (or 800 chars)."""
    i = err.find(label)
    if i < 0:
        return None
    rest = err[i + len(label):]
    m = re.search(r'(types|structs|constants|defined|functions)\[\d+\] "', rest)
    return rest[:m.start()] if m else rest[:800]


INFO_ARGS = {"-dumpmachine", "-dumpversion", "-dumpfullversion", "--version", "-v", "-###", "--help"}


class Counter:
    """A logging wrapper to use as --cc: one log line per compiler invocation."""

    def __init__(self, name):
        d = tempfile.mkdtemp(dir=WORK)
        self.log = os.path.join(d, "cc.log")
        self.path = os.path.join(d, name)
        with open(self.path, "w") as f:
            f.write("#!/bin/bash\nprintf '%s\\n' \"$*\" >> '" + self.log + "'\nexec gcc \"$@\"\n")
        os.chmod(self.path, 0o755)
        self.cache = os.path.join(d, "cache")   # fresh cache/home: a cache must not hide compiles
        os.mkdir(self.cache)

    def env(self):
        return {"XDG_CACHE_HOME": self.cache, "HOME": self.cache}

    def lines(self):
        try:
            with open(self.log) as f:
                return [line.rstrip("\n") for line in f]
        except FileNotFoundError:
            return []

    def compiles(self):
        """Invocations that do work; pure information queries (-dumpmachine, --version) don't count."""
        n = 0
        for line in self.lines():
            args = line.split()
            if args and all(a in INFO_ARGS or a.startswith("-print-") for a in args):
                continue
            n += 1
        return n


def count_run(tag, sp, limit, exact=False, extra=()):
    c = Counter("cc-" + re.sub(r"\W", "", tag)[:20])
    sp = dict(sp)
    sp["defines"] = dict(sp.get("defines", {}), PPTEST_NONCE=str(random.randrange(10 ** 9)))
    p, doc = run_probe(sp, ["--cc", c.path, *extra], env=c.env())
    n = c.compiles()
    log = "\n".join(c.lines())
    if exact:
        check(f"count {tag}: exactly {limit} compiler invocation(s)", n == limit,
              f"{n} invocations (exit {p.returncode}):\n{log}\nstderr: {p.stderr[-1500:]}")
    else:
        check(f"count {tag}: at most {limit} compiler invocations", 0 < n <= limit,
              f"{n} invocations (exit {p.returncode}):\n{log}\nstderr: {p.stderr[-1500:]}")
    return p, doc


def main():
    types_exp, structs_exp = c_expected()

    # --- required failures: exit 1, every failing entry named with the compiler's text ---------
    p, doc = run_probe(spec_with_failures(False))
    check("required: exit 1", p.returncode == 1, f"exit {p.returncode}, stderr: {p.stderr[-3000:]}")
    check("required: stdout empty", p.stdout == "", p.stdout[:500])
    for label, words in FAILURES:
        seg = segment_after(p.stderr, label)
        if check(f"required: stderr names {label}", seg is not None, p.stderr[-3000:]):
            check(f"required: {label} quotes the diagnostic",
                  any(w in seg for w in words),
                  f"text after label: {seg!r}; wanted one of {words}")
    for label in GOOD_LABELS:
        check(f"required: good entry {label} not reported", label not in p.stderr, p.stderr[-3000:])
    check("required: mentions spec file", "spec.json" in p.stderr, p.stderr[-1000:])

    # --- the same entries optional: exit 0, nulls/false, good entries right ------------------
    for mode in ("object", "run"):
        p, doc = run_probe(spec_with_failures(True), ["--mode", mode])
        if not check(f"optional {mode}: exit 0 with JSON", p.returncode == 0 and doc is not None,
                     f"exit {p.returncode}, stderr: {p.stderr[-3000:]}"):
            continue
        t, s, c = doc.get("types", {}), doc.get("structs", {}), doc.get("constants", {})
        df, fn = doc.get("defined", {}), doc.get("functions", {})
        check(f"optional {mode}: types order", list(t) == ["int", "size_tt", "off_t"], repr(list(t)))
        check(f"optional {mode}: size_tt null", "size_tt" in t and t["size_tt"] is None, repr(t.get("size_tt", "<missing>")))
        for n in ("int", "off_t"):
            check(f"optional {mode}: type {n}", t.get(n) == types_exp[n], f"got {t.get(n)!r}, expected {types_exp[n]!r}")
        check(f"optional {mode}: struct no_such_struct null",
              "struct no_such_struct" in s and s["struct no_such_struct"] is None, repr(s.get("struct no_such_struct", "<missing>")))
        for n in ("struct stat", "struct timespec"):
            got = s.get(n) or {}
            e = structs_exp[n]
            check(f"optional {mode}: {n} size/align", (got.get("size"), got.get("align")) == (e["size"], e["align"]),
                  f"got {got!r}")
            check(f"optional {mode}: {n} fields", [pptest.core(f) for f in got.get("fields", [])] == e["fields"],
                  f"got {got.get('fields')!r}, expected {e['fields']!r}")
        check(f"optional {mode}: NO_SUCH_CONSTANT null", "NO_SUCH_CONSTANT" in c and c["NO_SUCH_CONSTANT"] is None, repr(c))
        check(f"optional {mode}: EAGAIN/ENOENT right", c.get("EAGAIN") == errno.EAGAIN and c.get("ENOENT") == errno.ENOENT,
              repr(c))
        check(f"optional {mode}: defined", df == {"EAGAIN": True, "NO_SUCH_MACRO_XYZ": False}, repr(df))
        check(f"optional {mode}: functions", fn == {"strlen": True, "no_such_function_xyz": False}, repr(fn))

    # --- compiler invocations ------------------------------------------------------------------
    valid = {"headers": HEADERS, "types": ["int", "off_t", "struct stat", "void *"],
             "structs": [{"name": "struct stat", "fields": ["st_size", "st_mode", "st_mtim.tv_nsec"]},
                         {"name": "struct timespec", "fields": ["tv_sec", "tv_nsec"]}],
             "constants": ["EAGAIN", "ENOENT", "-1", "S_IFMT", "SEEK_END"]}
    p, doc = count_run("valid no functions", valid, 1, exact=True)
    check("count valid no functions: exit 0 and EAGAIN right", p.returncode == 0 and doc is not None
          and doc["constants"]["EAGAIN"] == errno.EAGAIN and doc["constants"]["S_IFMT"] == stat.S_IFMT(0o7777777),
          p.stderr[-1500:])
    v2 = dict(valid, defined=["EAGAIN", "__linux__", {"name": "NO_SUCH_MACRO_XYZ", "optional": True}])
    count_run("valid with defined", v2, 1, exact=True)
    v3 = dict(valid, functions=["strlen", "getpid"])
    p, doc = count_run("valid with functions", v3, 2, exact=True)
    check("count valid with functions: answers", doc is not None and doc.get("functions") ==
          {"strlen": True, "getpid": True}, repr(doc and doc.get("functions")))
    v4 = dict(valid, functions=["strlen", {"name": "no_such_function_xyz", "optional": True}])
    p, doc = count_run("valid with an absent optional function", v4, 4)
    check("count valid with an absent optional function: answers", doc is not None and doc.get("functions") ==
          {"strlen": True, "no_such_function_xyz": False}, repr(doc and doc.get("functions")))

    failing = spec_with_failures(True)
    no_fn = {k: v for k, v in failing.items() if k != "functions"}
    count_run("optional failures no functions", no_fn, 3)
    count_run("optional failures with functions", failing, 4)
    count_run("required failures", spec_with_failures(False), 4)
    many = {"headers": HEADERS,
            "types": ["int"] + [{"name": f"no_such_type_{i}_t", "optional": True} for i in range(10)],
            "structs": [{"name": "struct stat", "fields": ["st_size"] + [{"name": f"st_no_{i}", "optional": True}
                                                                         for i in range(10)]}]
            + [{"name": f"struct no_such_{i}", "fields": ["a"], "optional": True} for i in range(10)],
            "constants": ["EAGAIN"] + [{"name": f"NO_SUCH_{i}", "optional": True} for i in range(20)]}
    p, doc = count_run("many optional failures", many, 3)
    if check("many optional failures: exit 0", doc is not None, p.stderr[-1500:]):
        check("many optional failures: good entries right",
              doc["types"]["int"] == types_exp["int"] and doc["constants"]["EAGAIN"] == errno.EAGAIN
              and [pptest.core(f) for f in doc["structs"]["struct stat"]["fields"]] == [f for f in structs_exp["struct stat"]["fields"]
                                                                if f["name"] == "st_size"], json.dumps(doc)[:2000])
        check("many optional failures: bad entries null",
              all(doc["types"][f"no_such_type_{i}_t"] is None and doc["structs"][f"struct no_such_{i}"] is None
                  for i in range(10)) and all(doc["constants"][f"NO_SUCH_{i}"] is None for i in range(20)),
              json.dumps(doc)[:2000])

    # 50 failing optional constants interleaved with 50 good ones
    good = sorted(errno.errorcode.values())[:50]
    consts = []
    for i, g in enumerate(good):
        consts += [{"name": f"PPTEST_NO_SUCH_{i}", "optional": True}, g]
    p, doc = count_run("50 bad + 50 good constants", {"headers": ["errno.h"], "constants": consts}, 3)
    if check("50/50: exit 0", doc is not None, p.stderr[-1500:]):
        c = doc.get("constants", {})
        bad = [g for g in good if c.get(g) != getattr(errno, g)]
        check("50/50: all 50 good constants right", not bad, f"wrong: {[(g, c.get(g)) for g in bad]}")
        nn = [i for i in range(50) if f"PPTEST_NO_SUCH_{i}" not in c or c[f"PPTEST_NO_SUCH_{i}"] is not None]
        check("50/50: all 50 bad constants null", not nn, repr(nn))
        check("50/50: spec order kept", list(c) == [x if isinstance(x, str) else x["name"] for x in consts],
              repr(list(c))[:500])

    # Five macros that expand to one undeclared name (as glibc's s6_addr, s6_addr16 and s6_addr32
    # reach __in6_u): gcc reports the name once per file, at one use a pass, so each pass finds
    # one more. The probe takes the passes it needs (failing compiles), and answers the rest.
    d = tempfile.mkdtemp(prefix="pptest-hidden-")
    with open(os.path.join(d, "hidden.h"), "w") as f:
        f.write("".join(f"#define PP_HID{i} (pp_nosuch_union.m{i})\n" for i in range(5)))
    hidden = [{"name": f"PP_HID{i}", "optional": True} for i in range(5)]
    p, doc = count_run("hidden undeclared", {"include_dirs": [d], "headers": ["hidden.h", "errno.h"],
                                             "constants": ["EAGAIN"] + hidden}, 7)
    check("an undeclared name reached through five macros: exit 0, all five null, EAGAIN right",
          doc is not None and doc["constants"]["EAGAIN"] == errno.EAGAIN and
          all(doc["constants"][f"PP_HID{i}"] is None for i in range(5)), p.stderr[-1500:])
    pptest.done()


if __name__ == "__main__":
    main()
