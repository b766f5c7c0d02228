"""End-to-end: constants (integers exact over int64/uint64, floats round-trip, inf/nan strings,
byte-exact strings), checked against Python's errno/signal/socket/os/stat/resource modules,
sys.float_info, struct-derived float values and literal facts of C. --mode object and
--mode run must agree; SIGRTMIN is refused in object mode and answered in run mode."""
import atexit, ctypes, errno, json, math, os, resource, shutil, signal, socket, stat, struct
import subprocess, sys, tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pptest  # noqa: E402
from pptest import check  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data")
WORK = tempfile.mkdtemp(prefix="pptest-const-")
atexit.register(shutil.rmtree, WORK, True)
tempfile.tempdir = WORK

HEADERS = ["errno.h", "signal.h", "sys/types.h", "sys/socket.h", "netinet/in.h", "fcntl.h",
           "sys/stat.h", "limits.h", "stdint.h", "float.h", "math.h", "sys/resource.h",
           "sys/mman.h", "unistd.h", "strmacros.h"]


def bits(ctype):
    return 8 * ctypes.sizeof(ctype)


def f32(x):
    """The value of a C float constant, widened to double (exact)."""
    return struct.unpack("<f", struct.pack("<f", x))[0]


EXPECTED = {}   # spec name -> expected value (ints exact, floats exact, strings)

# errno: every name Python's errno module knows
for n in sorted(errno.errorcode.values()):
    EXPECTED[n] = getattr(errno, n)

# signals: every member (aliases too) except the real-time ones, which are not constants in glibc
for n, v in signal.Signals.__members__.items():
    if n not in ("SIGRTMIN", "SIGRTMAX"):
        EXPECTED[n] = int(v)

for n in ["AF_UNSPEC", "AF_INET", "AF_INET6", "AF_UNIX", "AF_PACKET", "AF_NETLINK",
          "SOCK_STREAM", "SOCK_DGRAM", "SOCK_RAW", "SOCK_SEQPACKET", "SOCK_NONBLOCK", "SOCK_CLOEXEC",
          "SOL_SOCKET", "SO_REUSEADDR", "SO_KEEPALIVE", "SO_RCVBUF", "SO_SNDBUF", "SO_ERROR",
          "SO_TYPE", "SO_LINGER", "SO_BROADCAST", "SO_REUSEPORT",
          "IPPROTO_IP", "IPPROTO_TCP", "IPPROTO_UDP", "IPPROTO_IPV6", "IPPROTO_ICMP", "IPPROTO_RAW",
          "MSG_PEEK", "MSG_DONTWAIT", "SHUT_RDWR", "INADDR_ANY", "INADDR_LOOPBACK"]:
    EXPECTED[n] = int(getattr(socket, n))

for n in ["O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE", "O_CREAT", "O_EXCL", "O_TRUNC", "O_APPEND",
          "O_NONBLOCK", "O_CLOEXEC", "O_DIRECTORY", "O_NOFOLLOW", "O_SYNC", "O_DSYNC", "O_NOCTTY",
          "O_DIRECT", "O_PATH", "O_TMPFILE", "O_NOATIME", "O_ASYNC"]:
    EXPECTED[n] = getattr(os, n)
for n in ["SEEK_SET", "SEEK_CUR", "SEEK_END", "F_OK", "R_OK", "W_OK", "X_OK"]:
    EXPECTED[n] = getattr(os, n)

EXPECTED["S_IFMT"] = stat.S_IFMT(0o7777777)   # stat.S_IFMT is a function: apply it to all ones
for n in ["S_IFDIR", "S_IFREG", "S_IFLNK", "S_IFSOCK", "S_IFIFO", "S_IFCHR", "S_IFBLK",
          "S_ISUID", "S_ISGID", "S_ISVTX", "S_IRWXU", "S_IRUSR", "S_IWUSR", "S_IXUSR", "S_IRWXO"]:
    EXPECTED[n] = getattr(stat, n)

# exact integers: literal facts of C, with widths from ctypes
LL = bits(ctypes.c_longlong)
EXPECTED.update({
    "ULLONG_MAX": 2 ** bits(ctypes.c_ulonglong) - 1,
    "LLONG_MIN": -2 ** (LL - 1),
    "LLONG_MAX": 2 ** (LL - 1) - 1,
    "INT_MIN": -2 ** (bits(ctypes.c_int) - 1),
    "INT_MAX": 2 ** (bits(ctypes.c_int) - 1) - 1,
    "UINT_MAX": 2 ** bits(ctypes.c_uint) - 1,
    "LONG_MIN": -2 ** (bits(ctypes.c_long) - 1),
    "ULONG_MAX": 2 ** bits(ctypes.c_ulong) - 1,
    "CHAR_BIT": 8,
    "SIZE_MAX": 2 ** bits(ctypes.c_size_t) - 1,
    "INT64_MIN": -2 ** 63,
    "INT64_MAX": 2 ** 63 - 1,
    "UINT64_MAX": 2 ** 64 - 1,
    "UINT32_MAX": 2 ** 32 - 1,
    "INT8_MIN": -128,
    "-1": -1,
    "0": 0,
    "0x80000000U": 2 ** 31,
    "(1ULL<<63)": 2 ** 63,
    "-1U": 2 ** bits(ctypes.c_uint) - 1,
    "(-9223372036854775807LL-1)": -2 ** 63,
    "18446744073709551615ULL": 2 ** 64 - 1,
    "(2+3)*7": 35,
    "RLIM_INFINITY": resource.RLIM_INFINITY % (2 ** 64),  # Python shows rlim_t's all-ones as -1
    "MAP_FAILED": 2 ** bits(ctypes.c_void_p) - 1,       # (void *)-1, given as unsigned
    "NUM_NEG": -42,
    "NUM_HEX": 0xdeadbeef,
})

# floats: exact values from sys.float_info and from IEEE bit patterns
EXPECTED.update({
    "DBL_MAX": sys.float_info.max,
    "DBL_MIN": sys.float_info.min,
    "DBL_EPSILON": sys.float_info.epsilon,
    "DBL_TRUE_MIN": sys.float_info.min * sys.float_info.epsilon,   # 2**-1074, a subnormal
    "FLT_MAX": struct.unpack("<f", struct.pack("<I", 0x7F7FFFFF))[0],
    "FLT_MIN": struct.unpack("<f", struct.pack("<I", 0x00800000))[0],
    "FLT_EPSILON": struct.unpack("<f", struct.pack("<I", 0x34000000))[0],
    "M_PI": math.pi,
    "M_E": math.e,
    "NUM_FLOAT": 0.1,
    "NUM_FLOATF": f32(0.1),
    "1.0/3": 1.0 / 3,
    "0.5": 0.5,
    "-2.5e-300": -2.5e-300,
    "INFINITY": "inf",
    "-INFINITY": "-inf",
    "HUGE_VAL": "inf",
    "NAN": "nan",
})

# strings: from Python literals; non-UTF-8 bytes become U+0080..U+00FF, valid UTF-8 stays text
EXPECTED.update({
    "STR_PLAIN": "hello, world",
    "STR_ESC": "line1\nline2\tcol \"quoted\" back\\slash",
    "STR_NUL": "a\x00b",
    "STR_HIGH": "\u0080\u00ff",
    "STR_UTF8": "\u00e9t\u00e9",
    "STR_EMPTY": "",
    "STR_CONCAT": "abcd",
    "STR_CTRL": "\x01\x1f\x7f",
    "STR_MIXED": "x\u00e9\u00ff/",
})

FLOATS = {"DBL_MAX", "DBL_MIN", "DBL_EPSILON", "DBL_TRUE_MIN", "FLT_MAX", "FLT_MIN", "FLT_EPSILON",
          "M_PI", "M_E", "NUM_FLOAT", "NUM_FLOATF", "1.0/3", "0.5", "-2.5e-300"}


def spec(constants):
    return {"headers": HEADERS, "defines": {"_GNU_SOURCE": "1"}, "include_dirs": [DATA],
            "constants": constants}


def probe(sp, extra):
    """Run platprobe on SPEC; returns (exit code, raw stdout bytes, stderr text, parsed doc)."""
    d = tempfile.mkdtemp(dir=WORK)
    path = os.path.join(d, "spec.json")
    with open(path, "w") as f:
        json.dump(sp, f)
    p = subprocess.run([pptest.PLATPROBE, "probe", path, *extra], capture_output=True, timeout=600)
    doc = None
    if p.returncode == 0:
        try:
            doc = json.loads(p.stdout.decode("utf-8"))   # strict UTF-8: the JSON must be valid text
        except ValueError as e:
            doc = e
    return p.returncode, p.stdout, p.stderr.decode("utf-8", "replace"), doc


def same(got, exp):
    if isinstance(exp, bool) or isinstance(got, bool):
        return False
    if isinstance(exp, int):
        return type(got) is int and got == exp
    if isinstance(exp, float):
        return type(got) is float and got == exp and math.copysign(1, got) == math.copysign(1, exp)
    return type(got) is str and got == exp


def check_doc(tag, doc, names):
    consts = doc.get("constants") or {}
    check(f"{tag}: constants keep spec order", list(consts) == names, repr(list(consts))[:500])
    for n in names:
        exp = EXPECTED[n]
        got = consts.get(n, "<missing>")
        check(f"{tag}: {n} = {exp!r}", same(got, exp), f"got {got!r} ({type(got).__name__})")


def main():
    names = list(EXPECTED)
    docs = {}
    for mode in ("object", "run"):
        rc, out, err, doc = probe(spec(names), ["--mode", mode])
        ok = check(f"{mode}: probe exits 0 with UTF-8 JSON", rc == 0 and isinstance(doc, dict),
                   f"exit {rc}, json: {doc!r}, stderr: {err[-3000:]}")
        if ok:
            docs[mode] = doc
            check_doc(mode, doc, names)
            # integers are written as plain JSON integers, never through a double (no 1.8e19, no ".0")
            text = out.decode("utf-8")
            check(f"{mode}: ULLONG_MAX written exactly", "18446744073709551615" in text, text[:300])
            check(f"{mode}: LLONG_MIN written exactly", "-9223372036854775808" in text, text[:300])
    if len(docs) == 2:
        check("object and run modes give identical constants",
              docs["object"]["constants"] == docs["run"]["constants"],
              str({k: (docs['object']['constants'].get(k), docs['run']['constants'].get(k))
                   for k in names if docs['object']['constants'].get(k) != docs['run']['constants'].get(k)
                   and EXPECTED[k] != "nan"}))
        check("object and run modes give identical JSON", docs["object"] == docs["run"], "")

    # SIGRTMIN is a function call in glibc: refused in object mode, answered in run mode
    sp = spec(["SIGINT", "SIGRTMIN"])
    rc, out, err, doc = probe(sp, ["--mode", "object"])
    check("SIGRTMIN object mode: exit 1", rc == 1, f"exit {rc}, stderr: {err[-2000:]}")
    check("SIGRTMIN object mode: stdout empty", out == b"", out[:300])
    check("SIGRTMIN object mode: message", 'constants[1] "SIGRTMIN"' in err and
          "not a compile-time constant" in err, err[-2000:])
    rc, out, err, doc = probe(sp, ["--mode", "run"])
    if check("SIGRTMIN run mode: exit 0", rc == 0 and isinstance(doc, dict), f"exit {rc}, {err[-2000:]}"):
        c = doc.get("constants", {})
        check("SIGRTMIN run mode = signal.SIGRTMIN", same(c.get("SIGRTMIN"), int(signal.SIGRTMIN)),
              repr(c.get("SIGRTMIN")))
        check("SIGINT run mode = signal.SIGINT", same(c.get("SIGINT"), int(signal.SIGINT)),
              repr(c.get("SIGINT")))
    # optional SIGRTMIN in object mode: answered null, the rest still right
    sp = spec(["SIGINT", {"name": "SIGRTMIN", "optional": True}, "EAGAIN"])
    rc, out, err, doc = probe(sp, ["--mode", "object"])
    if check("optional SIGRTMIN object mode: exit 0", rc == 0 and isinstance(doc, dict),
             f"exit {rc}, {err[-2000:]}"):
        c = doc.get("constants", {})
        check("optional SIGRTMIN object mode: null", "SIGRTMIN" in c and c["SIGRTMIN"] is None,
              repr(c))
        check("optional SIGRTMIN object mode: others right",
              same(c.get("SIGINT"), int(signal.SIGINT)) and same(c.get("EAGAIN"), errno.EAGAIN), repr(c))
    pptest.done()


if __name__ == "__main__":
    main()
