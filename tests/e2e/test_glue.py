"""Build-system glue, installed with `make install` into a temporary prefix and used by real builds
with the README's own snippets (make with platprobe.mk, CMake with find_package(platprobe) under
the Makefile and Ninja generators, Meson with a custom_target): each builds a program that
includes the generated header, and after each change exactly the right steps rerun: nothing after
a rebuild or a touched header the spec does not read; platprobe, the compile and the link after
the spec or a header it reads changes; the compile and link only after main.c changes. The
program's output is checked against a C program that includes the same headers."""
import errno
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pptest
from pptest import check

W = tempfile.mkdtemp(prefix="pptest-glue-")
PREFIX = os.path.join(W, "prefix")

# ---------------------------------------------------------------- the README's snippets
with open(os.path.join(pptest.TOP, "README.md")) as f:
    readme = f.read()
snippets = {}
for group, name, body in re.findall(r"<!-- tested: (\S+) (\S+) -->\n```\w*\n(.*?)```", readme, re.S):
    snippets.setdefault(group, {})[name] = body
check("README: a tested snippet for the demo, make, CMake and Meson",
      set(snippets) == {"demo", "make", "cmake", "meson"} and
      set(snippets["demo"]) == {"config.json", "include/wire.h", "main.c"}, str(snippets.keys()))

# ---------------------------------------------------------------- make install
env = {k: v for k, v in os.environ.items()
       if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "PLATPROBE", "CC", "CFLAGS", "CPPFLAGS")}
p = subprocess.run(["make", "-C", pptest.TOP, "-j2", "install", "SANITIZE=0",
                    "B=" + os.path.join(W, "build"), "PREFIX=" + PREFIX],
                   capture_output=True, text=True, env=env)
check("make install into a temporary prefix", p.returncode == 0, (p.stdout + p.stderr)[-2000:])
installed = {
    "platprobe.mk": os.path.join(PREFIX, "share", "platprobe", "platprobe.mk"),
    "CMake package": os.path.join(PREFIX, "lib", "cmake", "platprobe", "platprobeConfig.cmake"),
    "CMake version file": os.path.join(PREFIX, "lib", "cmake", "platprobe",
                                       "platprobeConfigVersion.cmake"),
    "Meson example": os.path.join(PREFIX, "share", "platprobe", "meson", "meson.build"),
    "spec catalogue": os.path.join(PREFIX, "share", "platprobe", "probe", "zlib.json"),
}
for what, path in installed.items():
    check(f"installed: {what}", os.path.isfile(path), path)
with open(installed["Meson example"]) as f:
    check("the installed Meson example is the README's", f.read() == snippets["meson"]["meson.build"], "")
env.update(PATH=os.path.join(PREFIX, "bin") + os.pathsep + env.get("PATH", ""),
           PKG_CONFIG_PATH=os.path.join(PREFIX, "lib", "pkgconfig"), CMAKE_PREFIX_PATH=PREFIX)
p = subprocess.run(["pkg-config", "--variable=platprobe_mk", "platprobe"], capture_output=True,
                   text=True, env=env)
check("pkg-config --variable=platprobe_mk names the installed file",
      p.stdout.strip() == installed["platprobe.mk"], p.stdout + p.stderr)

# ---------------------------------------------------------------- what the program must print
def expected(version):
    src = os.path.join(W, "expect")
    os.makedirs(os.path.join(src, "include"), exist_ok=True)
    with open(os.path.join(src, "include", "wire.h"), "w") as f:
        f.write(snippets["demo"]["include/wire.h"].replace("WIRE_VERSION 3", f"WIRE_VERSION {version}"))
    out = pptest.cc_run('#include <stddef.h>\n#include <stdio.h>\n#include "wire.h"\nint main(void)'
                        '{ printf("%d %d %d", (int)sizeof(struct wire_msg), '
                        '(int)offsetof(struct wire_msg, seq), WIRE_VERSION); }\n',
                        cflags=["-I" + os.path.join(src, "include")])
    return f"{out} {errno.EAGAIN}"


def newer(path, than):
    """Touch path until its time is past every existing file in than (file times are coarse)."""
    limit = max([os.stat(t).st_mtime_ns for t in than if os.path.exists(t)] + [0])
    while True:
        os.utime(path)
        if os.stat(path).st_mtime_ns > limit:
            return
        time.sleep(0.01)


def sig(path):
    try:
        st = os.stat(path)
        return (st.st_mtime_ns, st.st_ino)
    except FileNotFoundError:
        return None


def scenario(label, src, build, demo, obj, header):
    """Runs the build after each change; ARTIFACTS are (generated header, object, program)."""
    arts = {"platprobe": header, "compile": obj, "link": demo}

    def step(what, change=None, want=(), output=None):
        before = {k: sig(v) for k, v in arts.items()}
        if change:
            change()
        p = subprocess.run(build, cwd=src, capture_output=True, text=True, env=env)
        if not check(f"{label}: {what}: build succeeds", p.returncode == 0,
                     (p.stdout + p.stderr)[-2500:]):
            return
        after = {k: sig(v) for k, v in arts.items()}
        reran = sorted(k for k in arts if after[k] != before[k])
        check(f"{label}: {what}: reruns {', '.join(sorted(want)) or 'nothing'}",
              reran == sorted(want) and all(after.values()), f"reran {reran}; {after}")
        if output:
            r = subprocess.run([demo], capture_output=True, text=True)
            check(f"{label}: {what}: the program prints what C says", r.stdout.strip() == output,
                  f"{r.stdout!r} != {output!r}")

    everything = ("platprobe", "compile", "link")
    step("first build", want=everything, output=expected(3))
    step("second build", want=())
    step("a header the spec does not read touched",
         lambda: newer(os.path.join(src, "include", "other.h"), arts.values()))
    wire = os.path.join(src, "include", "wire.h")

    def edit_wire():
        with open(wire) as f:
            text = f.read()
        with open(wire, "w") as f:
            f.write(text.replace("WIRE_VERSION 3", "WIRE_VERSION 4"))
        newer(wire, arts.values())
    step("a header the spec reads changed", edit_wire, everything, output=expected(4))
    step("main.c touched", lambda: newer(os.path.join(src, "main.c"), arts.values()),
         ("compile", "link"))
    step("the spec touched", lambda: newer(os.path.join(src, "config.json"), arts.values()),
         everything, output=expected(4))
    step("nothing changed", want=())


def project(name, files):
    src = os.path.join(W, name)
    os.makedirs(os.path.join(src, "include"))
    for fname, body in list(snippets["demo"].items()) + list(files.items()):
        with open(os.path.join(src, fname), "w") as f:
            f.write(body)
    with open(os.path.join(src, "include", "other.h"), "w") as f:
        f.write("#define OTHER 1\n")
    return src


# ---------------------------------------------------------------- make
src = project("make", snippets["make"])
scenario("make", src, ["make"], os.path.join(src, "demo"), os.path.join(src, "main.o"),
         os.path.join(src, "config.h"))

# ---------------------------------------------------------------- CMake, two generators
for gen, tag in (("Unix Makefiles", "cmake-make"), ("Ninja", "cmake-ninja")):
    src = project(tag, snippets["cmake"])
    b = os.path.join(src, "b")
    p = subprocess.run(["cmake", "-S", src, "-B", b, "-G", gen], capture_output=True, text=True,
                       env=env)
    if check(f"{tag}: cmake finds the package and configures", p.returncode == 0,
             (p.stdout + p.stderr)[-2000:]):
        scenario(tag, src, ["cmake", "--build", b], os.path.join(b, "demo"),
                 os.path.join(b, "CMakeFiles", "demo.dir", "main.c.o"), os.path.join(b, "config.h"))
src = project("cmake-version", {"CMakeLists.txt": snippets["cmake"]["CMakeLists.txt"].replace(
    "find_package(platprobe 0.1 REQUIRED)", "find_package(platprobe 9.0 REQUIRED)")})
p = subprocess.run(["cmake", "-S", src, "-B", os.path.join(src, "b")], capture_output=True,
                   text=True, env=env)
check("cmake: find_package(platprobe 9.0) refuses this version", p.returncode != 0 and
      "platprobe" in p.stderr and "9.0" in p.stderr, p.stderr[-1500:])

# ---------------------------------------------------------------- Meson
src = project("meson", snippets["meson"])
b = os.path.join(src, "b")
p = subprocess.run(["meson", "setup", b], cwd=src, capture_output=True, text=True, env=env)
if check("meson: setup finds platprobe", p.returncode == 0, (p.stdout + p.stderr)[-2000:]):
    scenario("meson", src, ["ninja", "-C", b], os.path.join(b, "demo"),
             os.path.join(b, "demo.p", "main.c.o"), os.path.join(b, "config.h"))

shutil.rmtree(W, ignore_errors=True)
pptest.done()
