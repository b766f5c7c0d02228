"""--depfile FILE: Make syntax as cc -MD writes it. The files it lists are compared with the
compiler's own list (cc -M on a C file that includes the spec's headers the same way), paths with
blanks, '#' and '$' are read back by a parser written here, and make and ninja themselves read the
file: up to date after a probe, out of date once a header it names is touched."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pptest
from pptest import check

W = tempfile.mkdtemp(prefix="pptest-depfile-")
WEIRD = os.path.join(W, "we ird#dir$x")   # blanks, '#' and '$' need escaping in Make syntax
os.makedirs(os.path.join(WEIRD, "sub"))
with open(os.path.join(WEIRD, "sub", "w.h"), "w") as f:
    f.write("#include <errno.h>\nstruct w { int a; long b; };\n#define W_VALUE 7\n")
with open(os.path.join(W, "local.h"), "w") as f:
    f.write('#include "sub/w.h"\n#define LOCAL 1\n')
SPEC = {"defines": {"_GNU_SOURCE": "1"}, "headers": ["local.h", "sys/stat.h", "stdint.h"],
        "include_dirs": [".", "we ird#dir$x"],
        "structs": [{"name": "struct w", "fields": ["b"]}], "constants": ["W_VALUE", "EAGAIN"]}
spec_path = os.path.join(W, "spec.json")
with open(spec_path, "w") as f:
    json.dump(SPEC, f)


def parse_make(text):
    """Make's dependency syntax, independently: the first rule's targets and prerequisites, and the
    targets of the rules after it."""
    rules, words, cur = [], [], []
    i = 0
    while i < len(text):
        c = text[i]
        if c == "\\" and i + 1 < len(text) and text[i + 1] == "\n":
            i += 2
            c = " "
            if cur:
                words.append("".join(cur))
                cur = []
            continue
        if c == "\\" and i + 1 < len(text) and text[i + 1] in " \t#":
            cur.append(text[i + 1])
            i += 2
            continue
        if c == "$" and text[i + 1:i + 2] == "$":
            cur.append("$")
            i += 2
            continue
        if c in " \t\n":
            if cur:
                words.append("".join(cur))
                cur = []
            if c == "\n" and words:
                rules.append(words)
                words = []
            i += 1
            continue
        cur.append(c)
        i += 1
    if cur:
        words.append("".join(cur))
    if words:
        rules.append(words)
    out = []
    for r in rules:
        k = next(j for j, w in enumerate(r) if w.endswith(":"))
        targets = r[:k] + [r[k][:-1]] if r[k] != ":" else r[:k]
        out.append(([t for t in targets if t], r[k + 1:]))
    return out


def cc_deps(cc, flags, spec, spec_dir):
    """The files cc reads for a C file including SPEC's headers after its defines (cc -M)."""
    src = os.path.join(W, "deps-check.c")
    with open(src, "w") as f:
        f.write("".join(f"#define {k} {v}\n" for k, v in spec.get("defines", {}).items()))
        f.write("".join(f"#include <{h}>\n" for h in spec["headers"]))
    incs = ["-I" + os.path.join(spec_dir, d) for d in spec.get("include_dirs", [])]
    out = subprocess.run(cc + flags + incs + ["-M", src], capture_output=True, text=True,
                         check=True, cwd=W).stdout
    return {os.path.realpath(os.path.join(W, p)) for p in parse_make(out)[0][1]} - {src}


def probe_dep(out, dep, *extra, cwd=None):
    return subprocess.run([pptest.PLATPROBE, "probe", spec_path, "-o", out, "--depfile", dep] +
                          list(extra), capture_output=True, text=True, cwd=cwd)


out, dep = os.path.join(W, "config.h"), os.path.join(W, "config.h.d")
p = probe_dep(out, dep, "-f", "header")
check("probe --depfile: exit 0", p.returncode == 0, p.stderr)
with open(dep) as f:
    text = f.read()
rules = parse_make(text)
check("depfile: its target is the -o output", rules and rules[0][0] == [out], text[:300])
deps = rules[0][1] if rules else []
check("depfile: the spec comes first", deps[:1] == [spec_path], str(deps[:3]))
got = {os.path.realpath(p) for p in deps[1:]}
want = cc_deps(["cc"], [], SPEC, W)
check(f"depfile: the {len(want)} files cc -M lists for the spec's headers, no more, no less",
      got == want and len(want) > 10, f"extra {sorted(got - want)[:5]} missing {sorted(want - got)[:5]}")
w_h = os.path.join(WEIRD, "sub", "w.h")
check("depfile: a path with blanks, '#' and '$' reads back exactly", w_h in deps, str(deps[:6]))
check("depfile: no platprobe temp file in it", not any("platprobe-" in d for d in deps), text[:500])
check("depfile: each header also a rule of its own, as cc -MP (deleted headers do not stop make)",
      sorted(t for r in rules[1:] for t in r[0]) == sorted(deps[1:]) and
      all(not r[1] for r in rules[1:]), str(rules[1:3]))


def newer(path, than):
    """Touch path until its time is after every file in than (file times are coarse)."""
    limit = max(os.stat(t).st_mtime_ns for t in than)
    while True:
        os.utime(path)
        if os.stat(path).st_mtime_ns > limit:
            return
        time.sleep(0.01)


# A cache hit runs no compiler, and still writes the same depfile (the entry keeps the list).
# (An include directory with a blank in its name makes the cache miss: a plain spec here.)
cache, plain = os.path.join(W, "cache"), os.path.join(W, "plain.json")
with open(plain, "w") as f:
    json.dump({"headers": ["sys/stat.h", "errno.h"], "constants": ["EAGAIN"]}, f)
texts = []
for run in ("miss", "hit"):
    p = subprocess.run([pptest.PLATPROBE, "probe", plain, "-o", os.path.join(W, "cached.h"), "--depfile", os.path.join(W, "cached.d"),
                        "--cache-dir", cache, "-v"], capture_output=True, text=True)
    with open(os.path.join(W, "cached.d")) as f:
        texts.append(f.read())
    check(f"cache {run}: exit 0, said so", p.returncode == 0 and f"cache: {run}" in p.stderr,
          p.stderr[-1500:])
check("cache hit: no compiler ran, the same depfile", "run: cc" not in p.stderr and
      texts[0] == texts[1] and "/usr/include/errno.h" in texts[1], texts[1][:300])

# ---------------------------------------------------------------- make reads it
with open(os.path.join(W, "t.mk"), "w") as f:
    f.write(f"{out}:\n\t@echo rebuilt\ninclude config.h.d\n")
env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
q = lambda: subprocess.run(["make", "-q", "-f", "t.mk", out], cwd=W, env=env,
                           capture_output=True, text=True)
r = q()
check("make: up to date right after the probe", r.returncode == 0, r.stdout + r.stderr)
newer(w_h, [out, dep])
r = q()
check("make: out of date once the header with an escaped path is touched", r.returncode == 1,
      r.stdout + r.stderr)
newer(os.path.join(W, "deps-check.c"), [w_h])  # a file the spec does not read
p = probe_dep(out, dep, "-f", "header")
r = q()
check("make: up to date again after a new probe", p.returncode == 0 and r.returncode == 0,
      r.stdout + r.stderr)

# ---------------------------------------------------------------- ninja reads it
if shutil.which("ninja"):
    nd = os.path.join(W, "ninja")
    os.makedirs(nd)
    with open(os.path.join(nd, "build.ninja"), "w") as f:
        f.write(f"rule pp\n  command = {pptest.PLATPROBE} probe $in -o $out --depfile $out.d\n"
                f"  depfile = $out.d\n  deps = gcc\n"
                f"build out.json: pp {spec_path.replace('$', '$$').replace(' ', '$ ')}\n")
    r1 = subprocess.run(["ninja"], cwd=nd, capture_output=True, text=True)
    r2 = subprocess.run(["ninja", "-n"], cwd=nd, capture_output=True, text=True)
    check("ninja: builds, then has no work to do", r1.returncode == 0 and "no work to do" in r2.stdout,
          r1.stdout + r1.stderr + r2.stdout)
    newer(w_h, [os.path.join(nd, "out.json")])
    r3 = subprocess.run(["ninja", "-n", "-d", "explain"], cwd=nd, capture_output=True, text=True)
    check("ninja: reruns platprobe once the escaped header is touched", "[1/1]" in r3.stdout and
          "w.h" in r3.stderr, r3.stdout + r3.stderr)
else:
    check("ninja on PATH (.ci/deps installs ninja-build)", False, "missing")

# ---------------------------------------------------------------- relative paths, run mode, --from
p = probe_dep("rel.h", "rel.h.d", "-f", "header", cwd=W)
with open(os.path.join(W, "rel.h.d")) as f:
    rel = parse_make(f.read())
check("relative -o: the depfile names it as given", p.returncode == 0 and rel[0][0] == ["rel.h"],
      str(rel[0][0]) + p.stderr)
p = probe_dep(os.path.join(W, "run.json"), os.path.join(W, "run.d"), "--mode", "run")
with open(os.path.join(W, "run.d")) as f:
    runs = {os.path.realpath(x) for x in parse_make(f.read())[0][1][1:]}
check("run mode: the same headers (and those of the runner's stdio.h)", p.returncode == 0 and
      want <= runs, str(sorted(want - runs)[:5]))
saved = os.path.join(W, "config.json")
subprocess.run([pptest.PLATPROBE, "probe", spec_path, "-o", saved], check=True)
p = subprocess.run([pptest.PLATPROBE, "probe", spec_path, "--from", saved, "-o", out,
                    "--depfile", dep], capture_output=True, text=True)
with open(dep) as f:
    fr = parse_make(f.read())
check("--from: the output depends on the spec and the saved result alone", p.returncode == 0 and
      fr[0][1] == [spec_path, saved] and len(fr) == 1, str(fr) + p.stderr)

# ---------------------------------------------------------------- several targets, one output
if shutil.which("aarch64-linux-gnu-gcc"):
    both = os.path.join(W, "both.json")
    p = probe_dep(both, both + ".d", "--target", "x86_64-linux-gnu", "--target", "aarch64-linux-gnu")
    with open(both + ".d") as f:
        got2 = {os.path.realpath(x) for x in parse_make(f.read())[0][1][1:]}
    want2 = want | cc_deps(["aarch64-linux-gnu-gcc"], [], SPEC, W)
    check("two targets: the headers both compilers read", p.returncode == 0 and got2 == want2,
          f"extra {sorted(got2 - want2)[:4]} missing {sorted(want2 - got2)[:4]} {p.stderr}")
else:
    check("aarch64-linux-gnu-gcc on PATH (.ci/deps installs it)", False, "missing")

# ---------------------------------------------------------------- refusals
os.unlink(dep)
p = subprocess.run([pptest.PLATPROBE, "probe", spec_path, "--depfile", dep], capture_output=True,
                   text=True)
check("--depfile without -o: exit 2", p.returncode == 2 and "-o FILE" in p.stderr, p.stderr)
p = subprocess.run([pptest.PLATPROBE, "probe", spec_path, "-o", os.path.join(W, "{triple}.h"),
                    "--depfile", dep], capture_output=True, text=True)
check("--depfile with -o '{triple}': exit 2", p.returncode == 2, p.stderr)
bad = os.path.join(W, "bad.json")
with open(bad, "w") as f:
    json.dump(dict(SPEC, constants=["NO_SUCH_CONSTANT"]), f)
p = subprocess.run([pptest.PLATPROBE, "probe", bad, "-o", out + ".new", "--depfile", dep],
                   capture_output=True, text=True)
check("a failed probe writes neither output nor depfile", p.returncode == 1 and
      not os.path.exists(dep) and not os.path.exists(out + ".new"), p.stderr)

shutil.rmtree(W, ignore_errors=True)
pptest.done()
