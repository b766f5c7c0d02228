"""The platprobe Python package (python/): its pytest suite (python/tests/) run with Debian's
/usr/bin/python3 (which has pytest), each test reported as a PASS or FAIL line. A missing pytest
is a failure: .ci/deps installs python3-pytest."""
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.environ.get("TOP") or os.path.dirname(os.path.dirname(HERE))
PLATPROBE = os.environ.get("PLATPROBE") or os.path.join(TOP, "build", "platprobe")
PYTHON = "/usr/bin/python3"


def main() -> int:
    env = dict(os.environ, PLATPROBE=PLATPROBE, PYTHONPATH=os.path.join(TOP, "python"),
               PYTHONDONTWRITEBYTECODE="1", COLUMNS="400")  # pytest cuts reasons to the width
    try:
        p = subprocess.run([PYTHON, "-m", "pytest", "-rA", "-q", "-p", "no:cacheprovider",
                            os.path.join(TOP, "python", "tests")], cwd=TOP, env=env,
                           capture_output=True, text=True, timeout=3600)
    except OSError as e:
        print("FAIL python package: cannot run %s: %s" % (PYTHON, e))
        return 1
    if "No module named pytest" in p.stderr:
        print("FAIL python package: pytest is missing for %s (install python3-pytest: "
              "bash .ci/deps)" % PYTHON)
        return 1
    passed = failed = 0
    for line in p.stdout.splitlines():
        m = re.match(r"^(PASSED|FAILED|ERROR) (\S+)(?: - (.*))?$", line)
        if not m:
            continue
        name = "python: " + m.group(2).replace("python/tests/", "")
        if m.group(1) == "PASSED":
            passed += 1
            print("PASS %s" % name)
        else:
            failed += 1
            print("FAIL %s: %s" % (name, (m.group(3) or m.group(1))[:1500]))
    if p.returncode != 0 and not failed:
        print("FAIL python package: pytest exited %d: %s" % (
            p.returncode, (p.stdout + p.stderr)[-3000:].replace("\n", " | ")))
        failed += 1
    if failed:
        sys.stdout.write(p.stdout[-6000:])
    return 1 if failed else 0


sys.exit(main())
