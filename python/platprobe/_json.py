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
    from typing import Any, Match

# A \u0080-\u00ff escape (not one whose backslash is itself escaped) means that byte.
_RAW_ESCAPE = r'(\\\\)|\\u00([89a-fA-F][0-9a-fA-F])'
_FLOATS = {"inf": math.inf, "-inf": -math.inf, "nan": math.nan}


def _raw(m: Match[str]) -> str:
    return m.group(1) or "\\udc" + m.group(2)


def loads(text: str) -> Any:
    """A result (or a document of several) from the JSON the engine wrote."""
    # json (and the re it loads) only when a result is read: `import platprobe` stays cheap.
    import json
    if "\\u00" in text:
        import re
        text = re.sub(_RAW_ESCAPE, _raw, text)
    doc = json.loads(text)
    for res in doc.get("results", [doc]) if isinstance(doc, dict) else []:
        _decode_constants(res)
    return doc


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
