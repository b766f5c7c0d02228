"""Finding and running the platprobe program: the package talks to it over pipes (JSON in files,
JSON or Python source on stdout, messages on stderr), so it needs no compiled part of its own."""
from __future__ import annotations

import os
import sys

# typing is only for the annotations (not evaluated at run time: __future__ annotations), so
# that importing the package stays cheap; type checkers take TYPE_CHECKING as true.
TYPE_CHECKING = False
if TYPE_CHECKING:
    import subprocess
    from typing import List, Optional, Sequence

_ENGINE: Optional[str] = None


class EngineNotFound(ImportError):
    """No platprobe program was found (neither $PLATPROBE, nor on PATH, nor installed beside)."""


def _beside() -> List[str]:
    """Where the program lies relative to this package: an installed tree
    (PREFIX/lib/python3.X/site-packages/platprobe -> PREFIX/bin), or the source tree (python/)."""
    here = os.path.dirname(os.path.abspath(__file__))
    return [os.path.join(here, "..", "..", "..", "..", "bin", "platprobe"),
            os.path.join(here, "..", "..", "build", "platprobe")]


def find_engine() -> str:
    """The platprobe program: $PLATPROBE, else `platprobe` on PATH, else beside this package."""
    global _ENGINE
    env = os.environ.get("PLATPROBE")
    if env:
        return env
    if _ENGINE is None:
        import shutil
        found = shutil.which("platprobe")
        if found is None:
            for cand in _beside():
                if os.path.isfile(cand) and os.access(cand, os.X_OK):
                    found = os.path.normpath(cand)
                    break
        if found is None:
            raise EngineNotFound(
                "platprobe: the platprobe program was not found: set $PLATPROBE to it, put it on "
                "PATH, or install it (`make install` in platprobe's source tree installs the "
                "program and this package together)")
        _ENGINE = found
    return _ENGINE


def run(args: Sequence[str], env: Optional[dict] = None,
        stdin: Optional[str] = None) -> subprocess.CompletedProcess:
    """Runs `platprobe ARGS...` (stdin: text for its standard input, which the engine reads as
    the file /dev/stdin); stdout and stderr as text (undecodable bytes kept as surrogates, so a
    path or string is never altered)."""
    # subprocess (~5 ms of imports: signal, selectors, threading, locale) only when a probe runs.
    import subprocess
    try:
        return subprocess.run([find_engine(), *args], capture_output=True, env=env, input=stdin,
                              encoding="utf-8", errors="surrogateescape")
    except OSError as e:
        raise EngineNotFound("platprobe: cannot run %s: %s" % (find_engine(), e)) from e


def warn(text: str) -> None:
    """Copies the engine's messages to our stderr."""
    if text:
        sys.stderr.write(text if text.endswith("\n") else text + "\n")
