"""platprobe.ctypes_configure against ctypes_configure's behaviour (its own tests and sample,
and the rules its code follows), with every number from a C program or Python's own modules."""
import ctypes
import os
import struct
import time

import pytest

from platprobe.ctypes_configure import configure
from platprobe.ctypes_configure.cbuild import ExternalCompilationInfo
from conftest import c_values

DIRENT = """
struct dirent  /* for this example only, not the exact dirent */
{
    long d_ino;
    int d_off;
    unsigned short d_reclen;
    char d_name[32];
};
"""


def test_struct_padding_and_alignment():
    dirent = configure.getstruct("struct dirent", DIRENT, [("d_reclen", ctypes.c_ushort)])
    c = c_values(DIRENT, {"size": "sizeof(struct dirent)", "align": "_Alignof(struct dirent)",
                          "reclen": "offsetof(struct dirent, d_reclen)"})
    assert issubclass(dirent, ctypes.Structure)
    assert dirent.__name__ == "dirent"
    # ctypes_configure: '_alignment' (c_long for 8) at the first free multiple of 8, then
    # one '_padN' c_char per byte no field covers, in offset order.
    pads = [("_pad%d" % n, ctypes.c_char) for n in range(c["reclen"] - 8)]
    tail = [("_pad%d" % n, ctypes.c_char)
            for n in range(len(pads), len(pads) + c["size"] - c["reclen"] - 2)]
    assert dirent._fields_ == ([("_alignment", ctypes.c_long)] + pads
                               + [("d_reclen", ctypes.c_ushort)] + tail)
    assert ctypes.sizeof(dirent) == c["size"]
    assert ctypes.alignment(dirent) == c["align"]
    assert dirent.d_reclen.offset == c["reclen"]


def test_fit_type():
    src = """struct S { signed char c; unsigned char uc; short s; unsigned short us; int i;
             unsigned int ui; long l; unsigned long ul; long long ll; unsigned long long ull;
             float f; double d; };"""
    S = configure.getstruct("struct S", src, [
        ("c", ctypes.c_int), ("uc", ctypes.c_int), ("s", ctypes.c_uint), ("us", ctypes.c_int),
        ("i", ctypes.c_int), ("ui", ctypes.c_int), ("l", ctypes.c_int), ("ul", ctypes.c_int),
        ("ll", ctypes.c_int), ("ull", ctypes.c_int), ("f", ctypes.c_double),
        ("d", ctypes.c_float)])
    fields = dict(S._fields_)
    assert fields["c"] == ctypes.c_byte and fields["uc"] == ctypes.c_ubyte
    assert fields["s"] == ctypes.c_short and fields["us"] == ctypes.c_ushort
    assert fields["i"] == ctypes.c_int and fields["ui"] == ctypes.c_uint
    assert fields["l"] == ctypes.c_long and fields["ul"] == ctypes.c_ulong
    assert fields["ll"] == ctypes.c_longlong and fields["ull"] == ctypes.c_ulonglong
    assert fields["f"] == ctypes.c_float and fields["d"] == ctypes.c_double
    c = c_values(src, {k: "offsetof(struct S, %s)" % k for k in fields if not k.startswith("_")})
    for k, off in c.items():
        assert getattr(S, k).offset == off, k


def test_simple_type():
    assert configure.getsimpletype("test_t", "typedef unsigned short test_t;",
                                   ctypes.c_int) == ctypes.c_ushort
    c = c_values("#include <stddef.h>", {"size": "sizeof(size_t)", "neg": "(size_t)-1 < 0"})
    want = [t for t in configure.integer_class
            if ctypes.sizeof(t) == c["size"] and (t(-1).value > 0) == (not c["neg"])][0]
    assert configure.getsimpletype("size_t", "#include <stddef.h>") is want
    if c["size"] == 8 and ctypes.sizeof(ctypes.c_long) == 8:
        assert want is ctypes.c_ulong  # the LP64 example
    assert configure.getsimpletype("double", "", ctypes.c_float) is ctypes.c_double


def test_constant_integer():
    assert configure.getconstantinteger("BLAH", "#define BLAH (6*7)") == 42

    class CConfig:
        _compilation_info_ = configure.eci_from_header("""#include <stddef.h>
            #define NEG (-2147483648LL)
            #define U (3333333333ULL)
            #define UMAX (~0ULL)
            #define SMIN (-9223372036854775807LL - 1)
            #define F (7.9)
            #define NF (-7.9)""")
        neg = configure.ConstantInteger("NEG")
        u = configure.ConstantInteger("U")
        umax = configure.ConstantInteger("UMAX")
        smin = configure.ConstantInteger("SMIN")
        f = configure.ConstantInteger("F")
        nf = configure.ConstantInteger("NF")
        null = configure.ConstantInteger("NULL")
        expr = configure.ConstantInteger("(U + 1) * 2")
    res = configure.configure(CConfig)
    assert res == {"neg": -2147483648, "u": 3333333333, "umax": 2 ** 64 - 1, "smin": -2 ** 63,
                   "f": 7, "nf": -7, "null": 0, "expr": 6666666668}


def test_defined_constants():
    class CConfig:
        _compilation_info_ = ExternalCompilationInfo(
            includes=["errno.h"],
            post_include_lines=["#define STR \"hello\"", "#define BIG 0xffffffffffffffffULL",
                                "enum { ENUMC = 5 };"])
        eagain = configure.DefinedConstantInteger("EAGAIN")
        big = configure.DefinedConstantInteger("BIG")
        enumc = configure.DefinedConstantInteger("ENUMC")
        nope = configure.DefinedConstantInteger("NOT_DEFINED_ANYWHERE")
        s = configure.DefinedConstantString("STR")
        s_nope = configure.DefinedConstantString("NOT_DEFINED_ANYWHERE")
        d = configure.Defined("STR")
        d_enum = configure.Defined("ENUMC")
    import errno
    res = configure.configure(CConfig)
    assert res == {"eagain": errno.EAGAIN, "big": 2 ** 64 - 1, "enumc": None, "nope": None,
                   "s": "hello", "s_nope": None, "d": True, "d_enum": False}
    assert res["d"] is True and res["d_enum"] is False


# Has(name): ctypes_configure compiled and linked a program whose main() held `name;`, which
# refers to no symbol, so declared is enough. Each expected answer is what cc says of that program.
HAS_HEADER = """#include <stdio.h>
#include <stddef.h>
#include <unistd.h>
#include <errno.h>
int pp_nolink_fn(void);
extern int pp_nolink_var;
extern char **environ;
enum pp_has_e { PP_HAS_ENUM = 3 };
#define PP_HAS_EMPTY
#define PP_HAS_FNLIKE(x) (x)
typedef int pp_has_t;
"""


def _links_as_statement(header: str, name: str) -> bool:
    """Whether cc compiles and links `name;` in main() after header, as ctypes_configure did."""
    import subprocess
    import tempfile
    with tempfile.TemporaryDirectory(prefix="pptest-has-") as d:
        path = os.path.join(d, "has.c")
        with open(path, "w") as f:
            f.write("%s\nint main(void) {\n%s;\nreturn 0;\n}\n" % (header, name))
        return subprocess.run(["cc", "-w", path, "-o", os.path.join(d, "has")],
                              capture_output=True).returncode == 0


def test_has_declared_is_enough():
    names = ["write", "pp_nolink_fn", "pp_nolink_var", "NULL", "EOF", "PP_HAS_ENUM", "environ",
             "errno", "PP_HAS_EMPTY", "PP_HAS_FNLIKE", "pp_has_t", "size_t", "xxxwrite",
             "pp_has_undeclared"]
    expect = {n: _links_as_statement(HAS_HEADER, n) for n in names}
    # the cases this test is for, as the compiler decided them
    assert expect["pp_nolink_fn"] and expect["NULL"] and not expect["xxxwrite"]
    assert expect["pp_has_t"] and not expect["PP_HAS_FNLIKE"]

    class CConfig:
        _compilation_info_ = ExternalCompilationInfo(post_include_lines=HAS_HEADER.splitlines())
    for n in names:
        setattr(CConfig, "has_" + n, configure.Has(n))
    info = configure.configure(CConfig)
    assert {n: info["has_" + n] for n in names} == expect
    for n in names:
        assert configure.has(n, HAS_HEADER) is expect[n], n


def test_has():
    assert configure.has("x", "int x = 3;") is True
    assert configure.has("x", "") is False
    assert configure.has("x", "#include <some/path/which/cannot/exist>") is False
    assert configure.has("write", "#include <unistd.h>") is True
    assert configure.has("xxxwrite", "#include <unistd.h>") is False


def test_check_eci():
    assert configure.check_eci(ExternalCompilationInfo()) is True
    assert configure.check_eci(ExternalCompilationInfo(libraries=["m"])) is True
    assert configure.check_eci(
        ExternalCompilationInfo(libraries=["some_name_that_doesnt_exist_"])) is False
    assert configure.check_eci(ExternalCompilationInfo(includes=["no/such/header.h"])) is False


def test_sizeof_and_memory_alignment():
    assert configure.sizeof("char", ExternalCompilationInfo()) == 1
    c = c_values("#include <sys/time.h>", {"tv": "sizeof(struct timeval)"})
    assert configure.sizeof("struct timeval",
                            ExternalCompilationInfo(includes=["sys/time.h"])) == c["tv"]
    a = configure.memory_alignment()
    assert a % struct.calcsize("P") == 0 and a & (a - 1) == 0


def test_keys_exactly_one_per_entry_inherited_too():
    class Base:
        _compilation_info_ = ExternalCompilationInfo(includes=["stddef.h"])
        size_t = configure.SimpleType("size_t")
        not_an_entry = 3

    class CConfig(Base):
        ptrdiff = configure.SizeOf("ptrdiff_t")
        works = configure.Works()

    res = configure.configure(CConfig)
    assert sorted(res) == ["ptrdiff", "size_t", "works"]

    class Empty:
        _compilation_info_ = ExternalCompilationInfo()
        x = 1
    assert configure.configure(Empty) == {}


def test_sample_configure():
    """ctypes_configure's own sample (doc/sample.py), checked against the C compiler."""
    class CConfigure:
        _compilation_info_ = configure.ExternalCompilationInfo(
            pre_include_lines=[], includes=["time.h", "sys/time.h", "unistd.h"],
            include_dirs=[], post_include_lines=[], libraries=[], library_dirs=[],
            separate_module_sources=[], separate_module_files=[])
        size_t = configure.SimpleType("size_t", ctypes.c_int)
        NULL = configure.ConstantInteger("NULL")
        EXISTANT = configure.Defined("NULL")
        NOT_EXISTANT = configure.Defined("XXXNOTNULL")
        has_write = configure.Has("write")
        no_xxxwrite = configure.Has("xxxwrite")
        sizeof_size_t = configure.SizeOf("size_t")
        struct_timeval = configure.Struct("struct timeval", [("tv_sec", ctypes.c_int),
                                                             ("tv_usec", ctypes.c_int)])
    info = configure.configure(CConfigure)
    c = c_values("#include <sys/time.h>", {
        "size_t": "sizeof(size_t)", "tv": "sizeof(struct timeval)",
        "sec": "offsetof(struct timeval, tv_sec)", "usec": "offsetof(struct timeval, tv_usec)",
        "usec_size": "sizeof(((struct timeval *)0)->tv_usec)"})
    assert info["has_write"] and not info["no_xxxwrite"]
    assert info["NULL"] == 0 and info["EXISTANT"] and not info["NOT_EXISTANT"]
    assert ctypes.sizeof(info["size_t"]) == info["sizeof_size_t"] == c["size_t"]
    tv = info["struct_timeval"]
    assert ctypes.sizeof(tv) == c["tv"]
    assert (tv.tv_sec.offset, tv.tv_usec.offset, tv.tv_usec.size) == (c["sec"], c["usec"],
                                                                       c["usec_size"])


def test_configure_header_order_and_include_dirs(tmp_header):
    d, name = tmp_header("#define XYZZY 42\n", "test_ctypes_platform.h")

    class CConfig:
        _compilation_info_ = ExternalCompilationInfo(
            pre_include_lines=["/* a C comment */", "#include <stdio.h>",
                               "#include <%s>" % name],
            include_dirs=[d])
        FILE = configure.Struct("FILE", [])
        ushort = configure.SimpleType("unsigned short")
        XYZZY = configure.ConstantInteger("XYZZY")

    res = configure.configure(CConfig)
    assert issubclass(res["FILE"], ctypes.Structure) and res["FILE"].__name__ == "FILE"
    c = c_values("#include <stdio.h>", {"size": "sizeof(FILE)", "align": "_Alignof(FILE)"})
    assert (ctypes.sizeof(res["FILE"]), ctypes.alignment(res["FILE"])) == (c["size"], c["align"])
    assert res == {"FILE": res["FILE"], "ushort": ctypes.c_ushort, "XYZZY": 42}


def test_ifdef():
    class CConfig:
        _compilation_info_ = ExternalCompilationInfo(post_include_lines=[
            "/* a C comment */", "#define XYZZY 42", "typedef int foo;",
            "struct s {", "int i;", "double f;" "};"])
        s = configure.Struct("struct s", [("i", ctypes.c_int)], ifdef="XYZZY")
        z = configure.Struct("struct z", [("i", ctypes.c_int)], ifdef="FOOBAR")
        foo = configure.SimpleType("foo", ifdef="XYZZY")
        bar = configure.SimpleType("bar", ifdef="FOOBAR")

    res = configure.configure(CConfig)
    assert res["s"] is not None and res["foo"] is ctypes.c_int
    assert res["z"] is None and res["bar"] is None


def test_nested_structs():
    src = """struct x { int foo; unsigned long bar; };
             struct y { char c; struct x x; };"""

    class CConfig:
        _compilation_info_ = ExternalCompilationInfo(post_include_lines=src.split("\n"))
        x = configure.Struct("struct x", [("bar", ctypes.c_short)])
        y = configure.Struct("struct y", [("x", x)])

    res = configure.configure(CConfig)
    c_x, c_y = res["x"], res["y"]
    assert dict(c_y._fields_)["x"] is c_x
    c = c_values(src, {"x": "offsetof(struct y, x)", "y": "sizeof(struct y)",
                       "bar": "offsetof(struct x, bar)"})
    assert (c_y.x.offset, ctypes.sizeof(c_y), c_x.bar.offset) == (c["x"], c["y"], c["bar"])
    assert dict(c_x._fields_)["bar"] is ctypes.c_ulong


def test_char_array_resized_and_other_hints():
    dirent = configure.getstruct("struct dirent", DIRENT, [("d_name", ctypes.c_char * 0)])
    assert dirent.d_name.size == 32
    src = "struct p { void *ptr; int arr[3]; char ch; };"
    p = configure.getstruct("struct p", src, [("ptr", ctypes.c_void_p),
                                              ("arr", ctypes.c_int * 3), ("ch", ctypes.c_char)])
    fields = dict(p._fields_)
    assert fields["ptr"] is ctypes.c_void_p and fields["ch"] is ctypes.c_char
    assert fields["arr"]._length_ == 3
    with pytest.raises(TypeError):
        configure.getstruct("struct p", src, [("arr", ctypes.c_int * 2)])


def test_missing_things_raise_compile_error(capsys):
    for entry in (configure.SimpleType("no_such_type_t"),
                  configure.Struct("struct dirent", [("no_such_field", ctypes.c_int)]),
                  configure.ConstantInteger("NO_SUCH_CONSTANT"),
                  configure.SizeOf("struct no_such_struct")):
        class CConfig:
            _compilation_info_ = configure.eci_from_header(DIRENT)
            fine = configure.Defined("__STDC__")
            bad = entry
        with pytest.raises(configure.CompileError) as e:
            configure.configure(CConfig, noerr=True)
        assert "bad" in str(e.value)
        assert capsys.readouterr().err == ""
    with pytest.raises(configure.CompileError) as e:
        configure.getconstantinteger("NO_SUCH_CONSTANT", "")
    # the compiler's own words, and (noerr=False) on stderr
    assert "NO_SUCH_CONSTANT" in str(e.value) and "undeclared" in str(e.value)
    assert "undeclared" in capsys.readouterr().err


def test_link_error():
    class CConfig:
        _compilation_info_ = ExternalCompilationInfo(libraries=["some_name_that_doesnt_exist_"])
        size = configure.SizeOf("int")
    with pytest.raises(configure.LinkError):
        configure.configure(CConfig, noerr=True)


def test_legacy_and_missing_info():
    for attr in ("_includes_", "_libraries_", "_sources_", "_library_dirs_", "_include_dirs_",
                 "_header_"):
        legacy = type("CConfig", (), {attr: [], "_compilation_info_": ExternalCompilationInfo(),
                                      "x": configure.SizeOf("int")})
        with pytest.raises(AssertionError):
            configure.configure(legacy)
    no_info = type("CConfig", (), {"x": configure.SizeOf("int")})
    with pytest.raises(AttributeError):
        configure.configure(no_info)


def test_external_compilation_info():
    e = ExternalCompilationInfo(includes=["a.h"], libraries=("m",))
    assert e.includes == ("a.h",) and e.libraries == ("m",) and e.pre_include_lines == ()
    assert e == ExternalCompilationInfo(includes=("a.h",), libraries=["m"])
    assert hash(e) == hash(ExternalCompilationInfo(includes=("a.h",), libraries=["m"]))
    assert e != ExternalCompilationInfo(includes=["b.h"])
    with pytest.raises(AssertionError):
        ExternalCompilationInfo(includes="a.h")
    with pytest.raises(TypeError):
        ExternalCompilationInfo(["x"], ["y"], [], [], [], [], [], [], [])
    m = e.merge(ExternalCompilationInfo(includes=["a.h", "b.h"], pre_include_lines=["x"],
                                        libraries=["m", "z"]),
                ExternalCompilationInfo(pre_include_lines=["x"]))
    assert m.includes == ("a.h", "b.h") and m.libraries == ("m", "z")
    assert m.pre_include_lines == ("x", "x")

    import io
    out = io.StringIO()
    ExternalCompilationInfo(pre_include_lines=["#define A 1"], includes=["x.h"],
                            post_include_lines=["int y;"]).write_c_header(out)
    assert out.getvalue() == "#define A 1\n#include <x.h>\nint y;\n"


libc = ctypes.CDLL(None, use_errno=True)


def test_real_calls_clock_gettime_and_stat(tmp_path):
    class CConfig:
        _compilation_info_ = ExternalCompilationInfo(includes=["time.h", "sys/stat.h"])
        timespec = configure.Struct("struct timespec", [("tv_sec", ctypes.c_int),
                                                        ("tv_nsec", ctypes.c_int)])
        stat = configure.Struct("struct stat", [("st_size", ctypes.c_int),
                                                ("st_mode", ctypes.c_int),
                                                ("st_ino", ctypes.c_int),
                                                ("st_nlink", ctypes.c_int)])
        CLOCK_REALTIME = configure.ConstantInteger("CLOCK_REALTIME")
    res = configure.configure(CConfig)
    ts = res["timespec"]()
    assert libc.clock_gettime(res["CLOCK_REALTIME"], ctypes.byref(ts)) == 0
    now = time.clock_gettime(time.CLOCK_REALTIME)
    assert abs(ts.tv_sec + ts.tv_nsec / 1e9 - now) < 5
    assert 0 <= ts.tv_nsec < 10 ** 9

    path = tmp_path / "f"
    path.write_bytes(b"x" * 12345)
    st = res["stat"]()
    assert libc.stat(str(path).encode(), ctypes.byref(st)) == 0, ctypes.get_errno()
    want = os.stat(path)
    assert (st.st_size, st.st_mode, st.st_ino, st.st_nlink) == (
        want.st_size, want.st_mode, want.st_ino, want.st_nlink)


AARCH64 = ["qemu-aarch64", "-L", "/usr/aarch64-linux-gnu"]


def test_cross_target_aarch64():
    """Answers for aarch64 with nothing run there: compared with a program built by
    aarch64-linux-gnu-gcc and run under qemu (struct epoll_event is 12 bytes on x86_64, 16
    there; O_DIRECT differs too)."""
    hdr = "#define _GNU_SOURCE 1\n#include <sys/epoll.h>\n#include <fcntl.h>\n#include <sys/stat.h>"

    class CConfig:
        _compilation_info_ = configure.eci_from_header(hdr)
        epoll_event = configure.Struct("struct epoll_event", [("events", ctypes.c_int)])
        stat = configure.Struct("struct stat", [("st_size", ctypes.c_int),
                                                ("st_blksize", ctypes.c_int)])
        O_DIRECT = configure.ConstantInteger("O_DIRECT")
        aarch64 = configure.Defined("__aarch64__")
        long_double = configure.SizeOf("long double")
    res = configure.configure(CConfig, target="aarch64-linux-gnu")
    c = c_values(hdr, {
        "ev": "sizeof(struct epoll_event)", "ev_align": "_Alignof(struct epoll_event)",
        "st": "sizeof(struct stat)", "size": "offsetof(struct stat, st_size)",
        "blksize": "offsetof(struct stat, st_blksize)",
        "blksize_size": "sizeof(((struct stat *)0)->st_blksize)",
        "O_DIRECT": "O_DIRECT", "ld": "sizeof(long double)"},
        cc="aarch64-linux-gnu-gcc", wrapper=AARCH64)
    ev, st = res["epoll_event"], res["stat"]
    assert (ctypes.sizeof(ev), ctypes.alignment(ev)) == (c["ev"], c["ev_align"])
    assert (ctypes.sizeof(st), st.st_size.offset, st.st_blksize.offset, st.st_blksize.size) == (
        c["st"], c["size"], c["blksize"], c["blksize_size"])
    assert res["O_DIRECT"] == c["O_DIRECT"] and res["long_double"] == c["ld"]
    assert res["aarch64"] is True
    native = configure.configure(CConfig)
    assert native["aarch64"] is False
    by_cc = configure.configure(CConfig, cc="aarch64-linux-gnu-gcc")
    assert (by_cc["O_DIRECT"], ctypes.sizeof(by_cc["epoll_event"]), by_cc["aarch64"]) == (
        c["O_DIRECT"], c["ev"], True)
