"""pkg-config packages (the spec's "pkg-config" list and --pkg NAME): their cflags reach the
compile and their libs the link, the way a cross build points pkg-config elsewhere is honoured
(PKG_CONFIG_LIBDIR and PKG_CONFIG_SYSROOT_DIR for a sysroot, PKG_CONFIG_PATH for one more
directory), and a package that is not found is an error that names it. The packages are made
here, so the expected values are the ones written into their headers and .pc files."""
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pptest
from pptest import check

W = tempfile.mkdtemp(prefix="pptest-pkgconfig-")
SYSROOT = os.path.join(W, "sysroot")
PCDIR = os.path.join(SYSROOT, "usr", "lib", "pkgconfig")
EXTRA = os.path.join(W, "extra")   # one more .pc directory, outside the sysroot
for d in (PCDIR, os.path.join(SYSROOT, "usr", "include", "fake"), EXTRA,
          os.path.join(SYSROOT, "opt", "other", "include")):
    os.makedirs(d)


def write(path, text):
    with open(path, "w") as f:
        f.write(text)
    return path


# "fake": header, static library and .pc inside the sysroot, paths written as on the target (/usr).
write(os.path.join(SYSROOT, "usr", "include", "fake", "fake.h"),
      "#define FAKE_VALUE 1234\nstruct fake { char c; double d; };\nint fake_fn(int);\n"
      "int fake_missing_fn(int);\n")
src = write(os.path.join(W, "fake.c"), "int fake_fn(int x) { return x + 1; }\n")
subprocess.run(["cc", "-c", src, "-o", os.path.join(W, "fake.o")], check=True)
subprocess.run(["ar", "rcs", os.path.join(SYSROOT, "usr", "lib", "libfake.a"),
                os.path.join(W, "fake.o")], check=True)
write(os.path.join(PCDIR, "fake.pc"),
      "prefix=/usr\nincludedir=${prefix}/include\nlibdir=${prefix}/lib\n\nName: fake\n"
      "Description: a test package\nVersion: 1.0\nCflags: -I${includedir}/fake -DFAKE_FROM_PC=7\n"
      "Libs: -L${libdir} -lfake\n")
# "other": its .pc outside the sysroot (found through PKG_CONFIG_PATH), its header inside.
write(os.path.join(SYSROOT, "opt", "other", "include", "other.h"), "#define OTHER_VALUE 99\n")
write(os.path.join(EXTRA, "other.pc"),
      "Name: other\nDescription: another\nVersion: 2.0\nCflags: -I/opt/other/include\nLibs:\n")

SPEC = {"headers": ["fake.h"], "pkg-config": ["fake"],
        "structs": [{"name": "struct fake", "fields": ["d"]}],
        "constants": ["FAKE_VALUE", "FAKE_FROM_PC"],
        "functions": ["fake_fn", {"name": "fake_missing_fn", "optional": True}]}
spec_path = write(os.path.join(W, "spec.json"), json.dumps(SPEC))
CROSS = {"PKG_CONFIG_LIBDIR": PCDIR, "PKG_CONFIG_SYSROOT_DIR": SYSROOT}
# What the C compiler itself says about struct fake, compiled the same way.
layout = pptest.cc_run('#include <stddef.h>\n#include <stdio.h>\n#include "fake.h"\nint main(void)'
                       '{ printf("%zu %zu", sizeof(struct fake), offsetof(struct fake, d)); }\n',
                       cflags=["-I" + os.path.join(SYSROOT, "usr", "include", "fake")]).split()

p = pptest.run(["probe", spec_path, "-v"], env=CROSS)
check("sysroot package: exit 0", p.returncode == 0, p.stderr[-2000:])
doc = json.loads(p.stdout) if p.returncode == 0 else {}
c = doc.get("constants", {})
check("sysroot package: its header's value", c.get("FAKE_VALUE") == 1234, str(c))
check("sysroot package: a define from its .pc Cflags", c.get("FAKE_FROM_PC") == 7, str(c))
s = (doc.get("structs") or {}).get("struct fake") or {}
check("sysroot package: struct layout as the compiler says", [str(s.get("size")),
      str((s.get("fields") or [{}])[0].get("offset"))] == layout, f"{s} vs {layout}")
f = doc.get("functions", {})
check("sysroot package: its library links (Libs), a function it lacks does not",
      f.get("fake_fn") is True and f.get("fake_missing_fn") is False, str(f))
check("PKG_CONFIG_SYSROOT_DIR: the include path is inside the sysroot",
      f"-I{SYSROOT}/usr/include/fake" in p.stderr, p.stderr[-1500:])
check("PKG_CONFIG_SYSROOT_DIR: the library path is inside the sysroot",
      f"-L{SYSROOT}/usr/lib" in p.stderr, p.stderr[-1500:])

# PKG_CONFIG_LIBDIR replaces the default search path: the host's zlib is not found in a "cross"
# build, and the error names it and where pkg-config looked.
p = pptest.run(["probe", spec_path, "--pkg", "zlib"], env=CROSS)
check("PKG_CONFIG_LIBDIR honoured: the host's zlib is not found, and named",
      p.returncode == 1 and "--pkg zlib: package not found by pkg-config" in p.stderr and
      f"PKG_CONFIG_LIBDIR={PCDIR}" in p.stderr and "fake" not in p.stderr.split("error:")[1][:40],
      p.stderr)
p = pptest.run(["probe", spec_path, "--pkg", "zlib"])
check("without PKG_CONFIG_LIBDIR the sysroot package is not found, and named",
      p.returncode == 1 and 'pkg-config[0] "fake": package not found by pkg-config' in p.stderr,
      p.stderr)

# PKG_CONFIG_PATH adds a directory; --pkg adds a package from the command line.
ospec = write(os.path.join(W, "ospec.json"),
              json.dumps({"headers": ["fake.h", "other.h"], "pkg-config": ["fake"],
                          "constants": ["FAKE_VALUE", "OTHER_VALUE"]}))
p = pptest.run(["probe", ospec, "--pkg", "other"], env=dict(CROSS, PKG_CONFIG_PATH=EXTRA))
doc = json.loads(p.stdout) if p.returncode == 0 else {}
check("PKG_CONFIG_PATH and --pkg: both packages' flags", p.returncode == 0 and
      doc["constants"] == {"FAKE_VALUE": 1234, "OTHER_VALUE": 99}, p.stdout + p.stderr)
p = pptest.run(["probe", ospec], env=dict(CROSS, PKG_CONFIG_PATH=EXTRA))
check("without --pkg other, its header is not found", p.returncode == 1 and "other.h" in p.stderr,
      p.stderr)

# Several packages, one missing: only that one is named.
mspec = write(os.path.join(W, "mspec.json"),
              json.dumps(dict(SPEC, **{"pkg-config": ["fake", "no-such-package-xyz"]})))
p = pptest.run(["probe", mspec, "--pkg", "other"], env=dict(CROSS, PKG_CONFIG_PATH=EXTRA))
err = p.stderr
check("a missing package: exit 1, named with its spec entry", p.returncode == 1 and
      f'{mspec}: error: pkg-config[1] "no-such-package-xyz": package not found' in err, err)
check("a missing package: the packages that exist are not named", '"fake"' not in err and
      "--pkg other" not in err, err)
check("a missing package: one message, nothing compiled", err.count("error:") == 1, err)
p = pptest.run(["probe", spec_path, "--pkg", "no-such-package-xyz"], env=CROSS)
check("--pkg NAME missing: named as --pkg", p.returncode == 1 and
      "--pkg no-such-package-xyz: package not found by pkg-config" in p.stderr, p.stderr)
p = pptest.run(["probe", spec_path], env=dict(CROSS, PKG_CONFIG=os.path.join(W, "no-pkg-config")))
check("$PKG_CONFIG that cannot run: exit 1, named", p.returncode == 1 and
      "cannot run pkg-config" in p.stderr and "no-pkg-config" in p.stderr, p.stderr)

shutil.rmtree(W, ignore_errors=True)
pptest.done()
