"""End-to-end: `platprobe report` on three targets (x86_64, armhf, s390x), loaded in headless
Chromium. The expected offsets are stated here and confirmed by each cross compiler with
_Static_assert; which members moved follows from them. Chromium renders the page twice: once
with a checking script appended to a copy (layout facts into the DOM, read with --dump-dom), once
for a screenshot kept in $BUILD/report.png."""
import atexit
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from html.parser import HTMLParser
from typing import Dict, List, Tuple

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pptest  # noqa: E402
from pptest import check  # noqa: E402

WORK = tempfile.mkdtemp(prefix="pptest-report-")
atexit.register(shutil.rmtree, WORK, True)

HEADER = r"""
#include <limits.h>
struct rp_same { int a; int b; char c; };
struct rp_long { char c; long l; int after; };
struct rp_hole { char c; long long ll; short s; };
struct rp_bits { unsigned a : 3, b : 5; unsigned short s; unsigned c : 9; };
union rp_u { int i; char c[6]; long l; };
struct rp_anon { int a; union { int x; long y; }; char z; };
"""
TARGETS = {"x86_64-linux-gnu": "x86_64-linux-gnu-gcc", "arm-linux-gnueabihf":
           "arm-linux-gnueabihf-gcc", "s390x-linux-gnu": "s390x-linux-gnu-gcc"}
# (struct, member) -> (offset, size) per target; each compiler confirms its column below.
LP64 = {("struct rp_same", "a"): (0, 4), ("struct rp_same", "b"): (4, 4),
        ("struct rp_same", "c"): (8, 1), ("struct rp_long", "c"): (0, 1),
        ("struct rp_long", "l"): (8, 8), ("struct rp_long", "after"): (16, 4),
        ("struct rp_hole", "c"): (0, 1), ("struct rp_hole", "ll"): (8, 8),
        ("struct rp_hole", "s"): (16, 2), ("union rp_u", "i"): (0, 4),
        ("union rp_u", "c"): (0, 6), ("union rp_u", "l"): (0, 8),
        ("struct rp_anon", "a"): (0, 4), ("struct rp_anon", "y"): (8, 8),
        ("struct rp_anon", "z"): (16, 1)}
ARM = dict(LP64)
ARM.update({("struct rp_long", "l"): (4, 4), ("struct rp_long", "after"): (8, 4),
            ("union rp_u", "l"): (0, 4), ("struct rp_anon", "y"): (4, 4),
            ("struct rp_anon", "z"): (8, 1)})
EXPECT = {"x86_64-linux-gnu": LP64, "arm-linux-gnueabihf": ARM, "s390x-linux-gnu": LP64}
LONG_SIZE = {"x86_64-linux-gnu": 8, "arm-linux-gnueabihf": 4, "s390x-linux-gnu": 8}
STRUCTS = ["struct rp_same", "struct rp_long", "struct rp_hole", "struct rp_bits", "union rp_u",
           "struct rp_anon"]


def confirm_offsets() -> bool:
    """Each target's compiler checks its column of EXPECT."""
    ok = True
    for triple, cc in TARGETS.items():
        asserts = "".join(
            f"_Static_assert(offsetof({s}, {m}) == {o} && sizeof((({s} *)0)->{m}) == {n}, "
            f"\"{s}.{m}\");\n" for (s, m), (o, n) in EXPECT[triple].items())
        asserts += f"_Static_assert(sizeof(long) == {LONG_SIZE[triple]}, \"long\");\n"
        src = os.path.join(WORK, f"confirm-{triple}.c")
        with open(src, "w") as f:
            f.write(f"#include <stddef.h>\n#include \"rp.h\"\n{asserts}")
        p = subprocess.run([cc, "-fsyntax-only", "-I", WORK, src], capture_output=True, text=True)
        ok &= check(f"report: {cc} confirms the expected offsets", p.returncode == 0, p.stderr)
    return ok


class Dom(HTMLParser):
    """What the rendered DOM holds: struct sections, rulers, members, marked cells, checker output."""

    def __init__(self) -> None:
        super().__init__()
        self.sections: Dict[str, Dict] = {}
        self.cur = None
        self.rows: List[Tuple[str, List[Tuple[str, bool]]]] = []
        self.row = None
        self.cell = None
        self.text = ""
        self.in_check = False
        self.check_text = ""
        self.scripts = 0
        self.external = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script" and not self.in_check_script(a):
            self.scripts += 1
        for k in ("src", "href"):
            if a.get(k) and not a[k].startswith("#"):
                self.external.append(a[k])
        if tag == "section" and "struct" in (a.get("class") or "").split():
            self.cur = {"differs": a.get("data-differs"), "rulers": [], "changed": set(),
                        "members": set(), "bf": 0}
            self.sections[a.get("data-name")] = self.cur
        if self.cur is not None and tag == "div" and a.get("class") == "ruler":
            self.cur["rulers"].append(a.get("data-target"))
        if self.cur is not None and tag == "g" and a.get("class") == "member":
            self.cur["members"].add(a.get("data-member"))
            if a.get("data-changed") == "true":
                self.cur["changed"].add(a.get("data-member"))
        if self.cur is not None and tag == "rect" and " bf" in (a.get("class") or ""):
            self.cur["bf"] += 1
        if tag == "tr":
            self.row = []
        if tag in ("td", "th") and self.row is not None:
            self.cell = "diff" in (a.get("class") or "").split()
            self.text = ""
        if tag == "pre" and a.get("id") == "pp-check":
            self.in_check = True

    @staticmethod
    def in_check_script(a) -> bool:
        return a.get("id") == "pp-check-script"

    def handle_endtag(self, tag):
        if tag == "section" and self.cur is not None:
            self.cur = None
        if tag in ("td", "th") and self.row is not None and self.cell is not None:
            self.row.append((self.text.strip(), self.cell))
            self.cell = None
        if tag == "tr" and self.row:
            self.rows.append((self.row[0][0], self.row[1:]))
            self.row = None
        if tag == "pre":
            self.in_check = False

    def handle_data(self, data):
        if self.cell is not None:
            self.text += data
        if self.in_check:
            self.check_text += data


# Appended to a copy of the page: measures what Chromium laid out, into <pre id="pp-check">.
CHECKER = r"""
<script id="pp-check-script">
(function () {
  var out = {overflow: document.documentElement.scrollWidth - window.innerWidth,
             svgs: 0, empty_svgs: 0, clipped: [], print_rules: 0, diff_bg: []};
  document.querySelectorAll("svg.layout").forEach(function (s) {
    out.svgs++;
    var r = s.getBoundingClientRect();
    if (r.width < 100 || r.height < 10) out.empty_svgs++;
    s.querySelectorAll("text").forEach(function (t) {
      var rect = t.previousElementSibling;
      if (!rect || rect.tagName !== "rect") return;
      var tw = t.getBBox(), rw = rect.getBBox();
      if (tw.x + tw.width > rw.x + rw.width + 0.5) out.clipped.push(t.textContent);
    });
  });
  for (var i = 0; i < document.styleSheets.length; i++) {
    var rules = document.styleSheets[i].cssRules;
    for (var k = 0; k < rules.length; k++)
      if (rules[k].media && rules[k].media.mediaText.indexOf("print") >= 0) out.print_rules++;
  }
  document.querySelectorAll("td.diff").forEach(function (td) {
    out.diff_bg.push(getComputedStyle(td).backgroundColor);
  });
  var pre = document.createElement("pre");
  pre.id = "pp-check";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>
"""


def chromium(args: List[str]) -> subprocess.CompletedProcess:
    return subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu",
                           "--hide-scrollbars", "--window-size=1040,1400",
                           f"--user-data-dir={WORK}/chromium", *args],
                          capture_output=True, text=True, timeout=120)


def main() -> None:
    with open(os.path.join(WORK, "rp.h"), "w") as f:
        f.write(HEADER)
    if not confirm_offsets():
        pptest.done()
    spec = {"headers": ["rp.h"], "include_dirs": [WORK],
            "types": ["long", "int", "char"],
            "structs": [{"name": s} for s in STRUCTS],
            "constants": ["LONG_MAX", "INT_MAX"]}
    spec_path = os.path.join(WORK, "spec.json")
    with open(spec_path, "w") as f:
        json.dump(spec, f)
    results = os.path.join(WORK, "all.json")
    args = ["probe", spec_path, "-o", results]
    for t in TARGETS:
        args += ["--target", t]
    p = pptest.run(args)
    if not check("report: probe of three targets", p.returncode == 0, p.stderr[-2000:]):
        pptest.done()
    html = os.path.join(WORK, "report.html")
    p = pptest.run(["report", results, "-o", html])
    if not check("report: writes the HTML page", p.returncode == 0, p.stderr[-2000:]):
        pptest.done()
    with open(html) as f:
        page = f.read()
    check("report: self-contained (no script, nothing fetched)",
          "<script" not in page and not re.search(r"(src|href)=\"(?!#)|url\((?!#)|@import", page),
          re.findall(r"(?:src|href)=\"[^#][^\"]*\"|url\([^#][^)]*\)|@import", page)[:5])

    # Launch 1: the page as Chromium lays it out, measured by the appended checker.
    probe_page = os.path.join(WORK, "report-check.html")
    with open(probe_page, "w") as f:
        f.write(page.replace("</body>", CHECKER + "</body>"))
    c = chromium(["--virtual-time-budget=3000", "--dump-dom", f"file://{probe_page}"])
    if not check("report: chromium renders the page", c.returncode == 0 and "<html" in c.stdout,
                 c.stderr[-2000:]):
        pptest.done()
    dom = Dom()
    dom.feed(c.stdout)
    triples = list(TARGETS)
    check("report: every struct has a section", sorted(dom.sections) == sorted(STRUCTS),
          sorted(dom.sections))
    for s in STRUCTS:
        sec = dom.sections.get(s, {"rulers": [], "changed": set(), "members": set()})
        check(f"report: {s}: a ruler per target, in order", sec["rulers"] == triples,
              sec["rulers"])
        # rp_anon's y lies in an anonymous union: the member drawn is that union, named "".
        members = {"" if (st, m) == ("struct rp_anon", "y") else m for (st, m) in LP64 if st == s}
        moved = {m for m in members
                 if len({EXPECT[t][(s, m or "y")] for t in triples}) > 1}
        if members:
            check(f"report: {s}: every member drawn", members <= sec["members"], sec["members"])
            check(f"report: {s}: exactly the moved or resized members marked {sorted(moved)}",
                  sec["changed"] == moved, sorted(sec["changed"]))
            check(f"report: {s}: marked as differing iff a member moved",
                  (sec["differs"] == "true") == bool(moved), sec["differs"])
    bits = dom.sections.get("struct rp_bits", {"bf": 0, "members": set()})
    check("report: bit-fields drawn as bit-fields", bits["bf"] >= 3 * 3, bits)
    rows = {name: cells for name, cells in dom.rows}
    lm = rows.get("LONG_MAX", [])
    check("report: LONG_MAX differs: the armhf cell alone marked",
          [d for _, d in lm] == [False, True, False], lm)
    check("report: INT_MAX is the same: nothing marked",
          rows.get("INT_MAX") and not any(d for _, d in rows["INT_MAX"]), rows.get("INT_MAX"))
    try:
        facts = json.loads(dom.check_text)
    except ValueError:
        facts = None
    if check("report: the checker ran in chromium", facts is not None, c.stdout[-500:]):
        check("report: rulers laid out (one per struct and target)",
              facts["svgs"] == len(STRUCTS) * len(triples) and facts["empty_svgs"] == 0, facts)
        check("report: no member name spills out of its block", not facts["clipped"],
              facts["clipped"][:10])
        check("report: nothing wider than the window", facts["overflow"] <= 0, facts["overflow"])
        check("report: has print rules", facts["print_rules"] >= 1, facts)
        check("report: marked cells are coloured",
              facts["diff_bg"] and all(bg not in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)")
                                       for bg in facts["diff_bg"]), facts["diff_bg"])

    # Launch 2: a screenshot, kept beside the build for a person to look at.
    shot = os.path.join(os.environ.get("BUILD") or WORK, "report.png")
    c = chromium([f"--screenshot={shot}", f"file://{html}"])
    ok = c.returncode == 0 and os.path.exists(shot)
    if check("report: screenshot taken", ok, c.stderr[-2000:]):
        with open(shot, "rb") as f:
            head = f.read(24)
        w, h = int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")
        check("report: screenshot is a 1040x1400 PNG", head[:8] == b"\x89PNG\r\n\x1a\n"
              and (w, h) == (1040, 1400), (head[:8], w, h))

    md = pptest.run(["report", "-f", "markdown", results])
    text = md.stdout
    check("report -f markdown: succeeds", md.returncode == 0, md.stderr)
    check("report -f markdown: LONG_MAX row, armhf value bold",
          re.search(r"^\| LONG\\_MAX \| [^|]* \| \*\*2147483647\*\* \| [^|]* \|$", text, re.M),
          text)
    check("report -f markdown: what is the same everywhere is left out",
          "INT\\_MAX" not in text and "rp\\_same" not in text, text)
    check("report -f markdown: the moved member of struct rp_long is listed",
          re.search(r"^\| after \| 16 \+4 \| \*\*8 \+4\*\* \| 16 \+4 \|$", text, re.M), text)
    # diff of three results: a table, one column per result in order.
    p = pptest.run(["diff", results])
    lines = p.stdout.splitlines()
    head = lines[0].split() if lines else []
    row = next((l.split() for l in lines if l.startswith("types.long.size ")), [])
    want = [str(LONG_SIZE[t]) + ("*" if LONG_SIZE[t] == 4 else "") for t in TARGETS]
    check("diff of three results: a table with a column per result, exit 1",
          p.returncode == 1 and head == ["path", *TARGETS], (p.returncode, head, p.stderr))
    check("diff of three results: types.long.size row, the odd one marked",
          row == ["types.long.size", *want], row)
    check("diff of three results: rp_same's layout is the same everywhere (only char's sign)",
          [re.split(r"\s{2,}", l)[0] for l in lines if "rp_same" in l] ==
          ['structs."struct rp_same".fields.c.signed'], p.stdout)
    p = pptest.run(["diff", results, "-f", "json"])
    try:
        doc = json.loads(p.stdout)
        rows = {r["path"]: r for r in doc["differences"]}
    except (ValueError, KeyError):
        doc, rows = {}, {}
    lr = rows.get('structs."struct rp_long".fields.after.offset', {})
    check("diff -f json of three results: values and odd per result",
          doc.get("results") == list(TARGETS) and
          lr.get("values") == [EXPECT[t][("struct rp_long", "after")][0] for t in TARGETS] and
          lr.get("odd") == [False, True, False], (doc.get("results"), lr))
    # show with several targets: a column each, members aligned by name, differences marked.
    args = ["show", "-i", "rp.h", "-i", "limits.h", "struct rp_long", "long", "INT_MAX"]
    for t in TARGETS:
        args += ["--target", t]
    p = pptest.run(args, env={"CPPFLAGS": f"-I{WORK}"})
    blocks = {}
    for block in p.stdout.split("\n\n"):
        lines = block.splitlines()
        if not lines or lines[0].startswith("("):
            continue
        head = re.split(r"\s{2,}", lines[0].strip())
        rows = {}
        for line in lines[1:]:
            m = re.match(r"^(!| ) (\s*\S+(?: \S+)*)\s{2,}(.*)$", line)
            if m:
                rows[(m.group(2).strip(), m.group(1) == "!")] = re.split(r"\s{2,}", m.group(3))
        blocks[head[0]] = (head[1:], rows)
    st = blocks.get("struct rp_long (struct)", ([], {}))
    check("show --target x3: a column per target", p.returncode == 0 and st[0] == list(TARGETS),
          (p.stdout, p.stderr))

    def cells(key):
        return [f"{EXPECT[t][key][0]} +{EXPECT[t][key][1]}" for t in TARGETS]

    check("show --target x3: struct rp_long.after aligned by name, the odd one marked",
          st[1].get(("after", True)) == [c + ("*" if t == "arm-linux-gnueabihf" else "")
                                         for c, t in zip(cells(("struct rp_long", "after")),
                                                         TARGETS)], st[1])
    check("show --target x3: a member in the same place everywhere is not marked",
          st[1].get(("c", False)) == cells(("struct rp_long", "c")), st[1])
    lg = blocks.get("long (type)", ([], {}))[1]
    check("show --target x3: long's size per target, the odd one marked",
          lg.get(("size", True)) == [str(LONG_SIZE[t]) + ("*" if LONG_SIZE[t] == 4 else "")
                                     for t in TARGETS], lg)
    im = blocks.get("INT_MAX (constant)", ([], {}))[1]
    check("show --target x3: INT_MAX the same everywhere: unmarked",
          im.get(("value", False)) == ["2147483647"] * 3, im)
    bad = pptest.run(["report", "-f", "pdf", results])
    check("report: an unknown format is bad usage", bad.returncode == 2 and "pdf" in bad.stderr,
          bad.stderr)
    bad = pptest.run(["report", spec_path])
    check("report: a file that is not a result is named", bad.returncode == 2 and
          "spec.json" in bad.stderr, bad.stderr)
    pptest.done()


if __name__ == "__main__":
    main()
