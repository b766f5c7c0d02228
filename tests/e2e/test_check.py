"""platprobe check SPEC BASELINE: a probe compared with a committed result. The baselines here are
a probe's result edited in known ways, so each expected difference comes from the edit, and the
probed side's values from Python's ctypes, os and errno, never from platprobe itself."""
import copy
import ctypes
import errno
import json
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pptest
from pptest import check

W = tempfile.mkdtemp(prefix="pptest-check-")
SPEC = {
    "headers": ["sys/stat.h", "errno.h", "limits.h", "unistd.h"],
    "types": ["long", "int"],
    "structs": [{"name": "struct stat", "fields": ["st_size", "st_mode"]}],
    "constants": ["EAGAIN", "ULLONG_MAX", "LLONG_MIN"],
    "defined": ["EAGAIN"],
    "functions": ["getpid"],
}
LONG, INT = ctypes.sizeof(ctypes.c_long), ctypes.sizeof(ctypes.c_int)
ULLONG_MAX = 2 ** (8 * ctypes.sizeof(ctypes.c_ulonglong)) - 1


def write(name, doc):
    path = os.path.join(W, name)
    with open(path, "w") as f:
        f.write(doc if isinstance(doc, str) else json.dumps(doc, indent=1))
    return path


spec_path = write("spec.json", SPEC)
p = pptest.run(["probe", spec_path, "-o", os.path.join(W, "base.json")])
check("baseline recorded", p.returncode == 0, p.stderr)
with open(os.path.join(W, "base.json")) as f:
    base = json.load(f)


def run_check(baseline, *extra, spec=spec_path):
    return pptest.run(["check", spec, baseline] + list(extra))


# ---------------------------------------------------------------- the same
p = run_check(os.path.join(W, "base.json"))
check("check against its own baseline: exit 0, nothing printed", p.returncode == 0 and
      p.stdout == "", f"exit {p.returncode}: {p.stdout}{p.stderr}")
p = run_check(os.path.join(W, "base.json"), "-f", "json")
try:
    d = json.loads(p.stdout)
    check("check -f json when equal: same is true, no differences", p.returncode == 0 and
          d["same"] is True and d["differences"] == [], p.stdout)
except ValueError:
    check("check -f json when equal: JSON", False, p.stdout)

# ---------------------------------------------------------------- values that differ
b = copy.deepcopy(base)
b["types"]["long"]["size"] = LONG + 1
b["structs"]["struct stat"]["fields"][0]["offset"] += 8   # the first field by offset
moved = b["structs"]["struct stat"]["fields"][0]["name"]
moved_to = b["structs"]["struct stat"]["fields"][0]["offset"]
b["constants"]["ULLONG_MAX"] = ULLONG_MAX - 1              # equal as doubles, not as integers
b["constants"]["EAGAIN"] = errno.EAGAIN + 100
changed = write("changed.json", b)
p = run_check(changed)
lines = p.stdout.splitlines()
check("changed baseline: exit 1", p.returncode == 1, f"exit {p.returncode}: {p.stderr}")
check("changed baseline: one line per difference", len(lines) == 4, p.stdout)
want = [f'types "long": size: expected {LONG + 1}, got {LONG}',
        f'structs "struct stat": fields.{moved}.offset: expected {moved_to}, got {moved_to - 8}',
        f'constants "ULLONG_MAX": expected {ULLONG_MAX - 1}, got {ULLONG_MAX}',
        f'constants "EAGAIN": expected {errno.EAGAIN + 100}, got {errno.EAGAIN}']
for w in want:
    check(f"changed baseline: line {w!r}", w in lines, p.stdout)
check("changed baseline: stderr says how to record a new baseline",
      f"platprobe probe {spec_path} -o {changed}" in p.stderr, p.stderr)

p = run_check(changed, "-f", "json")
try:
    d = json.loads(p.stdout)
    diffs = {(x["section"], x.get("entry"), x.get("field")): x for x in d["differences"]}
    check("check -f json: exit 1, same false", p.returncode == 1 and d["same"] is False, p.stdout)
    x = diffs.get(("types", "long", "size"), {})
    check("check -f json: types long size expected/got", x.get("expected") == LONG + 1 and
          x.get("got") == LONG and x.get("path") == "types.long.size", str(x))
    x = diffs.get(("constants", "ULLONG_MAX", None), {})
    check("check -f json: 64-bit integers exact", x.get("expected") == ULLONG_MAX - 1 and
          x.get("got") == ULLONG_MAX, str(x))
    x = diffs.get(("structs", "struct stat", f"fields.{moved}.offset"), {})
    check("check -f json: struct field path", x.get("got") == moved_to - 8, str(diffs.keys()))
    check("check -f json: four differences", len(d["differences"]) == 4, p.stdout)
except ValueError:
    check("check -f json: JSON", False, p.stdout)

# ---------------------------------------------------------------- compiler_version and --ignore
b = copy.deepcopy(base)
b["target"]["compiler_version"] = "gcc 0.0.1"
cv = write("cv.json", b)
p = run_check(cv)
check("another compiler version: exit 1, named", p.returncode == 1 and
      'target: compiler_version: expected "gcc 0.0.1", got ' in p.stdout, p.stdout + p.stderr)
p = run_check(cv, "--ignore-compiler-version")
check("--ignore-compiler-version: exit 0", p.returncode == 0 and p.stdout == "", p.stdout + p.stderr)
p = run_check(cv, "--ignore-compiler-version", "-f", "json")
check("--ignore-compiler-version -f json: listed as accepted", p.returncode == 0 and
      json.loads(p.stdout)["accepted"] == ["target.compiler_version"], p.stdout)
b["types"]["int"]["size"] = INT * 2
cv2 = write("cv2.json", b)
p = run_check(cv2, "--ignore-compiler-version")
check("--ignore-compiler-version does not hide other differences", p.returncode == 1 and
      p.stdout.strip() == f'types "int": size: expected {INT * 2}, got {INT}', p.stdout)
b = copy.deepcopy(base)
b["structs"]["struct stat"]["size"] += 1
b["structs"]["struct stat"]["fields"][1]["size"] += 1
b["types"]["int"]["align"] += 1
st = write("st.json", b)
p = run_check(st, "--ignore", 'structs."struct stat"')
check("--ignore PATH: everything under it ignored, the rest reported", p.returncode == 1 and
      p.stdout.strip() == f'types "int": align: expected {b["types"]["int"]["align"]}, got '
      f'{b["types"]["int"]["align"] - 1}', p.stdout)
p = run_check(st, "--ignore", 'structs."struct stat"', "--ignore", "types.int.align")
check("--ignore twice: exit 0", p.returncode == 0, p.stdout)

# ---------------------------------------------------------------- new entries and removed ones
grown = dict(SPEC, constants=SPEC["constants"] + ["EINTR"],
             structs=[{"name": "struct stat", "fields": ["st_size", "st_mode", "st_nlink"]}])
grown_path = write("grown.json", grown)
p = run_check(os.path.join(W, "base.json"), spec=grown_path)
check("spec with new entries: exit 1", p.returncode == 1, p.stdout + p.stderr)
check("spec with new entries: the new constant named with its value",
      f'constants "EINTR": not in the baseline, got {errno.EINTR}' in p.stdout, p.stdout)
check("spec with new entries: the new field named",
      'structs "struct stat": fields.st_nlink: not in the baseline, got {' in p.stdout, p.stdout)
p = run_check(os.path.join(W, "base.json"), "--allow-new", spec=grown_path)
check("--allow-new: new entries and fields accepted", p.returncode == 0 and p.stdout == "",
      p.stdout + p.stderr)
p = run_check(changed, "--allow-new", spec=grown_path)
check("--allow-new: changed values still reported", p.returncode == 1 and
      len(p.stdout.splitlines()) == 4, p.stdout)
shrunk_path = write("shrunk.json", dict(SPEC, constants=["EAGAIN"]))
p = run_check(os.path.join(W, "base.json"), "--allow-new", spec=shrunk_path)
check("entries gone from the spec: reported even with --allow-new", p.returncode == 1 and
      'constants "ULLONG_MAX": not in the probe\'s result, expected ' in p.stdout, p.stdout)

# ---------------------------------------------------------------- bad input
p = run_check(write("broken.json", '{"platprobe": 1,\n  "types": {,}}'))
check("baseline not JSON: exit 2 with line:col", p.returncode == 2 and "broken.json:2:" in p.stderr,
      p.stderr)
p = run_check(spec_path)
check("baseline that is not a result: exit 2", p.returncode == 2 and
      "not a platprobe result" in p.stderr, p.stderr)
p = pptest.run(["check", spec_path])
check("check without a baseline: exit 2, usage", p.returncode == 2 and "baseline" in p.stderr,
      p.stderr)
p = run_check(os.path.join(W, "base.json"), "-f", "header")
check("check -f header: exit 2", p.returncode == 2, p.stderr)
p = run_check(os.path.join(W, "base.json"), spec=write("badspec.json", dict(SPEC, constants=["NO_SUCH_C"])))
check("check whose probe fails: exit 1, the entry named, no diff", p.returncode == 1 and
      'constants[0] "NO_SUCH_C"' in p.stderr and p.stdout == "", p.stdout + p.stderr)

# ---------------------------------------------------------------- several targets
if shutil.which("aarch64-linux-gnu-gcc"):
    targets = ["--target", "x86_64-linux-gnu", "--target", "aarch64-linux-gnu"]
    multi = os.path.join(W, "multi.json")
    p = pptest.run(["probe", spec_path, "-o", multi] + targets)
    check("two targets recorded", p.returncode == 0, p.stderr)
    p = run_check(multi, *targets)
    check("check of two targets: exit 0", p.returncode == 0 and p.stdout == "", p.stdout + p.stderr)
    with open(multi) as f:
        m = json.load(f)
    m["results"][1]["types"]["long"]["size"] = 3
    p = run_check(write("multi2.json", m), *targets)
    check("check of two targets: the target named in the line", p.returncode == 1 and
          p.stdout.strip() == '[aarch64-linux-gnu] types "long": size: expected 3, got 8', p.stdout)
else:
    check("aarch64-linux-gnu-gcc on PATH (.ci/deps installs it)", False, "missing")

# Anonymous members of a whole layout all have the name "" (found by fuzzing, tests/fuzz): each
# meets its own counterpart, so a result is the same as itself, and an edit is named with which
# one it is. Offsets from a C program.
with open(os.path.join(W, "anon.h"), "w") as f:
    f.write("struct two_anon { union { int a; float b; }; union { long c; double d; }; };\n")
aspec = write("anon.spec.json", {"headers": ["anon.h"], "include_dirs": ["."],
                                 "structs": ["struct two_anon"]})
abase = os.path.join(W, "anon.json")
p = pptest.run(["probe", aspec, "-o", abase])
if check("two anonymous unions: recorded", p.returncode == 0, p.stderr):
    off = int(pptest.cc_run(f"""#include <stdio.h>
#include <stddef.h>
#include "{os.path.join(W, "anon.h")}"
int main(void) {{ printf("%zu\\n", offsetof(struct two_anon, c)); return 0; }}
"""))
    p = pptest.run(["diff", abase, abase])
    check("two anonymous unions: diff of a result with itself finds nothing", p.returncode == 0 and
          p.stdout == "", p.stdout)
    p = run_check(abase, spec=aspec)
    check("two anonymous unions: check against its own probe passes", p.returncode == 0 and
          p.stdout == "", p.stdout + p.stderr)
    with open(abase) as f:
        a = json.load(f)
    a["structs"]["struct two_anon"]["fields"][1]["offset"] = off + 8
    p = pptest.run(["diff", abase, write("anon2.json", a)])
    check("two anonymous unions: an edit of the second is named by its place among them",
          p.returncode == 1 and p.stdout == f'structs."struct two_anon".fields.""[1].offset: '
          f'{off} -> {off + 8}\n', p.stdout)
    del a["structs"]["struct two_anon"]["fields"][1]
    one = write("anon1.json", a)
    p = run_check(one, spec=aspec)
    check("two anonymous unions, the baseline has one: the other is named as new", p.returncode == 1
          and p.stdout.startswith('structs "struct two_anon": fields.""[1]: not in the baseline'),
          p.stdout)
    p = run_check(one, "--allow-new", spec=aspec)
    check("two anonymous unions, the baseline has one: --allow-new accepts the other",
          p.returncode == 0 and p.stdout == "", p.stdout + p.stderr)

shutil.rmtree(W, ignore_errors=True)
pptest.done()
