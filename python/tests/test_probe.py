"""platprobe.probe() and platprobe.ctypes_module(): the result as Python objects with nothing
lost, failures by entry, the engine found or a clear error, and the live module equal to what
`platprobe probe -f python` writes, on every spec of the catalogue."""
import ctypes
import glob
import math
import os
import shutil
import subprocess
import sys

import pytest

import platprobe

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ENGINE = platprobe.find_engine()
HDR = r"""
#define BIG (~0ULL)
#define SMALL (-9223372036854775807LL - 1)
#define MAXD 1.7976931348623157e308
#define PINF (__builtin_inf())
#define NINF (-__builtin_inf())
#define QNAN (__builtin_nan(""))
#define RAW "\xe9\xff"
#define UTF "\xc3\xa9t\xc3\xa9"
#define ESC "a\\u00e9\"b"
"""


def test_probe_values(tmp_path):
    (tmp_path / "v.h").write_text(HDR)
    res = platprobe.probe({"headers": ["v.h"], "include_dirs": [str(tmp_path)],
                           "constants": ["BIG", "SMALL", "MAXD", "PINF", "NINF", "QNAN", "RAW",
                                         "UTF", "ESC", "-1"]})
    c = res["constants"]
    assert c["BIG"] == 2 ** 64 - 1 and c["SMALL"] == -2 ** 63 and c["-1"] == -1
    assert c["MAXD"] == sys.float_info.max
    assert c["PINF"] == math.inf and c["NINF"] == -math.inf and math.isnan(c["QNAN"])
    assert c["RAW"] == b"\xe9\xff"
    assert c["UTF"] == "\u00e9t\u00e9"
    assert c["ESC"] == 'a\\u00e9"b'
    assert res["target"]["pointer_size"] == struct_size("P")
    assert isinstance(res, dict) and res.spec["constants"][0] == "BIG"
    # the live module says the same
    m = platprobe.ctypes_module(res)
    assert m.BIG == 2 ** 64 - 1 and m.RAW == b"\xe9\xff" and m.UTF == "\u00e9t\u00e9"
    assert m.PINF == math.inf and math.isnan(m.QNAN)


def struct_size(fmt):
    import struct
    return struct.calcsize(fmt)


def test_probe_file_cross_and_options(tmp_path):
    spec = tmp_path / "s.json"
    spec.write_text('{"headers": ["stddef.h"], "types": ["size_t", "long double"]}')
    res = platprobe.probe(str(spec), target="aarch64-linux-gnu", cache=False)
    assert res["target"]["triple"].startswith("aarch64")
    res32 = platprobe.probe(spec, cflags=["-m32"])
    assert res32["types"]["size_t"]["size"] == 4
    res_cc = platprobe.probe(spec, cc=["cc", "-m32"])
    assert res_cc["types"]["size_t"]["size"] == 4


def test_probe_error(tmp_path):
    with pytest.raises(platprobe.ProbeError) as e:
        platprobe.probe({"headers": ["errno.h", "sys/stat.h"], "constants": ["EAGAIN", "NOPE"],
                         "structs": [{"name": "struct stat", "fields": ["st_size", "nofield"]}]})
    err = e.value
    assert err.returncode == 1
    got = {(f.section, f.name, f.field) for f in err.failures}
    assert got == {("constants", "NOPE", None), ("structs", "struct stat", "nofield")}
    lines = " ".join(line for f in err.failures for line in f.lines)
    assert "undeclared" in lines and "no member named" in lines
    with pytest.raises(platprobe.ProbeError) as e:
        platprobe.probe({"headers": ["no/such/header.h"], "constants": ["X"]})
    assert e.value.returncode == 1 and e.value.failures[0].section is None
    assert "No such file" in "\n".join(e.value.failures[0].lines)
    with pytest.raises(platprobe.ProbeError) as e:
        platprobe.probe({"constants": [3]})
    assert e.value.returncode == 2


def test_engine_discovery(tmp_path):
    pkg = tmp_path / "site" / "platprobe"
    shutil.copytree(os.path.dirname(platprobe.__file__), pkg)
    env = {k: v for k, v in os.environ.items() if k != "PLATPROBE"}
    env["PATH"] = str(tmp_path / "empty")
    env["PYTHONPATH"] = str(tmp_path / "site")
    code = ("import platprobe\ntry:\n platprobe.probe({})\nexcept ImportError as e:\n"
            " print(type(e).__name__, e)\n")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.stdout.startswith("EngineNotFound platprobe: the platprobe program was not found")
    assert "$PLATPROBE" in out.stdout and "install" in out.stdout
    # on PATH
    (tmp_path / "bin").mkdir()
    os.symlink(os.path.abspath(ENGINE), tmp_path / "bin" / "platprobe")
    env["PATH"] = str(tmp_path / "bin") + os.pathsep + os.environ["PATH"]
    code = "import platprobe\nprint(platprobe.find_engine())\n"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.stdout.strip() == str(tmp_path / "bin" / "platprobe")
    # installed beside: PREFIX/lib/python3.X/site-packages/platprobe and PREFIX/bin/platprobe
    prefix = tmp_path / "prefix"
    site = prefix / "lib" / "python3.X" / "site-packages"
    shutil.copytree(pkg, site / "platprobe")
    (prefix / "bin").mkdir()
    os.symlink(os.path.abspath(ENGINE), prefix / "bin" / "platprobe")
    env["PATH"] = str(tmp_path / "empty")
    env["PYTHONPATH"] = str(site)
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.stdout.strip() == str(prefix / "bin" / "platprobe")


def spell(v):
    """A value with every ctypes type in it spelled by its structure, not its identity: two
    modules' POINTER(cls) and CFUNCTYPE(...) classes are distinct objects with module-qualified
    reprs, yet the same type."""
    if isinstance(v, type):
        if issubclass(v, ctypes._Pointer):
            return f"POINTER({spell(v._type_)})"
        if issubclass(v, ctypes._CFuncPtr):
            args = ", ".join(spell(a) for a in v._argtypes_)
            return f"CFUNCTYPE({spell(v._restype_)}, {args})"
        return v.__name__
    if isinstance(v, (list, tuple)):
        return type(v)(spell(x) for x in v)
    if isinstance(v, dict):
        return {k: spell(x) for k, x in v.items()}
    if isinstance(v, float) and math.isnan(v):
        return "nan"
    return v


def describe(mod):
    """What a ctypes module holds, comparable across two modules: each class's fields (types
    by structure), size and alignment; everything else by value."""
    out = {}
    for name, v in vars(mod).items():
        if name.startswith("__") or callable(v) and not isinstance(v, type):
            continue
        if isinstance(v, type) and issubclass(v, (ctypes.Structure, ctypes.Union)):
            out[name] = (ctypes.sizeof(v), ctypes.alignment(v),
                         [(f[0], spell(f[1])) + tuple(f[2:]) for f in v._fields_])
        elif name != "_LAYOUTS":
            out[name] = spell(v)
    return out


@pytest.mark.parametrize("spec", sorted(glob.glob(os.path.join(TOP, "probe", "*.json"))),
                         ids=os.path.basename)
def test_ctypes_module_matches_template(spec, tmp_path):
    cli = subprocess.run([ENGINE, "probe", spec, "-f", "python"], capture_output=True, text=True)
    assert cli.returncode == 0, cli.stderr
    res = platprobe.probe(spec)
    live = platprobe.ctypes_module(res, "live")
    (tmp_path / "gen.py").write_text(cli.stdout)
    gen = {}
    exec(compile(cli.stdout, str(tmp_path / "gen.py"), "exec"), gen)
    vars_ = type(sys)("gen")
    vars_.__dict__.update(gen)
    want = describe(vars_)
    assert describe(live) == want
    # a plain dict (a result from elsewhere): the spec is made from what it answers, and the
    # text is the template's, byte for byte
    assert platprobe.python_source(dict(res)) == cli.stdout
