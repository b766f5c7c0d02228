"""ExternalCompilationInfo, as ctypes_configure.cbuild has it: what a CConfig class compiles
with (header lines, includes, directories, libraries)."""
from __future__ import annotations

# typing is only for the annotations (not evaluated at run time: __future__ annotations), so
# that importing the package stays cheap; type checkers take TYPE_CHECKING as true.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Iterable, List, Sequence, Tuple


_ATTRIBUTES = ("pre_include_lines", "includes", "include_dirs", "post_include_lines",
               "libraries", "library_dirs", "separate_module_sources", "separate_module_files")
# merge() keeps the first of equal elements in these, and every line of the others.
_AVOID_DUPLICATES = ("separate_module_files", "libraries", "includes", "include_dirs",
                     "library_dirs", "separate_module_sources")


class ExternalCompilationInfo:
    """What to compile with: pre_include_lines, then `#include <x>` for each of includes, then
    post_include_lines form the header; include_dirs, libraries, library_dirs as for cc.
    Every argument is a list or a tuple (kept as a tuple); equal by value and hashable."""

    pre_include_lines: Tuple[str, ...]
    includes: Tuple[str, ...]
    include_dirs: Tuple[str, ...]
    post_include_lines: Tuple[str, ...]
    libraries: Tuple[str, ...]
    library_dirs: Tuple[str, ...]
    separate_module_sources: Tuple[str, ...]
    separate_module_files: Tuple[str, ...]

    def __init__(self, pre_include_lines: Sequence[str] = (), includes: Sequence[str] = (),
                 include_dirs: Sequence[str] = (), post_include_lines: Sequence[str] = (),
                 libraries: Sequence[str] = (), library_dirs: Sequence[str] = (),
                 separate_module_sources: Sequence[str] = (),
                 separate_module_files: Sequence[str] = ()) -> None:
        values = locals()
        for name in _ATTRIBUTES:
            value = values[name]
            assert isinstance(value, (list, tuple)), \
                "%s must be a list or a tuple, not %r" % (name, type(value).__name__)
            setattr(self, name, tuple(value))

    def _value(self) -> Tuple[Tuple[Any, ...], ...]:
        return tuple(getattr(self, name) for name in _ATTRIBUTES)

    def __hash__(self) -> int:
        return hash(self._value())

    def __eq__(self, other: object) -> bool:
        return (self.__class__ is other.__class__
                and self._value() == other._value())  # type: ignore[attr-defined]

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __repr__(self) -> str:
        return "<ExternalCompilationInfo (%s)>" % ", ".join(
            "%s=%r" % (name, getattr(self, name)) for name in _ATTRIBUTES)

    def merge(self, *others: "ExternalCompilationInfo") -> "ExternalCompilationInfo":
        """One info with every attribute of self and others in order (no duplicates in
        includes, dirs, libraries and sources)."""
        attrs = {}
        for name in _ATTRIBUTES:
            items: List[Any] = []
            for one in (self,) + others:
                for elem in getattr(one, name):
                    if name not in _AVOID_DUPLICATES or elem not in items:
                        items.append(elem)
            attrs[name] = items
        return ExternalCompilationInfo(**attrs)

    def header_lines(self) -> Iterable[str]:
        """The lines of the C header this info stands for."""
        yield from self.pre_include_lines
        for path in self.includes:
            yield "#include <%s>" % (path,)
        yield from self.post_include_lines

    def write_c_header(self, fileobj: Any) -> None:
        """Writes the header to fileobj."""
        for line in self.header_lines():
            fileobj.write(line + "\n")
