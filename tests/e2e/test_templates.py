"""End-to-end: templates of the user's own. --template FILE renders over the same data tree as the
built-in formats and --model (-f model) prints that tree; templates/examples/csharp.cs.tmpl,
compiled with Debian's mcs and run with mono, must give Marshal.SizeOf and Marshal.OffsetOf equal
to the result's for every struct of tests/bindings/xsys.json; a template naming what the tree
lacks is an error naming the template's file and line, and leaves no output."""
import atexit, json, os, shutil, subprocess, tempfile
import pptest
from pptest import check

WORK = tempfile.mkdtemp(prefix="pptest-tmpl-")
atexit.register(shutil.rmtree, WORK, True)
XSYS = os.path.join(pptest.TOP, "tests", "bindings", "xsys.json")
CSHARP = os.path.join(pptest.TOP, "templates", "examples", "csharp.cs.tmpl")
res, mdl = os.path.join(WORK, "r.json"), os.path.join(WORK, "model.json")

p = pptest.run(["probe", XSYS, "-o", res])
check("probe xsys.json", p.returncode == 0, p.stderr[-1500:]) or pptest.done()
with open(res) as f:
    result = json.load(f)

# --model and -f model: the tree, versioned.
p = pptest.run(["probe", XSYS, "--from", res, "--model", "-o", mdl])
q = pptest.run(["probe", XSYS, "--from", res, "-f", "model"])
check("--model writes the tree", p.returncode == 0, p.stderr[-1500:])
with open(mdl) as f:
    text = f.read()
model = json.loads(text)
check("-f model is --model", q.stdout == text, q.stderr[-500:])
check("the tree has its version and the documented keys",
      model.get("model_version") == "1" and model.get("model_v1") is True and
      {"records", "aliases", "constants", "go", "package", "triple"} <= set(model), sorted(model))
stat = [r for r in model["records"] if r["c"] == "struct stat"]
check("\"as\" names the record in the tree (struct stat -> Stat_t)",
      stat and stat[0]["ident"] == "Stat_t" and stat[0]["go"]["name"] == "Stat_t", stat[:1])

# The C# example: compiled and run, its layouts are the result's.
mcs, mono = shutil.which("mcs"), shutil.which("mono")
check("mcs and mono are installed (.ci/deps: mono-mcs, mono-runtime)", mcs and mono, "")
cs = os.path.join(WORK, "layouts.cs")
p = pptest.run(["probe", XSYS, "--from", res, "--template", CSHARP, "-o", cs])
check("--template templates/examples/csharp.cs.tmpl", p.returncode == 0, p.stderr[-1500:])
with open(cs) as f:
    cstext = f.read()
check("the C# file uses explicit layouts", "[StructLayout(LayoutKind.Explicit, Size = " in cstext
      and "[FieldOffset(" in cstext, cstext[:500])
prog = ["using System;", "using System.Runtime.InteropServices;", "using Platprobe;",
        "static class Check {", "    static void Main() {"]
want = []
for rec in model["records"]:
    if not rec["c"]:
        continue
    entry = result["structs"].get(rec["c"]) or result["types"].get(rec["c"])
    offs = pptest.field_offsets(entry)
    prog.append('        Console.WriteLine("S {0}", Marshal.SizeOf(typeof(@%s)));' % rec["ident"])
    want.append("S %d" % entry["size"])
    for m in rec["members"]:
        if m["sized"] and not m["pad"] and m.get("c"):
            prog.append('        Console.WriteLine("O {0}", Marshal.OffsetOf(typeof(@%s), "%s"));'
                        % (rec["ident"], m["ident"]))
            want.append("O %s" % offs.get(m["c"]))
prog += ["    }", "}"]
main = os.path.join(WORK, "check.cs")
with open(main, "w") as f:
    f.write("\n".join(prog) + "\n")
exe = os.path.join(WORK, "check.exe")
if mcs and mono:
    b = subprocess.run([mcs, "-unsafe", "-nologo", "-out:" + exe, cs, main], capture_output=True,
                       text=True)
    if check("mcs compiles the C# layouts", b.returncode == 0, (b.stdout + b.stderr)[-1500:]):
        r = subprocess.run([mono, exe], capture_output=True, text=True)
        got = r.stdout.split("\n")[:-1]
        bad = [(i, w, g) for i, (w, g) in enumerate(zip(want, got)) if w != g]
        check("Marshal.SizeOf/OffsetOf of %d facts equal the result's" % len(want),
              r.returncode == 0 and len(got) == len(want) and not bad and len(want) > 200,
              r.stderr[-500:] + str(bad[:5]) + " %d/%d" % (len(got), len(want)))

# Errors: a missing name names the template's file and line; nothing is written.
bad_t = os.path.join(WORK, "bad.tmpl")
with open(bad_t, "w") as f:
    f.write("{{#records}}\n{{ident}}\n{{#members}}\n{{no_such_key}}\n{{/members}}\n{{/records}}\n")
out = os.path.join(WORK, "bad.out")
p = pptest.run(["probe", XSYS, "--from", res, "--template", bad_t, "-o", out])
check("a missing name: error naming FILE:LINE", p.returncode != 0 and
      "%s:4: no such name: 'no_such_key'" % bad_t in p.stderr and not os.path.exists(out), p.stderr)
v2 = os.path.join(WORK, "v2.tmpl")
with open(v2, "w") as f:
    f.write("first line\n{{^model_v2}}{{needs_data_tree_2}}{{/model_v2}}\n")
p = pptest.run(["probe", XSYS, "--from", res, "--template", v2])
check("a template checks the tree's version", p.returncode != 0 and
      "%s:2: no such name: 'needs_data_tree_2'" % v2 in p.stderr, p.stderr)
p = pptest.run(["probe", XSYS, "--from", res, "--template", os.path.join(WORK, "none.tmpl")])
check("a template that cannot be read: error naming it", p.returncode != 0 and
      "none.tmpl: No such file or directory" in p.stderr, p.stderr)
p = pptest.run(["probe", XSYS, "--from", res, "-f", "go", "--package", "9x"])
check("--package must be a Go package name", p.returncode != 0 and "--package '9x'" in p.stderr,
      p.stderr)
ppc = os.path.join(WORK, "ppc.json")
with open(ppc, "w") as f:
    json.dump(dict(result, target=dict(result["target"], triple="powerpc-linux-gnu")), f)
p = pptest.run(["probe", XSYS, "--from", ppc, "-f", "go"])
check("-f go for a target Go has no port for is an error naming it", p.returncode != 0 and
      "Go has no GOOS/GOARCH for the target powerpc-linux-gnu" in p.stderr and not p.stdout,
      p.stderr)
for bad_as, why in ((5, 'structs[0].as: expected a string, got a number'),
                   ("Stat t", 'structs[0].as: "Stat t" is not an identifier')):
    p, _ = pptest.probe({"headers": ["sys/stat.h"], "structs": [{"name": "struct stat", "as": bad_as}]})
    check("a bad \"as\" (%r) is an error naming it" % bad_as, p.returncode == 2 and why in p.stderr,
          p.stderr)
p, _ = pptest.probe({"headers": ["sys/stat.h"], "constants": [{"name": "S_IFMT", "as": "X"}]})
check("\"as\" is only for types, structs and enums", p.returncode == 2 and
      'constants[0]: unknown key "as"' in p.stderr, p.stderr)
pptest.done()
