"""A C check program made from a spec's names: it prints sizeof, _Alignof, offsetof, the
constants' values and #ifdef answers, compiled by the same compiler (and run natively or under an
exec wrapper such as qemu or wine), so platprobe's answers can be compared with the compiler's
own. Shared by test_posix_spec.py and test_cross.py."""
import concurrent.futures
import os
import shlex
import shutil
import subprocess
import tempfile

import pptest
from pptest import check


def nm(e):
    return e if isinstance(e, str) else e["name"]


def optional(e):
    return isinstance(e, dict) and bool(e.get("optional", False))


def prelude(spec, extra=""):
    """#defines and #includes of SPEC, then the check helpers."""
    PRELUDE = extra + "".join(f"#define {k} {v}\n" for k, v in spec.get("defines", {}).items())
    for h in spec["headers"]:
        # an optional header is included only where it exists, as platprobe does
        PRELUDE += (f"#if __has_include(<{h['name']}>)\n#include <{h['name']}>\n#endif\n"
                    if isinstance(h, dict) else f"#include <{h}>\n")
    PRELUDE += r"""#include <stdio.h>
#include <stdint.h>
#include <stddef.h>
__attribute__((unused)) static void pr_i(const char *n, intmax_t v) { printf("C\t%s\ti\t%jd\n", n, v); }
__attribute__((unused)) static void pr_u(const char *n, uintmax_t v) { printf("C\t%s\ti\t%ju\n", n, v); }
__attribute__((unused)) static void pr_d(const char *n, double v) { printf("C\t%s\td\t%.17g\n", n, v); }
__attribute__((unused)) static void pr_ld(const char *n, long double v) { printf("C\t%s\td\t%.21Lg\n", n, v); }
__attribute__((unused)) static void pr_s(const char *n, const char *v) {
  printf("C\t%s\ts\t", n); for (; *v; v++) printf("%02x", (unsigned char)*v); printf("\n"); }
__attribute__((unused)) static void pr_p(const char *n, const void *v) { printf("C\t%s\ti\t%ju\n", n, (uintmax_t)(uintptr_t)v); }
__attribute__((unused)) static void pr_fp(const char *n, void (*v)(int)) { printf("C\t%s\ti\t%ju\n", n, (uintmax_t)(uintptr_t)v); }
#define PV(n, x) _Generic((x), float: pr_d, double: pr_d, long double: pr_ld, \
   char *: pr_s, const char *: pr_s, void *: pr_p, void (*)(int): pr_fp, \
   unsigned char: pr_u, unsigned short: pr_u, unsigned int: pr_u, unsigned long: pr_u, \
   unsigned long long: pr_u, default: pr_i)(n, x)
/* classification of an expression E (never evaluated) */
#define CLE(E) __builtin_classify_type(E)
#define ISINTE(E) (CLE(E) == 1 || CLE(E) == 4)
#define SGE(E) __builtin_choose_expr(ISINTE(E), ((__typeof__(__builtin_choose_expr(ISINTE(E), (E), 0)))-1 < 0), 0)
#define ISARRE(E) __builtin_choose_expr(CLE(E) == 5, !__builtin_types_compatible_p(__typeof__(E), __typeof__(0 ? (E) : (E))), 0)
#define CNTE(E) (ISARRE(E) ? sizeof(E) * 1 / sizeof(*__builtin_choose_expr(ISARRE(E), (E), (char *)0)) : 0)
#define TE(T) (*(__typeof__(T) *)0)
#define FE(S, f) (((S *)0)->f)
"""

    return PRELUDE



def type_snip(t):
    return "", (f'printf("T\\t%s\\t%zu\\t%zu\\t%zu\\t%d\\t%d\\t%d\\t%zu\\n", "{t}", '
                f"sizeof(__typeof__({t})), _Alignof(__typeof__({t})), __alignof__(__typeof__({t})), "
                f"CLE(TE({t})), SGE(TE({t})), ISARRE(TE({t})), (size_t)CNTE(TE({t})));")


def struct_snip(s):
    return "", (f'printf("S\\t%s\\t%zu\\t%zu\\t%zu\\n", "{s}", sizeof({s}), _Alignof({s}), '
                f"__alignof__({s}));")


def field_snip(s, f):
    return "", (f'printf("F\\t%s\\t%s\\t%zu\\t%zu\\t%d\\t%d\\t%d\\t%zu\\n", "{s}", "{f}", '
                f"offsetof({s}, {f}), sizeof(FE({s}, {f})), CLE(FE({s}, {f})), SGE(FE({s}, {f})), "
                f"ISARRE(FE({s}, {f})), (size_t)CNTE(FE({s}, {f})));")


def const_snip(i, c):
    # a static initializer: the value must be a compile-time constant, as in object mode
    return f"static const __typeof__({c}) k_{i} = {c};\n", f'PV("{c}", k_{i});'


def defined_snip(d):
    return "", (f'#ifdef {d}\nprintf("D\\t%s\\t1\\n", "{d}");\n#else\n'
                f'printf("D\\t%s\\t0\\n", "{d}");\n#endif')


def func_snip(i, fn):
    return (f"void (*volatile fn_{i})(void) = (void (*)(void))&{fn};\n",
            f'printf("P\\t%s\\t%d\\n", "{fn}", fn_{i} != 0);')


def program(snips, pre):
    return (pre + "".join(g for g, _ in snips) + "int main(void) {\n"
            + "\n".join(m for _, m in snips) + "\nreturn 0;\n}\n")


def env_flags():
    return shlex.split(os.environ.get("CPPFLAGS", "")) + shlex.split(os.environ.get("CFLAGS", ""))


def compiles(cc, src, link=False, libs=()):
    """True when SRC compiles (and links with LIBS, if LINK) with CC."""
    d = tempfile.mkdtemp()
    c = os.path.join(d, "t.c")
    with open(c, "w") as f:
        f.write(src)
    cmd = cc + env_flags() + [c, "-o", os.path.join(d, "t.out" if link else "t.o")]
    cmd += ["-c"] if not link else list(libs)
    p = subprocess.run(cmd, capture_output=True, text=True)
    shutil.rmtree(d, ignore_errors=True)
    return p.returncode == 0


def parse_check_output(out):
    r = {"types": {}, "structs": {}, "constants": {}, "defined": {}, "functions": {}}
    for line in out.splitlines():
        f = line.split("\t")
        if f[0] == "T":
            r["types"][f[1]] = dict(size=int(f[2]), align=int(f[3]), palign=int(f[4]),
                                    cls=int(f[5]), signed=bool(int(f[6])), array=bool(int(f[7])),
                                    count=int(f[8]))
        elif f[0] == "S":
            r["structs"][f[1]] = dict(size=int(f[2]), align=int(f[3]), palign=int(f[4]), fields={})
        elif f[0] == "F":
            r["structs"][f[1]]["fields"][f[2]] = dict(
                offset=int(f[3]), size=int(f[4]), cls=int(f[5]), signed=bool(int(f[6])),
                array=bool(int(f[7])), count=int(f[8]))
        elif f[0] == "C":
            kind, v = f[2], f[3]
            r["constants"][f[1]] = (int(v) if kind == "i" else float(v) if kind == "d"
                                    else bytes.fromhex(v).decode("utf-8", "surrogateescape"))
        elif f[0] == "D":
            r["defined"][f[1]] = f[2] == "1"
        elif f[0] == "P":
            r["functions"][f[1]] = True
    return r


def expected_kind(name, c):
    if c["cls"] in (1, 4):
        return "enum" if name.startswith("enum ") else "int"
    if c["cls"] == 5:
        return "array" if c["array"] else "pointer"
    return {8: "float", 9: "complex", 12: "struct", 13: "union", 10: "function"}.get(c["cls"], "?")


def shape_problems(got, c, name, is_field=False):
    """size/align/kind/signed/count of one type or field vs the C program's answer C: a list."""
    bad = []
    if got.get("size") != c["size"]:
        bad.append(f"size platprobe {got.get('size')} C {c['size']}")
    if not is_field:
        if got.get("align") != c["align"]:
            bad.append(f"align platprobe {got.get('align')} C {c['align']}")
        want_p = c["palign"] if c["palign"] != c["align"] else None
        if got.get("preferred_align") != want_p:
            bad.append(f"preferred_align platprobe {got.get('preferred_align')} C {want_p}")
    kind = expected_kind(name, c)
    if got.get("kind") != kind:
        bad.append(f"kind platprobe {got.get('kind')!r} C {kind!r}")
    if kind in ("int", "enum") and got.get("signed") is not c["signed"]:
        bad.append(f"signed platprobe {got.get('signed')!r} C {c['signed']!r}")
    if kind == "array" and got.get("count") != c["count"]:
        bad.append(f"count platprobe {got.get('count')} C {c['count']}")
    return bad


def summary(label, what, n, bad):
    check(f"{label}: {n} {what}", n > 0 and not bad,
          f"{len(bad)} wrong: " + "; ".join(bad[:25]) if bad else "nothing compared")


def verify(label, spec, doc, cc, wrapper=None, extra="", libs=()):
    """Check platprobe's DOC (SPEC probed with compiler CC, a word list) against a C program
    compiled by CC (linked with LIBS) and run here, or under WRAPPER (qemu, wine) for a cross
    target."""
    types = spec.get("types", [])
    structs = spec.get("structs", [])
    constants = spec.get("constants", [])
    defined = spec.get("defined", [])
    functions = spec.get("functions", [])
    pre = prelude(spec, extra)
    # 1. what platprobe answered goes into one C program; what it left out must not compile
    present, absent = [], []   # (key, snippet)
    for e in types:
        t = nm(e)
        (present if doc["types"].get(t) is not None else absent).append((("types", t), type_snip(t)))
    for s in structs:
        S = s["name"]
        got = doc["structs"].get(S)
        if got is None:
            absent.append((("structs", S), struct_snip(S)))
            continue
        present.append((("structs", S), struct_snip(S)))
        names = {fl.get("name") for fl in got.get("fields", [])}
        for fe in s.get("fields", []):
            fname = nm(fe)
            (present if fname in names else absent).append(
                (("fields", S, fname), field_snip(S, fname)))
    for i, e in enumerate(constants):
        c = nm(e)
        (present if doc["constants"].get(c) is not None else absent).append(
            (("constants", c), const_snip(i, c)))
    for e in defined:
        present.append((("defined", nm(e)), defined_snip(nm(e))))
    for i, e in enumerate(functions):
        if doc["functions"].get(nm(e)) is False:
            absent.append((("functions", nm(e)), func_snip(i, nm(e))))

    src = program([s for _, s in present], pre)
    try:
        out = pptest.cc_run(src, cflags=cc[1:] + env_flags(), libs=libs, cc=cc[0], wrapper=wrapper)
    except subprocess.CalledProcessError as ex:
        check(f"{label}: C check program built from platprobe's answered entries", False, str(ex))
        return
    c = parse_check_output(out)

    # 2. entries platprobe could not answer: the compiler must reject them too
    def rejected(item):
        key, snip = item
        return key, not compiles(cc, program([snip], pre), link=key[0] == "functions", libs=libs)
    with concurrent.futures.ThreadPoolExecutor(8) as ex:
        wrong = [" ".join(key) for key, ok in ex.map(rejected, absent) if not ok]
    if absent:  # a spec whose optional entries all exist here has nothing to reject
        summary(label, "unanswered optional entries that the compiler rejects too", len(absent),
                wrong)
    # required entries are never unanswered when the exit status is 0
    req_absent = []
    for (key, _) in absent:
        if key[0] == "fields":
            s = next(x for x in structs if x["name"] == key[1])
            fe = next(x for x in s["fields"] if nm(x) == key[2])
            if not optional(s) and not optional(fe):
                req_absent.append(" ".join(key))
        else:
            lst = {"types": types, "structs": structs, "constants": constants,
                   "functions": functions}[key[0]]
            e = next(x for x in lst if nm(x) == key[1])
            if not optional(e):
                req_absent.append(" ".join(key))
    check(f"{label}: every required entry answered", not req_absent, "; ".join(req_absent))

    # 3. the answered values
    bad = []
    for t, ct in c["types"].items():
        bad += [f'"{t}" {b}' for b in shape_problems(doc["types"][t], ct, t)]
    summary(label, "types match sizeof/_Alignof/kind from the C program", len(c["types"]), bad)
    bad, nf = [], 0
    for S, cs in c["structs"].items():
        got = doc["structs"][S]
        if got.get("size") != cs["size"]:
            bad.append(f"\"{S}\" size platprobe {got.get('size')} C {cs['size']}")
        if got.get("align") != cs["align"]:
            bad.append(f"\"{S}\" align platprobe {got.get('align')} C {cs['align']}")
        want_p = cs["palign"] if cs["palign"] != cs["align"] else None
        if got.get("preferred_align") != want_p:
            bad.append(f"\"{S}\" preferred_align platprobe {got.get('preferred_align')} C {want_p}")
        fields = got.get("fields", [])
        offs = [fl.get("offset", -1) for fl in fields]
        if offs != sorted(offs):
            bad.append(f"\"{S}\" fields not sorted by offset: {offs}")
        gf = {fl.get("name"): fl for fl in fields}
        if len(gf) != len(fields) or set(gf) != set(cs["fields"]):
            bad.append(f"\"{S}\" field names {sorted(gf)} expected {sorted(cs['fields'])}")
        for fname, cf in cs["fields"].items():
            nf += 1
            g = gf.get(fname, {})
            if g.get("offset") != cf["offset"]:
                bad.append(f"\"{S}\" \"{fname}\" offset platprobe {g.get('offset')} C {cf['offset']}")
            bad += [f'"{S}" "{fname}" {b}' for b in shape_problems(g, cf, fname, is_field=True)]
    summary(label, f"structs ({nf} fields) match sizeof/offsetof from the C program",
            len(c["structs"]), bad)
    bad = []
    for k, v in c["constants"].items():
        got = doc["constants"][k]
        if isinstance(v, float):
            ok = isinstance(got, float) and got == v
        elif isinstance(v, int):
            ok = isinstance(got, int) and not isinstance(got, bool) and got == v
        else:
            ok = got == v
        if not ok:
            bad.append(f"{k} platprobe {got!r} C {v!r}")
    summary(label, "constants match the C program's values", len(c["constants"]), bad)
    bad = [f"{k} platprobe {doc['defined'].get(k)!r} C {v!r}" for k, v in c["defined"].items()
           if doc["defined"].get(k) is not v]
    summary(label, "defined answers match #ifdef", len(c["defined"]), bad)

    # 4. functions: required ones found; found ones link (autoconf-style, no headers)
    required = [nm(e) for e in functions if not optional(e)]
    if required:  # a spec whose functions are all optional has nothing to check here
        bad = [f for f in required if doc["functions"].get(f) is not True]
        summary(label, "required functions found", len(required), bad)
    found = [nm(e) for e in functions if doc["functions"].get(nm(e)) is True]
    link_src = ("".join(f"char {f}(void);\n" for f in found)
                + "int main(void) {\n  long s = 0;\n"
                + "".join(f"  s += (long)&{f};\n" for f in found) + "  return s == 0;\n}\n")
    check(f"{label}: the {len(found)} functions found link", compiles(cc, link_src, link=True, libs=libs),
          "a program referencing them did not link")
