"""End-to-end: -f go. tests/bindings/xsys.json (48 types of golang.org/x/sys/unix) written as a Go
package for each target: gofmt -l finds nothing to change, go vet passes with the target's GOOS and
GOARCH, its compile-time layout assertions reject a wrong size, and a Go program built for that
GOARCH and run (natively, or under qemu-user) prints unsafe.Sizeof and unsafe.Offsetof of every
type and member, which must equal platprobe's result for that target.

make check runs it for the native target only; make check-bindings sets PP_GO_TARGETS to the
cross targets (the Go builds and qemu runs are slow). Go runs offline: GO111MODULE=off, GOPATH,
GOCACHE and GOTMPDIR in a temp dir."""
import atexit, json, os, re, shutil, subprocess, tempfile
import pptest
from pptest import check

WORK = tempfile.mkdtemp(prefix="pptest-go-")
atexit.register(shutil.rmtree, WORK, True)
GO = shutil.which("go")
if not check("go and gofmt are installed (.ci/deps: golang-go)", GO and shutil.which("gofmt"),
             "no go or gofmt on PATH"):
    pptest.done()
XSYS = os.path.join(pptest.TOP, "tests", "bindings", "xsys.json")
QEMU = {"arm64": "qemu-aarch64", "arm": "qemu-arm", "s390x": "qemu-s390x", "mips": "qemu-mips",
        "mipsle": "qemu-mipsel", "ppc64le": "qemu-ppc64le", "riscv64": "qemu-riscv64"}


def go_env(goarch: str) -> dict:
    """An offline Go environment for GOOS=linux GOARCH=goarch, everything in WORK."""
    e = dict(os.environ, GO111MODULE="off", GOPATH=os.path.join(WORK, "gopath"), GOFLAGS="",
             GOCACHE=os.path.join(WORK, "gocache"), GOTMPDIR=WORK, GOPROXY="off",
             CGO_ENABLED="0", GOOS="linux", GOARCH=goarch, GOMIPS="softfloat")
    return e


def program(pkg: str, model: dict) -> tuple:
    """A Go main printing the size of every record and the offset of every named member, with the
    C names it stands for; and how many facts it prints."""
    out = ['package main', '', 'import (', '\t"fmt"', '\t"unsafe"', '', '\t"%s"' % pkg, ')', '',
           'func main() {']
    n = 0
    for rec in model["records"]:
        if not rec["c"]:
            continue
        t = "%s.%s{}" % (pkg, rec["go"]["name"])
        out.append('\tfmt.Printf("S\\t%%s\\t%%d\\n", %s, unsafe.Sizeof(%s))' % (json.dumps(rec["c"]), t))
        n += 1
        for m in rec["members"]:
            g = m.get("go")
            if g and g["name"] != "_" and m.get("c"):
                out.append('\tfmt.Printf("O\\t%%s\\t%%s\\t%%d\\n", %s, %s, unsafe.Offsetof(%s.%s))'
                           % (json.dumps(rec["c"]), json.dumps(m["c"]), t, g["name"]))
                n += 1
    for k in model["constants"]:
        if k.get("go") and k.get("int"):
            conv = "int64" if k["int"]["value"].startswith("-") else "uint64"
            out.append('\tfmt.Printf("K\\t%%s\\t%%d\\n", "%s", %s(%s.%s))' % (k["name"], conv, pkg, k["ident"]))
            n += 1
    for e in model["enums"]:
        for v in e["values"]:
            out.append('\tfmt.Printf("E\\t%%s\\t%%s\\t%%d\\n", %s, "%s", %s.%s)' % (json.dumps(e["c"]), v["name"], pkg, v["name"]))
            n += 1
    out.append('}')
    return "\n".join(out) + "\n", n


def one(target: str, spec: str = XSYS, name: str = "", minimum: int = 40) -> None:
    """Probes spec for target (None: native) and checks its Go file there; the spec must give
    at least minimum records."""
    label = (target or "native") + name
    extra = ["--target", target] if target else []
    d = tempfile.mkdtemp(dir=WORK)
    res, mdl = os.path.join(d, "r.json"), os.path.join(d, "model.json")
    p = pptest.run(["probe", spec, "-o", res] + extra)
    if not check("%s: probe" % label, p.returncode == 0, p.stderr[-1500:]):
        return
    with open(res) as f:
        result = json.load(f)
    pkg = "xsys" + re.sub(r"[^a-z0-9]", "", label)
    src = os.path.join(WORK, "gopath", "src", pkg)
    os.makedirs(src)
    gofile = os.path.join(src, "xsys.go")
    model = pptest.bindings(label, spec, res, ["-f", "go", "--package", pkg], gofile, mdl)
    if model is None:
        return
    goarch = model["go"]["goarch"]
    with open(gofile) as f:
        text = f.read()
    check("%s: //go:build linux && %s" % (label, goarch),
          "\n//go:build linux && %s\n" % goarch in text, text[:300])
    g = subprocess.run(["gofmt", "-l", gofile], capture_output=True, text=True)
    check("%s: gofmt -l finds nothing to change" % label, g.returncode == 0 and not g.stdout,
          g.stdout + g.stderr + subprocess.run(["gofmt", "-d", gofile], capture_output=True,
                                               text=True).stdout[:1500])
    env = go_env(goarch)
    v = subprocess.run([GO, "vet", pkg], capture_output=True, text=True, env=env, cwd=src)
    check("%s: go vet with GOARCH=%s" % (label, goarch), v.returncode == 0, v.stderr[-1500:])
    nrec = sum(1 for r in model["records"] if r["c"])
    check("%s: %d records written (at least %d)" % (label, nrec, minimum), nrec >= minimum, "")
    main, nfacts = program(pkg, model)
    mdir = os.path.join(d, "main")
    os.makedirs(mdir)
    with open(os.path.join(mdir, "main.go"), "w") as f:
        f.write(main)
    exe = os.path.join(d, "layouts")
    b = subprocess.run([GO, "build", "-o", exe, "main.go"], capture_output=True, text=True, env=env,
                       cwd=mdir)
    if not check("%s: a Go program using it builds for GOARCH=%s" % (label, goarch),
                 b.returncode == 0, b.stderr[-1500:]):
        return
    wrapper = [QEMU[goarch]] if target else []
    r = subprocess.run(wrapper + [exe], capture_output=True, text=True, timeout=300)
    if not check("%s: it runs%s" % (label, " under " + wrapper[0] if wrapper else ""),
                 r.returncode == 0, r.stderr[-1500:]):
        return
    entries = dict(result["types"], **result["structs"])
    bad, seen = [], 0
    for line in r.stdout.splitlines():
        w = line.split("\t")
        e = entries.get(w[1])
        seen += 1
        if w[0] == "S" and (not e or e["size"] != int(w[2])):
            bad.append("%s: gc %s bytes, result %s" % (w[1], w[2], e and e["size"]))
        elif w[0] == "K" and result["constants"].get(w[1]) != int(w[2]):
            bad.append("%s: Go %s, result %s" % (w[1], w[2], result["constants"].get(w[1])))
        elif w[0] == "E" and result["enums"][w[1]]["values"].get(w[2]) != int(w[3]):
            bad.append("%s: Go %s, result %s" % (w[2], w[3], result["enums"][w[1]]["values"].get(w[2])))
        elif w[0] == "O":
            offs = pptest.field_offsets(e)
            if offs.get(w[2]) != int(w[3]):
                bad.append("%s.%s: gc offset %s, result %s" % (w[1], w[2], w[3], offs.get(w[2])))
    check("%s: unsafe.Sizeof/Offsetof and constants, %d facts, equal the result's" % (label, nfacts),
          not bad and seen == nfacts and nfacts > 2 * minimum, "; ".join(bad[:8]) or "%d lines" % seen)
    if target or spec != XSYS:
        return
    # A layout that is not the probe's does not build: change one asserted size.
    bad_go = re.sub(r"(unsafe\.Sizeof\(Stat_t\{\}\) \^ )(\d+)", lambda m: m.group(1) + str(int(m.group(2)) + 8), text)
    with open(gofile, "w") as f:
        f.write(bad_go)
    v = subprocess.run([GO, "vet", pkg], capture_output=True, text=True, env=env, cwd=src)
    check("%s: a wrong size in the assertions fails go vet" % label,
          bad_go != text and v.returncode != 0 and "overflows" in v.stderr, v.stderr[-800:])


# The hard cases: bit-fields, packed and over-aligned structs, unions, nested and flexible members.
HARD = os.path.join(pptest.TOP, "tests", "bindings", "hard.json")
NAMES = os.path.join(pptest.TOP, "tests", "bindings", "names.json")
for t in (os.environ.get("PP_GO_TARGETS") or "").split() or [None]:
    one(None if t == "native" else t)
    if t in (None, "s390x-linux-gnu"):  # layouts_hard.h has __int128: 64-bit targets only
        one(None if t == "native" else t, HARD, " (hard cases)", 12)
    if t is None:
        one(None, NAMES, " (names)", 3)
pptest.done()
