"""--from RESULT.json: any output format written from a saved result with no compiler, byte for
byte what probing writes (every spec of the catalogue, a big-endian cross target, one target out
of a document of several); keys this version does not know are ignored; a result that lacks an
entry the spec asks for, or holds a malformed value, is refused with the entry named."""
import copy
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pptest
from pptest import check

W = tempfile.mkdtemp(prefix="pptest-from-")
PROBE = os.path.join(pptest.TOP, "probe")
# With --from no compiler may run: any attempt to would fail on these.
NO_CC = {"CC": "/nonexistent/cc", "PATH": "/nonexistent:" + os.environ.get("PATH", "")}


def write(name, doc):
    path = os.path.join(W, name)
    with open(path, "w") as f:
        f.write(doc if isinstance(doc, str) else json.dumps(doc, indent=1))
    return path


def same_as_probe(label, spec, probe_args=(), from_args=(), formats=("json", "header")):
    saved = os.path.join(W, label.replace(" ", "_") + ".saved.json")
    p = pptest.run(["probe", spec, "-o", saved] + list(probe_args))
    if not check(f"{label}: result saved", p.returncode == 0, p.stderr[-2000:]):
        return None
    for fmt in formats:
        a = pptest.run(["probe", spec, "-f", fmt] + list(probe_args))
        b = pptest.run(["probe", spec, "--from", saved, "-f", fmt, "--cc", "/nonexistent/cc"] +
                       list(from_args), env=NO_CC)
        check(f"{label}: -f {fmt} from the saved result is byte-identical to probing",
              a.returncode == 0 and b.returncode == 0 and a.stdout == b.stdout and a.stdout,
              f"exit {a.returncode}/{b.returncode}: {b.stderr[-1500:]}")
    return saved


for name in sorted(os.listdir(PROBE)):
    if name.endswith(".json"):
        same_as_probe(name[:-5], os.path.join(PROBE, name))

# A spec with what the catalogue lacks: unanswered optional entries and fields, bit-fields,
# expressions, floats, strings, a header with a prefix.
odd = write("odd.json", {
    "headers": ["netinet/tcp.h", "stdio.h", "float.h", "limits.h", "math.h", "sys/stat.h"],
    "types": ["long double", "int[3]", {"name": "no_such_t", "optional": True}, "void (*)(int)"],
    "structs": [{"name": "struct tcphdr", "fields": ["th_off", "th_x2", "th_sport"]},
                {"name": "struct stat", "fields": ["st_size", {"name": "st_nope", "optional": True}]},
                {"name": "struct no_such_s", "optional": True, "fields": ["x"]}],
    "constants": ["UINT_MAX", "INT_MIN", "-1", "(1ULL<<63)", "DBL_MAX", "FLT_MIN", "INFINITY",
                  "NAN", "P_tmpdir", "LLONG_MIN", {"name": "NO_SUCH_K", "optional": True}],
    "defined": ["EOF", {"name": "NO_SUCH_D", "optional": True}],
    "functions": ["printf", {"name": "no_such_fn", "optional": True}]})
saved = same_as_probe("odd entries", odd)

# What debug information adds: whole layouts (nested members, bit-fields, holes, padding, arrays),
# member types, enums; and libraries. Every output format, the bindings too.
DATA = os.path.join(pptest.TOP, "tests", "e2e", "data")
whole = write("whole.json", {
    "headers": ["layouts_hard.h", "sys/stat.h"], "include_dirs": [DATA],
    "structs": [{"name": "struct hard_bits", "fields": "*"}, {"name": "struct hard_nest", "fields": "*"},
                {"name": "struct hard_types", "fields": "*"}, {"name": "union hard_union"},
                {"name": "struct hard_empty_tail", "fields": "*"},
                {"name": "struct stat", "fields": ["st_size", "st_mtim.tv_nsec"]}],
    "enums": ["enum hard_e", "enum hard_ul", "enum hard_ll", "enum hard_ps", "hard_typedef_enum"],
    "constants": ["HE_NEG", "HUL_TOP"],
    "libraries": ["m", {"name": "no_such_lib_xyz", "optional": True}]})
same_as_probe("whole layouts, enums, libraries", whole,
              formats=("json", "header", "python", "rust", "guard"))
for name in ("posix.json", "zlib.json"):
    same_as_probe(name[:-5] + " bindings", os.path.join(PROBE, name),
                  formats=("python", "rust", "guard"))
a = pptest.run(["probe", odd, "-f", "header", "--prefix", "PP_"])
b = pptest.run(["probe", odd, "--from", saved, "-f", "header", "--prefix", "PP_"], env=NO_CC)
check("odd entries: --prefix from the saved result is byte-identical", a.returncode == 0 and
      a.stdout == b.stdout, b.stderr)

# ---------------------------------------------------------------- cross targets
if shutil.which("s390x-linux-gnu-gcc") and shutil.which("aarch64-linux-gnu-gcc"):
    posix = os.path.join(PROBE, "posix.json")
    same_as_probe("s390x (big endian)", posix, ["--target", "s390x-linux-gnu"], formats=("header",))
    two = ["--target", "s390x-linux-gnu", "--target", "aarch64-linux-gnu"]
    multi = os.path.join(W, "multi.json")
    p = pptest.run(["probe", odd, "-o", multi] + two)
    check("two targets saved in one document", p.returncode == 0, p.stderr)
    a = pptest.run(["probe", odd, "-f", "header", "--target", "aarch64-linux-gnu"])
    b = pptest.run(["probe", odd, "--from", multi, "-f", "header", "--target", "aarch64-linux-gnu"],
                   env=NO_CC)
    check("one target picked from a document of two: byte-identical", a.returncode == 0 and
          b.returncode == 0 and a.stdout == b.stdout, b.stderr)
    pat = os.path.join(W, "out-{triple}.h")
    b = pptest.run(["probe", odd, "--from", multi, "-f", "header", "-o", pat], env=NO_CC)
    made = sorted(f for f in os.listdir(W) if f.startswith("out-"))
    check("every target of the document, one file each", b.returncode == 0 and
          made == ["out-aarch64-linux-gnu.h", "out-s390x-linux-gnu.h"], f"{made} {b.stderr}")
    with open(os.path.join(W, "out-s390x-linux-gnu.h")) as f:
        check("the s390x file says big endian", "#define WORDS_BIGENDIAN 1\n" in f.read(), "")
    b = pptest.run(["probe", odd, "--from", multi, "--target", "riscv64-linux-gnu"], env=NO_CC)
    check("a target the document lacks: exit 2, named", b.returncode == 2 and
          "riscv64-linux-gnu" in b.stderr, b.stderr)
else:
    check("cross compilers on PATH (.ci/deps installs them)", False, "missing")

# ---------------------------------------------------------------- tolerance and refusals
with open(saved) as f:
    base = json.load(f)
future = copy.deepcopy(base)
future["future_section"] = {"enum x": {"A": 1}}
future["structs"]["struct stat"]["layout_source"] = "dwarf"
future["structs"]["struct stat"]["fields"].append({"name": "st_later", "offset": 200, "size": 4,
                                                   "kind": "int"})
for fl in future["structs"]["struct tcphdr"]["fields"]:
    fl["note"] = "from a newer version"
future["types"]["long double"]["abi_class"] = "x87"
future["target"]["abi"] = "sysv"
fpath = write("future.json", future)
for fmt in ("json", "header"):
    a = pptest.run(["probe", odd, "--from", saved, "-f", fmt], env=NO_CC)
    b = pptest.run(["probe", odd, "--from", fpath, "-f", fmt], env=NO_CC)
    check(f"keys this version does not know are ignored (-f {fmt})", b.returncode == 0 and
          a.stdout == b.stdout, b.stderr)


def refused(label, doc, *needles, spec=odd):
    path = write(label.replace(" ", "_") + ".json", doc)
    p = pptest.run(["probe", spec, "--from", path], env=NO_CC)
    check(f"{label}: exit 2 and the problem named", p.returncode == 2 and p.stdout == "" and
          all(n in p.stderr for n in needles), p.stderr)


d = copy.deepcopy(base)
del d["constants"]["P_tmpdir"]
del d["functions"]["no_such_fn"]
refused("entries missing", d, 'no answer for constants[8] "P_tmpdir" of ' + odd,
        'no answer for functions[1] "no_such_fn"')
d = copy.deepcopy(base)
d["structs"]["struct stat"]["fields"] = [f for f in d["structs"]["struct stat"]["fields"]
                                         if f["name"] != "st_size"]
refused("a required field missing", d, 'structs."struct stat".fields.st_size: the spec requires')
d = copy.deepcopy(base)
d["types"]["int[3]"] = None
d["defined"]["EOF"] = False
refused("required entries recorded as unanswered", d,
        'types."int[3]": recorded as unanswered (null)', "defined.EOF: recorded as not defined")
d = copy.deepcopy(base)
d["types"]["long double"]["size"] = -16
d["types"]["long double"]["kind"] = "quaternion"
d["constants"]["UINT_MAX"] = 18446744073709551616
d["target"]["endian"] = "middle"
refused("malformed values", d, 'types."long double".size: expected a non-negative integer',
        'types."long double".kind: expected one of', "constants.UINT_MAX: an integer outside",
        "target.endian")
refused("a spec instead of a result", {"headers": ["stdio.h"]}, "not a platprobe result")
refused("a result of another format version", dict(base, platprobe=2), "platprobe: this version "
        "reads results of format 1 only")
p = pptest.run(["probe", odd, "--from", os.path.join(W, "absent.json")], env=NO_CC)
check("a result file that does not exist: exit 2", p.returncode == 2 and "absent.json" in p.stderr,
      p.stderr)

# A result written by hand has no constant_types: integers are then signed unless only uint64
# holds them, floats are doubles.
hand = {"platprobe": 1, "target": {"triple": "x-y-z", "compiler": "none", "compiler_version": "",
                                   "endian": "little", "char_signed": False, "pointer_size": 4,
                                   "data_model": "ILP32"},
        "constants": {"A": 5, "B": 18446744073709551615, "C": -3, "D": 0.5, "E": "s"}}
hspec = write("hand.spec.json", {"headers": ["stdio.h"], "constants": ["A", "B", "C", "D", "E"]})
p = pptest.run(["probe", hspec, "--from", write("hand.json", hand), "-f", "header"], env=NO_CC)
check("a hand-written result (no constant_types) reads", p.returncode == 0 and
      "#define VALUE_A 5\n" in p.stdout and "#define VALUE_B 18446744073709551615ULL\n" in p.stdout
      and "#define VALUE_C (-3)\n" in p.stdout and "#define VALUE_D 0.5\n" in p.stdout and
      '#define VALUE_E "s"\n' in p.stdout and "#define SIZEOF_VOID_P 4\n" in p.stdout, p.stdout + p.stderr)

# Whatever a saved result's target says is written back as JSON (found by fuzzing: data_model
# went out unescaped, so a quote in it made the output unreadable).
odd_model = dict(hand, target=dict(hand["target"], data_model='x"\\y\u00e9'))
p = pptest.run(["probe", hspec, "--from", write("model.json", odd_model)], env=NO_CC)
try:
    got_model = json.loads(p.stdout)["target"]["data_model"]
except ValueError:
    got_model = None
check("a data model with a quote and a backslash is written back escaped", p.returncode == 0 and
      got_model == 'x"\\y\u00e9', p.stdout[:300] + p.stderr)

# The header's first comment quotes the target: a saved result whose strings hold "*/" or "/*"
# still gives a header that gcc -Werror reads as nothing but macros (found by reading what the
# fuzz round trip cannot see: both sides of it wrote the same broken comment).
hostile = dict(hand, target=dict(hand["target"], triple="x*/ int evil; /*q", compiler="c*/c",
                                 compiler_version='v"1\n*/'))
hdr = os.path.join(W, "hostile.h")
p = pptest.run(["probe", hspec, "--from", write("hostile.json", hostile), "-f", "header", "-o", hdr],
               env=NO_CC)
if check("a result with '*/' in its target: header written", p.returncode == 0, p.stderr):
    cc = subprocess.run(["cc", "-Wall", "-Werror", "-fsyntax-only", "-include", hdr, "-x", "c",
                         os.devnull], capture_output=True, text=True)
    check("a result with '*/' in its target: the header compiles with -Werror", cc.returncode == 0,
          cc.stderr[-1500:])

# String constants that are bytes, not text (found by fuzzing, tests/fuzz): a NUL is written as
# \u0000 and a byte that is not UTF-8 as \u00XX; both read back as those bytes, so --from gives
# the probe's header, and diff and check read such a result at all.
with open(os.path.join(W, "bytes.h"), "w") as f:
    f.write('#define S_NUL "a\\0b"\n#define S_FF "\\377x\\001\\303\\251"\n')
bspec = write("bytes.spec.json", {"headers": ["bytes.h"], "include_dirs": ["."],
                                  "constants": ["S_NUL", "S_FF"]})
bsaved = same_as_probe("bytes in strings", bspec)
hdr = os.path.join(W, "bytes-from.h")
p = pptest.run(["probe", bspec, "--from", bsaved or "", "-f", "header", "-o", hdr], env=NO_CC)
if check("bytes in strings: header from the saved result", p.returncode == 0, p.stderr):
    out = pptest.cc_run(f"""#include <stdio.h>
#include <string.h>
#include "{os.path.join(W, "bytes.h")}"
#include "{hdr}"
int main(void)
{{
    printf("%d %d\\n", sizeof VALUE_S_NUL == sizeof S_NUL && !memcmp(VALUE_S_NUL, S_NUL, sizeof S_NUL),
           sizeof VALUE_S_FF == sizeof S_FF && !memcmp(VALUE_S_FF, S_FF, sizeof S_FF));
    return 0;
}}
""")
    check("bytes in strings: the header's literals hold the C header's bytes", out == "1 1\n", out)
for cmd in (["diff", bsaved or "", bsaved or ""], ["check", bspec, bsaved or "", "--from", bsaved or ""]):
    p = pptest.run(cmd, env=NO_CC)
    check(f"bytes in strings: {cmd[0]} reads the result (exit 0)", p.returncode == 0,
          p.stdout + p.stderr)

# A struct asked with "fields": [] (its size and alignment only) reads back (found by fuzzing:
# sorting its missing field list was undefined behaviour, which the ASan+UBSan round stops on).
same_as_probe("no fields", write("nofields.spec.json", {
    "headers": ["sys/stat.h"], "structs": [{"name": "struct stat", "fields": []}]}))

# A key twice in one object: --from would take the first, diff and check compare the other.
dup = write("dup.json", '{"platprobe": 1,\n "constants": {"A": 1, "A": 2}}')
for cmd in (["probe", hspec, "--from", dup], ["diff", dup, dup], ["check", hspec, dup, "--from", dup]):
    p = pptest.run(cmd, env=NO_CC)
    check(f"a key twice: {cmd[0]} refuses it (exit 2, line:col)", p.returncode == 2 and
          "dup.json:2:24: error: invalid JSON: duplicate key" in p.stderr, p.stderr)

shutil.rmtree(W, ignore_errors=True)
pptest.done()
