"""End-to-end: `platprobe spec` writes a spec of what a dozen libc and Linux headers declare; the
spec probes cleanly, and its answers agree with Python's own modules and a hand-written C
program. Names that are declared only in what the headers include stay out unless --from-file
names that file."""
import atexit
import json
import os
import re
import select
import shutil
import signal
import socket
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pptest  # noqa: E402
from pptest import check  # noqa: E402

WORK = tempfile.mkdtemp(prefix="pptest-spec-")
atexit.register(shutil.rmtree, WORK, True)
tempfile.tempdir = WORK

HEADERS = ["sys/epoll.h", "sys/stat.h", "sys/socket.h", "netinet/in.h", "fcntl.h", "time.h",
           "signal.h", "termios.h", "dirent.h", "sys/utsname.h", "linux/if_ether.h",
           "linux/input.h", "stdio.h"]
# Declared in those headers themselves (glibc 2.36, Linux 6.1 uapi); each confirmed by the compiler
# below before the spec is asked about it.
OWN = {"structs": ["struct epoll_event", "struct mmsghdr", "struct utsname", "struct ethhdr",
                   "struct input_event", "struct input_id", "union epoll_data"],
       "types": ["epoll_data_t", "DIR", "fpos_t"],
       "constants": ["EPOLLIN", "EPOLL_CTL_ADD", "ETH_P_IP", "EV_VERSION", "SEEK_SET", "BUFSIZ",
                     "S_IFMT", "SHUT_RDWR", "F_OK"],
       "functions": ["epoll_wait", "fstat", "socket", "uname", "printf", "opendir", "nanosleep",
                     "sigaction", "tcgetattr", "openat"],
       "enums": ["enum EPOLL_EVENTS"]}
# Declared in files the headers include, not in them: out by default.
INCLUDED_ONLY = {"structs": ["struct timespec", "struct sockaddr", "struct termios", "struct stat",
                             "struct dirent"],
                 "types": ["FILE"],
                 "constants": ["EPOLL_CLOEXEC", "O_NONBLOCK", "SIGTERM", "B9600", "EV_KEY",
                               "AT_FDCWD"]}


def c_confirms_names() -> bool:
    """Every name of OWN is declared (a compile error otherwise)."""
    uses = []
    for s in OWN["structs"] + OWN["types"]:
        uses.append(f"sizeof({s} *)")
    for c in OWN["constants"]:
        uses.append(f"(long)({c})")
    for f in OWN["functions"]:
        uses.append(f"(long)(void (*)(void))&{f}")
    src = ("#define _GNU_SOURCE 1\n" + "".join(f"#include <{h}>\n" for h in HEADERS) +
           "long uses[] = {" + ", ".join(uses) + "};\nenum EPOLL_EVENTS e;\n"
           "int main(void) { return 0; }\n")
    try:
        pptest.cc_run(src)
        return True
    except Exception as e:  # noqa: BLE001: the compiler's complaint is the detail
        return check("spec: the compiler confirms the test's own names", False, str(e))


def c_facts() -> list:
    src = ("#define _GNU_SOURCE 1\n" + "".join(f"#include <{h}>\n" for h in HEADERS) + r"""
#include <stddef.h>
int main(void) {
    printf("%zu %zu %zu %zu %d %d\n", sizeof(struct epoll_event), sizeof(struct mmsghdr),
           offsetof(struct utsname, release), sizeof(struct input_event), ETH_P_IP, EV_VERSION);
    return 0;
}
""")
    return list(map(int, pptest.cc_run(src).split()))


def entries(spec: dict, sec: str) -> list:
    return [e["name"] if isinstance(e, dict) else e for e in spec.get(sec, [])]


def main() -> None:
    if not c_confirms_names():
        pptest.done()
    args = ["spec", "-D", "_GNU_SOURCE", "-v"]
    for h in HEADERS:
        args += ["-i", h]
    spec_path = os.path.join(WORK, "gen.json")
    p = pptest.run(args + ["-o", spec_path])
    if not check("spec: writes a spec of 13 headers", p.returncode == 0, p.stderr[-2000:]):
        pptest.done()
    runs = [l for l in p.stderr.splitlines() if l.startswith("platprobe: run:")]
    check("spec: two compiler runs (-E -dD, one -g compile), not one per name", len(runs) == 2,
          runs)
    with open(spec_path) as f:
        text = f.read()
    spec = json.loads(text)
    for sec, names in OWN.items():
        got = set(entries(spec, sec))
        check(f"spec: {sec}: the headers' own names present", set(names) <= got,
              sorted(set(names) - got))
    for sec, names in INCLUDED_ONLY.items():
        got = set(entries(spec, sec))
        check(f"spec: {sec}: names only included files declare are left out",
              not (set(names) & got), sorted(set(names) & got))
    check("spec: no reserved names (__x) nor include guards",
          not [n for s in spec.values() if isinstance(s, list) for n in entries({"x": s}, "x")
               if n.startswith("__") or re.fullmatch(r"_[A-Z_]+_H_?", n)])
    ok = True
    for sec in ("types", "structs", "constants", "functions", "enums"):
        names = entries(spec, sec)
        ok &= names == sorted(names) and len(names) == len(set(names))
        ok &= all(e.get("optional") is True for e in spec.get(sec, []))
    check("spec: sections sorted, no duplicates, every entry optional", ok)
    lines = [l for l in text.splitlines() if '"name"' in l]
    check("spec: one entry a line", all(l.count('"name"') == 1 for l in lines) and
          len(lines) == sum(len(spec.get(s, [])) for s in ("types", "structs", "constants",
                                                            "functions", "enums")))

    out = os.path.join(WORK, "result.json")
    p = pptest.run(["probe", spec_path, "-o", out])
    if not check("spec: the spec probes cleanly on the same machine", p.returncode == 0 and
                 not p.stderr.strip(), p.stderr[-2000:]):
        pptest.done()
    with open(out) as f:
        res = json.load(f)
    c = res["constants"]
    check("spec: EPOLLIN, EPOLLET as Python's select says",
          (c.get("EPOLLIN"), c.get("EPOLLET")) == (select.EPOLLIN, select.EPOLLET),
          (c.get("EPOLLIN"), c.get("EPOLLET")))
    check("spec: SHUT_RDWR, SEEK_SET as Python says",
          (c.get("SHUT_RDWR"), c.get("SEEK_SET")) == (socket.SHUT_RDWR, os.SEEK_SET),
          (c.get("SHUT_RDWR"), c.get("SEEK_SET")))
    ep, st, rel, ie, ip, evkey = c_facts()
    s = res["structs"]
    check("spec: struct epoll_event, struct mmsghdr, struct input_event sizes as the compiler says",
          (s["struct epoll_event"]["size"], s["struct mmsghdr"]["size"],
           s["struct input_event"]["size"]) == (ep, st, ie))
    rel_got = [f["offset"] for f in s["struct utsname"].get("fields", []) if f["name"] == "release"]
    check("spec: whole layouts: struct utsname.release where the compiler puts it",
          rel_got == [rel], rel_got)
    check("spec: ETH_P_IP and EV_VERSION (Linux headers) as the compiler says",
          (c.get("ETH_P_IP"), c.get("EV_VERSION")) == (ip, evkey))
    check("spec: functions link", all(res["functions"].get(f) for f in OWN["functions"]),
          {f: res["functions"].get(f) for f in OWN["functions"]})

    # --from-file adds an included file's declarations; --match and --regex filter.
    p = pptest.run(["spec", "-i", "sys/epoll.h", "-i", "signal.h", "--from-file", "bits/epoll.h",
                    "--from-file", "bits/signum-generic.h", "--match", "EPOLL*", "--match", "SIG*"])
    g = json.loads(p.stdout) if p.returncode == 0 else {}
    names = [n for sec in ("types", "structs", "constants", "functions", "enums")
             for n in entries(g, sec)]
    check("spec --from-file: EPOLL_CLOEXEC and SIGTERM from the named included files",
          {"EPOLL_CLOEXEC", "SIGTERM"} <= set(names), p.stderr + str(names))
    check("spec --match: only names that match", names and all(
        re.match(r"(EPOLL|SIG)", n.split()[-1]) for n in names), names)
    pr = pptest.probe(g, tmpdir=WORK)[1] or {}
    check("spec --from-file: SIGTERM probes to Python's value",
          pr.get("constants", {}).get("SIGTERM") == signal.SIGTERM,
          pr.get("constants", {}).get("SIGTERM"))
    p = pptest.run(["spec", "-i", "sys/epoll.h", "--regex", "^epoll_(ctl|wait)$"])
    g = json.loads(p.stdout) if p.returncode == 0 else {}
    check("spec --regex: exactly the names it matches",
          entries(g, "functions") == ["epoll_ctl", "epoll_wait"] and
          not any(g.get(s) for s in ("types", "structs", "constants", "enums")), p.stdout)
    p = pptest.run(["spec", "-i", "sys/epoll.h", "--target", "arm-linux-gnueabihf"])
    g = json.loads(p.stdout) if p.returncode == 0 else {}
    check("spec --target: a cross compiler's headers", "struct epoll_event" in
          entries(g, "structs"), p.stderr)
    bad = pptest.run(["spec", "-i", "sys/epoll.h", "--regex", "("])
    check("spec: a bad --regex is bad usage", bad.returncode == 2 and "--regex" in bad.stderr,
          bad.stderr)
    bad = pptest.run(["spec"])
    check("spec: no header is bad usage", bad.returncode == 2 and "-i" in bad.stderr, bad.stderr)
    bad = pptest.run(["spec", "-i", "no/such/header.h"])
    check("spec: a missing header fails naming it", bad.returncode == 1 and
          "no/such/header.h" in bad.stderr, bad.stderr)
    pptest.done()


if __name__ == "__main__":
    main()
