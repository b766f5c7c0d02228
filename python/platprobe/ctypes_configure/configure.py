"""ctypes_configure.configure on platprobe: a CConfig class's entries become one probe spec
(every entry optional, so one compile answers them all and each is then judged the way
ctypes_configure judged it), and the answers become ctypes types, ints, bools and Structure
classes as ctypes_configure built them."""
from __future__ import annotations

import ctypes
import os
import sys
import zlib

from .. import ProbeError, probe
from .cbuild import ExternalCompilationInfo

# typing is only for the annotations (not evaluated at run time: __future__ annotations), so
# that importing the package stays cheap; type checkers take TYPE_CHECKING as true.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple, Union

__all__ = ["configure", "ExternalCompilationInfo", "CompileError", "LinkError", "Struct",
           "SimpleType", "ConstantInteger", "DefinedConstantInteger", "DefinedConstantString",
           "Defined", "Has", "Works", "SizeOf", "CConfigEntry", "CConfigSingleEntry",
           "getstruct", "getsimpletype", "getconstantinteger", "getdefined", "has",
           "eci_from_header", "check_eci", "sizeof", "memory_alignment"]


class CompileError(Exception):
    """A required type, field or constant is missing or not what it must be (as the compile of
    ctypes_configure's program failed); the message holds the compiler's lines."""


class LinkError(Exception):
    """A library of the compilation info does not link."""


# What ctypes_configure's generated program added after the info's header.
_C_HEADER = ("#include <stdio.h>", "#include <stddef.h>", "#include <stdint.h>")

integer_class = [ctypes.c_byte, ctypes.c_ubyte, ctypes.c_short, ctypes.c_ushort,
                 ctypes.c_int, ctypes.c_uint, ctypes.c_long, ctypes.c_ulong,
                 ctypes.c_longlong, ctypes.c_ulonglong]
float_class = [ctypes.c_float, ctypes.c_double]
alignment_types = [ctypes.c_short, ctypes.c_int, ctypes.c_long, ctypes.c_float, ctypes.c_double,
                   ctypes.c_char_p, ctypes.c_void_p, ctypes.c_longlong, ctypes.c_wchar,
                   ctypes.c_wchar_p]
_INT_KINDS = ("int", "enum")


# ____________________________________________________________ entries

class CConfigEntry:
    """An entry answered from the probe's one compile."""


class CConfigSingleEntry:
    """An entry whose answer is whether something compiles and links."""


class Struct(CConfigEntry):
    """A struct (or any type with members): a ctypes.Structure of its C size and alignment with
    the interesting fields at their C offsets, (name, ctypes hint or Struct) pairs."""

    def __init__(self, name: str, interesting_fields: Sequence[Tuple[str, Any]],
                 ifdef: Optional[str] = None) -> None:
        self.name = name
        self.interesting_fields = interesting_fields
        self.ifdef = ifdef


class SimpleType(CConfigEntry):
    """A numeric type: ctype_hint fixed up to the C type's size (and signedness)."""

    def __init__(self, name: str, ctype_hint: Any = ctypes.c_int,
                 ifdef: Optional[str] = None) -> None:
        self.name = name
        self.ctype_hint = ctype_hint
        self.ifdef = ifdef


class ConstantInteger(CConfigEntry):
    """An integer constant expression's exact value."""

    def __init__(self, name: str) -> None:
        self.name = name


class DefinedConstantInteger(CConfigEntry):
    """A macro's integer value, or None when the macro is not #defined."""

    def __init__(self, macro: str) -> None:
        self.name = self.macro = macro


class DefinedConstantString(CConfigEntry):
    """A macro's string value, or None when the macro is not #defined."""

    def __init__(self, macro: str) -> None:
        self.name = self.macro = macro


class Defined(CConfigEntry):
    """Whether a macro is #defined."""

    def __init__(self, macro: str) -> None:
        self.name = self.macro = macro


class SizeOf(CConfigEntry):
    """sizeof a type."""

    def __init__(self, name: str) -> None:
        self.name = name


class Has(CConfigSingleEntry):
    """Whether `name;` compiles (declared is enough: a function, an object, an enum constant,
    a macro)."""

    def __init__(self, name: str) -> None:
        self.name = name


class Works(CConfigSingleEntry):
    """Whether the compilation info compiles and its libraries link."""


# ____________________________________________________________ helpers for simple cases

def eci_from_header(c_header_source: str) -> ExternalCompilationInfo:
    """An info whose header is c_header_source."""
    return ExternalCompilationInfo(pre_include_lines=c_header_source.split("\n"))


def _one(entry: Any, eci: ExternalCompilationInfo, **more: Any) -> Any:
    config = type("CConfig", (), dict(more, _compilation_info_=eci, RESULT=entry))
    return configure(config)["RESULT"]


def getstruct(name: str, c_header_source: str, interesting_fields: Sequence[Tuple[str, Any]]
              ) -> Any:
    """The Structure class of struct name, declared by c_header_source."""
    return _one(Struct(name, interesting_fields), eci_from_header(c_header_source))


def getsimpletype(name: str, c_header_source: str, ctype_hint: Any = ctypes.c_int) -> Any:
    """The ctypes type of type name."""
    return _one(SimpleType(name, ctype_hint), eci_from_header(c_header_source))


def getconstantinteger(name: str, c_header_source: str) -> int:
    """The value of an integer constant expression."""
    return _one(ConstantInteger(name), eci_from_header(c_header_source))


def getdefined(macro: str, c_header_source: str) -> bool:
    """Whether macro is #defined."""
    return _one(Defined(macro), eci_from_header(c_header_source))


def has(name: str, c_header_source: str) -> bool:
    """Whether name is declared and links."""
    return _one(Has(name), eci_from_header(c_header_source))


def check_eci(eci: ExternalCompilationInfo) -> bool:
    """Whether eci compiles and links."""
    return _one(Works(), eci)


def sizeof(name: str, eci: ExternalCompilationInfo, **kwds: Any) -> int:
    """sizeof(name) (kwds: more entries, as attributes of the class asked)."""
    return _one(SizeOf(name), eci, **kwds)


_memory_alignment: Optional[int] = None


def memory_alignment() -> int:
    """The alignment of memory allocations: enough for a struct of pointers and doubles."""
    global _memory_alignment
    if _memory_alignment is None:
        s = getstruct("struct memory_alignment_test",
                      "struct memory_alignment_test { double d; void *p; };", [])
        result = ctypes.alignment(s)
        assert result & (result - 1) == 0, "not a power of two??"
        _memory_alignment = result
    return _memory_alignment


# ____________________________________________________________ ctypes helpers

def ctype_alignment(c_type: Any) -> int:
    """The alignment ctypes_configure counted for a field type."""
    if issubclass(c_type, ctypes.Structure):
        return max(ctype_alignment(t) for _, t in c_type._fields_)
    return ctypes.alignment(c_type)


def size_and_sign(ctype: Any) -> Tuple[int, bool]:
    """(size, unsigned) of a ctypes type, unsigned only for integer_class."""
    return ctypes.sizeof(ctype), ctype in integer_class and ctype(-1).value > 0


def fixup_ctype(fieldtype: Any, fieldname: str, expected: Tuple[int, bool]) -> Any:
    """The ctypes type of the hint's class with the C (size, unsigned), or TypeError."""
    for typeclass in (integer_class, float_class):
        if fieldtype in typeclass:
            for ctype in typeclass:
                if size_and_sign(ctype) == expected:
                    return ctype
    if hasattr(fieldtype, "_length_") and getattr(fieldtype, "_type_", None) in (
            ctypes.c_char, ctypes.c_ubyte):
        return fieldtype._type_ * expected[0]
    raise TypeError("conflicting field type %r for %r" % (fieldtype, fieldname))


# ____________________________________________________________ the probe

class _Spec:
    """The probe spec of one class: each (section, name) once, every entry optional."""

    def __init__(self) -> None:
        self.sections: Dict[str, Dict[str, Dict[str, Any]]] = {}

    def add(self, section: str, name: str, fields: Optional[Iterable[str]] = None,
            **keys: Any) -> None:
        sec = self.sections.setdefault(section, {})
        entry = sec.setdefault(name, {"name": name, "optional": True})
        entry.update(keys)
        if fields is not None:
            have = entry.setdefault("fields", [])
            have.extend(f for f in fields if f not in have)

    def as_dict(self, base: Dict[str, Any], only: Optional[set] = None) -> Dict[str, Any]:
        spec = dict(base)
        for section, entries in self.sections.items():
            chosen = [dict(e) for name, e in entries.items()
                      if only is None or (section, name) in only]
            if only is not None:
                for e in chosen:
                    e.pop("optional", None)
            if chosen:
                spec[section] = chosen
        return spec


def _header_dir() -> str:
    """A directory that keeps the headers made from infos (named by their content, so that an
    unchanged class gives the same spec and the CLI's cache answers it): beside that cache."""
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    d = os.path.join(cache, "platprobe", "ctypes_configure")
    try:
        os.makedirs(d, exist_ok=True)
        if os.access(d, os.W_OK):
            return d
    except OSError:
        pass
    import tempfile
    d = os.path.join(tempfile.gettempdir(), "platprobe-ctypes_configure-%d" % os.getuid())
    os.makedirs(d, exist_ok=True)
    return d


def _write_header(text: str) -> Tuple[str, str]:
    """(directory, file name) of a header holding text. The name comes from checksums of the
    text (zlib's: hashlib would load OpenSSL, a cost on every warm run); the content is
    compared, so two texts with one name only cost a cache miss, never a wrong answer."""
    d = _header_dir()
    data = text.encode("utf-8", "surrogateescape")
    name = "ppcc_%08x%08x%x.h" % (zlib.crc32(data), zlib.adler32(data), len(data))
    path = os.path.join(d, name)
    try:
        with open(path, "rb") as f:
            same = f.read() == data
    except OSError:
        same = False
    if not same:
        # Whole under a name of its own, then renamed: a reader never sees half of it. Not
        # tempfile.mkstemp: importing tempfile (shutil, random ...) cost a cold run ~7 ms.
        tmp = os.path.join(d, ".ppcc-%d-%s.h" % (os.getpid(), os.urandom(6).hex()))
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0),
                     0o600)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    return d, name


def _base_spec(eci: ExternalCompilationInfo) -> Dict[str, Any]:
    text = "\n".join(list(eci.header_lines()) + list(_C_HEADER)) + "\n"
    hdir, hname = _write_header(text)
    spec: Dict[str, Any] = {"headers": [hname],
                            "include_dirs": [hdir] + [os.path.abspath(d) for d in eci.include_dirs]}
    libs = ["-L" + os.path.abspath(d) for d in eci.library_dirs] + list(eci.libraries)
    if libs:
        spec["libs"] = libs
    return spec


def _plan(entries: List[Tuple[str, Any]], eci: ExternalCompilationInfo) -> _Spec:
    spec = _Spec()
    seen: set = set()

    def add(entry: Any) -> None:
        if id(entry) in seen:
            return
        seen.add(id(entry))
        if isinstance(entry, Struct):
            spec.add("structs", entry.name, [f for f, _ in entry.interesting_fields])
            for _, hint in entry.interesting_fields:
                if isinstance(hint, Struct):
                    add(hint)
        elif isinstance(entry, (SimpleType, SizeOf)):
            spec.add("types", entry.name)
        elif isinstance(entry, ConstantInteger):
            spec.add("constants", entry.name)
        elif isinstance(entry, (DefinedConstantInteger, DefinedConstantString)):
            spec.add("defined", entry.macro)
            spec.add("constants", entry.macro)
        elif isinstance(entry, Defined):
            spec.add("defined", entry.macro)
        elif isinstance(entry, Has):
            if not (entry.name.isidentifier() and entry.name.isascii()):
                raise ValueError("platprobe.ctypes_configure: Has(%r): a name (an identifier) "
                                 "is needed" % (entry.name,))
            # ctypes_configure compiled and linked `name;`, which refers to no symbol: declared
            # is enough, so no link ("link": false asks exactly that statement).
            spec.add("functions", entry.name, link=False)
        if getattr(entry, "ifdef", None) is not None:
            spec.add("defined", entry.ifdef)

    for _, entry in entries:
        add(entry)
    if eci.libraries:
        for lib in eci.libraries:
            spec.add("libraries", lib)
    return spec


class _Missing(Exception):
    """An entry the probe could not answer: (section, name) to ask again as required."""

    def __init__(self, what: str, item: Optional[Tuple[str, str]] = None) -> None:
        super().__init__(what)
        self.item = item


class _Builder:
    """Turns the result into each entry's value, as ctypes_configure built it."""

    def __init__(self, res: Dict[str, Any], compiled: bool) -> None:
        self.res = res
        self.compiled = compiled
        self.done: Dict[int, Any] = {}

    def section(self, name: str) -> Dict[str, Any]:
        return self.res.get(name) or {}

    def defined(self, macro: str) -> bool:
        return bool(self.section("defined").get(macro))

    def value(self, entry: Any) -> Any:
        if id(entry) not in self.done:
            self.done[id(entry)] = self._value(entry)
        return self.done[id(entry)]

    def _value(self, entry: Any) -> Any:
        if isinstance(entry, Has):
            return self.compiled and bool(self.section("functions").get(entry.name))
        if isinstance(entry, Works):
            return self.compiled and all(
                (v or {}).get("links") for v in self.section("libraries").values())
        if not self.compiled:
            raise _Missing("the compilation info does not compile and link")
        if getattr(entry, "ifdef", None) is not None and not self.defined(entry.ifdef):
            return None
        if isinstance(entry, Struct):
            return self.struct(entry)
        if isinstance(entry, SimpleType):
            return self.simple(entry)
        if isinstance(entry, SizeOf):
            t = self.section("types").get(entry.name)
            if t is None:
                raise _Missing("no type %r" % entry.name, ("types", entry.name))
            return t["size"]
        if isinstance(entry, ConstantInteger):
            return self.integer(entry.name)
        if isinstance(entry, DefinedConstantInteger):
            return self.integer(entry.macro) if self.defined(entry.macro) else None
        if isinstance(entry, DefinedConstantString):
            return self.string(entry.macro) if self.defined(entry.macro) else None
        if isinstance(entry, Defined):
            return self.defined(entry.macro)
        raise TypeError("not a ctypes_configure entry: %r" % (entry,))

    def integer(self, name: str) -> int:
        v = self.section("constants").get(name)
        if v is None:
            raise _Missing("%r is not a constant" % name, ("constants", name))
        if isinstance(v, float) and v == v and abs(v) != float("inf"):
            return int(v)
        if isinstance(v, bool) or not isinstance(v, int):
            raise _Missing("%r is not an integer constant (%r)" % (name, v))
        return v

    def string(self, name: str) -> str:
        v = self.section("constants").get(name)
        if v is None:
            raise _Missing("%r is not a constant" % name, ("constants", name))
        if isinstance(v, bytes):
            return v.decode("latin-1")
        if not isinstance(v, str) or (self.res.get("constant_types", {}).get(name) or {}).get(
                "kind") == "float":
            raise _Missing("%r is not a string constant (%r)" % (name, v))
        return v

    def simple(self, entry: SimpleType) -> Any:
        t = self.section("types").get(entry.name)
        if t is None:
            raise _Missing("no type %r" % entry.name, ("types", entry.name))
        hint = entry.ctype_hint
        sign = False
        if hint in integer_class:
            if t["kind"] not in _INT_KINDS:
                raise _Missing("type %r is %s %s, not an integer (the hint %s)"
                               % (entry.name, "an" if t["kind"][0] in "aeiou" else "a",
                                  t["kind"], hint.__name__))
            sign = not t.get("signed", True)
        if (t["size"], sign) != size_and_sign(hint):
            hint = fixup_ctype(hint, entry.name, (t["size"], sign))
        return hint

    def struct(self, entry: Struct) -> Any:
        s = self.section("structs").get(entry.name)
        if s is None:
            raise _Missing("no type %r" % entry.name, ("structs", entry.name))
        fields = {f["name"]: f for f in s.get("fields", [])}
        size, align = s["size"], s["align"]
        layout: List[Optional[Tuple[str, Any]]] = [None] * size
        alignment = 1
        for fname, hint in entry.interesting_fields:
            f = fields.get(fname)
            if f is None:
                raise _Missing("%r has no field %r" % (entry.name, fname), ("structs", entry.name))
            if f.get("bit_size") is not None:
                raise _Missing("%r field %r is a bit-field (offsetof refuses it)"
                               % (entry.name, fname))
            if isinstance(hint, Struct):
                ctype = self.value(hint)
            else:
                sign = False
                if hint in integer_class:
                    if f["kind"] not in _INT_KINDS:
                        raise _Missing("%r field %r is a %s, not an integer (the hint %s)"
                                       % (entry.name, fname, f["kind"], hint.__name__))
                    sign = not f.get("signed", True)
                ctype = hint
                if (f["size"], sign) != size_and_sign(hint):
                    ctype = fixup_ctype(hint, fname, (f["size"], sign))
            _add_field(layout, f["offset"], ctype, fname)
            alignment = max(alignment, ctype_alignment(ctype))
        if alignment < align:
            choices = [(ctypes.sizeof(t), i, t) for i, t in enumerate(alignment_types)
                       if ctype_alignment(t) == align]
            assert choices, "unsupported alignment %d" % (align,)
            csize, _, ctype = min(choices)
            for i in range(0, size - csize + 1, align):
                if layout[i:i + csize] == [None] * csize:
                    _add_field(layout, i, ctype, "_alignment")
                    break
            else:
                raise AssertionError("unenforceable alignment %d" % (align,))
        n = 0
        for i, cell in enumerate(layout):
            if cell is None:
                _add_field(layout, i, ctypes.c_char, "_pad%d" % n)
                n += 1
        out: List[Tuple[str, Any]] = []
        for cell in layout:
            if not out or out[-1] is not cell:
                out.append(cell)  # type: ignore[arg-type]
        name = entry.name[7:] if entry.name.startswith("struct ") else entry.name
        return type(name, (ctypes.Structure,), {"_fields_": out, "__module__": __name__})


def _add_field(layout: List[Any], offset: int, ctype: Any, name: str) -> None:
    cell = (name, ctype)
    end = offset + ctypes.sizeof(ctype)
    assert end <= len(layout), "%s ends past the struct (%d > %d)" % (name, end, len(layout))
    for i in range(offset, end):
        assert layout[i] is None, "%s overlaps %r" % (name, layout[i][0])
        layout[i] = cell


def _compiler_lines(spec: Dict[str, Any], target: Optional[str], cc: Any) -> str:
    """The engine's messages for spec (the entries that failed, asked again as required)."""
    try:
        probe(spec, target=target, cc=cc)
    except ProbeError as e:
        return e.stderr.rstrip("\n")
    return ""


def configure(CConfig: Any, noerr: bool = False, *, target: Optional[str] = None,
              cc: Union[None, str, Sequence[str]] = None) -> Dict[str, Any]:
    """Examines the C platform as CConfig's entries ask and returns {attribute: answer}, one
    key per entry attribute (inherited ones too). Raises CompileError (LinkError) when a
    required type, field or constant is missing (a library does not link); noerr=True only
    silences the compiler's messages. target (a triple) or cc: another compiler than cc's."""
    for attr in ("_includes_", "_libraries_", "_sources_", "_library_dirs_", "_include_dirs_",
                 "_header_"):
        assert not hasattr(CConfig, attr), "Found legacy attribut %s on CConfig" % (attr,)
    entries = [(key, getattr(CConfig, key)) for key in dir(CConfig)
               if isinstance(getattr(CConfig, key), (CConfigEntry, CConfigSingleEntry))]
    if not entries:
        return {}
    eci = CConfig._compilation_info_
    base = _base_spec(eci)
    plan = _plan(entries, eci)
    compiled, linked, why = True, True, ""
    try:
        res = probe(plan.as_dict(base), target=target, cc=cc)
    except ProbeError as e:
        if e.returncode != 1:
            raise CompileError(e.stderr.rstrip("\n")) from None
        # The info's header does not compile, or a library of it does not link (each program
        # ctypes_configure built then failed: Has and Works are False, other entries errors).
        compiled, res, why = False, {}, e.stderr.rstrip("\n")
        linked = not any(f.section is None and ('"libraries"' in f.lines[0])
                         for f in e.failures)
    build = _Builder(res, compiled)
    if compiled and any(isinstance(e, CConfigEntry) for _, e in entries):
        unlinked = [n for n, v in build.section("libraries").items() if not (v or {}).get("links")]
        if unlinked:
            raise LinkError("library %s does not link" % ", ".join(repr(n) for n in unlinked))
    out: Dict[str, Any] = {}
    failed: List[Tuple[str, _Missing]] = []
    for key, entry in entries:
        try:
            out[key] = build.value(entry)
        except _Missing as m:
            failed.append((key, m))
    if failed:
        lines = ["%s: %s" % (key, m) for key, m in failed]
        if compiled:
            again = {m.item for _, m in failed if m.item is not None}
            detail = _compiler_lines(plan.as_dict(base, again), target, cc) if again else ""
        else:
            detail = why
        if detail:
            lines.append(detail)
        message = "\n".join(lines)
        if not noerr:
            sys.stderr.write(message + "\n")
        raise (CompileError if linked else LinkError)(message)
    return out
