"""platprobe.ctypes_configure.dumpcache: the module it writes needs only ctypes and gives the
same answers back (ctypes_configure's own test_dumpcache, plus the format rules)."""
import ctypes

import pytest

from platprobe.ctypes_configure import configure, dumpcache
from platprobe.ctypes_configure.cbuild import ExternalCompilationInfo


def load(path):
    d = {}
    exec(compile(path.read_text(), str(path), "exec"), d)
    return d


def test_cache(tmp_path, capsys):
    (tmp_path / "test_ctypes_platform2.h").write_text('#define XYZZY 42\n'
                                                      '#define large 2147483648L\n')

    class CConfig:
        _compilation_info_ = ExternalCompilationInfo(
            pre_include_lines=["/* a C comment */", "#include <stdio.h>",
                               "#include <test_ctypes_platform2.h>"],
            include_dirs=[str(tmp_path)])
        FILE = configure.Struct("FILE", [])
        ushort = configure.SimpleType("unsigned short")
        XYZZY = configure.ConstantInteger("XYZZY")
        XUZ = configure.Has("XUZ")
        large = configure.DefinedConstantInteger("large")
        undef = configure.Defined("really_undefined")

    res = configure.configure(CConfig)
    cachefile = tmp_path / "cache.py"
    dumpcache.dumpcache(str(tmp_path / "reference.py"), "cache.py", res)
    assert capsys.readouterr().out == "Wrote %s.\n" % cachefile
    d = load(cachefile)
    assert d["XYZZY"] == res["XYZZY"] == 42
    assert d["ushort"] is res["ushort"] is ctypes.c_ushort
    assert d["FILE"]._fields_ == res["FILE"]._fields_
    assert d["FILE"].__mro__[1:] == res["FILE"].__mro__[1:]
    assert d["undef"] == res["undef"] == 0 and d["large"] == res["large"] == 2147483648
    assert d["XUZ"] == res["XUZ"] == 0
    text = cachefile.read_text()
    assert text.startswith("import ctypes\n\n__all__ = ('FILE', 'XUZ', 'XYZZY', 'large', "
                           "'undef', 'ushort')\n\n")
    assert "\nXUZ = 0\n" in text and "\nundef = 0\n" in text
    assert "import" not in text.replace("import ctypes", "", 1)


def test_cache_arrays_lists_none(tmp_path):
    res = {"foo": ctypes.c_short * 27, "bar": (ctypes.c_int * 2) * 3, "lst": [1, "a"],
           "tup": (3, 4), "nothing": None, "yes": True}

    class S(ctypes.Structure):
        _fields_ = [("a", ctypes.c_int), ("b", ctypes.c_char * 4)]
    res["S"] = S
    dumpcache.dumpcache(str(tmp_path / "x"), "cache_array.py", res)
    text = (tmp_path / "cache_array.py").read_text()
    assert "bar = ctypes.c_int*2*3\n" in text and "yes = 1\n" in text
    assert "        ('b', ctypes.c_char*4),\n" in text
    d = load(tmp_path / "cache_array.py")
    assert d["foo"] == res["foo"] and d["bar"] == res["bar"]
    assert d["lst"] == [1, "a"] and d["tup"] == (3, 4) and d["nothing"] is None
    assert d["S"]._fields_ == S._fields_ and ctypes.sizeof(d["S"]) == ctypes.sizeof(S)
    assert d["__all__"] == ("S", "bar", "foo", "lst", "nothing", "tup", "yes")


def test_cannot_write():
    with pytest.raises(NotImplementedError):
        dumpcache.dumpcache("", "/nonexistent-dir/never-written", {"f": 1.5})
