"""The package's JSON reading and spec writing (platprobe._json): json's C scanner and string
escaper called without the json module must give exactly what json.loads and json.dumps give
(Python's own json is the reference), on the engine's real output for every spec of the
catalogue and on crafted text; so must the fallback for a Python without _json. A cached probe
from Python then loads none of json, re, enum or collections."""
import glob
import json
import os
import re
import subprocess
import sys

import pytest

import platprobe
from platprobe import _json

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SPECS = sorted(glob.glob(os.path.join(TOP, "probe", "*.json")))
# What the package read raw-byte escapes with before (a regular expression): the reference.
_RAW_ESCAPE = r'(\\\\)|\\u00([89a-fA-F][0-9a-fA-F])'


def _raw_by_re(text):
    return re.sub(_RAW_ESCAPE, lambda m: m.group(1) or "\\udc" + m.group(2), text)


@pytest.fixture(params=["_json", "json"])
def scanner(request, monkeypatch):
    """Each test twice: with CPython's _json, and as on a Python without it."""
    if request.param == "json":
        monkeypatch.setattr(_json, "_c", None)
    return request.param


@pytest.mark.parametrize("spec", SPECS, ids=os.path.basename)
def test_engine_output_as_json_reads_it(spec, scanner):
    out = subprocess.run([platprobe.find_engine(), "probe", spec, "-f", "json"],
                         capture_output=True, text=True, check=True).stdout
    assert _json.parse(out) == json.loads(out)
    with open(spec, encoding="utf-8") as f:
        text = f.read()
    assert _json.parse(text) == json.loads(text)


def test_crafted_text(scanner):
    for text in ['{"a": [1, -2, 1.5e300, -0.0, 18446744073709551615, -9223372036854775808]}',
                 '  {"k": "\\"q\\" \\\\ \\n \\t \\u00e9 \\ud83d\\ude00 \\udc80 é"}\n',
                 '[true, false, null, {}, [], ""]', '"just a string"', '0']:
        assert _json.parse(text) == json.loads(text), text
    for bad in ['{"a": ', '{"a": 1} x', '', '{"a": NaN}', "{'a': 1}", '[1,]']:
        with pytest.raises(ValueError):
            _json.parse(bad)


def test_raw_byte_escapes():
    for text in ['"\\u0080"', '"\\u00ff \\u00FE \\u007f \\u0100"', '"\\\\u0080"',
                 '"\\\\\\u0081"', '"a\\\\\\\\u00a0b\\u00a0"', '"\\u00", "\\u00f"', '"\\u00e9x"']:
        assert _json._raw_bytes(text) == _raw_by_re(text), text


@pytest.mark.parametrize("spec", SPECS, ids=os.path.basename)
def test_spec_text_as_json_dumps_writes_it(spec, scanner):
    with open(spec, encoding="utf-8") as f:
        doc = json.load(f)
    assert _json.dumps_spec(doc) == json.dumps(doc)


def test_spec_values(scanner):
    doc = {"a": ["x\u00e9\U0001f600\udc80\"\\\n", 1, -1, 2 ** 70, 0.1, 1e300, True, False, None],
           "b": ("t", "u"), "c": {}, "d": []}
    assert _json.dumps_spec(doc) == json.dumps(doc)
    with pytest.raises(ValueError):
        _json.dumps_spec({"x": float("nan")})
    with pytest.raises(TypeError):
        _json.dumps_spec({"x": object()})


def test_cached_probe_imports_no_json(tmp_path):
    """A cached ctypes_configure run (the warm case of make bench) from a fresh interpreter: the
    class answered, and none of json, re, enum, collections, subprocess, tempfile loaded; the
    header the class compiles written once, no temp file left beside it."""
    heavy = ("json", "re", "enum", "collections", "subprocess", "tempfile", "shutil")
    code = ("import sys, ctypes\n"
            "from platprobe.ctypes_configure import configure\n"
            "class C:\n"
            "    _compilation_info_ = configure.ExternalCompilationInfo(includes=['stdio.h'])\n"
            "    EOF_ = configure.ConstantInteger('EOF')\n"
            "    has_puts = configure.Has('puts')\n"
            "    no_such = configure.Has('no_such_fn_xyz')\n"
            "    size_t = configure.SimpleType('size_t', ctypes.c_int)\n"
            "info = configure.configure(C)\n"
            "assert info['EOF_'] == -1 and info['has_puts'] and not info['no_such']\n"
            "assert ctypes.sizeof(info['size_t']) == ctypes.sizeof(ctypes.c_size_t)\n"
            "print(' '.join(m for m in %r if m in sys.modules))\n" % (heavy,))
    env = dict(os.environ, PYTHONPATH=HERE, XDG_CACHE_HOME=str(tmp_path))
    for run in ("cold", "warm"):
        # -S: no site module, whose .pth files may import any of these first.
        out = subprocess.run([sys.executable, "-S", "-c", code], capture_output=True,
                             text=True, env=env)
        assert out.returncode == 0, out.stderr
    assert out.stdout.split() == [], out.stdout
    hdirs = os.listdir(tmp_path / "platprobe" / "ctypes_configure")
    assert len(hdirs) == 1 and hdirs[0].startswith("ppcc_"), hdirs  # the header, no temp left
