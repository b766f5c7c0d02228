"""End-to-end: what a compiler or a run-mode probe program prints is kept bounded (issue 16). A stub
compiler floods stderr with 200 MB; a probe program writes 200 MB, another never stops. Each run
fails with a short message holding the head and the tail of what was printed, and platprobe's
peak RSS (getrusage of the waited child, which includes the stubs, kept small: sh, yes, head)
stays within a few MB of the same run with a quiet stub."""
import atexit, os, resource, shutil, stat, subprocess, sys, tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pptest  # noqa: E402
from pptest import check  # noqa: E402

WORK = tempfile.mkdtemp(prefix="pptest-bounded-")
atexit.register(shutil.rmtree, WORK, True)
FLOOD = 200 * 1000 * 1000
# Head (4 MiB) + tail (64 KiB) + slack for the allocator: what a bounded capture may add.
SLACK_KB = 24 * 1024


def script(name: str, body: str) -> str:
    """Write an executable sh script into WORK; returns its path."""
    path = os.path.join(WORK, name)
    with open(path, "w") as f:
        f.write("#!/bin/sh\n" + body)
    os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR)
    return path


def measured(args: list, timeout: float = 120) -> tuple:
    """Run platprobe ARGS; (exit status, stderr text, peak RSS in KB of it and its children)."""
    with tempfile.TemporaryFile() as err:
        p = subprocess.Popen([pptest.PLATPROBE] + args, stdout=subprocess.DEVNULL, stderr=err,
                             env=ENV)
        _, status, ru = os.wait4(p.pid, 0)
        p.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        print(f"# platprobe {args[-2:]}: peak RSS {ru.ru_maxrss} KB")
        return p.returncode, err.read().decode("utf-8", "replace"), ru.ru_maxrss


# Memory freed is memory free: ASan's quarantine and valgrind's freed-block list (the suite's
# second and third rounds) would otherwise count every buffer platprobe let go.
ENV = dict(os.environ)
ENV["ASAN_OPTIONS"] = ENV.get("ASAN_OPTIONS", "") + ":quarantine_size_mb=0"
ENV["VALGRIND_OPTS"] = ENV.get("VALGRIND_OPTS", "") + " --freelist-vol=0 --freelist-big-blocks=0"
spec = os.path.join(WORK, "spec.json")
with open(spec, "w") as f:
    f.write('{"headers": ["stddef.h"], "types": ["int"]}')

# The stub compilers: answer -dumpmachine, then fail quietly or after a flood of error lines.
quiet = script("quiet-cc", 'case "$*" in *-dumpmachine*) echo x86_64-linux-gnu; exit 0;; esac\n'
               'echo "stub.c:1:1: error: quiet stub" >&2; exit 1\n')
flood = script("flood-cc", 'case "$*" in *-dumpmachine*) echo x86_64-linux-gnu; exit 0;; esac\n'
               'echo "stub.c:1:1: error: first line of the flood" >&2\n'
               f'yes "stub.c:2:1: error: flooding stderr" | head -c {FLOOD} >&2\n'
               'echo "stub.c:3:1: error: last line of the flood" >&2; exit 1\n')
common = ["probe", spec, "--no-cache"]
rc0, err0, base = measured(common + ["--cc", quiet])
check("a quiet failing stub compiler fails the probe", rc0 == 1, err0[-2000:])
rc, err, peak = measured(common + ["--cc", flood])
check("a compiler flooding stderr with 200 MB fails the probe (exit 1)", rc == 1, err[-2000:])
check("its message is short", len(err) < 64 * 1024, f"{len(err)} bytes")
check("platprobe's peak RSS stays within 24 MB of the quiet run's",
      peak - base < SLACK_KB, f"quiet {base} KB, flood {peak} KB")
check("the message quotes the head and the tail of what the compiler printed",
      "first line of the flood" in err and "last line of the flood" in err, err[-2000:])

# Run mode: the real compiler builds the probe program; the exec wrapper stands for it.
burst = script("burst", f'yes 00000000 | head -c {FLOOD}\n')
endless = script("endless", "exec yes 00000000\n")
run = common + ["--mode", "run"]
rc0, err0, base = measured(run + ["--exec-wrapper", script("silent", "exit 0\n")])
check("a probe program printing nothing fails the probe", rc0 == 1, err0[-2000:])
rc, err, peak = measured(run + ["--exec-wrapper", burst])
check("a probe program printing 200 MB fails the probe (exit 1)", rc == 1, err[-2000:])
check("its message says it printed more than its table", "more than its table" in err, err[-2000:])
check("peak RSS within 24 MB of the silent program's (200 MB printed)", peak - base < SLACK_KB,
      f"silent {base} KB, burst {peak} KB")
rc, err, peak = measured(run + ["--exec-wrapper", endless, "--timeout", "2"])
check("a probe program that never stops writing is stopped by --timeout (exit 1)",
      rc == 1 and "timed out" in err, err[-2000:])
check("peak RSS within 24 MB of the silent program's (endless output)", peak - base < SLACK_KB,
      f"silent {base} KB, endless {peak} KB")
pptest.done()
