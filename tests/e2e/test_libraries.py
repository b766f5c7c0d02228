"""End-to-end: the "libraries" section. For z, m (a linker script on glibc) and cjson, the soname
and path platprobe reports are compared with what the system's own tools say a program linked with
-lNAME loads (readelf's NEEDED and ldd's resolution of a program built here) and with Python's
ctypes.util.find_library; ctypes loads the reported path and finds a symbol in it. A static-only
library, a missing optional one and a missing required one; the same answers through lld, whose
trace hides platprobe's markers; the python, rust and header outputs."""
import atexit, ctypes, ctypes.util, importlib.util, json, os, re, shutil, subprocess, tempfile
import pptest
from pptest import check

WORK = tempfile.mkdtemp(prefix="pptest-libs-")
atexit.register(shutil.rmtree, WORK, True)
LIBS = {"z": "zlibVersion", "m": "cos", "cjson": "cJSON_Version"}


def system_answer(name):
    """(soname, realpath) a program linked with -lNAME loads, from readelf and ldd."""
    src, exe = os.path.join(WORK, "t.c"), os.path.join(WORK, "t-" + name)
    with open(src, "w") as f:
        f.write("int main(void) { return 0; }\n")
    subprocess.run(["cc", src, "-o", exe, "-Wl,--no-as-needed", "-l" + name], check=True)
    base = os.path.join(WORK, "t-none")
    subprocess.run(["cc", src, "-o", base], check=True)
    needed = lambda p: re.findall(r"\(NEEDED\)\s+Shared library: \[(.*?)\]",  # noqa: E731
                                  subprocess.run(["readelf", "-d", p], capture_output=True,
                                                 text=True).stdout)
    new = [n for n in needed(exe) if n not in needed(base)] or needed(exe)[:1]
    soname = new[0]
    ldd = subprocess.run(["ldd", exe], capture_output=True, text=True).stdout
    m = re.search(re.escape(soname) + r" => (\S+)", ldd)
    return soname, os.path.realpath(m.group(1)) if m else None


spec = {"libraries": list(LIBS) + ["gcc", {"name": "no_such_lib_xyz", "optional": True}]}
p, doc = pptest.probe(spec)
check("libraries probe", p.returncode == 0 and doc, p.stderr[-1500:])
res = doc["libraries"] if doc else {}
for name, symbol in LIBS.items():
    got = res.get(name) or {}
    soname, path = system_answer(name)
    check(f"-l{name} links", got.get("links") is True, got)
    check(f"-l{name}: soname as readelf's NEEDED says", got.get("soname") == soname,
          (got.get("soname"), soname))
    check(f"-l{name}: path as ldd resolves it",
          got.get("path") and os.path.realpath(got["path"]) == path, (got.get("path"), path))
    found = ctypes.util.find_library(name)
    check(f"-l{name}: soname as ctypes.util.find_library's", found == got.get("soname"),
          (found, got.get("soname")))
    try:
        ok = hasattr(ctypes.CDLL(got.get("path") or "/nonexistent"), symbol)
    except OSError as e:
        ok = str(e)
    check(f"-l{name}: ctypes.CDLL(path) loads it and finds {symbol}", ok is True, ok)
check("-lgcc links statically: no shared object", res.get("gcc") ==
      {"links": True, "soname": None, "path": None}, res.get("gcc"))
check("an optional missing library: links false", res.get("no_such_lib_xyz") ==
      {"links": False, "soname": None, "path": None}, res.get("no_such_lib_xyz"))

# lld does not show the marker files in its trace: one link per library, same answers.
if check("lld is installed (.ci/deps)", shutil.which("ld.lld"), "no ld.lld"):
    p2, doc2 = pptest.probe({"libraries": list(LIBS)}, ["--cc", "clang -fuse-ld=lld"])
    check("libraries probe with lld", p2.returncode == 0 and doc2, p2.stderr[-1500:])
    for name in LIBS:
        a, b = (doc2 or {}).get("libraries", {}).get(name), res.get(name)
        check(f"-l{name} through lld: the same answer", a == b, (a, b))

# A required library that does not link: exit 1, naming the entry and quoting the linker.
p, _ = pptest.probe({"libraries": ["z", "no_such_lib_xyz"]})
check("a missing required library: exit 1", p.returncode == 1, p.returncode)
check("a missing required library: the message names it and quotes the linker",
      'libraries[1] "no_such_lib_xyz": -lno_such_lib_xyz does not link' in p.stderr and
      "no_such_lib_xyz" in p.stderr.split("does not link:")[-1], p.stderr)
for bad in ("-lz", "a/b", "", "z m"):
    p, _ = pptest.probe({"libraries": [bad]})
    check(f"library name {bad!r} refused as a bad spec (exit 2)", p.returncode == 2 and
          "libraries[0]" in p.stderr, (p.returncode, p.stderr))

# The outputs: header (autoconf's HAVE_LIBZ), python (LIBRARIES, load_library), rust.
p, _ = pptest.probe(spec, ["-f", "header"])
zso = res.get("z", {}).get("soname")
check("header: HAVE_LIBZ and SONAME_LIBZ", "#define HAVE_LIBZ 1" in p.stdout and
      f'#define SONAME_LIBZ "{zso}"' in p.stdout and
      "/* #undef HAVE_LIBNO_SUCH_LIB_XYZ */" in p.stdout, p.stdout[-800:])
py = os.path.join(WORK, "pplibs.py")
p, _ = pptest.probe(spec, ["-f", "python", "-o", py])
s = importlib.util.spec_from_file_location("pplibs", py)
mod = importlib.util.module_from_spec(s)
s.loader.exec_module(mod)
check("python: LIBRARIES holds soname and path",
      mod.LIBRARIES.get("z") == (zso, res.get("z", {}).get("path")), mod.LIBRARIES)
check("python: load_library('cjson') loads it", hasattr(mod.load_library("cjson"), "cJSON_Version"))
check("python: a library without shared object is None", mod.LIBRARIES.get("gcc", 0) is None,
      mod.LIBRARIES)
p, _ = pptest.probe(spec, ["-f", "rust"])
check("rust: LIB_z", f'pub const LIB_z: Option<(&str, &str)> = Some(("{zso}", ' in p.stdout,
      p.stdout[-1000:])

pptest.done()
