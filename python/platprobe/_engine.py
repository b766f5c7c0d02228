"""Finding and running the platprobe program: the package talks to it through files (the spec
on stdin, JSON or Python source on stdout, messages on stderr), so it needs no compiled part of
its own."""
from __future__ import annotations

import os
import sys

# typing is only for the annotations (not evaluated at run time: __future__ annotations), so
# that importing the package stays cheap; type checkers take TYPE_CHECKING as true.
TYPE_CHECKING = False
if TYPE_CHECKING:
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


class Completed:
    """What one run of the engine gave: its exit status (negative: killed by that signal) and
    what it wrote to its standard output and error, as text."""

    __slots__ = ("returncode", "stdout", "stderr")

    def __init__(self, returncode: int, stdout: str, stderr: str) -> None:
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr


def _scratch() -> int:
    """An anonymous file (created, opened and unlinked at once): the engine's stdin, stdout or
    stderr, so that neither side waits on a pipe the other has not drained."""
    tmp = os.environ.get("TMPDIR") or "/tmp"
    while True:
        path = os.path.join(tmp, "platprobe-py-%d-%s" % (os.getpid(), os.urandom(8).hex()))
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
        except FileExistsError:
            continue
        os.unlink(path)
        return fd


def _text(fd: int) -> str:
    """Everything written to fd, decoded (undecodable bytes kept as surrogates)."""
    os.lseek(fd, 0, os.SEEK_SET)
    chunks = []
    while True:
        b = os.read(fd, 1 << 16)
        if not b:
            break
        chunks.append(b)
    return b"".join(chunks).decode("utf-8", "surrogateescape")


def _kill(pid: int) -> None:
    """Kills the engine (SIGKILL) and reaps it."""
    os.kill(pid, 9)
    os.waitpid(pid, 0)


def run(args: Sequence[str], env: Optional[dict] = None,
        stdin: Optional[str] = None) -> Completed:
    """Runs `platprobe ARGS...` (stdin: text for its standard input, which the engine reads as
    the file /dev/stdin); stdout and stderr as text (undecodable bytes kept as surrogates, so a
    path or string is never altered). os.posix_spawn rather than subprocess: subprocess costs
    ~6 ms of imports (signal, selectors, threading, locale), a third of a cached probe."""
    exe = find_engine()
    fds: List[int] = []
    try:
        fds = [_scratch() for _ in range(3 if stdin is not None else 2)]
        actions = [(os.POSIX_SPAWN_DUP2, fds[0], 1), (os.POSIX_SPAWN_DUP2, fds[1], 2)]
        if stdin is not None:
            data = memoryview(stdin.encode("utf-8", "surrogateescape"))
            while data:
                data = data[os.write(fds[2], data):]
            os.lseek(fds[2], 0, os.SEEK_SET)
            actions.append((os.POSIX_SPAWN_DUP2, fds[2], 0))
        try:
            spawn = os.posix_spawn if os.sep in exe else os.posix_spawnp
            pid = spawn(exe, [exe, *args], os.environ if env is None else env,
                        file_actions=actions)
        except OSError as e:
            raise EngineNotFound("platprobe: cannot run %s: %s" % (exe, e)) from e
        try:
            _, status = os.waitpid(pid, 0)
        except KeyboardInterrupt:
            # The engine got the same SIGINT: it stops its compiler and removes its files, so
            # wait for that; a second interrupt kills it.
            try:
                os.waitpid(pid, 0)
            except BaseException:
                _kill(pid)
            raise
        except BaseException:
            _kill(pid)  # an interrupted wait leaves no engine running behind
            raise
        return Completed(os.waitstatus_to_exitcode(status), _text(fds[0]), _text(fds[1]))
    finally:
        for fd in fds:
            os.close(fd)


def warn(text: str) -> None:
    """Copies the engine's messages to our stderr."""
    if text:
        sys.stderr.write(text if text.endswith("\n") else text + "\n")
