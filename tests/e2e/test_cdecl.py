"""End-to-end: -f cdecl. Debian's cffi (ffi.cdef in ABI mode: sizeof, alignof, offsetof) and
LuaJIT (ffi.cdef: sizeof, alignof, offsetof) read the declarations and must lay every record out
exactly as the probe's result says: the catalogue's specs natively, and tests/bindings/xsys.json
for a cross target (its result, through --from, read by the native FFIs: same pointer size).
Function prototypes: every function declared resolves to a symbol of the process or the spec's
libraries in both FFIs, and libc called through the declarations (getpid, strlen, snprintf, qsort
with a callback, clock_gettime, stat, an asm-labelled strerror_r; getsockname's transparent
union) answers as Python's own modules;
a small library of the odd cases (f(), structs by value, long double, function pointers in and
out, an opaque struct) is called or left out with a comment; on i686 with _FILE_OFFSET_BITS=64
stat is declared as the symbol gcc's own call references."""
import atexit, errno, glob, json, os, shutil, socket, subprocess, tempfile, time
import pptest
from pptest import check

WORK = tempfile.mkdtemp(prefix="pptest-cdecl-")
atexit.register(shutil.rmtree, WORK, True)
LUAJIT = shutil.which("luajit")
check("luajit is installed (.ci/deps)", LUAJIT, "no luajit on PATH")
check("Debian's python3-cffi is installed (.ci/deps)",
      subprocess.run(["/usr/bin/python3", "-c", "import cffi"], capture_output=True).returncode == 0,
      "/usr/bin/python3 cannot import cffi")

CFFI = r'''
import json, sys
import cffi
ffi = cffi.FFI()
ffi.cdef(open(sys.argv[1]).read())
lib = ffi.dlopen(None)
out = {}
spec = json.load(open(sys.argv[2]))
print(json.dumps({k: getattr(lib, k) for k in spec["constants"]}))
libs = [lib] + [ffi.dlopen(p) for p in spec["libs"]]


def resolves(name):
    for one in libs:
        try:
            getattr(one, name)
            return True
        except AttributeError:
            pass
    return False

for rec in spec["records"]:
    t = rec["ident"]
    out[t] = [ffi.sizeof(t), ffi.alignof(t), {m: ffi.offsetof(t, m) for m in rec["members"]}]
print(json.dumps(out))
print(json.dumps([f for f in spec["functions"] if not resolves(f)]))
'''


def lua_script(header: str, recs: list, consts: dict, funcs: list, libs: list) -> str:
    """A LuaJIT program printing sizeof, alignof and offsetof of every record, one line each, and
    the functions that resolve in none of the libraries ("F name")."""
    lines = ["local ffi = require('ffi')", "local f = io.open(%s)" % json.dumps(header),
             "ffi.cdef(f:read('*a'))", "f:close()", "local libs = {ffi.C}"]
    lines += ["table.insert(libs, ffi.load(%s))" % json.dumps(p) for p in libs]
    for fn in funcs:
        lines.append("do local ok = false for _, l in ipairs(libs) do ok = ok or pcall(function() "
                     "return l[%s] end) end if not ok then print('F', %s) end end"
                     % (json.dumps(fn), json.dumps(fn)))
    for k in consts:
        lines.append("print('K', %s, tostring(ffi.C[%s]))" % (json.dumps(k), json.dumps(k)))
    for rec in recs:
        t = json.dumps(rec["ident"])
        lines.append("print(%s, ffi.sizeof(%s), ffi.alignof(%s))" % (t, t, t))
        for m in rec["members"]:
            lines.append("print(%s, %s, ffi.offsetof(%s, %s))" % (t, json.dumps(m), t, json.dumps(m)))
    return "\n".join(lines) + "\n"


def expected(result: dict, model: dict) -> list:
    """What the result says of each record the declarations hold: the records (with the C name of
    a probed struct or type), the result's size, alignment and member offsets by member name."""
    recs = []
    for rec in model["records"]:
        entry = result["structs"].get(rec["c"]) or result["types"].get(rec["c"]) if rec["c"] else None
        if not entry:
            continue
        offs = pptest.field_offsets(entry)
        members = {m["cdecl"]["name"]: offs.get(m["c"]) for m in rec["members"]
                   if m.get("cdecl") and not m["pad"] and not m["unit"] and m.get("c")}
        # the record's name in the file: "struct stat" where the function stat has the typedef
        recs.append({"ident": rec["cdecl"]["name"], "c": rec["c"], "size": entry["size"],
                     "align": entry["align"], "offsets": members, "members": sorted(members),
                     "short": rec["cdecl"]["short_align"] and entry["align"] > 8})
    return recs


def constants(result: dict, model: dict) -> dict:
    """The integer constants and enumerators the declarations hold, with the result's values."""
    want = {k["name"]: result["constants"][k["name"]] for k in model["constants"] if k.get("cdecl")}
    for e in model["enums"]:
        vals = result["enums"][e["c"]]["values"]
        want.update({v["name"]: vals[v["name"]] for v in e["values"] if v["cdecl"]})
    return want


def compare(label: str, recs: list, got: dict, tool: str) -> None:
    """One check per tool and spec: every size, alignment and offset equal to the result's."""
    bad = []
    for r in recs:
        g = got.get(r["ident"])
        if g is None:
            bad.append("%s: not declared" % r["c"])
            continue
        # C aligns it past 8 (aligned(32)): no declaration both FFIs parse says so, and the
        # declarations' comment does (README); its size and offsets still hold.
        if (g[0], g[1]) != (r["size"], r["align"]) and not (r["short"] and g[0] == r["size"]):
            bad.append("%s: %s size %s align %s, result %s %s" % (r["c"], tool, g[0], g[1], r["size"], r["align"]))
        for m, off in r["offsets"].items():
            if g[2].get(m) != off:
                bad.append("%s.%s: %s offset %s, result %s" % (r["c"], m, tool, g[2].get(m), off))
    n = len(recs) + sum(len(r["offsets"]) for r in recs)
    check("%s: %s lays out %d records, %d facts, as the result" % (label, tool, len(recs), n),
          recs and not bad, "; ".join(bad[:8]))


def declared(model: dict) -> list:
    """The functions the declarations give, by the name declared (the symbol)."""
    return [p["cdecl"]["name"] for p in model["prototypes"] if p["cdecl"]["name"]]


def spec_libs(spec: str, result: dict) -> list:
    """The libraries the spec links beyond libc, as the FFIs load them: the result's paths of its
    "libraries", and pkg-config's -l names of its "pkg-config" packages (zlib.json's -lz)."""
    with open(spec) as f:
        pkgs = json.load(f).get("pkg-config", [])
    libs = [v["path"] for v in result.get("libraries", {}).values() if v.get("path")]
    for pkg in pkgs:
        p = subprocess.run(["pkg-config", "--libs-only-l", pkg], capture_output=True, text=True)
        libs += [w[2:] for w in p.stdout.split() if w.startswith("-l")]
    return libs


def one(label: str, spec: str, extra: list):
    """Checks SPEC's declarations in both FFIs; the header's path, or None."""
    d = tempfile.mkdtemp(dir=WORK)
    res, hdr, mdl = (os.path.join(d, n) for n in ("r.json", "decl.h", "model.json"))
    p = pptest.run(["probe", spec, "-o", res] + extra)
    if not check("%s: probe" % label, p.returncode == 0, p.stderr[-1500:]):
        return None
    model = pptest.bindings(label, spec, res, ["-f", "cdecl"], hdr, mdl)
    if model is None:
        return None
    with open(res) as f:
        result = json.load(f)
    recs = expected(result, model)
    consts = constants(result, model)
    funcs = declared(model)
    # a cross target's functions are not in this machine's libraries: parsed, not looked up
    native = "--target" not in extra
    libs = spec_libs(spec, result) if native else []
    lst = os.path.join(d, "recs.json")
    with open(lst, "w") as f:
        json.dump({"records": recs, "constants": sorted(consts), "functions": funcs if native else [],
                   "libs": libs}, f)
    c = subprocess.run(["/usr/bin/python3", "-c", CFFI, hdr, lst], capture_output=True, text=True)
    if check("%s: cffi parses the declarations" % label, c.returncode == 0, c.stderr[-1500:]):
        lines = c.stdout.splitlines()
        compare(label, recs, json.loads(lines[1]), "cffi")
        check("%s: cffi reads %d constants as the result" % (label, len(consts)),
              json.loads(lines[0]) == consts, "%s != %s" % (lines[0][:300], consts))
        if native and funcs:
            check("%s: cffi finds all %d functions declared in the libraries" % (label, len(funcs)),
                  json.loads(lines[2]) == [], lines[2][:500])
    lua = os.path.join(d, "check.lua")
    with open(lua, "w") as f:
        f.write(lua_script(hdr, recs, consts, funcs if native else [], libs))
    r = subprocess.run([LUAJIT or "luajit", lua], capture_output=True, text=True)
    if check("%s: LuaJIT parses the declarations" % label, r.returncode == 0, r.stderr[-1500:]):
        got, kgot, missing = {}, {}, []
        for line in r.stdout.splitlines():
            w = line.split("\t")
            if w[0] == "K":
                kgot[w[1]] = int(w[2])
            elif w[0] == "F":
                missing.append(w[1])
            elif len(w) == 3 and w[1].isdigit():
                got[w[0]] = [int(w[1]), int(w[2]), {}]
            elif len(w) == 3:
                got[w[0]][2][w[1]] = int(w[2])
        compare(label, recs, got, "luajit")
        check("%s: LuaJIT reads %d constants as the result" % (label, len(consts)),
              kgot == consts, "%s != %s" % (kgot, consts))
        if native and funcs:
            check("%s: LuaJIT finds all %d functions declared in the libraries" % (label, len(funcs)),
                  not missing, missing)
    return hdr


HEADERS = {}


for spec in sorted(glob.glob(os.path.join(pptest.TOP, "probe", "*.json"))):
    HEADERS[os.path.basename(spec)] = one(os.path.basename(spec), spec, [])
# ---- libc called through posix.json's declarations; expected values from Python's modules ----
CALLS_CFFI = r"""
import json, sys, time
import cffi
ffi = cffi.FFI()
ffi.cdef(open(sys.argv[1]).read())
lib = ffi.dlopen(None)
path, clk, enoent = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
out = {"getpid": lib.getpid(), "strlen": lib.strlen(b"hello, world")}
buf = ffi.new("char[64]")
n = lib.snprintf(buf, 64, b"%d-%s", ffi.cast("int32_t", 42), ffi.new("char[]", b"ab"))
out["snprintf"] = [n, ffi.string(buf).decode()]


def cmp(a, b):
    x, y = ffi.cast("int32_t *", a)[0], ffi.cast("int32_t *", b)[0]
    return (x > y) - (x < y)


cb = ffi.callback(ffi.typeof(lib.qsort).args[3], cmp)
arr = ffi.new("int32_t[]", [5, -3, 9, 1, 4, 0])
lib.qsort(arr, len(arr), ffi.sizeof("int32_t"), cb)
out["qsort"] = list(arr)
ts = ffi.new("struct timespec *")
before = time.clock_gettime(clk)
rc = lib.clock_gettime(clk, ts)
out["clock"] = [before, rc, ts.tv_sec + ts.tv_nsec / 1e9, time.clock_gettime(clk)]
st = ffi.new("struct stat *")
out["stat"] = [lib.stat(path.encode(), st), st.st_size, st.st_mode]
out["strerror_r"] = [lib.__xpg_strerror_r(enoent, buf, 64), ffi.string(buf).decode()]
print(json.dumps(out))
"""

CALLS_LUA = r"""
local ffi = require('ffi')
local f = io.open(arg[1])
ffi.cdef(f:read('*a'))
f:close()
local C = ffi.C
local path, clk, enoent = arg[2], tonumber(arg[3]), tonumber(arg[4])
print('getpid', C.getpid())
print('strlen', tonumber(C.strlen('hello, world')))
local buf = ffi.new('char[64]')
local n = C.snprintf(buf, 64, '%d-%s', ffi.new('int32_t', 42), 'ab')
print('snprintf', n, ffi.string(buf))
local cb = ffi.cast('int32_t (*)(const void *, const void *)', function(a, b)
  local x, y = ffi.cast('int32_t *', a)[0], ffi.cast('int32_t *', b)[0]
  return x > y and 1 or (x < y and -1 or 0)
end)
local arr = ffi.new('int32_t[6]', {5, -3, 9, 1, 4, 0})
C.qsort(arr, 6, 4, cb)
cb:free()
local s = {}
for i = 0, 5 do s[#s + 1] = tostring(arr[i]) end
print('qsort', table.concat(s, ','))
local ts = ffi.new('struct timespec')
local rc = C.clock_gettime(clk, ts)
print('clock', rc, string.format('%.9f', tonumber(ts.tv_sec) + tonumber(ts.tv_nsec) / 1e9))
local st = ffi.new('struct stat')
print('stat', C.stat(path, st), tonumber(st.st_size), tonumber(st.st_mode))
print('strerror_r', C.__xpg_strerror_r(enoent, buf, 64), ffi.string(buf))
"""


def calls(hdr: str) -> None:
    """libc through the declarations in both FFIs, against os, time and errno."""
    target = os.path.join(WORK, "some file")
    with open(target, "wb") as f:
        f.write(b"x" * 12345)
    sb = os.stat(target)
    clk = time.CLOCK_REALTIME
    args = [hdr, target, str(clk), str(errno.ENOENT)]
    p = subprocess.Popen(["/usr/bin/python3", "-c", CALLS_CFFI] + args, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    out, err = p.communicate()
    if check("cffi: libc called through posix.json's declarations", p.returncode == 0, err[-1500:]):
        o = json.loads(out)
        check("cffi: getpid() is the process's pid (subprocess's)", o["getpid"] == p.pid, (o, p.pid))
        check("cffi: strlen", o["strlen"] == len("hello, world"), o)
        check("cffi: snprintf (variadic) into a buffer", o["snprintf"] == [5, "42-ab"], o)
        check("cffi: qsort with a cffi callback of the declared type",
              o["qsort"] == sorted([5, -3, 9, 1, 4, 0]), o)
        b, rc, got, a = o["clock"]
        check("cffi: clock_gettime fills struct timespec (between two time.clock_gettime calls)",
              rc == 0 and b - 1e-6 <= got <= a + 1e-6, o["clock"])
        check("cffi: stat fills struct stat: st_size and st_mode as os.stat's",
              o["stat"] == [0, sb.st_size, sb.st_mode], (o["stat"], sb.st_size, sb.st_mode))
        check("cffi: strerror_r, declared as the symbol its asm label names (__xpg_strerror_r)",
              o["strerror_r"] == [0, os.strerror(errno.ENOENT)], o["strerror_r"])
    before = time.clock_gettime(clk)
    lua = os.path.join(WORK, "calls.lua")
    with open(lua, "w") as f:
        f.write(CALLS_LUA)
    p = subprocess.Popen([LUAJIT or "luajit", lua] + args, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    out, err = p.communicate()
    after = time.clock_gettime(clk)
    if check("LuaJIT: libc called through posix.json's declarations", p.returncode == 0, err[-1500:]):
        o = {w[0]: w[1:] for w in (line.split("\t") for line in out.splitlines())}
        check("LuaJIT: getpid() is the process's pid (subprocess's)", o.get("getpid") == [str(p.pid)],
              (o.get("getpid"), p.pid))
        check("LuaJIT: strlen", o.get("strlen") == [str(len("hello, world"))], o.get("strlen"))
        check("LuaJIT: snprintf (variadic) into a buffer", o.get("snprintf") == ["5", "42-ab"],
              o.get("snprintf"))
        check("LuaJIT: qsort with a Lua callback", o.get("qsort") == [",".join(map(str, sorted([5, -3, 9, 1, 4, 0])))],
              o.get("qsort"))
        c = o.get("clock", ["-1", "0"])
        check("LuaJIT: clock_gettime fills struct timespec (between time.clock_gettime before and after)",
              c[0] == "0" and before - 1e-6 <= float(c[1]) <= after + 1e-6, (before, c, after))
        check("LuaJIT: stat fills struct stat: st_size and st_mode as os.stat's",
              o.get("stat") == ["0", str(sb.st_size), str(sb.st_mode)], (o.get("stat"), sb.st_size))
        check("LuaJIT: strerror_r, declared as the symbol its asm label names",
              o.get("strerror_r") == ["0", os.strerror(errno.ENOENT)], o.get("strerror_r"))


if HEADERS.get("posix.json"):
    with open(HEADERS["posix.json"]) as f:
        text = f.read()
    check("posix.json: struct stat keeps its tag, the function stat the name (no typedef stat)",
          "typedef struct stat stat;" not in text and "\nint32_t stat(const char *, struct stat *);\n" in text
          and "/* strerror_r: the headers link it as __xpg_strerror_r" in text, text[-3000:])
    calls(HEADERS["posix.json"])

# ---- a transparent union parameter (sockets.json has _GNU_SOURCE: __SOCKADDR_ARG) ----
SOCK_CFFI = r"""
import json, socket, sys
import cffi
ffi = cffi.FFI()
ffi.cdef(open(sys.argv[1]).read())
lib = ffi.dlopen(None)
with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
    s.bind(("127.0.0.1", 0))
    sin = ffi.new("struct sockaddr_in *")
    n = ffi.new("uint32_t *", ffi.sizeof("struct sockaddr_in"))
    rc = lib.getsockname(s.fileno(), sin, n)
    print(json.dumps([rc, sin.sin_family, socket.ntohs(sin.sin_port), s.getsockname()[1]]))
"""

if HEADERS.get("sockets.json"):
    c = subprocess.run(["/usr/bin/python3", "-c", SOCK_CFFI, HEADERS["sockets.json"]],
                       capture_output=True, text=True)
    o = json.loads(c.stdout) if c.returncode == 0 else None
    check("sockets.json: cffi's getsockname (a transparent union, declared as its first member) "
          "fills struct sockaddr_in as Python's socket says",
          o and o[0] == 0 and o[1] == socket.AF_INET and o[2] == o[3], c.stdout + c.stderr[-1500:])

# ---- the odd cases, in a library of our own: called through the declarations, or left out ----
ODD_H = """struct pp_pair { int a, b; };
struct pp_opaque { long x; double y; };
struct pp_hidden;
typedef int (*pp_fn)(int);
int pp_old();
int pp_sum(struct pp_pair p);
int pp_opq(struct pp_opaque o);
long double pp_half(long double x);
int pp_apply(pp_fn f, int x);
pp_fn pp_same(pp_fn f);
struct pp_hidden *pp_make(void);
long pp_hid(const struct pp_hidden *h);
"""
ODD_C = """#include "odd.h"
struct pp_hidden { long v; };
static struct pp_hidden one = { 99 };
int pp_old() { return 7; }
int pp_sum(struct pp_pair p) { return p.a + p.b; }
int pp_opq(struct pp_opaque o) { return (int)(o.x + o.y); }
long double pp_half(long double x) { return x / 2; }
int pp_apply(pp_fn f, int x) { return f(x); }
pp_fn pp_same(pp_fn f) { return f; }
struct pp_hidden *pp_make(void) { return &one; }
long pp_hid(const struct pp_hidden *h) { return h->v; }
"""
ODD_CFFI = r"""
import json, sys
import cffi
ffi = cffi.FFI()
ffi.cdef(open(sys.argv[1]).read())
lib = ffi.dlopen(sys.argv[2])
triple = ffi.callback("int32_t (*)(int32_t)", lambda x: 3 * x)
print(json.dumps([lib.pp_sum(ffi.new("struct pp_pair *", [3, 4])[0]), lib.pp_apply(triple, 5),
                  lib.pp_same(triple)(7), lib.pp_hid(lib.pp_make())]))
"""
ODD_LUA = r"""
local ffi = require('ffi')
local f = io.open(arg[1])
ffi.cdef(f:read('*a'))
f:close()
local L = ffi.load(arg[2])
local triple = ffi.cast('int32_t (*)(int32_t)', function(x) return 3 * x end)
print(L.pp_sum(ffi.new('struct pp_pair', 3, 4)), L.pp_apply(triple, 5), L.pp_same(triple)(7),
      tonumber(L.pp_hid(L.pp_make())))
"""


def odd() -> None:
    """f(), structs by value, long double, function pointers both ways, an opaque struct."""
    d = os.path.join(WORK, "odd")
    os.makedirs(d)
    for name, text in (("odd.h", ODD_H), ("odd.c", ODD_C)):
        with open(os.path.join(d, name), "w") as f:
            f.write(text)
    so = os.path.join(d, "libppodd.so")
    subprocess.run(["cc", "-shared", "-fPIC", os.path.join(d, "odd.c"), "-o", so], check=True)
    spec = {"headers": ["odd.h"], "include_dirs": [d], "libs": ["-L" + d, "-lppodd"],
            "structs": [{"name": "struct pp_pair", "fields": ["a", "b"]}],
            "functions": ["pp_old", "pp_sum", "pp_opq", "pp_half", "pp_apply", "pp_same", "pp_make",
                          "pp_hid"]}
    hdr = os.path.join(d, "odd_decl.h")
    text = pptest.generate(spec, "cdecl", hdr)
    want = ["/* pp_old: left out, declared without a prototype",
            "/* pp_opq: left out, passes by value what the spec does not describe: struct pp_opaque */",
            "/* pp_half: left out, LuaJIT passes no long double */",
            "int32_t pp_sum(struct pp_pair);", "int32_t pp_apply(int32_t (*)(int32_t), int32_t);",
            "int32_t (*pp_same(int32_t (*)(int32_t)))(int32_t);", "\nstruct pp_hidden;\n",
            "struct pp_hidden *pp_make(void);", "int64_t pp_hid(const struct pp_hidden *);"]
    check("odd.h: f(), an undescribed struct by value and long double are comments saying why; a "
          "struct by value, function pointers in and out, an opaque struct are declared",
          all(w in text for w in want), [w for w in want if w not in text] + [text[-1500:]])
    c = subprocess.run(["/usr/bin/python3", "-c", ODD_CFFI, hdr, so], capture_output=True, text=True)
    check("odd.h: cffi calls pp_sum({3, 4}) by value, pp_apply and pp_same with a callback, "
          "pp_hid(pp_make()) (7, 15, 21, 99)",
          c.returncode == 0 and json.loads(c.stdout) == [7, 15, 21, 99], c.stdout + c.stderr[-1500:])
    lua = os.path.join(d, "odd.lua")
    with open(lua, "w") as f:
        f.write(ODD_LUA)
    r = subprocess.run([LUAJIT or "luajit", lua, hdr, so], capture_output=True, text=True)
    check("odd.h: LuaJIT calls the same (7, 15, 21, 99)",
          r.returncode == 0 and r.stdout.split() == ["7", "15", "21", "99"], r.stdout + r.stderr[-1500:])


odd()


# ---- i686 with _FILE_OFFSET_BITS=64: stat under the symbol gcc's own call references ----
def lfs() -> None:
    """The asm label's symbol, as nm -u shows for a call compiled with the same defines."""
    xcc = shutil.which("i686-linux-gnu-gcc")
    if not check("i686-linux-gnu-gcc is installed (.ci/deps)", xcc, "not on PATH"):
        return
    d = os.path.join(WORK, "lfs")
    os.makedirs(d)
    src, obj = os.path.join(d, "call.c"), os.path.join(d, "call.o")
    with open(src, "w") as f:
        f.write("#define _FILE_OFFSET_BITS 64\n#include <sys/stat.h>\n"
                "int f(struct stat *b) { return stat(\"x\", b); }\n")
    subprocess.run([xcc, "-c", src, "-o", obj], check=True)
    undef = subprocess.run(["nm", "-u", obj], capture_output=True, text=True).stdout.split()
    sym = [u for u in undef if u.startswith("stat")]
    spec = {"defines": {"_FILE_OFFSET_BITS": "64"}, "headers": ["sys/stat.h"],
            "structs": [{"name": "struct stat", "fields": ["st_size"]}], "functions": ["stat"]}
    hdr = os.path.join(d, "decl.h")
    p, _ = pptest.probe(spec, ["--target", "i686-linux-gnu", "-f", "cdecl", "-o", hdr], tmpdir=d)
    if not check("i686 _FILE_OFFSET_BITS=64: -f cdecl", p.returncode == 0, p.stderr[-1500:]):
        return
    with open(hdr) as f:
        text = f.read()
    check("i686 _FILE_OFFSET_BITS=64: stat declared as %s, the symbol gcc's call references, "
          "with a comment" % sym,
          len(sym) == 1 and sym[0] != "stat" and "\nint32_t %s(const char *, struct stat *);\n" % sym[0] in text
          and "/* stat: the headers link it as %s (an asm label)" % sym[0] in text
          and "typedef struct stat stat;" in text, (sym, text[-1200:]))
    c = subprocess.run(["/usr/bin/python3", "-c", "import cffi, sys; cffi.FFI().cdef(open(sys.argv[1]).read())",
                        hdr], capture_output=True, text=True)
    r = subprocess.run([LUAJIT or "luajit", "-e", "local f = io.open(%s) require('ffi').cdef(f:read('*a'))"
                        % json.dumps(hdr)], capture_output=True, text=True)
    check("i686 _FILE_OFFSET_BITS=64: cffi and LuaJIT parse it", c.returncode == 0 and r.returncode == 0,
          c.stderr[-800:] + r.stderr[-800:])


lfs()

# The hard cases: bit-fields, packed and over-aligned structs, unions, nested and flexible members.
HARD = os.path.join(pptest.TOP, "tests", "bindings", "hard.json")
one("layouts_hard.h", HARD, [])
one("names.h", os.path.join(pptest.TOP, "tests", "bindings", "names.json"), [])
XSYS = os.path.join(pptest.TOP, "tests", "bindings", "xsys.json")
for target in ("s390x-linux-gnu",):
    one("xsys.json for " + target, XSYS, ["--target", target])
pptest.done()
