"""The man pages (man/platprobe.1, man/platprobe-spec.5, mdoc): platprobe(1) documents exactly the
options and commands that `platprobe --help` lists (so an option added to --help and not to the
page, or left in the page after it went, fails here, naming it and where it is missing), the
environment variables it reads, and both pages lint clean with `mandoc -Tlint -Wwarning`."""
import os, re, shutil, subprocess, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pptest  # noqa: E402
from pptest import check  # noqa: E402

MAN1 = os.path.join(pptest.TOP, "man", "platprobe.1")
MAN5 = os.path.join(pptest.TOP, "man", "platprobe-spec.5")
OPT = r"--?[A-Za-z][A-Za-z0-9-]*"


def help_options(text: str) -> tuple:
    """(options, commands) of --help: every option in the usage synopsis, and the option(s) an
    option line (indented, starting with '-') describes: '-f, --format F' gives -f and --format."""
    opts, cmds = set(), set()
    usage, _, body = text.partition("\n\n")
    for line in usage.splitlines():
        m = re.match(r"\s*(?:usage:)?\s*platprobe\s+([a-z]+)\b", line)
        if m:
            cmds.add(m.group(1))
        opts.update(re.findall(r"(?<![\w-])(" + OPT + r")", line.split("platprobe", 1)[-1]))
    for line in body.splitlines():
        m = re.match(r"  (" + OPT + r")(?:,\s*(" + OPT + r"))?", line)
        if m:
            opts.update(g for g in m.groups() if g)
    return opts, cmds


def man_options(src: str) -> tuple:
    """(options, commands) of the mdoc source: every Fl macro argument, and the Cm right after
    an .Nm line of the SYNOPSIS."""
    opts = set()
    for line in src.splitlines():
        if line.startswith("."):
            for arg in re.findall(r"\bFl\s+(\S+)", line):
                opts.add("-" + arg.replace("\\", "").rstrip(",."))
    syn = src.split(".Sh SYNOPSIS", 1)[-1].split(".Sh ", 1)[0]
    return opts, set(re.findall(r"^\.Nm\n\.Cm (\w+)", syn, re.M))


with open(MAN1) as f:
    page = f.read()
h = pptest.run(["--help"])
check("platprobe --help exits 0", h.returncode == 0, h.stderr)
hopts, hcmds = help_options(h.stdout)
mopts, mcmds = man_options(page)
check("--help lists options (the parser found some)", len(hopts) > 15, sorted(hopts))
missing = sorted(hopts - mopts)
extra = sorted(mopts - hopts)
check("every option of --help is in man/platprobe.1", not missing,
      "in --help but missing from man/platprobe.1 (add an .It Fl entry under OPTIONS): "
      + ", ".join(missing))
check("man/platprobe.1 has no option --help lacks", not extra,
      "in man/platprobe.1 but not in --help (remove it from the page, or add it to --help): "
      + ", ".join(extra))
check("the commands of --help are the man page's SYNOPSIS commands", hcmds == mcmds,
      f"--help: {sorted(hcmds)}, man/platprobe.1: {sorted(mcmds)}")
for var in ("CC", "CFLAGS", "CPPFLAGS", "LDFLAGS", "XDG_CACHE_HOME", "TMPDIR"):
    check(f"ENVIRONMENT names {var}", re.search(r"^\.It Ev .*\b" + var + r"\b", page, re.M),
          "add it under .Sh ENVIRONMENT")
for sec in ("SYNOPSIS", "DESCRIPTION", "OPTIONS", "ENVIRONMENT", "FILES", "EXIT STATUS",
            "EXAMPLES", "SEE ALSO"):
    check(f"platprobe(1) has {sec}", f".Sh {sec}\n" in page, "")

mandoc = shutil.which("mandoc")
check("mandoc is installed (.ci/deps)", mandoc, "apt-get install mandoc")
for path in (MAN1, MAN5):
    if not mandoc:
        break
    r = subprocess.run([mandoc, "-Tlint", "-Wwarning", path], capture_output=True, text=True)
    # mandoc also says when the system's own mandoc.db is stale: not about our page.
    msgs = [m for m in (r.stdout + r.stderr).splitlines() if "mandoc.db" not in m]
    check(f"mandoc -Tlint -Wwarning {os.path.basename(path)}: no warning", not msgs,
          "\n".join(msgs))
    r = subprocess.run([mandoc, "-Tascii", path], capture_output=True, text=True)
    text = re.sub(".\b", "", r.stdout)  # overstrike bold and underline
    check(f"{os.path.basename(path)} renders", r.returncode == 0 and "NAME" in text, r.stderr)
pptest.done()
