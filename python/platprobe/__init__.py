"""platprobe for Python: the facts of a C platform that only its compiler knows, as Python
objects and as live ctypes classes.

    import platprobe
    res = platprobe.probe({"headers": ["sys/stat.h"], "structs": ["struct stat"]})
    res["structs"]["struct stat"]["size"]        # 144 on x86_64
    mod = platprobe.ctypes_module(res)           # what `platprobe probe -f python` writes
    mod.stat                                     # a ctypes.Structure, its layout checked

The work is done by the platprobe program ($PLATPROBE, else on PATH, else installed beside this
package), run over pipes; its answer cache is shared with the command line. For code written
against ctypes_configure, see platprobe.ctypes_configure.
"""
from __future__ import annotations

import os

from . import _engine, _json
from ._engine import EngineNotFound, find_engine

# typing is only for the annotations (not evaluated at run time: __future__ annotations), so
# that importing the package stays cheap; type checkers take TYPE_CHECKING as true.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, Iterable, List, NamedTuple, Optional, Sequence, Union

__all__ = ["probe", "ctypes_module", "python_source", "spec_for", "ProbeError", "Failure",
           "parse_failures", "Result", "EngineNotFound", "find_engine"]
__version__ = "0.1.0"

if TYPE_CHECKING:
    from types import ModuleType as _ModuleType
    Spec = Union[Dict[str, Any], str, "os.PathLike[str]"]
else:
    _ModuleType = type(os)  # types.ModuleType, without importing types
SECTIONS = ("types", "structs", "constants", "defined", "functions", "enums", "libraries")


if TYPE_CHECKING:
    class Failure(NamedTuple):
        """One failed spec entry (see _failure_type)."""
        section: Optional[str]
        index: Optional[int]
        name: Optional[str]
        field: Optional[str]
        lines: List[str]


def _failure_type() -> Any:
    """platprobe.Failure, a named tuple made on first use: collections cost every import of the
    package ~3 ms, and only a failed probe needs it."""
    cls = globals().get("Failure")
    if cls is None:
        import collections
        cls = collections.namedtuple("Failure", "section index name field lines",
                                     module=__name__)
        cls.__doc__ = """One failed spec entry: section ("constants"), index in it, name
("NO_SUCH"), field of a struct or None, and lines: the engine's message and the compiler's own
lines after it. A failure that no entry explains (a header missing) has section, name and field
None."""
        globals()["Failure"] = cls
    return cls


def __getattr__(name: str) -> Any:
    if name == "Failure":
        return _failure_type()
    raise AttributeError("module %r has no attribute %r" % (__name__, name))


class ProbeError(Exception):
    """A probe failed. .failures: a Failure per failed spec entry; .returncode: the engine's
    exit status (1: an entry could not be answered or the compiler failed, 2: a bad spec);
    .stderr: all the engine said."""

    def __init__(self, message: str, failures: List[Failure], returncode: int,
                 stderr: str = "") -> None:
        super().__init__(message)
        self.failures = failures
        self.returncode = returncode
        self.stderr = stderr


# `SPEC: error: constants[1] "NO_SUCH": why` (a struct's field adds ` field "F"`); the compiler's
# lines that follow are indented.
_FAILURE = (r'^.*?: error: (\w+)\[(\d+)\] "((?:[^"\\]|\\.)*)"'
            r'(?: field "((?:[^"\\]|\\.)*)")?: ')


def _unquote(s: Optional[str]) -> Optional[str]:
    import re
    return None if s is None else re.sub(r"\\(.)", r"\1", s)


def parse_failures(stderr: str) -> List[Failure]:
    """The engine's messages (stderr) grouped by the spec entry each names."""
    import re
    failure = _failure_type()
    out: List[Failure] = []
    for line in stderr.splitlines():
        m = re.match(_FAILURE, line)
        if m:
            out.append(failure(m.group(1), int(m.group(2)), _unquote(m.group(3)),
                               _unquote(m.group(4)), [line]))
        elif line.startswith((" ", "\t")) and out:
            out[-1].lines.append(line)
        elif line.strip():
            out.append(failure(None, None, None, None, [line]))
    return out


class Result(dict):
    """A probe's result: the JSON result as a dict (README, "The result"), with the spec it
    answers (.spec) so that ctypes_module() can render it again."""

    spec: Dict[str, Any]
    json_text: str

    def ctypes_module(self, name: str = "platprobe_ctypes") -> _ModuleType:
        """The same as platprobe.ctypes_module(self, name)."""
        return ctypes_module(self, name)


def _spec_dict(spec: Spec) -> Dict[str, Any]:
    if isinstance(spec, dict):
        return spec
    with open(os.fspath(spec), encoding="utf-8") as f:
        return _json.parse(f.read())


def _abs_dirs(spec: Dict[str, Any], base: str) -> Dict[str, Any]:
    """spec with its relative include_dirs made absolute from base (a dict spec is relative to
    the current directory, as a file's is to its own)."""
    dirs = spec.get("include_dirs")
    if not dirs:
        return spec
    spec = dict(spec)
    spec["include_dirs"] = [d if os.path.isabs(d) else os.path.join(base, d) for d in dirs]
    return spec


def _options(cc: Union[None, str, Sequence[str]], target: Optional[str], cache: bool,
             cache_dir: Optional[str]) -> List[str]:
    args: List[str] = []
    if cc is not None:
        if not isinstance(cc, str):
            import shlex
            cc = " ".join(shlex.quote(w) for w in cc)
        args += ["--cc", cc]
    if target is not None:
        args += ["--target", target]
    if not cache:
        args.append("--no-cache")
    elif cache_dir is not None:
        args += ["--cache-dir", cache_dir]
    return args


def _env(cflags: Iterable[str]) -> Optional[Dict[str, str]]:
    flags = list(cflags)
    if not flags:
        return None
    import shlex
    env = dict(os.environ)
    env["CFLAGS"] = " ".join([env.get("CFLAGS", "")] + [shlex.quote(f) for f in flags]).strip()
    return env


def _write(path: str, text: str) -> None:
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def probe(spec: Spec, *, cc: Union[None, str, Sequence[str]] = None, target: Optional[str] = None,
          cflags: Iterable[str] = (), cache: bool = True, cache_dir: Optional[str] = None,
          mode: Optional[str] = None) -> Any:
    """Probes spec (a dict, or the path of a spec file) and returns the result as Python
    objects: a Result (a dict), or a list of them for a spec with several "targets".
    cc: the compiler (words, or a list of them); target: a triple (--target); cflags: more
    compiler flags (added to $CFLAGS); cache=False: --no-cache; mode: "object" or "run".
    Raises ProbeError when a required entry cannot be answered or the spec is bad."""
    spec_d = _spec_dict(spec)
    args = _options(cc, target, cache, cache_dir)
    if mode is not None:
        args += ["--mode", mode]
    if isinstance(spec, dict):
        # A dict goes through a pipe (no temp file): the engine reads /dev/stdin.
        text: Optional[str] = _json.dumps_spec(_abs_dirs(spec, os.getcwd()))
        path = "/dev/stdin"
    else:
        text, path = None, os.fspath(spec)
    p = _engine.run(["probe", path, "-f", "json", *args], env=_env(cflags), stdin=text)
    if p.returncode != 0:
        failures = parse_failures(p.stderr)
        first = failures[0].lines[0] if failures else "exit status %d" % p.returncode
        raise ProbeError("platprobe: the probe failed: %s%s" % (
            first, " (and %d more)" % (len(failures) - 1) if len(failures) > 1 else ""),
            failures, p.returncode, p.stderr)
    doc = _json.loads(p.stdout)
    docs = doc["results"] if "results" in doc else None
    wrapped = [_wrap(r, spec_d) for r in (docs if docs is not None else [doc])]
    return wrapped if docs is not None else wrapped[0]


def _wrap(res: Dict[str, Any], spec: Dict[str, Any]) -> Result:
    out = Result(res)
    out.spec = spec
    return out


def spec_for(result: Dict[str, Any]) -> Dict[str, Any]:
    """A spec that asks exactly what result answers (for a result made without one): whole
    layouts as "*", listed fields by name, unanswered entries optional."""
    spec: Dict[str, Any] = {}
    for sec in SECTIONS:
        entries = []
        for name, value in (result.get(sec) or {}).items():
            entry: Dict[str, Any] = {"name": name}
            if value is None or value is False:
                entry["optional"] = True
            if sec == "structs" and value is not None:
                if value.get("fields_complete"):
                    entry["fields"] = "*"
                else:
                    entry["fields"] = [f["name"] for f in value.get("fields", [])]
            if sec == "libraries" and isinstance(value, dict) and not value.get("links"):
                entry["optional"] = True
            entries.append(entry)
        if entries:
            spec[sec] = entries
    return spec


def python_source(result: Dict[str, Any]) -> str:
    """The text `platprobe probe -f python` writes for result (rendered by the engine from the
    result, with --from: the one implementation of the layout rules)."""
    spec = getattr(result, "spec", None)
    if spec is None:
        spec = spec_for(result)
    else:
        spec = _abs_dirs(spec, os.getcwd())
    import tempfile
    with tempfile.TemporaryDirectory(prefix="platprobe-py-") as tmp:
        rpath = os.path.join(tmp, "result.json")
        _write(rpath, _json.dumps(result))
        p = _engine.run(["probe", "/dev/stdin", "--from", rpath, "-f", "python"],
                        stdin=_json.dumps_spec(spec))
    if p.returncode != 0:
        raise ProbeError("platprobe: cannot render the result as Python: %s"
                         % p.stderr.strip(), parse_failures(p.stderr), p.returncode, p.stderr)
    return p.stdout


def ctypes_module(result: Dict[str, Any], name: str = "platprobe_ctypes") -> _ModuleType:
    """A module holding what `platprobe probe -f python` writes for result (a probe() result, or
    a result dict from elsewhere): classes, aliases, constants, DEFINED, FUNCTIONS, LIBRARIES,
    load_library(); built in memory from the same template, its layout checks run (ImportError
    when ctypes here lays a class out otherwise)."""
    source = python_source(result)
    mod = _ModuleType(name)
    mod.__file__ = "<platprobe %s>" % name
    exec(compile(source, mod.__file__, "exec"), mod.__dict__)
    return mod
