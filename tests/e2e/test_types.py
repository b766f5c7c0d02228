"""End-to-end: type sizes/alignments/kinds and struct layouts, checked against a hand-written
C program compiled by the same compiler (gcc, then clang). Also: --mode object and --mode run
must give identical JSON, and "fields" must be sorted by offset."""
import atexit, json, os, shutil, subprocess, sys, tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pptest  # noqa: E402
from pptest import check  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data")
WORK = tempfile.mkdtemp(prefix="pptest-types-")
atexit.register(shutil.rmtree, WORK, True)
tempfile.tempdir = WORK  # pptest.cc_run / pptest.probe make their dirs in here: cleaned at exit

HEADERS = ["stddef.h", "sys/types.h", "sys/socket.h", "sys/stat.h", "time.h", "signal.h",
           "setjmp.h", "stdarg.h", "layout.h"]

# (spec name, kind).  The kind is a fact of C (and of my own layout.h); size, alignment,
# signedness and element counts come from the C program below.
TYPES = [
    ("char", "int"), ("signed char", "int"), ("unsigned char", "int"),
    ("short", "int"), ("unsigned short", "int"), ("int", "int"), ("unsigned int", "int"),
    ("long", "int"), ("unsigned long", "int"), ("long long", "int"),
    ("unsigned long long", "int"), ("__int128", "int"), ("unsigned __int128", "int"),
    ("_Bool", "int"), ("float", "float"), ("double", "float"), ("long double", "float"),
    ("void *", "pointer"), ("char **", "pointer"), ("void (*)(int)", "pointer"),
    ("size_t", "int"), ("ssize_t", "int"), ("off_t", "int"), ("time_t", "int"),
    ("wchar_t", "int"), ("socklen_t", "int"),
    ("struct timespec", "struct"), ("union sigval", "union"),
    ("enum TESTENUM", "enum"), ("enum TESTENUM_WIDE", "enum"),
    ("jmp_buf", "array"), ("va_list", "array"),
    ("double _Complex", "complex"), ("float _Complex", "complex"),
    ("struct hard", "struct"), ("union mix", "union"), ("struct packed_s", "struct"),
]

# struct name -> [(field path, kind)], in a deliberately unsorted order.
STRUCTS = [
    ("struct hard", [
        ("d", "float"), ("c0", "int"), ("in", "struct"), ("in.x", "int"), ("in.s", "int"),
        ("u", "union"), ("u.d", "float"), ("u.bytes", "array"), ("u.bytes[7]", "int"),
        ("arr", "array"), ("arr[2].y", "int"), ("arr[3].tag", "int"),
        ("grid", "array"), ("grid[1]", "array"), ("grid[2][4]", "int"),
        ("c1", "int"), ("a16", "int"), ("uc", "int"), ("sc", "int"), ("ld", "float"),
        ("p", "pointer"), ("fp", "pointer"), ("e", "enum"), ("ull", "int"),
        ("flag", "int"), ("f", "float"),
    ]),
    ("struct packed_s", [("ll", "int"), ("s", "int"), ("c", "int"), ("i", "int"), ("d", "float")]),
    ("struct cd", [("d", "float"), ("c", "int")]),
    ("struct withld", [("tail", "int"), ("ld", "float"), ("c", "int")]),
    ("struct alignas_s", [("after", "int"), ("buf[2]", "int"), ("buf", "array"), ("c", "int")]),
    ("struct outer2", [("last", "int"), ("um[1].bytes[11]", "int"), ("um[1].d", "float"),
                       ("um", "array"), ("pk.d", "float"), ("pk", "struct"), ("s", "int")]),
    ("union mix", [("bytes", "array"), ("d", "float"), ("i", "int")]),
    ("struct timespec", [("tv_nsec", "int"), ("tv_sec", "int")]),
    ("struct stat", [("st_mtim.tv_nsec", "int"), ("st_size", "int"), ("st_mode", "int"),
                     ("st_mtim", "struct"), ("st_ino", "int")]),
]


def spec():
    return {
        "headers": HEADERS,
        "include_dirs": [DATA],
        "types": [t for t, _ in TYPES],
        "structs": [{"name": s, "fields": [f for f, _ in fields]} for s, fields in STRUCTS],
    }


def check_program():
    """The hand-written C check program: one line of facts per type and per field."""
    out = ["#include <stdio.h>"] + [f'#include "{h}"' if h == "layout.h" else f"#include <{h}>"
                                     for h in HEADERS]
    out.append("int main(void) {")
    for i, (t, kind) in enumerate(TYPES):
        sgn = f"(int)(({t})-1 < ({t})0)" if kind in ("int", "enum") else "-1"
        cnt = f"sizeof({t}) / sizeof((*({t} *)0)[0])" if kind == "array" else "(size_t)0"
        isarr = (f"!__builtin_types_compatible_p({t}, __typeof__(&(*({t} *)0)[0]))"
                 if kind == "array" else "0")
        out.append(f'  printf("T {i} %zu %zu %zu %d %zu %d\\n", sizeof({t}), _Alignof({t}), '
                   f"__alignof__({t}), {sgn}, {cnt}, {isarr});")
    for si, (s, fields) in enumerate(STRUCTS):
        out.append(f'  printf("S {si} %zu %zu %zu\\n", sizeof({s}), _Alignof({s}), __alignof__({s}));')
        for fi, (f, kind) in enumerate(fields):
            x = f"((({s} *)0)->{f})"
            sgn = f"(int)((__typeof__({x}))-1 < (__typeof__({x}))0)" if kind in ("int", "enum") else "-1"
            cnt = f"sizeof({x}) / sizeof({x}[0])" if kind == "array" else "(size_t)0"
            out.append(f'  printf("F {si} {fi} %zu %zu %d %zu\\n", offsetof({s}, {f}), sizeof({x}), '
                       f"{sgn}, {cnt});")
    out.append('  printf("X %zu %zu %zu %d\\n", sizeof(int), sizeof(long), sizeof(void *), '
               "(int)((char)-1 < 0));")
    out.append("  return 0;\n}")
    return "\n".join(out) + "\n"


def expected(cc):
    text = pptest.cc_run(check_program(), cflags=["-I", DATA], cc=cc)
    types, structs, target = {}, {}, {}
    for line in text.splitlines():
        w = line.split()
        if w[0] == "T":
            i, size, align, palign, sgn, cnt, isarr = map(int, w[1:])
            name, kind = TYPES[i]
            if kind == "array" and not isarr:
                raise SystemExit(f"test bug: {name} is not an array type here")
            e = {"size": size, "align": align, "kind": kind}
            if palign != align:
                e["preferred_align"] = palign
            if kind in ("int", "enum"):
                e["signed"] = bool(sgn)
            if kind == "array":
                e["count"] = cnt
            types[name] = e
        elif w[0] == "S":
            si, size, align, palign = map(int, w[1:])
            e = {"size": size, "align": align, "fields": {}}
            if palign != align:
                e["preferred_align"] = palign
            structs[STRUCTS[si][0]] = e
        elif w[0] == "F":
            si, fi, off, size, sgn, cnt = map(int, w[1:])
            sname, fields = STRUCTS[si]
            fname, kind = fields[fi]
            e = {"name": fname, "offset": off, "size": size, "kind": kind}
            if kind in ("int", "enum"):
                e["signed"] = bool(sgn)
            if kind == "array":
                e["count"] = cnt
            structs[sname]["fields"][fname] = e
        elif w[0] == "X":
            isz, lsz, psz, cs = map(int, w[1:])
            model = {(4, 8, 8): "LP64", (4, 4, 8): "LLP64", (4, 4, 4): "ILP32",
                     (8, 8, 8): "ILP64"}.get((isz, lsz, psz))
            target = {"pointer_size": psz, "char_signed": bool(cs), "data_model": model,
                      "endian": sys.byteorder}
    return types, structs, target


def probe(cc, mode):
    d = tempfile.mkdtemp(dir=WORK)
    p, doc = pptest.probe(spec(), ["--cc", cc, "--mode", mode], tmpdir=d)
    ok = check(f"{cc} {mode}: probe exits 0 with JSON", p.returncode == 0 and doc is not None,
               f"exit {p.returncode}, stderr: {p.stderr[-3000:]}")
    return doc if ok else None


def compare(cc, mode, doc, exp):
    types, structs, target = exp
    tag = f"{cc} {mode}"
    check(f"{tag}: platprobe version key", doc.get("platprobe") == 1, repr(doc.get("platprobe")))
    got_t = doc.get("types") or {}
    check(f"{tag}: types keep spec order", list(got_t) == [t for t, _ in TYPES], repr(list(got_t)))
    for name, e in types.items():
        check(f"{tag}: type {name!r}", got_t.get(name) == e, f"got {got_t.get(name)!r}, expected {e!r}")
    got_s = doc.get("structs") or {}
    check(f"{tag}: structs keep spec order", list(got_s) == [s for s, _ in STRUCTS], repr(list(got_s)))
    for sname, e in structs.items():
        g = got_s.get(sname)
        if not check(f"{tag}: struct {sname!r} present", isinstance(g, dict), repr(g)):
            continue
        for k in ("size", "align"):
            check(f"{tag}: struct {sname!r} {k}", g.get(k) == e[k], f"got {g.get(k)!r}, expected {e[k]!r}")
        check(f"{tag}: struct {sname!r} preferred_align", g.get("preferred_align") == e.get("preferred_align"),
              f"got {g.get('preferred_align')!r}, expected {e.get('preferred_align')!r}")
        extra = set(g) - {"size", "align", "fields", "preferred_align", "kind"}
        check(f"{tag}: struct {sname!r} has no unknown keys", not extra, repr(extra))
        if "kind" in g:
            check(f"{tag}: struct {sname!r} kind", g["kind"] == sname.split()[0], repr(g["kind"]))
        fl = g.get("fields")
        if not check(f"{tag}: struct {sname!r} fields is a list", isinstance(fl, list), repr(fl)):
            continue
        offs = [f.get("offset", -1) for f in fl]
        check(f"{tag}: struct {sname!r} fields sorted by offset", offs == sorted(offs),
              repr([(f.get("name"), f.get("offset")) for f in fl]))
        names = [f.get("name") for f in fl]
        check(f"{tag}: struct {sname!r} has each field once", sorted(names) == sorted(e["fields"]),
              f"got {names!r}")
        byname = {f.get("name"): f for f in fl}
        for fname, fe in e["fields"].items():
            gf = byname.get(fname)
            if fe["kind"] == "enum" and isinstance(gf, dict) and gf.get("kind") == "int":
                # the contract's known gap: enums are only detected when the spec writes
                # "enum TAG"; a field declared with an enum type may show as "int"
                fe = dict(fe, kind="int")
            if fe.get("bit_size") and isinstance(gf, dict) and "signed" in gf:
                # debug information adds a bit-field's signedness (issue 4); the bit-field
                # test checks its value
                fe = dict(fe, signed=gf["signed"])
            check(f"{tag}: {sname!r} field {fname!r}", pptest.core(gf) == fe, f"got {gf!r}, expected {fe!r}")
    tg = doc.get("target") or {}
    for k, v in target.items():
        check(f"{tag}: target {k}", tg.get(k) == v, f"got {tg.get(k)!r}, expected {v!r}")


def compiler_facts(cc):
    machine = subprocess.run([cc, "-dumpmachine"], capture_output=True, text=True).stdout.strip()
    flag = "-dumpfullversion" if cc == "gcc" else "-dumpversion"
    version = subprocess.run([cc, flag], capture_output=True, text=True).stdout.strip()
    return machine, version


def main():
    for cc in ("gcc", "clang"):
        exp = expected(cc)
        docs = {}
        for mode in ("object", "run"):
            doc = probe(cc, mode)
            if doc is not None:
                compare(cc, mode, doc, exp)
                docs[mode] = doc
        if len(docs) == 2:
            check(f"{cc}: --mode object and --mode run give identical JSON",
                  docs["object"] == docs["run"],
                  f"object: {json.dumps(docs['object'])[:1500]}\nrun: {json.dumps(docs['run'])[:1500]}")
        if docs:
            tg = next(iter(docs.values())).get("target") or {}
            machine, version = compiler_facts(cc)
            check(f"{cc}: target triple from the compiler", tg.get("triple") == machine,
                  f"got {tg.get('triple')!r}, '{cc} -dumpmachine' says {machine!r}")
            check(f"{cc}: target compiler_version", tg.get("compiler_version") == f"{cc} {version}",
                  f"got {tg.get('compiler_version')!r}, expected {cc + ' ' + version!r}")
            check(f"{cc}: target compiler names the compiler", cc in str(tg.get("compiler")),
                  repr(tg.get("compiler")))
    # the default compiler (cc, or $CC) must agree with gcc on this machine's facts
    d = tempfile.mkdtemp(dir=WORK)
    path = os.path.join(d, "spec.json")
    with open(path, "w") as f:
        json.dump(spec(), f)
    env = {k: v for k, v in os.environ.items() if k != "CC"}
    p = subprocess.run([pptest.PLATPROBE, "probe", path], capture_output=True, text=True, env=env)
    doc = json.loads(p.stdout) if p.returncode == 0 else None
    if check("default compiler cc: probe exits 0", doc is not None, p.stderr[-2000:]):
        compare("cc", "object", doc, expected("cc"))
    pptest.done()


if __name__ == "__main__":
    main()
