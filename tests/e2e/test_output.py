"""-o into something that is not a regular file: /dev/null stays a device and a FIFO stays a FIFO
(a rename over them would replace them with a regular file); the FIFO's reader gets the result."""
import json
import os
import stat
import sys
import tempfile
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pptest
from pptest import check

with tempfile.TemporaryDirectory(prefix="pptest-out-") as d:
    spec = os.path.join(d, "spec.json")
    with open(spec, "w") as f:
        json.dump({"headers": ["errno.h"], "constants": ["EAGAIN"]}, f)
    before = os.stat("/dev/null")
    p = pptest.run(["probe", spec, "-o", "/dev/null", "--no-cache"])
    after = os.stat("/dev/null")
    check("-o /dev/null: exit 0", p.returncode == 0, p.stderr)
    check("-o /dev/null: still the same character device", stat.S_ISCHR(after.st_mode)
          and after.st_rdev == before.st_rdev, oct(after.st_mode))
    fifo = os.path.join(d, "fifo")
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(open(fifo).read()))
    reader.start()
    p = pptest.run(["probe", spec, "-o", fifo, "--no-cache"])
    reader.join(30)
    check("-o FIFO: exit 0", p.returncode == 0, p.stderr)
    check("-o FIFO: still a FIFO", stat.S_ISFIFO(os.stat(fifo).st_mode), "")
    import errno
    check("-o FIFO: the reader got the result", got and json.loads(got[0])["constants"]["EAGAIN"] == errno.EAGAIN,
          repr(got[:1])[:200])
    check("no temp file left beside the FIFO", sorted(os.listdir(d)) == ["fifo", "spec.json"], str(os.listdir(d)))
pptest.done()
