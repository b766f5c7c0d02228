"""Helpers for the whole-layout tests: probing with --keep-temps (to run pahole on the very object
platprobe compiled), a parser for pahole's output, and the comparison of a layout with it."""
import os, re, shutil, subprocess
import pptest
from pptest import check


def probe_keep(spec, extra=()):
    """Probe SPEC keeping the temp files; returns (process, doc, temp dir or None). The caller
    removes the directory (rm_keep)."""
    p, doc = pptest.probe(spec, ["--keep-temps"] + list(extra))
    m = re.search(r"keeping temp files in (\S+)", p.stderr)
    return p, doc, m.group(1) if m else None


def rm_keep(d):
    if d and os.path.basename(d).startswith("platprobe-"):
        shutil.rmtree(d, ignore_errors=True)


def pahole(obj, names):
    """pahole -C for every tag or typedef name; its text."""
    r = subprocess.run(["pahole", "-C", ",".join(names), obj], capture_output=True, text=True)
    return r.stdout


_ATTR = r"__attribute__\(\((?:[^()]|\([^()]*\))*\)\)"
_MEMBER = re.compile(r"^(?P<decl>.*?);\s*/\*\s*(?P<off>\d+)(?::\s*(?P<bit>\d+))?\s+(?P<size>\d+)\s*\*/\s*$")
_CLOSE = re.compile(r"^\}\s*(?P<decl>[^;]*);\s*/\*\s*(?P<off>\d+)\s+(?P<size>\d+)\s*\*/\s*$")


def _declarator(decl):
    """Splits pahole's 'type name[3]:4' (also 'void (*cb)(int)') into (type, name, bits)."""
    decl = re.sub(_ATTR, "", decl).strip()
    bits = None
    m = re.match(r"^(.*?):(\d+)$", decl)
    if m and not decl.endswith(")"):
        decl, bits = m.group(1).strip(), int(m.group(2))
    m = re.match(r"^(.*?)\(\*\s*(\w+)((?:\[\d*\])*)\)\s*(\(.*\))$", decl)
    if m:  # a function pointer, or an array of them
        return f"{m.group(1).strip()} (*{m.group(3)}){m.group(4)}", m.group(2), bits
    m = re.match(r"^(.*?)\b(\w+)((?:\[\d*\])*)$", decl)
    if not m:
        return decl, "", bits
    return (m.group(1).strip() + m.group(3)), m.group(2), bits


def parse_pahole(text):
    """Blocks by tag or typedef name: {"size", "padding_bits", "members": [...]}; each member has
    name, type, offset, size, bit (bit offset from the struct start, bit-fields only), bits,
    hole_bits and members (a nested untagged struct or union, else None)."""
    blocks = {}
    stack = []   # open blocks: each a dict with "members"
    top = None
    for raw in text.splitlines():
        line = raw.strip()
        if not stack:
            m = re.match(r"^(?:typedef )?(struct|union) (?:(\w+) )?\{$", raw)
            if m:
                top = {"kind": m.group(1), "tag": m.group(2), "size": None, "padding_bits": 0,
                       "members": []}
                stack = [top]
            continue
        cur = stack[-1]
        if re.match(r"^(struct|union) \{$", line):
            stack.append({"kind": line.split()[0], "members": []})
            continue
        m = _CLOSE.match(line)
        if m and len(stack) > 1:
            inner = stack.pop()
            decl = re.sub(_ATTR, "", m.group("decl")).strip()
            _, name, _ = _declarator("x " + decl) if decl else ("", "", None)
            stack[-1]["members"].append({"name": name, "type": inner["kind"], "offset": int(m.group("off")),
                                         "size": int(m.group("size")), "bit": None, "bits": None,
                                         "hole_bits": 0, "members": inner["members"]})
            continue
        if re.match(r"^\}", line) and len(stack) == 1:
            m = re.match(r"^\}\s*(\w+)?", line)
            name = m.group(1) if m and m.group(1) and m.group(1) != "__attribute__" else top["tag"]
            blocks[name] = top
            stack = []
            continue
        m = re.search(r"/\* XXX (\d+) (byte|bit)s? hole", line)
        if m and cur["members"]:
            cur["members"][-1]["hole_bits"] += int(m.group(1)) * (8 if m.group(2) == "byte" else 1)
            continue
        m = re.search(r"/\* size: (\d+)", line)
        if m:
            top["size"] = int(m.group(1))
            continue
        m = re.search(r"/\* padding: (\d+) \*/", line)
        if m:
            top["padding_bits"] += 8 * int(m.group(1))
            continue
        m = re.search(r"/\* bit_padding: (\d+) bits? \*/", line)
        if m:
            top["padding_bits"] += int(m.group(1))
            continue
        m = _MEMBER.match(line)
        if m:
            typ, name, bits = _declarator(m.group("decl"))
            off = int(m.group("off"))
            bit = off * 8 + int(m.group("bit")) if m.group("bit") is not None else None
            cur["members"].append({"name": name, "type": typ, "offset": off, "size": int(m.group("size")),
                                   "bit": bit, "bits": bits, "hole_bits": 0, "members": None})
    return blocks


# What a binding needs from a member, without the spelling of its type (compilers name base
# types differently: "__int128 unsigned" and "unsigned __int128").
LAYOUT_KEYS = ("name", "offset", "size", "kind", "signed", "count", "dims", "bit_offset", "bit_size",
               "hole_after", "bit_hole_after", "padding", "bit_padding", "flexible")


def norm_type(t):
    return re.sub(r"\s+", "", t or "")


def _last(path):
    return re.sub(r"(\[0\])+$", "", path.split(".")[-1]) if path else ""


def compare_members(tag, mine, theirs, where):
    """Checks a list of platprobe's fields against pahole's members at one level; returns the
    number of members compared."""
    n = 0
    if not check(f"{tag}: {where} has {len(theirs)} members as in pahole", len(mine) == len(theirs),
                 f"platprobe {[f['name'] for f in mine]}, pahole {[m['name'] for m in theirs]}"):
        return 0
    for f, m in zip(mine, theirs):
        label = f"{tag}: {where}.{f['name'] or '(anonymous)'}"
        ok = _last(f["name"]) == m["name"]
        if "bit_size" in f:
            ok = ok and m["bit"] == f["bit_offset"] and m["bits"] == f["bit_size"]
        else:
            ok = ok and f["offset"] == m["offset"] and f["size"] == m["size"] and m["bits"] is None
        hole = 8 * f.get("hole_after", 0) + f.get("bit_hole_after", 0)
        ok = ok and hole == m["hole_bits"]
        if m["members"] is None and "<anonymous>" not in (f.get("type") or ""):
            ok = ok and norm_type(f.get("type")) == norm_type(m["type"])
        check(f"{label} as pahole", ok,
              f"platprobe {f!r} pahole {m!r}")
        n += 1
        if m["members"] is not None or "fields" in f:
            n += compare_members(tag, f.get("fields", []), m["members"] or [], f"{where}.{f['name'] or '{}'}")
    return n


def compare_block(tag, name, got, blk):
    """One struct of the result against its pahole block; returns the members compared."""
    if not check(f"{tag}: pahole knows {name}", blk is not None, "pahole printed no block"):
        return 0
    if not check(f"{tag}: {name} fields_complete", got.get("fields_complete") is True, repr(got)[:300]):
        return 0
    if blk["size"] is not None:  # pahole prints no size line for unions
        check(f"{tag}: {name} size {blk['size']} (pahole)", got["size"] == blk["size"], repr(got["size"]))
        pad = 8 * got.get("padding", 0) + got.get("bit_padding", 0)
        check(f"{tag}: {name} padding {blk['padding_bits']} bits (pahole)", pad == blk["padding_bits"], repr(pad))
    return compare_members(tag, got["fields"], blk["members"], name)


def walk(fields):
    """Every field, nested ones included."""
    for f in fields:
        yield f
        yield from walk(f.get("fields", []))


def macros(headers, defines=None, incdirs=(), cc="cc"):
    """Every macro name the headers define (cc -E -dM): member names that are also macros
    (glibc's si_pid is _sifields._kill.si_pid) cannot be written in C as paths."""
    src = "".join(f"#define {k} {v}\n" for k, v in (defines or {}).items())
    src += "".join(f"#include <{h}>\n" for h in headers)
    r = subprocess.run([cc, *[f"-I{d}" for d in incdirs], "-E", "-dM", "-"], input=src,
                       capture_output=True, text=True, check=True)
    return set(re.findall(r"^#define (\w+)", r.stdout, re.M))


def writable(path, defined):
    """Whether a member path can be written in C: no step of it is a macro."""
    return not any(step in defined for step in re.findall(r"[A-Za-z_]\w*", path))


def type_checks(sname, fields, defined=()):
    """_Static_assert lines that the compiler accepts only if each member has the type platprobe
    names (bit-fields cannot be asked with __typeof__; untagged types have no name)."""
    out = []
    for f in walk(fields):
        t = f.get("type")
        if not f["name"] or "bit_size" in f or not t or "<anonymous>" in t or not writable(f["name"], defined):
            continue
        out.append(f"_Static_assert(__builtin_types_compatible_p(__typeof__((({sname} *)0)->{f['name']}), "
                   f"{t}), \"{sname} {f['name']}\");")
    return out
