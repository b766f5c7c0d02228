"""ctypes_configure.dumpcache: writes configure()'s answers as a module that needs only ctypes,
so a program can ship them and run where no compiler is."""
from __future__ import annotations

import ctypes
import os

# typing is only for the annotations (not evaluated at run time: __future__ annotations), so
# that importing the package stays cheap; type checkers take TYPE_CHECKING as true.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict


def dumpcache(referencefilename: str, filename: str, config: Dict[str, Any]) -> None:
    """Writes filename (beside referencefilename): `import ctypes`, __all__ (the sorted names),
    then each name: ints (bools as 0/1), None, Structure classes with their _fields_, lists and
    tuples of ints or strings, ctypes types. Anything else raises NotImplementedError."""
    filename = os.path.join(os.path.dirname(referencefilename), filename)
    names = sorted(config)
    lines = ["import ctypes", "", "__all__ = %r" % (tuple(names),), ""]
    for key in names:
        val = config[key]
        if isinstance(val, int):
            lines.append("%s = %d" % (key, val))
        elif val is None:
            lines.append("%s = None" % key)
        elif isinstance(val, type(ctypes.Structure)):
            lines.append("class %s(ctypes.Structure):" % key)
            lines.append("    _fields_ = [")
            for k, v in val._fields_:
                lines.append("        ('%s', %s)," % (k, ctypes_repr(v)))
            lines.append("    ]")
        elif isinstance(val, (tuple, list)):
            for x in val:
                assert isinstance(x, (int, str)), "lists of integers or strings only"
            lines.append("%s = %r" % (key, val))
        else:
            lines.append("%s = %s" % (key, ctypes_repr(val)))
    with open(filename, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("Wrote %s." % (filename,))


def ctypes_repr(cls: Any) -> str:
    """A ctypes type as source: ctypes.c_int, arrays as ctypes.c_int*2*3."""
    if isinstance(cls, type(ctypes.c_int)):
        return "ctypes." + cls.__name__
    if hasattr(cls, "_length_") and hasattr(cls, "_type_"):
        return "%s*%d" % (ctypes_repr(cls._type_), cls._length_)
    raise NotImplementedError("saving of object with type %r" % type(cls))
