"""End-to-end: `platprobe show` classifies names and prints their facts; expected values come from
a hand-written C program, Python's errno/signal modules and sys.float_info."""
import atexit, errno, os, re, shutil, signal, sys, tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pptest  # noqa: E402
from pptest import check  # noqa: E402

WORK = tempfile.mkdtemp(prefix="pptest-show-")
atexit.register(shutil.rmtree, WORK, True)
tempfile.tempdir = WORK


def c_facts():
    src = r"""
#include <stdio.h>
#include <stddef.h>
#include <sys/stat.h>
#include <signal.h>
int main(void) {
    printf("%zu %zu %zu %zu %zu %zu %zu\n", sizeof(struct stat), _Alignof(struct stat),
           offsetof(struct stat, st_size), offsetof(struct stat, st_mode), sizeof(size_t),
           sizeof(union sigval), offsetof(struct stat, st_mtim));
    return 0;
}
"""
    return list(map(int, pptest.cc_run(src).split()))


def show(*args):
    return pptest.run(["show", *args])


def line_for(out, name):
    """The first line that starts with NAME (after leading blanks)."""
    for line in out.splitlines():
        s = line.lstrip()
        if s.startswith(name) and (len(s) == len(name) or not (s[len(name)].isalnum() or s[len(name)] == "_")):
            return s
    return None


def word(w, text):
    return text is not None and re.search(rf"(?<![\w.]){re.escape(str(w))}(?![\w.])", text) is not None


def fact(key, value, text):
    """'size 144', 'size: 144', 'size=144'."""
    return text is not None and re.search(rf"\b{key}\b\s*[:=]?\s*{value}(?!\w)", text) is not None


def main():
    st_size, st_align, off_size, off_mode, size_t_size, sigval_size, off_mtim = c_facts()

    p = show("-i", "sys/stat.h", "struct stat")
    check("struct stat: exit 0", p.returncode == 0, f"exit {p.returncode}: {p.stderr[-2000:]}")
    ln = line_for(p.stdout, "struct stat")
    rest = ln[len("struct stat"):] if ln else None
    check("struct stat: a line starting with the name", ln is not None, p.stdout)
    check("struct stat: kind word 'struct'", word("struct", rest), repr(ln))
    check(f"struct stat: size {st_size}", fact("size", st_size, rest), repr(ln))
    check(f"struct stat: align {st_align}", fact("align", st_align, rest), repr(ln))
    # The pahole-like member table of `show` needs every member enumerated (DWARF): issue 4.

    p = show("-i", "errno.h", "EAGAIN")
    ln = line_for(p.stdout, "EAGAIN")
    check("EAGAIN: exit 0", p.returncode == 0, p.stderr[-2000:])
    check("EAGAIN: kind word 'constant'", word("constant", ln), repr(p.stdout))
    check(f"EAGAIN: value {errno.EAGAIN}", word(errno.EAGAIN, ln), repr(p.stdout))

    p = show("size_t")
    ln = line_for(p.stdout, "size_t")
    check("size_t: exit 0", p.returncode == 0, p.stderr[-2000:])
    check("size_t: kind word 'type'", word("type", ln), repr(p.stdout))
    check(f"size_t: size {size_t_size}", fact("size", size_t_size, ln), repr(p.stdout))

    p = show("-i", "unistd.h", "getpid")
    ln = line_for(p.stdout, "getpid")
    check("getpid: exit 0", p.returncode == 0, p.stderr[-2000:])
    check("getpid: kind word 'function'", word("function", ln), repr(p.stdout))

    p = show("-D", "FOO=3", "FOO")
    ln = line_for(p.stdout, "FOO")
    check("-D FOO=3: exit 0", p.returncode == 0, p.stderr[-2000:])
    check("-D FOO=3: shows 3", word(3, ln[3:] if ln else None), repr(p.stdout))
    check("-D FOO=3: kind constant or macro", word("constant", ln) or word("macro", ln), repr(p.stdout))

    p = show("-D", "BAR", "BAR")
    ln = line_for(p.stdout, "BAR")
    check("-D BAR: exit 0 and shows 1 (as cc -DBAR does)", p.returncode == 0 and word(1, ln[3:] if ln else None),
          repr(p.stdout) + p.stderr[-1000:])

    p = show("-i", "float.h", "DBL_MAX")
    ln = line_for(p.stdout, "DBL_MAX")
    vals = []
    for tok in (ln or "").split():
        try:
            vals.append(float(tok.strip(",;()")))
        except ValueError:
            pass
    check("DBL_MAX: exit 0, constant, value round-trips to sys.float_info.max",
          p.returncode == 0 and word("constant", ln) and sys.float_info.max in vals, repr(p.stdout))

    p = show("-i", "stdint.h", "UINT64_MAX")
    ln = line_for(p.stdout, "UINT64_MAX")
    check("UINT64_MAX: exact value", p.returncode == 0 and word(2 ** 64 - 1, ln), repr(p.stdout))

    p = show("-i", "signal.h", "union sigval")
    ln = line_for(p.stdout, "union sigval")
    check("union sigval: kind word 'union' and size",
          p.returncode == 0 and ln is not None and word("union", ln[len("union sigval"):])
          and fact("size", sigval_size, ln), repr(p.stdout) + p.stderr[-1000:])

    p = show("-i", "errno.h", "-i", "signal.h", "EAGAIN", "SIGINT", "size_t")
    lines = [x.lstrip() for x in p.stdout.splitlines()]
    firsts = [next((i for i, x in enumerate(lines) if line_for(x, n)), None) for n in ("EAGAIN", "SIGINT", "size_t")]
    check("several names: exit 0, one line each, in order",
          p.returncode == 0 and None not in firsts and firsts == sorted(firsts), repr(p.stdout))
    check("several names: SIGINT value", word(int(signal.SIGINT), line_for(p.stdout, "SIGINT")), repr(p.stdout))

    p = show("--mode", "run", "-i", "signal.h", "SIGRTMIN")
    ln = line_for(p.stdout, "SIGRTMIN")
    check("SIGRTMIN --mode run: value from signal.SIGRTMIN",
          p.returncode == 0 and word(int(signal.SIGRTMIN), ln), repr(p.stdout) + p.stderr[-1000:])

    p = show("PPTEST_NO_SUCH_NAME_XYZ")
    check("unknown name: exit 1", p.returncode == 1, f"exit {p.returncode}")
    check("unknown name: message names it", "PPTEST_NO_SUCH_NAME_XYZ" in p.stderr, p.stderr[-1000:])

    p = show("-i", "errno.h", "EAGAIN", "PPTEST_NO_SUCH_NAME_XYZ")
    check("known + unknown: exit 1, unknown named", p.returncode == 1 and "PPTEST_NO_SUCH_NAME_XYZ" in p.stderr,
          f"exit {p.returncode}: {p.stderr[-1000:]}")

    p = show("-i", "no/such/header_xyz.h", "EAGAIN")
    check("missing header: exit 1 quoting the compiler", p.returncode == 1 and "No such file or directory" in p.stderr,
          f"exit {p.returncode}: {p.stderr[-1000:]}")
    pptest.done()


if __name__ == "__main__":
    main()
