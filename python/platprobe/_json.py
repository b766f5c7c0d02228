"""The result format's JSON <-> Python objects, nothing lost (README, "The result"): integers
exact, "inf"/"-inf"/"nan" float constants as floats, and string bytes above 0x7f that are not
UTF-8 (written as \\u0080-\\u00ff escapes) as lone surrogates (Python's "surrogateescape"), so a
constant that is no UTF-8 text becomes bytes, and a path goes to os functions unchanged."""
from __future__ import annotations

import math

# typing is only for the annotations (not evaluated at run time: __future__ annotations), so
# that importing the package stays cheap; type checkers take TYPE_CHECKING as true.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, List

# CPython's own accelerator of the json module. Its scanner and string escaper are what
# json.loads and json.dumps run; called directly they need none of json's imports (re, enum,
# functools: ~9 ms, more than the rest of a cached probe from Python). Where it is missing (PyPy,
# say) json itself does the work, with the same results.
try:
    import _json as _c
except ImportError:  # pragma: no cover - CPython always has it
    _c = None

_FLOATS = {"inf": math.inf, "-inf": -math.inf, "nan": math.nan}


def _no_constant(name: str) -> Any:
    raise ValueError("platprobe: %s in the engine's JSON" % name)


class _Scan:
    """The settings json.loads hands its C scanner (json.scanner.c_make_scanner)."""
    strict = True
    object_hook = None
    object_pairs_hook = None
    parse_float = float
    parse_int = int
    parse_constant = _no_constant  # NaN, Infinity: the engine writes "nan", "inf" strings


def parse(text: str) -> Any:
    """json.loads(text), through json's C scanner alone where there is one."""
    if _c is None:
        import json
        return json.loads(text, parse_constant=_no_constant)
    start = len(text) - len(text.lstrip())
    try:
        doc, end = _c.make_scanner(_Scan)(text, start)
    except StopIteration as e:
        raise ValueError("platprobe: the engine's output is no JSON (at character %d)"
                         % e.value) from None
    if text[end:].strip():
        raise ValueError("platprobe: the engine's output has more after its JSON (at "
                         "character %d)" % end)
    return doc


def _raw_bytes(text: str) -> str:
    """text with each \\u0080-\\u00ff escape (not one whose backslash is itself escaped) made
    the escape of a lone surrogate (Python's "surrogateescape" of that byte)."""
    out: List[str] = []
    i = done = 0
    while True:
        i = text.find("\\u00", i)
        if i < 0:
            break
        back = i
        while back > 0 and text[back - 1] == "\\":
            back -= 1
        hexd = text[i + 4:i + 6]
        if (i - back) % 2 == 0 and len(hexd) == 2 and hexd[0] in "89abcdefABCDEF" and \
                hexd[1] in "0123456789abcdefABCDEF":
            out.append(text[done:i] + "\\udc")
            done = i + 4
        i += 4
    out.append(text[done:])
    return "".join(out)


def loads(text: str) -> Any:
    """A result (or a document of several) from the JSON the engine wrote."""
    if "\\u00" in text:
        text = _raw_bytes(text)
    doc = parse(text)
    for res in doc.get("results", [doc]) if isinstance(doc, dict) else []:
        _decode_constants(res)
    return doc


def _encode(obj: Any, out: List[str]) -> None:
    if isinstance(obj, str):
        out.append(_c.encode_basestring_ascii(obj))
    elif obj is None or obj is True or obj is False:
        out.append("null" if obj is None else "true" if obj else "false")
    elif isinstance(obj, int):
        out.append(int.__repr__(obj))
    elif isinstance(obj, float):
        if not math.isfinite(obj):
            raise ValueError("a spec holds no %r: JSON has no such number" % obj)
        out.append(float.__repr__(obj))
    elif isinstance(obj, dict):
        out.append("{")
        for n, (k, v) in enumerate(obj.items()):
            if not isinstance(k, str):
                raise TypeError("a spec's keys are strings, not %r" % (k,))
            out.append(", " if n else "")
            out.append(_c.encode_basestring_ascii(k))
            out.append(": ")
            _encode(v, out)
        out.append("}")
    elif isinstance(obj, (list, tuple)):
        out.append("[")
        for n, v in enumerate(obj):
            out.append(", " if n else "")
            _encode(v, out)
        out.append("]")
    else:
        raise TypeError("Object of type %s is not JSON serializable" % type(obj).__name__)


def dumps_spec(spec: Any) -> str:
    """json.dumps(spec) for a spec made of dicts with string keys, lists, tuples, strings,
    numbers, booleans and None (what a spec is), without importing json where _json is."""
    if _c is None:
        import json
        return json.dumps(spec, allow_nan=False)
    out: List[str] = []
    _encode(spec, out)
    return "".join(out)


def _decode_constants(res: dict) -> None:
    types = res.get("constant_types") or {}
    consts = res.get("constants")
    if not isinstance(consts, dict):
        return
    for name, value in consts.items():
        kind = (types.get(name) or {}).get("kind")
        if isinstance(value, str) and kind == "float" and value in _FLOATS:
            consts[name] = _FLOATS[value]
        elif isinstance(value, str) and not _is_text(value):
            consts[name] = value.encode("utf-8", "surrogateescape")


def _is_text(s: str) -> bool:
    """Whether s holds no raw byte (no lone surrogate)."""
    try:
        s.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def _encode_value(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    if isinstance(value, bytes):
        return value.decode("utf-8", "surrogateescape")
    return value


def dumps(res: Any) -> str:
    """The JSON text of a result as loads() returned it (or as a user built it)."""
    def fix(obj: Any) -> Any:
        if isinstance(obj, dict):
            out = {k: fix(v) for k, v in obj.items()}
            if isinstance(obj.get("constants"), dict):
                out["constants"] = {k: _encode_value(v) for k, v in obj["constants"].items()}
            return out
        if isinstance(obj, list):
            return [fix(v) for v in obj]
        return obj
    import json
    import re
    text = json.dumps(fix(res), ensure_ascii=False, indent=1)
    return re.sub("[\udc80-\udcff]", lambda m: "\\u00%02x" % (ord(m.group(0)) - 0xDC00), text)
