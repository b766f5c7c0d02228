"""End-to-end: a build with or without libdw (make WITH_LIBDW=0; --version says which). Listed
fields, sizes and alignments are answered either way; whole layouts and enum values only with
libdw, and without it they fail naming the entry and the reason (null when optional). Expected
values come from a C program compiled by the same compiler (offsetof, sizeof, the enum's values).
.ci/run runs this against build-nodw/ as well as the normal build."""
import atexit, json, os, shutil, sys, tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pptest  # noqa: E402
from pptest import check  # noqa: E402

WORK = tempfile.mkdtemp(prefix="pptest-nolibdw-")
atexit.register(shutil.rmtree, WORK, True)
HEADER = os.path.join(WORK, "nodw.h")
with open(HEADER, "w") as f:
    f.write("struct nodw { char c; long l; short s[3]; };\n"
            "enum nodw_colour { NODW_RED = -2, NODW_GREEN = 7, NODW_BLUE = 1000000 };\n")
ver = pptest.run(["--version"]).stdout
without = "built without libdw" in ver
print(f"# {ver.splitlines()[0] if ver else '?'}: {'without' if without else 'with'} libdw")

truth = dict(line.split() for line in pptest.cc_run(
    '#include <stdio.h>\n#include <stddef.h>\n#include "nodw.h"\n'
    'int main(void) { printf("size %zu\\nalign %zu\\nc %zu\\nl %zu\\ns %zu\\nesize %zu\\n",'
    ' sizeof(struct nodw), _Alignof(struct nodw), offsetof(struct nodw, c),'
    ' offsetof(struct nodw, l), offsetof(struct nodw, s), sizeof(enum nodw_colour));'
    ' printf("RED %d\\nGREEN %d\\nBLUE %d\\n", NODW_RED, NODW_GREEN, NODW_BLUE); return 0; }\n',
    cflags=["-I", WORK]).splitlines())


def probe(spec: dict) -> tuple:
    """Probe SPEC (its header dir added); (CompletedProcess, parsed result or None)."""
    spec = dict({"headers": ["nodw.h"], "include_dirs": [WORK]}, **spec)
    return pptest.probe(spec, ["--no-cache"], tmpdir=WORK)


p, doc = probe({"structs": [{"name": "struct nodw", "fields": ["c", "l", "s"]}]})
check("listed fields are answered", p.returncode == 0 and doc, p.stderr[-2000:])
if doc:
    s = doc["structs"]["struct nodw"]
    check("size and alignment agree with the compiler", (s["size"], s["align"]) ==
          (int(truth["size"]), int(truth["align"])), json.dumps(s))
    offs = {f["name"]: f["offset"] for f in s["fields"]}
    check("offsets agree with offsetof", offs == {f: int(truth[f]) for f in offs}, json.dumps(offs))

p, doc = probe({"structs": [{"name": "struct nodw", "fields": "*"}],
                "enums": ["enum nodw_colour"]})
if without:
    check("without libdw: a whole layout or enum entry fails (exit 1)", p.returncode == 1,
          p.stderr[-2000:])
    check("the message names the entry and says platprobe was built without libdw",
          'structs[0] "struct nodw"' in p.stderr and 'enums[0] "enum nodw_colour"' in p.stderr
          and "built without libdw" in p.stderr, p.stderr[-2000:])
    p, doc = probe({"structs": [{"name": "struct nodw", "fields": "*", "optional": True}],
                    "enums": [{"name": "enum nodw_colour", "optional": True}]})
    check("without libdw: optional ones are null", p.returncode == 0 and doc and
          doc["structs"]["struct nodw"] is None and doc["enums"]["enum nodw_colour"] is None,
          p.stdout[-2000:] + p.stderr[-2000:])
    p, doc = probe({"structs": ["struct nodw"]})
    check("without libdw: a struct without fields gets size and alignment only, and says so",
          p.returncode == 0 and doc and doc["structs"]["struct nodw"]["size"] == int(truth["size"])
          and doc["structs"]["struct nodw"].get("fields_complete") is False
          and "fields" not in doc["structs"]["struct nodw"]
          and p.stderr.count('warning: structs[0] "struct nodw"') == 1
          and "built without libdw" in p.stderr, p.stdout[-2000:] + p.stderr[-2000:])
else:
    check("with libdw: whole layout and enum answered", p.returncode == 0 and doc, p.stderr[-2000:])
    if doc:
        fields = doc["structs"]["struct nodw"]["fields"]
        check("the whole layout's offsets agree with offsetof",
              {f["name"]: f["offset"] for f in fields} ==
              {f: int(truth[f]) for f in ("c", "l", "s")}, json.dumps(fields))
        vals = doc["enums"]["enum nodw_colour"]["values"]
        check("the enum's values agree with the compiler", vals ==
              {"NODW_RED": int(truth["RED"]), "NODW_GREEN": int(truth["GREEN"]),
               "NODW_BLUE": int(truth["BLUE"])}, json.dumps(vals))
pptest.done()
