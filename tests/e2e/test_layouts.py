"""Whole layouts (issue 4). Every member of 49 real structs from libc and Linux headers and of the
hand-written hard cases (data/layouts_hard.h) is compared with pahole reading the DWARF of the very
object platprobe compiled (--keep-temps): on x86_64 (gcc and clang), on big-endian s390x and on
aarch64 (cross, object mode). Beside pahole: the same members listed by name are answered by the
generated code with the same facts; every type name compiles as that member's type; bit-field
signedness and enum values match a C program; run mode gives the same JSON; show prints it."""
import atexit, json, os, re, shutil, subprocess, sys, tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pptest  # noqa: E402
from pptest import check  # noqa: E402
import layouts  # noqa: E402

WORK = tempfile.mkdtemp(prefix="pptest-layouts-")
atexit.register(shutil.rmtree, WORK, True)
tempfile.tempdir = WORK
DATA = os.path.join(pptest.TOP, "tests", "e2e", "data")

REAL_HEADERS = ["sys/types.h", "sys/stat.h", "signal.h", "sys/socket.h", "sys/un.h", "netinet/in.h",
                "netinet/ip.h", "netinet/tcp.h", "netinet/udp.h", "netinet/ip_icmp.h", "termios.h",
                "sys/timex.h", "sys/epoll.h", "sys/statvfs.h", "sys/resource.h", "sys/time.h", "dirent.h",
                "sys/uio.h", "poll.h", "sys/utsname.h", "pwd.h", "grp.h", "netdb.h", "fcntl.h", "time.h",
                "sys/ipc.h", "sys/shm.h", "sched.h", "ucontext.h", "sys/inotify.h", "sys/signalfd.h",
                "sys/sysinfo.h", "sys/select.h", "linux/perf_event.h", "linux/input.h", "linux/bpf.h",
                "linux/if_ether.h"]
REAL = ["struct stat", "struct sigaction", "siginfo_t", "struct msghdr", "struct cmsghdr", "struct termios",
        "struct timex", "struct ip", "struct tcphdr", "struct udphdr", "struct icmphdr", "struct iphdr",
        "struct epoll_event", "struct statvfs", "struct rusage", "struct dirent", "struct tm",
        "struct timespec", "struct itimerval", "struct sockaddr_in", "struct sockaddr_in6",
        "struct sockaddr_un", "struct sockaddr_storage", "struct in6_addr", "struct iovec", "struct pollfd",
        "struct utsname", "struct passwd", "struct group", "struct addrinfo", "struct hostent", "struct flock",
        "stack_t", "union sigval", "struct sigevent", "struct ipc_perm", "struct shmid_ds", "struct sched_param",
        "ucontext_t", "struct inotify_event", "struct signalfd_siginfo", "struct sysinfo",
        "struct perf_event_attr", "struct input_event", "union bpf_attr", "struct ethhdr", "struct rlimit",
        "fd_set", "struct linger"]
REAL_SPEC = {"defines": {"_GNU_SOURCE": "1"}, "headers": REAL_HEADERS, "structs": REAL,
             "enums": ["enum bpf_cmd", "enum perf_type_id", "enum __socket_type"]}

HARD = ["struct hard_bits", "struct hard_unit_edges", "struct hard_nest", "struct hard_packed",
        "struct hard_packed_member", "struct hard_aligned", "struct hard_aligned_struct", "struct hard_pack2",
        "struct hard_pack1", "struct hard_types", "union hard_union", "struct hard_empty_tail", "hard_div"]
HARD_ENUMS = {  # names and values as written in layouts_hard.h
    "enum hard_e": (4, True, {"HE_NEG": -1, "HE_POS": 5, "HE_MAX": 0x7fffffff}),
    "enum hard_u": (4, False, {"HU_BIG": 0xffffffff, "HU_ONE": 1}),
    "enum hard_l": (8, True, {"HL_BIG": 0x100000000, "HL_NEG": -5}),
    "enum hard_ul": (8, False, {"HUL_TOP": 0xffffffffffffffff, "HUL_ZERO": 0}),
    "enum hard_ll": (8, True, {"HLL_MIN": -0x8000000000000000, "HLL_MAX": 0x7fffffffffffffff}),
    "enum hard_p": (1, False, {"HP_A": 0, "HP_B": 200}),
    "enum hard_ps": (1, True, {"HPS_A": -100, "HPS_B": 100}),
    "enum hard_p16": (2, False, {"HP16_A": 0, "HP16_B": 0xfffe}),
    "hard_typedef_enum": (4, True, {"HT_A": 3, "HT_B": -3}),
}
HARD_SPEC = {"include_dirs": [DATA], "headers": ["layouts_hard.h"],
             "structs": [{"name": s, "fields": "*"} for s in HARD] + ["struct hard_exotic"],
             "enums": list(HARD_ENUMS)}

TARGETS = [("x86_64", "cc"), ("s390x", "s390x-linux-gnu-gcc"), ("aarch64", "aarch64-linux-gnu-gcc")]


def tags(names):
    return [n.split()[-1] for n in names]


def against_pahole(tag, spec, names, extra=()):
    """Probes spec keeping its object, compares every struct in names with pahole on that object."""
    p, doc, keep = layouts.probe_keep(spec, extra)
    try:
        if not check(f"{tag}: probes", p.returncode == 0 and doc, p.stderr[-2000:]):
            return None
        obj = os.path.join(keep, "probe.o")
        blocks = layouts.parse_pahole(layouts.pahole(obj, tags(names)))
        n = 0
        for name in names:
            n += layouts.compare_block(tag, name, doc["structs"][name], blocks.get(name.split()[-1]))
        check(f"{tag}: compared {n} members with pahole", n > 0, str(n))
        doc["_object"] = enum_names(obj)
        return doc
    finally:
        layouts.rm_keep(keep)


def enum_names(obj):
    """Enumerator names per enum tag, read by binutils' readelf (a DWARF reader other than libdw)."""
    out = subprocess.run(["readelf", "--debug-dump=info", obj], capture_output=True, text=True).stdout
    enums, cur, depth = {}, None, None
    tag = None
    for line in out.splitlines():
        m = re.match(r"\s*<(\d+)><[0-9a-f]+>: Abbrev Number: \d+ \((\w+)\)", line)
        if m:
            d, tag = int(m.group(1)), m.group(2)
            if cur is not None and d <= depth:
                cur = None
            if tag == "DW_TAG_enumeration_type":
                cur, depth = [], d
                enums.setdefault("", []).append(cur)
            continue
        m = re.match(r"\s*<[0-9a-f]+>\s+DW_AT_name\s*:\s*(?:\(.*?\):\s*)?(\S+)", line)
        if m and cur is not None:
            if tag == "DW_TAG_enumeration_type":
                enums[m.group(1)] = cur
            elif tag == "DW_TAG_enumerator":
                cur.append(m.group(1))
    return enums


def c_enum_values(headers, defines, incdirs, names):
    """Each enumerator's value printed by a C program (exact over 64 bits, signed or not)."""
    src = "".join(f"#define {k} {v}\n" for k, v in defines.items())
    src += "".join(f"#include <{h}>\n" for h in headers) + "#include <stdio.h>\nint main(void) {\n"
    for n in names:
        src += (f'\tif ({n} < 0) printf("%s %lld\\n", "{n}", (long long){n}); '
                f'else printf("%s %llu\\n", "{n}", (unsigned long long){n});\n')
    src += "\treturn 0;\n}\n"
    out = pptest.cc_run(src, [f"-I{d}" for d in incdirs])
    return {a: int(b) for a, b in (l.split() for l in out.splitlines())}


def check_enums(tag, doc, spec, expected=None):
    names = [v for e in doc["enums"].values() if e for v in e["values"]]
    cvals = c_enum_values(spec["headers"], spec.get("defines", {}), spec.get("include_dirs", []), names)
    for ename, e in doc["enums"].items():
        if not check(f"{tag}: {ename} answered", e is not None, ""):
            continue
        got = e["values"]
        check(f"{tag}: {ename} values as the C program prints them",
              all(cvals.get(k) == v for k, v in got.items()), f"{got} vs {cvals}")
        tagname = ename.split()[-1]
        if tagname in doc["_object"]:
            check(f"{tag}: {ename} enumerators as readelf lists them", list(got) == doc["_object"][tagname],
                  f"{list(got)} vs {doc['_object'][tagname]}")
        if expected:
            size, sgn, vals = expected[ename]
            check(f"{tag}: {ename} as written in layouts_hard.h",
                  (e["size"], e["signed"], got) == (size, sgn, vals), repr(e))


def defined_in(spec):
    return layouts.macros(spec["headers"], spec.get("defines"), spec.get("include_dirs", []))


def listed_spec(spec, doc):
    """The same structs with every named member listed (so the generated code answers them), but
    flexible arrays (sizeof refuses them), _Atomic members (clang's __typeof__ cannot classify
    them) and paths through a name that is also a macro (glibc's si_pid)."""
    defined = defined_in(spec)
    structs = []
    for name in [s if isinstance(s, str) else s["name"] for s in spec["structs"]]:
        got = doc["structs"].get(name)
        if not got or not got.get("fields_complete"):
            continue
        fields = [f["name"] for f in layouts.walk(got["fields"]) if f["name"] and not f.get("flexible")
                  and "_Atomic" not in (f.get("type") or "") and layouts.writable(f["name"], defined)]
        structs.append({"name": name, "fields": fields})
    return dict(spec, structs=structs, enums=[])


CORE = ("offset", "size", "kind", "signed", "count", "bit_offset", "bit_size", "type")


def check_listed(tag, spec, doc, extra=()):
    """Generated code (listed fields) and DWARF (whole layout) agree on every member."""
    p, ldoc = pptest.probe(listed_spec(spec, doc), extra)
    if not check(f"{tag}: every member listed by name probes", p.returncode == 0 and ldoc, p.stderr[-2000:]):
        return
    n = 0
    for name, got in ldoc["structs"].items():
        whole = {f["name"]: f for f in layouts.walk(doc["structs"][name]["fields"]) if f["name"]}
        for f in got.get("fields", []):
            w = whole[f["name"]]
            a = {k: f.get(k) for k in CORE}
            b = {k: w.get(k) for k in CORE}
            check(f"{tag}: {name}.{f['name']} listed = whole", a == b, f"listed {a} whole {b}")
            n += 1
        check(f"{tag}: {name} size and align listed = whole",
              (got["size"], got["align"]) == (doc["structs"][name]["size"], doc["structs"][name]["align"]), "")
    check(f"{tag}: compared {n} listed members with the whole layouts", n > 100 or "hard" in tag, str(n))


def check_types_compile(tag, spec, doc, cc):
    lines = "".join(f"#define {k} {v}\n" for k, v in spec.get("defines", {}).items())
    lines += "".join(f"#include <{h}>\n" for h in spec["headers"]) + "#include <complex.h>\n"
    n = 0
    defined = defined_in(spec)
    for name, got in doc["structs"].items():
        if got and got.get("fields_complete"):
            asserts = layouts.type_checks(name, got["fields"], defined)
            n += len(asserts)
            lines += "\n".join(asserts) + "\n"
    src = os.path.join(WORK, "types.c")
    with open(src, "w") as f:
        f.write(lines)
    r = subprocess.run([cc, *[f"-I{d}" for d in spec.get("include_dirs", [])], "-c", src, "-o",
                        os.path.join(WORK, "types.o")], capture_output=True, text=True)
    check(f"{tag}: {n} member type names compile as those members' types", r.returncode == 0 and n > 20,
          r.stderr[-2000:])


def check_bitfield_signs(doc):
    """x86_64: -1 stored in each bit-field reads back negative exactly when platprobe says signed."""
    src = '#include <stdio.h>\n#include "layouts_hard.h"\nint main(void) {\n'
    expect = []
    for name, got in doc["structs"].items():
        for f in layouts.walk(got["fields"] if got else []):
            if "bit_size" in f and f["name"] and got["kind"] == "struct" and "[" not in f["name"]:
                src += f'\t{{ {name} s = {{0}}; s.{f["name"]} = -1; printf("%d\\n", s.{f["name"]} < 0); }}\n'
                expect.append((f"{name}.{f['name']}", f["signed"]))
    src += "\treturn 0;\n}\n"
    out = pptest.cc_run(src, [f"-I{DATA}"]).split()
    for (label, sgn), o in zip(expect, out):
        check(f"bit-field {label} signed={sgn} (C program)", bool(int(o)) == sgn, o)
    check(f"checked the signedness of {len(expect)} bit-fields", len(expect) >= 20 and len(out) == len(expect),
          str(len(expect)))


# ---- real structs: x86_64, s390x (big endian), aarch64 ----
docs = {}
for arch, cc in TARGETS:
    spec = REAL_SPEC
    d = against_pahole(f"real {arch}", spec, REAL, ["--cc", cc])
    docs[arch] = d
    if not d:
        continue
    check(f"real {arch}: target", d["target"]["endian"] == ("big" if arch == "s390x" else "little"),
          repr(d["target"]))
    check_enums(f"real {arch}", d, spec)
    check_listed(f"real {arch}", spec, d, ["--cc", cc])
    check_types_compile(f"real {arch}", spec, d, cc)
if docs.get("x86_64") and docs.get("aarch64"):
    check("struct epoll_event: 12 bytes on x86_64 (packed)", docs["x86_64"]["structs"]["struct epoll_event"]["size"] == 12, "")
    check("struct epoll_event: 16 bytes on aarch64", docs["aarch64"]["structs"]["struct epoll_event"]["size"] == 16, "")
    check("struct epoll_event: data at 4 on x86_64, 8 on aarch64",
          [f["offset"] for f in docs["x86_64"]["structs"]["struct epoll_event"]["fields"]] == [0, 4]
          and [f["offset"] for f in docs["aarch64"]["structs"]["struct epoll_event"]["fields"]] == [0, 8], "")
if docs.get("x86_64"):
    p, drun = pptest.probe(REAL_SPEC, ["--mode", "run"])
    check("real x86_64: run mode gives the same structs and enums",
          drun and drun["structs"] == docs["x86_64"]["structs"] and drun["enums"] == docs["x86_64"]["enums"],
          p.stderr[-1500:])

# ---- hard cases: gcc on three targets, and clang ----
hard = {}
for arch, cc in TARGETS + [("clang x86_64", "clang")]:
    tag = f"hard {arch}"
    if cc == "clang":
        # pahole 1.24 prints clang's nested untagged types twice over, so clang's layouts are
        # held against gcc's on the same ABI (beside the generated-code and type checks below).
        p, d = pptest.probe(HARD_SPEC, ["--cc", cc])
        if check(f"{tag}: probes", p.returncode == 0 and d, p.stderr[-2000:]) and hard.get("x86_64"):
            for name in HARD + ["struct hard_exotic"]:
                a = [{k: f.get(k) for k in layouts.LAYOUT_KEYS} for f in layouts.walk(d["structs"][name]["fields"])]
                b = [{k: f.get(k) for k in layouts.LAYOUT_KEYS} for f in layouts.walk(hard["x86_64"]["structs"][name]["fields"])]
                check(f"{tag}: {name} laid out as gcc lays it out", a == b and
                      (d["structs"][name]["size"], d["structs"][name]["padding"]) ==
                      (hard["x86_64"]["structs"][name]["size"], hard["x86_64"]["structs"][name]["padding"]),
                      f"clang {a} gcc {b}")
            d["_object"] = {}
    else:
        d = against_pahole(tag, HARD_SPEC, HARD, ["--cc", cc])
    hard[arch] = d
    if not d:
        continue
    check_enums(tag, d, HARD_SPEC, HARD_ENUMS)
    check_listed(tag, HARD_SPEC, d, ["--cc", cc])
    check_types_compile(tag, HARD_SPEC, d, cc)
    if arch == "x86_64":
        check_bitfield_signs(d)
        p, drun = pptest.probe(HARD_SPEC, ["--mode", "run"])
        check("hard x86_64: run mode gives the same JSON",
              drun and drun["structs"] == d["structs"] and drun["enums"] == d["enums"], p.stderr[-1500:])
        ex = d["structs"]["struct hard_exotic"]
        check("hard x86_64: exotic declarators named as C writes them",
              [f["type"] for f in ex["fields"]] ==
              ["int (*(*)(void))(long int)", "const char *const", "int (*)[4]", "void (*[4])(int)",
               "_Atomic int", "int (*)()", "char (*(*)[2])[3]"], repr([f["type"] for f in ex["fields"]]))
        # the cases a binding needs spelled out: padding, holes and bits as the compiler laid them
        bits = {f["name"]: f for f in d["structs"]["struct hard_bits"]["fields"]}
        check("hard x86_64: unnamed and zero-width bit-fields are holes, not members",
              bits["a"].get("hole_after") == 3 and bits["a"].get("bit_hole_after") == 5 and bits["b"]["bit_offset"] == 32,
              repr(bits["a"]))
        nest = d["structs"]["struct hard_nest"]
        check("hard x86_64: promoted members of anonymous structs keep their own names",
              [f["name"] for f in nest["fields"][1]["fields"][0]["fields"]] == ["a", "b"], repr(nest["fields"][1]))
        check("hard x86_64: flexible array member", nest["fields"][-1].get("flexible") is True
              and nest["fields"][-1]["dims"] == [0] and nest["fields"][-1]["offset"] == 68, repr(nest["fields"][-1]))

# ---- where debug information cannot be read: mingw writes COFF ----
MINGW = "x86_64-w64-mingw32-gcc"
coff = {"include_dirs": [DATA], "headers": ["layouts_hard.h"],
        "structs": ["struct hard_nest", {"name": "struct hard_bits", "fields": ["a", "b", "c"]}],
        "enums": [{"name": "enum hard_e", "optional": True}]}
p, d = pptest.probe(coff, ["--cc", MINGW])
if check("COFF: probes (what the compiler answers without DWARF)", p.returncode == 0 and d, p.stderr[-1500:]):
    nest = d["structs"]["struct hard_nest"]
    check("COFF: a struct without \"fields\" gets size and align, no member list, and "
          "\"fields_complete\": false with a warning (issue 18)",
          "fields" not in nest and nest.get("fields_complete") is False and nest["size"] > 0 and
          'warning: structs[0] "struct hard_nest"' in p.stderr, repr(nest) + p.stderr[-1000:])
    bits = {f["name"]: f for f in d["structs"]["struct hard_bits"]["fields"]}
    check("COFF: listed bit-fields still answered from their images (no signedness, no type)",
          (bits["a"]["bit_offset"], bits["a"]["bit_size"], bits["b"]["bit_offset"]) == (0, 3, 32)
          and "signed" not in bits["a"] and "type" not in bits["a"], repr(bits))
    check("COFF: an optional enum is null", d["enums"]["enum hard_e"] is None, repr(d["enums"]))
req = dict(coff, structs=[{"name": "struct hard_nest", "fields": "*"}], enums=["enum hard_e"])
p, d = pptest.probe(req, ["--cc", MINGW])
check("COFF: \"fields\": \"*\" and enums fail, saying why", p.returncode == 1
      and 'structs[0] "struct hard_nest": its whole layout' in p.stderr and "COFF" in p.stderr
      and "list its fields" in p.stderr and 'enums[0] "enum hard_e": its values' in p.stderr, p.stderr)

# ---- the spec and the other outputs ----
p, d = pptest.probe({"headers": ["sys/stat.h"], "structs": [{"name": "struct stat", "fields": "all"}]})
check("spec: \"fields\" must be a list or \"*\"", p.returncode == 2 and
      'structs[0].fields: expected an array of member names, or "*"' in p.stderr, p.stderr)
p, d = pptest.probe({"headers": ["sys/stat.h"], "structs": [{"name": "struct stat", "fields": []}]})
check("spec: \"fields\": [] asks size and alignment only", p.returncode == 0 and d
      and "fields" not in d["structs"]["struct stat"], p.stdout + p.stderr)
p, d = pptest.probe({"headers": ["sys/stat.h"], "enums": ["off_t", {"name": "struct stat", "optional": True}]})
check("enums: a type that is not an enum is an error naming it", p.returncode == 1 and
      'enums[0] "off_t": not an enum type' in p.stderr, p.stderr)
hs = os.path.join(WORK, "hard.json")
with open(hs, "w") as f:
    json.dump(HARD_SPEC, f)
p = pptest.run(["probe", "-f", "header", hs])
check("header: enums and nested members get macros", p.returncode == 0 and "#define SIZEOF_ENUM_HARD_P 1" in p.stdout
      and "#define OFFSETOF_STRUCT_HARD_NEST_NAMED_Z 24" in p.stdout
      and "#define BITOFFSETOF_STRUCT_HARD_BITS_B 32" in p.stdout, p.stdout[-3000:] + p.stderr)

# ---- show: the table is pahole's, -f json the result format ----
p, doc, keep = layouts.probe_keep({"headers": ["sys/stat.h", "netinet/tcp.h"], "structs": ["struct stat", "struct tcphdr"]})
try:
    blocks = layouts.parse_pahole(layouts.pahole(os.path.join(keep, "probe.o"), ["stat", "tcphdr"])) if keep else {}
finally:
    layouts.rm_keep(keep)
for name in ("struct stat", "struct tcphdr"):
    s = pptest.run(["show", "-i", "sys/stat.h", "-i", "netinet/tcp.h", name])
    rows = [l.split() for l in s.stdout.splitlines()[2:]]
    want = []

    def flat(members):
        for m in members:
            off = f"{m['bit'] // 8}:{m['bit'] % 8}" if m["bit"] is not None else str(m["offset"])
            size = f":{m['bits']}" if m["bits"] is not None else str(m["size"])
            want.append((off, size, m["name"] or "(anonymous)"))
            if m["members"]:
                flat(m["members"])
    flat(blocks.get(name.split()[-1], {}).get("members", []))
    got = [(r[0], r[1], r[-1].split(".")[-1]) for r in rows if len(r) >= 3 and r[0][0].isdigit()]
    check(f"show {name}: offset, size and name of every row as pahole prints them", got == want and len(want) > 10,
          f"{got} vs {want}\n{s.stdout}")
    check(f"show {name}: the padding line", "(padding: none)" in s.stdout, s.stdout)
    j = pptest.run(["show", "-f", "json", "-i", "sys/stat.h", "-i", "netinet/tcp.h", name])
    try:
        jd = json.loads(j.stdout)
    except ValueError:
        jd = None
    check(f"show -f json {name}: the result format, only the struct", jd and list(jd["structs"]) == [name]
          and jd["structs"][name] == doc["structs"][name] and not jd["types"] and not jd["enums"]
          and not jd["constants"] and not jd["constant_types"], j.stdout[:1500])
s = pptest.run(["show", "-i", "sys/stat.h", "-i", "signal.h", "siginfo_t"])
check("show: holes are marked", "(hole: 4 bytes)" in s.stdout and "(padding: 4 bytes)" in s.stdout, s.stdout)
s = pptest.run(["show", "-i", os.path.join(DATA, "layouts_hard.h"), "enum hard_ps", "struct hard_bits"])
check("show: an enum's values", "HPS_A = -100" in s.stdout and "size 1, align 1, signed" in s.stdout, s.stdout)
check("show: bit-fields as byte:bit and :bits, holes in bytes and bits",
      re.search(r"\b4:0\s+:5\s+int\s+b\b", s.stdout) and "(hole: 3 bytes 5 bits)" in s.stdout, s.stdout)
pptest.done()
