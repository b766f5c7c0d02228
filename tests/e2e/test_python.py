"""End-to-end: -f python. The generated ctypes module is imported (its own layout checks run) and
used as a binding would: libc's stat(), clock_gettime(), uname() and localtime_r() fill the
generated classes, compared with Python's os.stat(), time.clock_gettime(), os.uname() and
time.localtime(); a struct with bit-fields is filled and read by a C library built here."""
import atexit, ctypes, importlib.util, os, shutil, subprocess, sys, tempfile, time
import pptest
from pptest import check

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
WORK = tempfile.mkdtemp(prefix="pptest-py-")
atexit.register(shutil.rmtree, WORK, True)


def generate(spec, name):
    """Probe spec with -f python into WORK/name.py and import it; (module or None, stderr)."""
    path = os.path.join(WORK, name + ".py")
    p, _ = pptest.probe(spec, ["-f", "python", "-o", path], tmpdir=WORK)
    if p.returncode != 0:
        return None, p.stderr
    spec_ = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec_)
    try:
        spec_.loader.exec_module(mod)
    except Exception as e:  # the module's own layout checks raise ImportError
        return None, f"{type(e).__name__}: {e}"
    return mod, ""


libc = ctypes.CDLL(None, use_errno=True)

# ---- libc's structs ----
SPEC = {
    "headers": ["sys/types.h", "sys/stat.h", "time.h", "sys/utsname.h", "stdio.h", "float.h"],
    "defines": {"_GNU_SOURCE": "1"},
    "types": ["off_t", "time_t", "mode_t", "clockid_t", "size_t", "struct timespec"],
    "structs": [
        {"name": "struct stat", "fields": ["st_dev", "st_ino", "st_mode", "st_nlink", "st_uid",
                                           "st_gid", "st_rdev", "st_size", "st_blksize", "st_blocks",
                                           "st_mtim", "st_mtim.tv_sec", "st_mtim.tv_nsec"]},
        {"name": "struct timespec", "fields": ["tv_sec", "tv_nsec"]},
        {"name": "struct utsname", "fields": ["sysname", "nodename", "release", "version",
                                              "machine"]},
        {"name": "struct tm", "fields": ["tm_sec", "tm_min", "tm_hour", "tm_mday", "tm_mon",
                                         "tm_year", "tm_wday", "tm_yday", "tm_isdst", "tm_gmtoff",
                                         "tm_zone"]},
    ],
    "constants": ["CLOCK_REALTIME", "CLOCK_MONOTONIC", "DBL_MAX", "P_tmpdir", "-1"],
}
m, why = generate(SPEC, "ppgen_libc")
check("the generated module imports (its layout checks pass)", m is not None, why)
if m is None:
    pptest.done()

check("off_t is a signed 64-bit ctypes integer", m.off_t is ctypes.c_int64, m.off_t)
check("mode_t is an unsigned 32-bit ctypes integer", m.mode_t is ctypes.c_uint32, m.mode_t)
check("constants: CLOCK_MONOTONIC as Python's", m.CLOCK_MONOTONIC == time.CLOCK_MONOTONIC,
      m.CLOCK_MONOTONIC)
check("constants: a float", m.DBL_MAX == sys.float_info.max, m.DBL_MAX)
check("constants: a string", m.P_tmpdir == "/tmp", m.P_tmpdir)

for name in ("stat", "timespec", "utsname", "tm"):
    cls = getattr(m, name)
    check(f"{name} is a ctypes.Structure", issubclass(cls, ctypes.Structure), cls.__mro__)

# stat(): every listed field against os.stat(), on a file with a known size and mode.
path = os.path.join(WORK, "some file")
with open(path, "wb") as f:
    f.write(b"x" * 12345)
os.chmod(path, 0o640)
os.utime(path, ns=(1_600_000_000_123_456_789, 1_700_000_000_987_654_321))
st = m.stat()
rc = libc.stat(path.encode(), ctypes.byref(st))
check("libc stat() through the generated class", rc == 0, ctypes.get_errno())
ref = os.stat(path)
for ours, theirs in (("st_dev", "st_dev"), ("st_ino", "st_ino"), ("st_mode", "st_mode"),
                     ("st_nlink", "st_nlink"), ("st_uid", "st_uid"), ("st_gid", "st_gid"),
                     ("st_size", "st_size"), ("st_blksize", "st_blksize"),
                     ("st_blocks", "st_blocks"), ("st_rdev", "st_rdev")):
    check(f"stat.{ours} == os.stat().{theirs}", getattr(st, ours) == getattr(ref, theirs),
          (getattr(st, ours), getattr(ref, theirs)))
check("stat.st_mtim (a nested struct) == os.stat().st_mtime_ns",
      st.st_mtim.tv_sec * 10**9 + st.st_mtim.tv_nsec == ref.st_mtime_ns,
      (st.st_mtim.tv_sec, st.st_mtim.tv_nsec, ref.st_mtime_ns))

# clock_gettime(): CLOCK_MONOTONIC read by libc lies between two readings by Python.
ts = m.timespec()
before = time.clock_gettime_ns(time.CLOCK_MONOTONIC)
rc = libc.clock_gettime(m.CLOCK_MONOTONIC, ctypes.byref(ts))
after = time.clock_gettime_ns(time.CLOCK_MONOTONIC)
ns = ts.tv_sec * 10**9 + ts.tv_nsec
check("libc clock_gettime() through the generated class", rc == 0, ctypes.get_errno())
check("timespec between two time.clock_gettime() readings", before <= ns <= after,
      (before, ns, after))
check("timespec.tv_nsec below a second", 0 <= ts.tv_nsec < 10**9, ts.tv_nsec)

# uname(): every field against os.uname().
u = m.utsname()
check("libc uname() through the generated class", libc.uname(ctypes.byref(u)) == 0)
ref = os.uname()
for field in ("sysname", "nodename", "release", "version", "machine"):
    got = bytes(getattr(u, field)).split(b"\0")[0].decode()
    check(f"utsname.{field} == os.uname().{field}", got == getattr(ref, field),
          (got, getattr(ref, field)))

# localtime_r(): every field against time.localtime(), for a few instants and two zones.
libc.localtime_r.restype = ctypes.c_void_p
for tz in ("UTC", "America/New_York", "Asia/Kolkata"):
    os.environ["TZ"] = tz
    time.tzset()
    libc.tzset()
    for t in (0, 1_700_000_000, 1_720_000_000, -86_400 * 365):
        tmv = m.tm()
        tt = m.time_t(t)
        ok = libc.localtime_r(ctypes.byref(tt), ctypes.byref(tmv)) is not None
        ref = time.localtime(t)
        got = (tmv.tm_year + 1900, tmv.tm_mon + 1, tmv.tm_mday, tmv.tm_hour, tmv.tm_min,
               tmv.tm_sec, (tmv.tm_wday + 6) % 7, tmv.tm_yday + 1, tmv.tm_isdst, tmv.tm_gmtoff,
               ctypes.string_at(tmv.tm_zone).decode())
        want = (ref.tm_year, ref.tm_mon, ref.tm_mday, ref.tm_hour, ref.tm_min, ref.tm_sec,
                ref.tm_wday, ref.tm_yday, ref.tm_isdst, ref.tm_gmtoff, ref.tm_zone)
        check(f"localtime_r({t}) in {tz} == time.localtime()", ok and got == want, (got, want))

# ---- bit-fields, filled and read by a C library built here ----
lib = os.path.join(WORK, "libbitfields.so")
subprocess.run(["cc", "-shared", "-fPIC", "-I", DATA, os.path.join(DATA, "bitfields.c"), "-o", lib],
               check=True)
FIELDS = ["tag", "a", "b", "c", "after", "big", "rest", "s", "neg", "x", "y", "lone"]
bf, why = generate({"headers": ["bitfields.h"], "include_dirs": [DATA],
                    "structs": [{"name": "struct bf", "fields": FIELDS}]}, "ppgen_bf")
check("the bit-field module imports (its layout checks pass)", bf is not None, why)
if bf is not None:
    # The expected values are the C header's BF_* macros, read by the C compiler.
    expect = [int(v) for v in pptest.cc_run(
        '#include <stdio.h>\n#include "bitfields.h"\nint main(void) { printf("%lld %lld %lld %lld '
        '%lld %lld %lld %lld %lld %lld %lld %lld\\n", (long long)BF_TAG, (long long)BF_A, '
        '(long long)BF_B, (long long)BF_C, (long long)BF_AFTER, (long long)BF_BIG, '
        '(long long)BF_REST, (long long)BF_S, (long long)BF_NEG, (long long)BF_X, (long long)BF_Y, '
        '(long long)BF_LONE); return 0; }', ["-I", DATA]).split()]
    h = ctypes.CDLL(lib)
    h.bitfields_get.restype = ctypes.c_longlong
    h.bitfields_get.argtypes = [ctypes.c_void_p, ctypes.c_int]
    v = bf.bf()
    h.bitfields_fill(ctypes.byref(v))
    for i, name in enumerate(FIELDS):
        got, want = getattr(v, name), expect[i]
        check(f"bf.{name} filled by C reads back in Python", got == want, (got, want))
    # And the other way: Python stores, C reads.
    w = bf.bf()
    values = [0x5a, 2, 30, 4000, 0x11, 0x123456789a, 0x654321, -4321, 0x3b, 0x54321, 0x3c, 1]
    for name, val in zip(FIELDS, values):
        setattr(w, name, val)
    for i, name in enumerate(FIELDS):
        got = h.bitfields_get(ctypes.byref(w), i)
        want = values[i] if name != "neg" else -5  # 0x3b in 6 signed bits
        check(f"bf.{name} stored by Python reads back in C", got == want, (got, want))

# ---- the default spec, probe/posix.json: every struct's layout as ctypes builds it ----
import json  # noqa: E402
posix, why = generate(json.load(open(os.path.join(pptest.TOP, "probe", "posix.json"))), "ppgen_posix")
check("posix.json's module imports: ctypes agrees with every layout", posix is not None, why)
if posix is not None:
    check("posix.json's module has its structs", len(posix._LAYOUTS) >= 38, len(posix._LAYOUTS))

# ---- a layout ctypes cannot match fails the import, loudly ----
text = open(os.path.join(WORK, "ppgen_libc.py")).read()
bad = os.path.join(WORK, "ppgen_bad.py")
with open(bad, "w") as f:
    f.write(text.replace('("tm_gmtoff", 40, 8,', '("tm_gmtoff", 44, 8,'))
spec_ = importlib.util.spec_from_file_location("ppgen_bad", bad)
try:
    spec_.loader.exec_module(importlib.util.module_from_spec(spec_))
    check("a wrong offset fails the import", False, "imported")
except ImportError as e:
    check("a wrong offset fails the import", "tm_gmtoff" in str(e), str(e))

pptest.done()
