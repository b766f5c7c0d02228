"""End-to-end: function prototypes (the result's "prototypes", from the compiler's debug
information). Each recorded signature is rebuilt as a C function pointer type from its "type"
spellings and the compiler must find it compatible with the function's own (so the compiler, not
platprobe, says it is right); the generated Python module calls libc through ctypes (getpid,
strlen, snprintf, qsort with a Python callback, clock_gettime, stat), compared with Python's os and
time modules; the Rust module's extern block is built into a program that calls the same
functions; -m32 with _FILE_OFFSET_BITS=64 records the symbol gcc itself references (stat64);
--from, diff and check read the section back; a COFF object (mingw) answers without it."""
import atexit, ctypes, importlib.util, json, os, shutil, socket, subprocess, tempfile, time
import pptest
from pptest import check

WORK = tempfile.mkdtemp(prefix="pptest-proto-")
atexit.register(shutil.rmtree, WORK, True)

FUNCS = ["getpid", "strlen", "snprintf", "qsort", "clock_gettime", "stat", "signal", "lseek",
         "getsockname", "_exit"]
SPEC = {
    "headers": ["sys/types.h", "sys/stat.h", "unistd.h", "string.h", "stdio.h", "stdlib.h",
                "time.h", "signal.h", "sys/socket.h", "netinet/in.h"],
    "defines": {"_GNU_SOURCE": "1"},
    "structs": [{"name": "struct timespec", "fields": ["tv_sec", "tv_nsec"]},
                {"name": "struct stat", "fields": ["st_mode", "st_size"]},
                {"name": "struct sockaddr_in", "fields": ["sin_family", "sin_port", "sin_addr"]}],
    "functions": FUNCS + ["environ", {"name": "pp_no_such_function", "optional": True}],
}


def write_spec(spec, name):
    path = os.path.join(WORK, name)
    with open(path, "w") as f:
        json.dump(spec, f)
    return path


def c_type(t):
    """A type of a recorded prototype as C can write it in a parameter list."""
    return t["type"]


def fnptr(proto, name):
    """A typedef NAME of a pointer to a function of this recorded prototype (gcc counts noreturn
    in a function's type, and takes the attribute only in a typedef)."""
    params = [f"__typeof__({c_type(p)})" for p in proto["params"]]
    if proto["variadic"]:
        params.append("...")
    nr = " __attribute__((noreturn))" if proto.get("noreturn") else ""
    return f"typedef __typeof__({c_type(proto['returns'])}) (*{name})({', '.join(params) or 'void'}){nr};\n"


def compat_program(spec, protos, extra=""):
    """A C file that compiles only if every recorded prototype is the function's own type."""
    src = extra + "".join(f"#define {k} {v}\n" for k, v in spec.get("defines", {}).items())
    src += "".join(f"#include <{h}>\n" for h in spec["headers"])
    for name, proto in protos.items():
        if proto is None:
            continue
        src += fnptr(proto, f"fn_{name}")
        src += f"_Static_assert(__builtin_types_compatible_p(__typeof__(&{name}), fn_{name}), \"{name}\");\n"
    return src


def compiles(src, cflags=(), cc="cc"):
    path = os.path.join(WORK, "compat.c")
    with open(path, "w") as f:
        f.write(src)
    r = subprocess.run([cc, *cflags, "-c", path, "-o", path + ".o"], capture_output=True, text=True)
    return r.returncode == 0, r.stderr[-2000:]


# ---- the result ----
spec_path = write_spec(SPEC, "spec.json")
p = pptest.run(["probe", spec_path, "-o", os.path.join(WORK, "r.json")])
if not check("probe with functions: exit 0", p.returncode == 0, p.stderr[-2000:]):
    pptest.done()
with open(os.path.join(WORK, "r.json")) as f:
    doc = json.load(f)
protos = doc.get("prototypes", {})
keys = list(doc)
check("\"prototypes\" comes after constant_types",
      "prototypes" in keys and keys.index("prototypes") == keys.index("constant_types") + 1, keys)
check("\"functions\" is unchanged (name -> bool)",
      all(isinstance(v, bool) for v in doc["functions"].values()) and doc["functions"]["getpid"], doc["functions"])
check("every function that links has a prototype", all(protos.get(n) for n in FUNCS), protos)
check("an object (environ) and a missing optional function have none",
      protos.get("environ", 1) is None and protos.get("pp_no_such_function", 1) is None, protos)
ok, why = compiles(compat_program(SPEC, {n: protos.get(n) for n in FUNCS}))
check("the compiler finds every recorded prototype compatible with the function's own type", ok, why)
ok, _ = compiles(compat_program(SPEC, {"strlen": {"returns": {"type": "int"},
                                                   "params": [{"type": "const char *"}], "variadic": False}}))
check("(the compatibility check rejects a wrong prototype)", not ok)
check("_exit is noreturn (gcc's declaration says so), getpid is not",
      protos["_exit"].get("noreturn") is True and "noreturn" not in protos["getpid"], protos["_exit"])
check("snprintf is variadic, strlen is not",
      protos["snprintf"]["variadic"] is True and protos["strlen"]["variadic"] is False, protos["snprintf"])
sz = ctypes.sizeof
check("getpid returns a signed int of pid_t's size (ctypes: c_int)",
      protos["getpid"]["returns"]["kind"] == "int" and protos["getpid"]["returns"]["signed"]
      and protos["getpid"]["returns"]["size"] == sz(ctypes.c_int), protos["getpid"])
check("strlen returns size_t (ctypes: c_size_t), unsigned",
      protos["strlen"]["returns"]["size"] == sz(ctypes.c_size_t) and not protos["strlen"]["returns"]["signed"],
      protos["strlen"])
st = protos["stat"]["params"][1]
check("stat's second parameter points to struct stat (record, size as os.stat's C struct)",
      st["kind"] == "pointer" and st["pointee"].get("record") == "struct stat", st)
cb = protos["qsort"]["params"][3]
cbp = cb.get("pointee", {}).get("prototype", {})
check("qsort's comparator is a function pointer with its own prototype (int, two pointers)",
      cb["kind"] == "pointer" and cb["pointee"]["kind"] == "function"
      and cbp.get("returns", {}).get("kind") == "int" and [x["kind"] for x in cbp.get("params", [])] == ["pointer"] * 2,
      cb)
check("lseek's off_t is 8 bytes on this LP64 target", protos["lseek"]["params"][1]["size"] == 8, protos["lseek"])
check("a symbol is recorded only where it differs from the name",
      all("symbol" not in protos[n] for n in FUNCS), [protos[n].get("symbol") for n in FUNCS])

p = pptest.run(["probe", spec_path, "-v"])
check("a cache hit gives the same prototypes",
      p.returncode == 0 and "cache: hit" in p.stderr and json.loads(p.stdout)["prototypes"] == protos,
      p.stderr[-1500:])
clang = shutil.which("clang")
check("clang is installed (.ci/deps)", clang, "no clang on PATH")
if clang:
    p = pptest.run(["probe", spec_path, "--cc", clang])
    cp = json.loads(p.stdout)["prototypes"] if p.returncode == 0 else {}
    # compared by clang itself: gcc counts noreturn (_exit) in the type, which clang does not record
    ok, why = compiles(compat_program(SPEC, {n: cp.get(n) for n in FUNCS}), cc=clang)
    check("clang: every function has a prototype, compatible with the function's own type",
          all(cp.get(n) for n in FUNCS) and ok, why or p.stderr[-1500:])

# ---- read back ----
r2 = os.path.join(WORK, "r2.json")
p = pptest.run(["probe", spec_path, "--from", os.path.join(WORK, "r.json"), "-o", r2])
with open(r2) as f:
    again = f.read()
with open(os.path.join(WORK, "r.json")) as f:
    first = f.read()
check("--from writes the prototypes back unchanged", p.returncode == 0 and again == first, p.stderr)
p = pptest.run(["probe", spec_path, "--mode", "run"])
check("run mode records the same prototypes",
      p.returncode == 0 and json.loads(p.stdout).get("prototypes") == protos, p.stderr[-1500:])
old = dict(doc)
del old["prototypes"]
old_path = write_spec(old, "baseline-old.json")
p = pptest.run(["check", spec_path, old_path])
check("check: a baseline saved before prototypes existed still passes", p.returncode == 0, p.stdout + p.stderr)
changed = json.loads(first)
changed["prototypes"]["getpid"]["returns"]["size"] = 2
ch_path = write_spec(changed, "baseline-changed.json")
p = pptest.run(["check", spec_path, ch_path])
check("check: a prototype that differs is a difference naming it",
      p.returncode == 1 and "prototypes \"getpid\": returns.size" in p.stdout, p.stdout + p.stderr)
p = pptest.run(["diff", os.path.join(WORK, "r.json"), ch_path])
check("diff: names the prototype's path",
      p.returncode == 1 and "prototypes.getpid.returns.size: 4 -> 2" in p.stdout, p.stdout + p.stderr)
bad = json.loads(first)
bad["prototypes"]["getpid"] = {"returns": 1, "params": [], "variadic": False}
p = pptest.run(["probe", spec_path, "--from", write_spec(bad, "bad.json")])
check("--from: a malformed prototype is an error naming its path",
      p.returncode != 0 and "prototypes.getpid.returns" in p.stderr, p.stderr)

p = pptest.run(["show", "-D", "_GNU_SOURCE", "-i", "stdio.h", "-i", "stdlib.h", "snprintf", "qsort"])
check("show prints a function's prototype as C spells it",
      p.returncode == 0 and "int (char *restrict, size_t, const char *restrict, ...)" in p.stdout
      and "void (void *, size_t, size_t, __compar_fn_t)" in p.stdout, p.stdout + p.stderr)

# ---- Python: call libc through the generated module ----
py = os.path.join(WORK, "ppproto.py")
pptest.generate(SPEC, "python", py)
spec_ = importlib.util.spec_from_file_location("ppproto", py)
m = importlib.util.module_from_spec(spec_)
spec_.loader.exec_module(m)
lib = m.bind_functions()
check("python: getpid() == os.getpid()", lib.getpid() == os.getpid())
check("python: restype of getpid is set (not the default)", lib.getpid.restype is not None
      and sz(lib.getpid.restype) == sz(ctypes.c_int), lib.getpid.restype)
check("python: strlen(b'hello') == 5", lib.strlen(b"hello") == 5)
check("python: strlen returns size_t (a value past 2**31 would not be cut)",
      sz(lib.strlen.restype) == sz(ctypes.c_size_t), lib.strlen.restype)
buf = ctypes.create_string_buffer(64)
n = lib.snprintf(buf, 64, b"%d/%s/%.1f", ctypes.c_int(42), b"ab", ctypes.c_double(2.5))
check("python: snprintf (variadic: fixed argtypes, the rest as ctypes values)",
      n == 9 and buf.value == b"42/ab/2.5" and len(lib.snprintf.argtypes) == 3, (n, buf.value))
arr = (ctypes.c_int * 6)(5, -3, 9, 1, 4, 0)
CMP = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.c_void_p, ctypes.c_void_p)


@CMP
def compare(a, b):
    x = ctypes.cast(a, ctypes.POINTER(ctypes.c_int))[0]
    y = ctypes.cast(b, ctypes.POINTER(ctypes.c_int))[0]
    return (x > y) - (x < y)


lib.qsort(arr, len(arr), ctypes.sizeof(ctypes.c_int), compare)
check("python: qsort with a Python callback sorts", list(arr) == sorted([5, -3, 9, 1, 4, 0]), list(arr))
ts = m.timespec()
before = time.clock_gettime(time.CLOCK_REALTIME)
rc = lib.clock_gettime(time.CLOCK_REALTIME, ctypes.byref(ts))
after = time.clock_gettime(time.CLOCK_REALTIME)
got = ts.tv_sec + ts.tv_nsec / 1e9
check("python: clock_gettime fills struct timespec (between two time.clock_gettime calls)",
      rc == 0 and before - 1e-6 <= got <= after + 1e-6, (before, got, after))
check("python: clock_gettime's second argtype is POINTER(timespec)",
      lib.clock_gettime.argtypes[1] is ctypes.POINTER(m.timespec), lib.clock_gettime.argtypes)
target = os.path.join(WORK, "some file")
with open(target, "wb") as f:
    f.write(b"x" * 12345)
sb = m.stat()
rc = lib.stat(target.encode(), ctypes.byref(sb))
check("python: stat() fills struct stat: st_size and st_mode as os.stat's",
      rc == 0 and sb.st_size == os.stat(target).st_size == 12345 and sb.st_mode == os.stat(target).st_mode,
      (rc, sb.st_size))
gs = protos["getsockname"]["params"][1]
check("getsockname's address is glibc's transparent union, passed as its first member (a pointer)",
      gs["kind"] == "union" and gs.get("first_member", {}).get("kind") == "pointer", gs)
with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
    sock.bind(("127.0.0.1", 0))
    sin = m.sockaddr_in()
    slen = ctypes.c_uint32(ctypes.sizeof(sin))
    rc = lib.getsockname(sock.fileno(), ctypes.byref(sin), ctypes.byref(slen))
    port = sock.getsockname()[1]
    check("python: getsockname (a transparent union parameter) fills struct sockaddr_in",
          rc == 0 and sin.sin_family == socket.AF_INET and socket.ntohs(sin.sin_port) == port,
          (rc, sin.sin_family, sin.sin_port, port))
H = ctypes.CFUNCTYPE(None, ctypes.c_int)
check("python: signal's handler type is CFUNCTYPE(None, c_int), as is its restype",
      lib.signal.argtypes[1] is H and lib.signal.restype is H, (lib.signal.argtypes, lib.signal.restype))

# ---- Rust: the extern block, built and run ----
rustc = shutil.which("rustc") or "/usr/bin/rustc"
check("a rustc is installed (.ci/deps installs Debian's)", os.path.exists(rustc), rustc)
rs = os.path.join(WORK, "platform.rs")
pptest.generate(SPEC, "rust", rs)
main = os.path.join(WORK, "main.rs")
with open(main, "w") as f:
    f.write(r"""mod platform;
use std::ffi::CString;

extern "C" fn cmp(a: *const core::ffi::c_void, b: *const core::ffi::c_void) -> i32 {
    let (x, y) = unsafe { (*(a as *const i32), *(b as *const i32)) };
    (x > y) as i32 - (x < y) as i32
}

fn main() {
    let path = CString::new(std::env::args().nth(1).unwrap()).unwrap();
    unsafe {
        println!("pid {} {}", platform::getpid(), std::process::id());
        println!("strlen {}", platform::strlen(b"hello\0".as_ptr() as *const _));
        let mut buf = [0u8; 32];
        let n = platform::snprintf(buf.as_mut_ptr() as *mut _, 32, b"%d-%s\0".as_ptr() as *const _,
                                   42i32, b"ab\0".as_ptr());
        println!("snprintf {} {}", n, String::from_utf8_lossy(&buf[..n as usize]));
        let mut v = [5i32, -3, 9, 1];
        platform::qsort(v.as_mut_ptr() as *mut _, 4, 4, Some(cmp));
        println!("qsort {:?}", v);
        let mut st: platform::stat = core::mem::zeroed();
        let rc = platform::stat(path.as_ptr() as *const _, &mut st);
        println!("stat {} {}", rc, st.st_size);
    }
}
""")
exe = os.path.join(WORK, "main")
r = subprocess.run([rustc, "--edition", "2021", main, "-o", exe], capture_output=True, text=True)
with open(rs) as f:
    check("rust: _exit never returns (-> !)", "pub fn _exit(p0: i32) -> !;" in f.read())
if check("rust: a program using the extern block builds", r.returncode == 0, r.stderr[-2500:]):
    out = subprocess.run([exe, target], capture_output=True, text=True).stdout.splitlines()
    lines = {ln.split(" ", 1)[0]: ln.split(" ", 1)[1] for ln in out if " " in ln}
    pids = lines.get("pid", "").split()
    check("rust: getpid() == std::process::id()", len(pids) == 2 and pids[0] == pids[1], out)
    check("rust: strlen", lines.get("strlen") == "5", out)
    check("rust: snprintf (variadic)", lines.get("snprintf") == "5 42-ab", out)
    check("rust: qsort with a Rust callback", lines.get("qsort") == "[-3, 1, 5, 9]", out)
    check("rust: stat's st_size as os.stat's", lines.get("stat") == f"0 {os.stat(target).st_size}", out)

# ---- declarations a binding cannot always spell: f(), a struct by value, long double ----
with open(os.path.join(WORK, "proto_odd.h"), "w") as f:
    f.write("struct pp_pair { int a, b; };\nstruct pp_opaque { long x; double y; };\n"
            "int pp_old();\nint pp_sum(struct pp_pair p);\nint pp_opq(struct pp_opaque o);\n"
            "long double pp_half(long double x);\n")
with open(os.path.join(WORK, "proto_odd.c"), "w") as f:
    f.write("#include \"proto_odd.h\"\nint pp_old() { return 7; }\n"
            "int pp_sum(struct pp_pair p) { return p.a + p.b; }\n"
            "int pp_opq(struct pp_opaque o) { return (int)(o.x + o.y); }\n"
            "long double pp_half(long double x) { return x / 2; }\n")
odd_so = os.path.join(WORK, "libprotoodd.so")
subprocess.run(["cc", "-shared", "-fPIC", "-I", WORK, os.path.join(WORK, "proto_odd.c"), "-o", odd_so],
               check=True)
ODD = {"headers": ["proto_odd.h"], "include_dirs": [WORK], "libs": ["-L" + WORK, "-lprotoodd"],
       "structs": [{"name": "struct pp_pair", "fields": ["a", "b"]}],
       "functions": ["pp_old", "pp_sum", "pp_opq", "pp_half"]}
ODDDIR = os.path.join(WORK, "odd")  # pptest writes its spec.json beside the output: not ours
os.makedirs(ODDDIR)
p, od = pptest.probe(ODD, tmpdir=ODDDIR)
op = (od or {}).get("prototypes", {})
check("f() is recorded as unprototyped, with no parameters",
      op.get("pp_old") == {"returns": {"size": 4, "kind": "int", "signed": True, "type": "int"},
                           "params": [], "variadic": False, "prototyped": False}, p.stderr + json.dumps(op))
check("a struct by value is its record",
      [x.get("record") for x in op.get("pp_sum", {}).get("params", [])] == ["struct pp_pair"], op.get("pp_sum"))
MISS = dict(ODD, functions=["pp_sum", {"name": "pp_declared_only", "optional": True}])
with open(os.path.join(WORK, "proto_odd.h"), "a") as f:
    f.write("int pp_declared_only(int);\n")
for mode in ("object", "run"):
    p, md = pptest.probe(MISS, ["--mode", mode, "--no-cache"], env={"LD_LIBRARY_PATH": WORK}, tmpdir=ODDDIR)
    check(f"--mode {mode}: a function declared but not linking is false, without a prototype "
          "(its address in the probe does not break the link)",
          md and md["functions"] == {"pp_sum": True, "pp_declared_only": False}
          and md["prototypes"]["pp_declared_only"] is None and md["prototypes"]["pp_sum"],
          p.stderr[-1500:])
odd_py = os.path.join(ODDDIR, "ppodd.py")
pptest.generate(ODD, "python", odd_py)
spec_ = importlib.util.spec_from_file_location("ppodd", odd_py)
mo = importlib.util.module_from_spec(spec_)
spec_.loader.exec_module(mo)
olib = mo.bind_functions(ctypes.CDLL(odd_so))
check("python: a described struct passed by value (pp_sum(pp_pair(3, 4)) == 7)",
      olib.pp_sum(mo.pp_pair(3, 4)) == 7)
check("python: long double by value (pp_half(3.0) == 1.5)", olib.pp_half(ctypes.c_longdouble(3.0)) == 1.5)
with open(odd_py) as f:
    text = f.read()
check("python: f() and an undescribed struct by value are not bound, with a comment saying why",
      "pp_old" not in mo.PROTOTYPES and "pp_opq" not in mo.PROTOTYPES
      and "# pp_old: not bound, declared without a prototype" in text
      and "# pp_opq: not bound, passes by value what the spec does not describe" in text, text[-1500:])
odd_rs = os.path.join(ODDDIR, "odd.rs")
rtext = pptest.generate(ODD, "rust", odd_rs)
r = subprocess.run([rustc, "--edition", "2021", "--crate-type", "lib", odd_rs, "-o",
                    os.path.join(WORK, "libodd.rlib")], capture_output=True, text=True)
check("rust: the module builds; long double and f() are comments, pp_sum takes the struct",
      r.returncode == 0 and "// pp_half: not declared" in rtext and "// pp_old: not declared" in rtext
      and "pub fn pp_sum(p0: pp_pair) -> i32;" in rtext, r.stderr[-1500:] + rtext[-1500:])

# ---- 32-bit x86 with _FILE_OFFSET_BITS=64: the symbol gcc references, off_t of 8 bytes ----
m32inc = os.path.join(WORK, "m32-include")
os.makedirs(m32inc, exist_ok=True)
os.symlink("/usr/include/x86_64-linux-gnu/asm", os.path.join(m32inc, "asm"))
m32 = ["-m32", "-idirafter", m32inc]
S32 = {"defines": {"_FILE_OFFSET_BITS": "64"}, "headers": ["sys/types.h", "sys/stat.h", "unistd.h"],
       "structs": [{"name": "struct stat", "fields": ["st_size"]}], "functions": ["stat", "lseek", "getpid"]}
p = pptest.run(["probe", write_spec(S32, "s32.json")], env={"CFLAGS": " ".join(m32)})
if check("-m32 -D_FILE_OFFSET_BITS=64: exit 0", p.returncode == 0, p.stderr[-1500:]):
    p32 = json.loads(p.stdout)["prototypes"]
    ok, why = compiles(compat_program(S32, p32), m32)
    check("-m32: the compiler finds every recorded prototype compatible", ok, why)
    obj = os.path.join(WORK, "calls32.o")
    src = os.path.join(WORK, "calls32.c")
    with open(src, "w") as f:
        f.write("#define _FILE_OFFSET_BITS 64\n#include <sys/stat.h>\n#include <unistd.h>\n"
                "int f(struct stat *b) { return stat(\"x\", b) + (int)lseek(0, 0, 0); }\n")
    subprocess.run(["cc", *m32, "-c", src, "-o", obj], check=True)
    undef = subprocess.run(["nm", "-u", obj], capture_output=True, text=True).stdout.split()
    want = {n: (n if n in undef else [u for u in undef if u.startswith(n)][0]) for n in ("stat", "lseek")}
    check("-m32: the recorded symbols are those gcc's own calls reference (nm -u)",
          all(p32[n].get("symbol", n) == want[n] for n in want) and want["stat"] != "stat",
          (want, {n: p32[n].get("symbol") for n in want}))
    check("-m32: lseek's off_t parameter and result are 8 bytes, pointers 4",
          p32["lseek"]["params"][1]["size"] == 8 and p32["lseek"]["returns"]["size"] == 8
          and p32["stat"]["params"][1]["size"] == 4, p32["lseek"])

# ---- -f guard: each prototype asserted by the compiler that includes it ----
S32G = dict(S32, functions=["lseek", "getpid"], structs=[])
gdir = os.path.join(WORK, "guard")
os.makedirs(gdir)
gpath = os.path.join(gdir, "guard.h")
p, _ = pptest.probe(S32G, ["-f", "guard", "-o", gpath], env={"CFLAGS": " ".join(m32)}, tmpdir=gdir)
check("-f guard of the -m32 _FILE_OFFSET_BITS=64 spec: exit 0", p.returncode == 0, p.stderr[-1500:])
with open(gpath) as f:
    gtext = f.read()
check("the guard asserts each prototype", "__typeof__(&lseek)" in gtext and "__typeof__(&getpid)" in gtext,
      gtext[-1500:])
check("the guard accepts a noreturn declaration from a compiler that does not record it",
      "__attribute__((__noreturn__))" in gtext, gtext[-1500:])
gsrc = os.path.join(gdir, "use.c")
for defines, want_ok in (("#define _FILE_OFFSET_BITS 64\n", True), ("", False)):
    with open(gsrc, "w") as f:
        f.write(defines + "#include <sys/types.h>\n#include <sys/stat.h>\n#include <unistd.h>\n"
                "#include \"guard.h\"\n")
    r = subprocess.run(["cc", *m32, "-c", gsrc, "-o", gsrc + ".o"], capture_output=True, text=True)
    if want_ok:
        check("-m32: the guard compiles with the probe's defines", r.returncode == 0, r.stderr[-1500:])
    else:
        check("-m32: without _FILE_OFFSET_BITS=64 the guard stops the build at lseek's prototype",
              r.returncode != 0 and "lseek has another prototype" in r.stderr, r.stderr[-1500:])

# ---- cross targets (the debug information of a big-endian and a 32-bit object) ----
for triple in ("s390x-linux-gnu", "arm-linux-gnueabihf"):
    xcc = shutil.which(f"{triple}-gcc")
    if not check(f"{triple}-gcc is installed (.ci/deps)", xcc, "not on PATH"):
        continue
    p = pptest.run(["probe", write_spec(SPEC, "spec-cross.json"), "--target", triple])
    xp = json.loads(p.stdout)["prototypes"] if p.returncode == 0 else {}
    ok, why = compiles(compat_program(SPEC, {n: xp.get(n) for n in FUNCS}), cc=xcc)
    check(f"{triple}: every function has a prototype, compatible with the function's own type",
          all(xp.get(n) for n in FUNCS) and ok, why or p.stderr[-1500:])

# ---- COFF (mingw): answered without prototypes, one note ----
mingw = shutil.which("x86_64-w64-mingw32-gcc")
check("mingw-w64 gcc is installed (.ci/deps)", mingw, "x86_64-w64-mingw32-gcc not on PATH")
if mingw:
    W = {"headers": ["stdio.h", "string.h"], "functions": ["strlen", "printf"]}
    p = pptest.run(["probe", write_spec(W, "w.json"), "--cc", mingw, "--no-cache"])
    d = json.loads(p.stdout) if p.returncode == 0 else {}
    notes = [ln for ln in p.stderr.splitlines() if "note:" in ln]
    check("mingw: functions answered, prototypes null",
          d.get("functions") == {"strlen": True, "printf": True}
          and d.get("prototypes") == {"strlen": None, "printf": None}, p.stdout + p.stderr)
    check("mingw: one note saying why", len(notes) == 1 and "COFF" in notes[0], p.stderr)

pptest.done()
